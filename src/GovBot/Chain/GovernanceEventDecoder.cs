using System.Globalization;
using GovBot.Governance;

namespace GovBot.Chain;

/// <summary>A decoded governor or token event, ready to be written by the indexer.</summary>
public abstract record GovernanceEvent(long Block, string BlockHash, string Tx, int LogIndex);

public sealed record ProposalCreated(long Block, string BlockHash, string Tx, int LogIndex, string ProposalId, string Proposer,
    IReadOnlyList<ProposalAction> Actions, string VoteStart, string VoteEnd, string Description) : GovernanceEvent(Block, BlockHash, Tx, LogIndex);

public sealed record VoteCast(long Block, string BlockHash, string Tx, int LogIndex, string ProposalId, string Voter, int Support,
    string Weight, string Reason, string? Params) : GovernanceEvent(Block, BlockHash, Tx, LogIndex);

/// <summary>Canceled, queued (value: eta), executed, extended (value: new deadline).</summary>
public sealed record ProposalLifecycle(long Block, string BlockHash, string Tx, int LogIndex, string ProposalId, string Kind, string? Value)
    : GovernanceEvent(Block, BlockHash, Tx, LogIndex);

public sealed record DelegateChanged(long Block, string BlockHash, string Tx, int LogIndex, string Delegator, string FromDelegate, string ToDelegate)
    : GovernanceEvent(Block, BlockHash, Tx, LogIndex);

public sealed record DelegateVotesChanged(long Block, string BlockHash, string Tx, int LogIndex, string Delegate, string PreviousVotes, string NewVotes)
    : GovernanceEvent(Block, BlockHash, Tx, LogIndex);

public static class LifecycleKinds
{
    public const string Canceled = "canceled";
    public const string Queued = "queued";
    public const string Executed = "executed";
    public const string Extended = "extended";
}

/// <summary>
/// Turns raw logs into <see cref="GovernanceEvent"/>s. Logs from the governor and the token are told apart by
/// address, so a token that happened to emit a governor-shaped event could never forge a proposal.
/// </summary>
public sealed class GovernanceEventDecoder(string governor, string token)
{
    private readonly string _governor = governor.ToLowerInvariant();
    private readonly string _token = token.ToLowerInvariant();

    public GovernanceEvent? Decode(ChainLog log)
    {
        if (log.Removed || log.Topics.Count == 0)
            return null;
        var topic = log.Topics[0];
        try
        {
            if (log.Address == _governor)
                return DecodeGovernor(topic, log);
            if (log.Address == _token)
                return DecodeToken(topic, log);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new FormatException($"log {log.LogIndex} of block {log.BlockNumber} (tx {log.TransactionHash}) does not decode: {ex.Message}", ex);
        }
    }

    private static GovernanceEvent? DecodeGovernor(string topic, ChainLog log)
    {
        var data = new AbiWords(log.Data);
        if (topic == GovernorTopics.ProposalCreated)
        {
            // (proposalId, proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas,
            //  voteStart, voteEnd, string description): nothing indexed, the same layout on OpenZeppelin and Bravo.
            Require(log, 1, data, 9);
            var targets = data.Array(2, out var count);
            var values = data.Array(3, out var valueCount);
            var signatures = data.Array(4, out var signatureCount);
            var calldatas = data.Array(5, out var calldataCount);
            if (valueCount != count || signatureCount != count || calldataCount != count)
                throw new FormatException("ProposalCreated has targets, values, signatures and calldatas of different lengths");
            var actions = new List<ProposalAction>(count);
            for (var i = 0; i < count; i++)
                actions.Add(new ProposalAction(targets.Address(i), Id(values.Uint(i)), signatures.String(i), calldatas.BytesHex(i)));
            return new ProposalCreated(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, Id(data.Uint(0)), data.Address(1),
                actions, Id(data.Uint(6)), Id(data.Uint(7)), data.String(8));
        }
        if (topic == GovernorTopics.VoteCast || topic == GovernorTopics.VoteCastWithParams)
        {
            Require(log, 2, data, topic == GovernorTopics.VoteCast ? 4 : 5);
            return new VoteCast(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, Id(data.Uint(0)), AbiWords.TopicAddress(log.Topics[1]),
                data.SmallUint(1, 255), Id(data.Uint(2)), data.String(3), topic == GovernorTopics.VoteCastWithParams ? data.BytesHex(4) : null);
        }

        if (topic == GovernorTopics.ProposalCanceled)
            return Lifecycle(log, Id(Require(log, 1, data, 1).Uint(0)), LifecycleKinds.Canceled, null);
        if (topic == GovernorTopics.ProposalExecuted)
            return Lifecycle(log, Id(Require(log, 1, data, 1).Uint(0)), LifecycleKinds.Executed, null);
        if (topic == GovernorTopics.ProposalQueued)
            return Lifecycle(log, Id(Require(log, 1, data, 2).Uint(0)), LifecycleKinds.Queued, Id(data.Uint(1)));
        if (topic == GovernorTopics.ProposalExtended)
        {
            Require(log, 2, data, 1);
            return Lifecycle(log, Id(Hex.ToBigInteger(log.Topics[1])), LifecycleKinds.Extended, Id(data.Uint(0)));
        }

        return null;
    }

    private static GovernanceEvent? DecodeToken(string topic, ChainLog log)
    {
        if (topic == GovernorTopics.DelegateChanged)
        {
            Require(log, 4, new AbiWords(log.Data), 0);
            return new DelegateChanged(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex,
                AbiWords.TopicAddress(log.Topics[1]), AbiWords.TopicAddress(log.Topics[2]), AbiWords.TopicAddress(log.Topics[3]));
        }

        if (topic == GovernorTopics.DelegateVotesChanged)
        {
            var data = Require(log, 2, new AbiWords(log.Data), 2);
            return new DelegateVotesChanged(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex,
                AbiWords.TopicAddress(log.Topics[1]), Id(data.Uint(0)), Id(data.Uint(1)));
        }

        return null;
    }

    /// <summary>Checks the topic count and the minimum number of head words, so a wrong-shaped log is an error, not a misread.</summary>
    private static AbiWords Require(ChainLog log, int topics, AbiWords data, int headWords) =>
        log.Topics.Count == topics && data.Count >= headWords
            ? data
            : throw new FormatException($"expected {topics} topics and at least {headWords} data words, got {log.Topics.Count} and {data.Count}");

    private static ProposalLifecycle Lifecycle(ChainLog log, string proposalId, string kind, string? value) =>
        new(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, proposalId, kind, value);

    private static string Id(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
