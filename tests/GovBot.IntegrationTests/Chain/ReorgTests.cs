using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Chain;

[Collection(MutableDevnetCollection.Name)]
public class ReorgTests(MutableDevnetFixture devnet)
{
    [Fact]
    public async Task Indexer_AfterAReorg_RollsBackToTheCommonAncestorAndMatchesACleanIndexOfTheNewChain()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var chain = new DevnetChain(devnet.Anvil.RpcUrl);
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var active = dao.Proposal(ProposalState.Active);
        var voter = DevnetAccounts.Addresses[1];

        var fork = await chain.SnapshotAsync();
        await governance.VoteAsync(active.Id, 1, voter, "on the branch that will vanish");
        await chain.MineAsync(3);
        await using var host = GovBotTestHost.Create([dao]);
        var indexer = host.Services.GetRequiredService<ProposalIndexer>();
        var context = host.Services.GetRequiredService<DaoRegistry>().Default;
        await indexer.CatchUpAsync(context, null, CancellationToken.None);
        var before = await host.Services.GetRequiredService<GovernanceService>().VotesAsync(null, active.Id, CancellationToken.None);
        Assert.Contains(before.Votes, v => v.Voter == voter.ToLowerInvariant() && v.Support == VoteSupport.For);

        Assert.True(await chain.RevertAsync(fork));
        await governance.VoteAsync(active.Id, 0, voter, "on the canonical branch");
        await chain.MineAsync(6);

        var result = await indexer.CatchUpAsync(context, null, CancellationToken.None);

        Assert.True(result.Reorged);
        var after = await host.Services.GetRequiredService<GovBot.Storage.GovernanceQueries>().VotesAsync(dao.Name, active.Id, CancellationToken.None);
        var vote = Assert.Single(after, v => v.Voter == voter.ToLowerInvariant());
        Assert.Equal(VoteSupport.Against, vote.Support);
        Assert.Equal("on the canonical branch", vote.Reason);

        await using var clean = GovBotTestHost.Create([dao]);
        await clean.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(clean.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        Assert.Equal(
            await DatabaseDump.DumpAsync(clean.DatabasePath, tables: DatabaseDump.EventTables),
            await DatabaseDump.DumpAsync(host.DatabasePath, tables: DatabaseDump.EventTables));
    }
}
