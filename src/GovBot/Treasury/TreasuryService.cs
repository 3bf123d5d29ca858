using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Storage;

namespace GovBot.Treasury;

/// <summary>One token balance of one treasury address. Balance is null when the token did not answer balanceOf.</summary>
public sealed record TreasuryBalance(string Holder, string Token, string Symbol, int? Decimals, BigInteger? Balance);

public sealed record TreasurySnapshot(string Dao, long Block, IReadOnlyList<string> Holders, IReadOnlyList<TreasuryBalance> Balances)
{
    /// <summary>Totals per token across every treasury address (token address, or "ETH").</summary>
    public IReadOnlyDictionary<string, BigInteger> Totals =>
        Balances.Where(b => b.Balance is not null)
            .GroupBy(b => b.Token, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (sum, b) => sum + b.Balance!.Value), StringComparer.Ordinal);
}

/// <summary>The DAO's treasury (timelock plus configured addresses): balances, token metadata, and the tools simulation shares.</summary>
public sealed class TreasuryService(DaoRegistry daos)
{
    public const string Ether = TokenMovement.Ether;

    public IReadOnlyList<string> Holders(DaoContext dao)
    {
        var holders = new List<string>();
        if (dao.Timelock is not null)
            holders.Add(dao.Timelock);
        holders.AddRange(dao.Options.TreasuryAddresses.Select(EthAddress.Normalize));
        return holders.Distinct(StringComparer.Ordinal).ToList();
    }

    public TokenDirectory Tokens(DaoContext dao) => TokenDirectory.For(dao.Options.ChainId, dao.Options.TreasuryTokens);

    /// <summary>ETH and every configured token for every treasury address, in one batch at one block.</summary>
    public async Task<TreasurySnapshot> BalancesAsync(string? daoName, CancellationToken cancellationToken)
    {
        var dao = daos.Resolve(daoName);
        var holders = Holders(dao);
        if (holders.Count == 0)
            throw new UserInputException($"{dao.Name} has no treasury configured (Daos:{dao.Name}:Timelock or TreasuryAddresses).");
        var head = await dao.Rpc.CallAsync("eth_blockNumber", [], r => Hex.ToLong(r.GetString()!), cancellationToken);
        var tokens = dao.Options.TreasuryTokens.Select(t => (Address: t.Address.ToLowerInvariant(), t.Symbol, t.Decimals)).ToList();
        var balances = await ReadBalancesAsync(dao, holders.SelectMany(h => tokens.Select(t => (h, t.Address)).Prepend((h, Ether))).ToList(), head, cancellationToken);

        var rows = new List<TreasuryBalance>();
        foreach (var holder in holders)
        {
            rows.Add(new TreasuryBalance(holder, Ether, dao.Options.NativeSymbol, 18, balances[(holder, Ether)]));
            foreach (var token in tokens)
                rows.Add(new TreasuryBalance(holder, token.Address, token.Symbol, token.Decimals, balances[(holder, token.Address)]));
        }

        return new TreasurySnapshot(dao.Name, head, holders, rows);
    }

    /// <summary>Balances of (holder, token) pairs at a block; null where the token does not answer balanceOf.</summary>
    public static async Task<Dictionary<(string Holder, string Token), BigInteger?>> ReadBalancesAsync(
        DaoContext dao, IReadOnlyList<(string Holder, string Token)> pairs, long block, CancellationToken cancellationToken)
    {
        var tag = Hex.FromLong(block);
        var calls = pairs.Select(p => p.Token == Ether
                ? ("eth_getBalance", new JsonArray(p.Holder, tag))
                : ContractCall.EthCall(p.Token, new BalanceOfFunction { Account = p.Holder }, tag))
            .ToList();
        var results = await dao.Rpc.BatchAsync(calls, cancellationToken);
        var balances = new Dictionary<(string, string), BigInteger?>();
        for (var i = 0; i < pairs.Count; i++)
        {
            BigInteger? value = null;
            if (results[i].Ok)
            {
                try
                {
                    value = pairs[i].Token == Ether ? Hex.ToBigInteger(results[i].Value.GetString() ?? "0x0") : ContractCall.DecodeUint(results[i].Value);
                }
                catch (FormatException)
                {
                    value = null;
                }
            }

            balances[pairs[i]] = value;
        }

        return balances;
    }

    /// <summary>Symbol and decimals for tokens, from the directory or the chain; decimals stay null for a token that does not answer decimals().</summary>
    public async Task<Dictionary<string, (string Symbol, int? Decimals)>> TokenMetadataAsync(DaoContext dao, IEnumerable<string> tokens, CancellationToken cancellationToken)
    {
        var directory = Tokens(dao);
        var result = new Dictionary<string, (string, int?)>(StringComparer.Ordinal) { [Ether] = (dao.Options.NativeSymbol, 18) };
        var unknown = new List<string>();
        foreach (var token in tokens.Distinct(StringComparer.Ordinal))
        {
            if (token == Ether)
                continue;
            if (directory.TryGet(token, out var info))
                result[token] = (info.Symbol, info.Decimals);
            else
                unknown.Add(token);
        }

        if (unknown.Count == 0)
            return result;
        var calls = unknown.SelectMany(t => new[] { ContractCall.EthCall(t, new SymbolFunction()), ContractCall.EthCall(t, new DecimalsFunction()) }).ToList();
        var answers = await dao.Rpc.BatchAsync(calls, cancellationToken);
        for (var i = 0; i < unknown.Count; i++)
        {
            var symbol = TryDecode(answers[2 * i], ContractCall.DecodeString) is { Length: > 0 and <= 32 } s ? ProposalText.StripControl(s) : EthAddress.Short(unknown[i]);
            var decimals = TryDecode(answers[2 * i + 1], r => (BigInteger?)ContractCall.DecodeUint(r)) is { } d && d <= 77 ? (int?)(int)d : null;
            result[unknown[i]] = (symbol, decimals);
        }

        return result;
    }

    private static T? TryDecode<T>(RpcResult result, Func<JsonElement, T> decode)
    {
        if (!result.Ok)
            return default;
        try
        {
            return decode(result.Value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return default;
        }
    }

    public static string FormatAmount(BigInteger amount, string symbol, int? decimals) =>
        decimals is { } d ? TokenAmount.Format(amount, d, symbol, 4) : $"{amount.ToString(CultureInfo.InvariantCulture)} base units of {symbol} (decimals unknown)";
}
