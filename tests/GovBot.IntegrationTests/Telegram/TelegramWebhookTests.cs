using System.Net;
using System.Text;
using System.Text.Json;
using GovBot.Chat.Telegram;
using GovBot.Tests.Telegram;

namespace GovBot.IntegrationTests.Telegram;

/// <summary>
/// Webhook mode on a real Kestrel host. The tests post updates the way Telegram does (JSON body, secret header);
/// replies go out through the real client to the emulator, where the simulated user reads them.
/// </summary>
[Collection(TelegramEmulatorCollection.Name)]
public sealed class TelegramWebhookTests(TelegramEmulator emulator)
{
    private const long ChatId = 5151;

    private static string Update(int updateId, string text, long chatId = ChatId) => JsonSerializer.Serialize(new
    {
        update_id = updateId,
        message = new
        {
            message_id = 1000 + updateId,
            date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            text,
            from = new { id = chatId, is_bot = false, first_name = "Tess" },
            chat = new { id = chatId, type = "private", first_name = "Tess" },
            entities = text.StartsWith('/') ? new[] { new { offset = 0, length = text.Split(' ')[0].Length, type = "bot_command" } } : null,
        },
    });

    private static Task<HttpResponseMessage> PostAsync(TelegramTestHost host, string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhookEndpoint.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
            request.Headers.Add(TelegramWebhookEndpoint.SecretHeader, secret);
        return host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Webhook_WithRightSecret_Returns200_AndTheReplyReachesTheUser()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator, "Webhook");
        host.Handler.Reply = (request, _) => Task.FromResult(new GovBot.Chat.ChatReply("<b>Evil</b> & \"quotes\"", $"proposal {request.Argument("id")}"));

        using var response = await PostAsync(host, Update(1, "/proposal 42"), TelegramTestHost.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var reply = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, ChatId, 1));
        Assert.Equal("<b>Evil</b> & \"quotes\"\n\nproposal 42", TelegramHtml.VisibleText(reply.GetProperty("text").GetString()!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-secret")]
    [InlineData("test-webhook-secret_4")]
    [InlineData("TEST-WEBHOOK-SECRET_42")]
    public async Task Webhook_WithMissingOrWrongSecret_Returns401_AndProcessesNothing(string? secret)
    {
        await using var host = await TelegramTestHost.StartAsync(emulator, "Webhook");

        using var rejected = await PostAsync(host, Update(1, "/proposals"), secret);
        using var accepted = await PostAsync(host, Update(2, "/treasury"), TelegramTestHost.WebhookSecret);
        var reply = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, ChatId, 1));

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("<b>/treasury</b>\n\nok", reply.GetProperty("text").GetString());
        Assert.Equal("treasury", Assert.Single(host.Handler.Requests).Command);
    }

    [Fact]
    public async Task Webhook_MalformedJson_Returns400_OversizedBody_Returns413()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator, "Webhook");

        using var malformed = await PostAsync(host, "{\"update_id\": 1, \"message\": {", TelegramTestHost.WebhookSecret);
        using var notAnUpdate = await PostAsync(host, "[1,2,3]", TelegramTestHost.WebhookSecret);
        using var oversized = await PostAsync(host, "{\"update_id\":1,\"x\":\"" + new string('a', TelegramWebhookEndpoint.MaxBodyBytes) + "\"}", TelegramTestHost.WebhookSecret);
        using var oversizedWithoutSecret = await PostAsync(host, new string('a', TelegramWebhookEndpoint.MaxBodyBytes + 10), null);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notAnUpdate.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oversizedWithoutSecret.StatusCode);
        Assert.Empty(host.Handler.Requests);
    }

    [Fact]
    public async Task Webhook_AtStart_IsRegisteredWithTheSecret()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator, "Webhook");
        await emulator.WaitForCallAsync(host.BotToken, "setWebhook");

        var webhook = await emulator.WebhookAsync(host.BotToken);
        Assert.NotNull(webhook);
        Assert.Equal("http://127.0.0.1:9/telegram/webhook", webhook.Value.GetProperty("url").GetString());
        Assert.Equal(TelegramTestHost.WebhookSecret, webhook.Value.GetProperty("secret_token").GetString());
        Assert.DoesNotContain("getUpdates", await emulator.CallsAsync(host.BotToken));
    }
}
