using GovBot.Chat.Telegram;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace GovBot.Tests.Telegram;

public sealed class TelegramSurfaceTests
{
    [Theory]
    [InlineData("s3cret_-X", "s3cret_-X", true)]
    [InlineData("s3cret_-x", "s3cret_-X", false)]
    [InlineData("s3cret", "s3cret_-X", false)]
    [InlineData("", "s3cret_-X", false)]
    [InlineData("anything", null, false)]
    [InlineData("", "", false)]
    public void WebhookSecret_ComparesExactly(string presented, string? expected, bool matches) =>
        Assert.Equal(matches, TelegramWebhookEndpoint.SecretMatches(presented, expected));

    [Theory]
    [InlineData(403, "Forbidden: bot was blocked by the user", true)]
    [InlineData(403, "Forbidden: bot was kicked from the supergroup chat", true)]
    [InlineData(403, "Forbidden: user is deactivated", true)]
    [InlineData(400, "Bad Request: chat not found", true)]
    [InlineData(400, "Bad Request: can't parse entities: Unsupported start tag", false)]
    [InlineData(403, "Forbidden: not enough rights to send text messages to the chat", false)]
    [InlineData(429, "Too Many Requests: retry after 5", false)]
    [InlineData(502, "Bad Gateway", false)]
    public void ChatGoneReason_OnlyForChatsThatCannotBeWrittenToAgain(int code, string description, bool gone) =>
        Assert.Equal(gone, TelegramSender.ChatGoneReason(new ApiRequestException(description, code)) is not null);

    [Fact]
    public void ChatGoneReason_GroupMigratedToSupergroup_IsGone()
    {
        var e = new ApiRequestException("Bad Request: group chat was upgraded to a supergroup chat", 400, new ResponseParameters { MigrateToChatId = -100123 });
        Assert.NotNull(TelegramSender.ChatGoneReason(e));
    }
}
