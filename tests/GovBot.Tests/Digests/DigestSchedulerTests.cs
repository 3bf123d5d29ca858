using Dapper;
using GovBot.Chat;
using GovBot.Digests;

namespace GovBot.Tests.Digests;

public sealed class DigestSchedulerTests
{
    private static async Task<List<(string ChatId, long Slot)>> DigestRowsAsync(DigestTestServices services)
    {
        await using var connection = await services.Database.OpenAsync(CancellationToken.None);
        var keys = await connection.QueryAsync<(string, string)>("SELECT chat_id, event_key FROM outbox WHERE kind = 'digest' ORDER BY id");
        return keys.Select(k => (k.Item1, long.Parse(k.Item2.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    [Fact]
    public async Task Scheduler_FiresAtNineBerlinTime_OnBothSidesOfTheSpringDstChange()
    {
        // Saturday 29 March 2025, 06:00 UTC (07:00 CET). Clocks go forward at 01:00 UTC on Sunday 30 March.
        using var services = new DigestTestServices(new DateTimeOffset(2025, 3, 29, 6, 0, 0, TimeSpan.Zero));
        await services.Get<SubscriptionStore>().SaveAsync(ChatSurface.Telegram, "-100500", DigestTestServices.Dao,
            SubscriptionParser.Parse("digest at:09:00 tz:Europe/Berlin"), CancellationToken.None);
        var scheduler = services.Get<DigestScheduler>();

        var next = await scheduler.RunOnceAsync(CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2025, 3, 29, 8, 0, 0, TimeSpan.Zero), next); // 09:00 CET
        services.Time.Advance(next!.Value - services.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await scheduler.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await DigestRowsAsync(services));

        services.Time.Advance(TimeSpan.FromSeconds(1));
        next = await scheduler.RunOnceAsync(CancellationToken.None);
        Assert.Equal([("-100500", new DateTimeOffset(2025, 3, 29, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds())], await DigestRowsAsync(services));
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 7, 0, 0, TimeSpan.Zero), next); // 09:00 CEST, an hour earlier in UTC

        // Running again in the same slot, or after a restart, queues nothing more.
        await scheduler.RunOnceAsync(CancellationToken.None);
        Assert.Single(await DigestRowsAsync(services));

        services.Time.Advance(next!.Value - services.Time.GetUtcNow());
        await scheduler.RunOnceAsync(CancellationToken.None);
        var rows = await DigestRowsAsync(services);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 7, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), rows[1].Slot);
    }

    [Fact]
    public async Task BackgroundScheduler_OnTheFakeClock_FiresAtTheLocalTimeOnly()
    {
        // Autumn: Berlin falls back at 01:00 UTC on Sunday 26 October 2025; 09:00 CET is then 08:00 UTC.
        using var services = new DigestTestServices(new DateTimeOffset(2025, 10, 25, 12, 0, 0, TimeSpan.Zero));
        await services.Get<SubscriptionStore>().SaveAsync(ChatSurface.Telegram, "77", DigestTestServices.Dao,
            SubscriptionParser.Parse("all at:09:00 tz:Europe/Berlin"), CancellationToken.None);
        var scheduler = services.Get<DigestScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            // Step the fake clock a minute at a time, as real time would pass, through the night and the DST change.
            var fireAt = new DateTimeOffset(2025, 10, 26, 8, 0, 0, TimeSpan.Zero);
            while (services.Time.GetUtcNow() < fireAt - TimeSpan.FromMinutes(1))
            {
                services.Time.Advance(TimeSpan.FromMinutes(1));
                await Task.Yield();
            }

            await Task.Delay(200); // let a wrongly-early round finish writing before checking there is none
            Assert.Empty(await DigestRowsAsync(services));
            services.Time.Advance(TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await DigestRowsAsync(services)).Count == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            Assert.Equal([("77", fireAt.ToUnixTimeSeconds())], await DigestRowsAsync(services));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }
}
