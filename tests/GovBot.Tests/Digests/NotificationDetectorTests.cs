using System.Numerics;
using Dapper;
using GovBot.Chat;
using GovBot.Digests;
using GovBot.Governance;

namespace GovBot.Tests.Digests;

public sealed class NotificationDetectorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);
    private readonly DigestTestServices _services = new(Now);

    private static ProposalView View(string id, ProposalState state, long forVotes = 0, long againstVotes = 0, DateTimeOffset? endsAt = null) => new(
        new IndexedProposal(DigestTestServices.Dao, id, "0x" + new string('a', 40), $"Proposal {id}", $"# Proposal {id}\nFund the <b>thing</b>.", "0x00",
            [], "0", "0", 10, "0xabc", Now.AddDays(-2)),
        state, new Tally(forVotes * Token, againstVotes * Token, BigInteger.Zero), 100 * Token, QuorumCountsAbstain: true,
        Now.AddDays(-1), endsAt ?? Now.AddDays(3), TimesAreEstimates: false, Eta: null);

    private static ILookup<string, string> NoLifecycle => Array.Empty<(string, string)>().ToLookup(x => x.Item1, x => x.Item2);

    private async Task SubscribeAsync(string chatId, string events = "all")
    {
        await _services.Get<SubscriptionStore>().SaveAsync(ChatSurface.Telegram, chatId, DigestTestServices.Dao, SubscriptionParser.Parse(events), CancellationToken.None);
    }

    private async Task<List<(string ChatId, string Kind)>> OutboxAsync()
    {
        await using var connection = await _services.Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<(string, string)>("SELECT chat_id, kind FROM outbox ORDER BY id")).ToList();
    }

    private Task<DetectionResult> RecordAsync(bool baseline, params ProposalView[] views) =>
        _services.Get<NotificationDetector>().RecordAsync(DigestTestServices.Dao, 100, baseline, views, NoLifecycle, DigestTestServices.Profile, CancellationToken.None);

    [Fact]
    public async Task FirstStart_MarksEverythingSeen_AndPostsNothing()
    {
        await SubscribeAsync("1");
        var first = await RecordAsync(baseline: true, View("1", ProposalState.Active, forVotes: 150), View("2", ProposalState.Defeated, againstVotes: 5));

        Assert.True(first.Baseline);
        Assert.Equal(5, first.Recorded); // created+active+quorum for 1; created+result for 2
        Assert.Empty(await OutboxAsync());

        // Nothing changed: a second pass records and posts nothing.
        var second = await RecordAsync(baseline: false, View("1", ProposalState.Active, forVotes: 150), View("2", ProposalState.Defeated, againstVotes: 5));
        Assert.Equal(0, second.Recorded);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task NewEvents_AreQueuedOncePerSubscribedChat_RespectingFilters()
    {
        await SubscribeAsync("1");
        await SubscribeAsync("2", "result");
        await SubscribeAsync("3", "created,active");
        await RecordAsync(baseline: true);

        await RecordAsync(baseline: false, View("7", ProposalState.Pending));
        await RecordAsync(baseline: false, View("7", ProposalState.Active, endsAt: Now.AddHours(20)));
        await RecordAsync(baseline: false, View("7", ProposalState.Active, endsAt: Now.AddHours(20))); // again: nothing new
        _services.Time.Advance(TimeSpan.FromDays(1));
        await RecordAsync(baseline: false, View("7", ProposalState.Succeeded, forVotes: 120));

        var outbox = await OutboxAsync();
        Assert.Equal(["created", "active", "ending", "result"], outbox.Where(o => o.ChatId == "1").Select(o => o.Kind));
        Assert.Equal(["result"], outbox.Where(o => o.ChatId == "2").Select(o => o.Kind));
        Assert.Equal(["created", "active"], outbox.Where(o => o.ChatId == "3").Select(o => o.Kind));
    }

    [Fact]
    public async Task ResultEvent_CarriesTheTallyAndAPngChart()
    {
        await SubscribeAsync("1");
        await RecordAsync(baseline: true, View("9", ProposalState.Active));
        await RecordAsync(baseline: false, View("9", ProposalState.Defeated, forVotes: 30, againstVotes: 80));

        var claimed = await _services.Get<OutboxStore>().ClaimDueAsync(10, CancellationToken.None);
        var message = Assert.Single(claimed);
        Assert.Equal("result", message.Kind);
        Assert.Contains("defeated", message.Reply.Title, StringComparison.Ordinal);
        Assert.Contains(message.Reply.Facts, f => f.Name == "Votes" && f.Value.Contains("Against 80", StringComparison.Ordinal));
        var png = message.Reply.Image!.Png;
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Empty(message.Reply.Links); // a devnet has no explorer: no made-up links
    }

    [Fact]
    public async Task NewProposalEvent_CarriesTheOrchestratorsSummary_AndOnlyNewProposalsAskForOne()
    {
        await SubscribeAsync("1");
        await RecordAsync(baseline: true, View("5", ProposalState.Active));
        var asked = new List<string>();
        Task<string> Summarize(ProposalView view, CancellationToken _)
        {
            asked.Add(view.Id);
            return Task.FromResult($"Model summary of {view.Id}.");
        }

        await _services.Get<NotificationDetector>().RecordAsync(DigestTestServices.Dao, 100, baseline: false,
            [View("5", ProposalState.Succeeded, forVotes: 150), View("6", ProposalState.Pending)], NoLifecycle, DigestTestServices.Profile, CancellationToken.None,
            summarize: Summarize);

        Assert.Equal(["6"], asked);
        var claimed = await _services.Get<OutboxStore>().ClaimDueAsync(10, CancellationToken.None);
        var created = Assert.Single(claimed, m => m.Kind == "created");
        Assert.Contains("Model summary of 6.", created.Reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(claimed.Where(m => m.Kind != "created"), m => m.Reply.Body.Contains("Model summary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewProposalEvent_WithoutAnOrchestrator_CarriesTheExtractiveSummary()
    {
        await SubscribeAsync("1");
        await RecordAsync(baseline: true);
        var view = View("8", ProposalState.Pending);
        await RecordAsync(baseline: false, view with
        {
            Proposal = view.Proposal with { Description = "# Proposal 8\nFund the grants program for another quarter with the same budget." },
        });

        var created = Assert.Single(await _services.Get<OutboxStore>().ClaimDueAsync(10, CancellationToken.None));
        Assert.Contains("Fund the grants program for another quarter", created.Reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void KindsNow_LifecycleRowsFireQueuedExecutedCanceled()
    {
        var lifecycle = new HashSet<string> { "queued", "executed" };
        var kinds = NotificationDetector.KindsNow(View("3", ProposalState.Executed, forVotes: 200), lifecycle, Now).ToList();
        Assert.Equal(["created", "result", "queued", "executed"], kinds);
        Assert.Equal(["created", "canceled"], NotificationDetector.KindsNow(View("4", ProposalState.Canceled), new HashSet<string>(), Now));
    }

    [Fact]
    public async Task Outbox_ClaimSendRetryAndChatGone_FollowTheStateMachine()
    {
        await SubscribeAsync("1");
        await SubscribeAsync("2");
        await RecordAsync(baseline: true);
        await RecordAsync(baseline: false, View("5", ProposalState.Pending));
        var store = _services.Get<OutboxStore>();

        var claimed = await store.ClaimDueAsync(10, CancellationToken.None);
        Assert.Equal(2, claimed.Count);
        Assert.Empty(await store.ClaimDueAsync(10, CancellationToken.None)); // claimed rows are not handed out twice
        await store.MarkSentAsync(claimed[0].Id, CancellationToken.None);
        await store.RetryLaterAsync(claimed[1].Id, TimeSpan.FromSeconds(30), "boom", giveUp: false, CancellationToken.None);
        Assert.Empty(await store.ClaimDueAsync(10, CancellationToken.None));
        _services.Time.Advance(TimeSpan.FromSeconds(31));
        var retried = Assert.Single(await store.ClaimDueAsync(10, CancellationToken.None));
        Assert.Equal(2, retried.Attempts);

        await store.ChatGoneAsync(ChatSurface.Telegram, retried.ChatId, "bot was blocked", null, CancellationToken.None);
        Assert.Null(await _services.Get<SubscriptionStore>().GetAsync(ChatSurface.Telegram, retried.ChatId, DigestTestServices.Dao, CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 0, 1, 1, 0), await store.CountsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task InterruptedSends_AreRecoveredAsPending()
    {
        await SubscribeAsync("1");
        await RecordAsync(baseline: true);
        await RecordAsync(baseline: false, View("6", ProposalState.Pending));
        var store = _services.Get<OutboxStore>();
        Assert.Single(await store.ClaimDueAsync(10, CancellationToken.None));

        // As if the process died between claim and mark-sent.
        Assert.Equal(1, await store.RecoverInterruptedAsync(CancellationToken.None));
        Assert.Single(await store.ClaimDueAsync(10, CancellationToken.None));
    }

    public void Dispose() => _services.Dispose();
}
