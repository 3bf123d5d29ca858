using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using GovBot.Chat;
using GovBot.Chat.Telegram;
using GovBot.Digests;
using GovBot.Storage;
using GovBot.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.Bench;

/// <summary>
/// One event fanned out to 1,000 Telegram chats through the real outbox, limiter, TelegramDigestSender and
/// Telegram.Bot client, against telegram-test-api. Between the two sits a flood-control proxy that answers 429 (with
/// retry_after) whenever more than 30 sends fall in any one-second window or a chat gets two within a second, so
/// "zero 429s" is measured, not assumed.
/// </summary>
public static class FanoutBenchmark
{
    private const int Chats = 1000;

    public static async Task RunAsync(string command)
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(BenchResults.Folder))!;
        await using var emulator = await Emulator.StartAsync(Path.Combine(root, "tests", "GovBot.IntegrationTests", "node"));
        await using var proxy = await FloodControlProxy.StartAsync(emulator.Url);
        var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
        var token = "123456:AAH" + Guid.NewGuid().ToString("N");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "govbot.db")}",
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = proxy.Url,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddTelegram(configuration);
        services.AddDigests(configuration);
        services.AddSingleton(new DigestTimings { ClaimBatch = 256, Concurrency = 64 });
        services.AddSingleton<OutboxDispatcher>();
        await using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<SqliteDatabase>();
        var subscriptions = provider.GetRequiredService<SubscriptionStore>();
        for (var chat = 1; chat <= Chats; chat++)
            await subscriptions.SaveAsync(ChatSurface.Telegram, chat.ToString(CultureInfo.InvariantCulture), "bench", SubscriptionSpec.Default, CancellationToken.None);

        var reply = new ChatReply("🗳️ Voting opened in bench", "#42 Fund the <b>grants</b> program\nVoting ends in three days.")
        {
            Facts = [new ChatFact("Voting ends", "2025-06-04 12:00 UTC")],
        };
        var enqueue = Stopwatch.StartNew();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO notification_events (dao, proposal_id, kind, title, reply_json, detected_at, announced) VALUES ('bench', '42', 'active', 'Fund', @json, 0, 1) RETURNING id",
                new { json = ReplyJson.Serialize(reply) }, transaction);
            await NotificationDetector.EnqueueAsync(connection, transaction, "bench", NotificationKinds.Active, id, DateTimeOffset.UtcNow, CancellationToken.None);
            await transaction.CommitAsync();
        }

        enqueue.Stop();
        var dispatcher = provider.GetRequiredService<OutboxDispatcher>();
        var limiter = provider.GetRequiredService<FanoutLimiter>();
        var clock = Stopwatch.StartNew();
        while (await dispatcher.DrainOnceAsync(CancellationToken.None) > 0)
        {
        }

        clock.Stop();
        var counts = await provider.GetRequiredService<OutboxStore>().CountsAsync(CancellationToken.None);
        var delivered = await emulator.CountAsync(token);
        var arrivals = proxy.Arrivals.OrderBy(a => a).ToList();
        var span = (arrivals[^1] - arrivals[0]).TotalSeconds;
        var achieved = (arrivals.Count - 1) / span;
        var allowed = limiter.OverallRate(ChatSurface.Telegram);
        var maxInSecond = arrivals.Select((t, i) => arrivals.Skip(i).TakeWhile(u => (u - t).TotalSeconds < 1).Count()).Max();

        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"One event fanned out to {Chats} Telegram private chats through the SQLite outbox, FanoutLimiter, TelegramDigestSender and Telegram.Bot, against telegram-test-api 4.2.1 behind a flood-control proxy (429 above 30 sends in any 1 s window, or 2 to one chat within 1 s).")
            .AppendLine()
            .AppendLine("| measure | value |")
            .AppendLine("|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| enqueue (1 event → {Chats} outbox rows, one transaction) | {enqueue.Elapsed.TotalMilliseconds:0} ms |")
            .AppendLine(CultureInfo.InvariantCulture, $"| delivered (outbox sent / emulator stored) | {counts.Sent} / {delivered} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| fan-out wall time | {clock.Elapsed.TotalSeconds:0.00} s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| achieved rate (first to last send at the proxy) | {achieved:0.00} msg/s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| allowed rate (Telegram's published limit) | {allowed:0} msg/s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| limiter rule | {allowed:0} sends per 1 s, each holding its place from leaving until 1 s after its answer |")
            .AppendLine(CultureInfo.InvariantCulture, $"| achieved / allowed | {achieved / allowed * 100:0.0}% (goal ≥ 90%) |")
            .AppendLine(CultureInfo.InvariantCulture, $"| most sends in any 1 s window | {maxInSecond} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| 429 answers from the proxy | {proxy.TooManyRequests} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| failed / dropped rows | {counts.Failed} / {counts.Dropped} |");
        await BenchResults.WriteAsync("fanout", command, body.ToString());
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class FloodControlProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _upstream;
        private readonly Lock _lock = new();
        private readonly Queue<DateTimeOffset> _window = new();
        private readonly Dictionary<string, DateTimeOffset> _lastPerChat = [];
        private int _tooMany;

        private FloodControlProxy(WebApplication app, string upstream)
        {
            _app = app;
            _upstream = new HttpClient { BaseAddress = new Uri(upstream) };
        }

        public string Url { get; private set; } = "";
        public ConcurrentBag<DateTimeOffset> Arrivals { get; } = [];
        public int TooManyRequests => _tooMany;

        public static async Task<FloodControlProxy> StartAsync(string upstream)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var proxy = new FloodControlProxy(app, upstream);
            app.Run(proxy.HandleAsync);
            await app.StartAsync();
            proxy.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return proxy;
        }

        private async Task HandleAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var path = context.Request.Path.Value ?? "";
            if (path.EndsWith("/sendMessage", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(body);
                var chat = json.RootElement.GetProperty("chat_id").ToString();
                bool refuse;
                DateTimeOffset now;
                lock (_lock)
                {
                    // Read the clock under the lock: the window is a queue that must stay in time order, or a stale
                    // timestamp stuck behind a newer one is counted too long and produces a 429 that never happened.
                    now = DateTimeOffset.UtcNow;
                    while (_window.Count > 0 && now - _window.Peek() >= TimeSpan.FromSeconds(1))
                        _window.Dequeue();
                    refuse = _window.Count >= 30 || (_lastPerChat.TryGetValue(chat, out var last) && now - last < TimeSpan.FromSeconds(1));
                    if (!refuse)
                    {
                        _window.Enqueue(now);
                        _lastPerChat[chat] = now;
                    }
                }

                if (refuse)
                {
                    Interlocked.Increment(ref _tooMany);
                    context.Response.StatusCode = 429;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");
                    return;
                }

                Arrivals.Add(now);
            }

            await HttpForwarding.ForwardAsync(_upstream, context, body);
        }

        public async ValueTask DisposeAsync()
        {
            _upstream.Dispose();
            await _app.DisposeAsync();
        }
    }

    private sealed class Emulator : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _http;

        private Emulator(Process process, string url)
        {
            _process = process;
            Url = url;
            _http = new HttpClient { BaseAddress = new Uri(url) };
        }

        public string Url { get; }

        public static async Task<Emulator> StartAsync(string nodeDir)
        {
            if (!Directory.Exists(Path.Combine(nodeDir, "node_modules", "telegram-test-api")))
                throw new InvalidOperationException($"run `npm ci` in {nodeDir} first");
            var process = Process.Start(new ProcessStartInfo("node", "telegram-emulator.js")
            {
                WorkingDirectory = nodeDir,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the emulator did not start");
            var port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
            return new Emulator(process, $"http://127.0.0.1:{port}");
        }

        public async Task<int> CountAsync(string token)
        {
            using var content = new StringContent(JsonSerializer.Serialize(new { token }), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync("/getUpdatesHistory", content);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("result").EnumerateArray().Count(u => u.GetProperty("message").TryGetProperty("chat_id", out _));
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
            await Task.CompletedTask;
        }
    }
}
