using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace GovBot.Chain;

/// <summary>One entry of an eth_getLogs answer, checked field by field so a malformed node answer is an error, not a gap.</summary>
public sealed record ChainLog(
    string Address,
    IReadOnlyList<string> Topics,
    string Data,
    long BlockNumber,
    string BlockHash,
    string TransactionHash,
    int LogIndex,
    long? BlockTimestamp,
    bool Removed)
{
    public static ChainLog Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FormatException($"a log entry is a JSON {element.ValueKind}, not an object");
        var topics = RequiredProperty(element, "topics");
        if (topics.ValueKind != JsonValueKind.Array)
            throw new FormatException("a log entry's topics is not an array");
        return new ChainLog(
            Hex.Lower(RequiredString(element, "address")),
            topics.EnumerateArray().Select(t => Hex.Lower(t.GetString() ?? throw new FormatException("a log topic is null"))).ToList(),
            Hex.Lower(RequiredString(element, "data")),
            Hex.ToLong(RequiredString(element, "blockNumber")),
            Hex.Lower(RequiredString(element, "blockHash")),
            Hex.Lower(RequiredString(element, "transactionHash")),
            checked((int)Hex.ToLong(RequiredString(element, "logIndex"))),
            element.TryGetProperty("blockTimestamp", out var ts) && ts.ValueKind == JsonValueKind.String ? Hex.ToLong(ts.GetString()!) : null,
            element.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True);
    }

    private static JsonElement RequiredProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"a log entry has no '{name}'");

    private static string RequiredString(JsonElement element, string name)
    {
        var value = RequiredProperty(element, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"a log entry's '{name}' is not a string");
    }
}

public static class Hex
{
    public static string Lower(string hex)
    {
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"'{Preview(hex)}' is not 0x-prefixed hex");
        for (var i = 2; i < hex.Length; i++)
        {
            if (!char.IsAsciiHexDigit(hex[i]))
                throw new FormatException($"'{Preview(hex)}' is not hex");
        }

        return hex.ToLowerInvariant();
    }

    public static long ToLong(string hex)
    {
        Lower(hex);
        if (hex.Length is < 3 or > 18)
            throw new FormatException($"'{Preview(hex)}' is not a hex quantity that fits 64 bits");
        return long.Parse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static BigInteger ToBigInteger(string hex)
    {
        Lower(hex);
        return hex.Length == 2 ? BigInteger.Zero : BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static string FromLong(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static string FromBigInteger(BigInteger value) =>
        value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    public static string FromBytes(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>Decodes 0x-prefixed (or bare) hex; false on odd length or a non-hex character, with the reason.</summary>
    public static bool TryDecode(string? text, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        if (text is null)
        {
            error = "calldata is missing";
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            span = span[2..];
        if (span.Length % 2 != 0)
        {
            error = $"calldata has an odd number of hex digits ({span.Length})";
            return false;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                error = "calldata contains a character that is not hex";
                return false;
            }
        }

        bytes = Convert.FromHexString(span);
        return true;
    }

    private static string Preview(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
