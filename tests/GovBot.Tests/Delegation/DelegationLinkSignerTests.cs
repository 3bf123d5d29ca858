using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using GovBot.Delegation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static GovBot.Tests.Delegation.DelegationTestData;

namespace GovBot.Tests.Delegation;

public sealed class DelegationLinkSignerTests
{
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void Create_ThenValidate_RoundTripsEveryField()
    {
        var signer = Signer(_time);
        var signed = signer.Create(Ens, "0x983110309620D911731Ac0932219af06091b6744");

        var result = signer.Validate(signed.Token);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(signed.Link, result.Link);
        Assert.Equal("ENS", result.Link!.Dao);
        Assert.Equal(1, result.Link.ChainId);
        Assert.Equal(Token, result.Link.Token);
        Assert.Equal(Delegatee, result.Link.Delegatee);
        Assert.Equal(Start.AddHours(24), result.Link.ExpiresAt);
        Assert.Equal(signer.CurrentKeyId, result.Link.KeyId);
        Assert.Equal(16, result.Link.LinkId.Length);
    }

    [Fact]
    public void Create_BuildsUrlUnderPublicBaseUrl_AndTokenIsUrlSafe()
    {
        var signed = Signer(_time).Create(Ens, Delegatee);

        Assert.Equal($"https://govbot.example/delegate/{signed.Token}", signed.Url.ToString());
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$", signed.Token);
        Assert.InRange(signed.Token.Length, 100, 400);
    }

    [Fact]
    public void Create_TwiceForSameDelegatee_GivesDistinctLinkIds()
    {
        var signer = Signer(_time);
        Assert.NotEqual(signer.Create(Ens, Delegatee).Link.LinkId, signer.Create(Ens, Delegatee).Link.LinkId);
    }

