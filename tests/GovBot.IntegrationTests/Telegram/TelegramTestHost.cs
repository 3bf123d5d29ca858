using System.Collections.Concurrent;
using GovBot.Chat;
using GovBot.Chat.Telegram;
using GovBot.IntegrationTests.Discord;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Telegram;

/// <summary>
/// GovBot's Telegram surface on a real Kestrel host at 127.0.0.1:0, its real Telegram.Bot client pointed at the
/// emulator, commands answered by a <see cref="ScriptedCommandHandler"/>. Every log line is kept so tests can
/// check that the bot token never appears in one.
/// </summary>
public sealed class TelegramTestHost : IAsyncDisposable
{
    public const string WebhookSecret = "test-webhook-secret_42";

    public static readonly TelegramSurfaceTimings FastTimings = new()
    {
        LongPollSeconds = 1,
        EmptyPollPause = TimeSpan.FromMilliseconds(50),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(1),
        // One worker keeps updates in order, so "this one was ignored" is proven by the next one's reply arriving first.
        Workers = 1,
    };

    private TelegramTestHost(WebApplication app, string botToken, CapturingLoggerProvider logs, HttpClient client)
    {
        App = app;
        BotToken = botToken;
        Logs = logs;
        Client = client;
    }

    public WebApplication App { get; }
    public string BotToken { get; }
    public CapturingLoggerProvider Logs { get; }
    public HttpClient Client { get; }
    public ScriptedCommandHandler Handler => App.Services.GetRequiredService<ScriptedCommandHandler>();

    public static async Task<TelegramTestHost> StartAsync(TelegramEmulator emulator, string mode = "Polling", string? botToken = null)
    {
        var token = botToken ?? TelegramEmulator.NewBotToken();
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = emulator.ApiBaseUrl,
            ["Telegram:Mode"] = mode,
            ["Telegram:WebhookSecret"] = WebhookSecret,
            // The emulator would forward user messages here; webhook tests post updates themselves instead.
            ["Web:PublicBaseUrl"] = "http://127.0.0.1:9/",
        });
        builder.Services.AddSingleton(FastTimings);
        builder.Services.AddTelegram(builder.Configuration);
        builder.Services.AddSingleton<ScriptedCommandHandler>();
        builder.Services.AddSingleton<IChatCommandHandler>(sp => sp.GetRequiredService<ScriptedCommandHandler>());

        var app = builder.Build();
        app.MapTelegramWebhook();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        return new TelegramTestHost(app, token, logs, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
