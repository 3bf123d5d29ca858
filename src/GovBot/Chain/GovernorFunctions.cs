using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace GovBot.Chain;

// The read-only calls GovBot makes against governors and vote tokens, as Nethereum ABI messages.

[Function("state", "uint8")]
public sealed class StateFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)] public BigInteger ProposalId { get; set; }
}

[Function("proposalVotes", typeof(ProposalVotesOutput))]
public sealed class ProposalVotesFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)] public BigInteger ProposalId { get; set; }
}

[FunctionOutput]
public sealed class ProposalVotesOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "againstVotes", 1)] public BigInteger Against { get; set; }
    [Parameter("uint256", "forVotes", 2)] public BigInteger For { get; set; }
    [Parameter("uint256", "abstainVotes", 3)] public BigInteger Abstain { get; set; }
}

/// <summary>GovernorBravo's public proposals mapping (also OpenZeppelin 4.x GovernorCompatibilityBravo).</summary>
[Function("proposals", typeof(BravoProposalOutput))]
public sealed class BravoProposalsFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)] public BigInteger ProposalId { get; set; }
}

[FunctionOutput]
public sealed class BravoProposalOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "id", 1)] public BigInteger Id { get; set; }
    [Parameter("address", "proposer", 2)] public string Proposer { get; set; } = "";
    [Parameter("uint256", "eta", 3)] public BigInteger Eta { get; set; }
    [Parameter("uint256", "startBlock", 4)] public BigInteger StartBlock { get; set; }
    [Parameter("uint256", "endBlock", 5)] public BigInteger EndBlock { get; set; }
    [Parameter("uint256", "forVotes", 6)] public BigInteger For { get; set; }
    [Parameter("uint256", "againstVotes", 7)] public BigInteger Against { get; set; }
    [Parameter("uint256", "abstainVotes", 8)] public BigInteger Abstain { get; set; }
    [Parameter("bool", "canceled", 9)] public bool Canceled { get; set; }
    [Parameter("bool", "executed", 10)] public bool Executed { get; set; }
}

[Function("quorum", "uint256")]
public sealed class QuorumFunction : FunctionMessage
{
    [Parameter("uint256", "timepoint", 1)] public BigInteger Timepoint { get; set; }
}

[Function("quorumVotes", "uint256")]
public sealed class QuorumVotesFunction : FunctionMessage;

[Function("proposalDeadline", "uint256")]
public sealed class ProposalDeadlineFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)] public BigInteger ProposalId { get; set; }
}

[Function("CLOCK_MODE", "string")]
public sealed class ClockModeFunction : FunctionMessage;

[Function("COUNTING_MODE", "string")]
public sealed class CountingModeFunction : FunctionMessage;

[Function("votingPeriod", "uint256")]
public sealed class VotingPeriodFunction : FunctionMessage;

[Function("name", "string")]
public sealed class NameFunction : FunctionMessage;

[Function("symbol", "string")]
public sealed class SymbolFunction : FunctionMessage;

[Function("decimals", "uint8")]
public sealed class DecimalsFunction : FunctionMessage;

[Function("getVotes", "uint256")]
public sealed class GetVotesFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>Compound's COMP names it getCurrentVotes; tried when getVotes reverts.</summary>
[Function("getCurrentVotes", "uint96")]
public sealed class GetCurrentVotesFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

[Function("delegates", "address")]
public sealed class DelegatesFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}
