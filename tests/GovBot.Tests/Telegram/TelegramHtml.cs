using System.Text;
using System.Xml;

namespace GovBot.Tests.Telegram;

/// <summary>
/// Reads Telegram HTML the strict way: wrapped in a root element and parsed as XML, so an unclosed or straddling tag
/// fails. Returns the text a user would see, and rejects any tag GovBot does not write.
/// </summary>
public static class TelegramHtml
{
    private static readonly HashSet<string> AllowedTags = ["b", "i"];

    public static string VisibleText(string html)
    {
        var text = new StringBuilder();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = false };
        using var reader = XmlReader.Create(new StringReader("<root>" + html + "</root>"), settings);
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Name != "root":
                    if (!AllowedTags.Contains(reader.Name) || reader.HasAttributes)
                        throw new InvalidOperationException($"unexpected tag <{reader.Name}> in {html}");
                    break;
                case XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    text.Append(reader.Value);
                    break;
            }
        }
        return text.ToString();
    }
}
