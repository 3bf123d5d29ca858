using System.Numerics;

namespace GovBot.Governance;

/// <summary>Same numbering as OpenZeppelin's IGovernor.ProposalState and Compound GovernorBravo's enum.</summary>
public enum ProposalState
{
    Pending = 0,
    Active = 1,
    Canceled = 2,
    Defeated = 3,
    Succeeded = 4,
    Queued = 5,
    Expired = 6,
    Executed = 7,
}

public enum VoteSupport
{
    Against = 0,
    For = 1,
    Abstain = 2,
}

/// <summary>One call a proposal makes. Value is wei as a decimal string; Calldata is 0x-hex (without the selector when Signature is set, as Bravo does).</summary>
public sealed record ProposalAction(string Target, string Value, string Signature, string Calldata);

/// <summary>A proposal as indexed from its ProposalCreated event; immutable once on chain.</summary>
public sealed record IndexedProposal(
    string Dao,
    string Id,
    string Proposer,
    string Title,
    string Description,
    string DescriptionHash,
    IReadOnlyList<ProposalAction> Actions,
    string VoteStart,
    string VoteEnd,
    long CreatedBlock,
    string CreatedTx,
    DateTimeOffset CreatedAt);

/// <summary>For, against and abstain in base units.</summary>
public sealed record Tally(BigInteger For, BigInteger Against, BigInteger Abstain)
{
    public static readonly Tally Zero = new(BigInteger.Zero, BigInteger.Zero, BigInteger.Zero);

    /// <summary>OpenZeppelin's GovernorCountingSimple counts for + abstain towards quorum; Bravo counts only for.</summary>
    public BigInteger QuorumVotes(bool abstainCounts) => abstainCounts ? For + Abstain : For;
}

/// <summary>A proposal with its live state: everything a reply about one proposal needs.</summary>
public sealed record ProposalView(
    IndexedProposal Proposal,
    ProposalState State,
    Tally Tally,
    BigInteger Quorum,
    bool QuorumCountsAbstain,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    bool TimesAreEstimates,
    DateTimeOffset? Eta)
{
    public string Id => Proposal.Id;
    public string Title => Proposal.Title;

    public BigInteger QuorumProgress => Tally.QuorumVotes(QuorumCountsAbstain);

    /// <summary>Percent of quorum reached, capped at 999 so a tiny quorum does not print a silly number.</summary>
    public int QuorumPercent => Quorum.IsZero ? 100 : (int)BigInteger.Min(999, QuorumProgress * 100 / Quorum);
}

public sealed record VoteRecord(
    string ProposalId,
    string Voter,
    VoteSupport Support,
    BigInteger Weight,
    string Reason,
    long Block,
    string Tx);

public sealed record DelegateRow(string Address, BigInteger Votes, int Delegators);

public sealed record VoterView(
    string Address,
    BigInteger VotingPower,
    string? Delegate,
    BigInteger Balance,
    IReadOnlyList<(VoteRecord Vote, string Title)> Votes);
