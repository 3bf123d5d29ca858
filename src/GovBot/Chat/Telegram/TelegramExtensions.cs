using System.Text.RegularExpressions;
using GovBot.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace GovBot.Chat.Telegram;

/// <summary>Timings and sizes of the Telegram surface; a record so tests can shorten them.</summary>
public sealed record TelegramSurfaceTimings
{
    /// <summary>getUpdates' long-poll timeout; the HTTP timeout is set well above it.</summary>
    public int LongPollSeconds { get; init; } = 30;

    /// <summary>The least time between two getUpdates calls that both came back empty.</summary>
    public TimeSpan EmptyPollPause { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One update's command and reply, together.</summary>
    public TimeSpan UpdateTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan AdminCacheDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times one message waits out a 429, and the longest retry_after worth waiting for.</summary>
    public int FloodRetries { get; init; } = 3;
    public TimeSpan MaxFloodWait { get; init; } = TimeSpan.FromSeconds(60);

    public int Workers { get; init; } = 4;
    public int QueueCapacity { get; init; } = 1000;
}

public static partial class TelegramExtensions
{
    public const string HttpClientName = "telegram";

    [GeneratedRegex(@"^\d{1,20}:[A-Za-z0-9_-]{20,}$")]
    private static partial Regex BotTokenShape();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex WebhookSecretShape();

    /// <summary>
    /// The Telegram surface: options (validated on start), the Bot API client (its HttpClient without logging: every
    /// request URL carries the bot token), the update queue and worker, the surface itself (a hosted service that
    /// long-polls or registers the webhook), and <see cref="TelegramSender"/> for outgoing messages. The command
    /// handler (IChatCommandHandler) is registered by the chat area. In webhook mode, also map
    /// <see cref="TelegramWebhookEndpoint.MapTelegramWebhook"/>.
    /// </summary>
    public static IServiceCollection AddTelegram(this IServiceCollection services, IConfiguration configuration)
    {
        // Messages name the key and never echo its value: the token is a secret.
        services.AddOptions<TelegramOptions>()
            .Bind(configuration.GetSection(TelegramOptions.SectionName))
            .Validate(o => o.BotToken is not null && BotTokenShape().IsMatch(o.BotToken),
                "Telegram:BotToken must look like 123456789:AA… (the token BotFather gave)")
            .Validate(o => o.Mode != TelegramMode.Webhook || (o.WebhookSecret is not null && WebhookSecretShape().IsMatch(o.WebhookSecret)),
                "Telegram:WebhookSecret is required in Webhook mode: 1-256 characters of A-Z, a-z, 0-9, _ and -")
            .Validate(o => o.ApiBaseUrl is null || (Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)),
                "Telegram:ApiBaseUrl must be an absolute http(s) URL, e.g. http://127.0.0.1:8081")
            .ValidateOnStart();
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new TelegramSurfaceTimings());
        services.TryAddSingleton<TelegramBotIdentity>();
        services.TryAddSingleton<TelegramChatAdmins>();
        services.TryAddSingleton<TelegramUpdateQueue>();
        services.TryAddTransient<TelegramSender>();
        services.TryAddScoped<TelegramUpdateHandler>();
        services.AddHostedService<TelegramUpdateWorker>();
        services.AddHostedService<TelegramSurface>();

        services.AddHttpClient(HttpClientName, (sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<TelegramSurfaceTimings>().LongPollSeconds + 60))
            .RemoveAllLoggers()
            .AddTypedClient<ITelegramBotClient>((http, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl), http);
            });

        return services;
    }
}
