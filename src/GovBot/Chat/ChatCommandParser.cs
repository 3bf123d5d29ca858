namespace GovBot.Chat;

/// <summary>
/// Parses a typed command line ("/proposal 42", "/votes@GovBot 42 dao:ens", "ask what does 42 do?") into a command
/// name and named arguments, the way Telegram and the console both need it. Positional words fill the command's
/// options in catalog order; "name:value" sets one by name; /ask's question takes the rest of the line verbatim.
/// </summary>
public static class ChatCommandParser
{
    public const int MaxLineLength = 4096;

    public static (string Command, IReadOnlyDictionary<string, string> Arguments)? Parse(string text, string? botUserName = null)
    {
        var line = text.Length > MaxLineLength ? text[..MaxLineLength] : text;
        line = line.Trim();
        if (line.Length == 0)
            return null;
        if (line[0] == '/')
            line = line[1..];

        var firstSpace = line.IndexOfAny([' ', '\n', '\t']);
        var head = firstSpace < 0 ? line : line[..firstSpace];
        var rest = firstSpace < 0 ? "" : line[(firstSpace + 1)..].Trim();

        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // In groups Telegram appends the bot's name; a command addressed to another bot is not ours.
            var addressee = head[(at + 1)..];
            if (botUserName is not null && !addressee.Equals(botUserName, StringComparison.OrdinalIgnoreCase))
                return null;
            head = head[..at];
        }

        var command = head.ToLowerInvariant();
        var spec = CommandCatalog.Find(command);
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec is null)
            return (command, arguments);

        var textOption = spec.Options.FirstOrDefault(o => o.Name == "question");
        var words = rest.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var positional = new List<string>();
        var consumedAll = false;
        for (var i = 0; i < words.Length && !consumedAll; i++)
        {
            var word = words[i];
            var colon = word.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? word[..colon].ToLowerInvariant() : null;
            if (name is not null && spec.Options.Any(o => o.Name == name) && name != "question")
            {
                arguments[name] = word[(colon + 1)..];
                continue;
            }

            if (textOption is not null)
            {
                // Everything from the first word that is not a named option is the question, spacing kept.
                var index = IndexOfWord(rest, words, i);
                arguments[textOption.Name] = rest[index..].Trim();
                consumedAll = true;
                continue;
            }

            positional.Add(word);
        }

        var free = spec.Options.Where(o => !arguments.ContainsKey(o.Name) && o.Name != "question").ToList();
        for (var i = 0; i < positional.Count && i < free.Count; i++)
            arguments[free[i].Name] = positional[i];
        if (positional.Count > free.Count && free.Count > 0)
            arguments[free[^1].Name] = string.Join(' ', positional.Skip(free.Count - 1));
        return (command, arguments);
    }

    private static int IndexOfWord(string rest, string[] words, int wordIndex)
    {
        var position = 0;
        for (var i = 0; i <= wordIndex; i++)
        {
            position = rest.IndexOf(words[i], position, StringComparison.Ordinal);
            if (i < wordIndex)
                position += words[i].Length;
        }

        return position;
    }
}
