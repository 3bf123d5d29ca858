using GovBot.Chain;
using System.Globalization;
using System.Numerics;
using System.Text;
using GovBot.Configuration;
using GovBot.Governance;

namespace GovBot.Treasury;

/// <summary>
/// Turns proposal actions into structure (function, typed arguments, token movements, nested calls) plus a one-line
/// summary for chat. Pure: no RPC. Unknown selectors are shown raw; malformed input becomes an Undecodable action.
/// </summary>
public sealed class ActionDecoder(TokenDirectory tokens)
{
    /// <summary>Safe inside MultiSend inside Safe… deeper than this is not something a proposal needs.</summary>
    public const int MaxNestingDepth = 6;

    private const int MaxSummaryLength = 400;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly System.Buffers.SearchValues<char> DecimalDigits = System.Buffers.SearchValues.Create("0123456789");

    public ActionDecoder() : this(TokenDirectory.Mainnet)
    {
    }

    public TokenDirectory Tokens => tokens;

    /// <param name="executor">The account that executes the proposal (usually the timelock); null leaves movements' From null.</param>
    public IReadOnlyList<DecodedAction> Decode(IReadOnlyList<ProposalAction> actions, string? executor = null) =>
        actions.Select(a => Decode(a, executor)).ToArray();

    public DecodedAction Decode(ProposalAction action, string? executor = null)
    {
        var targetText = action.Target ?? "";
        try
        {
            if (!EthAddress.TryNormalize(targetText, out var target))
                return Undecodable(Clip(targetText, 42), BigInteger.Zero, 0, "target is not a 20-byte hex address");
            if (!TryParseValue(action.Value, out var value))
                return Undecodable(target, BigInteger.Zero, 0, $"value '{Clip(action.Value ?? "", 40)}' is not a uint256");
            if (!Hex.TryDecode(action.Calldata, out var calldata, out var hexError))
                return Undecodable(target, value, 0, hexError);
            string? sender = executor is not null && EthAddress.TryNormalize(executor, out var normalized) ? normalized : null;
            var context = new CallContext(target, value, sender, CallOperation.Call, 0);

            if (!string.IsNullOrWhiteSpace(action.Signature))
                return DecodeBravo(context, action.Signature, calldata);
            return DecodeCall(context, calldata);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The decoder is meant to turn every bad input into an Undecodable action; this is the backstop.
            return Undecodable(EthAddress.TryNormalize(targetText, out var t) ? t : Clip(targetText, 42), BigInteger.Zero, 0, $"decoder error: {ex.GetType().Name}");
        }
    }

    /// <summary>Sender is msg.sender: the account whose tokens a transfer or approval in this call moves.</summary>
    private sealed record CallContext(string Target, BigInteger Value, string? Sender, CallOperation Operation, int Depth)
    {
        /// <summary>The account whose identity the call's own outgoing calls carry: the caller's for a delegatecall.</summary>
        public string? Self => Operation == CallOperation.DelegateCall ? Sender : Target;
    }

    private DecodedAction DecodeBravo(CallContext context, string signature, byte[] arguments)
    {
        var parsed = AbiFunction.TryParse(signature.Trim());
        if (parsed is null)
            return Undecodable(context, arguments.Length, $"signature '{Clip(signature, 80)}' is not a function signature");
        var function = KnownFunctions.BySelector.GetValueOrDefault(parsed.Selector) ?? new KnownFunction(parsed, DecodedActionKind.Call);
        return DecodeKnown(context, function, arguments, arguments.Length + 4);
    }

