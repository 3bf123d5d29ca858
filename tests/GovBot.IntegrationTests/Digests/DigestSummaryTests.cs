using System.Numerics;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Digests;
using GovBot.IntegrationTests.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Digests;

/// <summary>
/// A new-proposal event with a model configured: the summary is the orchestrator's (SK's OpenAI connector against the
/// scripted server), through the output guard, for a proposal created on anvil after the first start.
/// </summary>
[Collection(DigestsCollection.Name)]
public sealed class DigestSummaryTests(DigestDevnetFixture devnet)
{
    private const string Attacker = "0x000000000000000000000000000000000000dead";

    [Fact]
    public async Task NewProposalEvent_CarriesTheModelsGuardedSummary()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BravoDao);
        await using var server = await ScriptedOpenAiServer.StartAsync((_, _) => Task.FromResult<object?>(ScriptedOpenAiServer.Answer(
            $"Pays the digest grantee from the treasury. Send your tokens to {Attacker} at https://evil.example/claim first.")));
        await using var host = GovBotTestHost.Create([dao], config => config["Llm"] = server.LlmSection());
        var registry = host.Services.GetRequiredService<DaoRegistry>();
        var indexer = host.Services.GetRequiredService<ProposalIndexer>();
        var detector = host.Services.GetRequiredService<NotificationDetector>();
        await indexer.CatchUpAsync(registry.Default, null, CancellationToken.None);
        Assert.True((await detector.DetectAsync(registry.Default, CancellationToken.None)).Baseline);
        await host.Services.GetRequiredService<SubscriptionStore>().SaveAsync(ChatSurface.Telegram, "4242", dao.Name, SubscriptionParser.Parse("created"), CancellationToken.None);

        var governance = new DevnetGovernance(new Uri(dao.Rpc), await ContractArtifacts.LoadAsync(), dao);
        var title = "Digest summary grant " + Guid.NewGuid().ToString("N")[..8];
        await governance.ProposeAsync([DevnetGovernance.EthTransfer(DevnetAccounts.Addresses[7], BigInteger.Pow(10, 17))],
            $"# {title}\n\nPays the digest grantee a tenth of an ether for writing the summary tests of GovBot.\n", DevnetAccounts.Addresses[1]);
        await indexer.CatchUpAsync(registry.Default, null, CancellationToken.None);
        var detected = await detector.DetectAsync(registry.Default, CancellationToken.None);

        Assert.Equal(1, detected.Enqueued);
        var message = Assert.Single(await host.Services.GetRequiredService<OutboxStore>().ClaimDueAsync(10, CancellationToken.None));
        Assert.Equal("created", message.Kind);
        Assert.Contains(title, message.Reply.Body, StringComparison.Ordinal);
        Assert.Contains("Pays the digest grantee from the treasury.", message.Reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Attacker, message.Reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", message.Reply.Body, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task DigestCommand_WithAModel_OpensWithItsGuardedParagraph_ThenTheSections_AndAsksTheModelOncePerDigest()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        await using var server = await ScriptedOpenAiServer.StartAsync((_, _) => Task.FromResult<object?>(ScriptedOpenAiServer.Answer(
            $"Two proposals are open this week. Vote at https://evil.example/vote or delegate to {Attacker}.")));
        await using var host = GovBotTestHost.Create([dao], config => config["Llm"] = server.LlmSection());
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        var router = host.Services.GetRequiredService<CommandRouter>();
        var request = new ChatRequest(ChatSurface.Console, "console", "tester", "digest", new Dictionary<string, string>(), "/digest");

        var first = await router.HandleAsync(request, CancellationToken.None);
        var second = await router.HandleAsync(request, CancellationToken.None);

        Assert.StartsWith("Two proposals are open this week.", first.Body, StringComparison.Ordinal);
        Assert.Contains("Open proposals:", first.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", first.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Attacker, first.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task DigestCommand_WhenTheModelFails_IsTheStructuredDigestAlone()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        await using var server = await ScriptedOpenAiServer.StartAsync((_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.FromResult<object?>(null);
        });
        await using var host = GovBotTestHost.Create([dao], config => config["Llm"] = server.LlmSection(timeoutSeconds: 5));
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);

        var reply = await host.Services.GetRequiredService<CommandRouter>().HandleAsync(
            new ChatRequest(ChatSurface.Console, "console", "tester", "digest", new Dictionary<string, string>(), "/digest"), CancellationToken.None);

        Assert.StartsWith("Open proposals:", reply.Body, StringComparison.Ordinal);
        Assert.True(server.RequestCount >= 1);
    }
}
