using GovBot.Chain;
using GovBot.Chat.Commands;
using GovBot.Governance;

namespace GovBot.Tests.Chat;

public sealed class ProposalFormatTests
{
    private const string Tx = "0x5f2c0b3a4e1d9f8c7b6a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a";

    private static IndexedProposal Proposal(string createdTx) =>
        new("ens", "42", "0x" + new string('a', 40), "t", "# t", "0x00", [], "0", "0", 10, createdTx, DateTimeOffset.UnixEpoch);

    private static GovernorProfile Profile(long chainId) =>
        new(chainId, TimestampClock: false, GovernorCounting.Simple, HasQuorumOfTimepoint: true, "ENS", 18);

    [Fact]
    public void Links_OnMainnet_AreTheProposalTransactionOnEtherscan()
    {
        var link = Assert.Single(ProposalFormat.Links(Proposal(Tx), Profile(1)));
        Assert.Equal(("Proposal transaction", "https://etherscan.io/tx/" + Tx), (link.Label, link.Url));
    }

    [Theory]
    [InlineData(31337L, Tx)]
    [InlineData(1L, "")]
    public void Links_WithNoExplorerOrNoTransaction_AreNone(long chainId, string createdTx) =>
        Assert.Empty(ProposalFormat.Links(Proposal(createdTx), Profile(chainId)));
}