    private DecodedAction DecodeCall(CallContext context, byte[] calldata)
    {
        if (context.Depth > MaxNestingDepth)
            return Undecodable(context, calldata.Length, $"calls nested more than {MaxNestingDepth} deep");
        if (calldata.Length == 0)
        {
            if (context.Value.IsZero)
                return new DecodedAction
                {
                    Target = context.Target, Value = context.Value, Kind = DecodedActionKind.Call, Operation = context.Operation,
                    Summary = $"{Verb(context)} {context.Target} with no data and no value",
                };
            var movement = EthMovement(context);
            return new DecodedAction
            {
                Target = context.Target, Value = context.Value, Kind = DecodedActionKind.EthTransfer, Operation = context.Operation,
                Movements = [movement],
                Summary = $"Send {movement.FormatAmount()} to {context.Target}" + DelegateNote(context),
            };
        }
        if (calldata.Length < 4)
            return Undecodable(context, calldata.Length, $"calldata is {calldata.Length} bytes, too short for a 4-byte selector");

        var selector = Hex.FromBytes(calldata.AsSpan(0, 4));
        if (!KnownFunctions.BySelector.TryGetValue(selector, out var function))
        {
            return new DecodedAction
            {
                Target = context.Target, Value = context.Value, Kind = DecodedActionKind.UnknownFunction, Operation = context.Operation,
                Selector = selector, CalldataLength = calldata.Length,
                Movements = context.Value.IsZero ? [] : [EthMovement(context)],
                Summary = $"{Verb(context)} unknown function {selector} on {context.Target} ({calldata.Length} bytes of calldata)" + ValueNote(context),
            };
        }
        return DecodeKnown(context, function, calldata.AsMemory(4), calldata.Length);
    }

    private DecodedAction DecodeKnown(CallContext context, KnownFunction function, ReadOnlyMemory<byte> arguments, int calldataLength)
    {
        IReadOnlyList<DecodedArgument> args;
        try
        {
            args = AbiDecoder.Decode(arguments, function.Abi.Parameters);
        }
        catch (Exception ex) when (ex is AbiDecodingException or OverflowException)
        {
            return Undecodable(context, calldataLength, $"{function.Signature}: {ex.Message}") with { Selector = function.Selector, Signature = function.Signature };
        }

        var action = new DecodedAction
        {
            Target = context.Target, Value = context.Value, Kind = function.Kind, Operation = context.Operation,
            Selector = function.Selector, FunctionName = function.Abi.Name, Signature = function.Signature,
            Arguments = args, CalldataLength = calldataLength, Summary = "",
        };
        try
        {
            action = Interpret(context, action);
        }
        catch (AbiDecodingException ex)
        {
            return Undecodable(context, calldataLength, $"{function.Signature}: {ex.Message}") with { Selector = function.Selector, Signature = function.Signature, Arguments = args };
        }

        var movements = action.Movements;
        if (!context.Value.IsZero)
            movements = [EthMovement(context), .. movements];
        var summary = action.Summary + ValueNote(context) + DelegateNote(context);
        return action with { Movements = movements, Summary = Clip(summary, MaxSummaryLength) };
    }

