using System.Numerics;
using System.Text;
using GovBot.Delegation;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;
using static GovBot.Tests.Delegation.DelegationTestData;

namespace GovBot.Tests.Delegation;

public sealed class DelegationRelayRequestTests
{
    private const string Delegator = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1";
    private static readonly string Signature = "0x" + new string('a', 128) + "1b";

    [Fact]
    public void Parse_ValidBody_ReturnsTypedRequest()
    {
        var parse = Parse($$"""{"delegator":"0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1","nonce":"0","expiry":"115792089237316195423570985008687907853269984665640564039457584007913129639935","signature":"{{Signature.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}}"}""");

        Assert.True(parse.IsValid, string.Join("; ", parse.Errors));
        Assert.Equal(new DelegationRelayRequest(Delegator, 0, Uint256.Max, Signature), parse.Request);
    }

    [Fact]
    public void Parse_EveryFieldWrong_ReportsEveryError()
    {
        var parse = Parse("""{"delegator":"0x123","nonce":"-1","expiry":"1e9","signature":"0xabc"}""");

        Assert.False(parse.IsValid);
        Assert.Null(parse.Request);
        Assert.Equal(4, parse.Errors.Count);
        Assert.Contains(parse.Errors, e => e.StartsWith("delegator must be a 0x-prefixed 20-byte hex address", StringComparison.Ordinal));
        Assert.Contains(parse.Errors, e => e.StartsWith("nonce must be a uint256", StringComparison.Ordinal));
        Assert.Contains(parse.Errors, e => e.StartsWith("expiry must be a uint256", StringComparison.Ordinal));
        Assert.Contains(parse.Errors, e => e.StartsWith("signature must be 0x followed by 130 hex", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"nonce":"1","expiry":"2","signature":"SIG"}""", "delegator is missing")]
    [InlineData("""{"delegator":"ADDR","nonce":1,"expiry":"2","signature":"SIG"}""", "nonce is missing or not a string")]
    [InlineData("""{"delegator":"ADDR","nonce":"01","expiry":"2","signature":"SIG"}""", "nonce must be a uint256")]
    [InlineData("""{"delegator":"ADDR","nonce":" 1","expiry":"2","signature":"SIG"}""", "nonce must be a uint256")]
    [InlineData("""{"delegator":"ADDR","nonce":"1","expiry":"115792089237316195423570985008687907853269984665640564039457584007913129639936","signature":"SIG"}""", "expiry must be a uint256")]
    [InlineData("""{"delegator":"ADDR","nonce":"1","expiry":"0x10","signature":"SIG"}""", "expiry must be a uint256")]
    [InlineData("""{"delegator":"ADDR","nonce":"1","expiry":"2"}""", "signature is missing")]
    [InlineData("""{"delegator":"ADDR","nonce":"1","expiry":"2","signature":"SIGff"}""", "signature must be 0x followed by 130 hex")]
    [InlineData("""[1,2,3]""", "must be a JSON object")]
    [InlineData("""{"delegator":""", "not valid JSON")]
    [InlineData("", "empty")]
    public void Parse_BadBody_NamesTheProblem(string body, string expected)
    {
        var parse = Parse(body.Replace("ADDR", Delegator, StringComparison.Ordinal).Replace("SIG", Signature, StringComparison.Ordinal));

        Assert.False(parse.IsValid);
        Assert.Contains(parse.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_OversizedBody_IsRefusedWithoutParsing()
    {
        var parse = DelegationRelayRequest.Parse(Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 10_000) + "\"}"));
        Assert.Contains(parse.Errors, e => e.Contains("larger than 4096 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        var random = new Random(42);
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            Assert.False(DelegationRelayRequest.Parse(bytes).IsValid);
        }
    }

    private static DelegationRelayRequestParse Parse(string json) => DelegationRelayRequest.Parse(Encoding.UTF8.GetBytes(json));
}

public sealed class DelegationRelayPolicyTests
{
    private static readonly EthECKey Holder = new("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static readonly string HolderAddress = Holder.GetPublicAddress().ToLowerInvariant();
    private static readonly Eip712Domain Domain = Eip712Domain.OpenZeppelin("Ethereum Name Service", "1", 1, Token);
    private static readonly DateTimeOffset Now = Start.AddHours(1);
    private static readonly DelegationLink Link = new("ENS", 1, Token, Delegatee, Start.AddHours(24), "AAAAAAAAAAAAAAAA", "01234567");
    private static readonly BigInteger Expiry = Now.AddHours(1).ToUnixTimeSeconds();
    private static readonly DelegationChainFacts Facts = new(1, Token, BigInteger.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture), 7, Domain);

    [Fact]
    public void Check_HolderSignedTheLinksDelegation_IsAcceptedWithWhatTheRelayerSends()
    {
        var decision = DelegationRelayPolicy.Check(Link, Request(), Facts, Now);

        Assert.True(decision.Accepted, decision.Reason);
        Assert.Equal(Delegatee, decision.Message!.Delegatee);
        Assert.Equal(7, decision.Message.Nonce);
        Assert.Equal(Expiry, decision.Message.Expiry);
        Assert.Equal(HolderAddress, decision.Signature!.Signer);
        Assert.InRange(decision.Signature.V, (byte)27, (byte)28);
        Assert.Equal(66, decision.Signature.R.Length);
        Assert.Equal(66, decision.Signature.S.Length);
    }

    [Fact]
    public void Check_LinkExpired_IsRefused() =>
        AssertRefused(RelayRefusal.LinkExpired, DelegationRelayPolicy.Check(Link, Request(), Facts, Link.ExpiresAt));

    [Fact]
    public void Check_RpcOnAnotherChain_IsRefused() =>
        AssertRefused(RelayRefusal.ChainMismatch, DelegationRelayPolicy.Check(Link, Request(), Facts with { ChainId = 5 }, Now));

    [Fact]
    public void Check_TokenAddressDiffersFromLink_IsRefused() =>
        AssertRefused(RelayRefusal.TokenMismatch, DelegationRelayPolicy.Check(Link, Request(), Facts with { Token = "0x1f9840a85d5af5bf1d1762f925bdaddc4201f984" }, Now));

    [Fact]
    public void Check_DomainForAnotherChainOrContract_IsRefused()
    {
        AssertRefused(RelayRefusal.DomainMismatch, DelegationRelayPolicy.Check(Link, Request(), Facts with { Domain = Eip712Domain.OpenZeppelin("Ethereum Name Service", "1", 10, Token) }, Now));
        AssertRefused(RelayRefusal.DomainMismatch, DelegationRelayPolicy.Check(Link, Request(), Facts with { Domain = Eip712Domain.OpenZeppelin("Ethereum Name Service", "1", 1, Delegatee) }, Now));
    }

    [Fact]
    public void Check_SignatureExpiringWithinTwoMinutes_IsRefused() =>
        AssertRefused(RelayRefusal.SignatureExpired, DelegationRelayPolicy.Check(Link, Request(expiry: Now.AddSeconds(60).ToUnixTimeSeconds()), Facts, Now));

    [Fact]
    public void Check_SignatureValidForYears_IsRefused() =>
        AssertRefused(RelayRefusal.ExpiryTooFar, DelegationRelayPolicy.Check(Link, Request(expiry: Link.ExpiresAt.AddDays(1).AddSeconds(1).ToUnixTimeSeconds()), Facts, Now));

    [Fact]
    public void Check_ExpiryExactlyOneDayPastLink_IsAccepted() =>
        Assert.True(DelegationRelayPolicy.Check(Link, Request(expiry: Link.ExpiresAt.AddDays(1).ToUnixTimeSeconds()), Facts, Now).Accepted);

    [Fact]
    public void Check_HighSSignature_IsRefusedAsBadSignature() =>
        AssertRefused(RelayRefusal.BadSignature, DelegationRelayPolicy.Check(Link, Request() with { Signature = "0x" + new string('1', 64) + new string('f', 64) + "1b" }, Facts, Now));

    [Fact]
    public void Check_SignedBySomeoneElse_IsRefused()
    {
        var other = EthECKey.GenerateKey();
        var signature = Sign(other, Domain, new DelegationMessage(Delegatee, 7, Expiry));
        AssertRefused(RelayRefusal.SignerNotDelegator, DelegationRelayPolicy.Check(Link, Request() with { Signature = signature }, Facts, Now));
    }

    [Fact]
    public void Check_HolderSignedForAnotherDelegatee_IsRefusedBecauseTheSignerDoesNotMatch()
    {
        var signature = Sign(Holder, Domain, new DelegationMessage("0x0000000000000000000000000000000000000bad", 7, Expiry));
        AssertRefused(RelayRefusal.SignerNotDelegator, DelegationRelayPolicy.Check(Link, Request() with { Signature = signature }, Facts, Now));
    }

    [Fact]
    public void Check_NonceAlreadyUsedOnChain_IsRefused()
    {
        var decision = DelegationRelayPolicy.Check(Link, Request(), Facts with { DelegatorNonce = 8 }, Now);
        AssertRefused(RelayRefusal.NonceMismatch, decision);
        Assert.Contains("expects 8", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HolderWithZeroBalance_IsRefused() =>
        AssertRefused(RelayRefusal.NoTokens, DelegationRelayPolicy.Check(Link, Request(), Facts with { DelegatorBalance = 0 }, Now));

    private static DelegationRelayRequest Request(BigInteger? expiry = null)
    {
        var e = expiry ?? Expiry;
        return new DelegationRelayRequest(HolderAddress, 7, e, Sign(Holder, Domain, new DelegationMessage(Delegatee, 7, e)));
    }

    private static void AssertRefused(RelayRefusal expected, RelayDecision decision)
    {
        Assert.False(decision.Accepted);
        Assert.Equal(expected, decision.Refusal);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
        Assert.Null(decision.Signature);
    }
}

/// <summary>The relay limits on a real SQLite file: they hold across a restart (a new limiter on the same file).</summary>
public sealed class DelegationRelayLimiterTests : IDisposable
{
    private const string Holder = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1";
    private const string Token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private readonly FakeTimeProvider _time = new(Start);
    private readonly TestDatabase _db = new();
    private int _nonce;

    public void Dispose() => _db.Dispose();

    private DelegationRelayLimiter NewLimiter(int perLink = DelegationRelayLimiter.DefaultPerLink, int perDelegator = DelegationRelayLimiter.DefaultPerDelegatorPerWindow) =>
        new(_db.Database, _time, perLink, perDelegator);

    private static DelegationLink Link(string id) => new("devnet", 31337, Token, "0x" + new string('3', 40), Start.AddDays(1), id, "abcdef01");

    /// <summary>A fresh nonce per call unless one is given, so only the limit under test can refuse.</summary>
    private Task<RelaySlot> AcquireAsync(DelegationRelayLimiter limiter, string link, string delegator, BigInteger? nonce = null) =>
        limiter.TryAcquireAsync(Link(link), delegator, nonce ?? _nonce++, CancellationToken.None);

    [Fact]
    public async Task TryAcquire_FourthRelayOnOneLink_IsRefused()
    {
        var limiter = NewLimiter();
        for (var i = 0; i < 3; i++)
            Assert.True((await AcquireAsync(limiter, "link-a", $"0x{i:x40}")).Acquired);

        var refused = await AcquireAsync(limiter, "link-a", "0x" + new string('9', 40));
        Assert.False(refused.Acquired);
        Assert.Equal(429, refused.Status);
        Assert.Contains("already been used for 3", refused.Refusal, StringComparison.Ordinal);
        Assert.True((await AcquireAsync(limiter, "link-b", "0x" + new string('9', 40))).Acquired);
    }

    [Fact]
    public async Task TryAcquire_SixthRelayForOneDelegatorWithinAnHour_IsRefusedUntilTheWindowPasses()
    {
        var limiter = NewLimiter();
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await AcquireAsync(limiter, $"link-{i}", Holder)).Acquired);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var refused = await AcquireAsync(limiter, "link-x", Holder.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal));
        Assert.False(refused.Acquired);
        Assert.Contains("try again in 55 min", refused.Refusal, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMinutes(55));
        Assert.True((await AcquireAsync(limiter, "link-x", Holder)).Acquired);
    }

    [Fact]
    public async Task TryAcquire_LimitsSurviveARestart_ANewLimiterOnTheSameDatabaseStillRefuses()
    {
        var before = NewLimiter();
        for (var i = 0; i < 3; i++)
            Assert.True((await AcquireAsync(before, "link-a", $"0x{i:x40}")).Acquired);
        for (var i = 0; i < 5; i++)
            Assert.True((await AcquireAsync(before, $"link-{i + 10}", Holder)).Acquired);

        var afterRestart = NewLimiter();

        Assert.Contains("already been used for 3", (await AcquireAsync(afterRestart, "link-a", "0x" + new string('8', 40))).Refusal, StringComparison.Ordinal);
        Assert.Contains("try again in", (await AcquireAsync(afterRestart, "link-z", Holder)).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryAcquire_SameSignatureAgainWhileItsRelayMayBePending_IsRefusedNamingTheTransaction_ThenAllowedAfterTheWindow()
    {
        var limiter = NewLimiter();
        var first = await AcquireAsync(limiter, "link-a", Holder, nonce: 7);
        Assert.True(first.Acquired);
        await limiter.RecordSentAsync(first, "0x" + new string('e', 64), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(12));

        var again = await AcquireAsync(limiter, "link-b", Holder, nonce: 7);
        Assert.False(again.Acquired);
        Assert.Equal(409, again.Status);
        Assert.Contains("already relayed 12 s ago (transaction 0x" + new string('e', 64) + ")", again.Refusal, StringComparison.Ordinal);
        Assert.True((await AcquireAsync(limiter, "link-b", Holder, nonce: 8)).Acquired);

        _time.Advance(DelegationRelayLimiter.PendingSignatureWindow);
        Assert.True((await AcquireAsync(limiter, "link-c", Holder, nonce: 7)).Acquired);
    }

    [Fact]
    public async Task Release_WhenTheNodeRefusedTheTransaction_GivesTheSlotBack()
    {
        var limiter = NewLimiter(perLink: 1);
        var slot = await AcquireAsync(limiter, "link-a", Holder, nonce: 3);
        Assert.False((await AcquireAsync(limiter, "link-a", "0x" + new string('1', 40))).Acquired);

        await limiter.ReleaseAsync(slot, CancellationToken.None);

        Assert.True((await AcquireAsync(limiter, "link-a", Holder, nonce: 3)).Acquired);
    }

    [Fact]
    public async Task TryAcquire_RefusedAttempt_DoesNotConsumeASlot()
    {
        var limiter = NewLimiter(perLink: 1, perDelegator: 1);
        Assert.True((await AcquireAsync(limiter, "link-a", Holder)).Acquired);
        Assert.False((await AcquireAsync(limiter, "link-a", "0x" + new string('1', 40))).Acquired);
        Assert.True((await AcquireAsync(limiter, "link-b", "0x" + new string('1', 40))).Acquired);
    }

    [Fact]
    public async Task TryAcquire_ConcurrentCallersOnTwoLimitersSharingTheFile_NeverExceedTheLinkLimit()
    {
        var limiters = new[] { NewLimiter(), NewLimiter() };
        var slots = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => limiters[i % 2].TryAcquireAsync(Link("shared"), $"0x{i:x40}", i, CancellationToken.None))));
        Assert.Equal(3, slots.Count(s => s.Acquired));
    }
}
