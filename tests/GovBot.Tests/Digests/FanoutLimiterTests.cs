using System.Globalization;
using GovBot.Chat;
using GovBot.Digests;
using Microsoft.Extensions.Time.Testing;

namespace GovBot.Tests.Digests;

public sealed class FanoutLimiterTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Chat(int i) => (1000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A greedy sender on the fake clock: sends whenever the limiter allows; each send reaches the platform at a random
    /// moment between leaving and its answer, which comes <paramref name="latency"/> after leaving.
    /// </summary>
    private static (List<DateTimeOffset> Left, List<DateTimeOffset> Arrived) Simulate(
        FanoutLimiter limiter, FakeTimeProvider time, Func<int, (ChatSurface, string)> target, TimeSpan duration, TimeSpan latency, int seed = 1)
    {
        var random = new Random(seed);
        var left = new List<DateTimeOffset>();
        var arrived = new List<DateTimeOffset>();
        var inFlight = new List<(DateTimeOffset Answer, FanoutLease Lease)>();
        var end = time.GetUtcNow() + duration;
        while (time.GetUtcNow() < end)
        {
            foreach (var done in inFlight.Where(f => f.Answer <= time.GetUtcNow()).ToList())
            {
                done.Lease.Dispose();
                inFlight.Remove(done);
            }

            var (surface, chat) = target(left.Count);
            if (limiter.TryAcquire(surface, chat, out var lease, out var wait))
            {
                var now = time.GetUtcNow();
                left.Add(now);
                arrived.Add(now + latency * random.NextDouble());
                inFlight.Add((now + latency, lease!));
                continue;
            }

            var next = inFlight.Count == 0 ? DateTimeOffset.MaxValue : inFlight.Min(f => f.Answer);
            if (wait != SendWindow.UntilAnAnswer)
                next = next < time.GetUtcNow() + wait ? next : time.GetUtcNow() + wait;
            Assert.NotEqual(DateTimeOffset.MaxValue, next);
            time.Advance(next - time.GetUtcNow());
        }

        arrived.Sort();
        return (left, arrived);
    }

    private static int MaxInWindow(List<DateTimeOffset> times, TimeSpan window) =>
        times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < window).Count()).DefaultIfEmpty(0).Max();

    [Fact]
    public void Telegram_ManyPrivateChats_AnsweredAtOnce_ThirtyInEverySecond()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var (left, _) = Simulate(limiter, time, i => (ChatSurface.Telegram, Chat(i)), TimeSpan.FromSeconds(10), TimeSpan.Zero);

        Assert.Equal(30, limiter.OverallRate(ChatSurface.Telegram));
        Assert.Equal(300, left.Count);
        Assert.Equal(30, MaxInWindow(left, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 40)]
    [InlineData(3, 250)]
    [InlineData(4, 900)]
    public void Telegram_ArrivalsJitteredAnywhereWithinTheRoundTrip_NeverThirtyOneInAnySecond(int seed, int latencyMs)
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        var (left, arrived) = Simulate(limiter, time, i => (ChatSurface.Telegram, Chat(i)), TimeSpan.FromSeconds(20), latency, seed);

        Assert.InRange(MaxInWindow(arrived, TimeSpan.FromSeconds(1)), 1, 30);
        // The price of the guarantee is the round trip: 30 sends per (1 s + latency), less the spacing's smoothing.
        var expected = 20 * 30 / (1 + latency.TotalSeconds);
        Assert.InRange(left.Count, 0.9 * expected, expected + 30);
    }

    [Fact]
    public void Telegram_OneGroup_AtMostTwentyPerMinute()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var (left, _) = Simulate(limiter, time, _ => (ChatSurface.Telegram, "-100123"), TimeSpan.FromMinutes(5), TimeSpan.Zero);

        Assert.Equal(20, MaxInWindow(left, TimeSpan.FromMinutes(1)));
        Assert.Equal(100, left.Count);
    }

    [Fact]
    public void Telegram_OnePrivateChat_OnePerSecondAfterEachAnswer()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var (left, _) = Simulate(limiter, time, _ => (ChatSurface.Telegram, "42"), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        Assert.Equal(28, left.Count);
        Assert.All(left.Zip(left.Skip(1)), p => Assert.Equal(TimeSpan.FromMilliseconds(1100), p.Second - p.First));
    }

    [Fact]
    public void Discord_AtMostFortyInAnySecondOverall()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var (left, _) = Simulate(limiter, time, i => (ChatSurface.Discord, i.ToString(CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(5), TimeSpan.Zero);

        Assert.Equal(200, left.Count);
        Assert.Equal(40, MaxInWindow(left, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void TryAcquire_WhenTheChatIsBusy_TakesNoOverallRoomThatOtherChatsNeed()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits { TelegramPerSecond = 2 }, time);
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "7", out var first, out _));
        first!.Dispose();
        time.Advance(TimeSpan.FromMilliseconds(300));

        // Chat 7 is busy for another 700 ms (1/s); it must not use the second overall send of this second.
        Assert.False(limiter.TryAcquire(ChatSurface.Telegram, "7", out _, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(700), wait);
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "8", out var second, out _));
        second!.Dispose();
        Assert.False(limiter.TryAcquire(ChatSurface.Telegram, "9", out _, out wait));
        Assert.Equal(TimeSpan.FromMilliseconds(700), wait);
    }

    [Fact]
    public void TryAcquire_WhileTheWindowIsFullOfSendsInFlight_WaitsForAnAnswer_ThenAWindowAfterIt()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits { TelegramPerSecond = 2 }, time);
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "1", out var a, out _));
        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "2", out var b, out _));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(limiter.TryAcquire(ChatSurface.Telegram, "3", out _, out var wait));
        Assert.Equal(SendWindow.UntilAnAnswer, wait);

        a!.Dispose();
        a.Dispose(); // a second dispose must not free a second place
        Assert.False(limiter.TryAcquire(ChatSurface.Telegram, "3", out _, out wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "3", out var c, out _));
        Assert.False(limiter.TryAcquire(ChatSurface.Telegram, "4", out _, out wait));
        Assert.Equal(SendWindow.UntilAnAnswer, wait);
        b!.Dispose();
        c!.Dispose();
    }

    [Fact]
    public async Task AcquireAsync_WaitsOnTheFakeClock()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        (await limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None)).Dispose();
        var second = limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_BlockedOnlyBySendsInFlight_WakesWhenOneIsAnswered()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits { TelegramPerSecond = 1 }, time);
        var first = await limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        var second = limiter.AcquireAsync(ChatSurface.Telegram, "2", CancellationToken.None);
        Assert.False(second.IsCompleted);

        first.Dispose();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_TakesNoPlace()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits { TelegramPerSecond = 1 }, time);
        var first = await limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(ChatSurface.Telegram, "2", cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        first.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "2", out var lease, out _));
        lease!.Dispose();
    }
}
