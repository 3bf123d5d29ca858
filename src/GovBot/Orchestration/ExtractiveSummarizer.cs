using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GovBot.Governance;
using GovBot.Treasury;

namespace GovBot.Orchestration;

/// <summary>
/// The offline summary: the author's own Summary/Abstract/TL;DR/Synopsis section when there is one, else the leading
/// sentences (skipping title, metadata tables and link lists), as plain text, followed by the decoded actions. Pure and
/// deterministic; never longer than the limit. The output still goes through the <see cref="OutputGuard"/>.
/// </summary>
public static partial class ExtractiveSummarizer
{
    public const int MaxLength = 900;
    private const int MaxActionLines = 4;
    private const int MaxActionLineLength = 170;
    private const int MinProseBudget = 300;

    private static readonly HashSet<string> SummaryHeadings = new(StringComparer.Ordinal)
    {
        "summary", "abstract", "tldr", "synopsis", "executivesummary", "overview", "proposalsummary", "outline",
    };

    /// <summary>Items of a list a summary sentence introduces ("…the following two issues:") that are carried into it.</summary>
    private const int MaxCarriedItems = 3;
    private const int MaxCarriedItemLength = 120;

    private static readonly HashSet<string> BoilerplateHeadings = new(StringComparer.Ordinal)
    {
        "links", "references", "previouscontext", "tableofcontents", "contents", "status", "resources", "relatedlinks", "discussion", "votinglinks",
    };

    private enum BlockKind
    {
        Heading,
        Paragraph,
        ListItem,
    }

    private sealed record Block(BlockKind Kind, string Raw, int Level = 0);

    public static string Summarize(string description, IReadOnlyList<DecodedAction> actions, int maxLength = MaxLength)
    {
        var actionText = ActionLines(actions, Math.Max(0, maxLength / 2));
        var proseBudget = Math.Max(Math.Min(MinProseBudget, maxLength), maxLength - actionText.Length - (actionText.Length > 0 ? 1 : 0));
        var prose = Prose(description, proseBudget);
        var text = actionText.Length == 0 ? prose : prose.Length == 0 ? actionText : prose + "\n" + actionText;
        return text.Length <= maxLength ? text : Clip(text, maxLength);
    }

    /// <summary>The prose part alone (for tests and for the model's context).</summary>
    public static string Prose(string description, int budget)
    {
        var sentences = SummarySentences(Parse(description));
        var builder = new StringBuilder();
        foreach (var sentence in sentences)
        {
            var separator = builder.Length == 0 ? "" : " ";
            if (builder.Length + separator.Length + sentence.Length <= budget)
            {
                builder.Append(separator).Append(sentence);
                continue;
            }

            if (builder.Length == 0)
                builder.Append(Clip(sentence, budget));
            break;
        }

        return builder.ToString();
    }

    private static IEnumerable<string> SummarySentences(List<Block> blocks)
    {
        // An inline "TL;DR: …" or "Summary: …" paragraph is the author's summary too.
        foreach (var block in blocks.Where(b => b.Kind == BlockKind.Paragraph))
        {
            var match = InlineSummary().Match(Plain(block.Raw));
            if (match.Success && match.Groups["rest"].Value.Length > 20)
                return Sentences(match.Groups["rest"].Value);
        }

        var start = blocks.FindIndex(b => b.Kind == BlockKind.Heading && SummaryHeadings.Contains(Key(b.Raw)));
        if (start >= 0)
        {
            var section = Texts(blocks.Skip(start + 1).TakeWhile(b => b.Kind != BlockKind.Heading).ToList());
            if (section.Count > 0)
                return section.SelectMany(Sentences);
        }

        return Texts(Leading(blocks).ToList()).SelectMany(Sentences);
    }

    /// <summary>
    /// The prose blocks as plain text. A paragraph that ends by introducing something ("…to the multisig wallet:",
    /// "…the following two issues:") carries what follows it (list items, or a short value line such as an address),
    /// so a summary never stops on a dangling colon.
    /// </summary>
    private static List<string> Texts(List<Block> blocks)
    {
        var texts = new List<string>();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Kind == BlockKind.Heading || !IsProse(blocks[i]))
                continue;
            var text = Plain(blocks[i].Raw);
            if (text.EndsWith(':'))
            {
                var items = new List<string>();
                while (i + 1 < blocks.Count && Carried(blocks[i + 1]) is { } item)
                {
                    items.Add(item);
                    i++;
                }

                text = items.Count == 0
                    ? text[..^1].TrimEnd() + "."
                    : text + " " + string.Join("; ", items.Take(MaxCarriedItems)) + (items.Count > MaxCarriedItems ? "; …" : ".");
            }

