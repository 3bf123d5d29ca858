using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace GovBot.Chain;

// Event shapes shared by OpenZeppelin Governor (4.x and 5.x) and Compound GovernorBravo: the canonical
// signatures are identical, so one topic0 serves both; only parameter names differ, which the ABI ignores.

[Event("ProposalCreated")]
public sealed class ProposalCreatedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, false)] public BigInteger ProposalId { get; set; }
    [Parameter("address", "proposer", 2, false)] public string Proposer { get; set; } = "";
    [Parameter("address[]", "targets", 3, false)] public List<string> Targets { get; set; } = [];
    [Parameter("uint256[]", "values", 4, false)] public List<BigInteger> Values { get; set; } = [];
    [Parameter("string[]", "signatures", 5, false)] public List<string> Signatures { get; set; } = [];
    [Parameter("bytes[]", "calldatas", 6, false)] public List<byte[]> Calldatas { get; set; } = [];
    [Parameter("uint256", "voteStart", 7, false)] public BigInteger VoteStart { get; set; }
    [Parameter("uint256", "voteEnd", 8, false)] public BigInteger VoteEnd { get; set; }
    [Parameter("string", "description", 9, false)] public string Description { get; set; } = "";
}

[Event("VoteCast")]
public sealed class VoteCastEvent : IEventDTO
{
    [Parameter("address", "voter", 1, true)] public string Voter { get; set; } = "";
    [Parameter("uint256", "proposalId", 2, false)] public BigInteger ProposalId { get; set; }
    [Parameter("uint8", "support", 3, false)] public byte Support { get; set; }
    [Parameter("uint256", "weight", 4, false)] public BigInteger Weight { get; set; }
    [Parameter("string", "reason", 5, false)] public string Reason { get; set; } = "";
}

[Event("VoteCastWithParams")]
public sealed class VoteCastWithParamsEvent : IEventDTO
{
    [Parameter("address", "voter", 1, true)] public string Voter { get; set; } = "";
    [Parameter("uint256", "proposalId", 2, false)] public BigInteger ProposalId { get; set; }
    [Parameter("uint8", "support", 3, false)] public byte Support { get; set; }
    [Parameter("uint256", "weight", 4, false)] public BigInteger Weight { get; set; }
    [Parameter("string", "reason", 5, false)] public string Reason { get; set; } = "";
    [Parameter("bytes", "params", 6, false)] public byte[] Params { get; set; } = [];
}

[Event("ProposalCanceled")]
public sealed class ProposalCanceledEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, false)] public BigInteger ProposalId { get; set; }
}

[Event("ProposalQueued")]
public sealed class ProposalQueuedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, false)] public BigInteger ProposalId { get; set; }
    [Parameter("uint256", "etaSeconds", 2, false)] public BigInteger Eta { get; set; }
}

[Event("ProposalExecuted")]
public sealed class ProposalExecutedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, false)] public BigInteger ProposalId { get; set; }
}

/// <summary>GovernorPreventLateQuorum: the proposal id is indexed here, unlike every other governor event.</summary>
[Event("ProposalExtended")]
public sealed class ProposalExtendedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, true)] public BigInteger ProposalId { get; set; }
    [Parameter("uint64", "extendedDeadline", 2, false)] public ulong ExtendedDeadline { get; set; }
}

[Event("DelegateChanged")]
public sealed class DelegateChangedEvent : IEventDTO
{
    [Parameter("address", "delegator", 1, true)] public string Delegator { get; set; } = "";
    [Parameter("address", "fromDelegate", 2, true)] public string FromDelegate { get; set; } = "";
    [Parameter("address", "toDelegate", 3, true)] public string ToDelegate { get; set; } = "";
}

[Event("DelegateVotesChanged")]
public sealed class DelegateVotesChangedEvent : IEventDTO
{
    [Parameter("address", "delegate", 1, true)] public string Delegate { get; set; } = "";
    [Parameter("uint256", "previousVotes", 2, false)] public BigInteger PreviousVotes { get; set; }
    [Parameter("uint256", "newVotes", 3, false)] public BigInteger NewVotes { get; set; }
}

/// <summary>topic0 of every event the indexer asks for, in one eth_getLogs filter.</summary>
public static class GovernorTopics
{
    public static readonly string ProposalCreated = Topic<ProposalCreatedEvent>();
    public static readonly string VoteCast = Topic<VoteCastEvent>();
    public static readonly string VoteCastWithParams = Topic<VoteCastWithParamsEvent>();
    public static readonly string ProposalCanceled = Topic<ProposalCanceledEvent>();
    public static readonly string ProposalQueued = Topic<ProposalQueuedEvent>();
    public static readonly string ProposalExecuted = Topic<ProposalExecutedEvent>();
    public static readonly string ProposalExtended = Topic<ProposalExtendedEvent>();
    public static readonly string DelegateChanged = Topic<DelegateChangedEvent>();
    public static readonly string DelegateVotesChanged = Topic<DelegateVotesChangedEvent>();

    public static readonly IReadOnlyList<string> Governor =
        [ProposalCreated, VoteCast, VoteCastWithParams, ProposalCanceled, ProposalQueued, ProposalExecuted, ProposalExtended];

    public static readonly IReadOnlyList<string> Token = [DelegateChanged, DelegateVotesChanged];

    public static readonly IReadOnlyList<string> All = [.. Governor, .. Token];

    private static string Topic<T>() where T : IEventDTO, new() =>
        "0x" + EventExtensions.GetEventABI<T>().Sha3Signature.ToLowerInvariant();
}
