using System.Globalization;
using System.Text;

namespace GovBot.Chat.Discord;

/// <summary>Making untrusted text safe for Discord: markdown escaped, mentions broken, lengths clipped.</summary>
internal static class DiscordText
{
    public const string Ellipsis = "…";
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>
    /// Escapes Discord markdown (emphasis, code, spoilers, quotes, headings, masked links) and neutralises mentions,
    /// for text that Discord renders as markdown: titles, descriptions, field names and values.
    /// </summary>
    public static string EscapeMarkdown(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in Normalize(text))
        {
            switch (c)
            {
                case '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '#' or '[' or ']' or '<':
                    builder.Append('\\').Append(c);
                    break;
                case '@':
                    builder.Append('@').Append(ZeroWidthSpace);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// For text Discord shows verbatim (footers, button labels): no markdown to escape, but a mention would still
    /// render as one. allowed_mentions already stops the ping; this stops the look of it too.
    /// </summary>
    public static string NeutraliseMentions(string text) =>
        Normalize(text).Replace("@", "@" + ZeroWidthSpace, StringComparison.Ordinal);

    /// <summary>
    /// At most <paramref name="maxLength"/> UTF-16 units, ending in "…" when cut. Cuts only between grapheme clusters,
    /// so a surrogate pair or an emoji sequence is never split, and never right after an escaping backslash.
    /// Discord counts code points, so counting UTF-16 units stays on the safe side.
    /// </summary>
    public static string Clip(string text, int maxLength)
    {
        if (text.Length <= maxLength)
            return text;
        if (maxLength < Ellipsis.Length)
            return "";

        var budget = maxLength - Ellipsis.Length;
        var end = 0;
        while (end < text.Length)
        {
            var next = StringInfo.GetNextTextElementLength(text.AsSpan(end));
            if (end + next > budget)
                break;
            end += next;
        }

        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            end--;

        var trailingBackslashes = 0;
        while (trailingBackslashes < end && text[end - 1 - trailingBackslashes] == '\\')
            trailingBackslashes++;
        if (trailingBackslashes % 2 == 1)
            end--;

        return string.Concat(text.AsSpan(0, end), Ellipsis);
    }

    private static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