            texts.Add(text);
        }

        return texts;
    }

    /// <summary>A list item, or a paragraph of a few words that is not code: what an introducing sentence points at.</summary>
    private static string? Carried(Block block)
    {
        if (block.Kind == BlockKind.Heading || (block.Kind == BlockKind.Paragraph && block.Raw.TrimStart().StartsWith('`')))
            return null;
        var plain = Plain(block.Raw).TrimEnd('.', ';', ',');
        if (plain.Length == 0 || (block.Kind == BlockKind.Paragraph && WordCount(plain) > 8))
            return null;
        return Clip(plain, MaxCarriedItemLength);
    }

    /// <summary>Blocks from the top, skipping the title and sections that are only links or metadata.</summary>
    private static IEnumerable<Block> Leading(List<Block> blocks)
    {
        var inBoilerplate = false;
        var seenTitle = false;
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading)
            {
                inBoilerplate = BoilerplateHeadings.Contains(Key(block.Raw));
                seenTitle = true;
                continue;
            }

            if (!seenTitle && block.Kind == BlockKind.Paragraph && blocks.IndexOf(block) == 0)
            {
                // A description without a '#' title still starts with its title line.
                seenTitle = true;
                continue;
            }

            if (!inBoilerplate)
                yield return block;
        }
    }

    /// <summary>Real sentences: not a link list, not "Author: …" metadata, not a fragment of two words.</summary>
    private static bool IsProse(Block block)
    {
        var plain = Plain(block.Raw);
        if (Metadata().IsMatch(plain))
            return false;
        // Words outside links: "[Temp Check](…)" or a list of forum links has none; "documented [here](…)" has plenty.
        var ownWords = WordCount(Plain(BareUrl().Replace(MarkdownLink().Replace(block.Raw, " "), " ")));
        return block.Kind == BlockKind.ListItem ? ownWords >= 3 : ownWords >= 5 && WordCount(plain) >= 5;
    }

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));

    private static List<Block> Parse(string description)
    {
        var blocks = new List<Block>();
        var paragraph = new StringBuilder();
        var inCode = false;

        void Flush()
        {
            if (paragraph.Length > 0)
                blocks.Add(new Block(BlockKind.Paragraph, paragraph.ToString().Trim()));
            paragraph.Clear();
        }

        var text = ProposalText.StripControl(description).Replace("\r\n", "\n", StringComparison.Ordinal);
        text = HtmlComment().Replace(text, "");
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                Flush();
                inCode = !inCode;
                continue;
            }

            if (inCode)
                continue;
            if (line.Length == 0 || Rule().IsMatch(line))
            {
                Flush();
                continue;
            }

            if (line.StartsWith('|') || TableDivider().IsMatch(line))
            {
                Flush();
                continue;
            }

            if (HeadingLine().Match(line) is { Success: true } heading)
            {
                Flush();
                blocks.Add(new Block(BlockKind.Heading, heading.Groups["text"].Value, heading.Groups["hashes"].Length));
                continue;
            }

            // A bold line of a few words is a heading; a bold address or amount on its own line is a value.
            if (BoldLine().Match(line) is { Success: true } bold && bold.Groups["text"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 6
                && !BoldValue().IsMatch(bold.Groups["text"].Value))
            {
                Flush();
                blocks.Add(new Block(BlockKind.Heading, bold.Groups["text"].Value, 6));
                continue;
            }

            if (ListItem().Match(line) is { Success: true } item)
            {
                Flush();
                blocks.Add(new Block(BlockKind.ListItem, item.Groups["text"].Value));
                continue;
            }

            if (line.StartsWith('>'))
                line = line.TrimStart('>', ' ');
            paragraph.Append(' ').Append(line);
        }

        Flush();
        return blocks;
    }

    /// <summary>Markdown and HTML to one line of plain text: link text kept, URLs, images, emphasis and code marks dropped.</summary>
    internal static string Plain(string markdown)
    {
        var text = Image().Replace(markdown, "");
        text = MarkdownLink().Replace(text, m => m.Groups["text"].Value);
        text = MarkdownLink().Replace(text, m => m.Groups["text"].Value);
        text = ReferenceLink().Replace(text, m => m.Groups["text"].Value);
        text = FootnoteReference().Replace(text, "");
        text = AutoLink().Replace(text, "");
        text = HtmlTag().Replace(text, " ");
        text = BareUrl().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = Escape().Replace(text, "$1");
        text = text.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal).Replace("~~", "", StringComparison.Ordinal)
            .Replace("`", "", StringComparison.Ordinal).Replace('*', ' ').Replace('|', '/');
        text = Underscore().Replace(text, "$1");
        text = text.Replace("[]", "", StringComparison.Ordinal).Replace("()", "", StringComparison.Ordinal).Replace("( )", "", StringComparison.Ordinal);
        text = text.TrimStart('#', ' ');
        text = Whitespace().Replace(text, " ").Trim();
        return SpaceBeforePunctuation().Replace(text, "$1");
    }

    private static IEnumerable<string> Sentences(string plain)
    {
        foreach (var sentence in SentenceBreak().Split(plain))
        {
            var trimmed = sentence.Trim();
            if (trimmed.Length == 0)
                continue;
            yield return trimmed[^1] is '.' or '!' or '?' or ':' or ';' ? trimmed : trimmed + ".";
        }
    }

    private static string ActionLines(IReadOnlyList<DecodedAction> actions, int budget)
    {
        if (actions.Count == 0)
            return "";
        var lines = actions
            .Select(a => Clip(ProposalText.StripControl(a.Summary).ReplaceLineEndings(" "), MaxActionLineLength))
            .GroupBy(s => s, StringComparer.Ordinal)
            .Select(g => g.Count() > 1 ? $"{g.Count()}× {g.Key}" : g.Key)
            .ToList();
        var header = actions.Count == 1 ? "On-chain action:" : $"On-chain actions ({actions.Count}):";
        for (var shown = Math.Min(MaxActionLines, lines.Count); shown >= 1; shown--)
        {
            var builder = new StringBuilder(header);
            foreach (var line in lines.Take(shown))
                builder.Append("\n• ").Append(line);
            if (shown < lines.Count)
                builder.Append("\n• … and ").Append(lines.Count - shown).Append(" more");
            if (builder.Length <= budget || shown == 1)
                return builder.Length <= budget ? builder.ToString() : Clip(builder.ToString(), budget);
        }

        return "";
    }

    /// <summary>Cuts at a word boundary and ends with an ellipsis, never longer than max.</summary>
    internal static string Clip(string text, int max)
    {
        if (text.Length <= max)
            return text;
        if (max <= 1)
            return "…"[..max];
        var cut = text.LastIndexOf(' ', max - 1);
        var head = cut > max / 2 ? text[..cut] : text[..(max - 1)];
        return head.TrimEnd(' ', ',', ';', ':', '-') + "…";
    }

    /// <summary>Heading text reduced to letters: "## **Summary:**" and "TL;DR" become "summary" and "tldr".</summary>
    private static string Key(string heading) =>
        new(Plain(heading).ToLowerInvariant().Where(char.IsAsciiLetterLower).ToArray());

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s*(?<text>.*?)\s*#*$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^(?:\*\*|__)(?<text>[^*_]{1,80}?)(?:\*\*|__):?\s*$")]
    private static partial Regex BoldLine();

    [GeneratedRegex(@"^\s*(?:0x[0-9a-fA-F]{40}|[$€]?[\d,.]+\s*[A-Za-z]{0,6})\s*$")]
    private static partial Regex BoldValue();

    [GeneratedRegex(@"^(?:[-*+•]|\d{1,3}[.)])\s+(?<text>.+)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^([-*_])(\s*\1){2,}\s*$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^:?-{3,}:?(\s*\|\s*:?-{3,}:?)*\s*\|?$")]
    private static partial Regex TableDivider();

    [GeneratedRegex(@"<!--[\s\S]*?-->")]
    private static partial Regex HtmlComment();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[(?<text>(?:\\.|[^\]\\\n])*)\]\((?<url>[^)\s]*)(?:\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\[(?<text>[^\]\n]+)\]\[[^\]\n]*\]")]
    private static partial Regex ReferenceLink();

    [GeneratedRegex(@"\[\^[^\]\n]*\]")]
    private static partial Regex FootnoteReference();

    [GeneratedRegex(@"<(?:https?|ipfs|mailto):[^>\s]*>", RegexOptions.IgnoreCase)]
    private static partial Regex AutoLink();

    [GeneratedRegex(@"</?[a-zA-Z][^>\n]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(?:https?://|www\.)[^\s)\]>]+", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!|~<>])")]
    private static partial Regex Escape();

    [GeneratedRegex(@"(?<![\w])_(\S(?:[^_]*\S)?)_(?![\w])")]
    private static partial Regex Underscore();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s+([.,;:!?])(?=\s|$)")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[""“'(\[]?[A-Z0-9])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"^(?:summary|abstract|tl;?dr|synopsis)\s*[:\-–—]\s*(?<rest>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex InlineSummary();

    [GeneratedRegex(@"^(?:author|authors|status|category|temp check|discussion|created|type|forum|snapshot|tally|vote|voting|previous context)s?\s*[:\-–—]", RegexOptions.IgnoreCase)]
    private static partial Regex Metadata();
}
