using GovBot.Chain;
using System.Collections.Frozen;

namespace GovBot.Treasury;

internal sealed record KnownFunction(AbiFunction Abi, DecodedActionKind Kind)
{
    public string Selector { get; } = Abi.Selector;
    public string Signature { get; } = Abi.Signature;
}

/// <summary>
/// The functions the decoder names. Each entry is a standard or widely deployed ABI (OpenZeppelin, Compound,
/// Safe, Zodiac, ENS, Superfluid, Hedgey); selectors are computed from the signatures, never typed in.
/// </summary>
internal static class KnownFunctions
{
    private static readonly (string Signature, DecodedActionKind Kind)[] _table =
    [
        // ERC20 / ERC721 / ERC1155
        ("transfer(address to, uint256 amount)", DecodedActionKind.TokenTransfer),
        ("transferFrom(address from, address to, uint256 amount)", DecodedActionKind.TokenTransfer),
        ("approve(address spender, uint256 amount)", DecodedActionKind.TokenApproval),
        ("increaseAllowance(address spender, uint256 addedValue)", DecodedActionKind.TokenApproval),
        ("decreaseAllowance(address spender, uint256 subtractedValue)", DecodedActionKind.Call),
        ("safeTransferFrom(address from, address to, uint256 tokenId)", DecodedActionKind.NftTransfer),
        ("safeTransferFrom(address from, address to, uint256 tokenId, bytes data)", DecodedActionKind.NftTransfer),
        ("safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes data)", DecodedActionKind.NftTransfer),
        ("setApprovalForAll(address operator, bool approved)", DecodedActionKind.TokenApproval),
        ("delegate(address delegatee)", DecodedActionKind.Call),
        ("deposit()", DecodedActionKind.Call),
        ("withdraw(uint256 amount)", DecodedActionKind.Call),
        ("withdraw()", DecodedActionKind.Call),

        // Ownable, proxies, admin
        ("transferOwnership(address newOwner)", DecodedActionKind.AdminChange),
        ("renounceOwnership()", DecodedActionKind.AdminChange),
        ("acceptOwnership()", DecodedActionKind.AdminChange),
        ("changeAdmin(address newAdmin)", DecodedActionKind.AdminChange),
        ("changeProxyAdmin(address proxy, address newAdmin)", DecodedActionKind.AdminChange),
        ("setPendingAdmin(address pendingAdmin)", DecodedActionKind.AdminChange),
        ("_setPendingAdmin(address newPendingAdmin)", DecodedActionKind.AdminChange),
        ("acceptAdmin()", DecodedActionKind.AdminChange),
        ("_acceptAdmin()", DecodedActionKind.AdminChange),
        ("updateTimelock(address newTimelock)", DecodedActionKind.AdminChange),
        ("upgradeTo(address newImplementation)", DecodedActionKind.Upgrade),
        ("upgradeToAndCall(address newImplementation, bytes data)", DecodedActionKind.Upgrade),
        ("upgrade(address proxy, address implementation)", DecodedActionKind.Upgrade),
        ("upgradeAndCall(address proxy, address implementation, bytes data)", DecodedActionKind.Upgrade),

        // AccessControl
        ("grantRole(bytes32 role, address account)", DecodedActionKind.RoleChange),
        ("revokeRole(bytes32 role, address account)", DecodedActionKind.RoleChange),
        ("renounceRole(bytes32 role, address account)", DecodedActionKind.RoleChange),

        // Governor and timelock settings (OpenZeppelin 4 and 5, Compound Bravo and Timelock)
        ("updateDelay(uint256 newDelay)", DecodedActionKind.GovernanceSetting),
        ("setDelay(uint256 delay)", DecodedActionKind.GovernanceSetting),
        ("updateQuorumNumerator(uint256 newQuorumNumerator)", DecodedActionKind.GovernanceSetting),
        ("setVotingPeriod(uint256 newVotingPeriod)", DecodedActionKind.GovernanceSetting),
        ("setVotingPeriod(uint32 newVotingPeriod)", DecodedActionKind.GovernanceSetting),
        ("setVotingDelay(uint256 newVotingDelay)", DecodedActionKind.GovernanceSetting),
        ("setVotingDelay(uint48 newVotingDelay)", DecodedActionKind.GovernanceSetting),
        ("setProposalThreshold(uint256 newProposalThreshold)", DecodedActionKind.GovernanceSetting),
        ("setLateQuorumVoteExtension(uint64 newVoteExtension)", DecodedActionKind.GovernanceSetting),
        ("_setVotingPeriod(uint256 newVotingPeriod)", DecodedActionKind.GovernanceSetting),
        ("_setVotingDelay(uint256 newVotingDelay)", DecodedActionKind.GovernanceSetting),
        ("_setProposalThreshold(uint256 newProposalThreshold)", DecodedActionKind.GovernanceSetting),
        ("relay(address target, uint256 value, bytes data)", DecodedActionKind.Batch),

        // Safe
        ("execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures)", DecodedActionKind.Batch),
        ("multiSend(bytes transactions)", DecodedActionKind.Batch),
        ("enableModule(address module)", DecodedActionKind.AdminChange),
        ("disableModule(address prevModule, address module)", DecodedActionKind.AdminChange),
        ("addOwnerWithThreshold(address owner, uint256 threshold)", DecodedActionKind.AdminChange),
        ("removeOwner(address prevOwner, address owner, uint256 threshold)", DecodedActionKind.AdminChange),
        ("swapOwner(address prevOwner, address oldOwner, address newOwner)", DecodedActionKind.AdminChange),
        ("changeThreshold(uint256 threshold)", DecodedActionKind.AdminChange),
        ("setGuard(address guard)", DecodedActionKind.AdminChange),
        // Safe Allowance Module
        ("setAllowance(address delegate, address token, uint96 allowanceAmount, uint16 resetTimeMin, uint32 resetBaseMin)", DecodedActionKind.TokenApproval),
        ("addDelegate(address delegate)", DecodedActionKind.RoleChange),
        ("removeDelegate(address delegate, bool removeAllowances)", DecodedActionKind.RoleChange),

        // Multicall
        ("multicall(bytes[] data)", DecodedActionKind.Batch),
        ("aggregate((address target, bytes callData)[] calls)", DecodedActionKind.Batch),
        ("aggregate3((address target, bool allowFailure, bytes callData)[] calls)", DecodedActionKind.Batch),
        ("tryAggregate(bool requireSuccess, (address target, bytes callData)[] calls)", DecodedActionKind.Batch),

        // Zodiac Roles v2
        ("assignRoles(address module, bytes32[] roleKeys, bool[] memberOf)", DecodedActionKind.RoleChange),
        ("setDefaultRole(address module, bytes32 roleKey)", DecodedActionKind.RoleChange),
        ("scopeTarget(bytes32 roleKey, address targetAddress)", DecodedActionKind.RoleChange),
        ("allowTarget(bytes32 roleKey, address targetAddress, uint8 options)", DecodedActionKind.RoleChange),
        ("revokeTarget(bytes32 roleKey, address targetAddress)", DecodedActionKind.RoleChange),
        ("allowFunction(bytes32 roleKey, address targetAddress, bytes4 selector, uint8 options)", DecodedActionKind.RoleChange),
        ("revokeFunction(bytes32 roleKey, address targetAddress, bytes4 selector)", DecodedActionKind.RoleChange),
        ("scopeFunction(bytes32 roleKey, address targetAddress, bytes4 selector, (uint8 parent, uint8 paramType, uint8 operator, bytes compValue)[] conditions, uint8 options)", DecodedActionKind.RoleChange),
        ("setAllowance(bytes32 key, uint128 balance, uint128 maxRefill, uint128 refill, uint64 period, uint64 timestamp)", DecodedActionKind.RoleChange),
        ("setTransactionUnwrapper(address to, bytes4 selector, address adapter)", DecodedActionKind.RoleChange),
        // Poster (EIP-3722)
        ("post(string content, string tag)", DecodedActionKind.Call),

        // ENS registry, root, registrars, resolvers, name wrapper, DNSSEC
        ("setOwner(bytes32 node, address owner)", DecodedActionKind.AdminChange),
        ("setSubnodeOwner(bytes32 node, bytes32 label, address owner)", DecodedActionKind.AdminChange),
        ("setSubnodeOwner(bytes32 label, address owner)", DecodedActionKind.AdminChange),
        ("setResolver(bytes32 node, address resolver)", DecodedActionKind.Call),
        ("setSubnodeRecord(bytes32 node, bytes32 label, address owner, address resolver, uint64 ttl)", DecodedActionKind.AdminChange),
        ("setRecord(bytes32 node, address owner, address resolver, uint64 ttl)", DecodedActionKind.AdminChange),
        ("setController(address controller, bool enabled)", DecodedActionKind.AdminChange),
        ("addController(address controller)", DecodedActionKind.AdminChange),
        ("removeController(address controller)", DecodedActionKind.AdminChange),
        ("addRegistrarController(address controller)", DecodedActionKind.AdminChange),
        ("removeRegistrarController(address controller)", DecodedActionKind.AdminChange),
        ("register(uint256 id, address owner, uint256 duration)", DecodedActionKind.Call),
        ("setDefaultResolver(address resolver)", DecodedActionKind.Call),
        ("setNameForAddr(address addr, address owner, address resolver, string name)", DecodedActionKind.Call),
        ("setInterface(bytes32 node, bytes4 interfaceID, address implementer)", DecodedActionKind.Call),
        ("setAddr(bytes32 node, address a)", DecodedActionKind.Call),
        ("setText(bytes32 node, string key, string value)", DecodedActionKind.Call),
        ("setContenthash(bytes32 node, bytes hash)", DecodedActionKind.Call),
        ("setMetadataService(address metadataService)", DecodedActionKind.Call),
        ("setUpgradeContract(address upgradeAddress)", DecodedActionKind.Upgrade),
        ("setAlgorithm(uint8 id, address algo)", DecodedActionKind.Call),
        ("setDigest(uint8 id, address digest)", DecodedActionKind.Call),
        ("enableNode(bytes domain)", DecodedActionKind.Call),

        // Streams and vesting
        ("upgrade(uint256 amount)", DecodedActionKind.Call),
        ("downgrade(uint256 amount)", DecodedActionKind.Call),
        ("setFlowrate(address token, address receiver, int96 flowrate)", DecodedActionKind.Call),
        ("createStream(address recipient, uint256 deposit, address tokenAddress, uint256 startTime, uint256 stopTime)", DecodedActionKind.TokenTransfer),
        ("batchVestingPlans(address locker, address token, uint256 totalAmount, (address recipient, uint256 amount, uint256 start, uint256 cliff, uint256 rate)[] plans, uint256 period, address vestingAdmin, bool adminTransferOBO, uint8 mintType)", DecodedActionKind.TokenTransfer),
    ];

