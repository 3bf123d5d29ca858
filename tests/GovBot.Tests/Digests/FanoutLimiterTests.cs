using GovBot.Chat;
using GovBot.Digests;
using Microsoft.Extensions.Time.Testing;

namespace GovBot.Tests.Digests;

public sealed class FanoutLimiterTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Greedy sender: acquires whenever allowed, advancing the fake clock by exactly the wait it is told.</summary>
    private static List<DateTimeOffset> SendTimes(FanoutLimiter limiter, FakeTimeProvider time, Func<int, (ChatSurface, string)> target, TimeSpan duration)
    {
        var times = new List<DateTimeOffset>();
        var end = time.GetUtcNow() + duration;
        var i = 0;
        while (time.GetUtcNow() < end)
        {
            var (surface, chat) = target(i);
            var wait = limiter.TryAcquire(surface, chat);
            if (wait == TimeSpan.Zero)
            {
                times.Add(time.GetUtcNow());
                i++;
            }
            else
            {
                time.Advance(wait);
            }
        }

        return times;
    }

    private static int MaxInWindow(List<DateTimeOffset> times, TimeSpan window) =>
        times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < window).Count()).DefaultIfEmpty(0).Max();

    [Fact]
    public void Telegram_ManyPrivateChats_PacesAtThirtyPerSecondWithNoBurst()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var sends = SendTimes(limiter, time, i => (ChatSurface.Telegram, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(10));

        Assert.InRange(sends.Count, 299, 301);
        Assert.True(MaxInWindow(sends, TimeSpan.FromSeconds(1)) <= 31, "never more than 30 (+1 edge) in any second");
        Assert.Equal(TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / 30.0)), sends[1] - sends[0]);
    }

    [Fact]
    public void Telegram_OneGroup_AtMostTwentyPerMinute()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var sends = SendTimes(limiter, time, _ => (ChatSurface.Telegram, "-100123"), TimeSpan.FromMinutes(5));

        Assert.True(MaxInWindow(sends, TimeSpan.FromMinutes(1)) <= 20);
        Assert.InRange(sends.Count, 95, 97); // 1 + 19/min × 5 min
    }

    [Fact]
    public void Telegram_OnePrivateChat_AboutOnePerSecond()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var sends = SendTimes(limiter, time, _ => (ChatSurface.Telegram, "42"), TimeSpan.FromSeconds(30));

        Assert.InRange(sends.Count, 30, 31);
        Assert.All(sends.Zip(sends.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Discord_PacesAtFortyPerSecondOverall()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        var sends = SendTimes(limiter, time, i => (ChatSurface.Discord, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(5));

        Assert.InRange(sends.Count, 199, 201);
        Assert.True(MaxInWindow(sends, TimeSpan.FromSeconds(1)) <= 41);
    }

    [Fact]
    public void TryAcquire_WhenBlocked_TakesNoTokenFromTheOtherBuckets()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire(ChatSurface.Telegram, "7"));
        time.Advance(TimeSpan.FromMilliseconds(100));
        // Chat 7 is still blocked (1/s); the overall bucket must stay available for chat 8.
        Assert.True(limiter.TryAcquire(ChatSurface.Telegram, "7") > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire(ChatSurface.Telegram, "8"));
    }

    [Fact]
    public async Task AcquireAsync_WaitsOnTheFakeClock()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        await limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        var second = limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
