using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace GovBot.Chat.Telegram;

/// <summary>
/// The chat is no longer reachable: the user blocked the bot, the bot was removed, the chat is gone or became a
/// supergroup (then <see cref="MigratedToChatId"/> says where it went). The digest outbox unsubscribes on this.
/// </summary>
public sealed class TelegramChatGoneException(long chatId, string reason, long? migratedToChatId = null, Exception? innerException = null)
    : Exception($"Telegram chat {chatId} is gone: {reason}", innerException)
{
    public long ChatId { get; } = chatId;
    public string Reason { get; } = reason;
    public long? MigratedToChatId { get; } = migratedToChatId;
}

/// <summary>
/// Sends a <see cref="ChatReply"/> to a chat: rendered, split, sent part by part with link previews off. Telegram's
/// flood control (429 with retry_after) is waited out a bounded number of times; a chat that cannot be written to
/// any more becomes a <see cref="TelegramChatGoneException"/>.
/// </summary>
public sealed class TelegramSender(ITelegramBotClient bot, TelegramSurfaceTimings timings, TimeProvider timeProvider, ILogger<TelegramSender> logger)
{
    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };

    /// <summary>Sends the reply and returns the id of every message it took, in order.</summary>
    /// <param name="gate">Passed before every request (each part, each retry), when the caller paces its sends.</param>
    public Task<IReadOnlyList<int>> SendAsync(long chatId, ChatReply reply, CancellationToken cancellationToken, SendGate? gate = null) =>
        SendAsync(chatId, reply, replyToMessageId: null, cancellationToken, gate);

    /// <summary>As <see cref="SendAsync(long, ChatReply, CancellationToken, SendGate?)"/>, the first part replying to <paramref name="replyToMessageId"/>.</summary>
    public async Task<IReadOnlyList<int>> SendAsync(long chatId, ChatReply reply, int? replyToMessageId, CancellationToken cancellationToken, SendGate? gate = null)
    {
        var ids = new List<int>();
        var parts = TelegramRenderer.Render(reply);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var replyTo = i == 0 && replyToMessageId is { } messageId
                ? new ReplyParameters { MessageId = messageId, AllowSendingWithoutReply = true }
                : null;
            var message = await CallAsync(chatId, ct => bot.SendMessage(
                chatId, part.Html, ParseMode.Html, replyParameters: replyTo, replyMarkup: part.Keyboard,
                linkPreviewOptions: NoPreview, cancellationToken: ct), gate, cancellationToken);
            ids.Add(message.MessageId);
        }
        return ids;
    }

    /// <summary>
    /// Sends the reply's image with the reply as its caption when it fits one caption (1024 characters); otherwise the
    /// photo goes with the title only and the full reply follows as text.
    /// </summary>
    public async Task<IReadOnlyList<int>> SendPhotoAsync(long chatId, ChatReply reply, CancellationToken cancellationToken, SendGate? gate = null)
    {
        var image = reply.Image ?? throw new ArgumentException("the reply has no image", nameof(reply));
        var parts = TelegramRenderer.Render(reply, CaptionLimit);
        var fits = parts.Count == 1;
        var caption = fits ? parts[0].Html : "<b>" + TelegramRenderer.Escape(reply.Title) + "</b>";
        var message = await CallAsync(chatId, ct =>
        {
            // A fresh stream per attempt: a 429 retry must upload the whole file again.
            var photo = InputFile.FromStream(new MemoryStream(image.Png, writable: false), image.FileName);
            return bot.SendPhoto(chatId, photo, caption, ParseMode.Html, replyMarkup: fits ? parts[0].Keyboard : null, cancellationToken: ct);
        }, gate, cancellationToken);
        if (fits)
            return [message.MessageId];
        return [message.MessageId, .. await SendAsync(chatId, reply with { Image = null }, cancellationToken, gate)];
    }

    /// <summary>Telegram's limit on a photo caption after entity parsing.</summary>
    public const int CaptionLimit = 1024;

    /// <summary>Shows "typing…" while a slow command works. Cosmetic, so a failure is logged and ignored.</summary>
    public async Task SendTypingAsync(long chatId, CancellationToken cancellationToken)
    {
        try
        {
            await bot.SendChatAction(chatId, ChatAction.Typing, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            logger.LogDebug("sendChatAction failed for chat {ChatId}: {Error}", chatId, e.Message);
        }
    }

    private async Task<T> CallAsync<T>(long chatId, Func<CancellationToken, Task<T>> call, SendGate? gate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var lease = gate is null ? null : await gate(cancellationToken);
                return await call(cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 429 && attempt < timings.FloodRetries)
            {
                var wait = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
                if (wait > timings.MaxFloodWait)
                    throw;
                logger.LogWarning("Telegram flood control for chat {ChatId}: retrying in {Seconds} s", chatId, wait.TotalSeconds);
                await Task.Delay(wait, timeProvider, cancellationToken);
            }
            catch (ApiRequestException e) when (ChatGoneReason(e) is { } reason)
            {
                throw new TelegramChatGoneException(chatId, reason, e.Parameters?.MigrateToChatId, e);
            }
        }
    }

    /// <summary>Which refusals mean "this chat will never accept a message again", as opposed to a passing failure.</summary>
    internal static string? ChatGoneReason(ApiRequestException e)
    {
        if (e.Parameters?.MigrateToChatId is not null)
            return "the group became a supergroup";
        var description = e.Message;
        string[] gone = e.ErrorCode switch
        {
            403 => ["bot was blocked", "bot was kicked", "user is deactivated", "bot is not a member", "bot can't initiate conversation", "chat was deleted"],
            400 => ["chat not found", "group chat was deactivated", "chat was deleted"],
            _ => [],
        };
        var match = gone.FirstOrDefault(g => description.Contains(g, StringComparison.OrdinalIgnoreCase));
        return match ?? (e.ErrorCode == 403 && description.Contains("kicked", StringComparison.OrdinalIgnoreCase) ? "the bot was kicked" : null);
    }
}
