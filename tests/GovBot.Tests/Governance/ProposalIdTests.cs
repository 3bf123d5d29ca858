using GovBot.Governance;

namespace GovBot.Tests.Governance;

public sealed class ProposalIdTests
{
    private const string OzId = "81188274776520934277059358666571471038630411505118522877041021979609713494302";

    [Theory]
    [InlineData("42", "42")]
    [InlineData("#42", "42")]
    [InlineData(" 007 ", "7")]
    [InlineData(OzId, OzId)]
    public void ParseProposalId_WholeIds_AreCanonicalDecimal(string text, string expected) =>
        Assert.Equal(expected, GovernanceService.ParseProposalId(text));

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("4 2")]
    [InlineData("0x2a")]
    [InlineData("")]
    [InlineData("1…2")]
    public void ParseProposalId_Malformed_IsAUserErrorNamingTheInput(string text)
    {
        var error = Assert.Throws<UserInputException>(() => GovernanceService.ParseProposalId(text));
        Assert.Contains("not a proposal id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortId_RoundTrips_ThroughTryParseShortId()
    {
        var shown = "#" + GovernanceService.ShortId(OzId);
        Assert.Equal("#811882…494302", shown);

        Assert.True(GovernanceService.TryParseShortId(shown, out var head, out var tail));
        Assert.Equal(("811882", "494302"), (head, tail));
        Assert.True(GovernanceService.TryParseShortId("811882...494302", out head, out tail));
        Assert.Equal(("811882", "494302"), (head, tail));
        GovernanceService.CheckProposalId(shown);
    }

    [Theory]
    [InlineData("81188…494302")] // a head shorter than ShortId's six digits matches too much
    [InlineData("811882…")]
    [InlineData("811882…49x302")]
    [InlineData("811882…494302…1")]
    [InlineData("…494302")]
    [InlineData("811882 … 494302")]
    public void TryParseShortId_RejectsAnythingButDigitsEllipsisDigits(string text)
    {
        Assert.False(GovernanceService.TryParseShortId(text, out _, out _));
        Assert.Throws<UserInputException>(() => GovernanceService.CheckProposalId(text));
    }
}
