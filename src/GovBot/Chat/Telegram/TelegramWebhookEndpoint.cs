using System.Buffers;
using GovBot.Web;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovBot.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace GovBot.Chat.Telegram;

/// <summary>
/// POST /telegram/webhook: where Telegram delivers updates in webhook mode. The secret header is checked in constant
/// time before the body is read; a valid update is queued and answered 200 at once, because Telegram waits for the
/// answer before it delivers the next update to this bot.
/// </summary>
public static class TelegramWebhookEndpoint
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Updates are small JSON documents; 1 MiB leaves ample room.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointConventionBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Path, HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        [FromServices] IOptions<TelegramOptions> options,
        [FromServices] TelegramUpdateQueue queue,
        [FromServices] ILoggerFactory loggerFactory)
    {
        if (!SecretMatches(context.Request.Headers[SecretHeader].ToString(), options.Value.WebhookSecret))
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        if (context.Request.ContentLength > MaxBodyBytes)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = await RequestBody.ReadCappedAsync(context.Request.Body, buffer, MaxBodyBytes, context.RequestAborted);
            if (length > MaxBodyBytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

            Update? update;
            try
            {
                update = JsonSerializer.Deserialize<Update>(buffer.AsSpan(0, length), JsonBotAPI.Options);
            }
            catch (JsonException)
            {
                update = null;
            }
            if (update is null)
                return Results.StatusCode(StatusCodes.Status400BadRequest);

            if (!queue.TryEnqueue(update))
            {
                // Telegram redelivers an update that was not answered 2xx, so refusing loses nothing.
                loggerFactory.CreateLogger(typeof(TelegramWebhookEndpoint)).LogWarning("Telegram update queue is full; refusing update {UpdateId}", update.Id);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            return Results.Ok();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Compares SHA-256 digests with FixedTimeEquals, so neither the content nor the length of the secret leaks through timing.</summary>
    internal static bool SecretMatches(string presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(presented))
            return false;
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
