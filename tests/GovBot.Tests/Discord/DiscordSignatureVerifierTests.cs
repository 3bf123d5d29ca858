using System.Globalization;
using System.Text;
using GovBot.Chat.Discord;
using GovBot.Configuration;
using Microsoft.Extensions.Options;

namespace GovBot.Tests.Discord;

public sealed class DiscordSignatureVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);
    private static readonly string Timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":1,"id":"1","application_id":"42"}""");

    private readonly DiscordTestKeys _keys = new();

    private DiscordSignatureVerifier Verifier(string? publicKeyHex = null, DateTimeOffset? now = null) =>
        new(Options.Create(new DiscordOptions { ApplicationId = "42", PublicKey = publicKeyHex ?? _keys.PublicKeyHex }),
            new FixedTimeProvider(now ?? Now));

    [Fact]
    public void Verify_WithValidSignature_ReturnsTrue()
    {
        Assert.True(Verifier().Verify(_keys.SignHex(Timestamp, Body), Timestamp, Body));
    }

    [Fact]
    public void Verify_WithUppercaseHex_ReturnsTrue()
    {
        var verifier = Verifier(_keys.PublicKeyHex.ToUpperInvariant());
        Assert.True(verifier.Verify(_keys.SignHex(Timestamp, Body).ToUpperInvariant(), Timestamp, Body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(511)]
    public void Verify_WithOneFlippedSignatureBit_ReturnsFalse(int bit)
    {
        var signature = _keys.Sign(Timestamp, Body);
        signature[bit / 8] ^= (byte)(1 << (bit % 8));
        Assert.False(Verifier().Verify(Convert.ToHexStringLower(signature), Timestamp, Body));
    }

    [Fact]
    public void Verify_WithEveryBodyBitFlipped_ReturnsFalseForEach()
    {
        var signature = _keys.SignHex(Timestamp, Body);
        var verifier = Verifier();
        for (var bit = 0; bit < Body.Length * 8; bit++)
        {
            var body = (byte[])Body.Clone();
            body[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(verifier.Verify(signature, Timestamp, body), $"bit {bit}");
        }
    }

    [Fact]
    public void Verify_WithTimestampChangedAfterSigning_ReturnsFalse()
    {
        var signature = _keys.SignHex(Timestamp, Body);
        var oneSecondLater = (Now.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);
        Assert.False(Verifier().Verify(signature, oneSecondLater, Body));
    }

    [Fact]
    public void Verify_WithAnotherApplicationsKey_ReturnsFalse()
    {
        var signature = new DiscordTestKeys().SignHex(Timestamp, Body);
        Assert.False(Verifier().Verify(signature, Timestamp, Body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("0x00")]
    public void Verify_WithMalformedSignatureHex_ReturnsFalse(string signature)
    {
        Assert.False(Verifier().Verify(signature, Timestamp, Body));
    }

    [Fact]
    public void Verify_WithTruncatedOrPaddedOrNonHexSignature_ReturnsFalse()
    {
        var signature = _keys.SignHex(Timestamp, Body);
        var verifier = Verifier();
        Assert.False(verifier.Verify(signature[..^2], Timestamp, Body));
        Assert.False(verifier.Verify(signature[..^1], Timestamp, Body));
        Assert.False(verifier.Verify(signature + "00", Timestamp, Body));
        Assert.False(verifier.Verify("g" + signature[1..], Timestamp, Body));
        Assert.False(verifier.Verify(" " + signature[1..], Timestamp, Body));
        Assert.False(verifier.Verify(null, Timestamp, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not hex at all, and also the wrong length for a key..................")]
    [InlineData("00")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Verify_WithMalformedOrInvalidConfiguredKey_ReturnsFalseWithoutThrowing(string? publicKey)
    {
        var verifier = new DiscordSignatureVerifier(
            Options.Create(new DiscordOptions { PublicKey = publicKey }), new FixedTimeProvider(Now));
        Assert.False(verifier.Verify(_keys.SignHex(Timestamp, Body), Timestamp, Body));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Verify_WithTimestampMoreThanFiveMinutesFromNow_ReturnsFalse(int offsetSeconds)
    {
        var stamp = (Now.ToUnixTimeSeconds() + offsetSeconds).ToString(CultureInfo.InvariantCulture);
        Assert.False(Verifier().Verify(_keys.SignHex(stamp, Body), stamp, Body));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_WithTimestampAtTheFiveMinuteEdge_ReturnsTrue(int offsetSeconds)
    {
        var stamp = (Now.ToUnixTimeSeconds() + offsetSeconds).ToString(CultureInfo.InvariantCulture);
        Assert.True(Verifier().Verify(_keys.SignHex(stamp, Body), stamp, Body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1760000000")]
    [InlineData("+1760000000")]
    [InlineData(" 1760000000")]
    [InlineData("1760000000.0")]
    [InlineData("99999999999999999999999")]
    public void Verify_WithNonNumericTimestamp_ReturnsFalse(string stamp)
    {
        Assert.False(Verifier().Verify(_keys.SignHex(stamp, Body), stamp, Body));
    }

    [Fact]
    public void VerifySignature_IgnoresFreshness_LikeDiscordsOwnVerifier()
    {
        const string Stale = "1000";
        var signature = _keys.SignHex(Stale, Body);
        Assert.True(DiscordSignatureVerifier.VerifySignature(_keys.PublicKeyHex, signature, Stale, Body));
        Assert.False(Verifier().Verify(signature, Stale, Body));
    }

    [Fact]
    public void Verify_WithEmptyBody_ChecksTheTimestampAlone()
    {
        Assert.True(Verifier().Verify(_keys.SignHex(Timestamp, []), Timestamp, []));
    }
}
