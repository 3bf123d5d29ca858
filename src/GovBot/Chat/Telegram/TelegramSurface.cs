using GovBot.Configuration;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace GovBot.Chat.Telegram;

/// <summary>
/// The Telegram surface's lifecycle. At start: learn the bot's username (getMe), publish the command menu
/// (setMyCommands), then either register the webhook (setWebhook with the secret, at Web:PublicBaseUrl +
/// /telegram/webhook) or remove any webhook and long-poll getUpdates until the host stops. Every call is retried
/// with backoff; nothing here ends the host.
/// </summary>
public sealed class TelegramSurface(
    IServiceProvider services,
    TelegramBotIdentity identity,
    TelegramUpdateQueue queue,
    TelegramSurfaceTimings timings,
    IOptions<TelegramOptions> options,
    IOptions<WebOptions> web,
    TimeProvider timeProvider,
    ILogger<TelegramSurface> logger) : BackgroundService
{
    private static readonly UpdateType[] AllowedUpdates = [UpdateType.Message];

    /// <summary>Telegram's rule for command names; anything else makes setMyCommands fail as a whole.</summary>
    internal static bool IsValidCommandName(string name) =>
        name.Length is >= 1 and <= 32 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    internal static IReadOnlyList<BotCommand> MenuCommands() =>
        CommandCatalog.All
            .Select(c => (Name: c.Name.ToLowerInvariant(), c.Description))
            .Where(c => IsValidCommandName(c.Name))
            .Select(c => new BotCommand(c.Name, c.Description.Length <= 256 ? c.Description : c.Description[..255] + "…"))
            .ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await RetryAsync("getMe", bot => identity.GetUserNameAsync(bot, stoppingToken), stoppingToken);
            logger.LogInformation("Telegram bot @{UserName} starting in {Mode} mode", identity.UserName, options.Value.Mode);
            await PublishCommandsAsync(stoppingToken);

            if (options.Value.Mode == TelegramMode.Webhook)
            {
                var url = web.Value.PublicBaseUrl.TrimEnd('/') + TelegramWebhookEndpoint.Path;
                await RetryAsync("setWebhook", bot => bot.SetWebhook(url, secretToken: options.Value.WebhookSecret,
                    allowedUpdates: AllowedUpdates, cancellationToken: stoppingToken), stoppingToken);
                logger.LogInformation("Telegram webhook registered at {Url}", url);
                return;
            }

            // getUpdates fails with 409 while a webhook is set.
            await RetryAsync("deleteWebhook", bot => bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken), stoppingToken);
            await PollAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishCommandsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Bot().SetMyCommands(MenuCommands(), cancellationToken: stoppingToken);
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            // The menu is a convenience: commands work without it, and a Bot API emulator may not implement it.
            logger.LogWarning("setMyCommands failed; the command menu is not updated: {Error}", e.Message);
        }
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        int? offset = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = timeProvider.GetTimestamp();
                var updates = await Bot().GetUpdates(offset, limit: 100, timeout: timings.LongPollSeconds, allowedUpdates: AllowedUpdates, cancellationToken: stoppingToken);
                failures = 0;
                foreach (var update in updates)
                {
                    offset = update.Id + 1;
                    await queue.EnqueueAsync(update, stoppingToken);
                }

                // A server that answers an empty long poll at once (an emulator, a proxy) must not make this loop spin.
                var elapsed = timeProvider.GetElapsedTime(started);
                if (updates.Length == 0 && elapsed < timings.EmptyPollPause)
                    await Task.Delay(timings.EmptyPollPause - elapsed, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = Backoff(failures);
                if (e is ApiRequestException { ErrorCode: 409 })
                    logger.LogError("getUpdates conflicts with a webhook or another running instance; retrying in {Delay}: {Error}", delay, e.Message);
                else
                    logger.LogWarning("getUpdates failed ({Failures} in a row), retrying in {Delay}: {ErrorType} {Error}", failures, delay, e.GetType().Name, e.Message);
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
        }
    }

    private async Task RetryAsync(string what, Func<ITelegramBotClient, Task> call, CancellationToken stoppingToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await call(Bot());
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff(failures);
                logger.LogWarning("Telegram {Call} failed, retrying in {Delay}: {ErrorType} {Error}", what, delay, e.GetType().Name, e.Message);
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(timings.MaxBackoff.Ticks, timings.InitialBackoff.Ticks * (1L << Math.Min(failures - 1, 16))));

    // The client is a typed HttpClient consumer: resolving it per use lets the factory rotate handlers.
    private ITelegramBotClient Bot() => services.GetRequiredService<ITelegramBotClient>();
}
