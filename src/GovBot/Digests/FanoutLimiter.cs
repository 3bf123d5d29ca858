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

    /// <summary>
    /// The share of <see cref="TelegramPerSecond"/> let through (29 of 30): sends are counted when they leave and
    /// counted by Telegram when they arrive, and network jitter can move one across a window edge.
    /// </summary>
    public double TelegramHeadroom { get; init; } = 0.97;

    /// <summary>
    /// Added to the one-second window, so a burst that fits the sender's window cannot compress into Telegram's second
    /// through arrival jitter unless the jitter exceeds this. Measured on the 1,000-chat bench: 29 per plain second
    /// gave 25 × 429; 29 per 1.06 s gave 1 (91 % of the allowed rate); 30 per 1.1 s gave 32.
    /// </summary>
    public TimeSpan TelegramWindowSlack { get; init; } = TimeSpan.FromMilliseconds(60);
    public double TelegramGroupPerMinute { get; init; } = 20;
    public double TelegramChatPerSecond { get; init; } = 1;
    public double DiscordPerSecond { get; init; } = 40;
}

/// <summary>
/// At most <see cref="Limit"/> sends in any window of length <see cref="Window"/>, on a <see cref="TimeProvider"/>'s
/// clock: the same rule a platform's flood control applies, so a send this allows is one the platform allows (up to
/// network jitter, which the headroom covers). Unlike a strict pace, a task that wakes late loses no throughput.
/// </summary>
public sealed class SlidingWindow(int limit, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _sends = new();

    public int Limit { get; } = limit;
    public TimeSpan Window { get; } = window;

    /// <summary>Zero when a send fits now, else how long until the oldest send in the window leaves it.</summary>
    public TimeSpan TimeUntilAvailable(DateTimeOffset now)
    {
        while (_sends.Count > 0 && now - _sends.Peek() >= Window)
            _sends.Dequeue();
        return _sends.Count < Limit ? TimeSpan.Zero : _sends.Peek() + Window - now;
    }

    public void Record(DateTimeOffset now) => _sends.Enqueue(now);

    public bool IsIdle(DateTimeOffset now) => TimeUntilAvailable(now) == TimeSpan.Zero && _sends.Count == 0;
}

/// <summary>
/// Keeps outgoing digest messages within the platforms' flood control: a send must fit its surface's overall window
/// and, on Telegram, its chat's window and (for groups, negative ids) the group's. A send is recorded in all of its
/// windows together or in none, so a send waiting on a busy chat never uses up overall room other chats could use.
/// </summary>
public sealed class FanoutLimiter(FanoutLimits limits, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<ChatSurface, SlidingWindow> _overall = [];

    // A window alone lets a whole second's sends leave at once; they then reach the platform spread out by queueing
    // and land in the next second's window. Spacing sends at twice the average rate smooths the burst.
    private readonly Dictionary<ChatSurface, SlidingWindow> _spacing = [];
    private readonly Dictionary<string, SlidingWindow> _chats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlidingWindow> _groups = new(StringComparer.Ordinal);

    public FanoutLimits Limits => limits;

    /// <summary>The overall messages per second the platform allows on a surface.</summary>
    public double OverallRate(ChatSurface surface) => surface == ChatSurface.Discord ? limits.DiscordPerSecond : limits.TelegramPerSecond;

    /// <summary>The overall messages per second this limiter lets through (within <see cref="OverallRate"/>).</summary>
    public int PacedRate(ChatSurface surface) => Math.Max(1, (int)Math.Floor(
        surface == ChatSurface.Discord ? limits.DiscordPerSecond : limits.TelegramPerSecond * limits.TelegramHeadroom));

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

    /// <summary>Records the send and returns zero, or records nothing and returns how long to wait.</summary>
    public TimeSpan TryAcquire(ChatSurface surface, string chatId)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var windows = Windows(surface, chatId, now);
            var wait = windows.Max(w => w.TimeUntilAvailable(now));
            if (wait > TimeSpan.Zero)
                return wait;
            foreach (var window in windows)
                window.Record(now);
            return TimeSpan.Zero;
        }
    }

    private List<SlidingWindow> Windows(ChatSurface surface, string chatId, DateTimeOffset now)
    {
        if (!_overall.TryGetValue(surface, out var overall))
            _overall[surface] = overall = new SlidingWindow(PacedRate(surface), surface == ChatSurface.Telegram ? Second + limits.TelegramWindowSlack : Second);
        if (!_spacing.TryGetValue(surface, out var spacing))
            _spacing[surface] = spacing = new SlidingWindow(1, Second / (2.0 * PacedRate(surface)));
        if (surface != ChatSurface.Telegram)
            return [overall, spacing];

        Prune(now);
        if (!_chats.TryGetValue(chatId, out var chat))
            _chats[chatId] = chat = new SlidingWindow(1, TimeSpan.FromSeconds(1 / limits.TelegramChatPerSecond));
        if (!long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) || id >= 0)
            return [overall, spacing, chat];
        if (!_groups.TryGetValue(chatId, out var group))
            _groups[chatId] = group = new SlidingWindow(Math.Max(1, (int)limits.TelegramGroupPerMinute), TimeSpan.FromMinutes(1));
        return [overall, spacing, chat, group];
    }

    private void Prune(DateTimeOffset now)
    {
        if (_chats.Count + _groups.Count < PruneAbove)
            return;
        foreach (var key in _chats.Where(c => c.Value.IsIdle(now)).Select(c => c.Key).ToList())
            _chats.Remove(key);
        foreach (var key in _groups.Where(c => c.Value.IsIdle(now)).Select(c => c.Key).ToList())
            _groups.Remove(key);
    }
}
