using System.Globalization;
using System.Text;
using Telegram.Bot.Types.ReplyMarkups;

namespace GovBot.Chat.Telegram;

/// <summary>One sendMessage call: HTML text (parse_mode HTML) and, on the last part only, the link buttons.</summary>
public sealed record TelegramMessagePart(string Html, InlineKeyboardMarkup? Keyboard);

/// <summary>
/// A <see cref="ChatReply"/> as Telegram HTML. Every piece of reply text is escaped, so a title such as
/// "&lt;b&gt;Evil&lt;/b&gt;" shows literally; the only tags are the ones written here. Replies longer than one message
/// are split on paragraph, then line, then character boundaries, and every part is well-formed on its own.
/// </summary>
public static class TelegramRenderer
{
    /// <summary>Telegram's limit on a message's text after entity parsing, in UTF-16 units.</summary>
    public const int MessageLimit = 4096;

    public const int MaxButtons = 10;
    public const int ButtonLabelLimit = 64;
    public const int ButtonUrlLimit = 2048;

    private const string ParagraphBreak = "\n\n";
    private const string LineBreak = "\n";

    private enum Style
    {
        Plain,
        Bold,
        Italic,
    }

    private sealed record Run(string Text, Style Style);

    public static string EmojiFor(ReplyKind kind) => kind switch
    {
        ReplyKind.UserError => "⚠️",
        ReplyKind.Unavailable => "ℹ️",
        ReplyKind.RateLimited => "⏳",
        _ => "",
    };

