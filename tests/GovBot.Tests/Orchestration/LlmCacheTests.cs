using GovBot.Orchestration;

namespace GovBot.Tests.Orchestration;

public sealed class LlmCacheTests
{
    [Theory]
    [InlineData("What does #42 do?", "what does 42 do")]
    [InlineData("  what   DOES 42\u200B do ", "what does 42 do")]
    [InlineData("What does 42 do?!", "what does 42 do")]
    public void Question_IsNormalisedBeforeHashing(string question, string normalized)
    {
        Assert.Equal(normalized, LlmCache.NormalizeQuestion(question));
        Assert.Equal(LlmCache.QuestionHash(normalized), LlmCache.QuestionHash(question));
    }

    [Fact]
    public void AnswerKey_ChangesWithEveryPartItDependsOn()
    {
        var key = LlmCache.KeyFor("ENS", "what does 42 do", "v1", "OpenAI:m", 100);

        Assert.Equal(key, LlmCache.KeyFor("ens", "What does #42 do?", "v1", "OpenAI:m", 100));
        Assert.NotEqual(key, LlmCache.KeyFor("ens", "what does 43 do", "v1", "OpenAI:m", 100));
        Assert.NotEqual(key, LlmCache.KeyFor("ens", "what does 42 do", "v2", "OpenAI:m", 100));
        Assert.NotEqual(key, LlmCache.KeyFor("ens", "what does 42 do", "v1", "OpenAI:n", 100));
        Assert.NotEqual(key, LlmCache.KeyFor("ens", "what does 42 do", "v1", "OpenAI:m", 101));
    }

    [Fact]
    public async Task SummaryKey_IsTheDescriptionHash_AndRoundTrips()
    {
        using var db = new TestDatabase();
        var cache = new LlmCache(db.Database, TimeProvider.System);
        var data = new InMemoryGovernanceData();
        var proposal = data.AddCorpusProposal("ens-ep-5-16", "42", GovBot.Governance.ProposalState.Active).Proposal;
        var key = LlmCache.KeyFor(proposal, "v1", "OpenAI:m");

        await cache.PutSummaryAsync(key, "summary", flagged: true, CancellationToken.None);

        Assert.Equal(("summary", true), await cache.GetSummaryAsync(key, CancellationToken.None));
        Assert.Null(await cache.GetSummaryAsync(key with { DescriptionHash = "edited" }, CancellationToken.None));
        Assert.Null(await cache.GetSummaryAsync(key with { Model = "OpenAI:other" }, CancellationToken.None));
    }

    [Fact]
    public async Task AnswerAtNewerBlock_ReplacesTheOlderOnes()
    {
        using var db = new TestDatabase();
        var cache = new LlmCache(db.Database, TimeProvider.System);
        var old = LlmCache.KeyFor("ens", "q", "v1", "m", 100);
        var answer = new CachedAnswer("a", [new Citation("42", 7, "0xabc")], false);

        await cache.PutAnswerAsync(old, answer, CancellationToken.None);
        await cache.PutAnswerAsync(old with { IndexedBlock = 101 }, answer with { Answer = "b" }, CancellationToken.None);

        Assert.Null(await cache.GetAnswerAsync(old, CancellationToken.None));
        var cached = await cache.GetAnswerAsync(old with { IndexedBlock = 101 }, CancellationToken.None);
        Assert.Equal("b", cached!.Answer);
        Assert.Equal(new Citation("42", 7, "0xabc"), Assert.Single(cached.Citations));
    }
}
