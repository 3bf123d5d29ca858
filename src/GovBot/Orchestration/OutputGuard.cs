using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GovBot.Orchestration;

/// <summary>What the guard did to a reply. Flagged when anything was removed, marked or stripped.</summary>
public sealed record GuardedText(string Text, bool Flagged, IReadOnlyList<string> Findings);

/// <summary>
/// The last step before any generated reply (model or offline engine) leaves GovBot. Proposal text is attacker-controlled
/// and a model may repeat it, so: hidden Unicode is stripped; every full address, link and .eth name that is not a
/// trusted fact is replaced with "[removed]"; token amounts that match no trusted amount are marked "(unverified)".
/// Matching runs on a confusable-folded skeleton of the text, so fullwidth digits, Cyrillic look-alikes, math letters
/// and addresses broken across lines or spaces are caught too.
/// </summary>
public static partial class OutputGuard
{
    public const string Removed = "[removed]";
    public const string Unverified = " (unverified)";

    public static GuardedText Apply(string text, TrustedFacts facts)
    {
        var findings = new List<string>();
        var clean = StripHidden(text);
        if (clean != text.Replace("\r\n", "\n", StringComparison.Ordinal))
            findings.Add("hidden-unicode");

        clean = ReplaceAll(clean, MarkdownLink(), findings, "link", found =>
            facts.IsTrustedUrl(found.Group("url")) ? null : $"{found.Group("text")} {Removed}");
        clean = ReplaceAll(clean, SchemeUrl(), findings, "link", found => facts.IsTrustedUrl(found.Original) ? null : Removed);
        clean = ReplaceAll(clean, BareDomain(), findings, "link", found =>
        {
            // Two-letter country domains only when written in lower case: "proposal.It" is a typo, "evil.io" a link.
            var tld = found.Group("tld");
            if (tld.Length == 2 && !tld.All(char.IsAsciiLetterLower))
                return null;
            return facts.IsTrustedUrl(found.Original) ? null : Removed;
        });
        clean = ReplaceAll(clean, EnsName(), findings, "name", found =>
            found.Original.All(char.IsAscii) && facts.IsTrustedName(found.Original) ? null : Removed);
        clean = ReplaceAll(clean, SplitAddress(), findings, "address", found =>
        {
            var contiguous = found.Original.Length == 42 && found.Original.All(char.IsAscii);
            return contiguous && facts.IsTrustedAddress(found.Original.ToLowerInvariant()) ? null : Removed;
        });
        clean = ReplaceAll(clean, BareHex40(), findings, "address", found =>
            found.Original.All(char.IsAscii) && facts.IsTrustedAddress("0x" + found.Original.ToLowerInvariant()) ? null : Removed);
        clean = MarkUnverifiedAmounts(clean, facts, findings);
        return new GuardedText(clean, findings.Count > 0, findings.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Control and format characters (bidi overrides, zero-width, tag characters) and invisible fillers.</summary>
    public static string StripHidden(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.Replace("\r\n", "\n", StringComparison.Ordinal).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value is 0x2028 or 0x2029)
            {
                builder.Append('\n');
                continue;
            }

            if (category == UnicodeCategory.Control && rune.Value is not ('\n' or '\t'))
                continue;
            if (category == UnicodeCategory.Format)
                continue;
            // Renders as nothing or as blank space yet is a letter/symbol to Unicode: Hangul fillers, braille blank, CGJ, variation selectors.
            if (rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x034F or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF))
                continue;
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    /// <summary>Amounts written with a known token symbol, exactly as stated (no rounding tolerance).</summary>
    internal static IEnumerable<(string Symbol, decimal Units)> FindAmounts(string text)
    {
        foreach (Match match in ClaimedAmount().Matches(text))
        {
            if (TryParseClaim(match, out var value, out _))
                yield return (match.Groups["symbol"].Value, value);
        }
    }

    internal static IEnumerable<string> FindAddresses(string text) =>
        Address40().Matches(text).Select(m => m.Value);

    internal static IEnumerable<string> FindUrls(string text) =>
        SchemeUrl().Matches(text).Concat(BareDomain().Matches(text)).Select(m => m.Value);

    internal static IEnumerable<string> FindNames(string text) =>
        EnsName().Matches(text).Select(m => m.Value);

    /// <summary>A match found on the skeleton, read back in the original text's characters.</summary>
    private readonly record struct Found(string Text, int[] Map, Match Match)
    {
        public string Original => Slice(Match.Index, Match.Length);

        public string Group(string name) => Match.Groups[name] is { Success: true } g ? Slice(g.Index, g.Length) : "";

        private string Slice(int index, int length) => Text[Map[index]..Map[index + length]];
    }

    /// <summary>Runs <paramref name="pattern"/> on the skeleton; replaces the original span when <paramref name="replace"/> returns text (null keeps it).</summary>
    private static string ReplaceAll(string text, Regex pattern, List<string> findings, string finding, Func<Found, string?> replace)
    {
        var (skeleton, map) = Skeleton(text);
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (Match match in pattern.Matches(skeleton))
        {
            var start = map[match.Index];
            var end = map[match.Index + match.Length];
            if (start < position)
                continue;
            var replacement = replace(new Found(text, map, match));
            if (replacement is null)
                continue;
            builder.Append(text, position, start - position).Append(replacement);
            position = end;
            findings.Add(finding);
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }

    /// <summary>
    /// Folds the text for matching: NFKC (fullwidth, math letters, ligatures), then common Cyrillic/Greek look-alikes and
    /// dot variants to ASCII, lower-cased. map[i] is the original index of skeleton char i (map[Length] = text.Length).
    /// </summary>
    internal static (string Skeleton, int[] Map) Skeleton(string text)
    {
        var builder = new StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var folded = rune.IsAscii ? rune.ToString() : rune.ToString().Normalize(NormalizationForm.FormKC);
            foreach (var c in folded)
            {
                builder.Append(Fold(c));
                map.Add(index);
            }

            index += rune.Utf16SequenceLength;
        }

        map.Add(text.Length);
        return (builder.ToString(), map.ToArray());
    }

    private static char Fold(char c) => c switch
    {
        'а' or 'ɑ' or 'α' => 'a',
        'в' or 'β' => 'b',
        'с' or 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' or 'ё' or 'є' or 'ε' => 'e',
        'һ' => 'h',
        'і' or 'ї' or 'ι' or 'ı' or 'Ӏ' or 'ӏ' => 'i',
        'ј' => 'j',
        'κ' or 'к' => 'k',
        'ⅼ' or '∣' or 'ǀ' => 'l',
        'м' => 'm',
        'п' or 'η' => 'n',
        'о' or 'ο' or 'σ' or '০' or '٥' => 'o',
        'р' or 'ρ' => 'p',
        'ԛ' => 'q',
        'г' => 'r',
        'ѕ' => 's',
        'т' or 'τ' => 't',
        'υ' or 'ս' => 'u',
        'ν' or 'ѵ' => 'v',
        'ԝ' or 'ω' => 'w',
        'х' or 'χ' => 'x',
        'у' or 'γ' => 'y',
        'ᴢ' => 'z',
        '。' or '｡' or '․' or '‧' or '·' or '٠' => '.',
        '‐' or '‑' or '‒' or '–' or '—' or '−' => '-',
        _ => char.ToLowerInvariant(c),
    };

    private static string MarkUnverifiedAmounts(string text, TrustedFacts facts, List<string> findings)
    {
        var symbols = facts.Symbols;
        return ClaimedAmount().Replace(text, match =>
        {
            var symbol = match.Groups["symbol"].Value;
            if (!symbols.Contains(symbol, StringComparer.OrdinalIgnoreCase))
                return match.Value;
            if (!TryParseClaim(match, out var value, out var tolerance))
                return match.Value;
            if (facts.Amounts(symbol).Any(trusted => Math.Abs(trusted - value) <= tolerance))
                return match.Value;
            findings.Add("amount");
            return match.Value + Unverified;
        });
    }

    /// <summary>A claim is verified when it is the trusted amount written at the precision the claim uses ("1.2M" is ±50,000).</summary>
    private static bool TryParseClaim(Match match, out decimal value, out decimal tolerance)
    {
        value = 0;
        tolerance = 0;
        var number = match.Groups["number"].Value.Replace(",", "", StringComparison.Ordinal);
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            return false;
        var fractionDigits = number.Contains('.', StringComparison.Ordinal) ? number.Length - number.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        var multiplier = Governance.TokenAmount.ScaleWord(match.Groups["unit"].Value);
        try
        {
            value = parsed * multiplier;
            var step = multiplier;
            for (var i = 0; i < fractionDigits; i++)
                step /= 10;
            tolerance = step / 2;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\[(?<text>[^\]\n]{0,300})\]\(\s*(?<url>[^)\s]+)[^)\n]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?:\b[a-z][a-z0-9+.\-]{1,15}://|\bwww\.|\b(?:javascript|data|mailto|vbscript):)[^\s<>""'`\])]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemeUrl();

    [GeneratedRegex(@"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?<tld>com|org|net|io|xyz|app|dev|co|link|limo|info|finance|fi|gg|me|ai|to|sh|site|online|top|click|live|pro|tech|network|money|exchange|claim|claims|cash|wallet|gift|vip|club|shop|store|biz|page|cloud|zone|digital|world|today|space|fun|one|lol|wtf|tools|bet|win|domains|foundation|services|support|help|events|xn--[a-z0-9\-]+|[a-z]{2})(?![\w\-])(?:[/?#][^\s<>""'`\])]*)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareDomain();

    [GeneratedRegex(@"(?<![^\s()\[\]{}<>""'`,;:!?*_|])[^\s()\[\]{}<>""'`,;:!?*|.][^\s()\[\]{}<>""'`,;:!?*|]*\.eth(?![\p{L}\p{N}_\-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnsName();

    /// <summary>0x then 40 hex digits, allowing up to three separator characters (spaces, line breaks, dashes, Markdown) between digits.</summary>
    [GeneratedRegex(@"(?<![0-9a-z])0x[\s\-_*`'""~]{0,3}(?:[0-9a-f][\s\-_*`'""~]{0,3}){39}[0-9a-f](?![0-9a-f])", RegexOptions.CultureInvariant)]
    private static partial Regex SplitAddress();

    [GeneratedRegex(@"(?<![0-9a-z])[0-9a-f]{40}(?![0-9a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex BareHex40();

    [GeneratedRegex(@"\b0x[0-9a-fA-F]{40}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Address40();

    [GeneratedRegex(@"(?<![\w.,])\$?(?<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?<unit>(?i:thousand|million|billion|[kmb](?![a-z])))?\s?(?<symbol>[A-Za-z][A-Za-z0-9]{1,9})\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClaimedAmount();
}
