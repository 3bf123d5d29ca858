using System.Text;

namespace GovBot.Chat.Console;

/// <summary>Plain-text rendering for a terminal. Control characters in untrusted text are removed so a title cannot move the cursor or recolour the screen.</summary>
public static class ConsoleRenderer
{
    public static string Render(ChatReply reply)
    {
        var builder = new StringBuilder();
        var title = Clean(reply.Title);
        builder.AppendLine(title);
        builder.AppendLine(new string('─', Math.Min(72, Math.Max(8, title.Length))));
        if (reply.Body.Length > 0)
            builder.AppendLine(Clean(reply.Body));
        if (reply.Facts.Count > 0)
        {
            builder.AppendLine();
            foreach (var fact in reply.Facts)
            {
                var value = Clean(fact.Value);
                if (value.Contains('\n', StringComparison.Ordinal))
                    builder.Append(Clean(fact.Name)).AppendLine(":").AppendLine("  " + value.Replace("\n", "\n  ", StringComparison.Ordinal));
                else
                    builder.Append(Clean(fact.Name)).Append(": ").AppendLine(value);
            }
        }

        foreach (var link in reply.Links)
            builder.Append("→ ").Append(Clean(link.Label)).Append(": ").AppendLine(Clean(link.Url));
        if (reply.Image is not null)
            builder.Append("[image: ").Append(Clean(reply.Image.FileName)).AppendLine("]");
        if (!string.IsNullOrEmpty(reply.Footer))
            builder.AppendLine().AppendLine(Clean(reply.Footer));
        return builder.ToString();
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n' || c == '\t' || (!char.IsControl(c) && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format))
                builder.Append(c);
        }

        return builder.ToString();
    }
}
