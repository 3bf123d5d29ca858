using Dapper;
using GovBot.Chat;
using GovBot.Storage;

namespace GovBot.Digests;

public sealed record OutboxMessage(long Id, ChatSurface Surface, string ChatId, string Dao, string Kind, ChatReply Reply, int Attempts)
{
    /// <summary>Unique per row and at most 25 characters (Discord's nonce limit).</summary>
    public string IdempotencyKey => $"govbot-{Id}";
}

public sealed record OutboxCounts(int Pending, int Sending, int Sent, int Dropped, int Failed);

/// <summary>
/// The outbox's state machine in SQLite: pending → sending (claimed) → sent; a failed send goes back to pending with a
/// later next_attempt_at, or to failed after the last attempt; a gone chat's rows are dropped. Each step is its own
/// small transaction.
/// </summary>
public sealed class OutboxStore(SqliteDatabase database, TimeProvider time)
{
    private readonly Dictionary<long, string> _notificationReplies = [];
    private readonly Lock _cacheLock = new();

    /// <summary>
    /// Rows left in 'sending' by a process that died mid-send go back to pending. Whether the platform took such a
    /// message before the crash is unknowable; they are sent again (at-least-once for exactly those rows).
    /// </summary>
    public async Task<int> RecoverInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET status = 'pending', last_error = 'interrupted while sending; resent' WHERE status = 'sending'", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ClaimRow>(new CommandDefinition(
            """
            UPDATE outbox SET status = 'sending', claimed_at = @now, attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY id LIMIT @limit)
            RETURNING id AS Id, surface AS Surface, chat_id AS ChatId, dao AS Dao, kind AS Kind, notification_id AS NotificationId,
                      reply_json AS ReplyJson, attempts AS Attempts
            """, new { now, limit }, cancellationToken: cancellationToken))).OrderBy(r => r.Id).ToList();

        var missing = rows.Where(r => r.ReplyJson is null && r.NotificationId is { } n && !Cached(n, out _)).Select(r => r.NotificationId!.Value).Distinct().ToList();
        if (missing.Count > 0)
        {
            var replies = await connection.QueryAsync<(long Id, string Json)>(new CommandDefinition(
                "SELECT id, reply_json FROM notification_events WHERE id IN @missing AND reply_json IS NOT NULL", new { missing }, cancellationToken: cancellationToken));
            lock (_cacheLock)
            {
                if (_notificationReplies.Count > 256)
                    _notificationReplies.Clear();
                foreach (var (id, json) in replies)
                    _notificationReplies[id] = json;
            }
        }

        return rows.Select(r =>
        {
            var json = r.ReplyJson ?? (r.NotificationId is { } n && Cached(n, out var cached) ? cached : null)
                ?? throw new InvalidOperationException($"outbox row {r.Id} has no message");
            return new OutboxMessage(r.Id, Enum.Parse<ChatSurface>(r.Surface), r.ChatId, r.Dao, r.Kind, ReplyJson.Deserialize(json), (int)r.Attempts);
        }).ToList();
    }

    public async Task MarkSentAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET status = 'sent', sent_at = @now, last_error = NULL WHERE id = @id",
            new { id, now = time.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: cancellationToken));
    }

    /// <summary>Back to pending without counting an attempt: the row was claimed but never sent (shutdown).</summary>
    public async Task ReleaseAsync(IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET status = 'pending', attempts = MAX(0, attempts - 1) WHERE status = 'sending' AND id IN @ids",
            new { ids = ids.ToList() }, cancellationToken: cancellationToken));
    }

    public async Task RetryLaterAsync(long id, TimeSpan delay, string error, bool giveUp, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET status = @status, next_attempt_at = @next, last_error = @error WHERE id = @id",
            new { id, status = giveUp ? "failed" : "pending", next = (time.GetUtcNow() + delay).ToUnixTimeSeconds(), error = Clip(error) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The chat is gone: its subscriptions are deleted and everything still queued for it is dropped, in one
    /// transaction. A supergroup migration moves the subscriptions and the queue to the new id instead.
    /// </summary>
    public async Task<int> ChatGoneAsync(ChatSurface surface, string chatId, string reason, string? movedTo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var args = new { surface = surface.ToString(), chatId, movedTo, error = Clip(reason) };
        int affected;
        if (movedTo is not null)
        {
            affected = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE OR IGNORE subscriptions SET chat_id = @movedTo WHERE surface = @surface AND chat_id = @chatId", args, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE OR IGNORE outbox SET chat_id = @movedTo, status = 'pending' WHERE surface = @surface AND chat_id = @chatId AND status IN ('pending', 'sending')",
                args, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            affected = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM subscriptions WHERE surface = @surface AND chat_id = @chatId", args, transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET status = 'dropped', last_error = @error WHERE surface = @surface AND chat_id = @chatId AND status IN ('pending', 'sending')",
            args, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return affected;
    }

    public async Task<OutboxCounts> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM outbox GROUP BY status", cancellationToken: cancellationToken))).ToDictionary(r => r.Status, r => (int)r.Count);
        return new OutboxCounts(counts.GetValueOrDefault("pending"), counts.GetValueOrDefault("sending"), counts.GetValueOrDefault("sent"),
            counts.GetValueOrDefault("dropped"), counts.GetValueOrDefault("failed"));
    }

    /// <summary>When the next pending row falls due, if any.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'", cancellationToken: cancellationToken));
        return next is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    private bool Cached(long id, out string json)
    {
        lock (_cacheLock)
            return _notificationReplies.TryGetValue(id, out json!);
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300];

    private sealed record ClaimRow(long Id, string Surface, string ChatId, string Dao, string Kind, long? NotificationId, string? ReplyJson, long Attempts);
}
