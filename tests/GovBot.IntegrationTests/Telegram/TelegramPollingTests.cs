using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Commands;
using GovBot.Chat.Telegram;
using GovBot.Tests.Telegram;

namespace GovBot.IntegrationTests.Telegram;

/// <summary>The real Telegram.Bot client long-polling telegram-test-api, a simulated user on the other side.</summary>
[Collection(TelegramEmulatorCollection.Name)]
public sealed class TelegramPollingTests(TelegramEmulator emulator)
{
    private const string Hostile = "<b>Evil</b> & \"quotes\"";
    private static readonly TelegramTestChat Private = new(ChatId: 4242, UserId: 4242);
    private static readonly TelegramTestChat Group = new(ChatId: -100777, UserId: 4243, Type: "supergroup", Title: "ENS <DAO>");

    private static ChatReply HostileReply(ChatRequest request) =>
        new(Hostile, $"/{request.Command} {request.Argument("id")}".TrimEnd() + " & <i>done</i>")
        {
            Facts = [new ChatFact("State", "Active <now>")],
            Links = [new ChatLink("Tally", "https://www.tally.xyz/gov/ens/proposal/42"), new ChatLink("evil", "javascript:alert(1)")],
        };

    [Fact]
    public async Task ProposalsAndProposal_FromPrivateChat_UserSeesHostileTitleLiterally()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);
        host.Handler.Reply = (request, _) => Task.FromResult(HostileReply(request));

        await emulator.SendAsync(host.BotToken, Private, "/proposals");
        await emulator.SendAsync(host.BotToken, Private, "/proposal 42");
        var messages = await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 2);

        Assert.All(messages, m =>
        {
            // Telegram.Bot writes "Html"; the Bot API reads parse_mode case-insensitively.
            Assert.Equal("html", m.GetProperty("parse_mode").GetString()!.ToLowerInvariant());
            Assert.True(m.GetProperty("link_preview_options").GetProperty("is_disabled").GetBoolean());
            Assert.Equal(Private.ChatId, m.GetProperty("chat_id").GetInt64());
            Assert.False(m.TryGetProperty("reply_parameters", out _)); // private chats get plain answers
            var text = m.GetProperty("text").GetString()!;
            Assert.Contains("&lt;b&gt;Evil&lt;/b&gt; &amp; \"quotes\"", text, StringComparison.Ordinal);
            Assert.StartsWith(Hostile + "\n\n", TelegramHtml.VisibleText(text), StringComparison.Ordinal);
            var buttons = m.GetProperty("reply_markup").GetProperty("inline_keyboard").EnumerateArray().SelectMany(r => r.EnumerateArray()).ToList();
            Assert.Equal("https://www.tally.xyz/gov/ens/proposal/42", Assert.Single(buttons).GetProperty("url").GetString());
        });
        var visible = messages.Select(m => TelegramHtml.VisibleText(m.GetProperty("text").GetString()!)).ToList();
        Assert.Contains(visible, v => v.Contains("/proposals & <i>done</i>", StringComparison.Ordinal));
        Assert.Contains(visible, v => v.Contains("/proposal 42 & <i>done</i>", StringComparison.Ordinal) && v.Contains("State: Active <now>", StringComparison.Ordinal));

        var requests = host.Handler.Requests.ToList();
        Assert.Equal(["proposals", "proposal"], requests.Select(r => r.Command));
        var proposal = requests.Single(r => r.Command == "proposal");
        Assert.Equal(ChatSurface.Telegram, proposal.Surface);
        Assert.Equal("4242", proposal.ChatId);
        Assert.Equal("4242", proposal.UserId);
        Assert.Equal("42", proposal.Argument("id"));
        Assert.True(proposal.IsChatAdmin);
    }

    [Fact]
    public async Task HelpStartAndUnknownCommand_AreAnswered()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);
        host.Handler.Reply = (request, _) => Task.FromResult(HelpCommand.Reply(request.Command == "help" ? null : request.Command));

        await emulator.SendAsync(host.BotToken, Private, "/help");
        var help = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1));
        await emulator.SendAsync(host.BotToken, Private, "/start");
        var start = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1));
        await emulator.SendAsync(host.BotToken, Private, "/frobnicate <x>");
        var unknown = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1));

        var helpText = TelegramHtml.VisibleText(help.GetProperty("text").GetString()!);
        Assert.Contains("• /proposal <id> — ", helpText, StringComparison.Ordinal);
        Assert.Equal(help.GetProperty("text").GetString(), start.GetProperty("text").GetString());
        Assert.StartsWith("⚠️ GovBot help\n\nI don't know /frobnicate.", TelegramHtml.VisibleText(unknown.GetProperty("text").GetString()!), StringComparison.Ordinal);
        Assert.Equal(["help", "help", "frobnicate"], host.Handler.Requests.Select(r => r.Command));
    }

    [Fact]
    public async Task InGroup_CommandsForAnotherBotAndChatter_AreIgnored_OursAnsweredAsReplies()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);

        await emulator.SendAsync(host.BotToken, Group, "/proposals@SomeOtherBot");
        await emulator.SendAsync(host.BotToken, Group, "gm everyone, /proposals is neat");
        await emulator.SendAsync(host.BotToken, Group, "/someotherbotscommand");
        await emulator.SendAsync(host.BotToken, Group, "/votes@TestNameBot 7");
        // One worker handles updates in order: had any earlier update been answered, its reply would come first.
        var reply = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, Group.ChatId, 1));

        Assert.Equal("<b>/votes</b>\n\nok", reply.GetProperty("text").GetString());
        Assert.True(reply.GetProperty("reply_parameters").GetProperty("message_id").GetInt64() > 0);
        var request = Assert.Single(host.Handler.Requests);
        Assert.Equal("votes", request.Command);
        Assert.Equal("7", request.Argument("id"));
        Assert.Equal("-100777", request.ChatId);
        Assert.Equal("4243", request.UserId);
        // The emulator has no getChatMember: the surface could not confirm admin rights, so it must not grant them.
        Assert.False(request.IsChatAdmin);
        Assert.Contains("getChatMember", await emulator.CallsAsync(host.BotToken));
    }

    [Fact]
    public async Task InPrivateChat_PlainText_GetsAHelpPointer()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);

        await emulator.SendAsync(host.BotToken, Private, "hello bot, what's up?");
        var reply = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1));

        Assert.Contains("/help", TelegramHtml.VisibleText(reply.GetProperty("text").GetString()!), StringComparison.Ordinal);
        Assert.Empty(host.Handler.Requests);
    }

    [Fact]
    public async Task SlowCommand_SendsTypingFirst_AndStillAnswersWhenTheActionIsUnsupported()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);

        await emulator.SendAsync(host.BotToken, Private, "/ask what does 42 do to the treasury?");
        await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1);

        var calls = await emulator.CallsAsync(host.BotToken);
        Assert.True(calls.ToList().IndexOf("sendChatAction") is var typing and >= 0 && typing < calls.ToList().LastIndexOf("sendMessage"), string.Join(", ", calls));
        Assert.Equal("what does 42 do to the treasury?", Assert.Single(host.Handler.Requests).Argument("question"));
    }

    [Fact]
    public async Task FailingCommand_IsLogged_AndTheSurfaceKeepsAnswering()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);
        host.Handler.Reply = (request, _) => request.Command == "proposal"
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(new ChatReply("fine", "still here"));

        await emulator.SendAsync(host.BotToken, Private, "/proposal 1");
        await emulator.SendAsync(host.BotToken, Private, "/treasury");
        var reply = Assert.Single(await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1));

        Assert.Equal("<b>fine</b>\n\nstill here", reply.GetProperty("text").GetString());
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_CallsGetMeSetsTheCommandMenuRemovesWebhookThenPolls_AndNeverLogsTheToken()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);
        await emulator.WaitForCallAsync(host.BotToken, "getUpdates");
        await emulator.SendAsync(host.BotToken, Private, "/help");
        await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1);

        var calls = await emulator.CallsAsync(host.BotToken);
        Assert.Equal(["getMe", "setMyCommands", "deleteWebhook", "getUpdates"], calls.Distinct().Take(4));
        // The menu Telegram shows is the catalog: every command, in order, with its description.
        var menu = (await emulator.MenuAsync(host.BotToken)) ?? throw new Xunit.Sdk.XunitException("setMyCommands never reached the emulator");
        var published = menu.GetProperty("commands").EnumerateArray()
            .Select(c => (c.GetProperty("command").GetString(), c.GetProperty("description").GetString())).ToList();
        Assert.Equal(CommandCatalog.All.Select(c => ((string?)c.Name, (string?)c.Description)), published);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("setMyCommands failed", StringComparison.Ordinal));
        var secretPart = host.BotToken[(host.BotToken.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(secretPart, StringComparison.Ordinal));
        Assert.NotEmpty(host.Logs.Lines);
    }

    [Fact]
    public async Task Startup_WhenSetMyCommandsFails_LogsAWarningAndStillAnswers()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator, botToken: TelegramEmulator.NewBotToken(menu: false));
        await emulator.SendAsync(host.BotToken, Private, "/help");
        await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, 1);

        Assert.Null(await emulator.MenuAsync(host.BotToken));
        Assert.Contains("setMyCommands", await emulator.CallsAsync(host.BotToken));
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("setMyCommands", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LongReply_ArrivesAsSeveralValidMessages_ButtonsOnTheLast()
    {
        await using var host = await TelegramTestHost.StartAsync(emulator);
        var body = string.Join("\n\n", Enumerable.Range(0, 200).Select(i => $"Paragraph {i}: <{new string('x', 80)}> & more"));
        var long_ = new ChatReply("Long", body) { Links = [new ChatLink("Tally", "https://www.tally.xyz/")] };
        host.Handler.Reply = (_, _) => Task.FromResult(long_);
        var expected = TelegramRenderer.Render(long_).Count;

        await emulator.SendAsync(host.BotToken, Private, "/digest");
        var parts = await emulator.WaitForBotMessagesAsync(host.BotToken, Private.ChatId, expected);

        Assert.True(expected > 3, $"{expected} parts");
        Assert.Equal(expected, parts.Count);
        Assert.All(parts, p => Assert.InRange(p.GetProperty("text").GetString()!.Length, 1, TelegramRenderer.MessageLimit));
        var visible = string.Join("\n\n", parts.Select(p => TelegramHtml.VisibleText(p.GetProperty("text").GetString()!)));
        Assert.Equal("Long\n\n" + body, visible);
        Assert.All(parts.SkipLast(1), p => Assert.False(p.TryGetProperty("reply_markup", out var markup) && markup.ValueKind != JsonValueKind.Null));
        Assert.Equal(JsonValueKind.Object, parts[^1].GetProperty("reply_markup").ValueKind);
    }
}
