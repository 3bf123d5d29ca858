using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Orchestration;

/// <summary>
/// The whole /ask loop with a model: SK's real OpenAI connector against the scripted chat-completions server, the
/// governance plugin over GovernanceService, and the data from the anvil devnet, through the host the CLI builds.
/// </summary>
[Collection("devnet")]
public sealed class ModelAskOnDevnetTests(DevnetFixture devnet)
{
    [Fact]
    public async Task Ask_ModelCallsTheGovernancePlugin_AndTheAnswerCarriesChainDataFromAnvil()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var executed = dao.Proposal(ProposalState.Executed);
        await using var server = await ScriptedOpenAiServer.StartAsync((request, _) =>
        {
            if (!ScriptedOpenAiServer.HasToolResult(request))
                return Task.FromResult<object?>(ScriptedOpenAiServer.ToolCall("Governance-get_proposal", new { id = executed.Id }));
            var result = JsonNode.Parse(ScriptedOpenAiServer.LastToolResult(request))!;
            return Task.FromResult<object?>(ScriptedOpenAiServer.Answer(
                $"{result["title_untrusted"]} is {result["state"]}; it was created in block {result["created_block"]} (tx {result["created_tx"]})."));
        });
        await using var host = GovBotTestHost.Create([dao], config => config["Llm"] = server.LlmSection());
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        var indexed = await host.Services.GetRequiredService<GovernanceService>().GetAsync(null, executed.Id, CancellationToken.None);

        var answer = await host.Services.GetRequiredService<AskService>().AskAsync(null, $"What happened to proposal {executed.Id}?", CancellationToken.None);

        Assert.Equal(2, server.RequestCount);
        Assert.Contains(executed.Title, answer.Answer, StringComparison.Ordinal);
        Assert.Contains("executed", answer.Answer, StringComparison.Ordinal);
        Assert.Contains(indexed.Proposal.CreatedTx, answer.Answer, StringComparison.Ordinal);
        Assert.Contains(answer.Citations, c => c.ProposalId == executed.Id && c.Block == indexed.Proposal.CreatedBlock);
        Assert.Equal("OpenAICompatible:test-model", answer.Model);
    }
}