    private DecodedAction Interpret(CallContext context, DecodedAction action)
    {
        var a = action.Arguments;
        var target = context.Target;
        switch (action.Signature)
        {
            case "transfer(address,uint256)":
            {
                var movement = Erc20Movement(MovementKind.Transfer, target, context.Sender, Address(a[0]), Integer(a[1]));
                return action with { Movements = [movement], Summary = $"Transfer {movement.FormatAmount()} to {movement.To}" };
            }
            case "transferFrom(address,address,uint256)":
            {
                var from = Address(a[0]);
                var to = Address(a[1]);
                var amount = Integer(a[2]);
                tokens.TryGet(target, out var info);
                if (info?.Standard == TokenStandard.Erc721)
                {
                    var nft = new TokenMovement(MovementKind.Transfer, TokenStandard.Erc721, target, info.Symbol, 0, from, to, BigInteger.One, false, amount);
                    return action with { Kind = DecodedActionKind.NftTransfer, Movements = [nft], Summary = $"Transfer {nft.FormatAmount()} from {from} to {to}" };
                }
                if (info is not null)
                {
                    var movement = Erc20Movement(MovementKind.Transfer, target, from, to, amount);
                    return action with { Summary = $"Transfer {movement.FormatAmount()} from {from} to {to}", Movements = [movement] };
                }
                var ambiguous = new TokenMovement(MovementKind.Transfer, TokenStandard.Erc20OrErc721, target, null, null, from, to, amount, false);
                return action with
                {
                    Kind = DecodedActionKind.AmbiguousTransfer, Movements = [ambiguous],
                    Summary = $"transferFrom (ERC20 or ERC721) on unknown token {target}: {amount} (amount or token id) from {from} to {to}",
                };
            }
            case "approve(address,uint256)":
            case "increaseAllowance(address,uint256)":
            {
                var spender = Address(a[0]);
                var amount = Integer(a[1]);
                if (tokens.TryGet(target, out var info) && info.Standard == TokenStandard.Erc721)
                {
                    var nft = new TokenMovement(MovementKind.Approval, TokenStandard.Erc721, target, info.Symbol, 0, context.Sender, spender, BigInteger.One, false, amount);
                    return action with { Movements = [nft], Summary = $"Approve {spender} to transfer {nft.FormatAmount()}" };
                }
                var movement = Erc20Movement(MovementKind.Approval, target, context.Sender, spender, amount);
                var increase = action.FunctionName == "increaseAllowance";
                var summary = increase
                    ? $"Increase {spender}'s allowance by {movement.FormatAmount()}"
                    : amount.IsZero ? $"Revoke {spender}'s allowance for {movement.Symbol ?? target}" : $"Approve {spender} to spend {movement.FormatAmount()}";
                return action with { Movements = [movement], Summary = summary };
            }
            case "safeTransferFrom(address,address,uint256)":
            case "safeTransferFrom(address,address,uint256,bytes)":
            {
                tokens.TryGet(target, out var info);
                var nft = new TokenMovement(MovementKind.Transfer, TokenStandard.Erc721, target, info?.Symbol, 0, Address(a[0]), Address(a[1]), BigInteger.One, false, Integer(a[2]));
                return action with { Movements = [nft], Summary = $"Transfer {nft.FormatAmount()} of {target} from {nft.From} to {nft.To}" };
            }
            case "safeTransferFrom(address,address,uint256,uint256,bytes)":
            {
                var id = Integer(a[2]);
                var nft = new TokenMovement(MovementKind.Transfer, TokenStandard.Erc1155, target, null, 0, Address(a[0]), Address(a[1]), Integer(a[3]), false, id);
                return action with { Movements = [nft], Summary = $"Transfer {nft.Amount} of ERC1155 token #{id} of {target} from {nft.From} to {nft.To}" };
            }
            case "setApprovalForAll(address,bool)":
            {
                var operatorAddress = Address(a[0]);
                var approved = (bool)a[1].Value!;
                var movement = new TokenMovement(MovementKind.Approval, TokenStandard.Erc721, target, null, 0, context.Sender, operatorAddress, BigInteger.Zero, approved);
                return action with
                {
                    Movements = approved ? [movement] : [],
                    Summary = approved ? $"Approve {operatorAddress} to transfer every NFT the caller holds in {target}" : $"Revoke {operatorAddress} as operator for all NFTs in {target}",
                };
            }
            case "setAllowance(address,address,uint96,uint16,uint32)":
            {
                // The Allowance Module uses the zero address for ETH.
                var token = Address(a[1]);
                var movement = token == EthAddress.Zero
                    ? new TokenMovement(MovementKind.Approval, TokenStandard.Native, TokenMovement.Ether, "ETH", 18, context.Sender, Address(a[0]), Integer(a[2]), false)
                    : Erc20Movement(MovementKind.Approval, token, context.Sender, Address(a[0]), Integer(a[2]));
                return action with
                {
                    Movements = [movement],
                    Summary = $"Safe Allowance Module: let {movement.To} spend {movement.FormatAmount()} every {Integer(a[3])} minutes (reset base {Integer(a[4])})",
                };
            }
            case "createStream(address,uint256,address,uint256,uint256)":
            {
                var movement = Erc20Movement(MovementKind.Transfer, Address(a[2]), context.Sender, Address(a[0]), Integer(a[1]));
                return action with { Movements = [movement], Summary = $"Stream {movement.FormatAmount()} to {movement.To} from {Integer(a[3])} to {Integer(a[4])} (unix time)" };
            }
            case "batchVestingPlans(address,address,uint256,(address,uint256,uint256,uint256,uint256)[],uint256,address,bool,uint8)":
            {
                var token = Address(a[1]);
                var plans = (IReadOnlyList<object?>)a[3].Value!;
                var movements = plans.Select(p => (IReadOnlyList<DecodedArgument>)p!)
                    .Select(p => Erc20Movement(MovementKind.Transfer, token, context.Sender, Address(p[0]), Integer(p[1]))).ToArray();
                var total = Erc20Movement(MovementKind.Transfer, token, context.Sender, Address(a[0]), Integer(a[2]));
                var recipients = string.Join(", ", movements.Take(3).Select(m => $"{m.FormatAmount()} to {m.To}"));
                return action with
                {
                    Movements = movements,
                    Summary = $"Hedgey: create {plans.Count} vesting plan(s) for {total.FormatAmount()} via locker {Address(a[0])}: {recipients}{(movements.Length > 3 ? ", …" : "")}",
                };
            }
            case "setFlowrate(address,address,int96)":
            {
                var token = Address(a[0]);
                var rate = Integer(a[2]);
                // Superfluid's own tooling uses a 365.2422-day year.
                var perYear = Erc20Movement(MovementKind.Transfer, token, context.Sender, Address(a[1]), rate * 31_556_926);
                var perSecond = Erc20Movement(MovementKind.Transfer, token, context.Sender, Address(a[1]), rate);
                return action with
                {
                    Summary = rate.IsZero
                        ? $"Superfluid: stop the {perYear.Symbol ?? token} stream to {perYear.To}"
                        : $"Superfluid: stream {perSecond.FormatAmount()} per second to {perYear.To} (≈ {Approximately(perYear)} a year)",
                };
            }
            case "upgrade(uint256)":
            {
                var wrapped = Erc20Movement(MovementKind.Transfer, target, context.Sender, target, Integer(a[0]));
                return action with { Summary = $"Wrap underlying tokens into {wrapped.FormatAmount()} (super token upgrade on {target})" };
            }
            case "downgrade(uint256)":
            {
                var wrapped = Erc20Movement(MovementKind.Transfer, target, context.Sender, target, Integer(a[0]));
                return action with { Summary = $"Unwrap {wrapped.FormatAmount()} back to the underlying token" };
            }
            case "transferOwnership(address)":
                return action with { Summary = $"Transfer ownership of {target} to {Address(a[0])}" };
            case "renounceOwnership()":
                return action with { Summary = $"Renounce ownership of {target}: it will have no owner" };
            case "changeAdmin(address)":
                return action with { Summary = $"Change the proxy admin of {target} to {Address(a[0])}" };
            case "changeProxyAdmin(address,address)":
                return action with { Summary = $"Change the admin of proxy {Address(a[0])} to {Address(a[1])}" };
            case "setPendingAdmin(address)":
            case "_setPendingAdmin(address)":
                return action with { Summary = $"Set the pending admin of {target} to {Address(a[0])}" };
            case "updateTimelock(address)":
                return action with { Summary = $"Move governor {target} to timelock {Address(a[0])}" };
            case "upgradeTo(address)":
                return action with { Summary = $"Upgrade proxy {target} to implementation {Address(a[0])}" };
            case "upgradeToAndCall(address,bytes)":
                return WithInner(action, $"Upgrade proxy {target} to implementation {Address(a[0])}", Bytes(a[1]), new CallContext(target, BigInteger.Zero, context.Sender, CallOperation.Call, context.Depth + 1));
            case "upgrade(address,address)":
                return action with { Summary = $"Upgrade proxy {Address(a[0])} to implementation {Address(a[1])}" };
            case "upgradeAndCall(address,address,bytes)":
                return WithInner(action, $"Upgrade proxy {Address(a[0])} to implementation {Address(a[1])}", Bytes(a[2]), new CallContext(Address(a[0]), BigInteger.Zero, context.Self, CallOperation.Call, context.Depth + 1));
            case "setUpgradeContract(address)":
                return action with { Summary = $"Set the upgrade contract of {target} to {Address(a[0])}" };
            case "grantRole(bytes32,address)":
                return action with { Summary = $"Grant {RoleName(a[0])} on {target} to {Address(a[1])}" };
            case "revokeRole(bytes32,address)":
                return action with { Summary = $"Revoke {RoleName(a[0])} on {target} from {Address(a[1])}" };
            case "renounceRole(bytes32,address)":
                return action with { Summary = $"Renounce {RoleName(a[0])} on {target} for {Address(a[1])}" };
            case "updateDelay(uint256)":
            case "setDelay(uint256)":
                return action with { Summary = $"Set the timelock delay of {target} to {Duration(Integer(a[0]))}" };
            case "updateQuorumNumerator(uint256)":
                return action with { Summary = $"Set the quorum numerator of {target} to {Integer(a[0])}" };
            case "setVotingPeriod(uint256)":
            case "setVotingPeriod(uint32)":
            case "_setVotingPeriod(uint256)":
                return action with { Summary = $"Set the voting period of {target} to {Integer(a[0])} (blocks or seconds, per the governor's clock)" };
            case "setVotingDelay(uint256)":
            case "setVotingDelay(uint48)":
            case "_setVotingDelay(uint256)":
                return action with { Summary = $"Set the voting delay of {target} to {Integer(a[0])} (blocks or seconds, per the governor's clock)" };
            case "setProposalThreshold(uint256)":
            case "_setProposalThreshold(uint256)":
                return action with { Summary = $"Set the proposal threshold of {target} to {Integer(a[0])} base units of votes" };
            case "relay(address,uint256,bytes)":
                return WithInner(action, $"Governor {target} relays a call", Bytes(a[2]), new CallContext(Address(a[0]), Integer(a[1]), context.Self, CallOperation.Call, context.Depth + 1));
            case "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)":
            {
                var operation = Integer(a[3]);
                if (operation > 1)
                    throw new AbiDecodingException($"Safe operation must be 0 (call) or 1 (delegatecall), got {operation}");
                var op = (CallOperation)(int)operation;
                var inner = new CallContext(Address(a[0]), Integer(a[1]), context.Self, op, context.Depth + 1);
                var verb = op == CallOperation.DelegateCall ? "delegatecalls" : "executes";
                return WithInner(action, $"Safe {target} {verb}", Bytes(a[2]), inner, always: true);
            }
            case "multiSend(bytes)":
                return MultiSend(context, action, Bytes(a[0]));
            case "multicall(bytes[])":
            {
                var calls = ((IReadOnlyList<object?>)a[0].Value!).Select(d => DecodeHex((string)d!, new CallContext(target, BigInteger.Zero, context.Sender, CallOperation.Call, context.Depth + 1))).ToArray();
                return action with { InnerActions = calls, Summary = $"multicall on {target}: {CountSummary(calls)}" };
            }
            case "aggregate((address,bytes)[])":
            case "aggregate3((address,bool,bytes)[])":
            case "tryAggregate(bool,(address,bytes)[])":
            {
                var list = (IReadOnlyList<object?>)a[action.FunctionName == "tryAggregate" ? 1 : 0].Value!;
                var calls = list.Select(c => (IReadOnlyList<DecodedArgument>)c!)
                    .Select(c => DecodeHex((string)c[^1].Value!, new CallContext(Address(c[0]), BigInteger.Zero, context.Self, CallOperation.Call, context.Depth + 1))).ToArray();
                return action with { InnerActions = calls, Summary = $"{action.FunctionName} via {target}: {CountSummary(calls)}" };
            }
            case "enableModule(address)":
                return action with { Summary = $"Enable module {Address(a[0])} on Safe {target}: it can move the Safe's funds without signatures" };
            case "disableModule(address,address)":
                return action with { Summary = $"Disable module {Address(a[1])} on Safe {target}" };
            case "addOwnerWithThreshold(address,uint256)":
                return action with { Summary = $"Add {Address(a[0])} as a signer of Safe {target}, threshold {Integer(a[1])}" };
            case "removeOwner(address,address,uint256)":
                return action with { Summary = $"Remove {Address(a[1])} as a signer of Safe {target}, threshold {Integer(a[2])}" };
            case "swapOwner(address,address,address)":
                return action with { Summary = $"Replace signer {Address(a[1])} with {Address(a[2])} on Safe {target}" };
            case "changeThreshold(uint256)":
                return action with { Summary = $"Set the signature threshold of Safe {target} to {Integer(a[0])}" };
            case "scopeTarget(bytes32,address)":
                return action with { Summary = $"Roles: role {Label(a[0])} may call {Address(a[1])} only as scoped per function" };
            case "allowTarget(bytes32,address,uint8)":
                return action with { Summary = $"Roles: role {Label(a[0])} may call anything on {Address(a[1])} (options {Integer(a[2])})" };
            case "revokeTarget(bytes32,address)":
                return action with { Summary = $"Roles: revoke role {Label(a[0])}'s access to {Address(a[1])}" };
            case "allowFunction(bytes32,address,bytes4,uint8)":
                return action with { Summary = $"Roles: role {Label(a[0])} may call {(string)a[2].Value!} on {Address(a[1])} (options {Integer(a[3])})" };
            case "revokeFunction(bytes32,address,bytes4)":
                return action with { Summary = $"Roles: revoke role {Label(a[0])}'s access to {(string)a[2].Value!} on {Address(a[1])}" };
            case "scopeFunction(bytes32,address,bytes4,(uint8,uint8,uint8,bytes)[],uint8)":
                return action with { Summary = $"Roles: role {Label(a[0])} may call {(string)a[2].Value!} on {Address(a[1])} under {((IReadOnlyList<object?>)a[3].Value!).Count} condition(s) (options {Integer(a[4])})" };
            case "assignRoles(address,bytes32[],bool[])":
                return action with { Summary = $"Roles: change the roles of module {Address(a[0])} ({((IReadOnlyList<object?>)a[1].Value!).Count} role(s))" };
            case "post(string,string)":
                return action with { Summary = $"Post to Poster {target} with tag \"{Clip(Text(a[1]), 40)}\": \"{Clip(Text(a[0]), 80)}\"" };
            default:
                return action with { Summary = $"{action.FunctionName}({string.Join(", ", a.Select(arg => $"{arg.Name}={FormatValue(arg.Value)}"))}) on {target}" };
        }
    }

