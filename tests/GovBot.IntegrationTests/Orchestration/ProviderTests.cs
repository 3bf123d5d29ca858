using GovBot.Governance;
using GovBot.Orchestration;
using GovBot.Tests.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GovBot.IntegrationTests.Orchestration;

/// <summary>Each Llm:Provider reaches its model through Semantic Kernel's real connector, with what that service expects on the wire.</summary>
public sealed class ProviderTests
{
    [Fact]
    public async Task AzureOpenAI_CallsTheDeploymentWithItsApiKeyHeader_AndAnswers()
    {
        var seen = new List<(string Path, string Query, string? ApiKey, string? Authorization)>();
        await using var server = await ScriptedOpenAiServer.StartAsync((request, context) =>
        {
            lock (seen)
                seen.Add((context.Request.Path, context.Request.QueryString.Value ?? "", context.Request.Headers["api-key"], context.Request.Headers.Authorization));
            return Task.FromResult<object?>(ScriptedOpenAiServer.HasToolResult(request)
                ? ScriptedOpenAiServer.Answer("Proposal 42 is active.")
                : ScriptedOpenAiServer.ToolCall("Governance-get_proposal", new { id = "42" }));
        });
        var root = new Uri(server.Endpoint).GetLeftPart(UriPartial.Authority) + "/";
        using var harness = new OrchestrationHarness(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "AzureOpenAI",
            ["Llm:Endpoint"] = root,
            ["Llm:Model"] = "govbot-gpt4o",
            ["Llm:ApiKey"] = "azure-test-key",
        });
        harness.Data.AddCorpusProposal("ens-ep-5-16", "42", ProposalState.Active);

        var answer = await harness.Ask.AskAsync(null, "is proposal 42 passing?", CancellationToken.None);

        Assert.Equal("Proposal 42 is active.", answer.Answer);
        Assert.Equal("AzureOpenAI:govbot-gpt4o", answer.Model);
        Assert.Null(answer.Note);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, s =>
        {
            Assert.Equal("/openai/deployments/govbot-gpt4o/chat/completions", s.Path);
            Assert.Contains("api-version=", s.Query, StringComparison.Ordinal);
            Assert.Equal("azure-test-key", s.ApiKey);
        });
    }

    [Fact]
    public void OpenAI_WithKeyAndModel_IsEnabledUnderItsOwnCacheLabel()
    {
        using var harness = new OrchestrationHarness(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAI",
            ["Llm:Model"] = "gpt-4o-mini",
            ["Llm:ApiKey"] = "sk-test",
        });

        var llm = harness.Services.GetRequiredService<LlmConnection>();

        Assert.True(llm.Enabled);
        Assert.Equal("OpenAI:gpt-4o-mini", llm.Model);
        Assert.NotNull(llm.CreateKernel());
    }

    [Theory]
    [InlineData("AzureOpenAI", "https://x.openai.azure.com/", null, "Llm:ApiKey")]
    [InlineData("AzureOpenAI", "not a url", "azure-secret-123", "Llm:Endpoint")]
    [InlineData("OpenAI", null, null, "Llm:ApiKey")]
    [InlineData("OpenAICompatible", "ftp://127.0.0.1/v1", null, "Llm:Endpoint")]
    public void MissingOrBadSetting_StopsStartWithTheKeyNamed_AndNoSecret(string provider, string? endpoint, string? apiKey, string key)
    {
        var error = Assert.Throws<OptionsValidationException>(() => new OrchestrationHarness(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = provider,
            ["Llm:Model"] = "m",
            ["Llm:Endpoint"] = endpoint,
            ["Llm:ApiKey"] = apiKey,
        }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        if (apiKey is not null)
            Assert.DoesNotContain(apiKey, error.Message, StringComparison.Ordinal);
    }
}
