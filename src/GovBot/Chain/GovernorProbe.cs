using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GovBot.Chain;

public enum GovernorCounting
{
    /// <summary>OpenZeppelin GovernorCountingSimple: proposalVotes(id); for + abstain count towards quorum.</summary>
    Simple,

    /// <summary>Compound GovernorBravo or OpenZeppelin 4.x GovernorCompatibilityBravo: proposals(id); only for counts.</summary>
    Bravo,
}

public sealed record GovernorProfile(
    long ChainId,
    bool TimestampClock,
    GovernorCounting Counting,
    bool HasQuorumOfTimepoint,
    string TokenSymbol,
    int TokenDecimals)
{
    public bool QuorumCountsAbstain => Counting == GovernorCounting.Simple;
}

/// <summary>
/// Asks the chain, in one batch, what the configured addresses are: the right chain, contracts at both
/// addresses, a governor that answers votingPeriod(), and its clock (ERC-6372) and counting mode.
/// </summary>
public sealed class GovernorProbe(ILogger<GovernorProbe> logger)
{
    private const int ProbeCalls = 9;

    /// <summary>
    /// The probe with <paramref name="extraCalls"/> in the same HTTP request (the indexer sends its first range along),
    /// their results returned in order. The extra results are only meaningful when the probe succeeds.
    /// </summary>
    public async Task<(GovernorProfile Profile, IReadOnlyList<RpcResult> Extra)> ProbeAsync(
        DaoContext dao, IReadOnlyList<(string Method, JsonArray Params)> extraCalls, CancellationToken cancellationToken)
    {
        IReadOnlyList<RpcResult> r;
        try
        {
            r = await dao.Rpc.BatchAsync(
            [
                ("eth_chainId", new JsonArray()),
                ("eth_getCode", new JsonArray(dao.Governor, "latest")),
                ("eth_getCode", new JsonArray(dao.Token, "latest")),
                ContractCall.EthCall(dao.Governor, new VotingPeriodFunction()),
                ContractCall.EthCall(dao.Governor, new ClockModeFunction()),
                ContractCall.EthCall(dao.Governor, new CountingModeFunction()),
                ContractCall.EthCall(dao.Governor, new QuorumFunction { Timepoint = 0 }),
                ContractCall.EthCall(dao.Token, new SymbolFunction()),
                ContractCall.EthCall(dao.Token, new DecimalsFunction()),
                .. extraCalls,
            ], cancellationToken);
        }
        catch (RpcUnavailableException ex)
        {
            throw new ConfigurationException($"Daos:{dao.Name}:Rpc", $"the RPC endpoint does not answer: {ex.Message}");
        }

        var chainId = r[0].Ok ? Hex.ToLong(r[0].Value.GetString() ?? "0x0") : throw new ConfigurationException($"Daos:{dao.Name}:Rpc", $"eth_chainId failed: {r[0].Error!.Message}");
        if (chainId != dao.Options.ChainId)
            throw new ConfigurationException($"Daos:{dao.Name}:ChainId", $"is {dao.Options.ChainId} but the RPC endpoint serves chain {chainId}");
        if (!HasCode(r[1]))
            throw new ConfigurationException($"Daos:{dao.Name}:Governor", $"no contract at {dao.Governor} on chain {chainId}");
        if (!HasCode(r[2]))
            throw new ConfigurationException($"Daos:{dao.Name}:Token", $"no contract at {dao.Token} on chain {chainId}");
        if (!r[3].Ok || !TryDecode(r[3].Value, ContractCall.DecodeUint, out _))
            throw new ConfigurationException($"Daos:{dao.Name}:Governor", $"the contract at {dao.Governor} is not a governor (votingPeriod() does not answer)");

        var clockMode = r[4].Ok && TryDecode(r[4].Value, ContractCall.DecodeString, out var mode) ? mode : null;
        var countingMode = r[5].Ok && TryDecode(r[5].Value, ContractCall.DecodeString, out var counting) ? counting : null;
        var timestampClock = clockMode?.Contains("mode=timestamp", StringComparison.Ordinal) == true;
        var simple = countingMode?.Contains("quorum=for,abstain", StringComparison.Ordinal) == true;
        var symbol = r[7].Ok && TryDecode(r[7].Value, ContractCall.DecodeString, out var s) ? s : "votes";
        var decimals = r[8].Ok && TryDecode(r[8].Value, ContractCall.DecodeUint, out var d) && d <= 77 ? (int)d : 18;

        var profile = new GovernorProfile(chainId, timestampClock, simple ? GovernorCounting.Simple : GovernorCounting.Bravo,
            HasQuorumOfTimepoint: r[6].Ok, symbol, decimals);
        logger.LogInformation("DAO {Dao}: governor {Governor} on chain {ChainId}, clock {Clock}, counting {Counting}",
            dao.Name, dao.Governor, chainId, timestampClock ? "timestamp" : "blocknumber", profile.Counting);
        return (profile, r.Skip(ProbeCalls).ToList());
    }

    private static bool HasCode(RpcResult result) =>
        result.Ok && result.Value.ValueKind == JsonValueKind.String && result.Value.GetString() is { Length: > 2 } code && code != "0x0";

    private static bool TryDecode<T>(JsonElement value, Func<JsonElement, T> decode, out T result)
    {
        try
        {
            result = decode(value);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = default!;
            return false;
        }
    }
}
