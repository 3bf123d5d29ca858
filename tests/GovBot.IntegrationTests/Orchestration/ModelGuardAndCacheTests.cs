using System.Text.Json.Nodes;
using GovBot.Digests;
using GovBot.Governance;
using GovBot.Orchestration;
using GovBot.Tests;
using GovBot.Tests.Orchestration;

namespace GovBot.IntegrationTests.Orchestration;

/// <summary>
/// The real SK OpenAI connector against the scripted server, on every path that can put model text in front of a
/// user (/ask, a proposal summary, the digest paragraph), and the prompt-versioned cache behind them.
/// </summary>
public sealed class ModelGuardAndCacheTests
{
    private static Dictionary<string, string?> Llm(ScriptedOpenAiServer server) => new()
    {
        ["Llm:Provider"] = "OpenAICompatible",
        ["Llm:Endpoint"] = server.Endpoint,
        ["Llm:Model"] = "test-model",
        ["Llm:TimeoutSeconds"] = "20",
    };

    private static bool IsAsk(JsonNode request) => request.AsObject().ContainsKey("tools");

    private static bool IsDigest(JsonNode request) =>
        ((string?)request["messages"]![0]!["content"] ?? "").Contains("governance digest", StringComparison.Ordinal);

    private static Digest DigestOf(ProposalView view) => new(view.Proposal.Dao, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-7), [view],
        [new DigestChange(view.Id, view.Title, NotificationKinds.Created, DateTimeOffset.UtcNow.AddHours(-1))], []);

    /// <summary>
    /// The worst model: it repeats the injected proposal text as its own words on every surface (after fetching the
    /// proposal through the plugin on /ask). Nothing the attacker wrote that points anywhere may reach the user.
    /// </summary>
    [Theory]
    [MemberData(nameof(InjectionCorpus.Cases), MemberType = typeof(InjectionCorpus))]
    public async Task ModelThatRepeatsTheInjection_OnAskSummaryAndDigest_DeliversNoAttackerAddressLinkOrName(string name, string injection)
    {
        await using var server = await ScriptedOpenAiServer.StartAsync((request, _) => Task.FromResult<object?>(
            IsAsk(request) && !ScriptedOpenAiServer.HasToolResult(request)
                ? ScriptedOpenAiServer.ToolCall("Governance-get_proposal", new { id = "666" })
                : ScriptedOpenAiServer.Answer($"Proposal 666 is a routine upgrade. {injection}")));
        using var harness = new OrchestrationHarness(Llm(server));
        var view = harness.Data.Add("666", $"# Routine upgrade\n\n## Summary\n{injection}\n", [], ProposalState.Active);

        var answer = await harness.Ask.AskAsync(null, "what does proposal 666 do?", CancellationToken.None);
        var summary = await harness.Summaries.SummarizeAsync(view.Proposal);
        var digest = await harness.Digests.WriteAsync(DigestOf(view), CancellationToken.None);

        Assert.Equal(4, server.RequestCount); // the model wrote all three: nothing fell back to the offline engine
        Assert.True(answer.Flagged, name);
        Assert.True(summary.Flagged, name);
        Assert.Empty(answer.Links);
        foreach (var (surface, text) in new[] { ("ask", answer.Answer), ("summary", summary.Text), ("digest", digest!) })
        {
            Assert.StartsWith("Proposal 666 is a routine upgrade.", text, StringComparison.Ordinal);
            var folded = new string(OutputGuard.Skeleton(text).Skeleton.Where(char.IsAsciiLetterOrDigit).ToArray());
            foreach (var banned in InjectionCorpus.Banned)
                Assert.False(folded.Contains(banned, StringComparison.Ordinal), $"{name}: '{banned}' reached the user through {surface}: {text}");
            Assert.DoesNotContain('\u202E', text);
            Assert.DoesNotContain('\u200B', text);
            Assert.DoesNotContain("\U000E0041", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Digest_GivesTheModelEachOpenProposalsTally_SoVoteCountsItQuotesAreVerified()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync((_, _) => Task.FromResult<object?>(
            ScriptedOpenAiServer.Answer("Proposal 42 leads with 1,500,000 ENS for and 20,000 ENS against; some say 9,000,000 ENS.")));
        using var harness = new OrchestrationHarness(Llm(server));
        var view = harness.Data.AddCorpusProposal("ens-ep-5-16", "42", ProposalState.Active);

        var digest = await harness.Digests.WriteAsync(DigestOf(view), CancellationToken.None);

        var user = (string)server.Requests[0]["messages"]![1]!["content"]!;
        Assert.Contains("Votes: for 1,500,000 ENS, against 20,000 ENS, abstain 5,000 ENS", user, StringComparison.Ordinal);
        Assert.Contains("quorum reached", user, StringComparison.Ordinal);
        Assert.Equal("Proposal 42 leads with 1,500,000 ENS for and 20,000 ENS against; some say 9,000,000 ENS (unverified).", digest);
    }

    [Fact]
    public async Task EditingOnePrompt_SendsOnlyTheOutputsItProducedBackToTheModel()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync((request, _) => Task.FromResult<object?>(ScriptedOpenAiServer.Answer(
            IsAsk(request) ? "One proposal is open: 42." : IsDigest(request) ? "One proposal is open this week." : "Reimburses ENS Labs for the litigation.")));
        using var database = new TestDatabase();
        var prompts = CopyPrompts();
        try
        {
            var data = new InMemoryGovernanceData();
            var view = data.AddCorpusProposal("ens-ep-5-16", "42", ProposalState.Active, block: 20_000_042);
            var digest = DigestOf(view);
            async Task<(bool Summary, bool Answer, int Requests)> RestartAndRunAsync()
            {
                // A fresh host over the same database and prompt folder, as after a deploy: prompts are loaded at start.
                using var harness = new OrchestrationHarness(Llm(server), data, prompts, database);
                var summary = await harness.Summaries.SummarizeAsync(view.Proposal);
                var answer = await harness.Ask.AskAsync(null, "which proposals are open?", CancellationToken.None);
                Assert.NotNull(await harness.Digests.WriteAsync(digest, CancellationToken.None));
                return (summary.FromCache, answer.FromCache, server.RequestCount);
            }

            Assert.Equal((false, false, 3), await RestartAndRunAsync());
            Assert.Equal((true, true, 3), await RestartAndRunAsync()); // every output served from the cache

            Edit(prompts, PromptLibrary.SummarizeProposal, "skprompt.txt");
            Assert.Equal((false, true, 4), await RestartAndRunAsync()); // only the summary reaches the model again
            Assert.False(IsAsk(server.Requests[^1]) || IsDigest(server.Requests[^1]));

            Edit(prompts, PromptLibrary.AnswerQuestion, "config.json");
            Assert.Equal((true, false, 5), await RestartAndRunAsync()); // only the answer
            Assert.True(IsAsk(server.Requests[^1]));

            Edit(prompts, PromptLibrary.WriteDigest, "skprompt.txt");
            Assert.Equal((true, true, 6), await RestartAndRunAsync()); // only the digest
            Assert.True(IsDigest(server.Requests[^1]));
        }
        finally
        {
            Directory.Delete(prompts, recursive: true);
        }
    }

    private static void Edit(string prompts, string name, string file)
    {
        var path = Path.Combine(prompts, name, file);
        var text = File.ReadAllText(path);
        // A real edit each time, still valid JSON / a well-formed template.
        File.WriteAllText(path, file == "config.json"
            ? text.Replace("\"temperature\": 0.1", "\"temperature\": 0.15", StringComparison.Ordinal)
            : text.Replace("</message>", "Be brief.\n</message>", StringComparison.Ordinal));
        Assert.NotEqual(text, File.ReadAllText(path));
    }

    private static string CopyPrompts()
    {
        var source = PromptLibrary.Locate();
        var copy = Directory.CreateTempSubdirectory("govbot-prompts-").FullName;
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }
}