    /// <summary>
    /// Renders and splits. Lengths are counted on the escaped HTML, tags included, which is never less than what
    /// Telegram counts after parsing: a part that passes here always passes there.
    /// </summary>
    public static IReadOnlyList<TelegramMessagePart> Render(ChatReply reply, int limit = MessageLimit)
    {
        // ChatImage is not rendered here: a photo is its own request (TelegramSender.SendPhotoAsync, with this as its caption).
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 64);
        var parts = Split(Blocks(reply), limit);
        var keyboard = Keyboard(reply.Links);
        return parts.Select((html, i) => new TelegramMessagePart(html, i == parts.Count - 1 ? keyboard : null)).ToList();
    }

    /// <summary>Escapes text for Telegram HTML: the three characters its parser treats specially, plus the quote for attribute values.</summary>
    public static string Escape(string text, bool attribute = false)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            AppendEscaped(builder, c, attribute);
        return builder.ToString();
    }

    private static void AppendEscaped(StringBuilder builder, char c, bool attribute = false)
    {
        switch (c)
        {
            case '&':
                builder.Append("&amp;");
                break;
            case '<':
                builder.Append("&lt;");
                break;
            case '>':
                builder.Append("&gt;");
                break;
            case '"' when attribute:
                builder.Append("&quot;");
                break;
            default:
                builder.Append(c);
                break;
        }
    }

    /// <summary>The reply as paragraphs of lines of styled runs: title, body paragraphs, facts, footer.</summary>
    private static List<List<List<Run>>> Blocks(ChatReply reply)
    {
        var blocks = new List<List<List<Run>>>();

        var title = OneLine(Clean(reply.Title));
        var emoji = EmojiFor(reply.Kind);
        if (title.Length > 0)
            blocks.Add([emoji.Length > 0 ? [new Run(emoji + " ", Style.Plain), new Run(title, Style.Bold)] : [new Run(title, Style.Bold)]]);

        foreach (var paragraph in Clean(reply.Body).Split(ParagraphBreak, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            blocks.Add(paragraph.Split('\n').Select(line => new List<Run> { new(line.TrimEnd(), Style.Plain) }).ToList());

        var facts = new List<List<Run>>();
        foreach (var fact in reply.Facts)
        {
            var name = OneLine(Clean(fact.Name));
            var value = Clean(fact.Value).Trim();
            var lines = value.Split('\n');
            var first = new List<Run>();
            if (name.Length > 0)
                first.Add(new Run(name, Style.Bold));
            first.Add(new Run((name.Length > 0 ? (lines.Length > 1 ? ":" : ": ") : "") + (lines.Length > 1 ? "" : lines[0]), Style.Plain));
            facts.Add(first);
            if (lines.Length > 1)
                facts.AddRange(lines.Select(line => new List<Run> { new(line.TrimEnd(), Style.Plain) }));
        }
        if (facts.Count > 0)
            blocks.Add(facts);

        var footer = Clean(reply.Footer ?? "").Trim();
        if (footer.Length > 0)
            blocks.Add(footer.Split('\n').Select(line => new List<Run> { new(line.TrimEnd(), Style.Italic) }).ToList());

        // Telegram refuses an empty message; a reply with no text at all still says something.
        if (blocks.Count == 0)
            blocks.Add([[new Run(emoji.Length > 0 ? emoji : "…", Style.Plain)]]);
        return blocks;
    }

    private static List<string> Split(List<List<List<Run>>> blocks, int limit)
    {
        var parts = new List<string>();
        var current = new StringBuilder();

        void Emit(string piece, string separator)
        {
            if (current.Length > 0 && current.Length + separator.Length + piece.Length > limit)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            if (current.Length > 0)
                current.Append(separator);
            current.Append(piece);
        }

        foreach (var block in blocks)
        {
            var html = string.Join(LineBreak, block.Select(RenderLine));
            if (html.Length <= limit)
            {
                Emit(html, ParagraphBreak);
                continue;
            }

            for (var i = 0; i < block.Count; i++)
            {
                var separator = i == 0 ? ParagraphBreak : LineBreak;
                var line = RenderLine(block[i]);
                if (line.Length <= limit)
                {
                    Emit(line, separator);
                    continue;
                }

                var pieces = HardSplit(block[i], limit);
                for (var p = 0; p < pieces.Count; p++)
                    Emit(pieces[p], p == 0 ? separator : "");
            }
        }

        if (current.Length > 0)
            parts.Add(current.ToString());
        return parts;
    }

    private static string RenderLine(List<Run> line)
    {
        var builder = new StringBuilder();
        foreach (var run in line)
        {
            if (run.Text.Length == 0)
                continue;
            var (open, close) = Tags(run.Style);
            builder.Append(open);
            foreach (var c in run.Text)
                AppendEscaped(builder, c);
            builder.Append(close);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Cuts one over-long line into pieces of at most <paramref name="limit"/> units. A cut never falls inside an
    /// escape sequence or a surrogate pair, and a styled run cut in two is closed before the cut and reopened after it.
    /// </summary>
    private static List<string> HardSplit(List<Run> line, int limit)
    {
        const int longestEscapedRune = 5; // "&amp;"
        var pieces = new List<string>();
        var piece = new StringBuilder();
        foreach (var run in line)
        {
            var (open, close) = Tags(run.Style);
            var i = 0;
            while (i < run.Text.Length)
            {
                if (limit - piece.Length < open.Length + close.Length + longestEscapedRune)
                {
                    pieces.Add(piece.ToString());
                    piece.Clear();
                }

                piece.Append(open);
                while (i < run.Text.Length)
                {
                    var length = char.IsHighSurrogate(run.Text[i]) && i + 1 < run.Text.Length && char.IsLowSurrogate(run.Text[i + 1]) ? 2 : 1;
                    var escaped = length == 1 ? EscapedLength(run.Text[i]) : 2;
                    if (piece.Length + escaped + close.Length > limit)
                        break;
                    if (length == 1)
                        AppendEscaped(piece, run.Text[i]);
                    else
                        piece.Append(run.Text, i, 2);
                    i += length;
                }
                piece.Append(close);
            }
        }

        if (piece.Length > 0)
            pieces.Add(piece.ToString());
        return pieces;
    }

    private static int EscapedLength(char c) => c switch
    {
        '&' => 5,
        '<' or '>' => 4,
        _ => 1,
    };

    private static (string Open, string Close) Tags(Style style) => style switch
    {
        Style.Bold => ("<b>", "</b>"),
        Style.Italic => ("<i>", "</i>"),
        _ => ("", ""),
    };

    private static InlineKeyboardMarkup? Keyboard(IReadOnlyList<ChatLink> links)
    {
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var link in links)
        {
            if (rows.Count == MaxButtons)
                break;
            if (link.Url.Length > ButtonUrlLimit
                || !Uri.TryCreate(link.Url, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                continue;

            var label = Clip(OneLine(Clean(link.Label)), ButtonLabelLimit);
            if (label.Length == 0)
                label = Clip(uri.Host, ButtonLabelLimit);
            rows.Add([InlineKeyboardButton.WithUrl(label, uri.AbsoluteUri)]);
        }
        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }

    /// <summary>Line endings normalised, control and format characters other than line breaks and tabs removed, lone surrogates replaced.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (char.IsHighSurrogate(c) && i + 1 < normalized.Length && char.IsLowSurrogate(normalized[i + 1]))
            {
                builder.Append(c).Append(normalized[++i]);
                continue;
            }
            if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
                continue;
            }
            if (c is '\n' or '\t' || (!char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format) || c == '\u200D')
                builder.Append(c);
        }
        return builder.ToString();
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Clip(string text, int maxLength)
    {
        if (text.Length <= maxLength)
            return text;
        var end = maxLength - 1;
        if (char.IsHighSurrogate(text[end - 1]))
            end--;
        return string.Concat(text.AsSpan(0, end).TrimEnd(), "…");
    }
}
