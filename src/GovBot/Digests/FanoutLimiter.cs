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
/// At most <see cref="Limit"/> sends in any window of length <see cref="Window"/>, counted the way a platform's flood
/// control counts them: by when each request arrives. The sender cannot see that moment, only that it lies between the
/// send leaving and its answer coming back, so a send holds its place from the moment it leaves until
/// <see cref="Window"/> after its answer. Then no window of arrivals can hold more than <see cref="Limit"/> sends, however
/// the network delays them: if one more arrived within a window, the last of them to leave left while all the others
/// were in flight or answered less than a window earlier, and this window would have held it back.
/// </summary>
public sealed class SendWindow(int limit, TimeSpan window)
{
    /// <summary>Returned by <see cref="TimeUntilAvailable"/> when only an answer to a send in flight can make room.</summary>
    public static readonly TimeSpan UntilAnAnswer = TimeSpan.MaxValue;

    private readonly Queue<DateTimeOffset> _answered = new();
    private int _inFlight;

    public int Limit { get; } = limit;
    public TimeSpan Window { get; } = window;

    /// <summary>Zero when a send fits now; else how long until the oldest answer leaves the window, or <see cref="UntilAnAnswer"/>.</summary>
    public TimeSpan TimeUntilAvailable(DateTimeOffset now)
    {
        while (_answered.Count > 0 && now - _answered.Peek() >= Window)
            _answered.Dequeue();
        if (_inFlight + _answered.Count < Limit)
            return TimeSpan.Zero;
        return _answered.Count > 0 ? _answered.Peek() + Window - now : UntilAnAnswer;
    }

    public void Begin() => _inFlight++;

    /// <param name="now">Must not go backwards between calls (the caller holds one lock and one clock).</param>
    public void End(DateTimeOffset now)
    {
        _inFlight--;
        _answered.Enqueue(now);
    }

    public bool IsIdle(DateTimeOffset now) => TimeUntilAvailable(now) == TimeSpan.Zero && _inFlight == 0 && _answered.Count == 0;
}

/// <summary>
/// Keeps outgoing digest messages within the platforms' flood control: a send must fit its surface's overall window
/// and, on Telegram, its chat's window and (for groups, negative ids) the group's. A send takes its place in all of its
/// windows together or in none, so a send waiting on a busy chat never uses up overall room other chats could use.
/// A send holds its places until its <see cref="FanoutLease"/> is disposed, which the sender does when the platform
/// has answered (see <see cref="SendWindow"/> for why that makes the limits hold at the platform, not only here).
/// </summary>
public sealed class FanoutLimiter(FanoutLimits limits, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<ChatSurface, SendWindow> _overall = [];

    // The overall window alone lets a whole second's sends leave at once, to queue up on the way. Spacing departures at
    // twice the average rate smooths that burst; it is a pace, not a platform limit, so a send holds it only as it leaves.
    private readonly Dictionary<ChatSurface, SendWindow> _spacing = [];
    private readonly Dictionary<string, SendWindow> _chats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SendWindow> _groups = new(StringComparer.Ordinal);
    private TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FanoutLimits Limits => limits;

    /// <summary>The overall messages per second the platform allows on a surface.</summary>
    public double OverallRate(ChatSurface surface) => surface == ChatSurface.Discord ? limits.DiscordPerSecond : limits.TelegramPerSecond;

    /// <summary>Waits until a send to the chat fits every window, then takes its place; dispose the lease once answered.</summary>
    public async Task<FanoutLease> AcquireAsync(ChatSurface surface, string chatId, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task answered;
            TimeSpan wait;
            lock (_lock)
            {
                if (TryAcquireLocked(surface, chatId, out var lease, out wait))
                    return lease;
                answered = _answered.Task;
            }

            if (wait == SendWindow.UntilAnAnswer)
                await answered.WaitAsync(cancellationToken);
            else
                // Whole milliseconds: a sub-millisecond timer fires at once and would spin.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the send's place and returns its lease, or takes nothing and says how long to wait
    /// (<see cref="SendWindow.UntilAnAnswer"/>: until a send in flight is answered).
    /// </summary>
    public bool TryAcquire(ChatSurface surface, string chatId, out FanoutLease? lease, out TimeSpan wait)
    {
        lock (_lock)
        {
            var acquired = TryAcquireLocked(surface, chatId, out var taken, out wait);
            lease = acquired ? taken : null;
            return acquired;
        }
    }

    private bool TryAcquireLocked(ChatSurface surface, string chatId, out FanoutLease lease, out TimeSpan wait)
    {
        var now = time.GetUtcNow();
        var (spacing, held) = Windows(surface, chatId, now);
        wait = held.Select(w => w.TimeUntilAvailable(now)).Append(spacing.TimeUntilAvailable(now)).Max();
        if (wait > TimeSpan.Zero)
        {
            lease = null!;
            return false;
        }

        spacing.Begin();
        spacing.End(now);
        foreach (var window in held)
            window.Begin();
        lease = new FanoutLease(this, held);
        return true;
    }

    internal void Release(SendWindow[] windows)
    {
        TaskCompletionSource answered;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var window in windows)
                window.End(now);
            answered = _answered;
            _answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        answered.SetResult();
    }

    private (SendWindow Spacing, SendWindow[] Held) Windows(ChatSurface surface, string chatId, DateTimeOffset now)
    {
        var rate = OverallRate(surface);
        if (!_overall.TryGetValue(surface, out var overall))
            _overall[surface] = overall = new SendWindow(Math.Max(1, (int)Math.Floor(rate)), Second);
        if (!_spacing.TryGetValue(surface, out var spacing))
            _spacing[surface] = spacing = new SendWindow(1, Second / (2.0 * rate));
        if (surface != ChatSurface.Telegram)
            return (spacing, [overall]);

        Prune(now);
        if (!_chats.TryGetValue(chatId, out var chat))
            _chats[chatId] = chat = new SendWindow(1, TimeSpan.FromSeconds(1 / limits.TelegramChatPerSecond));
        if (!long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) || id >= 0)
            return (spacing, [overall, chat]);
        if (!_groups.TryGetValue(chatId, out var group))
            _groups[chatId] = group = new SendWindow(Math.Max(1, (int)limits.TelegramGroupPerMinute), TimeSpan.FromMinutes(1));
        return (spacing, [overall, chat, group]);
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

/// <summary>A send's places in its windows; dispose it when the platform has answered (or the send failed before leaving).</summary>
public sealed class FanoutLease : IDisposable
{
    private FanoutLimiter? _limiter;
    private readonly SendWindow[] _windows;

    internal FanoutLease(FanoutLimiter limiter, SendWindow[] windows)
    {
        _limiter = limiter;
        _windows = windows;
    }

    public void Dispose() => Interlocked.Exchange(ref _limiter, null)?.Release(_windows);
}
