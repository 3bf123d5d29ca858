using System.Globalization;
using System.Numerics;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Treasury;

namespace GovBot.Orchestration;

/// <summary>
/// What a reply may mention without the output guard removing it: addresses, links, names and amounts that come from
/// structured chain data (decoded actions, tallies, votes, configured DAO addresses) or from the user's own message.
/// Never filled from proposal descriptions or vote reasons, which anyone can write. Thread-safe: plugins add as they run.
/// </summary>
public sealed partial class TrustedFacts
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _addresses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _urls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nameRoots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _symbols = new(StringComparer.OrdinalIgnoreCase) { "ETH" };
    private readonly Dictionary<string, List<decimal>> _amounts = new(StringComparer.OrdinalIgnoreCase);

    public TrustedFacts()
    {
        foreach (var token in TokenDirectory.WellKnownMainnet.Where(t => t.Standard == TokenStandard.Erc20))
            _symbols.Add(token.Symbol);
    }

    public IReadOnlyCollection<string> Symbols
    {
        get
        {
            lock (_lock)
                return _symbols.ToArray();
        }
    }

    public void AddAddress(string? address)
    {
        if (EthAddress.TryNormalize(address?.Trim(), out var normalized))
            lock (_lock)
                _addresses.Add(normalized);
    }

    public void AddUrl(string url)
    {
        lock (_lock)
            _urls.Add(NormalizeUrl(url));
    }

    public void AddName(string name)
    {
        lock (_lock)
            _names.Add(name.Trim().ToLowerInvariant());
    }

    /// <summary>A name the DAO controls: it and every subname of it are trusted (only its owner can create subnames).</summary>
    public void AddNameRoot(string root)
    {
        lock (_lock)
            _nameRoots.Add(root.Trim().ToLowerInvariant());
    }

    public void AddSymbol(string symbol)
    {
        if (symbol.Length is > 0 and <= 12 && symbol.All(char.IsAsciiLetterOrDigit))
            lock (_lock)
                _symbols.Add(symbol);
    }

    /// <summary>An amount GovBot itself read: a decoded movement, a tally, a voting power.</summary>
    public void AddAmount(string symbol, BigInteger baseUnits, int decimals)
    {
        if (TokenAmount.IsUnlimited(baseUnits) || decimals is < 0 or > 28)
            return;
        if (!decimal.TryParse(TokenAmount.Format(baseUnits, decimals).Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out var units))
            return;
        AddSymbol(symbol);
        AddUnits(symbol, units);
    }

    /// <summary>The user may see back what they typed: their addresses, links and names are trusted for their own reply.</summary>
    public void AddUserText(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return;
        foreach (var address in OutputGuard.FindAddresses(text))
            AddAddress(address);
        foreach (var url in OutputGuard.FindUrls(text))
            AddUrl(url);
        foreach (var name in OutputGuard.FindNames(text))
            AddName(name);
    }

    public void AddDao(DaoFacts dao)
    {
        foreach (var address in dao.Addresses)
            AddAddress(address);
        foreach (var root in dao.TrustedNames)
            AddNameRoot(root);
        foreach (var token in dao.TreasuryTokens)
            AddSymbol(token.Symbol);
    }

    /// <summary>Targets, token contracts, senders, recipients, spenders, every address argument, and every movement's amount.</summary>
    public void AddActions(IEnumerable<DecodedAction> actions)
    {
        foreach (var action in actions.SelectMany(a => a.SelfAndDescendants()))
        {
            AddAddress(action.Target);
            foreach (var movement in action.Movements)
            {
                AddAddress(movement.Token);
                AddAddress(movement.From);
                AddAddress(movement.To);
                if (movement.Symbol is { } symbol && movement.Decimals is { } decimals && movement.Standard != TokenStandard.Erc721)
                    AddAmount(symbol, movement.Amount, decimals);
            }

            foreach (var argument in action.Arguments)
                AddArgumentAddresses(argument.Value);
            // The decoder's own wording ("stream 0.14 USDCx per second (≈ 4,500,000 USDCx a year)") is ground truth too;
            // quoted strings are calldata text anyone could write, so they are left out.
            foreach (var (symbol, value) in OutputGuard.FindAmounts(QuotedString().Replace(action.Summary, "")))
                AddUnits(symbol, value);
        }
    }

    private void AddUnits(string symbol, decimal units)
    {
        lock (_lock)
        {
            if (!_amounts.TryGetValue(symbol, out var list))
                _amounts[symbol] = list = [];
            list.Add(units);
        }
    }

    private void AddArgumentAddresses(object? value)
    {
        switch (value)
        {
            case string text when text.Length == 42:
                AddAddress(text);
                break;
            case IReadOnlyList<DecodedArgument> tuple:
                foreach (var field in tuple)
                    AddArgumentAddresses(field.Value);
                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list.Take(1000))
                    AddArgumentAddresses(item);
                break;
        }
    }

    internal bool IsTrustedAddress(string normalized)
    {
        lock (_lock)
            return _addresses.Contains(normalized);
    }

    internal bool IsTrustedUrl(string url)
    {
        lock (_lock)
            return _urls.Contains(NormalizeUrl(url));
    }

    internal bool IsTrustedName(string name)
    {
        var lower = name.ToLowerInvariant();
        lock (_lock)
            return _names.Contains(lower) || _nameRoots.Any(root => lower == root || lower.EndsWith("." + root, StringComparison.Ordinal));
    }

    internal IReadOnlyList<decimal> Amounts(string symbol)
    {
        lock (_lock)
            return _amounts.TryGetValue(symbol, out var list) ? list.ToArray() : [];
    }

    private static string NormalizeUrl(string url) => url.Trim().TrimEnd('.', ',', ';', ':', '!', '?', ')').ToLowerInvariant();

    [System.Text.RegularExpressions.GeneratedRegex("\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex QuotedString();
}
