using GovBot.Governance;
using System.Numerics;

namespace GovBot.Treasury;

/// <summary>What an action does, as far as the calldata alone can tell.</summary>
public enum DecodedActionKind
{
    /// <summary>Plain ETH send: empty calldata with a value.</summary>
    EthTransfer,
    /// <summary>ERC20 transfer or transferFrom on a token known to be ERC20.</summary>
    TokenTransfer,
    /// <summary>ERC20 approve / increaseAllowance, or setApprovalForAll.</summary>
    TokenApproval,
    /// <summary>ERC721 or ERC1155 transfer.</summary>
    NftTransfer,
    /// <summary>transferFrom(address,address,uint256) on a token of unknown kind: ERC20 and ERC721 share the selector.</summary>
    AmbiguousTransfer,
    /// <summary>Ownership, admin, pending admin, timelock, Safe owner or module changes.</summary>
    AdminChange,
    /// <summary>AccessControl roles and Zodiac Roles permissions.</summary>
    RoleChange,
    /// <summary>Proxy implementation changes.</summary>
    Upgrade,
    /// <summary>Governor and timelock settings: delays, quorum, voting period, proposal threshold.</summary>
    GovernanceSetting,
    /// <summary>A wrapper that carries further calls (Safe execTransaction, MultiSend, multicall, aggregate, relay); see InnerActions.</summary>
    Batch,
    /// <summary>Any other known function, decoded with its argument names.</summary>
    Call,
    /// <summary>A selector not in the table: shown raw, never guessed.</summary>
    UnknownFunction,
    /// <summary>Malformed input: see Error.</summary>
    Undecodable,
}

public enum CallOperation
{
    Call = 0,
    DelegateCall = 1,
}

public enum MovementKind
{
    Transfer,
    Approval,
}

public enum TokenStandard
{
    Native,
    Erc20,
    Erc721,
    Erc1155,
    /// <summary>transferFrom on a token the directory does not know: could be ERC20 or ERC721.</summary>
    Erc20OrErc721,
}

/// <summary>
/// One movement (or permission to move) of value. Token is a lowercase address or "ETH". From is null when it is the
/// account executing the proposal (the timelock) and the decoder was not told its address. Amount is in base units;
/// for ERC721 it is 1 and TokenId names the token.
/// </summary>
public sealed record TokenMovement(
    MovementKind Kind,
    TokenStandard Standard,
    string Token,
    string? Symbol,
    int? Decimals,
    string? From,
    string To,
    BigInteger Amount,
    bool IsUnlimited,
    BigInteger? TokenId = null)
{
    public const string Ether = "ETH";

    public bool IsNative => Token == Ether;

    /// <summary>"1,500 USDC", "unlimited ENS", or raw base units with a note when the decimals are unknown.</summary>
    public string FormatAmount() => IsUnlimited
        ? $"unlimited {Symbol ?? Token}"
        : Standard is TokenStandard.Erc721
            ? $"{Symbol ?? "NFT"} #{TokenId}"
            : Decimals is { } decimals
                ? $"{TokenAmount.Format(Amount, decimals)} {Symbol ?? Token}"
                : $"{Amount} base units of {Token} (unknown token decimals)";
}

/// <summary>
/// A decoded ABI value. Value is: string (lowercase 0x address, 0x-hex for bytes/bytesN, text for string),
/// BigInteger (uintN/intN), bool, IReadOnlyList&lt;object?&gt; (arrays) or IReadOnlyList&lt;DecodedArgument&gt; (tuples).
/// </summary>
public sealed record DecodedArgument(string Name, string Type, object? Value);

/// <summary>
/// One proposal action (or a call nested inside one) decoded for renderers and the risk engine. Summary is one line
/// for chat; everything else is structure. Never built with an exception escaping: bad input becomes Undecodable.
/// </summary>
public sealed record DecodedAction
{
    public required string Target { get; init; }
    public required BigInteger Value { get; init; }
    public required DecodedActionKind Kind { get; init; }
    public CallOperation Operation { get; init; } = CallOperation.Call;
    /// <summary>"0xa9059cbb"; "" for a plain send or when the calldata is too short to hold one.</summary>
    public string Selector { get; init; } = "";
    /// <summary>"transfer"; null for unknown selectors, plain sends and undecodable input.</summary>
    public string? FunctionName { get; init; }
    /// <summary>Canonical signature, "transfer(address,uint256)".</summary>
    public string? Signature { get; init; }
    public IReadOnlyList<DecodedArgument> Arguments { get; init; } = [];
    public IReadOnlyList<TokenMovement> Movements { get; init; } = [];
    public IReadOnlyList<DecodedAction> InnerActions { get; init; } = [];
    /// <summary>Length of the calldata in bytes (selector included).</summary>
    public int CalldataLength { get; init; }
    public required string Summary { get; init; }
    /// <summary>Why an Undecodable action could not be decoded.</summary>
    public string? Error { get; init; }

    public bool IsKnownFunction => Kind is not (DecodedActionKind.UnknownFunction or DecodedActionKind.Undecodable);

    public DecodedArgument? Argument(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    /// <summary>This action followed by every nested action, depth first.</summary>
    public IEnumerable<DecodedAction> SelfAndDescendants()
    {
        yield return this;
        foreach (var inner in InnerActions)
            foreach (var nested in inner.SelfAndDescendants())
                yield return nested;
    }
}