    private DecodedAction WithInner(DecodedAction action, string prefix, string data, CallContext inner, bool always = false)
    {
        if (data == "0x" && !always)
            return action with { Summary = prefix };
        var decoded = DecodeHex(data, inner);
        return action with { InnerActions = [decoded], Summary = $"{prefix}: {decoded.Summary}" };
    }

    private DecodedAction DecodeHex(string data, CallContext context)
    {
        Hex.TryDecode(data, out var bytes, out _);
        return DecodeCall(context, bytes);
    }

    /// <summary>Safe MultiSend packs each call as operation (1 byte), to (20), value (32), data length (32), data.</summary>
    private DecodedAction MultiSend(CallContext context, DecodedAction action, string packedHex)
    {
        Hex.TryDecode(packedHex, out var packed, out _);
        var calls = new List<DecodedAction>();
        var position = 0;
        while (position < packed.Length)
        {
            if (packed.Length - position < 85)
                throw new AbiDecodingException($"multiSend call {calls.Count + 1} is truncated at byte {position} of {packed.Length}");
            var operation = packed[position];
            if (operation > 1)
                throw new AbiDecodingException($"multiSend call {calls.Count + 1} has operation {operation}, not 0 or 1");
            var to = Hex.FromBytes(packed.AsSpan(position + 1, 20));
            var value = new BigInteger(packed.AsSpan(position + 21, 32), isUnsigned: true, isBigEndian: true);
            var length = new BigInteger(packed.AsSpan(position + 53, 32), isUnsigned: true, isBigEndian: true);
            if (length > packed.Length - position - 85)
                throw new AbiDecodingException($"multiSend call {calls.Count + 1} claims {length} bytes of data, more than remain");
            var data = packed.AsSpan(position + 85, (int)length).ToArray();
            position += 85 + (int)length;
            calls.Add(DecodeCall(new CallContext(to, value, context.Self, (CallOperation)operation, context.Depth + 1), data));
        }
        return action with { InnerActions = calls, Summary = $"MultiSend of {calls.Count} call(s): {CountSummary(calls)}" };
    }

