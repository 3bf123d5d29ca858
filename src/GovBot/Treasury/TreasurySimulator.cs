using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Governance;
using GovBot.Storage;
using Nethereum.Util;

namespace GovBot.Treasury;

public sealed record SimulatedAction(int Index, string Target, string Value, string Summary, bool Success, string? RevertReason, BigInteger GasUsed);

public sealed record BalanceDelta(string Address, string Token, string Symbol, int? Decimals, BigInteger Before, BigInteger After, bool IsTreasury)
{
    public BigInteger Change => After - Before;
}

public sealed record SimulationReport(
    string Dao,
    string ProposalId,
    string Title,
    ProposalState State,
    long BaseBlock,
    string Executor,
    IReadOnlyList<SimulatedAction> Actions,
    IReadOnlyList<BalanceDelta> Deltas,
    IReadOnlyList<RiskFlag> Risks,
    string? Note)
{
    public bool WouldRevert => Actions.Any(a => !a.Success);
    public BigInteger TotalGas => Actions.Aggregate(BigInteger.Zero, (sum, a) => sum + a.GasUsed);
}

/// <summary>
/// Executes a proposal's actions in order, from the timelock, against current chain state with eth_simulateV1
/// (traceTransfers reports ETH movements as Transfer logs), and turns the Transfer logs into per-address balance
/// changes. A timelock executes a proposal atomically, so if any action reverts, nothing moves.
/// </summary>
public sealed class TreasurySimulator(DaoRegistry daos, GovernanceService governance, GovernanceQueries queries, TreasuryService treasury, ActionDecoderFactory decoders)
{
    private const string TransferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    private const string EthTransferEmitter = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

