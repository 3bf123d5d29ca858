using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Telegram;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace GovBot.Tests.Telegram;

/// <summary>
/// The sender's error handling with the real Telegram.Bot client against a local server that answers the way the
/// Bot API does for flood control and gone chats (the emulator cannot produce these).
/// </summary>
public sealed class TelegramSenderTests
{
    private const string Token = "123456:AAHabcdefghijklmnopqrstuvwxyz0123456";
    private const long ChatId = 777;

    private static readonly TelegramSurfaceTimings Timings = new() { FloodRetries = 2, MaxFloodWait = TimeSpan.FromSeconds(5) };

    private static async Task<(LocalHttpServer Server, TelegramSender Sender)> StartAsync(Func<int, string> answer)
    {
        var calls = 0;
        var server = await LocalHttpServer.StartAsync(async (context, _) =>
        {
            var json = answer(Interlocked.Increment(ref calls));
            using var doc = JsonDocument.Parse(json);
            context.Response.StatusCode = doc.RootElement.TryGetProperty("error_code", out var code) ? code.GetInt32() : 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        });
        var bot = new TelegramBotClient(new TelegramBotClientOptions(Token, server.Url.ToString().TrimEnd('/')), new HttpClient());
        return (server, new TelegramSender(bot, Timings, TimeProvider.System, NullLogger<TelegramSender>.Instance));
    }

    private static string Sent(int messageId) => JsonSerializer.Serialize(new
    {
        ok = true,
        result = new { message_id = messageId, date = 1_750_000_000, chat = new { id = ChatId, type = "private" }, text = "x" },
    });

    private static string Error(int code, string description, string? parameters = null) =>
        JsonSerializer.Serialize(new { ok = false, error_code = code, description, parameters = parameters is null ? (JsonElement?)null : JsonDocument.Parse(parameters).RootElement });

    [Fact]
    public async Task Send_AfterFloodControl_WaitsRetryAfterAndSucceeds()
    {
        var (server, sender) = await StartAsync(call => call == 1 ? Error(429, "Too Many Requests: retry after 1", """{"retry_after":1}""") : Sent(99));
        await using var running = server;

        var started = DateTime.UtcNow;
        var ids = await sender.SendAsync(ChatId, new ChatReply("t", "b"), CancellationToken.None);

        Assert.Equal([99], ids);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task Send_WhenRetryAfterIsLongerThanWorthWaiting_Throws()
    {
        var (server, sender) = await StartAsync(_ => Error(429, "Too Many Requests: retry after 3600", """{"retry_after":3600}"""));
        await using var running = server;

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => sender.SendAsync(ChatId, new ChatReply("t", "b"), CancellationToken.None));
        Assert.Equal(429, e.ErrorCode);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(403, "Forbidden: bot was blocked by the user")]
    [InlineData(403, "Forbidden: bot was kicked from the group chat")]
    [InlineData(400, "Bad Request: chat not found")]
    public async Task Send_ToAChatThatIsGone_ThrowsTelegramChatGone(int code, string description)
    {
        var (server, sender) = await StartAsync(_ => Error(code, description));
        await using var running = server;

        var e = await Assert.ThrowsAsync<TelegramChatGoneException>(() => sender.SendAsync(ChatId, new ChatReply("t", "b"), CancellationToken.None));
        Assert.Equal(ChatId, e.ChatId);
        Assert.Null(e.MigratedToChatId);
    }

    [Fact]
    public async Task Send_ToAGroupThatBecameASupergroup_SaysWhereItWent()
    {
        var (server, sender) = await StartAsync(_ => Error(400, "Bad Request: group chat was upgraded to a supergroup chat", """{"migrate_to_chat_id":-1001234}"""));
        await using var running = server;

        var e = await Assert.ThrowsAsync<TelegramChatGoneException>(() => sender.SendAsync(ChatId, new ChatReply("t", "b"), CancellationToken.None));
        Assert.Equal(-1001234, e.MigratedToChatId);
    }

    [Fact]
    public async Task Send_LongReply_SendsEveryPart_ReplyingOnlyWithTheFirst()
    {
        var (server, sender) = await StartAsync(call => Sent(call));
        await using var running = server;
        var reply = new ChatReply("t", string.Join("\n\n", Enumerable.Repeat(new string('x', 3000), 3))) { Links = [new ChatLink("Tally", "https://www.tally.xyz/")] };

        var ids = await sender.SendAsync(ChatId, reply, replyToMessageId: 5, CancellationToken.None);

        Assert.Equal([1, 2, 3], ids);
        var bodies = server.Requests.Select(b => JsonDocument.Parse(b).RootElement).ToList();
        Assert.Equal(5, bodies[0].GetProperty("reply_parameters").GetProperty("message_id").GetInt32());
        Assert.All(bodies.Skip(1), b => Assert.False(b.TryGetProperty("reply_parameters", out _)));
        Assert.All(bodies.SkipLast(1), b => Assert.False(b.TryGetProperty("reply_markup", out _)));
        Assert.True(bodies[^1].TryGetProperty("reply_markup", out _));
    }
}
