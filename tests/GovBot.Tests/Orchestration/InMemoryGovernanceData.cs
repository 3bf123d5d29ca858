using GovBot.Treasury;
using System.Numerics;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Orchestration;

namespace GovBot.Tests.Orchestration;

/// <summary>
/// Governance data held in memory, for plugin and offline-engine tests until the devnet fixture can back the real
/// GovernanceService (which reads live state over RPC). Same contract: malformed ids and unknown proposals are user errors.
/// </summary>
public sealed class InMemoryGovernanceData : IGovernanceData
{
    public const string Timelock = "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7";
    public static readonly BigInteger Ens = BigInteger.Pow(10, 18);

    public DaoFacts Facts { get; } = new("ens", 1, "0x323a76393544d5ecca80cd6ef2a560c6a395b7e3", "0xc18360217d8f7ab5e7c516566761ea12ce7f9d72", Timelock, [],
        [new TreasuryTokenOptions { Address = "0xA0b86991c6218b36c1d19d4a2e9eB0cE3606eB48", Symbol = "USDC", Decimals = 6 }]);

    public List<ProposalView> Proposals { get; } = [];
    public Dictionary<string, List<VoteRecord>> Votes { get; } = [];
    public Dictionary<string, VoterView> Voters { get; } = [];
    public List<DelegateRow> Delegates { get; } = [];
    public long IndexedBlock { get; set; } = 21_000_000;
    public TreasurySnapshot? Treasury { get; set; }
    public int Reads { get; private set; }

    public DaoFacts Dao(string? dao) => string.IsNullOrEmpty(dao) || dao.Equals("ens", StringComparison.OrdinalIgnoreCase)
        ? Facts
        : throw new UserInputException($"Unknown DAO '{dao}'. Configured: ens.");

    public Task<VotingToken> VotingTokenAsync(string? dao, CancellationToken cancellationToken) => Task.FromResult(new VotingToken("ENS", 18));

    public Task<long> IndexedBlockAsync(string? dao, CancellationToken cancellationToken) => Task.FromResult(IndexedBlock);

    public Task<IReadOnlyList<ProposalView>> ListAsync(string? dao, ProposalState? state, int limit, CancellationToken cancellationToken)
    {
        Reads++;
        return Task.FromResult<IReadOnlyList<ProposalView>>(Proposals.Where(p => state is null || p.State == state).OrderByDescending(p => p.Proposal.CreatedBlock).Take(limit).ToList());
    }

    public Task<ProposalView> GetAsync(string? dao, string id, CancellationToken cancellationToken)
    {
        Reads++;
        var parsed = GovernanceService.ParseProposalId(id);
        return Task.FromResult(Proposals.FirstOrDefault(p => p.Id == parsed) ?? throw new UserInputException($"No proposal {parsed} in ens."));
    }

    public async Task<(ProposalView Proposal, IReadOnlyList<VoteRecord> Votes)> VotesAsync(string? dao, string id, CancellationToken cancellationToken)
    {
        var view = await GetAsync(dao, id, cancellationToken);
        return (view, Votes.GetValueOrDefault(view.Id) ?? []);
    }

    public Task<VoterView> VoterAsync(string? dao, string address, CancellationToken cancellationToken)
    {
        Reads++;
        var normalized = GovernanceService.ParseAddress(address);
        return Task.FromResult(Voters.GetValueOrDefault(normalized) ?? new VoterView(normalized, BigInteger.Zero, null, BigInteger.Zero, []));
    }

    public Task<IReadOnlyList<DelegateRow>> DelegatesAsync(string? dao, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DelegateRow>>(Delegates.Take(limit).ToList());

    /// <summary>A proposal with a real ENS description and its real calldata from the corpus.</summary>
    public ProposalView AddCorpusProposal(string corpusId, string id, ProposalState state, long block = 20_000_000)
    {
        var description = Corpus.Description(corpusId);
        var actions = File.Exists(Corpus.Path_(corpusId, "calldata.json")) ? Corpus.Actions(corpusId) : [];
        return Add(id, description, actions, state, block);
    }

    /// <param name="created">When it was proposed (2025-01-01 by default); voting starts a day later.</param>
    /// <param name="endsAt">When voting ends (2025-01-08 12:00 by default).</param>
    public ProposalView Add(string id, string description, IReadOnlyList<ProposalAction> actions, ProposalState state, long block = 20_000_000,
        DateTimeOffset? created = null, DateTimeOffset? endsAt = null)
    {
        var createdAt = created ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var proposal = new IndexedProposal("ens", id, "0x5bfcb4be4d7b43437d5a0c57e908c048a4418390", ProposalText.Title(description), description,
            ProposalText.Hash(description), actions, (block + 7200).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (block + 50_400).ToString(System.Globalization.CultureInfo.InvariantCulture), block, "0x" + new string('a', 62) + (Proposals.Count % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture), createdAt);
        var view = new ProposalView(proposal, state, new Tally(1_500_000 * Ens, 20_000 * Ens, 5_000 * Ens), 1_000_000 * Ens, true,
            createdAt.AddDays(1), endsAt ?? new DateTimeOffset(2025, 1, 8, 12, 0, 0, TimeSpan.Zero), TimesAreEstimates: true, null);
        Proposals.Add(view);
        return view;
    }

    public Task<TreasurySnapshot?> TreasuryAsync(string? dao, CancellationToken cancellationToken) => Task.FromResult(Treasury);

    public Task<SimulationReport?> SimulateAsync(string? dao, string id, CancellationToken cancellationToken) => Task.FromResult<SimulationReport?>(null);

    /// <summary>The real link signer; null (the default) is a GovBot without Web:LinkSigningKey.</summary>
    public GovBot.Delegation.DelegationLinkSigner? LinkSigner { get; private set; }

    public GovBot.Delegation.DelegationLinkSigner EnableDelegationLinks(string publicBaseUrl = "https://govbot.example") =>
        LinkSigner = new GovBot.Delegation.DelegationLinkSigner("hex:" + new string('7', 64), publicBaseUrl, [DaoOptions], TimeProvider.System);

    public GovBot.Delegation.SignedDelegationLink? CreateDelegationLink(string? dao, string delegatee)
    {
        Dao(dao);
        var address = GovernanceService.ParseAddress(delegatee);
        // Same refusal as DelegationService.CreateLink.
        if (address == "0x0000000000000000000000000000000000000000")
            throw new UserInputException("Delegating to the zero address would switch your votes off; pick a delegate's address.");
        return LinkSigner?.Create(DaoOptions, address);
    }

    private DaoOptions DaoOptions => new() { Name = Facts.Name, ChainId = Facts.ChainId, Rpc = "http://127.0.0.1:1", Governor = Facts.Governor, Token = Facts.Token, Timelock = Facts.Timelock };
}
