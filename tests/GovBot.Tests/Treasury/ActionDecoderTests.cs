using System.Numerics;
using GovBot.Governance;
using GovBot.Treasury;
using Nethereum.ABI;

namespace GovBot.Tests.Treasury;

public sealed class ActionDecoderTests
{
    private const string Usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    private const string Alice = "0x1111111111111111111111111111111111111111";
    private const string Bob = "0x2222222222222222222222222222222222222222";
    private const string Unknown = "0x3333333333333333333333333333333333333333";
    private readonly ActionDecoder _decoder = new();

    private static string Encode(string selector, params ABIValue[] values) =>
        selector + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(values));

    private DecodedAction Decode(string target, string calldata, string value = "0", string signature = "") =>
        _decoder.Decode(new ProposalAction(target, value, signature, calldata));

    [Theory]
    [InlineData("transfer(address,uint256)", "0xa9059cbb")]
    [InlineData("approve(address,uint256)", "0x095ea7b3")]
    [InlineData("execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)", "0x6a761202")]
    [InlineData("multiSend(bytes)", "0x8d80ff0a")]
    [InlineData("grantRole(bytes32,address)", "0x2f2ff15d")]
    public void Table_SelectorsMatchPublishedValues(string signature, string selector) =>
        Assert.Equal(signature, KnownFunctions.BySelector[selector].Signature);

    [Fact]
    public void WellKnownRoles_NameDefaultAdminAndTimelockRoles()
    {
        Assert.Equal("DEFAULT_ADMIN_ROLE", WellKnownRoles.Name("0x" + new string('0', 64)));
        Assert.Equal("PROPOSER_ROLE", WellKnownRoles.Name("0xb09aa5aeb3702cfd50b6b62bc4532604938f21248a27a1d5ca736082b6819cc1"));
        Assert.Null(WellKnownRoles.Name("0x" + new string('1', 64)));
    }

    [Fact]
    public void UnknownTokenTransfer_ShowsBaseUnitsAndSaysDecimalsAreUnknown()
    {
        var action = Decode(Unknown, Encode("0xa9059cbb", new ABIValue("address", Bob), new ABIValue("uint256", 12345)));
        Assert.Equal(DecodedActionKind.TokenTransfer, action.Kind);
        Assert.Contains("12345 base units", action.Summary, StringComparison.Ordinal);
        Assert.Contains("(unknown token decimals)", action.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredToken_FormatsInTokenUnits()
    {
        var decoder = new ActionDecoder(new TokenDirectory([new TokenInfo(Unknown, "GOV", 2)]));
        var action = decoder.Decode(new ProposalAction(Unknown, "0", "", Encode("0xa9059cbb", new ABIValue("address", Bob), new ABIValue("uint256", 12345))));
        Assert.Equal($"Transfer 123.45 GOV to {Bob}", action.Summary);
    }

    [Fact]
    public void TransferFrom_OnUnknownToken_IsHonestlyAmbiguous()
    {
        var calldata = Encode("0x23b872dd", new ABIValue("address", Alice), new ABIValue("address", Bob), new ABIValue("uint256", 7));
        var action = Decode(Unknown, calldata);
        Assert.Equal(DecodedActionKind.AmbiguousTransfer, action.Kind);
        Assert.Equal(TokenStandard.Erc20OrErc721, action.Movements.Single().Standard);
        Assert.Contains("transferFrom (ERC20 or ERC721)", action.Summary, StringComparison.Ordinal);

        Assert.Equal(DecodedActionKind.TokenTransfer, Decode(Usdc, calldata).Kind);
        var nft = Decode("0x57f1887a8bf19b14fc0df6fd9b2acc9af147ea85", calldata);
        Assert.Equal(DecodedActionKind.NftTransfer, nft.Kind);
        Assert.Equal(new BigInteger(7), nft.Movements.Single().TokenId);
    }

    [Fact]
    public void SafeTransferFrom_BothOverloads_AreNftTransfers()
    {
        var three = Decode(Unknown, Encode("0x42842e0e", new ABIValue("address", Alice), new ABIValue("address", Bob), new ABIValue("uint256", 9)));
        var four = Decode(Unknown, Encode("0xb88d4fde", new ABIValue("address", Alice), new ABIValue("address", Bob), new ABIValue("uint256", 9), new ABIValue("bytes", new byte[] { 1, 2, 3 })));
        foreach (var action in new[] { three, four })
        {
            Assert.Equal(DecodedActionKind.NftTransfer, action.Kind);
            var movement = action.Movements.Single();
            Assert.Equal((Alice, Bob, new BigInteger(9)), (movement.From, movement.To, movement.TokenId!.Value));
        }
    }

    [Fact]
    public void Approve_NearMaxUint_IsUnlimited_AndZeroIsARevoke()
    {
        var unlimited = Decode(Usdc, Encode("0x095ea7b3", new ABIValue("address", Bob), new ABIValue("uint256", TokenAmount.UnlimitedThreshold)));
        Assert.True(unlimited.Movements.Single().IsUnlimited);
        Assert.Contains("unlimited USDC", unlimited.Summary, StringComparison.Ordinal);
        var revoke = Decode(Usdc, Encode("0x095ea7b3", new ABIValue("address", Bob), new ABIValue("uint256", 0)));
        Assert.StartsWith("Revoke", revoke.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void BravoStyle_SignatureGivesTheSelector_AndCalldataHoldsOnlyArguments()
    {
        var args = "0x" + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(new ABIValue("address", Bob), new ABIValue("uint256", 5_000_000)));
        var action = Decode(Usdc, args, signature: "transfer(address,uint256)");
        Assert.Equal("0xa9059cbb", action.Selector);
        Assert.Equal($"Transfer 5 USDC to {Bob}", action.Summary);

        // A Bravo signature the table lacks still has types: decode it rather than give up.
        var custom = Decode(Unknown, "0x" + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(new ABIValue("uint256", 42), new ABIValue("string", "hi"))), signature: "_setFoo(uint256,string)");
        Assert.Equal(DecodedActionKind.Call, custom.Kind);
        Assert.Equal("_setFoo", custom.FunctionName);
        Assert.Equal([new BigInteger(42), "hi"], custom.Arguments.Select(a => a.Value));
    }

    [Fact]
    public void UnknownSelector_IsShownRawWithLength_NeverGuessed()
    {
        var action = Decode(Unknown, "0xdeadbeef" + new string('0', 64));
        Assert.Equal(DecodedActionKind.UnknownFunction, action.Kind);
        Assert.Null(action.FunctionName);
        Assert.Equal("0xdeadbeef", action.Selector);
        Assert.Contains("unknown function 0xdeadbeef", action.Summary, StringComparison.Ordinal);
        Assert.Contains("36 bytes", action.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueAttachedToACall_IsAnEthMovement()
    {
        var action = Decode(Unknown, "0xdeadbeef", "1500000000000000000");
        Assert.Equal("1.5 ETH", action.Movements.Single().FormatAmount());
        Assert.Contains("sending 1.5 ETH", action.Summary, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { Usdc, "0xa9059cb", "odd number of hex digits" },
        { Usdc, "0xzz059cbb", "not hex" },
        { Usdc, "0xa905", "too short for a 4-byte selector" },
        { Usdc, "0xa9059cbb" + new string('0', 64), "arguments end" },
        { Usdc, "0xa9059cbb" + "ff" + new string('0', 126), "dirty high bytes" },
        // multiSend(bytes) whose offset points far outside the data
        { Unknown, "0x8d80ff0a" + "00000000000000000000000000000000000000000000000000000000ffffffff", "points past the end" },
        // multiSend(bytes) whose length field is 2^255
        { Unknown, "0x8d80ff0a" + 32.ToString("x64") + "8" + new string('0', 63), "absurdly large" },
        // multicall(bytes[]) claiming 2^32-1 elements
        { Unknown, "0xac9650d8" + 32.ToString("x64") + "00000000000000000000000000000000000000000000000000000000ffffffff", "past the end" },
        { "not-an-address", "0x", "target is not" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedCalldata_IsUndecodable_NotAnException(string target, string calldata, string reason)
    {
        var action = Decode(target, calldata);
        Assert.Equal(DecodedActionKind.Undecodable, action.Kind);
        Assert.Contains(reason, action.Error, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(action.Summary));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e18")]
    [InlineData("0x")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    public void BadValue_IsUndecodable(string value) =>
        Assert.Equal(DecodedActionKind.Undecodable, Decode(Bob, "0x", value).Kind);

    [Fact]
    public void NullFields_AreUndecodable_NotAnException()
    {
        var action = _decoder.Decode(new ProposalAction(null!, null!, null!, null!));
        Assert.Equal(DecodedActionKind.Undecodable, action.Kind);
    }

    [Fact]
    public void RandomBytes_AfterEveryKnownSelector_NeverThrow()
    {
        var random = new Random(1234);
        foreach (var selector in KnownFunctions.BySelector.Keys)
        {
            for (var i = 0; i < 30; i++)
            {
                var bytes = new byte[random.Next(0, 400)];
                random.NextBytes(bytes);
                // Small words make offsets and lengths plausible, so decoding gets deep before failing.
                for (var j = 0; j + 32 <= bytes.Length; j += 32)
                    if (random.Next(2) == 0)
                        Array.Clear(bytes, j, 30);
                var action = Decode(Unknown, selector + Convert.ToHexStringLower(bytes));
                Assert.False(string.IsNullOrWhiteSpace(action.Summary));
            }
        }
    }

    private static string Packed(byte operation, string to, BigInteger value, string dataHex)
    {
        var data = Convert.FromHexString(dataHex.StartsWith("0x", StringComparison.Ordinal) ? dataHex[2..] : dataHex);
        return operation.ToString("x2") + to[2..] + value.ToString("x64")[^64..] + new BigInteger(data.Length).ToString("x64")[^64..] + Convert.ToHexStringLower(data);
    }

    private static string MultiSend(string packed) =>
        Encode("0x8d80ff0a", new ABIValue("bytes", Convert.FromHexString(packed)));

    [Fact]
    public void MultiSend_UnpacksCalls_AndMarksDelegatecalls()
    {
        var transfer = Encode("0xa9059cbb", new ABIValue("address", Bob), new ABIValue("uint256", 1_000_000));
        var packed = Packed(0, Usdc, 0, transfer) + Packed(1, Unknown, 0, "0xdeadbeef") + Packed(0, Bob, BigInteger.Pow(10, 18), "");
        var safe = Alice;
        var exec = Encode("0x6a761202", new ABIValue("address", Unknown), new ABIValue("uint256", 0), new ABIValue("bytes", Convert.FromHexString(MultiSend(packed)[2..])),
            new ABIValue("uint8", 1), new ABIValue("uint256", 0), new ABIValue("uint256", 0), new ABIValue("uint256", 0),
            new ABIValue("address", "0x0000000000000000000000000000000000000000"), new ABIValue("address", "0x0000000000000000000000000000000000000000"), new ABIValue("bytes", Array.Empty<byte>()));

        var action = Decode(safe, exec);
        var multiSend = Assert.Single(action.InnerActions);
        Assert.Equal(CallOperation.DelegateCall, multiSend.Operation);
        Assert.Equal(3, multiSend.InnerActions.Count);
        // Inside a delegatecalled MultiSend, calls are made by the Safe itself.
        Assert.Equal(safe, multiSend.InnerActions[0].Movements.Single().From);
        Assert.Equal(CallOperation.DelegateCall, multiSend.InnerActions[1].Operation);
        Assert.Equal(DecodedActionKind.EthTransfer, multiSend.InnerActions[2].Kind);
        Assert.Equal(safe, multiSend.InnerActions[2].Movements.Single().From);
    }

    [Fact]
    public void MultiSend_WithTruncatedPacking_IsUndecodable()
    {
        var packed = Packed(0, Usdc, 0, "0xa9059cbb");
        var action = Decode(Unknown, MultiSend(packed[..^4]));
        Assert.Equal(DecodedActionKind.Undecodable, action.Kind);
        Assert.Contains("multiSend", action.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedMultiSends_StopAtTheDepthLimit()
    {
        var data = "0x";
        for (var i = 0; i < ActionDecoder.MaxNestingDepth + 3; i++)
            data = MultiSend(Packed(0, Unknown, 0, data));
        var action = Decode(Unknown, data);
        var deepest = action.SelfAndDescendants().Last();
        Assert.Equal(DecodedActionKind.Undecodable, deepest.Kind);
        Assert.Contains("nested", deepest.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Multicall_DecodesEachInnerCall_AgainstTheSameTarget()
    {
        var inner1 = Convert.FromHexString(Encode("0xa9059cbb", new ABIValue("address", Bob), new ABIValue("uint256", 2_000_000))[2..]);
        var inner2 = Convert.FromHexString("deadbeef");
        var action = Decode(Usdc, Encode("0xac9650d8", new ABIValue("bytes[]", new List<byte[]> { inner1, inner2 })));
        Assert.Equal(DecodedActionKind.Batch, action.Kind);
        Assert.Equal([DecodedActionKind.TokenTransfer, DecodedActionKind.UnknownFunction], action.InnerActions.Select(a => a.Kind));
        Assert.All(action.InnerActions, a => Assert.Equal(Usdc, a.Target));
    }

    [Fact]
    public void UpgradeToAndCall_DecodesTheInitializer()
    {
        var init = Convert.FromHexString(Encode("0xf2fde38b", new ABIValue("address", Bob))[2..]);
        var action = Decode(Unknown, Encode("0x4f1ef286", new ABIValue("address", Alice), new ABIValue("bytes", init)));
        Assert.Equal(DecodedActionKind.Upgrade, action.Kind);
        Assert.Equal(DecodedActionKind.AdminChange, action.InnerActions.Single().Kind);
    }

    [Theory]
    [InlineData("1234500000", 6, "1,234.5")]
    [InlineData("1", 18, "0.000000000000000001")]
    [InlineData("0", 6, "0")]
    [InlineData("1000000", 0, "1,000,000")]
    public void TokenAmount_FormatsExactly(string baseUnits, int decimals, string expected) =>
        Assert.Equal(expected, TokenAmount.Format(BigInteger.Parse(baseUnits), decimals));

    private static string Selector(string signature) => "0x" + new Nethereum.Util.Sha3Keccack().CalculateHash(signature)[..8];

    private static string Args(params ABIValue[] values) => Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(values));

    private const string ProposerRole = "0xb09aa5aeb3702cfd50b6b62bc4532604938f21248a27a1d5ca736082b6819cc1";

    public static TheoryData<string, string, DecodedActionKind, string> GovernanceCalls => new()
    {
        { "transferOwnership(address)", Args(new ABIValue("address", Bob)), DecodedActionKind.AdminChange, $"Transfer ownership of {Unknown} to {Bob}" },
        { "upgradeTo(address)", Args(new ABIValue("address", Alice)), DecodedActionKind.Upgrade, $"Upgrade proxy {Unknown} to implementation {Alice}" },
        { "grantRole(bytes32,address)", Args(new ABIValue("bytes32", Convert.FromHexString(ProposerRole[2..])), new ABIValue("address", Bob)), DecodedActionKind.RoleChange, $"Grant PROPOSER_ROLE on {Unknown} to {Bob}" },
        { "revokeRole(bytes32,address)", Args(new ABIValue("bytes32", Convert.FromHexString(ProposerRole[2..])), new ABIValue("address", Bob)), DecodedActionKind.RoleChange, $"Revoke PROPOSER_ROLE on {Unknown} from {Bob}" },
        { "updateDelay(uint256)", Args(new ABIValue("uint256", 172_800)), DecodedActionKind.GovernanceSetting, $"Set the timelock delay of {Unknown} to 172800 s (2 d)" },
        { "setDelay(uint256)", Args(new ABIValue("uint256", 3_600)), DecodedActionKind.GovernanceSetting, $"Set the timelock delay of {Unknown} to 3600 s (1 h)" },
        { "updateQuorumNumerator(uint256)", Args(new ABIValue("uint256", 5)), DecodedActionKind.GovernanceSetting, $"Set the quorum numerator of {Unknown} to 5" },
        { "setVotingPeriod(uint256)", Args(new ABIValue("uint256", 50_400)), DecodedActionKind.GovernanceSetting, $"Set the voting period of {Unknown} to 50400 (blocks or seconds, per the governor's clock)" },
        { "setVotingPeriod(uint32)", Args(new ABIValue("uint32", 50_400)), DecodedActionKind.GovernanceSetting, $"Set the voting period of {Unknown} to 50400 (blocks or seconds, per the governor's clock)" },
        { "_setVotingPeriod(uint256)", Args(new ABIValue("uint256", 17_280)), DecodedActionKind.GovernanceSetting, $"Set the voting period of {Unknown} to 17280 (blocks or seconds, per the governor's clock)" },
    };

    [Theory]
    [MemberData(nameof(GovernanceCalls))]
    public void GovernanceAndAdminCalls_DecodeToTheirKindAndAReadableLine(string signature, string arguments, DecodedActionKind kind, string summary)
    {
        var action = Decode(Unknown, Selector(signature) + arguments);
        Assert.Equal(signature, action.Signature);
        Assert.Equal(kind, action.Kind);
        Assert.Equal(summary, action.Summary);
    }

    [Fact]
    public void PlainEthSend_IsAnEthTransferInEther()
    {
        var action = Decode(Bob, "0x", "1500000000000000000");
        Assert.Equal(DecodedActionKind.EthTransfer, action.Kind);
        Assert.Equal($"Send 1.5 ETH to {Bob}", action.Summary);
        var movement = action.Movements.Single();
        Assert.Equal((TokenStandard.Native, BigInteger.Parse("1500000000000000000")), (movement.Standard, movement.Amount));
    }

    [Fact]
    public void TransferFrom_OnKnownErc20_NamesBothSidesInTokenUnits()
    {
        var action = Decode(Usdc, Encode(Selector("transferFrom(address,address,uint256)"), new ABIValue("address", Alice), new ABIValue("address", Bob), new ABIValue("uint256", 2_500_000)));
        Assert.Equal(DecodedActionKind.TokenTransfer, action.Kind);
        Assert.Equal($"Transfer 2.5 USDC from {Alice} to {Bob}", action.Summary);
    }

    [Fact]
    public void PosterContent_WithNewlines_StaysOneLine()
    {
        var action = Decode(Unknown, Encode("0x0ae1b13d", new ABIValue("string", "line1\nline2\r\n" + new string('x', 5000)), new ABIValue("string", "tag")));
        Assert.DoesNotContain('\n', action.Summary);
        Assert.True(action.Summary.Length < 500);
    }
}