    [Fact]
    public void KeyId_IsFirst8HexOfSha256OfDecodedKey()
    {
        var key = Convert.FromBase64String(Key["base64:".Length..]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key))[..8], Signer(_time).CurrentKeyId);
    }

    [Fact]
    public void Validate_PayloadWithChangedDelegatee_ReturnsBadSignature()
    {
        var signer = Signer(_time);
        var token = signer.Create(Ens, Delegatee).Token;
        var (payload, mac) = Split(token);
        var forged = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)).Replace(Delegatee, "0x0000000000000000000000000000000000000bad", StringComparison.Ordinal);

        var result = signer.Validate(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged)) + "." + mac);

        Assert.Equal(LinkValidationFailure.BadSignature, result.Failure);
        Assert.Contains("altered", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PayloadWithLaterExpiry_ReturnsBadSignature()
    {
        var signer = Signer(_time);
        var token = signer.Create(Ens, Delegatee).Token;
        var (payload, mac) = Split(token);
        var expiry = Start.AddHours(24).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var forged = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)).Replace(expiry, "99999999999", StringComparison.Ordinal);

        Assert.Equal(LinkValidationFailure.BadSignature, signer.Validate(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged)) + "." + mac).Failure);
    }

    [Fact]
    public void Validate_MacFromAnotherLink_ReturnsBadSignature()
    {
        var signer = Signer(_time);
        var (payload, _) = Split(signer.Create(Ens, Delegatee).Token);
        var (_, otherMac) = Split(signer.Create(Ens, Delegatee).Token);

        Assert.Equal(LinkValidationFailure.BadSignature, signer.Validate(payload + "." + otherMac).Failure);
    }

    [Fact]
    public void Validate_TruncatedMac_ReturnsMalformed()
    {
        var signer = Signer(_time);
        var token = signer.Create(Ens, Delegatee).Token;
        Assert.Equal(LinkValidationFailure.Malformed, signer.Validate(token[..^4]).Failure);
    }

    [Fact]
    public void Validate_AtExpiry_ReturnsExpired_AndOneSecondBeforeIsValid()
    {
        var signer = Signer(_time);
        var token = signer.Create(Ens, Delegatee).Token;

        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.True(signer.Validate(token).IsValid);

        _time.Advance(TimeSpan.FromSeconds(1));
        var result = signer.Validate(token);
        Assert.Equal(LinkValidationFailure.Expired, result.Failure);
        Assert.Contains("expired at 2026-03-02 12:00 UTC", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validity_IsConfigurable()
    {
        var signer = new DelegationLinkSigner(Key, "https://govbot.example", [Ens], _time, TimeSpan.FromMinutes(30));
        var token = signer.Create(Ens, Delegatee).Token;
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(LinkValidationFailure.Expired, signer.Validate(token).Failure);
    }

    [Fact]
    public void Validate_AfterKeyRotation_SaysKeyIsNoLongerInUse()
    {
        var token = Signer(_time, Key).Create(Ens, Delegatee).Token;

        var result = Signer(_time, OtherKey).Validate(token);

        Assert.Equal(LinkValidationFailure.RetiredKey, result.Failure);
        Assert.Equal("this link was signed with a key that is no longer in use; ask the bot for a new link", result.Reason);
    }

    [Fact]
    public void Validate_AfterKeyRotation_AcceptsOldLinksWhenOldKeyIsKeptAsPrevious()
    {
        var token = Signer(_time, Key).Create(Ens, Delegatee).Token;
        var rotated = Signer(_time, OtherKey, previousKeys: [Key]);

        Assert.True(rotated.Validate(token).IsValid);
        Assert.NotEqual(Signer(_time, Key).CurrentKeyId, rotated.CurrentKeyId);
    }

    [Fact]
    public void Validate_DaoNoLongerConfigured_ReturnsUnknownDao()
    {
        var token = Signer(_time).Create(Ens, Delegatee).Token;
        var otherDao = Ens with { Name = "Uniswap" };

        var result = Signer(_time, dao: otherDao).Validate(token);

        Assert.Equal(LinkValidationFailure.UnknownDao, result.Failure);
        Assert.Contains("'ENS'", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10L, Token)]
    [InlineData(1L, "0x1f9840a85d5af5bf1d1762f925bdaddc4201f984")]
    public void Validate_DaoChainOrTokenChangedSinceSigning_ReturnsDaoMismatch(long chainId, string token)
    {
        var link = Signer(_time).Create(Ens, Delegatee).Token;

        var result = Signer(_time, dao: Ens with { ChainId = chainId, Token = token }).Validate(link);

        Assert.Equal(LinkValidationFailure.DaoMismatch, result.Failure);
    }

    [Fact]
    public void Create_ForUnconfiguredDao_Throws()
    {
        Assert.Throws<ArgumentException>(() => Signer(_time).Create(Ens with { Name = "Other" }, Delegatee));
        Assert.Throws<ArgumentException>(() => Signer(_time).Create(Ens, "vitalik.eth"));
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("   ", "is not set")]
    [InlineData("short-but-not-32-bytes", "is 22 bytes; it must be at least 32 bytes")]
    [InlineData("base64:AAAA", "is 3 bytes")]
    [InlineData("hex:zz", "does not decode")]
    public void Constructor_MissingOrShortKey_IsAConfigurationErrorNamingTheSetting(string? key, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new DelegationLinkSigner(key, "https://govbot.example", [Ens], _time));
        Assert.Contains("Web:LinkSigningKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        if (key is not null && key.Length > 8)
            Assert.DoesNotContain(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Utf8KeyOf32Bytes_IsAccepted()
    {
        var signer = new DelegationLinkSigner(new string('k', 32), "https://govbot.example", [Ens], _time);
        Assert.True(signer.Validate(signer.Create(Ens, Delegatee).Token).IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("abc.")]
    [InlineData(".abc")]
    [InlineData("!!!!.@@@@")]
    [InlineData("eyJ2IjoxfQ==.AAAA")]
    public void Validate_Garbage_ReturnsMalformed(string? token) =>
        Assert.Equal(LinkValidationFailure.Malformed, Signer(_time).Validate(token).Failure);

    [Fact]
    public void Validate_HugeInput_IsRejectedBeforeDecoding()
    {
        var huge = new string('A', 5_000_000) + "." + new string('A', 43);
        Assert.Equal(LinkValidationFailure.Malformed, Signer(_time).Validate(huge).Failure);
    }

    [Fact]
    public void Validate_WellFormedPayloadWithGuessedMac_ReturnsBadSignature()
    {
        var signer = Signer(_time);
        var payload = $$"""{"v":1,"k":"{{signer.CurrentKeyId}}","d":"ENS","c":1,"t":"{{Token}}","e":"{{Delegatee}}","x":1900000000,"n":"AAAAAAAAAAAAAAAA"}""";
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + Base64Url.EncodeToString(new byte[32]);

        Assert.Equal(LinkValidationFailure.BadSignature, signer.Validate(token).Failure);
    }

    [Fact]
    public void Validate_TenThousandRandomAndMutatedTokens_NeverThrowsAndOnlyTheUntouchedTokenIsValid()
    {
        var signer = Signer(_time);
        var original = signer.Create(Ens, Delegatee).Token;
        var random = new Random(20260301);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\"{}:,\0é";
        var validCount = 0;

        for (var i = 0; i < 10_000; i++)
        {
            var candidate = (i % 6) switch
            {
                0 => Mutate(original, random, alphabet),
                1 => RandomString(random, alphabet, random.Next(0, 400)),
                2 => Base64Url.EncodeToString(RandomJson(random)) + "." + Base64Url.EncodeToString(RandomBytes(random, random.Next(0, 40))),
                3 => Convert.ToBase64String(RandomBytes(random, random.Next(1, 200))) + "." + Convert.ToBase64String(RandomBytes(random, 32)),
                4 => original[..random.Next(0, original.Length)] + original[random.Next(0, original.Length)..],
                _ => i % 600 == 5 ? new string('A', 2_000_000) : Mutate(Mutate(original, random, alphabet), random, alphabet),
            };

            var result = signer.Validate(candidate);

            if (result.IsValid)
            {
                Assert.Equal(original, candidate);
                validCount++;
            }
            else
            {
                Assert.NotEqual(LinkValidationFailure.None, result.Failure);
                Assert.False(string.IsNullOrWhiteSpace(result.Reason));
            }
        }

        Assert.True(signer.Validate(original).IsValid);
        Assert.InRange(validCount, 0, 200);
    }

    private static (string Payload, string Mac) Split(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return (token[..dot], token[(dot + 1)..]);
    }

    private static string Mutate(string token, Random random, string alphabet)
    {
        var chars = token.ToCharArray().ToList();
        var position = random.Next(0, chars.Count);
        switch (random.Next(3))
        {
            case 0:
                chars[position] = alphabet[random.Next(alphabet.Length)];
                break;
            case 1:
                chars.Insert(position, alphabet[random.Next(alphabet.Length)]);
                break;
            default:
                chars.RemoveAt(position);
                break;
        }
        return new string([.. chars]);
    }

    private static string RandomString(Random random, string alphabet, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomJson(Random random)
    {
        string[] shapes =
        [
            "{}", "[]", "null", "1", "\"x\"", "{\"v\":1}", "{\"v\":\"1\",\"k\":1}", "{\"v\":1,\"k\":\"00000000\"}",
            "{\"v\":1,\"k\":\"abcdefgh\",\"d\":[1,2],\"c\":1e400,\"x\":-5}", "{\"v\":2}", "{\"v\":1,\"k\":", "{{{{{{{{{{", "[[[[[[[[[[[[]]]]]]]]]]]]",
        ];
        return Encoding.UTF8.GetBytes(shapes[random.Next(shapes.Length)]);
    }
}
