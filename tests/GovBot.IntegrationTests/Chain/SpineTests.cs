using System.Text.Json;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Cli;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Chain;

[Collection("devnet")]
public class SpineTests(DevnetFixture devnet)
{
    private static CancellationToken Ct => CancellationToken.None;

    private static async Task<IndexRunResult> IndexAsync(GovBotTestHost host, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var registry = host.Services.GetRequiredService<DaoRegistry>();
        return await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(registry.Default, progress, cancellationToken);
    }

    [Theory]
    [InlineData(DevnetSeeder.BlockDao)]
    [InlineData(DevnetSeeder.TimestampDao)]
    [InlineData(DevnetSeeder.BravoDao)]
    public async Task Indexer_OnEachGovernorKind_ReadsEverySeededProposalInItsState(string daoName)
    {
        var dao = devnet.Deployment.Dao(daoName);
        await using var host = GovBotTestHost.Create([dao]);
        await IndexAsync(host);

        var governance = host.Services.GetRequiredService<GovernanceService>();
        var views = await governance.ListAsync(null, null, 100, Ct);

        Assert.Equal(dao.Proposals.Count, views.Count);
        foreach (var seeded in dao.Proposals)
        {
            var view = Assert.Single(views, v => v.Id == seeded.Id);
            Assert.Equal(seeded.ExpectedState, view.State);
            Assert.Equal(seeded.Title, view.Title);
            Assert.Equal(seeded.Description, view.Proposal.Description);
            Assert.NotNull(view.EndsAt);
        }

        Assert.Equal(daoName == DevnetSeeder.TimestampDao, !views[0].TimesAreEstimates);
        var executed = dao.Proposal(ProposalState.Executed);
        var (_, votes) = await governance.VotesAsync(null, executed.Id, Ct);
        Assert.NotEmpty(votes);
        Assert.Contains(votes, v => v.Reason.Length > 0);
        Assert.True(views.Single(v => v.Id == executed.Id).Tally.For > 0);
    }

    [Fact]
    public async Task Indexer_DelegatesLeaderboard_MatchesSeededVotingPower()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var host = GovBotTestHost.Create([dao]);
        await IndexAsync(host);

        var delegates = await host.Services.GetRequiredService<GovernanceService>().DelegatesAsync(null, 100, Ct);