    public async Task<SimulationReport> SimulateAsync(string? daoName, string id, CancellationToken cancellationToken)
    {
        var dao = daos.Resolve(daoName);
        var view = await governance.GetAsync(dao.Name, id, cancellationToken);
        var executor = dao.Timelock ?? dao.Governor;
        var actions = view.Proposal.Actions;
        if (actions.Count == 0)
            throw new UserInputException($"Proposal {GovernanceService.ShortId(view.Id)} has no actions to simulate.");

        string? note = null;
        long baseBlock;
        var head = await dao.Rpc.CallAsync("eth_blockNumber", [], r => Hex.ToLong(r.GetString()!), cancellationToken);
        var executed = (await queries.LifecycleAsync(dao.Name, [view.Id], cancellationToken)).LastOrDefault(e => e.Kind == LifecycleKinds.Executed);
        if (executed is not null)
        {
            baseBlock = executed.Block - 1;
            note = $"Already executed in block {executed.Block} (tx {executed.Tx}); simulated against the state just before it.";
        }
        else
        {
            baseBlock = head;
        }

        var decoded = decoders.For(dao).Decode(actions, executor);
        var calls = new JsonArray();
        foreach (var action in actions)
        {
            calls.Add(new JsonObject
            {
                ["from"] = executor,
                ["to"] = action.Target,
                ["value"] = Hex.FromBigInteger(BigInteger.Parse(action.Value, CultureInfo.InvariantCulture)),
                ["data"] = CallData(action),
            });
        }

        var payload = new JsonObject { ["blockStateCalls"] = new JsonArray(new JsonObject { ["calls"] = calls }), ["traceTransfers"] = true, ["validation"] = false };
        JsonElement result;
        try
        {
            result = await dao.Rpc.CallAsync("eth_simulateV1", new JsonArray(payload, Hex.FromLong(baseBlock)), cancellationToken);
        }
        catch (RpcErrorException ex) when (ex.Code is -32601 or -32600 || ex.RpcMessage.Contains("not supported", StringComparison.OrdinalIgnoreCase) || ex.RpcMessage.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
        {
            throw new SimulationUnavailableException("The node behind this DAO's RPC does not support eth_simulateV1, so GovBot cannot simulate proposals on it. Balances and decoded actions are still available.");
        }
        catch (RpcErrorException ex) when (executed is not null && IsMissingHistoricalState(ex.RpcMessage))
        {
            throw new SimulationUnavailableException($"Proposal {GovernanceService.ShortId(view.Id)} was executed in block {executed.Block}, and the node no longer has the state before it, so it cannot be simulated again.");
        }

        var callResults = ParseCalls(result, actions.Count);
        if (executor != dao.Governor && StoppedByGovernanceCheck(dao, actions, callResults))
        {
            if (await WithGovernanceCallsRecordedAsync(dao, actions, payload, baseBlock, cancellationToken) is { } recorded)
                callResults = recorded;
            else
                note = (note is null ? "" : note + " ") + "Actions that call the governor itself were run straight from the executor; an OpenZeppelin governor accepts such calls only inside execute(), and GovBot could not reproduce that here, so their governance-check reverts may not happen for real.";
        }

        var simulated = new List<SimulatedAction>();
        var transfers = new List<(string Token, string From, string To, BigInteger Amount)>();
        for (var i = 0; i < actions.Count; i++)
        {
            var (success, _, gas, logs, _) = callResults[i];
            simulated.Add(new SimulatedAction(i + 1, actions[i].Target, actions[i].Value, decoded[i].Summary, success, success ? null : callResults[i].Reason, gas));
            if (success)
                transfers.AddRange(logs);
        }

        var wouldRevert = simulated.Any(a => !a.Success);
        var holders = treasury.Holders(dao);
        var touched = transfers.SelectMany(t => new[] { (t.From, t.Token), (t.To, t.Token) })
            .Where(p => p.Item1 != Configuration.EthAddress.Zero)
            .Concat(holders.SelectMany(h => dao.Options.TreasuryTokens.Select(t => (h, t.Address.ToLowerInvariant())).Prepend((h, TreasuryService.Ether))))
            .Distinct()
            .ToList();
        var before = await TreasuryService.ReadBalancesAsync(dao, touched, baseBlock, cancellationToken);
        var metadata = await treasury.TokenMetadataAsync(dao, touched.Select(p => p.Item2), cancellationToken);

        var deltas = new List<BalanceDelta>();
        foreach (var (address, token) in touched)
        {
            if (before[(address, token)] is not { } start)
                continue;
            var change = BigInteger.Zero;
            if (!wouldRevert)
            {
                foreach (var t in transfers.Where(t => t.Token == token))
                {
                    if (t.From == address)
                        change -= t.Amount;
                    if (t.To == address)
                        change += t.Amount;
                }
            }

            var isTreasury = holders.Contains(address);
            if (change.IsZero && !isTreasury)
                continue;
            var (symbol, decimals) = metadata.TryGetValue(token, out var m) ? m : (EthAddress(token), (int?)null);
            deltas.Add(new BalanceDelta(address, token, symbol, decimals, start, start + change, isTreasury));
        }

        if (wouldRevert)
            note = (note is null ? "" : note + " ") + "At least one action reverts, and the timelock executes all actions or none: executing this proposal would fail and move nothing.";

        var codeless = await CodelessTargetsAsync(dao, actions, baseBlock, cancellationToken);
        var totals = deltas.Where(d => d.IsTreasury).GroupBy(d => d.Token).ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (s, d) => s + d.Before), StringComparer.Ordinal);
        var risks = new RiskAssessor(new RiskOptions { TreasuryShareThreshold = dao.Options.LargeTransferShare }).Assess(decoded, view.Proposal.Description, totals, codeless);

