using System.Diagnostics.CodeAnalysis;
using GovBot.Configuration;

namespace GovBot.Treasury;

public sealed record TokenInfo(string Address, string Symbol, int Decimals, TokenStandard Standard = TokenStandard.Erc20);

/// <summary>
/// Token metadata by address: the DAO's configured treasury tokens over a small table of well-known tokens.
/// The decoder never calls a chain, so an address missing here is shown in base units, honestly.
/// </summary>
public sealed class TokenDirectory
{
    private readonly Dictionary<string, TokenInfo> _byAddress = new(StringComparer.OrdinalIgnoreCase);

    public TokenDirectory(IEnumerable<TokenInfo> tokens)
    {
        foreach (var token in tokens)
            _byAddress[EthAddress.Normalize(token.Address)] = token with { Address = EthAddress.Normalize(token.Address) };
    }

    /// <summary>Well-known Ethereum mainnet tokens (chain 1) that DAO proposals move.</summary>
    public static IReadOnlyList<TokenInfo> WellKnownMainnet { get; } =
    [
        new("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", 6),
        new("0xdac17f958d2ee523a2206206994597c13d831ec7", "USDT", 6),
        new("0x6b175474e89094c44da98b954eedeac495271d0f", "DAI", 18),
        new("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", "WETH", 18),
        new("0x2260fac5e5542a773aa44fbcfedf7c193bc2c599", "WBTC", 8),
        new("0xae7ab96520de3a18e5e111b5eaab095312d7fe84", "stETH", 18),
        new("0x7f39c581f595b53c5cb19bd0b3f8da6c935e2ca0", "wstETH", 18),
        new("0xc18360217d8f7ab5e7c516566761ea12ce7f9d72", "ENS", 18),
        new("0x1f9840a85d5af5bf1d1762f925bdaddc4201f984", "UNI", 18),
        new("0x9f8f72aa9304c8b593d555f12ef6589cc3a579a2", "MKR", 18),
        new("0x514910771af9ca656af840dff83e8264ecf986ca", "LINK", 18),
        new("0x7fc66500c84a76ad7e9c93437bfc5ac33e2ddae9", "AAVE", 18),
        new("0xc00e94cb662c3520282e6f5717214004a7f26888", "COMP", 18),
        // Superfluid super tokens always have 18 decimals.
        new("0x1ba8603da702602a8657980e825a6daa03dee93a", "USDCx", 18),
        new("0x57f1887a8bf19b14fc0df6fd9b2acc9af147ea85", "ENS .eth name", 0, TokenStandard.Erc721),
    ];

    public static TokenDirectory Mainnet { get; } = new(WellKnownMainnet);

    public static TokenDirectory Empty { get; } = new([]);

    /// <summary>The DAO's configured tokens win over the well-known table, which is used only on chain 1.</summary>
    public static TokenDirectory For(long chainId, IEnumerable<TreasuryTokenOptions> configured)
    {
        var wellKnown = chainId == 1 ? WellKnownMainnet : [];
        return new TokenDirectory(wellKnown.Concat(configured.Select(t => new TokenInfo(t.Address, t.Symbol, t.Decimals))));
    }

    public IEnumerable<TokenInfo> All => _byAddress.Values;

    public bool TryGet(string address, [NotNullWhen(true)] out TokenInfo? token) => _byAddress.TryGetValue(address, out token);

    /// <summary>Fungible tokens with this symbol (case-insensitive); usually zero or one.</summary>
    public IEnumerable<TokenInfo> FindBySymbol(string symbol) =>
        _byAddress.Values.Where(t => t.Standard == TokenStandard.Erc20 && string.Equals(t.Symbol, symbol, StringComparison.OrdinalIgnoreCase));
}