    public static FrozenDictionary<string, KnownFunction> BySelector { get; } = Build();

    private static FrozenDictionary<string, KnownFunction> Build()
    {
        var map = new Dictionary<string, KnownFunction>(StringComparer.Ordinal);
        foreach (var (signature, kind) in _table)
        {
            var abi = AbiFunction.TryParse(signature) ?? throw new InvalidOperationException($"bad table signature {signature}");
            var function = new KnownFunction(abi, kind);
            if (!map.TryAdd(function.Selector, function))
                throw new InvalidOperationException($"selector clash in the table: {signature} and {map[function.Selector].Signature}");
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>AccessControl role ids people recognise, by their keccak256 hash.</summary>
public static class WellKnownRoles
{
    private static readonly FrozenDictionary<string, string> _names = BuildNames();

    private static FrozenDictionary<string, string> BuildNames()
    {
        var keccak = new Nethereum.Util.Sha3Keccack();
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["0x" + new string('0', 64)] = "DEFAULT_ADMIN_ROLE",
        };
        string[] roles =
        [
            "PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE", "TIMELOCK_ADMIN_ROLE", "MINTER_ROLE", "BURNER_ROLE",
            "PAUSER_ROLE", "UPGRADER_ROLE", "ADMIN_ROLE", "OPERATOR_ROLE", "GUARDIAN_ROLE", "MANAGER_ROLE",
        ];
        foreach (var role in roles)
            names["0x" + keccak.CalculateHash(role)] = role;
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The role's name, or null when the hash is not a well-known role.</summary>
    public static string? Name(string roleHex) => _names.GetValueOrDefault(roleHex.ToLowerInvariant());
}