        foreach (var holder in dao.Holders.Where(h => h.VotingPower > 0))
            Assert.Equal(holder.VotingPower, Assert.Single(delegates, d => d.Address == holder.Address.ToLowerInvariant()).Votes);
    }

    [Fact]
    public async Task Indexer_RunTwice_SecondRunReadsNothingNewAndChangesNothing()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var host = GovBotTestHost.Create([dao]);
        var first = await IndexAsync(host);
        var before = await DatabaseDump.DumpAsync(host.DatabasePath);

        var second = await IndexAsync(host);

        Assert.True(first.Events > 0);
        Assert.Equal(0, second.Events);
        Assert.Equal(before, await DatabaseDump.DumpAsync(host.DatabasePath));
    }

    [Fact]
    public async Task Indexer_OneRequestPerRange_WhenNothingFails()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var host = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["MaxBlockRange"] = 100);
        var rpc = host.Services.GetRequiredService<DaoRegistry>().Default.Rpc;

        var result = await IndexAsync(host);

        // One batch (eth_getLogs + the range end's header) per range; the probe and the head ride along with the first.
        Assert.True(result.Ranges > 10);
        Assert.Equal(result.Ranges, rpc.RequestCount);
    }

    [Fact]
    public async Task Indexer_LessThanARangeFromTheHead_RefetchesAtTheRightSize_AndWithNothingNewSendsOneRequest()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var folder = Directory.CreateTempSubdirectory("govbot-it-").FullName;
        await using var behind = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["Confirmations"] = 150, folder: folder);
        await IndexAsync(behind);
        await using var host = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["MaxBlockRange"] = 1000, folder: folder);
        var rpc = host.Services.GetRequiredService<DaoRegistry>().Default.Rpc;
        await using var clean = GovBotTestHost.Create([dao]);
        await IndexAsync(clean);

        // 150 blocks to go, a 1,000-block guess: the guess reaches past the head, so the range is fetched again.
        var result = await IndexAsync(host);
        Assert.Equal(1, result.Ranges);
        Assert.Equal(2, rpc.RequestCount);
        Assert.Equal(
            await DatabaseDump.DumpAsync(clean.DatabasePath, tables: DatabaseDump.EventTables),
            await DatabaseDump.DumpAsync(host.DatabasePath, tables: DatabaseDump.EventTables));

        var again = await IndexAsync(host);
        Assert.Equal(0, again.Ranges);
        Assert.Equal(3, rpc.RequestCount);
    }

    [Fact]
    public async Task Indexer_KilledMidway_ResumesToTheSameStateAsAnUninterruptedRun()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var clean = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["MaxBlockRange"] = 23);
        await IndexAsync(clean);

        await using var crashed = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["MaxBlockRange"] = 23);
        using var kill = new CancellationTokenSource();
        // Killed right after the first commit. A commit takes at most the 16 ranges the reader holds ahead plus the one it
        // is writing, so the chain must have well over 17 ranges (≈ 46 here) or one commit can take all of it (it did, with 97).
        var reports = 0;
        var progress = new SynchronousProgress<IndexProgress>(_ =>
        {
            if (++reports == 2)
                kill.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IndexAsync(crashed, progress, kill.Token));
        var partial = await DatabaseDump.DumpAsync(crashed.DatabasePath);

        await IndexAsync(crashed);

        Assert.NotEqual(partial, await DatabaseDump.DumpAsync(crashed.DatabasePath));
        Assert.Equal(await DatabaseDump.DumpAsync(clean.DatabasePath), await DatabaseDump.DumpAsync(crashed.DatabasePath));
    }

    [Fact]
    public async Task Indexer_ThroughAFlakyRpc_EndsIdenticalToACleanRun()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BravoDao);
        await using var clean = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["MaxBlockRange"] = 100);
        await IndexAsync(clean);
        await using var proxy = await FlakyRpcProxy.StartAsync(new Uri(dao.Rpc), seed: 42, faultRate: 0.3, hang: TimeSpan.FromSeconds(30));
        await using var flaky = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["MaxBlockRange"] = 100, rpcOverride: proxy.Url.ToString(),
            services: s => s.AddSingleton(new RpcRetryPolicy(MaxAttempts: 12, BaseDelay: TimeSpan.FromMilliseconds(10), MaxDelay: TimeSpan.FromMilliseconds(100), RequestTimeout: TimeSpan.FromSeconds(1))));

        await IndexAsync(flaky);

        Assert.True(proxy.Faults >= 5, $"only {proxy.Faults} faults were injected");
        Assert.True(proxy.FaultCounts.Count >= 4, "every fault kind should occur: " + string.Join(", ", proxy.FaultCounts));
        Assert.Equal(await DatabaseDump.DumpAsync(clean.DatabasePath), await DatabaseDump.DumpAsync(flaky.DatabasePath));
    }

    [Fact]
    public async Task Cli_ProposalsJson_PrintsOneDocumentWithTheContractFields()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        await using var host = GovBotTestHost.Create([dao]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await GovBotCli.RunAsync(["proposals", "--json", "--config", host.ConfigPath], stdout, stderr, cancellationToken: Ct);

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(stdout.ToString());
        var proposals = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(dao.Proposals.Count, proposals.Count);
        foreach (var p in proposals)
        {
            foreach (var field in new[] { "id", "title", "state", "proposer", "forVotes", "againstVotes", "abstainVotes", "quorum", "voteStart", "voteEnd", "endsAt" })
                Assert.True(p.TryGetProperty(field, out _), $"missing {field}");
            Assert.Equal(JsonValueKind.String, p.GetProperty("forVotes").ValueKind);
            Assert.Equal(p.GetProperty("state").GetString(), p.GetProperty("state").GetString()!.ToLowerInvariant());
        }

        var executed = dao.Proposal(ProposalState.Executed);
        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, await GovBotCli.RunAsync(["proposal", executed.Id, "--json", "--config", host.ConfigPath], stdout, stderr, cancellationToken: Ct));
        using var one = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("executed", one.RootElement.GetProperty("state").GetString());
        Assert.Equal(executed.Description, one.RootElement.GetProperty("description").GetString());
        Assert.NotEmpty(one.RootElement.GetProperty("actions").EnumerateArray());

        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, await GovBotCli.RunAsync(["votes", executed.Id, "--json", "--config", host.ConfigPath], stdout, stderr, cancellationToken: Ct));
        using var votes = JsonDocument.Parse(stdout.ToString());
        var vote = votes.RootElement.EnumerateArray().First();
        Assert.Contains(vote.GetProperty("support").GetString(), new[] { "for", "against", "abstain" });
        Assert.StartsWith("0x", vote.GetProperty("tx").GetString(), StringComparison.Ordinal);

        // /ask makes the same signed delegation link as /delegate, through the real DelegationService.
        var delegatee = DevnetAccounts.Addresses[3].ToLowerInvariant();
        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, await GovBotCli.RunAsync(["ask", $"delegate my votes to {delegatee}", "--json", "--config", host.ConfigPath], stdout, stderr, cancellationToken: Ct));
        using var ask = JsonDocument.Parse(stdout.ToString());
        var link = Assert.Single(ask.RootElement.GetProperty("links").EnumerateArray());
        Assert.Contains("/delegate/", link.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Contains(delegatee, ask.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.False(ask.RootElement.GetProperty("flagged").GetBoolean());
    }

    [Theory]
    [InlineData("proposal", "123456789", "No proposal")]
    [InlineData("proposal", "-1", "not a proposal id")]
    [InlineData("voter", "0x12", "not an address")]
    [InlineData("proposals", "--dao=nope", "Unknown DAO")]
    public async Task Cli_BadInput_ExitsWith2AndOneClearLine(string verb, string argument, string expected)
    {
        await using var host = GovBotTestHost.Create([devnet.Deployment.Dao(DevnetSeeder.BlockDao)]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await GovBotCli.RunAsync([verb, argument, "--config", host.ConfigPath], stdout, stderr, cancellationToken: Ct);

        Assert.Equal(2, exit);
        var output = stderr.ToString() + stdout;
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WrongChainIdOrNotAGovernor_ExitsWith2NamingTheKey()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var wrongChain = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["ChainId"] = 5);
        await using var notGovernor = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["Governor"] = dao.Token);
        var stderr = new StringWriter();

        Assert.Equal(2, await GovBotCli.RunAsync(["proposals", "--config", wrongChain.ConfigPath], new StringWriter(), stderr, cancellationToken: Ct));
        Assert.Contains("ChainId", stderr.ToString(), StringComparison.Ordinal);
        stderr.GetStringBuilder().Clear();
        Assert.Equal(2, await GovBotCli.RunAsync(["proposals", "--config", notGovernor.ConfigPath], new StringWriter(), stderr, cancellationToken: Ct));
        Assert.Contains("not a governor", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(notGovernor.DatabasePath) && (await DatabaseDump.DumpAsync(notGovernor.DatabasePath)).Contains("proposals\n0x", StringComparison.Ordinal));
    }
}

/// <summary>Progress that reports on the caller's thread, so a test can cancel at an exact point.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
