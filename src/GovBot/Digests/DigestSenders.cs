using System.Globalization;
using System.Net;
using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Chat.Telegram;

namespace GovBot.Digests;

/// <summary>The chat will never accept a message again (blocked, kicked, deleted, access lost): unsubscribe it.</summary>
public sealed class ChatGoneException(string reason, string? movedToChatId = null, Exception? innerException = null)
    : Exception(reason, innerException)
{
    public string Reason { get; } = reason;

    /// <summary>A Telegram group that became a supergroup lives on under a new id.</summary>
    public string? MovedToChatId { get; } = movedToChatId;
}

/// <summary>Posts one outbox message to one chat of a surface. Throws <see cref="ChatGoneException"/> for a chat that is gone.</summary>
public interface IDigestSender
{
    ChatSurface Surface { get; }

    /// <param name="idempotencyKey">Unique per outbox row; surfaces that can deduplicate on it do.</param>
    /// <param name="gate">Called before every request the message takes (parts, photo, retries) to keep within flood limits.</param>
    Task SendAsync(string chatId, ChatReply reply, string idempotencyKey, SendGate gate, CancellationToken cancellationToken);
}

/// <summary>Telegram: HTML text through <see cref="TelegramSender"/>; a reply with a chart goes as a photo with a caption.</summary>
public sealed class TelegramDigestSender(TelegramSender sender) : IDigestSender
{
    public ChatSurface Surface => ChatSurface.Telegram;

    public async Task SendAsync(string chatId, ChatReply reply, string idempotencyKey, SendGate gate, CancellationToken cancellationToken)
    {
        var id = long.Parse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        try
        {
            if (reply.Image is not null)
                await sender.SendPhotoAsync(id, reply, cancellationToken, gate);
            else
                await sender.SendAsync(id, reply, cancellationToken, gate);
        }
        catch (TelegramChatGoneException e)
        {
            throw new ChatGoneException(e.Reason, e.MigratedToChatId?.ToString(CultureInfo.InvariantCulture), e);
        }
    }
}

/// <summary>
/// Discord: an embed in the channel. A chart is uploaded with the message and shown as the embed's image; one over
/// Discord's upload limit is left out (the embed carries the same numbers).
/// </summary>
public sealed class DiscordDigestSender(DiscordRestClient client, ILogger<DiscordDigestSender> logger) : IDigestSender
{
    /// <summary>10003 Unknown Channel, 50001 Missing Access, 50013 Missing Permissions.</summary>
    private static readonly int[] GoneCodes = [10003, 50001, 50013];

    public ChatSurface Surface => ChatSurface.Discord;

    public async Task SendAsync(string chatId, ChatReply reply, string idempotencyKey, SendGate gate, CancellationToken cancellationToken)
    {
        var message = DiscordEmbedRenderer.Render(reply) with { Nonce = idempotencyKey, EnforceNonce = true };
        if (reply.Image is { } image)
        {
            if (image.Png.Length <= DiscordRestClient.MaxUploadBytes)
                message = DiscordEmbedRenderer.AttachImage(message, image);
            else
                logger.LogWarning("Image {FileName} is {Bytes} bytes, over Discord's {MaxBytes}-byte upload limit; channel {ChannelId} gets the embed without it",
                    image.FileName, image.Png.Length, DiscordRestClient.MaxUploadBytes, chatId);
        }

        try
        {
            // One request; DiscordRestClient waits out its route buckets and 429s inside it.
            using var lease = await gate(cancellationToken);
            await client.CreateMessageAsync(chatId, message, cancellationToken);
        }
        catch (DiscordApiException e) when (e.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound || (e.Code is { } code && GoneCodes.Contains(code)))
        {
            throw new ChatGoneException($"Discord {(int)e.Status} {e.Code}: {e.Message}", innerException: e);
        }
    }
}