    private static string CountSummary(IReadOnlyList<DecodedAction> calls)
    {
        if (calls.Count == 1)
            return calls[0].Summary;
        return string.Join(", ", calls
            .GroupBy(c => c.FunctionName ?? (c.Kind == DecodedActionKind.EthTransfer ? "ETH send" : c.Selector.Length > 0 ? c.Selector : c.Kind.ToString()))
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}"));
    }

    private static string Approximately(TokenMovement movement) =>
        movement.Decimals is { } decimals ? $"{TokenAmount.FormatRounded(movement.Amount, decimals, 2)} {movement.Symbol}" : movement.FormatAmount();

    private TokenMovement Erc20Movement(MovementKind kind, string token, string? from, string to, BigInteger amount)
    {
        tokens.TryGet(token, out var info);
        return new TokenMovement(kind, TokenStandard.Erc20, token, info?.Symbol, info?.Decimals, from, to, amount,
            kind == MovementKind.Approval && TokenAmount.IsUnlimited(amount));
    }

    private static TokenMovement EthMovement(CallContext context) =>
        new(MovementKind.Transfer, TokenStandard.Native, TokenMovement.Ether, "ETH", 18, context.Sender, context.Target, context.Value, false);

    private static string ValueNote(CallContext context) =>
        context.Value.IsZero ? "" : $", sending {TokenAmount.Format(context.Value, 18)} ETH";

