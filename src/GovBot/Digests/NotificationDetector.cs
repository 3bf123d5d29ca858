using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using GovBot.Chain;
using GovBot.Chat;
using GovBot.Governance;
using GovBot.Storage;

namespace GovBot.Digests;

public sealed record DetectionResult(string Dao, int Recorded, int Enqueued, bool Baseline);

/// <summary>
/// Turns indexed rows and live proposal state into governance events, each (dao, proposal, kind) exactly once:
/// recording an event and enqueueing it to every subscribed chat is one SQLite transaction, so a crash either
/// leaves both or neither. The first look at a DAO (after the index has caught up with the chain) records what is
/// already true as seen and posts nothing.
/// </summary>
public sealed class NotificationDetector(
    GovernanceService governance,
    GovernanceQueries queries,
    IndexStore index,
    SqliteDatabase database,
    DigestTimings timings,
    TimeProvider time,
    ILogger<NotificationDetector> logger,
    Orchestration.ProposalSummarizer? summarizer = null)
{
    /// <summary>How far behind the safe head the index cursor may be for the DAO to count as caught up (new blocks keep arriving).</summary>
    private const long CaughtUpSlack = 64;

    public async Task<DetectionResult> DetectAsync(DaoContext dao, CancellationToken cancellationToken)
    {
        var cursor = await index.GetCursorAsync(dao.Name, cancellationToken);
        if (cursor is null)
            return new DetectionResult(dao.Name, 0, 0, false);
        var baseline = !await HasBaselineAsync(dao.Name, cancellationToken);
        if (baseline && !await CaughtUpAsync(dao, cursor, cancellationToken))
            return new DetectionResult(dao.Name, 0, 0, false);

        var views = await governance.ListAsync(dao.Name, state: null, timings.ProposalWindow, cancellationToken);
        var lifecycle = (await queries.LifecycleAsync(dao.Name, views.Select(v => v.Id).ToList(), cancellationToken)).ToLookup(l => l.ProposalId, l => l.Kind);
        var profile = await dao.GetProfileAsync(cancellationToken);
        Func<ProposalView, CancellationToken, Task<string>>? summarize = summarizer is null
            ? null
            : async (view, ct) => (await summarizer.SummarizeAsync(view.Proposal, timings.SummaryWait, ct)).Text;
        return await RecordAsync(dao.Name, cursor.Block, baseline, views, lifecycle, profile, cancellationToken, Orchestration.DaoFacts.From(dao), summarize);
    }

    /// <summary>
    /// The chain-free half: given the proposals as they are now, records each new (proposal, kind) and enqueues it
    /// to the subscribed chats, all in one transaction. With <paramref name="baseline"/>, records without posting.
    /// </summary>
    internal async Task<DetectionResult> RecordAsync(string dao, long cursorBlock, bool baseline, IReadOnlyList<ProposalView> views,
        ILookup<string, string> lifecycle, GovernorProfile profile, CancellationToken cancellationToken, Orchestration.DaoFacts? facts = null,
        Func<ProposalView, CancellationToken, Task<string>>? summarize = null)
    {
        var now = time.GetUtcNow();
        var candidates = views.SelectMany(v => KindsNow(v, lifecycle[v.Id].ToHashSet(StringComparer.Ordinal), now).Select(kind => (View: v, Kind: kind))).ToList();
        var seen = await SeenAsync(dao, views.Select(v => v.Id).ToList(), cancellationToken);
        var fresh = candidates.Where(c => !seen.Contains((c.View.Id, c.Kind))).ToList();
        if (fresh.Count == 0 && !baseline)
            return new DetectionResult(dao, 0, 0, false);

        // Summaries (the orchestrator's: a model's when one is configured, guarded either way) and rendering (the chart
        // especially) happen before the transaction, so the write lock is held only for inserts.
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!baseline && summarize is not null)
        {
            foreach (var created in fresh.Where(c => c.Kind == NotificationKinds.Created))
                summaries[created.View.Id] = await summarize(created.View, cancellationToken);
        }

        var rendered = fresh.Select(c => (c.View, c.Kind,
            Reply: baseline ? null : NotificationFormat.Render(c.Kind, c.View, profile, now, timings.Charts, facts, summaries.GetValueOrDefault(c.View.Id)))).ToList();

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recorded = 0;
        var enqueued = 0;
        foreach (var (view, kind, reply) in rendered)
        {
            var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO notification_events (dao, proposal_id, kind, title, reply_json, detected_at, announced)
                VALUES (@dao, @proposalId, @kind, @title, @replyJson, @now, @announced)
                ON CONFLICT (dao, proposal_id, kind) DO NOTHING
                RETURNING id
                """,
                new
                {
                    dao, proposalId = view.Id, kind, title = view.Title,
                    replyJson = reply is null ? null : ReplyJson.Serialize(reply),
                    now = now.ToUnixTimeSeconds(), announced = baseline ? 0 : 1,
                }, transaction, cancellationToken: cancellationToken));
            if (id is null)
                continue;
            recorded++;
            if (!baseline)
                enqueued += await EnqueueAsync(connection, transaction, dao, kind, id.Value, now, cancellationToken);
        }

        if (baseline)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO notification_baselines (dao, block, created_at) VALUES (@dao, @block, @now)",
                new { dao, block = cursorBlock, now = now.ToUnixTimeSeconds() }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        if (baseline)
            logger.LogInformation("DAO {Dao}: first look, {Count} existing events marked seen without posting", dao, recorded);
        else if (recorded > 0)
            logger.LogInformation("DAO {Dao}: {Count} new events, {Messages} messages queued", dao, recorded, enqueued);
        return new DetectionResult(dao, recorded, enqueued, baseline);
    }

    /// <summary>The events that are true of a proposal now. Each fires once, so "now" only has to be right at some moment.</summary>
    internal static IEnumerable<string> KindsNow(ProposalView view, IReadOnlySet<string> lifecycle, DateTimeOffset now)
    {
        yield return NotificationKinds.Created;
        if (view.State == ProposalState.Active)
        {
            yield return NotificationKinds.Active;
            if (view.EndsAt is { } end && end > now && end - now <= TimeSpan.FromHours(24))
                yield return NotificationKinds.Ending;
            if (view.Quorum > 0 && view.QuorumProgress >= view.Quorum)
                yield return NotificationKinds.Quorum;
        }

        if (view.State is ProposalState.Succeeded or ProposalState.Defeated or ProposalState.Queued or ProposalState.Executed or ProposalState.Expired)
            yield return NotificationKinds.Result;
        if (lifecycle.Contains(LifecycleKinds.Queued) || view.State == ProposalState.Queued)
            yield return NotificationKinds.Queued;
        if (lifecycle.Contains(LifecycleKinds.Executed) || view.State == ProposalState.Executed)
            yield return NotificationKinds.Executed;
        if (lifecycle.Contains(LifecycleKinds.Canceled) || view.State == ProposalState.Canceled)
            yield return NotificationKinds.Canceled;
    }

    /// <summary>One outbox row per chat subscribed to this DAO and kind; the unique key makes a repeat a no-op.</summary>
    public static Task<int> EnqueueAsync(DbConnection connection, DbTransaction transaction, string dao, string kind, long notificationId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR IGNORE INTO outbox (event_key, surface, chat_id, dao, kind, notification_id, next_attempt_at, created_at)
            SELECT 'n:' || @notificationId, surface, chat_id, dao, @kind, @notificationId, 0, @now
            FROM subscriptions WHERE dao = @dao AND (',' || events || ',') LIKE ('%,' || @kind || ',%')
            ORDER BY surface, chat_id
            """,
            new { dao, kind, notificationId, now = now.ToUnixTimeSeconds() }, transaction, cancellationToken: cancellationToken));

    private async Task<bool> HasBaselineAsync(string dao, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM notification_baselines WHERE dao = @dao", new { dao }, cancellationToken: cancellationToken)) > 0;
    }

    private static async Task<bool> CaughtUpAsync(DaoContext dao, IndexCursor cursor, CancellationToken cancellationToken)
    {
        var head = await dao.Rpc.CallAsync("eth_blockNumber", new JsonArray(), r => Hex.ToLong(r.GetString()!), cancellationToken);
        return cursor.Block >= head - dao.Options.Confirmations - CaughtUpSlack;
    }

    private async Task<HashSet<(string, string)>> SeenAsync(string dao, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT proposal_id, kind FROM notification_events WHERE dao = @dao AND proposal_id IN @ids", new { dao, ids }, cancellationToken: cancellationToken));
        return rows.ToHashSet();
    }
}

/// <summary>ChatReply as stored in the outbox: the message is fixed when the event is recorded, so a retry sends the same text.</summary>
public static class ReplyJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(ChatReply reply) => JsonSerializer.Serialize(reply, Options);

    public static ChatReply Deserialize(string json) =>
        JsonSerializer.Deserialize<ChatReply>(json, Options) ?? throw new InvalidOperationException("empty reply in the outbox");
}
