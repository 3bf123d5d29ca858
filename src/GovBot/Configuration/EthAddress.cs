using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace GovBot.Configuration;

/// <summary>Parsing and normalising of 20-byte Ethereum addresses; everything GovBot stores is lowercase 0x-hex.</summary>
public static partial class EthAddress
{
    public const string Pattern = "^0x[0-9a-fA-F]{40}$";

    /// <summary>The zero address: no delegate, a mint or burn side, "nobody".</summary>
    public const string Zero = "0x0000000000000000000000000000000000000000";

    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? address)
    {
        address = null;
        if (text is null)
            return false;
        var trimmed = text.Trim();
        if (!AddressRegex().IsMatch(trimmed))
            return false;
        address = trimmed.ToLowerInvariant();
        return true;
    }

    public static string Normalize(string text) =>
        TryNormalize(text, out var address) ? address : throw new FormatException($"'{Truncate(text)}' is not a 0x-prefixed 20-byte hex address");

    public static string Short(string address) =>
        address.Length == 42 ? $"{address[..6]}…{address[^4..]}" : address;

    private static string Truncate(string? text) => text is null ? "" : text.Length > 60 ? text[..60] + "…" : text;

    [GeneratedRegex(Pattern)]
    private static partial Regex AddressRegex();
}
