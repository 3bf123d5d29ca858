using System.Collections.Frozen;
using System.Numerics;
using System.Text;
using GovBot.Chain;

namespace GovBot.Treasury;

/// <summary>
/// Turns revert data into words: Error(string), Panic(uint256) with its meaning, and the standard custom errors of
/// OpenZeppelin's tokens, access control, governor, timelock and queues (selectors computed from the signatures).
/// Any other custom error is shown as its raw selector and length, never guessed.
/// </summary>
public static class RevertReasons
{
    public const string NoReason = "reverted without a reason";

    private static readonly FrozenDictionary<string, AbiFunction> _errors = new[]
    {
        // ERC-6093 (OpenZeppelin 5 tokens)
        "ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
        "ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
        "ERC20InvalidSender(address sender)",
        "ERC20InvalidReceiver(address receiver)",
        "ERC20InvalidApprover(address approver)",
        "ERC20InvalidSpender(address spender)",
        "ERC721NonexistentToken(uint256 tokenId)",
        "ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)",
        "ERC721InsufficientApproval(address operator, uint256 tokenId)",
        "ERC721InvalidReceiver(address receiver)",
        "ERC721InvalidSender(address sender)",
        "SafeERC20FailedOperation(address token)",
        // Access
        "OwnableUnauthorizedAccount(address account)",
        "OwnableInvalidOwner(address owner)",
        "AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
        "AccessControlBadConfirmation()",
        // Governor and timelock
        "GovernorOnlyExecutor(address account)",
        "GovernorInvalidQuorumFraction(uint256 quorumNumerator, uint256 quorumDenominator)",
        "GovernorInvalidVotingPeriod(uint256 votingPeriod)",
        "TimelockUnauthorizedCaller(address caller)",
        "TimelockInsufficientDelay(uint256 delay, uint256 minDelay)",
        "TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)",
        // Queues: the governor's record of the calls it may receive (OpenZeppelin 4.9 and 5.0)
        "Empty()",
        "QueueEmpty()",
        // Address, proxies, security
        "AddressInsufficientBalance(address account)",
        "InsufficientBalance(uint256 balance, uint256 needed)",
        "FailedInnerCall()",
        "FailedCall()",
        "AddressEmptyCode(address target)",
        "ERC1967InvalidImplementation(address implementation)",
        "UUPSUnauthorizedCallContext()",
        "EnforcedPause()",
        "ReentrancyGuardReentrantCall()",
    }.Select(s => AbiFunction.TryParse(s) ?? throw new InvalidOperationException($"bad error signature {s}"))
     .ToFrozenDictionary(f => f.Selector[2..], StringComparer.Ordinal);

    private static readonly FrozenDictionary<int, string> _panics = new Dictionary<int, string>
    {
        [0x01] = "assertion failed",
        [0x11] = "arithmetic overflow or underflow",
        [0x12] = "division by zero",
        [0x21] = "invalid enum value",
        [0x22] = "corrupt storage byte array",
        [0x31] = "pop from an empty array",
        [0x32] = "array index out of bounds",
        [0x41] = "out of memory",
        [0x51] = "call to an uninitialised function",
    }.ToFrozenDictionary();

    /// <summary>A one-line, bounded reason for revert data (0x-hex); the data is untrusted.</summary>
    public static string Describe(string? revertData)
    {
        if (revertData is null || !Hex.TryDecode(revertData, out var bytes, out _) || bytes.Length < 4)
            return NoReason;
        var selector = Convert.ToHexStringLower(bytes.AsSpan(0, 4));
        try
        {
            if (selector == "08c379a0" && bytes.Length >= 68)
            {
                var length = new BigInteger(bytes.AsSpan(36, 32), isUnsigned: true, isBigEndian: true);
                if (length <= bytes.Length - 68)
                    // One line: the reason is contract-controlled and is rendered inside a line of the reply.
                    return ActionDecoder.Clip(Encoding.UTF8.GetString(bytes, 68, (int)BigInteger.Min(length, 300)), 300);
            }

            if (selector == "4e487b71" && bytes.Length >= 36)
            {
                var code = new BigInteger(bytes.AsSpan(4, 32), isUnsigned: true, isBigEndian: true);
                var meaning = code <= 0xff && _panics.TryGetValue((int)code, out var m) ? $" ({m})" : "";
                return $"panic 0x{Convert.ToHexStringLower(code.ToByteArray(isUnsigned: true, isBigEndian: true))}{meaning}";
            }

            if (_errors.TryGetValue(selector, out var error))
            {
                var arguments = AbiDecoder.Decode(bytes.AsMemory(4), error.Parameters);
                return arguments.Count == 0
                    ? error.Name
                    : $"{error.Name}({string.Join(", ", arguments.Select(a => $"{a.Name} {ActionDecoder.FormatValue(a.Value)}"))})";
            }
        }
        catch (Exception ex) when (ex is AbiDecodingException or OverflowException or ArgumentException)
        {
            // malformed arguments: fall through to the raw form
        }

        return $"reverted with custom error 0x{selector} ({bytes.Length} bytes)";
    }
}
