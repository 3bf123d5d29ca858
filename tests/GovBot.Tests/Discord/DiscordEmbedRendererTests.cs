using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Discord;

namespace GovBot.Tests.Discord;

public sealed class DiscordEmbedRendererTests
{
    private static JsonDocument Json(DiscordMessage message) =>
        JsonDocument.Parse(JsonSerializer.Serialize(message, DiscordJson.Options));

    private static ChatReply Huge()
    {
        var emoji = string.Concat(Enumerable.Repeat("🗳️👩‍👩‍👧", 400));
        return new ChatReply(
            "@everyone " + new string('T', 500) + emoji,
            string.Concat(Enumerable.Repeat("**bold** [click](https://evil.example) @here <@123> ", 300)) + emoji)
        {
            Facts = Enumerable.Range(0, 60)
                .Select(i => new ChatFact(new string('n', 300) + i, string.Concat(Enumerable.Repeat("`v` 😀", 400))))
                .ToList(),
            Links = Enumerable.Range(0, 40).Select(i => new ChatLink(new string('L', 200), $"https://example.org/{i}")).ToList(),
            Footer = string.Concat(Enumerable.Repeat("footer @everyone ", 400)),
        };
    }

    [Fact]
    public void Render_WithHugeInput_StaysWithinEveryEmbedLimit()
    {
        var message = DiscordEmbedRenderer.Render(Huge());

        var embed = Assert.Single(message.Embeds);
        Assert.True(embed.TextLength <= DiscordEmbedRenderer.EmbedTextLimit, $"embed text is {embed.TextLength}");
        Assert.True(embed.Title!.Length <= DiscordEmbedRenderer.TitleLimit);
        Assert.True(embed.Description!.Length <= DiscordEmbedRenderer.DescriptionLimit);
        Assert.True(embed.Footer!.Text.Length <= DiscordEmbedRenderer.FooterLimit);
        Assert.NotNull(embed.Fields);
        Assert.InRange(embed.Fields.Count, 1, DiscordEmbedRenderer.FieldCountLimit);
        Assert.All(embed.Fields, f =>
        {
            Assert.InRange(f.Name.Length, 1, DiscordEmbedRenderer.FieldNameLimit);
            Assert.InRange(f.Value.Length, 1, DiscordEmbedRenderer.FieldValueLimit);
        });
        Assert.InRange(message.Components.Count, 1, DiscordEmbedRenderer.RowLimit);
        Assert.All(message.Components, row => Assert.InRange(row.Components.Count, 1, DiscordEmbedRenderer.ButtonsPerRow));
        Assert.All(message.Components.SelectMany(r => r.Components), b => Assert.InRange(b.Label.Length, 1, DiscordEmbedRenderer.ButtonLabelLimit));
        Assert.EndsWith("…", embed.Title);
        Assert.EndsWith("…", embed.Description);
        Assert.StartsWith("+", embed.Footer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithHugeInput_TotalTextCountedInCodePointsIsAtMost6000()
    {
        using var json = Json(DiscordEmbedRenderer.Render(Huge()));
        var embed = json.RootElement.GetProperty("embeds")[0];
        var total = CodePoints(embed.GetProperty("title").GetString()!)
            + CodePoints(embed.GetProperty("description").GetString()!)
            + CodePoints(embed.GetProperty("footer").GetProperty("text").GetString()!)
            + embed.GetProperty("fields").EnumerateArray().Sum(f => CodePoints(f.GetProperty("name").GetString()!) + CodePoints(f.GetProperty("value").GetString()!));
        Assert.True(total <= 6000, $"total {total}");
        Assert.True(embed.GetProperty("fields").GetArrayLength() <= 25);
    }

    [Fact]
    public void Render_FortySmallFacts_KeepsTheFirst25AsFields_AndSaysHowManyAreNotShown()
    {
        var reply = new ChatReply("Delegates", "top voters")
        {
            Facts = Enumerable.Range(1, 40).Select(i => new ChatFact($"#{i}", $"{i}00 ENS")).ToList(),
            Footer = "Source: ENS governor",
        };

        var embed = Assert.Single(DiscordEmbedRenderer.Render(reply).Embeds);

        Assert.NotNull(embed.Fields);
        Assert.Equal(DiscordEmbedRenderer.FieldCountLimit, embed.Fields.Count);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"\\#{i}"), embed.Fields.Select(f => f.Name));
        Assert.Equal("+15 more not shown · Source: ENS governor", embed.Footer!.Text);
    }

