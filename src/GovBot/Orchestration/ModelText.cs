using System.Text.RegularExpressions;

namespace GovBot.Orchestration;

/// <summary>Model output to the plain text a ChatReply carries (line breaks and "• " bullets only); renderers escape the rest.</summary>
public static partial class ModelText
{
    public static string ToPlain(string text)
    {
        var lines = OutputGuard.StripHidden(text).Split('\n').Select(line =>
        {
            var l = Heading().Replace(line, "");
            l = Bullet().Replace(l, "• ");
            return l.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).TrimEnd();
        });
        return BlankRuns().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*[-*+]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();
}
