using GovBot.Chain;

namespace GovBot.Tests.Chain;

public class GovernorTopicsTests
{
    [Theory]
    // Published topic0 values (etherscan) of OpenZeppelin Governor / GovernorBravo / ERC20Votes events.
    [InlineData("ProposalCreated", "0x7d84a6263ae0d98d3329bd7b46bb4e8d6f98cd35a7adb45c274c8b7fd5ebd5e0")]
    [InlineData("VoteCast", "0xb8e138887d0aa13bab447e82de9d5c1777041ecd21ca36ba824ff1e6c07ddda4")]
    [InlineData("ProposalQueued", "0x9a2e42fd6722813d69113e7d0079d3d940171428df7373df9c7f7617cfda2892")]
    [InlineData("ProposalExecuted", "0x712ae1383f79ac853f8d882153778e0260ef8f03b504e2866e0593e04d2b291f")]
    [InlineData("ProposalCanceled", "0x789cf55be980739dad1d0699b93b58e806b51c9d96619bfa8fe0a28abaa7b30c")]
    [InlineData("DelegateChanged", "0x3134e8a2e6d97e929a7e54011ea5485d7d196dd5f0ba4d4ef95803e8e3fc257f")]
    [InlineData("DelegateVotesChanged", "0xdec2bacdd2f05b59de34da9b523dff8be42e5e38e818c82fdb0bae774387a724")]
    public void Topic_MatchesThePublishedEventSignatureHash(string name, string expected)
    {
        var actual = typeof(GovernorTopics).GetField(name)!.GetValue(null);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void All_HoldsEveryGovernorAndTokenTopicOnce()
    {
        Assert.Equal(9, GovernorTopics.All.Count);
        Assert.Equal(GovernorTopics.All.Count, GovernorTopics.All.Distinct().Count());
    }
}
