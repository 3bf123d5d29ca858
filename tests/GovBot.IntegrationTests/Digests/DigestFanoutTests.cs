using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Digests;
using GovBot.IntegrationTests.Telegram;
using GovBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace GovBot.IntegrationTests.Digests;

/// <summary>Its own anvil, seeded like the shared one: these tests mine blocks and change proposal states.</summary>
public sealed class DigestDevnetFixture : IAsyncLifetime
{
    private AnvilProcess? _anvil;

    public DevnetDeployment Deployment { get; private set; } = null!;
    public DevnetChain Chain { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var artifacts = await ContractArtifacts.LoadAsync(timeout.Token);
        _anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow), timeout.Token);
        Deployment = await new DevnetSeeder(_anvil.RpcUrl, artifacts).SeedAsync(timeout.Token);
        Chain = new DevnetChain(_anvil.RpcUrl);
    }

    public async Task DisposeAsync()
    {
        if (_anvil is not null)
            await _anvil.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DigestsCollection : ICollectionFixture<DigestDevnetFixture>, ICollectionFixture<TelegramEmulator>
{
    public const string Name = "digests";
}

[Collection(DigestsCollection.Name)]
public sealed class DigestFanoutTests(DigestDevnetFixture devnet, TelegramEmulator emulator)
{
    private const string AllButDigest = "created,active,ending,quorum,result,queued,executed,canceled";
    private const long BlockedChat = 9999;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static Action<JsonObject> TelegramConfig(string token, string apiBaseUrl) => config =>
        config["Telegram"] = new JsonObject { ["BotToken"] = token, ["Mode"] = "Polling", ["ApiBaseUrl"] = apiBaseUrl };

    private static Action<IServiceCollection> DigestServices(double telegramPerSecond) => services =>
    {
        services.AddIndexerService();
        services.Replace(ServiceDescriptor.Singleton(new DigestTimings
        {
            DetectInterval = TimeSpan.FromMilliseconds(300),
            OutboxIdlePoll = TimeSpan.FromMilliseconds(100),
            ClaimBatch = 16,
            Concurrency = 8,
        }));
        services.Replace(ServiceDescriptor.Singleton(new FanoutLimits { TelegramPerSecond = telegramPerSecond }));
        services.AddDigestServices();
    };

    /// <summary>Every message the bot sent under this token, grouped by chat, from the emulator's history.</summary>
    private async Task<Dictionary<long, List<string>>> BotMessagesAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(emulator.ApiBaseUrl) };
        using var response = await http.PostAsync("/getUpdatesHistory", JsonContent(new { token }));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("result").EnumerateArray()
            .Select(u => u.GetProperty("message"))
            .Where(m => m.TryGetProperty("chat_id", out _))
            .GroupBy(m => long.Parse(m.GetProperty("chat_id").ToString(), System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Select(m => m.GetProperty("text").GetString() ?? "").ToList());
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private static async Task<T> QueryAsync<T>(GovBotTestHost host, string sql)
    {
        await using var connection = await host.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException("null from " + sql);
    }

    [Fact]
    public async Task FanOut_FiftyChats_EachEventOnce_AcrossAStopMidFanOutAndRestart_AndABlockedChatIsUnsubscribed()
    {
        var token = TelegramEmulator.NewBotToken();
        await using var proxy = await BlockingTelegramProxy.StartAsync(emulator.ApiBaseUrl, BlockedChat);
        var dao = devnet.Deployment.Dao("devnet");
        var chats = Enumerable.Range(1001, 50).Select(i => (long)i).ToList();

        var first = GovBotTestHost.Create([dao], TelegramConfig(token, proxy.Url), services: DigestServices(telegramPerSecond: 10));
        var folder = first.Folder;
        await first.App.StartAsync();

        // First start: the seeded history (every state on this DAO) is marked seen and nothing is posted.
        await WaitForAsync(async () => await QueryAsync<long>(first, "SELECT COUNT(*) FROM notification_baselines") == 1, "the first-start baseline");
        Assert.True(await QueryAsync<long>(first, "SELECT COUNT(*) FROM notification_events WHERE announced = 0") >= 10);
        Assert.Equal(0, await QueryAsync<long>(first, "SELECT COUNT(*) FROM outbox"));

        // One chat subscribes the real way, through the bot; the other 49 and the blocked chat are stored directly.
        await emulator.SendAsync(token, new TelegramTestChat(chats[0], chats[0]), "/subscribe " + AllButDigest);
        var reply = Assert.Single(await emulator.WaitForBotMessagesAsync(token, chats[0], 1));
        Assert.Contains("Subscribed to devnet", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        var store = first.Services.GetRequiredService<SubscriptionStore>();
        foreach (var chat in chats.Skip(1).Append(BlockedChat))
            await store.SaveAsync(ChatSurface.Telegram, chat.ToString(System.Globalization.CultureInfo.InvariantCulture), dao.Name, SubscriptionParser.Parse(AllButDigest), CancellationToken.None);

        // A day of blocks: the pending proposal's voting opens on chain.
        await devnet.Chain.MineAsync(110, intervalSeconds: 800);
        await WaitForAsync(async () => await QueryAsync<long>(first, "SELECT COUNT(*) FROM notification_events WHERE announced = 1 AND kind = 'active'") >= 1, "the voting-opened event");

        // Stop the host mid-fan-out (10 messages a second, 50 chats).
        await WaitForAsync(async () => (await BotMessagesAsync(token)).Values.Sum(m => m.Count) >= 15, "the first sends");
        await first.App.StopAsync();
        var sentBeforeStop = await QueryAsync<long>(first, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'");
        var totalRows = await QueryAsync<long>(first, "SELECT COUNT(*) FROM outbox");
        await first.App.DisposeAsync();
        Assert.True(sentBeforeStop < totalRows, $"the stop came mid-fan-out ({sentBeforeStop} of {totalRows} sent)");

        // A new host on the same database finishes the job.
        await using var second = GovBotTestHost.Create([dao], TelegramConfig(token, proxy.Url), folder: folder, services: DigestServices(telegramPerSecond: 30));
        await second.App.StartAsync();
        await WaitForAsync(async () => await QueryAsync<long>(second, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0, "the outbox to drain");
        await second.App.StopAsync();

        var announced = await QueryAsync<long>(second, "SELECT COUNT(*) FROM notification_events WHERE announced = 1");
        Assert.True(announced >= 1);
        var messages = await BotMessagesAsync(token);
        foreach (var chat in chats)
        {
            var received = messages.GetValueOrDefault(chat, []).Where(t => !t.Contains("Subscribed to devnet", StringComparison.Ordinal)).ToList();
            Assert.True(received.Count == announced, $"chat {chat} got {received.Count} messages for {announced} events");
            Assert.Equal(received.Count, received.Distinct().Count());
        }

        Assert.Contains(messages[chats[0]], t => t.Contains("Voting opened in devnet", StringComparison.Ordinal));
        Assert.False(messages.ContainsKey(BlockedChat));
        Assert.True(proxy.Refused >= 1);
        Assert.Equal(0, await QueryAsync<long>(second, $"SELECT COUNT(*) FROM subscriptions WHERE chat_id = '{BlockedChat}'"));
        Assert.Equal(0, await QueryAsync<long>(second, $"SELECT COUNT(*) FROM outbox WHERE chat_id = '{BlockedChat}' AND status <> 'dropped'"));
        Assert.Equal(chats.Count * announced, await QueryAsync<long>(second, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'"));
    }

    [Fact]
    public async Task ScheduledDigest_FiresAtNineInTheChatsTimeZone_OnTheFakeClock()
    {
        var token = TelegramEmulator.NewBotToken();
        var dao = devnet.Deployment.Dao("devnet-ts");
        var fake = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = GovBotTestHost.Create([dao], TelegramConfig(token, emulator.ApiBaseUrl), services: services =>
        {
            services.Replace(ServiceDescriptor.Singleton(new DigestTimings { OutboxIdlePoll = TimeSpan.FromMilliseconds(100) }));
            services.AddSingleton<OutboxDispatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        });
        await host.App.StartAsync();
        const long chat = 5151;
        await host.Services.GetRequiredService<SubscriptionStore>().SaveAsync(ChatSurface.Telegram, chat.ToString(System.Globalization.CultureInfo.InvariantCulture), dao.Name,
            SubscriptionParser.Parse("digest at:09:00 tz:Asia/Tokyo"), CancellationToken.None);

        // The scheduler alone runs on the fake clock; delivery runs on the real one.
        var scheduler = ActivatorUtilities.CreateInstance<DigestScheduler>(host.Services, (TimeProvider)fake);
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
            var localNow = TimeZoneInfo.ConvertTime(fake.GetUtcNow(), tokyo);
            var nineLocal = new DateTimeOffset(localNow.Date.AddHours(9), TimeSpan.FromHours(9));
            if (nineLocal <= localNow.AddMinutes(1))
                nineLocal = nineLocal.AddDays(1);
            fake.Advance(nineLocal - fake.GetUtcNow() - TimeSpan.FromSeconds(30));
            Assert.Equal(0, await QueryAsync<long>(host, "SELECT COUNT(*) FROM outbox"));

            // Step past 09:00 a second at a time, as the clock would move, until the digest is queued.
            var deadline = DateTime.UtcNow + Patience;
            while (await QueryAsync<long>(host, "SELECT COUNT(*) FROM outbox") == 0 && DateTime.UtcNow < deadline)
            {
                fake.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(20);
            }

            var digest = Assert.Single(await emulator.WaitForBotMessagesAsync(token, chat, 1, Patience));
            Assert.Contains("devnet-ts digest", digest.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal($"digest:devnet-ts:{nineLocal.ToUnixTimeSeconds()}", await QueryAsync<string>(host, "SELECT event_key FROM outbox"));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
            await host.App.StopAsync();
        }
    }
}
