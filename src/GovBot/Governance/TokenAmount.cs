using System.Globalization;
using System.Numerics;
using System.Text;

namespace GovBot.Governance;

/// <summary>Formats uint256 base units for people. Exact: BigInteger all the way, no double anywhere.</summary>
public static class TokenAmount
{
    /// <summary>1234567890000000000000 with 18 decimals → "1,234.56789"; at most <paramref name="maxFraction"/> fraction digits, trailing zeros dropped.</summary>
    public static string Format(BigInteger baseUnits, int decimals, int maxFraction = 4)
    {
        var negative = baseUnits.Sign < 0;
        var value = BigInteger.Abs(baseUnits);
        var scale = BigInteger.Pow(10, decimals);
        var whole = BigInteger.DivRem(value, scale, out var fraction);
        var builder = new StringBuilder();
        if (negative)
            builder.Append('-');
        builder.Append(whole.ToString("N0", CultureInfo.InvariantCulture));
        if (decimals > 0 && maxFraction > 0 && !fraction.IsZero)
        {
            var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0');
            var shown = digits[..Math.Min(maxFraction, digits.Length)].TrimEnd('0');
            if (shown.Length > 0)
                builder.Append('.').Append(shown);
            else if (whole.IsZero)
                return (negative ? "-" : "") + "<0." + new string('0', Math.Max(0, maxFraction - 1)) + "1";
        }

        return builder.ToString();
    }

    public static string Format(BigInteger baseUnits, int decimals, string symbol, int maxFraction = 4) =>
        $"{Format(baseUnits, decimals, maxFraction)} {symbol}";

    /// <summary>Compact form for tallies: 1.23M, 45.6K (never rounds a non-zero value to "0").</summary>
    public static string Compact(BigInteger baseUnits, int decimals)
    {
        var whole = BigInteger.Divide(BigInteger.Abs(baseUnits), BigInteger.Pow(10, decimals));
        if (whole < 10_000)
            return Format(baseUnits, decimals, 2);
        string[] suffixes = ["K", "M", "B", "T"];
        var unit = BigInteger.One;
        var index = -1;
        while (index + 1 < suffixes.Length && whole >= unit * 1000)
        {
            unit *= 1000;
            index++;
        }

        var scaled = baseUnits * 100 / (unit * BigInteger.Pow(10, decimals));
        var text = BigInteger.DivRem(scaled, 100, out var rem).ToString(CultureInfo.InvariantCulture);
        var remText = BigInteger.Abs(rem).ToString("00", CultureInfo.InvariantCulture).TrimEnd('0');
        return (remText.Length > 0 ? $"{text}.{remText}" : text) + suffixes[index];
    }
}
