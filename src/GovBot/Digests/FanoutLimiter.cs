using System.Globalization;
using GovBot.Chat;

namespace GovBot.Digests;

/// <summary>
/// The platforms' published send limits. Telegram: about 30 messages a second overall, 20 a minute into one group,
/// about one a second into one chat. Discord: 50 requests a second globally (its per-route buckets are handled by
/// DiscordRestClient); 40 keeps headroom for interaction replies.
/// </summary>
public sealed record FanoutLimits
{
    public double TelegramPerSecond { get; init; } = 30;
    public double TelegramGroupPerMinute { get; init; } = 20;
    public double TelegramChatPerSecond { get; init; } = 1;
    public double DiscordPerSecond { get; init; } = 40;
}

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>'s clock. Capacity 1 means strict pacing: in any window of length
/// W at most 1 + rate·W sends, never a burst.
/// </summary>
public sealed class TokenBucket(double capacity, double perSecond, DateTimeOffset now)
{
    private double _tokens = capacity;
    private DateTimeOffset _at = now;

    public double Capacity { get; } = capacity;
    public double PerSecond { get; } = perSecond;

    /// <summary>Zero when a token is available now, else how long until one is.</summary>
    public TimeSpan TimeUntilAvailable(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) / PerSecond * TimeSpan.TicksPerSecond));
    }

    public void Take(DateTimeOffset now)
    {
        Refill(now);
        _tokens -= 1;
    }

    /// <summary>Full and idle: forgetting the bucket changes nothing.</summary>
    public bool IsFull(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= Capacity;
    }

    private void Refill(DateTimeOffset now)
    {
        if (now > _at)
        {
            _tokens = Math.Min(Capacity, _tokens + (now - _at).TotalSeconds * PerSecond);
            _at = now;
        }
    }
}

/// <summary>
/// Paces outgoing digest messages so GovBot never meets the platforms' flood control: a send takes a token from its
/// surface's overall bucket and, on Telegram, from its chat's bucket and (for groups, negative ids) the group bucket.
/// All of a send's buckets are taken together or none is, so a waiting send never holds tokens another could use.
/// </summary>
public sealed class FanoutLimiter(FanoutLimits limits, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly Lock _lock = new();
    private readonly Dictionary<ChatSurface, TokenBucket> _overall = [];
    private readonly Dictionary<string, TokenBucket> _chats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenBucket> _groups = new(StringComparer.Ordinal);

    public FanoutLimits Limits => limits;

    /// <summary>The overall messages per second allowed on a surface.</summary>
    public double OverallRate(ChatSurface surface) => surface == ChatSurface.Discord ? limits.DiscordPerSecond : limits.TelegramPerSecond;

    public async Task AcquireAsync(ChatSurface surface, string chatId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = TryAcquire(surface, chatId);
            if (wait == TimeSpan.Zero)
                return;
            // Whole milliseconds: a sub-millisecond timer fires at once and would spin.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken);
        }
    }

    /// <summary>Takes the send's tokens and returns zero, or takes nothing and returns how long to wait.</summary>
    public TimeSpan TryAcquire(ChatSurface surface, string chatId)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var buckets = Buckets(surface, chatId, now);
            var wait = buckets.Max(b => b.TimeUntilAvailable(now));
            if (wait > TimeSpan.Zero)
                return wait;
            foreach (var bucket in buckets)
                bucket.Take(now);
            return TimeSpan.Zero;
        }
    }

    private List<TokenBucket> Buckets(ChatSurface surface, string chatId, DateTimeOffset now)
    {
        if (!_overall.TryGetValue(surface, out var overall))
            _overall[surface] = overall = new TokenBucket(1, OverallRate(surface), now);
        if (surface != ChatSurface.Telegram)
            return [overall];

        Prune(now);
        if (!_chats.TryGetValue(chatId, out var chat))
            _chats[chatId] = chat = new TokenBucket(1, limits.TelegramChatPerSecond, now);
        if (!long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) || id >= 0)
            return [overall, chat];
        // Capacity 1 and 19/min keeps any 60-second window at or under 20 messages.
        if (!_groups.TryGetValue(chatId, out var group))
            _groups[chatId] = group = new TokenBucket(1, Math.Max(0.5, limits.TelegramGroupPerMinute - 1) / 60.0, now);
        return [overall, chat, group];
    }

    private void Prune(DateTimeOffset now)
    {
        if (_chats.Count + _groups.Count < PruneAbove)
            return;
        foreach (var key in _chats.Where(c => c.Value.IsFull(now)).Select(c => c.Key).ToList())
            _chats.Remove(key);
        foreach (var key in _groups.Where(c => c.Value.IsFull(now)).Select(c => c.Key).ToList())
            _groups.Remove(key);
    }
}
