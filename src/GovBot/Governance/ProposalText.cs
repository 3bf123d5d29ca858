using System.Security.Cryptography;
using System.Text;

namespace GovBot.Governance;

/// <summary>Title and hashing of proposal descriptions. The text is untrusted: only ever trimmed here, escaped by renderers.</summary>
public static class ProposalText
{
    public const int MaxTitleLength = 200;

    public static string Title(string description)
    {
        foreach (var rawLine in description.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.IsEmpty)
                continue;
            var title = line.TrimStart('#').Trim().ToString();
            title = StripControl(title);
            if (title.Length == 0)
                continue;
            return title.Length <= MaxTitleLength ? title : title[..(MaxTitleLength - 1)] + "…";
        }

        return "(untitled proposal)";
    }

    /// <summary>Keccak-free content hash used as a cache key: SHA-256 of the exact UTF-8 bytes.</summary>
    public static string Hash(string description) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)));

    /// <summary>Removes control and bidi/zero-width format characters that can hide or reorder text in a chat client.</summary>
    public static string StripControl(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.Control && rune.Value is not ('\n' or '\t'))
                continue;
            if (category is System.Globalization.UnicodeCategory.Format)
                continue;
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
