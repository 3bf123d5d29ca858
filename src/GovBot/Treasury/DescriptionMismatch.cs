using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace GovBot.Treasury;

/// <summary>
/// Compares what a proposal's text says it moves with what its calldata moves. Deliberately conservative: an amount
/// in the text is only questioned when the actions move that same token and no action amount, total or stream rate
/// comes within 1% of it; an address only when the text names it as a recipient. False alarms teach people to
/// ignore flags.
/// </summary>
internal static partial class DescriptionMismatch
{
    /// <summary>Proposal text is untrusted; beyond this it is not read (real proposals are far smaller).</summary>
    public const int MaxDescriptionChars = 200_000;

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const int TimeoutMs = 2000;

    // "$1,200,000 USDC", "1.5M ENS", "250k USDC", "1.2 million USDC", "100 ETH". Linear-time engine, plus a timeout.
    [GeneratedRegex(@"(?<dollar>\$)?\s?(?<num>\d{1,3}(,\d{3})+(\.\d+)?|\d{1,15}(\.\d{1,18})?)((?<mult>[kKmMbB])\b|\s?(?<mult>million|thousand|billion))?(\s?(?<sym>[A-Za-z][A-Za-z0-9]{1,9})\b)?", Options, TimeoutMs)]
    private static partial Regex AmountRegex();

    [GeneratedRegex(@"0x[0-9a-fA-F]{40}\b", Options, TimeoutMs)]
    private static partial Regex AddressRegex();

    private static readonly string[] _recipientWords = ["recipient", "receiv", "beneficiar", "send to", "sent to", "transfer to", "transferred to", "pay to", "paid to", "payee", "grantee"];

    private sealed record Claim(string Family, decimal Units, string Text);

    public static IEnumerable<RiskFlag> Find(IReadOnlyList<DecodedAction> all, string description, int maxExamples)
    {
        var text = description.Length > MaxDescriptionChars ? description[..MaxDescriptionChars] : description;
        var flags = new List<RiskFlag>();
        try
        {
            var candidates = AmountCandidates(all);
            var claims = Claims(text, all).GroupBy(c => c.Family).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            var explained = claims.ToDictionary(kv => kv.Key, kv => SubsetSums(kv.Value.Select(c => c.Units)), StringComparer.Ordinal);

            // The text gives amounts of a token the actions move, yet not one of them (or a sum of them) is what the actions do.
            var unmatched = claims.Where(kv => candidates.TryGetValue(kv.Key, out var amounts) && amounts.Count > 0
                    && !amounts.Any(a => explained[kv.Key].Any(c => Close(a, c))))
                .SelectMany(kv => kv.Value.Select(c => c.Text)).Distinct().ToArray();
            if (unmatched.Length > 0)
                flags.Add(Flag(RiskSeverity.Medium, RiskCodes.AmountNotInActions,
                    $"{unmatched.Length} amount(s) in the description, none of which the actions move", unmatched, maxExamples));

            // A transfer whose amount the text never states, although it states amounts of that token.
            var silent = TransferAmounts(all)
                .Where(t => explained.TryGetValue(t.Family, out var sums) && !t.Amounts.Any(a => sums.Any(c => Close(a, c))))
                .Select(t => t.Text).Distinct().ToArray();
            if (silent.Length > 0)
                flags.Add(Flag(RiskSeverity.Medium, RiskCodes.TransferAmountNotInDescription,
                    $"{silent.Length} transfer(s) whose amount the description never states", silent, maxExamples));

            var transfers = all.SelectMany(a => a.Movements).Where(m => m.Kind == MovementKind.Transfer).ToArray();
            if (transfers.Length > 0)
            {
                var haystack = AddressHaystack(all);
                var recipients = RecipientAddresses(text).Where(address => !haystack.Contains(address[2..], StringComparison.Ordinal)).ToArray();
                if (recipients.Length > 0)
                    flags.Add(Flag(RiskSeverity.Medium, RiskCodes.RecipientNotInActions,
                        $"{recipients.Length} recipient address(es) in the description appear in no action", recipients, maxExamples));
            }

            var unmentioned = transfers.Where(m => !Mentions(text, m)).Select(m => $"{m.FormatAmount()} to {m.To}").Distinct().ToArray();
            if (unmentioned.Length > 0)
                flags.Add(Flag(RiskSeverity.Medium, RiskCodes.UnmentionedTransfer,
                    $"{unmentioned.Length} transfer(s) of a token the description never mentions", unmentioned, maxExamples));
        }
        catch (RegexMatchTimeoutException)
        {
            flags.Add(new RiskFlag(RiskSeverity.Low, RiskCodes.AmountNotInActions, "The description is too large or unusual to compare with the actions"));
        }
        return flags;
    }

