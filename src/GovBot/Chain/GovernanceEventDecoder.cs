using System.Globalization;
using GovBot.Governance;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

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
        var filterLog = ToFilterLog(log);
        try
        {
            if (log.Address == _governor)
                return DecodeGovernor(topic, filterLog, log);
            if (log.Address == _token)
                return DecodeToken(topic, filterLog, log);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new FormatException($"log {log.LogIndex} of block {log.BlockNumber} (tx {log.TransactionHash}) does not decode: {ex.Message}", ex);
        }
    }

    private static GovernanceEvent? DecodeGovernor(string topic, FilterLog filterLog, ChainLog log)
    {
        if (topic == GovernorTopics.ProposalCreated)
        {
            var e = filterLog.DecodeEvent<ProposalCreatedEvent>().Event;
            var count = e.Targets.Count;
            if (e.Values.Count != count || e.Signatures.Count != count || e.Calldatas.Count != count)
                throw new FormatException("ProposalCreated has targets, values, signatures and calldatas of different lengths");
            var actions = Enumerable.Range(0, count)
                .Select(i => new ProposalAction(
                    e.Targets[i].ToLowerInvariant(),
                    e.Values[i].ToString(CultureInfo.InvariantCulture),
                    e.Signatures[i],
                    Hex.FromBytes(e.Calldatas[i])))
                .ToList();
            return new ProposalCreated(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, Id(e.ProposalId), e.Proposer.ToLowerInvariant(),
                actions, Id(e.VoteStart), Id(e.VoteEnd), e.Description);
        }

        if (topic == GovernorTopics.VoteCast)
        {
            var e = filterLog.DecodeEvent<VoteCastEvent>().Event;
            return new VoteCast(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, Id(e.ProposalId), e.Voter.ToLowerInvariant(), e.Support,
                Id(e.Weight), e.Reason, null);
        }

        if (topic == GovernorTopics.VoteCastWithParams)
        {
            var e = filterLog.DecodeEvent<VoteCastWithParamsEvent>().Event;
            return new VoteCast(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, Id(e.ProposalId), e.Voter.ToLowerInvariant(), e.Support,
                Id(e.Weight), e.Reason, Hex.FromBytes(e.Params));
        }

        if (topic == GovernorTopics.ProposalCanceled)
            return Lifecycle(log, Id(filterLog.DecodeEvent<ProposalCanceledEvent>().Event.ProposalId), LifecycleKinds.Canceled, null);
        if (topic == GovernorTopics.ProposalExecuted)
            return Lifecycle(log, Id(filterLog.DecodeEvent<ProposalExecutedEvent>().Event.ProposalId), LifecycleKinds.Executed, null);
        if (topic == GovernorTopics.ProposalQueued)
        {
            var e = filterLog.DecodeEvent<ProposalQueuedEvent>().Event;
            return Lifecycle(log, Id(e.ProposalId), LifecycleKinds.Queued, Id(e.Eta));
        }

        if (topic == GovernorTopics.ProposalExtended)
        {
            var e = filterLog.DecodeEvent<ProposalExtendedEvent>().Event;
            return Lifecycle(log, Id(e.ProposalId), LifecycleKinds.Extended, e.ExtendedDeadline.ToString(CultureInfo.InvariantCulture));
        }

        return null;
    }

    private static GovernanceEvent? DecodeToken(string topic, FilterLog filterLog, ChainLog log)
    {
        if (topic == GovernorTopics.DelegateChanged)
        {
            var e = filterLog.DecodeEvent<DelegateChangedEvent>().Event;
            return new DelegateChanged(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex,
                e.Delegator.ToLowerInvariant(), e.FromDelegate.ToLowerInvariant(), e.ToDelegate.ToLowerInvariant());
        }

        if (topic == GovernorTopics.DelegateVotesChanged)
        {
            var e = filterLog.DecodeEvent<DelegateVotesChangedEvent>().Event;
            return new DelegateVotesChanged(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex,
                e.Delegate.ToLowerInvariant(), Id(e.PreviousVotes), Id(e.NewVotes));
        }

        return null;
    }

    private static ProposalLifecycle Lifecycle(ChainLog log, string proposalId, string kind, string? value) =>
        new(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, proposalId, kind, value);

    private static string Id(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static FilterLog ToFilterLog(ChainLog log) => new()
    {
        Address = log.Address,
        Topics = log.Topics.Cast<object>().ToArray(),
        Data = log.Data,
        BlockNumber = new HexBigInteger(log.BlockNumber),
        BlockHash = log.BlockHash,
        TransactionHash = log.TransactionHash,
        LogIndex = new HexBigInteger(log.LogIndex),
    };
}
