using GovBot.Chat;
using GovBot.Digests;
using Microsoft.Extensions.Time.Testing;

namespace GovBot.Tests.Digests;

public sealed class FanoutLimiterTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly FanoutLimits Exact = new() { TelegramHeadroom = 1, TelegramWindowSlack = TimeSpan.Zero };

    [Fact]
    public void Telegram_ByDefault_LetsTwentyNineThroughPer1060Ms_AtLeastNinetyPercentOfTheAllowedRate()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits(), time);
        Assert.Equal(30, limiter.OverallRate(ChatSurface.Telegram));
        var sends = SendTimes(limiter, time, i => (ChatSurface.Telegram, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(10));
        Assert.Equal(29, MaxInWindow(sends, TimeSpan.FromSeconds(1.06)));
        Assert.InRange(sends.Count, 270, 290);
    }

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
    public void Telegram_ManyPrivateChats_AtMostThirtyInAnySecond()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(Exact, time);
        var sends = SendTimes(limiter, time, i => (ChatSurface.Telegram, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(10));

        Assert.Equal(300, sends.Count);
        Assert.Equal(30, MaxInWindow(sends, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Telegram_OneGroup_AtMostTwentyPerMinute()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(Exact, time);
        var sends = SendTimes(limiter, time, _ => (ChatSurface.Telegram, "-100123"), TimeSpan.FromMinutes(5));

        Assert.Equal(20, MaxInWindow(sends, TimeSpan.FromMinutes(1)));
        Assert.Equal(100, sends.Count);
    }

    [Fact]
    public void Telegram_OnePrivateChat_AboutOnePerSecond()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(Exact, time);
        var sends = SendTimes(limiter, time, _ => (ChatSurface.Telegram, "42"), TimeSpan.FromSeconds(30));

        Assert.Equal(30, sends.Count);
        Assert.All(sends.Zip(sends.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Discord_AtMostFortyInAnySecondOverall()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(Exact, time);
        var sends = SendTimes(limiter, time, i => (ChatSurface.Discord, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(5));

        Assert.Equal(200, sends.Count);
        Assert.Equal(40, MaxInWindow(sends, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void TryAcquire_WhenTheChatIsBusy_TakesNoOverallRoomThatOtherChatsNeed()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(new FanoutLimits { TelegramPerSecond = 2, TelegramHeadroom = 1, TelegramWindowSlack = TimeSpan.Zero }, time);
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire(ChatSurface.Telegram, "7"));
        time.Advance(TimeSpan.FromMilliseconds(300));
        // Chat 7 is busy for another 700 ms (1/s); it must not use the second overall send of this second.
        Assert.Equal(TimeSpan.FromMilliseconds(700), limiter.TryAcquire(ChatSurface.Telegram, "7"));
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire(ChatSurface.Telegram, "8"));
        Assert.Equal(TimeSpan.FromMilliseconds(700), limiter.TryAcquire(ChatSurface.Telegram, "9"));
    }

    [Fact]
    public async Task AcquireAsync_WaitsOnTheFakeClock()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new FanoutLimiter(Exact, time);
        await limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        var second = limiter.AcquireAsync(ChatSurface.Telegram, "1", CancellationToken.None);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