    private static RiskFlag Flag(RiskSeverity severity, string code, string headline, string[] examples, int maxExamples)
    {
        var more = examples.Length > maxExamples ? $" (+{examples.Length - maxExamples} more)" : "";
        return new RiskFlag(severity, code, $"{headline}: {string.Join("; ", examples.Take(maxExamples))}{more}");
    }

    /// <summary>USDCx is Superfluid-wrapped USDC: streams and wraps of it count as USDC.</summary>
    private const string UsdFamily = "USD";

    /// <summary>Dollar stablecoins (and their Superfluid wrappers) are one family, as texts say "$" for any of them.</summary>
    private static string Family(string symbol)
    {
        var upper = symbol.ToUpperInvariant();
        return upper switch
        {
            "USDC" or "USDCX" or "USDT" or "DAI" or "DAIX" => UsdFamily,
            "WETH" or "ETHX" => "ETH",
            _ => upper,
        };
    }

    private static List<Claim> Claims(string text, IReadOnlyList<DecodedAction> all)
    {
        var symbols = all.SelectMany(a => a.Movements).Where(m => m.Symbol is not null && m.Decimals is not null)
            .Select(m => m.Symbol!).Append("ETH").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var claims = new List<Claim>();
        foreach (Match match in AmountRegex().Matches(text))
        {
            var symbol = match.Groups["sym"].Value;
            // Symbols are written as symbols ("ENS", "USDC", "USDCx"); "eth" in prose is too often something else.
            var isToken = symbols.TryGetValue(symbol, out var canonical) && (symbol == canonical || symbol == symbol.ToUpperInvariant());
            var dollar = match.Groups["dollar"].Success;
            string family;
            if (isToken && (!dollar || Family(symbol) == UsdFamily))
                family = Family(symbol);
            else if (dollar && !isToken)
                family = UsdFamily; // "$125,000" is a claim about stablecoins
            else
                continue; // a bare number, or "$1.2M ENS" (a dollar value of another token)
            if (!decimal.TryParse(match.Groups["num"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var units))
                continue;
            var multiplier = Governance.TokenAmount.ScaleWord(match.Groups["mult"].Value);
            try
            {
                units *= multiplier;
            }
            catch (OverflowException)
            {
                continue;
            }
            if (units <= 0)
                continue;
            claims.Add(new Claim(family, units, ActionDecoder.Clip(match.Value.Trim(), 60)));
        }
        return claims;
    }

    /// <summary>Every amount the actions could be said to move, per token family, in whole units.</summary>
    private static Dictionary<string, List<decimal>> AmountCandidates(IReadOnlyList<DecodedAction> all)
    {
        var result = new Dictionary<string, List<decimal>>(StringComparer.Ordinal);
        void AddAmount(string family, BigInteger baseUnits, int decimals)
        {
            if (!result.TryGetValue(family, out var list))
                result[family] = list = [];
            if (TryUnits(baseUnits, decimals, out var units))
                list.Add(units);
        }

        var movements = all.SelectMany(a => a.Movements).Where(m => m.Symbol is not null && m.Decimals is not null && !m.IsUnlimited).ToArray();
        foreach (var m in movements)
            AddAmount(Family(m.Symbol!), m.Amount, m.Decimals!.Value);
        // Totals: a grant is often split across calls (an approval plus an allowance increase, or several transfers).
        foreach (var group in movements.GroupBy(m => (Family(m.Symbol!), m.Kind, m.Decimals!.Value)))
            AddAmount(group.Key.Item1, group.Aggregate(BigInteger.Zero, (s, m) => s + m.Amount), group.Key.Value);
        foreach (var group in movements.Where(m => m.Kind == MovementKind.Transfer).GroupBy(m => (Family(m.Symbol!), m.To, m.Decimals!.Value)))
            AddAmount(group.Key.Item1, group.Aggregate(BigInteger.Zero, (s, m) => s + m.Amount), group.Key.Value);

        // Streams are rates, texts give yearly or monthly totals (Superfluid's year is 365.2422 days).
        foreach (var stream in all.Where(a => a.FunctionName == "setFlowrate" && a.Arguments.Count == 3 && a.Arguments[2].Value is BigInteger))
        {
            var rate = (BigInteger)stream.Arguments[2].Value!;
            var token = (string)stream.Arguments[0].Value!;
            var symbol = all.SelectMany(a => a.Movements).FirstOrDefault(m => m.Token == token)?.Symbol ?? (token == "0x1ba8603da702602a8657980e825a6daa03dee93a" ? "USDCx" : null);
            if (symbol is null)
                continue;
            AddAmount(Family(symbol), rate, 18);
            AddAmount(Family(symbol), rate * 31_556_926, 18);
            AddAmount(Family(symbol), rate * 31_556_926 / 12, 18);
        }
        return result;
    }

    /// <summary>Per transfer: its own amount, its recipient's total and its token's total, any of which the text may state.</summary>
    private static IEnumerable<(string Family, decimal[] Amounts, string Text)> TransferAmounts(IReadOnlyList<DecodedAction> all)
    {
        var transfers = all.SelectMany(a => a.Movements)
            .Where(m => m.Kind == MovementKind.Transfer && m.Symbol is not null && m.Decimals is not null).ToArray();
        foreach (var m in transfers)
        {
            var family = Family(m.Symbol!);
            var sameFamily = transfers.Where(t => Family(t.Symbol!) == family && t.Decimals == m.Decimals).ToArray();
            var amounts = new[]
            {
                m.Amount,
                sameFamily.Where(t => t.To == m.To).Aggregate(BigInteger.Zero, (s, t) => s + t.Amount),
                sameFamily.Aggregate(BigInteger.Zero, (s, t) => s + t.Amount),
            };
            var units = amounts.Select(a => TryUnits(a, m.Decimals!.Value, out var u) ? u : -1m).Where(u => u >= 0).ToArray();
            yield return (family, units, $"{m.FormatAmount()} to {m.To}");
        }
    }

    /// <summary>Texts split a grant ("1,000 ETH now, 5,000 ETH by TWAP"); sums of up to 12 distinct claims count too.</summary>
    private static HashSet<decimal> SubsetSums(IEnumerable<decimal> values)
    {
        var distinct = values.Distinct().Take(12).ToArray();
        var sums = new HashSet<decimal>();
        for (var mask = 1; mask < 1 << distinct.Length; mask++)
        {
            var sum = 0m;
            for (var i = 0; i < distinct.Length; i++)
                if ((mask & (1 << i)) != 0)
                    sum += distinct[i];
            sums.Add(sum);
        }
        return sums;
    }

    private static bool TryUnits(BigInteger baseUnits, int decimals, out decimal units)
    {
        units = 0;
        var whole = BigInteger.DivRem(baseUnits, BigInteger.Pow(10, decimals), out var remainder);
        if (whole > new BigInteger(decimal.MaxValue / 10))
            return false;
        units = (decimal)whole + (decimals == 0 ? 0 : (decimal)(remainder * 1_000_000 / BigInteger.Pow(10, decimals)) / 1_000_000m);
        return true;
    }

    private static bool Close(decimal actual, decimal claimed) => Math.Abs(actual - claimed) <= claimed * 0.01m;

    private static IEnumerable<string> RecipientAddresses(string text)
    {
        foreach (Match match in AddressRegex().Matches(text))
        {
            var before = text.AsSpan(Math.Max(0, match.Index - 80), Math.Min(80, match.Index));
            var context = before.ToString().ToLowerInvariant();
            if (_recipientWords.Any(w => context.Contains(w, StringComparison.Ordinal)))
                yield return match.Value.ToLowerInvariant();
        }
    }

    /// <summary>Every address-bearing value in the actions, lowercase hex joined, so "does the calldata mention X" is one search.</summary>
    private static string AddressHaystack(IReadOnlyList<DecodedAction> all)
    {
        var builder = new StringBuilder();
        void Visit(object? value)
        {
            switch (value)
            {
                case string s when s.StartsWith("0x", StringComparison.Ordinal):
                    builder.Append(s, 2, s.Length - 2).Append('|');
                    break;
                case IReadOnlyList<DecodedArgument> tuple:
                    foreach (var field in tuple)
                        Visit(field.Value);
                    break;
                case IReadOnlyList<object?> list:
                    foreach (var item in list)
                        Visit(item);
                    break;
            }
        }
        foreach (var action in all)
        {
            Visit(action.Target);
            foreach (var argument in action.Arguments)
                Visit(argument.Value);
            foreach (var m in action.Movements)
            {
                Visit(m.To);
                Visit(m.From);
            }
        }
        return builder.ToString();
    }

    private static bool Mentions(string text, TokenMovement movement)
    {
        if (!movement.IsNative && text.Contains(movement.Token[2..], StringComparison.OrdinalIgnoreCase))
            return true;
        if (movement.Symbol is null)
            return false;
        var family = Family(movement.Symbol);
        return ContainsWord(text, movement.Symbol) || ContainsWord(text, family) || (family == "ETH" && ContainsWord(text, "ether"))
            || (family == UsdFamily && text.Contains('$', StringComparison.Ordinal));
    }

    private static bool ContainsWord(string text, string word)
    {
        for (var index = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); index >= 0; index = text.IndexOf(word, index + 1, StringComparison.OrdinalIgnoreCase))
        {
            var startOk = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var end = index + word.Length;
            var endOk = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (startOk && endOk)
                return true;
        }
        return false;
    }
}
