using GovBot.Chat;
using Microsoft.Extensions.Hosting;

namespace GovBot.Digests;

/// <summary>
/// Delivers the outbox: claim due rows → wait for the platform limiter → send → mark sent. Chats are sent to in
/// parallel, one chat's rows in order. A failed send is retried with exponential backoff; a chat that is gone is
/// unsubscribed and its queue dropped.
/// <para>
/// Exactly once, and its one hole: a row is marked sent in its own commit right after the platform accepted the
/// message. If the process dies between the two (a few milliseconds per in-flight send, at most
/// <see cref="DigestTimings.Concurrency"/> rows), the row is still 'sending' at the next start and is sent again,
/// so that message can arrive twice (never be lost). Discord closes the hole with an enforced nonce per row;
/// Telegram's Bot API has no idempotency key, so there it stays. A graceful stop does not open it: sends already on
/// the wire get <see cref="DigestTimings.ShutdownGrace"/> to finish and be marked, and claimed rows not yet sent are
/// released.
/// </para>
/// </summary>
public sealed class OutboxDispatcher(
    OutboxStore outbox,
    FanoutLimiter limiter,
    IEnumerable<IDigestSender> senders,
    DigestTimings timings,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<ChatSurface, IDigestSender> _senders = senders.ToDictionary(s => s.Surface);
    private long _sent;

    /// <summary>Messages this dispatcher has delivered since it started.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var recovered = await outbox.RecoverInterruptedAsync(stoppingToken);
            if (recovered > 0)
                logger.LogWarning("{Count} outbox messages were being sent when GovBot last stopped; sending them again (each may arrive twice)", recovered);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var idle = false;
            try
            {
                idle = await DrainOnceAsync(stoppingToken) == 0;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogError(ex, "Outbox round {Failures} failed", failures);
                idle = true;
            }

            if (!idle)
                continue;
            try
            {
                var pause = failures > 0 ? TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(failures, 6))) : timings.OutboxIdlePoll;
                await Task.Delay(pause, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims one batch of due rows and delivers it. Returns how many rows were claimed.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken stoppingToken)
    {
        var batch = await outbox.ClaimDueAsync(timings.ClaimBatch, stoppingToken);
        if (batch.Count == 0)
            return 0;

        // Sends already on the wire outlive the stopping token by the grace period, so their outcome gets recorded.
        using var sendCts = new CancellationTokenSource();
        await using var link = stoppingToken.Register(() => sendCts.CancelAfter(timings.ShutdownGrace));
        using var gate = new SemaphoreSlim(timings.Concurrency);
        var unsent = new List<long>();
        var chats = batch.GroupBy(m => (m.Surface, m.ChatId)).Select(async chat =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                foreach (var message in chat)
                {
                    if (stoppingToken.IsCancellationRequested || !await DeliverAsync(message, stoppingToken, sendCts.Token))
                    {
                        lock (unsent)
                            unsent.AddRange(chat.Where(m => m.Id >= message.Id).Select(m => m.Id));
                        return;
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(chats);
        if (unsent.Count > 0)
            await outbox.ReleaseAsync(unsent, CancellationToken.None);
        return batch.Count;
    }

    /// <returns>False when the message was not sent and should be released (shutdown, or the chat is gone).</returns>
    private async Task<bool> DeliverAsync(OutboxMessage message, CancellationToken stoppingToken, CancellationToken sendToken)
    {
        if (!_senders.TryGetValue(message.Surface, out var sender))
        {
            await outbox.RetryLaterAsync(message.Id, timings.MaxBackoff, $"{message.Surface} is not configured in this GovBot", giveUp: false, CancellationToken.None);
            return true;
        }

        // The first request waits for room only until shutdown: nothing has left yet, so the row is simply released.
        // Later requests of the same message (parts, retries) follow the first under the send token's grace period.
        var left = false;
        async Task<IDisposable> Gate(CancellationToken token)
        {
            var lease = await limiter.AcquireAsync(message.Surface, message.ChatId, left ? token : stoppingToken);
            left = true;
            return lease;
        }

        try
        {
            await sender.SendAsync(message.ChatId, message.Reply, message.IdempotencyKey, Gate, sendToken);
        }
        catch (OperationCanceledException) when (!left && stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (ChatGoneException gone)
        {
            await outbox.ChatGoneAsync(message.Surface, message.ChatId, gone.Reason, gone.MovedToChatId, CancellationToken.None);
            if (gone.MovedToChatId is null)
                logger.LogWarning("{Surface} chat {ChatId} is gone ({Reason}): unsubscribed and its queued messages dropped", message.Surface, message.ChatId, gone.Reason);
            else
                logger.LogInformation("{Surface} chat {ChatId} moved to {NewChatId}: subscriptions and queue moved", message.Surface, message.ChatId, gone.MovedToChatId);
            return false;
        }
        catch (OperationCanceledException) when (sendToken.IsCancellationRequested)
        {
            // Cut off after the grace period: unknown whether it arrived; the next start sends it again.
            await outbox.RetryLaterAsync(message.Id, TimeSpan.Zero, "cancelled mid-send at shutdown", giveUp: false, CancellationToken.None);
            return false;
        }
        catch (Exception ex)
        {
            var giveUp = message.Attempts >= timings.MaxAttempts;
            var delay = TimeSpan.FromTicks(Math.Min(timings.MaxBackoff.Ticks, timings.InitialBackoff.Ticks * (1L << Math.Min(message.Attempts - 1, 20))));
            await outbox.RetryLaterAsync(message.Id, delay, ex.Message, giveUp, CancellationToken.None);
            if (giveUp)
                logger.LogError(ex, "Giving up on outbox message {OutboxId} to {Surface} chat {ChatId} after {Attempts} attempts", message.Id, message.Surface, message.ChatId, message.Attempts);
            else
                logger.LogWarning("Outbox message {OutboxId} to {Surface} chat {ChatId} failed (attempt {Attempts}): {Error}; retrying in {DelaySeconds} s",
                    message.Id, message.Surface, message.ChatId, message.Attempts, ex.Message, (int)delay.TotalSeconds);
            // Later rows of this chat stay in order behind it.
            return false;
        }

        await outbox.MarkSentAsync(message.Id, CancellationToken.None);
        Interlocked.Increment(ref _sent);
        return true;
    }
}
