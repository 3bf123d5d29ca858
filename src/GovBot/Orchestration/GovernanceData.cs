using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Delegation;
using GovBot.Governance;
using GovBot.Storage;
using GovBot.Treasury;

namespace GovBot.Orchestration;

/// <summary>A configured DAO's identity and the addresses GovBot itself trusts for it.</summary>
public sealed record DaoFacts(string Name, long ChainId, string Governor, string Token, string? Timelock,
    IReadOnlyList<string> TreasuryAddresses, IReadOnlyList<TreasuryTokenOptions> TreasuryTokens)
{
    public IEnumerable<string> Addresses =>
        new[] { Governor, Token, Timelock }.Concat(TreasuryAddresses).Concat(TreasuryTokens.Select(t => t.Address)).OfType<string>();

    /// <summary>The account whose tokens proposal actions move: the timelock when there is one, else the governor.</summary>
    public string Executor => Timelock ?? Governor;

    /// <summary>ENS names the DAO controls (and so their subnames): replies may mention them.</summary>
    public IReadOnlyList<string> TrustedNames { get; init; } = [];

    public ActionDecoder CreateDecoder() => new(TokenDirectory.For(ChainId, TreasuryTokens));

    /// <summary>Daos[].LargeTransferShare: the treasury share above which a transfer is flagged.</summary>
    public decimal LargeTransferShare { get; init; } = 0.10m;

    public static DaoFacts From(DaoContext dao) => new(dao.Name, dao.Options.ChainId, dao.Governor, dao.Token, dao.Timelock,
        dao.Options.TreasuryAddresses.Select(a => a.ToLowerInvariant()).ToList(), dao.Options.TreasuryTokens)
    {
        TrustedNames = dao.Options.TrustedNames.Select(n => n.Trim().ToLowerInvariant()).ToList(),
        LargeTransferShare = dao.Options.LargeTransferShare,
    };
}

public sealed record VotingToken(string Symbol, int Decimals);

/// <summary>
/// The governance reads the orchestrator needs, over <see cref="GovernanceService"/>. It exists as a seam: the plugins and
/// the offline engine are tested against in-memory data until the devnet fixture can back GovernanceService for real.
/// </summary>
public interface IGovernanceData
{
    DaoFacts Dao(string? dao);

    Task<VotingToken> VotingTokenAsync(string? dao, CancellationToken cancellationToken);

    /// <summary>The indexer's cursor: answers cached at one indexed block are not served at the next.</summary>
    Task<long> IndexedBlockAsync(string? dao, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProposalView>> ListAsync(string? dao, ProposalState? state, int limit, CancellationToken cancellationToken);

    Task<ProposalView> GetAsync(string? dao, string id, CancellationToken cancellationToken);

    Task<(ProposalView Proposal, IReadOnlyList<VoteRecord> Votes)> VotesAsync(string? dao, string id, CancellationToken cancellationToken);

    Task<VoterView> VoterAsync(string? dao, string address, CancellationToken cancellationToken);

    Task<IReadOnlyList<DelegateRow>> DelegatesAsync(string? dao, int limit, CancellationToken cancellationToken);

    /// <summary>Treasury balances; null when the DAO has no treasury configured.</summary>
    Task<TreasurySnapshot?> TreasuryAsync(string? dao, CancellationToken cancellationToken);

    /// <summary>The proposal's simulation; null when the node cannot simulate.</summary>
    Task<SimulationReport?> SimulateAsync(string? dao, string id, CancellationToken cancellationToken);

    /// <summary>The signed, expiring link /delegate gives; null when this GovBot has no link-signing key. A bad address is the user's error.</summary>
    SignedDelegationLink? CreateDelegationLink(string? dao, string delegatee);
}

public sealed class GovernanceServiceData(
    GovernanceService governance, IndexStore index, TreasuryService treasury, TreasurySimulator simulator, DelegationService delegation) : IGovernanceData
{
    public DaoFacts Dao(string? dao) => DaoFacts.From(governance.Dao(dao));

    public async Task<VotingToken> VotingTokenAsync(string? dao, CancellationToken cancellationToken)
    {
        var profile = await governance.Dao(dao).GetProfileAsync(cancellationToken);
        return new VotingToken(profile.TokenSymbol, profile.TokenDecimals);
    }

    public async Task<long> IndexedBlockAsync(string? dao, CancellationToken cancellationToken) =>
        (await index.GetCursorAsync(governance.Dao(dao).Name, cancellationToken))?.Block ?? 0;

    public Task<IReadOnlyList<ProposalView>> ListAsync(string? dao, ProposalState? state, int limit, CancellationToken cancellationToken) =>
        governance.ListAsync(dao, state, limit, cancellationToken);

    public Task<ProposalView> GetAsync(string? dao, string id, CancellationToken cancellationToken) => governance.GetAsync(dao, id, cancellationToken);

    public Task<(ProposalView Proposal, IReadOnlyList<VoteRecord> Votes)> VotesAsync(string? dao, string id, CancellationToken cancellationToken) =>
        governance.VotesAsync(dao, id, cancellationToken);

    public Task<VoterView> VoterAsync(string? dao, string address, CancellationToken cancellationToken) => governance.VoterAsync(dao, address, cancellationToken);

    public Task<IReadOnlyList<DelegateRow>> DelegatesAsync(string? dao, int limit, CancellationToken cancellationToken) =>
        governance.DelegatesAsync(dao, limit, cancellationToken);

    public async Task<TreasurySnapshot?> TreasuryAsync(string? dao, CancellationToken cancellationToken) =>
        treasury.Holders(governance.Dao(dao)).Count == 0 ? null : await treasury.BalancesAsync(dao, cancellationToken);

    public async Task<SimulationReport?> SimulateAsync(string? dao, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await simulator.SimulateAsync(dao, id, cancellationToken);
        }
        catch (SimulationUnavailableException)
        {
            return null;
        }
    }

    public SignedDelegationLink? CreateDelegationLink(string? dao, string delegatee) =>
        delegation.Configured ? delegation.CreateLink(dao, delegatee) : null;
}
