using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Orchestration;

/// <summary>The offline engine and the /proposal summary over the real services, backed by the anvil devnet.</summary>
[Collection("devnet")]
public class OfflineAskOnDevnetTests(DevnetFixture devnet)
{
    private static async Task<GovBotTestHost> IndexedHostAsync(DevnetDao dao)
    {
        var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        return host;
    }

    [Fact]
    public async Task Ask_OpenProposalsAndTreasury_AnswersFromTheChain()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var host = await IndexedHostAsync(dao);
        var ask = host.Services.GetRequiredService<AskService>();

        var open = await ask.AskAsync(null, "which proposals are open?", CancellationToken.None);
        var treasury = await ask.AskAsync(null, "how much is in the treasury?", CancellationToken.None);

        Assert.Contains(dao.Proposal(ProposalState.Active).Title, open.Answer, StringComparison.Ordinal);
        Assert.Contains(dao.Proposal(ProposalState.Pending).Title, open.Answer, StringComparison.Ordinal);
        Assert.DoesNotContain(dao.Proposal(ProposalState.Executed).Title, open.Answer, StringComparison.Ordinal);
        Assert.Contains("95 ETH", treasury.Answer, StringComparison.Ordinal);
        Assert.Contains("975,000 USDC", treasury.Answer, StringComparison.Ordinal);
        Assert.False(treasury.Flagged, treasury.Answer);
    }

    [Fact]
    public async Task ProposalCommand_ShowsTheSummaryWithDecodedActionsInDevnetTokenUnits()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        await using var host = await IndexedHostAsync(dao);
        var executed = dao.Proposal(ProposalState.Executed);
        var router = host.Services.GetRequiredService<IChatCommandHandler>();

        var reply = await router.HandleAsync(new ChatRequest(ChatSurface.Console, "c", "u", "proposal", new Dictionary<string, string> { ["id"] = executed.Id }, ""), CancellationToken.None);

        Assert.Equal(ReplyKind.Ok, reply.Kind);
        Assert.Contains(executed.Title, reply.Title, StringComparison.Ordinal);
        Assert.Contains("25,000 USDC", reply.Body, StringComparison.Ordinal);
        Assert.Contains("5 ETH", reply.Body, StringComparison.Ordinal);
    }
}