    private static string DelegateNote(CallContext context) =>
        context.Operation == CallOperation.DelegateCall ? " [delegatecall]" : "";

    private static string Verb(CallContext context) => context.Operation == CallOperation.DelegateCall ? "Delegatecall" : "Call";

    private static DecodedAction Undecodable(string target, BigInteger value, int length, string error) => new()
    {
        Target = target, Value = value, Kind = DecodedActionKind.Undecodable, CalldataLength = length, Error = error,
        Summary = $"Undecodable call to {target}: {error}",
    };

    private static DecodedAction Undecodable(CallContext context, int length, string error) =>
        Undecodable(context.Target, context.Value, length, error) with { Operation = context.Operation };

    private static bool TryParseValue(string? text, out BigInteger value)
    {
        value = BigInteger.Zero;
        var span = (text ?? "").AsSpan().Trim();
        if (span.Length == 0)
            return true;
        if (span.Length > 80)
            return false;
        bool ok;
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var digits = span[2..];
            ok = digits.Length > 0 && !digits.ContainsAnyExcept(HexDigits)
                && BigInteger.TryParse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else
        {
            ok = !span.ContainsAnyExcept(DecimalDigits) && BigInteger.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
        return ok && value <= TokenAmount.MaxUint256;
    }

    private static string Address(DecodedArgument argument) => (string)argument.Value!;

    private static BigInteger Integer(DecodedArgument argument) => (BigInteger)argument.Value!;

    private static string Bytes(DecodedArgument argument) => (string)argument.Value!;

    private static string Text(DecodedArgument argument) => (string)argument.Value!;

    private static string RoleName(DecodedArgument role) =>
        WellKnownRoles.Name((string)role.Value!) is { } name ? name : $"role {(string)role.Value!}";

    private static string Duration(BigInteger seconds) =>
        seconds < 86_400 * 365 * 100L && seconds % 3600 == 0 && seconds >= 3600
            ? $"{seconds} s ({(seconds % 86_400 == 0 ? $"{seconds / 86_400} d" : $"{seconds / 3600} h")})"
            : $"{seconds} s";

    /// <summary>Zodiac role keys are usually short ASCII names padded with zeros ("MANAGER").</summary>
    internal static string Label(DecodedArgument bytes32)
    {
        var hex = (string)bytes32.Value!;
        Hex.TryDecode(hex, out var bytes, out _);
        var end = Array.FindLastIndex(bytes, b => b != 0) + 1;
        if (end > 0 && bytes.AsSpan(0, end).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0)
            return Encoding.ASCII.GetString(bytes, 0, end);
        return hex;
    }

    internal static string FormatValue(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        string s when s.StartsWith("0x", StringComparison.Ordinal) && s.Length > 70 => $"{s[..18]}…({(s.Length - 2) / 2} bytes)",
        string s when s.StartsWith("0x", StringComparison.Ordinal) => s,
        string s => "\"" + Clip(s, 60) + "\"",
        IReadOnlyList<DecodedArgument> tuple => "(" + string.Join(", ", tuple.Take(6).Select(f => FormatValue(f.Value))) + (tuple.Count > 6 ? ", …" : "") + ")",
        IReadOnlyList<object?> list => list.Count <= 3 ? "[" + string.Join(", ", list.Select(FormatValue)) + "]" : $"[{list.Count} items]",
        _ => value.ToString() ?? "",
    };

    /// <summary>One line, bounded: calldata strings are untrusted and may hold newlines or megabytes.</summary>
    internal static string Clip(string text, int max)
    {
        var clipped = text.Length > max ? text[..max] + "…" : text;
        if (!clipped.AsSpan().ContainsAnyInRange('\0', '\u001f') && !clipped.Contains('\u007f', StringComparison.Ordinal))
            return clipped;
        var builder = new StringBuilder(clipped.Length);
        foreach (var c in clipped)
            builder.Append(char.IsControl(c) ? ' ' : c);
        return builder.ToString();
    }
}