    [Fact]
    public void Render_WhenTruncating_NeverLeavesALoneSurrogate()
    {
        var message = DiscordEmbedRenderer.Render(Huge());
        var embed = message.Embeds[0];
        var texts = new[] { embed.Title!, embed.Description!, embed.Footer!.Text }
            .Concat(embed.Fields!.SelectMany(f => new[] { f.Name, f.Value }))
            .Concat(message.Components.SelectMany(r => r.Components).Select(b => b.Label));
        Assert.All(texts, text => Assert.True(TextChecks.IsWellFormedUtf16(text), text[^10..]));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    public void Render_TitleAtEveryCutPointAcrossAnEmoji_StaysWellFormed(int padding)
    {
        var title = new string('a', padding - 1) + "😀😀😀";
        var embed = DiscordEmbedRenderer.Render(new ChatReply(title, "body")).Embeds[0];
        Assert.True(embed.Title!.Length <= 256);
        Assert.True(TextChecks.IsWellFormedUtf16(embed.Title));
    }

    [Fact]
    public void Render_AlwaysSendsEmptyAllowedMentions()
    {
        using var json = Json(DiscordEmbedRenderer.Render(new ChatReply("t", "b")));
        var parse = json.RootElement.GetProperty("allowed_mentions").GetProperty("parse");
        Assert.Equal(JsonValueKind.Array, parse.ValueKind);
        Assert.Equal(0, parse.GetArrayLength());
    }

    [Fact]
    public void Render_WithMentionsInEveryText_NeutralisesThem()
    {
        var reply = new ChatReply("@everyone vote now", "hi @here and <@123456789> and <@&42> and <#7>")
        {
            Facts = [new ChatFact("@everyone", "<@!99>")],
            Footer = "@here",
        };
        var message = DiscordEmbedRenderer.Render(reply);
        var json = JsonSerializer.Serialize(message, DiscordJson.Options);
        using var doc = JsonDocument.Parse(json);
        var embed = doc.RootElement.GetProperty("embeds")[0];
        var all = string.Join("\n", embed.GetProperty("title").GetString(), embed.GetProperty("description").GetString(),
            embed.GetProperty("footer").GetProperty("text").GetString(),
            embed.GetProperty("fields")[0].GetProperty("name").GetString(), embed.GetProperty("fields")[0].GetProperty("value").GetString());
        Assert.DoesNotContain("@everyone", all, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", all, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"<@[!&]?\d", all);
        Assert.DoesNotMatch(@"<#\d", all);
        Assert.Contains("@\u200Beveryone", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EscapesMarkdownAndMaskedLinks()
    {
        var reply = new ChatReply("*x* _y_", "**bold** __u__ ~~s~~ `code` ||spoiler|| > quote\n# heading\n[click](https://evil.example) back\\slash")
        {
            Facts = [new ChatFact("Reason", "[a](b) *c*")],
        };
        var embed = DiscordEmbedRenderer.Render(reply).Embeds[0];
        Assert.Equal(@"\*x\* \_y\_", embed.Title);
        Assert.Equal(@"\*\*bold\*\* \_\_u\_\_ \~\~s\~\~ \`code\` \|\|spoiler\|\| \> quote" + "\n" + @"\# heading" + "\n" + @"\[click\](https://evil.example) back\\slash", embed.Description);
        Assert.Equal(@"\[a\](b) \*c\*", embed.Fields![0].Value);
    }

    [Fact]
    public void Render_WhenClippingEscapedText_NeverEndsOnAnEscapingBackslash()
    {
        for (var padding = 240; padding < 260; padding++)
        {
            var title = new string('a', padding) + new string('*', 40);
            var rendered = DiscordEmbedRenderer.Render(new ChatReply(title, "b")).Embeds[0].Title!;
            var beforeEllipsis = rendered[..^1];
            var backslashes = beforeEllipsis.Length - beforeEllipsis.TrimEnd('\\').Length;
            Assert.True(backslashes % 2 == 0, rendered);
        }
    }

    [Fact]
    public void Render_KeepsOnlyHttpLinksAsButtons()
    {
        var reply = new ChatReply("t", "b")
        {
            Links =
            [
                new ChatLink("ok", "https://example.org/a"),
                new ChatLink("plain http", "http://127.0.0.1:5080/delegate/x"),
                new ChatLink("script", "javascript:alert(1)"),
                new ChatLink("relative", "/delegate/x"),
                new ChatLink("file", "file:///etc/passwd"),
                new ChatLink("too long", "https://example.org/" + new string('a', 600)),
                new ChatLink("", "https://example.com/empty-label"),
            ],
        };
        var buttons = DiscordEmbedRenderer.Render(reply).Components.SelectMany(r => r.Components).ToList();
        Assert.Equal(["ok", "plain http", "example.com"], buttons.Select(b => b.Label));
        Assert.All(buttons, b => Assert.Equal((2, 5), (b.Type, b.Style)));
    }

    [Fact]
    public void Render_SevenLinks_GoInRowsOfFive()
    {
        var reply = new ChatReply("t", "b") { Links = Enumerable.Range(0, 7).Select(i => new ChatLink($"l{i}", $"https://e.org/{i}")).ToList() };
        var rows = DiscordEmbedRenderer.Render(reply).Components;
        Assert.Equal([5, 2], rows.Select(r => r.Components.Count));
        Assert.All(rows, r => Assert.Equal(1, r.Type));
    }

    [Theory]
    [InlineData(ReplyKind.Ok, 0x5865F2)]
    [InlineData(ReplyKind.UserError, 0xED4245)]
    [InlineData(ReplyKind.Unavailable, 0x99AAB5)]
    [InlineData(ReplyKind.RateLimited, 0xFEE75C)]
    public void Render_ColorsByKind(ReplyKind kind, int color)
    {
        Assert.Equal(color, DiscordEmbedRenderer.Render(new ChatReply("t", "b") { Kind = kind }).Embeds[0].Color);
    }

    [Fact]
    public void Render_WithEmptyTextsAndAnImage_ProducesAValidEmbed()
    {
        var reply = new ChatReply(" ", "") { Facts = [new ChatFact("", " ")], Image = new ChatImage("chart.png", [1, 2, 3]) };
        var embed = DiscordEmbedRenderer.Render(reply).Embeds[0];
        Assert.Null(embed.Title);
        Assert.Equal("\u200B", embed.Fields![0].Name);
        Assert.Equal("\u200B", embed.Fields[0].Value);

        var bare = DiscordEmbedRenderer.Render(new ChatReply("", "")).Embeds[0];
        Assert.False(string.IsNullOrEmpty(bare.Description));
    }

    [Fact]
    public void Render_LeavesTheImageOut_BecauseAnInteractionReplyCannotCarryTheFile()
    {
        var message = DiscordEmbedRenderer.Render(GoldenReplies.SampleProposal());

        Assert.Null(Assert.Single(message.Embeds).Image);
        Assert.Empty(message.Files);
        Assert.Null(message.Attachments);
    }

    [Fact]
    public void AttachImage_UploadsThePng_AndPointsTheEmbedImageAtIt()
    {
        var png = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3 };
        var rendered = DiscordEmbedRenderer.Render(GoldenReplies.SampleProposal());

        var message = DiscordEmbedRenderer.AttachImage(rendered, new ChatImage("votes-1234…5678.png", png));

        var file = Assert.Single(message.Files);
        Assert.Equal(("votes-1234_5678.png", "image/png"), (file.FileName, file.ContentType));
        Assert.Same(png, file.Content);
        var embed = Assert.Single(message.Embeds);
        Assert.Equal("attachment://votes-1234_5678.png", embed.Image?.Url);
        Assert.Equal(rendered.Embeds[0] with { Image = embed.Image }, embed);
        using var json = Json(message);
        Assert.Equal("attachment://votes-1234_5678.png", json.RootElement.GetProperty("embeds")[0].GetProperty("image").GetProperty("url").GetString());
        Assert.False(json.RootElement.TryGetProperty("files", out _), "file bytes never go into the JSON");
    }

    [Fact]
    public void AttachImage_NameWithoutPngExtension_GetsOne()
    {
        var message = DiscordEmbedRenderer.AttachImage(DiscordEmbedRenderer.Render(new ChatReply("t", "b")), new ChatImage("chart", [1]));
        Assert.Equal("chart.png", Assert.Single(message.Files).FileName);
        Assert.Equal("attachment://chart.png", message.Embeds[0].Image?.Url);
    }

    [Theory]
    [InlineData("votes-103842-567890.png", "votes-103842-567890.png")]
    [InlineData("a b/../c.png", "a_b_.._c.png")]
    [InlineData("résumé\"\r\n.png", "r_sum____.png")]
    [InlineData("🗳️.png", "___.png")]
    [InlineData("", "file")]
    public void DiscordFile_SafeName_KeepsOnlyAsciiLettersDigitsDotsDashesAndUnderscores(string name, string expected)
    {
        Assert.Equal(expected, new DiscordFile(name, "image/png", []).FileName);
    }

    [Fact]
    public void Render_SampleProposalReply_MatchesGolden()
    {
        var reply = GoldenReplies.SampleProposal();

        var actual = JsonSerializer.Serialize(DiscordEmbedRenderer.Render(reply), DiscordJson.Indented);
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Discord", "Golden", "proposal-reply.json"));
        Assert.Equal(Normalize(expected), Normalize(actual));
    }

    private static string Normalize(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, DiscordJson.Indented).ReplaceLineEndings("\n");

    private static int CodePoints(string s) => s.EnumerateRunes().Count();

}
