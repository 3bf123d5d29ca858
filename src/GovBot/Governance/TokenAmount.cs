using System.Globalization;
using System.Numerics;
using System.Text;

namespace GovBot.Governance;

/// <summary>uint256 base units for people, and the few amount facts everyone needs. BigInteger all the way, no double anywhere.</summary>
public static class TokenAmount
{
    /// <summary>2^256 - 1, what "approve max" sends.</summary>
    public static readonly BigInteger MaxUint256 = (BigInteger.One << 256) - 1;

    /// <summary>Amounts this large are "unlimited" in practice: nothing has a supply near 2^255 base units.</summary>
    public static readonly BigInteger UnlimitedThreshold = BigInteger.One << 255;

    public static bool IsUnlimited(BigInteger amount) => amount >= UnlimitedThreshold;

    /// <summary>Base units to a grouped decimal string: Format(1234500000, 6) is "1,234.5". Exact, never rounded.</summary>
    public static string Format(BigInteger baseUnits, int decimals)
    {
        var negative = baseUnits.Sign < 0;
        var digits = BigInteger.Abs(baseUnits).ToString(CultureInfo.InvariantCulture);
        string whole, fraction;
        if (decimals <= 0)
        {
            whole = digits;
            fraction = "";
        }
        else
        {
            digits = digits.PadLeft(decimals + 1, '0');
            whole = digits[..^decimals];
            fraction = digits[^decimals..].TrimEnd('0');
        }

        var builder = new StringBuilder(whole.Length + whole.Length / 3 + fraction.Length + 2);
        if (negative)
            builder.Append('-');
        for (var i = 0; i < whole.Length; i++)
        {
            if (i > 0 && (whole.Length - i) % 3 == 0)
                builder.Append(',');
            builder.Append(whole[i]);
        }
        if (fraction.Length > 0)
            builder.Append('.').Append(fraction);
        return builder.ToString();
    }

    /// <summary>Like Format, rounded half-up to at most maxFractionDigits; for estimates, never for exact amounts.</summary>
    public static string FormatRounded(BigInteger baseUnits, int decimals, int maxFractionDigits)
    {
        if (decimals <= maxFractionDigits)
            return Format(baseUnits, decimals);
        var step = BigInteger.Pow(10, decimals - maxFractionDigits);
        var rounded = (BigInteger.Abs(baseUnits) + step / 2) / step * step;
        return Format(baseUnits.Sign < 0 ? -rounded : rounded, decimals);
    }

    /// <summary>The scale word after a number in prose ("1.2M", "5 thousand"): k, m, b and their words; anything else is 1.</summary>
    public static decimal ScaleWord(string word) => word.ToLowerInvariant() switch
    {
        "k" or "thousand" => 1_000m,
        "m" or "million" => 1_000_000m,
        "b" or "billion" => 1_000_000_000m,
        _ => 1m,
    };

    /// <summary>A whole-unit decimal (e.g. 1.5) to base units; null when it would need more precision than the token has.</summary>
    public static BigInteger? ToBaseUnits(decimal units, int decimals)
    {
        if (decimals is < 0 or > 77)
            return null;
        var scaled = units;
        var remaining = decimals;
        // decimal holds ~28 digits; scale in steps so 18-decimal tokens with large amounts stay exact.
        while (remaining > 0 && scaled != decimal.Truncate(scaled))
        {
            try
            {
                scaled *= 10;
            }
            catch (OverflowException)
            {
                return null;
            }
            remaining--;
        }
        if (scaled != decimal.Truncate(scaled))
            return null;
        return new BigInteger(scaled) * BigInteger.Pow(10, remaining);
    }

    public static string Format(BigInteger baseUnits, int decimals, string symbol, int maxFractionDigits = 4) =>
        $"{FormatRounded(baseUnits, decimals, maxFractionDigits)} {symbol}";

    /// <summary>Compact form for tallies: 1.23M, 45.6K; below ten thousand the rounded amount.</summary>
    public static string Compact(BigInteger baseUnits, int decimals)
    {
        var whole = BigInteger.Divide(BigInteger.Abs(baseUnits), BigInteger.Pow(10, decimals));
        if (whole < 10_000)
            return FormatRounded(baseUnits, decimals, 2);
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
