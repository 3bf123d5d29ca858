using System.Diagnostics;
using System.Numerics;
using GovBot.Governance;
using GovBot.Treasury;
using Nethereum.ABI;

namespace GovBot.Tests.Treasury;

public sealed class RiskAssessorTests
{
    private const string Usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    private const string Ens = "0xc18360217d8f7ab5e7c516566761ea12ce7f9d72";
    private const string Bob = "0x2222222222222222222222222222222222222222";
    private const string Carol = "0x4444444444444444444444444444444444444444";
    private readonly ActionDecoder _decoder = new();
    private readonly RiskAssessor _assessor = new();

    private static ProposalAction Transfer(string token, string to, BigInteger amount) =>
        new(token, "0", "", "0xa9059cbb" + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(new ABIValue("address", to), new ABIValue("uint256", amount))));

    private static BigInteger Units(decimal units, int decimals) => TokenAmount.ToBaseUnits(units, decimals)!.Value;

    private IReadOnlyList<RiskFlag> Assess(string description, params ProposalAction[] actions) =>
        _assessor.Assess(_decoder.Decode(actions), description);

    private static string[] MismatchCodes(IReadOnlyList<RiskFlag> flags) =>
        flags.Select(f => f.Code).Where(c => c.StartsWith("DESCRIPTION_", StringComparison.Ordinal) || c.StartsWith("TRANSFER_", StringComparison.Ordinal)).ToArray();

    [Theory]
    [InlineData("Send 50,000 USDC to the grants multisig.", 50_000)]
    [InlineData("A grant of $50,000 USDC.", 50_000)]
    [InlineData("We request 250k USDC.", 250_000)]
    [InlineData("Budget: 1.5M USDC for the year.", 1_500_000)]
    [InlineData("Budget: 1.2 million USDC.", 1_200_000)]
    [InlineData("Total: $125,000 for three phases.", 125_000)]
    public void DescriptionThatStatesTheAmount_IsNotFlagged(string description, decimal units) =>
        Assert.Empty(MismatchCodes(Assess(description, Transfer(Usdc, Bob, Units(units, 6)))));

    [Fact]
    public void DescriptionAmount_DifferentFromCalldata_IsFlaggedBothWays()
    {
        var flags = Assess("Send 50,000 USDC to the grants multisig.", Transfer(Usdc, Bob, Units(5_000_000, 6)));
        Assert.Contains(RiskCodes.AmountNotInActions, MismatchCodes(flags));
        Assert.Contains(RiskCodes.TransferAmountNotInDescription, MismatchCodes(flags));
    }

    [Fact]
    public void ExtraTransferTheTextNeverStates_IsFlagged()
    {
        var flags = Assess("Send 50,000 USDC to Bob.", Transfer(Usdc, Bob, Units(50_000, 6)), Transfer(Usdc, Carol, Units(2_000_000, 6)));
        var flag = Assert.Single(flags, f => f.Code == RiskCodes.TransferAmountNotInDescription);
        Assert.Contains(Carol, flag.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GrantSplitAcrossSentences_MatchesTheTotal()
    {
        var ethSend = new ProposalAction(Bob, Units(6_000, 18).ToString(), "", "0x");
        Assert.Empty(MismatchCodes(Assess("1. 1,000 ETH swap now. 2. 5,000 ETH swap via TWAP.", ethSend)));
    }

    [Fact]
    public void TokenTheTextNeverMentions_IsFlagged()
    {
        var flags = Assess("Send 50,000 USDC to Bob.", Transfer(Usdc, Bob, Units(50_000, 6)), Transfer(Ens, Bob, Units(10_000, 18)));
        Assert.Contains(RiskCodes.UnmentionedTransfer, MismatchCodes(flags));
    }

    [Fact]
    public void RecipientNamedInTextButAbsentFromActions_IsFlagged()
    {
        var flags = Assess($"Send 50,000 USDC. Recipient: {Carol}", Transfer(Usdc, Bob, Units(50_000, 6)));
        var flag = Assert.Single(flags, f => f.Code == RiskCodes.RecipientNotInActions);
        Assert.Contains(Carol, flag.Reason, StringComparison.Ordinal);
        Assert.Empty(MismatchCodes(Assess($"Send 50,000 USDC. Recipient: {Bob}", Transfer(Usdc, Bob, Units(50_000, 6)))));
    }

    [Fact]
    public void HugeHostileDescription_IsBoundedAndDoesNotThrow()
    {
        var hostile = string.Concat(Enumerable.Repeat("1,000,000,000,000.9999 $$ 0x" + new string('a', 39) + " ", 200_000));
        var stopwatch = Stopwatch.StartNew();
        var flags = Assess(hostile, Transfer(Usdc, Bob, Units(1, 6)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.NotNull(flags);
    }

    [Fact]
    public void UnlimitedApproval_IsHigh()
    {
        var approve = new ProposalAction(Usdc, "0", "", "0x095ea7b3" + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(new ABIValue("address", Bob), new ABIValue("uint256", TokenAmount.MaxUint256))));
        var flag = Assert.Single(Assess("", approve));
        Assert.Equal((RiskSeverity.High, RiskCodes.UnlimitedApproval), (flag.Severity, flag.Code));
    }

    [Fact]
    public void TransferAboveTreasuryShare_IsFlagged_AndBelowIsNot()
    {
        var balances = new Dictionary<string, BigInteger> { [Usdc] = Units(1_000_000, 6) };
        var large = _assessor.Assess(_decoder.Decode([Transfer(Usdc, Bob, Units(150_000, 6))]), null, balances);
        Assert.Contains(large, f => f.Code == RiskCodes.LargeTransfer && f.Reason.Contains("15%", StringComparison.Ordinal));
        var small = _assessor.Assess(_decoder.Decode([Transfer(Usdc, Bob, Units(50_000, 6))]), null, balances);
        Assert.DoesNotContain(small, f => f.Code == RiskCodes.LargeTransfer);
        var strict = new RiskAssessor(new RiskOptions { TreasuryShareThreshold = 0.01m });
        Assert.Contains(strict.Assess(_decoder.Decode([Transfer(Usdc, Bob, Units(50_000, 6))]), null, balances), f => f.Code == RiskCodes.LargeTransfer);
    }

    [Fact]
    public void CallToAddressWithoutCode_IsFlagged_ButPlainEthSendIsNot()
    {
        var codeless = new HashSet<string> { Bob };
        var call = new ProposalAction(Bob, "0", "", "0xdeadbeef");
        Assert.Contains(_assessor.Assess(_decoder.Decode([call]), null, null, codeless), f => f.Code == RiskCodes.NoCodeTarget);
        var send = new ProposalAction(Bob, "1", "", "0x");
        Assert.DoesNotContain(_assessor.Assess(_decoder.Decode([send]), null, null, codeless), f => f.Code == RiskCodes.NoCodeTarget);
    }

    [Fact]
    public void OwnershipUpgradeAndRoleChanges_AreFlagged()
    {
        string Call(string selector, params ABIValue[] values) => selector + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(values));
        var flags = Assess("",
            new ProposalAction(Carol, "0", "", Call("0xf2fde38b", new ABIValue("address", Bob))),
            new ProposalAction(Carol, "0", "", Call("0x3659cfe6", new ABIValue("address", Bob))),
            new ProposalAction(Carol, "0", "", Call("0x2f2ff15d", new ABIValue("bytes32", new byte[32]), new ABIValue("address", Bob))));
        Assert.Equal([RiskCodes.AdminChange, RiskCodes.RoleChange, RiskCodes.Upgrade], flags.Select(f => f.Code).Order(StringComparer.Ordinal));
        Assert.Contains("DEFAULT_ADMIN_ROLE", flags.Single(f => f.Code == RiskCodes.RoleChange).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CorpusEp6_38_DelegatecallToUnlistedMultiSend_IsHigh_WhileKnownLibraryIsInfo()
    {
        var unlisted = _assessor.Assess(_decoder.Decode(Corpus.Actions("ens-ep-6-38")));
        Assert.Contains(unlisted, f => f.Code == RiskCodes.DelegateCall && f.Severity == RiskSeverity.High);
        var known = _assessor.Assess(_decoder.Decode(Corpus.Actions("ens-ep-6-8")));
        Assert.Contains(known, f => f.Code == RiskCodes.DelegateCall && f.Severity == RiskSeverity.Info);
    }
}
