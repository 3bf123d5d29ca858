using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Telegram;
using Telegram.Bot;

namespace GovBot.Tests.Telegram;

public sealed class TelegramRendererTests
{
    private static string Single(ChatReply reply) => Assert.Single(TelegramRenderer.Render(reply)).Html;

    private static string Visible(IEnumerable<TelegramMessagePart> parts) => string.Concat(parts.Select(p => TelegramHtml.VisibleText(p.Html)));

    private static string NoWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public void Render_HostileTitle_ShowsItLiterallyInBold()
    {
        var html = Single(new ChatReply("<b>Evil</b> & \"quotes\"", "body"));

        Assert.StartsWith("<b>&lt;b&gt;Evil&lt;/b&gt; &amp; \"quotes\"</b>", html, StringComparison.Ordinal);
        Assert.StartsWith("<b>Evil</b> & \"quotes\"", TelegramHtml.VisibleText(html), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("</b>")]
    [InlineData("<b><i>unbalanced")]
    [InlineData("&amp; is already an entity")]
    [InlineData("&lt;b&gt; &#60;b&#62; &quot;")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>")]
    [InlineData("<tg-spoiler>x</tg-spoiler><pre><code class=\"language-js\">")]
    public void Render_HostileTextInEveryField_IsEscapedAndShownLiterally(string hostile)
    {
        var reply = new ChatReply(hostile, hostile)
        {
            Facts = [new ChatFact(hostile, hostile)],
            Footer = hostile,
            Links = [new ChatLink(hostile, "https://example.org/x")],
        };

        var part = Assert.Single(TelegramRenderer.Render(reply));
        var visible = TelegramHtml.VisibleText(part.Html); // throws on any tag besides <b>/<i>

        Assert.Equal(5, CountOccurrences(visible, hostile)); // title, body, fact name, fact value, footer
        Assert.DoesNotContain("<a", part.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", part.Html, StringComparison.Ordinal);
        var button = Assert.Single(Assert.Single(part.Keyboard!.InlineKeyboard));
        Assert.Equal(hostile.Trim(), button.Text); // button labels are plain text: Telegram never parses them
    }

    [Fact]
    public void Render_LiteralAmpersandEntity_IsDoubleEscaped()
    {
        var html = Single(new ChatReply("t", "AT&amp;T"));
        Assert.Contains("AT&amp;amp;T", html, StringComparison.Ordinal);
        Assert.Contains("AT&amp;T", TelegramHtml.VisibleText(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Layout_TitleBoldFactsBoldNamesFooterItalic()
    {
        var html = Single(new ChatReply("Title", "Line one\nLine two\n\nSecond paragraph")
        {
            Facts = [new ChatFact("State", "Active"), new ChatFact("Actions", "a\nb")],
            Footer = "Source: test",
        });

        Assert.Equal(
            "<b>Title</b>\n\nLine one\nLine two\n\nSecond paragraph\n\n<b>State</b>: Active\n<b>Actions</b>:\na\nb\n\n<i>Source: test</i>",
            html);
    }

    [Theory]
    [InlineData(ReplyKind.Ok, "<b>")]
    [InlineData(ReplyKind.UserError, "⚠️ <b>")]
    [InlineData(ReplyKind.Unavailable, "ℹ️ <b>")]
    [InlineData(ReplyKind.RateLimited, "⏳ <b>")]
    public void Render_ReplyKind_LeadsWithAtMostOneEmoji(ReplyKind kind, string start)
    {
        Assert.StartsWith(start, Single(new ChatReply("t", "b") { Kind = kind }), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyReply_StillHasText()
    {
        Assert.False(string.IsNullOrWhiteSpace(TelegramHtml.VisibleText(Single(new ChatReply("", "")))));
    }

    [Fact]
    public void Render_ControlAndBidiCharacters_AreRemoved_EmojiSequencesKept()
    {
        var visible = TelegramHtml.VisibleText(Single(new ChatReply("a\u202Eb\u0007c", "👩‍👩‍👧 \uD800 lone")));
        Assert.StartsWith("abc", visible, StringComparison.Ordinal);
        Assert.Contains("👩‍👩‍👧", visible, StringComparison.Ordinal);
        Assert.Contains("\uFFFD lone", visible, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwentyThousandCharReply_SplitsIntoWellFormedPartsWithinTheLimit()
    {
        var paragraph = string.Concat(Enumerable.Repeat("Proposal <text> & \"more\" 😀 ", 12)).Trim();
        var body = string.Join("\n\n", Enumerable.Range(0, 60).Select(i => $"{i}: {paragraph}\nsecond line of {i} </b>"));
        var reply = new ChatReply("<b>Evil</b> & \"quotes\"", body)
        {
            Facts = Enumerable.Range(0, 40).Select(i => new ChatFact($"Fact <{i}>", new string('&', 50))).ToList(),
            Footer = "Source <i>",
            Links = [new ChatLink("Tally", "https://www.tally.xyz/gov/ens/proposal/42")],
        };
        Assert.True(body.Length > 20_000, $"body is {body.Length}");

        var parts = TelegramRenderer.Render(reply);
        var whole = Assert.Single(TelegramRenderer.Render(reply, int.MaxValue));

        Assert.True(parts.Count > 5, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(p.Html.Length, 1, TelegramRenderer.MessageLimit));
        Assert.All(parts, p => TelegramHtml.VisibleText(p.Html));
        Assert.Equal(NoWhitespace(TelegramHtml.VisibleText(whole.Html)), NoWhitespace(Visible(parts)));
        Assert.All(parts.SkipLast(1), p => Assert.Null(p.Keyboard));
        Assert.NotNull(parts[^1].Keyboard);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(100)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(67)]
    public void Render_OneHugeLine_HardSplitsNeverInsideAnEntityTagOrSurrogatePair(int limit)
    {
        // No whitespace anywhere, so the visible text must survive the split exactly.
        var title = string.Concat(Enumerable.Repeat("a&b<c>😀", 2_500));
        var reply = new ChatReply(title, string.Concat(Enumerable.Repeat("x&y😀", 1_000))) { Footer = string.Concat(Enumerable.Repeat("<f>", 900)) };

        var parts = TelegramRenderer.Render(reply, limit);

        Assert.All(parts, p => Assert.InRange(p.Html.Length, 1, limit));
        Assert.All(parts, p => Assert.True(TextChecks.IsWellFormedUtf16(p.Html), p.Html));
        Assert.Equal(title + reply.Body + reply.Footer, Visible(parts).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Buttons_OnlyHttpAndHttpsWithTrimmedLabels()
    {
        var reply = new ChatReply("t", "b")
        {
            Links =
            [
                new ChatLink("  Tally  ", "https://www.tally.xyz/gov/ens/proposal/42"),
                new ChatLink("js", "javascript:alert(1)"),
                new ChatLink("file", "file:///etc/passwd"),
                new ChatLink("tg", "tg://resolve?domain=x"),
                new ChatLink("relative", "/delegate/abc"),
                new ChatLink("", "http://127.0.0.1:5080/delegate/abc"),
                new ChatLink(new string('L', 200), "https://example.org/"),
            ],
        };

        var buttons = Assert.Single(TelegramRenderer.Render(reply)).Keyboard!.InlineKeyboard.SelectMany(r => r).ToList();

        Assert.Equal(["Tally", "127.0.0.1", new string('L', 63) + "…"], buttons.Select(b => b.Text));
        Assert.All(buttons, b => Assert.StartsWith("http", b.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_NoValidLinks_NoKeyboard()
    {
        Assert.Null(Assert.Single(TelegramRenderer.Render(new ChatReply("t", "b") { Links = [new ChatLink("x", "javascript:1")] })).Keyboard);
    }

    [Fact]
    public void Render_SampleProposalReply_MatchesGolden()
    {
        var reply = GoldenReplies.SampleProposal();

        var part = Assert.Single(TelegramRenderer.Render(reply));
        var actual = part.Html + "\n---- reply_markup ----\n"
            + JsonSerializer.Serialize(part.Keyboard, new JsonSerializerOptions(JsonBotAPI.Options) { WriteIndented = true });
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Telegram", "Golden", "proposal-reply.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n").TrimEnd(), actual.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void MenuCommands_AreValidTelegramCommands()
    {
        var commands = TelegramSurface.MenuCommands();
        Assert.Equal(CommandCatalog.All.Count, commands.Count);
        Assert.All(commands, c =>
        {
            Assert.Matches("^[a-z0-9_]{1,32}$", c.Command);
            Assert.InRange(c.Description.Length, 1, 256);
        });
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

}
