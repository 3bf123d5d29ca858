namespace GovBot.Chat.Discord;

/// <summary>
/// A <see cref="ChatReply"/> as one Discord embed plus link buttons. Every limit Discord enforces with a 400 is
/// enforced here first, so no reply, however long or hostile its text, fails to post.
/// </summary>
public static class DiscordEmbedRenderer
{
    public const int TitleLimit = 256;
    public const int DescriptionLimit = 4096;
    public const int FieldCountLimit = 25;
    public const int FieldNameLimit = 256;
    public const int FieldValueLimit = 1024;
    public const int FooterLimit = 2048;
    public const int EmbedTextLimit = 6000;
    public const int ButtonLabelLimit = 80;
    public const int ButtonUrlLimit = 512;
    public const int ButtonsPerRow = 5;
    public const int RowLimit = 5;

    // Our own shares of the 6000: title, footer and facts are capped so the body always keeps most of the room.
    private const int FooterBudget = 512;
    private const int FieldsBudget = 2048;
    private const int SmallestUsefulFieldValue = 16;
    private const string Empty = "\u200B";

    public static int ColorFor(ReplyKind kind) => kind switch
    {
        ReplyKind.Ok => 0x5865F2,
        ReplyKind.UserError => 0xED4245,
        ReplyKind.Unavailable => 0x99AAB5,
        ReplyKind.RateLimited => 0xFEE75C,
        _ => 0x5865F2,
    };

    public static DiscordMessage Render(ChatReply reply)
    {
        // The image is left to AttachImage: an interaction answered in its HTTP response cannot carry a file.
        var title = NullIfEmpty(DiscordText.Clip(DiscordText.EscapeMarkdown(reply.Title.Trim()), TitleLimit));

        var (fields, omittedFacts) = RenderFields(reply.Facts);

        var footerText = reply.Footer?.Trim() ?? "";
        if (omittedFacts > 0)
            footerText = $"+{omittedFacts} more not shown" + (footerText.Length > 0 ? " · " + footerText : "");
        var footer = NullIfEmpty(DiscordText.Clip(DiscordText.NeutraliseMentions(footerText), FooterBudget));

        var used = (title?.Length ?? 0) + (footer?.Length ?? 0) + fields.Sum(f => f.Name.Length + f.Value.Length);
        var descriptionRoom = Math.Min(DescriptionLimit, EmbedTextLimit - used);
        var description = NullIfEmpty(DiscordText.Clip(DiscordText.EscapeMarkdown(reply.Body.Trim()), descriptionRoom));

        if (title is null && description is null && fields.Count == 0)
            description = Empty;

        var embed = new DiscordEmbed
        {
            Title = title,
            Description = description,
            Color = ColorFor(reply.Kind),
            Fields = fields.Count > 0 ? fields : null,
            Footer = footer is null ? null : new DiscordEmbedFooter(footer),
        };

        return new DiscordMessage
        {
            Embeds = [embed],
            Components = RenderButtons(reply.Links),
            AllowedMentions = DiscordAllowedMentions.None,
        };
    }

    /// <summary>
    /// The reply's image as the embed's image: the PNG goes with the message as an upload and the embed points at it
    /// by name. The result must go through <see cref="DiscordRestClient"/>, which sends the file as multipart.
    /// </summary>
    public static DiscordMessage AttachImage(DiscordMessage message, ChatImage image)
    {
        var name = image.FileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? image.FileName : image.FileName + ".png";
        var file = new DiscordFile(name, "image/png", image.Png);
        var embeds = message.Embeds.ToList();
        if (embeds.Count == 0)
            embeds.Add(new DiscordEmbed());
        embeds[0] = embeds[0] with { Image = new DiscordEmbedImage("attachment://" + file.FileName) };
        return message with { Embeds = embeds, Files = [.. message.Files, file] };
    }

    private static (List<DiscordEmbedField> Fields, int Omitted) RenderFields(IReadOnlyList<ChatFact> facts)
    {
        var fields = new List<DiscordEmbedField>();
        var used = 0;
        foreach (var fact in facts)
        {
            if (fields.Count == FieldCountLimit)
                break;

            var name = OrEmpty(DiscordText.Clip(DiscordText.EscapeMarkdown(fact.Name.Trim()), FieldNameLimit));
            var value = OrEmpty(DiscordText.Clip(DiscordText.EscapeMarkdown(fact.Value.Trim()), FieldValueLimit));
            var room = FieldsBudget - used - name.Length;
            if (room < Math.Min(value.Length, SmallestUsefulFieldValue))
                break;

            value = OrEmpty(DiscordText.Clip(value, room));
            fields.Add(new DiscordEmbedField(name, value, fact.Inline));
            used += name.Length + value.Length;
        }
        return (fields, facts.Count - fields.Count);
    }

    private static IReadOnlyList<DiscordActionRow> RenderButtons(IReadOnlyList<ChatLink> links)
    {
        var buttons = new List<DiscordLinkButton>();
        foreach (var link in links)
        {
            if (buttons.Count == ButtonsPerRow * RowLimit)
                break;
            if (link.Url.Length > ButtonUrlLimit
                || !Uri.TryCreate(link.Url, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                continue;

            var label = DiscordText.Clip(link.Label.Trim(), ButtonLabelLimit);
            if (label.Length == 0)
                label = DiscordText.Clip(uri.Host, ButtonLabelLimit);
            buttons.Add(new DiscordLinkButton(label, link.Url));
        }
        return buttons.Chunk(ButtonsPerRow).Select(row => new DiscordActionRow(row)).ToList();
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    // Discord rejects an empty field name or value.
    private static string OrEmpty(string text) => text.Length == 0 ? Empty : text;
}
