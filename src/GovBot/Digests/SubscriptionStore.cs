using Dapper;
using GovBot.Chat;
using GovBot.Storage;

namespace GovBot.Digests;

public sealed record Subscription(ChatSurface Surface, string ChatId, string Dao, SubscriptionSpec Spec, DateTimeOffset CreatedAt, DateTimeOffset? LastDigestAt);

/// <summary>Subscriptions per (surface, chat, DAO). Subscribing again replaces the events and schedule.</summary>
public sealed class SubscriptionStore(SqliteDatabase database, TimeProvider time)
{
    private const string Columns =
        "surface AS Surface, chat_id AS ChatId, dao AS Dao, events AS Events, cron AS Cron, time_zone AS TimeZone, created_at AS CreatedAt, last_digest_at AS LastDigestAt";

    public async Task SaveAsync(ChatSurface surface, string chatId, string dao, SubscriptionSpec spec, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A new schedule starts counting from now: the first digest is the next occurrence, not a backlog.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscriptions (surface, chat_id, dao, events, cron, time_zone, created_at, last_digest_at)
            VALUES (@surface, @chatId, @dao, @events, @cron, @zone, @now, @now)
            ON CONFLICT (surface, chat_id, dao) DO UPDATE SET events = excluded.events, cron = excluded.cron, time_zone = excluded.time_zone,
              last_digest_at = CASE WHEN subscriptions.cron = excluded.cron AND subscriptions.time_zone = excluded.time_zone
                                    THEN subscriptions.last_digest_at ELSE excluded.last_digest_at END
            """,
            new { surface = surface.ToString(), chatId, dao, events = spec.EventsText, cron = spec.Cron, zone = spec.TimeZone, now = time.GetUtcNow().ToUnixTimeSeconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<Subscription?> GetAsync(ChatSurface surface, string chatId, string dao, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM subscriptions WHERE surface = @surface AND chat_id = @chatId AND dao = @dao",
            new { surface = surface.ToString(), chatId, dao }, cancellationToken: cancellationToken));
        return row?.ToSubscription();
    }

    public async Task<IReadOnlyList<Subscription>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM subscriptions", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSubscription()).ToList();
    }

    /// <summary>Removes the chat's subscription to one DAO and whatever was still waiting to be sent there for it.</summary>
    public async Task<bool> RemoveAsync(ChatSurface surface, string chatId, string dao, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var args = new { surface = surface.ToString(), chatId, dao };
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM subscriptions WHERE surface = @surface AND chat_id = @chatId AND dao = @dao", args, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET status = 'dropped', last_error = 'unsubscribed' WHERE surface = @surface AND chat_id = @chatId AND dao = @dao AND status = 'pending'",
            args, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    private sealed record Row(string Surface, string ChatId, string Dao, string Events, string Cron, string TimeZone, long CreatedAt, long? LastDigestAt)
    {
        public Subscription ToSubscription() => new(
            Enum.Parse<ChatSurface>(Surface), ChatId, Dao,
            new SubscriptionSpec(Events.Split(',', StringSplitOptions.RemoveEmptyEntries), Cron, TimeZone),
            DateTimeOffset.FromUnixTimeSeconds(CreatedAt),
            LastDigestAt is { } last ? DateTimeOffset.FromUnixTimeSeconds(last) : null);
    }
}
