using System.Numerics;
using System.Text.Json;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Cli;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Treasury;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Treasury;

/// <summary>Balances, the CLI's JSON, and the bad inputs of issue 5 on the shared (read-only) devnet.</summary>
[Collection(DevnetCollection.Name)]
public class TreasuryOnDevnetTests(DevnetFixture devnet)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private DevnetDao BlockDao => devnet.Deployment.Dao(DevnetSeeder.BlockDao);

    private static ChatRequest Chat(string command, params (string Name, string Value)[] arguments) =>
        new(ChatSurface.Console, "console", "tester", command, arguments.ToDictionary(a => a.Name, a => a.Value), "/" + command);

    [Fact]
    public async Task Balances_OfEveryHolderAndToken_AreReadInOneBatch()
    {
        await using var proxy = await RecordingRpcProxy.StartAsync(devnet.Anvil.RpcUrl);
        // A second treasury address: the balances of two holders × (ETH + USDC) still go in one request.
        var second = DevnetAccounts.Addresses[7].ToLowerInvariant();
        await using var host = GovBotTestHost.Create([BlockDao], c => c["Daos"]![0]!["TreasuryAddresses"] = new System.Text.Json.Nodes.JsonArray(second), rpcOverride: proxy.Url.ToString());
        var treasury = host.Services.GetRequiredService<TreasuryService>();
        proxy.Clear();

        var snapshot = await treasury.BalancesAsync(null, Ct);

        var balanceRequests = proxy.Requests.Where(r => r.Contains("eth_getBalance") || r.Contains("eth_call")).ToList();
        var batch = Assert.Single(balanceRequests);
        Assert.Equal(["eth_call", "eth_call", "eth_getBalance", "eth_getBalance"], batch.Order(StringComparer.Ordinal));
        Assert.Equal([BlockDao.Timelock.ToLowerInvariant(), second], snapshot.Holders);
        Assert.Equal(BigInteger.Parse("95000000000000000000"), snapshot.Totals[TreasuryService.Ether] - snapshot.Balances.Single(b => b.Holder == second && b.Token == TreasuryService.Ether).Balance);
        Assert.Equal(975_000_000_000, snapshot.Totals[BlockDao.Usdc.ToLowerInvariant()]);
    }

    [Fact]
    public async Task TreasuryCommand_ShowsTokenUnits_AndTheBlock()
    {
        await using var host = GovBotTestHost.Create([BlockDao]);
        var reply = await host.Services.GetRequiredService<CommandRouter>().HandleAsync(Chat("treasury"), Ct);

        Assert.Equal("95 ETH", reply.Facts.Single(f => f.Name == "ETH").Value);
        Assert.Equal("975,000 USDC", reply.Facts.Single(f => f.Name == "USDC").Value);
        Assert.StartsWith("at block ", reply.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TreasurySimulateJson_HasTheIssueShape_WithBaseUnitDecimalStrings()
    {
        var dao = BlockDao;
        var executed = dao.Proposal(ProposalState.Executed);
        await using var host = GovBotTestHost.Create([dao]);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await GovBotCli.RunAsync(["treasury", "--simulate", executed.Id, "--json", "--config", host.ConfigPath], stdout, stderr, cancellationToken: Ct);

        Assert.True(exit == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal(executed.Id, root.GetProperty("proposalId").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("reverted").ValueKind);
        Assert.Empty(root.GetProperty("reverted").EnumerateArray());
        var actions = root.GetProperty("actions").EnumerateArray().ToArray();
        Assert.Equal(2, actions.Length);
        Assert.All(actions, a => Assert.True(a.GetProperty("success").GetBoolean()));
        Assert.All(actions, a => Assert.True(BigInteger.Parse(a.GetProperty("gasUsed").GetString()!) > 0));
        var grantee = executed.Transfer!.Recipient.ToLowerInvariant();
        var deltas = root.GetProperty("deltas").EnumerateArray().ToArray();
        Assert.All(deltas, d =>
        {
            // base units as decimal strings: uint256 survives any JSON reader
            Assert.Equal(JsonValueKind.String, d.GetProperty("before").ValueKind);
            Assert.Matches("^[0-9]+$", d.GetProperty("after").GetString()!);
        });
        var eth = deltas.Single(d => d.GetProperty("address").GetString() == grantee && d.GetProperty("token").GetString() == TreasuryService.Ether);
        Assert.Equal(executed.Transfer.EthWei, BigInteger.Parse(eth.GetProperty("after").GetString()!) - BigInteger.Parse(eth.GetProperty("before").GetString()!));
        var usdc = deltas.Single(d => d.GetProperty("address").GetString() == grantee && d.GetProperty("token").GetString() == dao.Usdc.ToLowerInvariant());
        Assert.Equal(executed.Transfer.UsdcUnits, BigInteger.Parse(usdc.GetProperty("after").GetString()!) - BigInteger.Parse(usdc.GetProperty("before").GetString()!));
    }

    [Fact]
    public async Task LargeTransferShare_IsConfiguredPerDao()
    {
        // The audit pays 40,000 of the treasury's 975,000 USDC: about 4 %.
        var dao = BlockDao;
        var audit = dao.Proposals.Single(p => p.Sample == "security-audit").Id;
        async Task<IReadOnlyList<RiskFlag>> RisksAsync(decimal? share)
        {
            await using var host = GovBotTestHost.Create([dao], c =>
            {
                if (share is { } s)
                    c["Daos"]![0]!["LargeTransferShare"] = s;
            });
            await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);
            return (await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, audit, Ct)).Risks;
        }

        Assert.DoesNotContain(await RisksAsync(null), r => r.Code == RiskCodes.LargeTransfer);
        var strict = Assert.Single(await RisksAsync(0.03m), r => r.Code == RiskCodes.LargeTransfer);
        Assert.Contains("about 4% of the treasury's balance (threshold 3%)", strict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeWithoutSimulateV1_SaysSoPlainly_WhileBalancesStillWork()
    {
        await using var proxy = await RecordingRpcProxy.StartAsync(devnet.Anvil.RpcUrl, "eth_simulateV1");
        var dao = BlockDao;
        await using var host = GovBotTestHost.Create([dao], rpcOverride: proxy.Url.ToString());
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);
        var id = dao.Proposal(ProposalState.Queued).Id;

        var reply = await host.Services.GetRequiredService<CommandRouter>().HandleAsync(Chat("simulate", ("id", id)), Ct);
        Assert.Equal("Simulation unavailable", reply.Title);
        Assert.Contains("does not support eth_simulateV1", reply.Body, StringComparison.Ordinal);

        using var stderr = new StringWriter();
        var exit = await GovBotCli.RunAsync(["treasury", "--simulate", id, "--config", host.ConfigPath], new StringWriter(), stderr, cancellationToken: Ct);
        Assert.Equal(1, exit);
        Assert.Contains("does not support eth_simulateV1", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await GovBotCli.RunAsync(["treasury", "--json", "--config", host.ConfigPath], new StringWriter(), new StringWriter(), cancellationToken: Ct));
    }

    [Fact]
    public async Task ExecutedProposal_OnANodeThatPrunedTheStateBefore_IsExplained()
    {
        await using var proxy = await RecordingRpcProxy.StartAsync(devnet.Anvil.RpcUrl, ["eth_simulateV1"], -32000, "missing trie node 4f2a… (path ) state 0x9c1e… is not available");
        var dao = BlockDao;
        var executed = dao.Proposal(ProposalState.Executed);
        await using var host = GovBotTestHost.Create([dao], rpcOverride: proxy.Url.ToString());
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);

        var reply = await host.Services.GetRequiredService<CommandRouter>().HandleAsync(Chat("simulate", ("id", executed.Id)), Ct);

        Assert.Equal("Simulation unavailable", reply.Title);
        Assert.Contains("was executed in block", reply.Body, StringComparison.Ordinal);
        Assert.Contains("no longer has the state before it", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenThatDoesNotAnswerDecimals_IsShownInBaseUnits_AndSaysSo()
    {
        var dao = BlockDao;
        await using var host = GovBotTestHost.Create([dao]);
        var context = host.Services.GetRequiredService<DaoRegistry>().Default;
        // The governor and an account with no code answer neither symbol() nor decimals().
        var governor = dao.Governor.ToLowerInvariant();
        var empty = DevnetAccounts.Addresses[8].ToLowerInvariant();

        var metadata = await host.Services.GetRequiredService<TreasuryService>().TokenMetadataAsync(context, [governor, empty, dao.Token.ToLowerInvariant()], Ct);

        Assert.Null(metadata[governor].Decimals);
        Assert.Null(metadata[empty].Decimals);
        Assert.Equal(18, metadata[dao.Token.ToLowerInvariant()].Decimals);
        var shown = TreasuryService.FormatAmount(12_345, metadata[governor].Symbol, metadata[governor].Decimals);
        Assert.Equal($"12345 base units of {Configuration.EthAddress.Short(governor)} (decimals unknown)", shown);
    }

    [Fact]
    public async Task ConfiguredTokenThatDoesNotAnswerBalanceOf_IsNamed_NotACrash()
    {
        var dao = BlockDao;
        await using var host = GovBotTestHost.Create([dao], c => c["Daos"]![0]!["TreasuryTokens"]!.AsArray().Add(
            new System.Text.Json.Nodes.JsonObject { ["Address"] = DevnetAccounts.Addresses[8], ["Symbol"] = "NOPE", ["Decimals"] = 18 }));

        var reply = await host.Services.GetRequiredService<CommandRouter>().HandleAsync(Chat("treasury"), Ct);

        Assert.Equal("did not answer balanceOf", reply.Facts.Single(f => f.Name == "NOPE").Value);
        Assert.Equal("975,000 USDC", reply.Facts.Single(f => f.Name == "USDC").Value);
    }
}
