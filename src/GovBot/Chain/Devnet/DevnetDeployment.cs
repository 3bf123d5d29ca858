using System.Numerics;
using GovBot.Governance;

namespace GovBot.Chain.Devnet;

/// <summary>Everything <see cref="DevnetSeeder"/> put on the chain, with the values tests should read back.</summary>
public sealed record DevnetDeployment(Uri Rpc, long ChainId, IReadOnlyList<DevnetDao> Daos, TimeSpan SeedDuration)
{
    public DevnetDao Dao(string name) =>
        Daos.FirstOrDefault(d => d.Name == name) ?? throw new KeyNotFoundException($"No devnet DAO named '{name}'");
}

/// <param name="Flavor">"oz5" (OpenZeppelin 5 Governor + TimelockController) or "bravo" (OZ 4.9 Bravo-compatible + Compound Timelock).</param>
/// <param name="StartBlock">The block before the DAO's first deployment transaction: where an indexer starts.</param>
/// <param name="ClockMode">"blocknumber" or "timestamp", as the governor's clock counts.</param>
public sealed record DevnetDao(
    string Name,
    string Flavor,
    long ChainId,
    string Rpc,
    string Governor,
    string Token,
    string Timelock,
    string Usdc,
    long StartBlock,
    string ClockMode,
    long VotingDelay,
    long VotingPeriod,
    long TimelockDelaySeconds,
    IReadOnlyList<SeededProposal> Proposals,
    IReadOnlyList<SeededHolder> Holders)
{
    public SeededProposal Proposal(ProposalState expected) =>
        Proposals.FirstOrDefault(p => p.ExpectedState == expected && !p.RevertsOnExecution)
        ?? throw new KeyNotFoundException($"{Name} has no seeded proposal expected to be {expected}");
}

/// <param name="Id">uint256 proposal id as a decimal string.</param>
/// <param name="Sample">The embedded sample the description came from (e.g. "grants-program").</param>
/// <param name="Transfer">Set when the proposal moves treasury funds to one recipient.</param>
/// <param name="RevertsOnExecution">True for the proposal whose action cannot succeed (asks for more USDC than the treasury holds).</param>
public sealed record SeededProposal(
    string Id,
    string Sample,
    string Title,
    string Description,
    ProposalState ExpectedState,
    SeededTransfer? Transfer,
    bool RevertsOnExecution);

/// <summary>Wei and USDC base units (6 decimals) a proposal sends from the timelock to <paramref name="Recipient"/>.</summary>
public sealed record SeededTransfer(string Recipient, BigInteger EthWei, BigInteger UsdcUnits);

/// <summary>A token holder after seeding: balance and votes in base units (18 decimals).</summary>
public sealed record SeededHolder(string Address, BigInteger Balance, string Delegate, BigInteger VotingPower);