        return new SimulationReport(dao.Name, view.Id, view.Title, view.State, baseBlock, executor, simulated,
            deltas.OrderByDescending(d => d.IsTreasury).ThenBy(d => d.Address, StringComparer.Ordinal).ThenBy(d => d.Symbol, StringComparer.Ordinal).ToList(),
            risks, note);
    }

    /// <summary>How geth ("missing trie node", "historical state … is not available"), reth ("pruned"), erigon and hosted providers ("header not found") refuse an old block.</summary>
    private static bool IsMissingHistoricalState(string message) =>
        MissingStateMessages.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] MissingStateMessages = ["state", "pruned", "missing trie node", "header not found", "not available", "unavailable"];

    /// <summary>Storage slots searched for an OpenZeppelin governor's _governanceCall queue (it sits in the first dozen).</summary>
    private const int GovernanceQueueSlotsSearched = 48;

    /// <summary>
    /// An OpenZeppelin governor behind a timelock accepts a call to itself (onlyGovernance: settings, quorum, relay)
    /// only while its execute() runs: execute() first records keccak256 of each such calldata in a queue
    /// (_governanceCall), the timelock then makes the calls, and each call pops its hash. A call straight from the
    /// timelock finds the queue empty and reverts, although the real execution succeeds. This re-runs the simulation
    /// with the queue filled as execute() fills it, through a state override of the queue's storage. The queue's slot
    /// depends on the governor's inheritance, so candidate slots are tried in one batch and the first slot is taken
    /// with which every call to the governor gets past that check (a wrong slot leaves the queue empty, so it cannot);
    /// a revert after the check is the call's own, and real. Null when no slot works.
    /// </summary>
    private static async Task<List<CallResult>?> WithGovernanceCallsRecordedAsync(
        DaoContext dao, IReadOnlyList<ProposalAction> actions, JsonObject payload, long baseBlock, CancellationToken cancellationToken)
    {
        var hashes = actions.Where(a => a.Target == dao.Governor)
            .Select(a => Sha3Keccack.Current.CalculateHash(Hex.TryDecode(CallData(a), out var bytes, out _) ? bytes : []))
            .ToList();
        var requests = new List<(string Method, JsonArray Params)>();
        for (var slot = 0; slot < GovernanceQueueSlotsSearched; slot++)
        {
            // Bytes32Deque { uint128 _begin; uint128 _end; mapping(uint128 => bytes32) _data; }: begin 0, end n, data[0..n).
            var stateDiff = new JsonObject { [Word(slot)] = Word(new BigInteger(hashes.Count) << 128) };
            for (var i = 0; i < hashes.Count; i++)
                stateDiff[MappingSlot(i, slot + 1)] = Hex.FromBytes(hashes[i]);
            var attempt = payload.DeepClone().AsObject();
            attempt["blockStateCalls"]![0]!["stateOverrides"] = new JsonObject { [dao.Governor] = new JsonObject { ["stateDiff"] = stateDiff } };
            requests.Add(("eth_simulateV1", new JsonArray(attempt, Hex.FromLong(baseBlock))));
        }

        var answers = await dao.Rpc.BatchAsync(requests, cancellationToken);
        foreach (var answer in answers.Where(a => a.Ok))
        {
            var parsed = ParseCalls(answer.Value, actions.Count);
            if (!StoppedByGovernanceCheck(dao, actions, parsed))
                return parsed;
        }

        return null;
    }

    private static string Word(BigInteger value) => "0x" + value.ToString("x64", CultureInfo.InvariantCulture)[^64..];

    /// <summary>
    /// The reverts of the governor's onlyGovernance check itself: an empty queue (OpenZeppelin 5.1+ panics, 5.0 and
    /// 4.9 name it) or a caller that is not the executor. Past the check, a revert is the call's own and real.
    /// </summary>
    private static bool StoppedByGovernanceCheck(DaoContext dao, IReadOnlyList<ProposalAction> actions, List<CallResult> results) =>
        actions.Where((action, i) => action.Target == dao.Governor && !results[i].Success && IsGovernanceCheck(results[i].Reason)).Any();

    private static bool IsGovernanceCheck(string reason) =>
        reason.StartsWith("panic 0x31", StringComparison.Ordinal) || reason is "QueueEmpty" or "Empty" or "Governor: onlyGovernance"
        || reason.StartsWith("GovernorOnlyExecutor", StringComparison.Ordinal);

    /// <summary>Where mapping(key => …) at <paramref name="slot"/> keeps the value for key: keccak256(key . slot).</summary>
    private static string MappingSlot(int key, int slot) =>
        Hex.FromBytes(Sha3Keccack.Current.CalculateHash(Convert.FromHexString(Word(key)[2..] + Word(slot)[2..])));

    /// <summary>Bravo-style actions carry a signature and selector-less calldata; OpenZeppelin's carry the full calldata.</summary>
    internal static string CallData(ProposalAction action)
    {
        if (action.Signature.Length == 0)
            return action.Calldata;
        var selector = Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(action.Signature)).AsSpan(0, 4));
        return "0x" + selector + action.Calldata[2..];
    }

    private sealed record CallResult(bool Success, string ReturnData, BigInteger Gas, List<(string Token, string From, string To, BigInteger Amount)> Transfers, string? Error)
    {
        public string Reason => ReturnData.Length >= 10 ? RevertReasons.Describe(ReturnData) : Error ?? RevertReasons.NoReason;
    }

    private static List<CallResult> ParseCalls(JsonElement result, int expected)
    {
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() == 0 || !result[0].TryGetProperty("calls", out var calls) || calls.GetArrayLength() != expected)
            throw new RpcUnavailableException($"eth_simulateV1 answered without one result per action ({expected} expected)");
        var parsed = new List<CallResult>();
        foreach (var call in calls.EnumerateArray())
        {
            var success = call.TryGetProperty("status", out var status) && status.GetString() == "0x1";
            var returnData = call.TryGetProperty("returnData", out var rd) ? rd.GetString() ?? "0x" : "0x";
            var gas = call.TryGetProperty("gasUsed", out var g) ? Hex.ToBigInteger(g.GetString() ?? "0x0") : BigInteger.Zero;
            string? error = null;
            if (call.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                var data = e.TryGetProperty("data", out var d) ? d.GetString() : null;
                error = data is { Length: >= 10 } ? RevertReasons.Describe(data) : e.TryGetProperty("message", out var m) ? m.GetString() : null;
            }

            var transfers = new List<(string Token, string From, string To, BigInteger Amount)>();
            if (call.TryGetProperty("logs", out var logs))
            {
                foreach (var log in logs.EnumerateArray().Select(ChainLog.Parse))
                {
                    // ERC20 and the synthetic ETH Transfer share the topic; ERC721 Transfer has a third indexed topic (the token id) and no data.
                    if (log.Topics.Count != 3 || log.Topics[0] != TransferTopic || log.Data.Length != 66)
                        continue;
                    var token = log.Address == EthTransferEmitter ? TreasuryService.Ether : log.Address;
                    transfers.Add((token, "0x" + log.Topics[1][26..], "0x" + log.Topics[2][26..], Hex.ToBigInteger(log.Data)));
                }
            }

            parsed.Add(new CallResult(success, returnData, gas, transfers, error));
        }

        return parsed;
    }

    private static async Task<IReadOnlySet<string>> CodelessTargetsAsync(DaoContext dao, IReadOnlyList<ProposalAction> actions, long block, CancellationToken cancellationToken)
    {
        var targets = actions.Select(a => a.Target).Distinct(StringComparer.Ordinal).ToList();
        var results = await dao.Rpc.BatchAsync(targets.Select(t => ("eth_getCode", new JsonArray(t, Hex.FromLong(block)))).ToList(), cancellationToken);
        return targets.Where((t, i) => results[i].Ok && results[i].Value.GetString() is "0x" or "0x0").ToHashSet(StringComparer.Ordinal);
    }

    private static string EthAddress(string address) => Configuration.EthAddress.Short(address);
}

public sealed class SimulationUnavailableException(string message) : Exception(message);

/// <summary>An action decoder that knows a DAO's configured tokens.</summary>
public sealed class ActionDecoderFactory(TreasuryService treasury)
{
    public ActionDecoder For(DaoContext dao) => new(treasury.Tokens(dao));
}
