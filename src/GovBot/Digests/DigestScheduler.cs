using Dapper;
using GovBot.Chat;
using GovBot.Governance;
using GovBot.Storage;
using Microsoft.Extensions.Hosting;

namespace GovBot.Digests;

/// <summary>
/// Fires each subscribed chat's digest at its cron time in its own time zone (Cronos handles the DST gaps and
/// overlaps). A digest slot is enqueued to the outbox in the same transaction that advances the chat's cursor, with
/// the slot in the row's unique key, so a slot is posted once however often the scheduler restarts. After downtime
/// only the latest missed slot is posted, not the backlog.
/// </summary>
public sealed class DigestScheduler(
    SubscriptionStore subscriptions,
    DigestBuilder builder,
    GovernanceService governance,
    SqliteDatabase database,
    DigestTimings timings,
    TimeProvider time,
    ILogger<DigestScheduler> logger,
    DigestWriter? writer = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = timings.SchedulerMaxSleep;
            try
            {
                var next = await RunOnceAsync(stoppingToken);
                if (next is { } wake)
                    sleep = TimeSpan.FromTicks(Math.Clamp((wake - time.GetUtcNow()).Ticks, TimeSpan.TicksPerMillisecond, timings.SchedulerMaxSleep.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Digest scheduler round failed; next try in {Seconds} s", (int)sleep.TotalSeconds);
            }

            try
            {
                await Task.Delay(sleep, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Enqueues every digest that is due now; returns when the next one falls due.</summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        var due = new List<(Subscription Subscription, DateTimeOffset Slot)>();
        foreach (var subscription in (await subscriptions.AllAsync(cancellationToken)).Where(s => s.Spec.Wants(NotificationKinds.Digest)))
        {
            var cron = subscription.Spec.CronExpression;
            var zone = subscription.Spec.Zone;
            var from = subscription.LastDigestAt ?? subscription.CreatedAt;
            var slot = cron.GetOccurrences(from, now, zone, fromInclusive: false, toInclusive: true).Cast<DateTimeOffset?>().LastOrDefault();
            if (slot is { } s)
                due.Add((subscription, s));
            var upcoming = cron.GetNextOccurrence(now, zone, inclusive: false);
            if (upcoming is { } u && (next is null || u < next))
                next = u;
        }

        foreach (var group in due.GroupBy(d => d.Subscription.Dao, StringComparer.Ordinal))
        {
            IReadOnlyList<ProposalView> views;
            try
            {
                views = await governance.ListAsync(group.Key, state: null, 100, cancellationToken);
            }
            catch (ConfigurationException)
            {
                logger.LogWarning("Digest for DAO {Dao} skipped: it is no longer configured", group.Key);
                continue;
            }

            foreach (var (subscription, slot) in group)
            {
                var since = subscription.LastDigestAt ?? subscription.CreatedAt;
                var digest = await builder.BuildAsync(group.Key, since, views, cancellationToken);
                var reply = DigestBuilder.Render(digest, writer is null ? null : await writer.WriteAsync(digest, cancellationToken));
                if (await EnqueueAsync(subscription, slot, reply, cancellationToken))
                    logger.LogInformation("Digest for {Surface} chat {ChatId} ({Dao}) queued for {Slot:u}", subscription.Surface, subscription.ChatId, subscription.Dao, slot);
            }
        }

        return next;
    }

    private async Task<bool> EnqueueAsync(Subscription subscription, DateTimeOffset slot, ChatReply reply, CancellationToken cancellationToken)
    {
        var args = new
        {
            key = $"digest:{subscription.Dao}:{slot.ToUnixTimeSeconds()}",
            surface = subscription.Surface.ToString(),
            chatId = subscription.ChatId,
            dao = subscription.Dao,
            json = ReplyJson.Serialize(reply),
            slot = slot.ToUnixTimeSeconds(),
            now = time.GetUtcNow().ToUnixTimeSeconds(),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The cursor moves only forward: a concurrent or repeated round finds nothing left to do.
        var advanced = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE subscriptions SET last_digest_at = @slot WHERE surface = @surface AND chat_id = @chatId AND dao = @dao AND (last_digest_at IS NULL OR last_digest_at < @slot)",
            args, transaction, cancellationToken: cancellationToken));
        var queued = advanced > 0 && await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR IGNORE INTO outbox (event_key, surface, chat_id, dao, kind, reply_json, next_attempt_at, created_at)
            VALUES (@key, @surface, @chatId, @dao, 'digest', @json, 0, @now)
            """, args, transaction, cancellationToken: cancellationToken)) > 0;
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }
}
