using System.Globalization;
using System.Numerics;
using System.Text.Json;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Orchestration;
using GovBot.Treasury;

namespace GovBot.Bench;

/// <summary>One proposal of ../shared/corpus/proposals: its folder name, description and real calldata (none for a few).</summary>
public sealed record CorpusProposal(string Name, string Description, IReadOnlyList<ProposalAction> Actions)
{
    /// <summary>Every corpus proposal with a description.md, read in place (never copied into the repo), ordered by folder name.</summary>
    public static IReadOnlyList<CorpusProposal> Load()
    {
        var folder = Path.GetFullPath(Path.Combine(BenchResults.Folder, "..", "..", "..", "shared", "corpus", "proposals"));
        return Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, "description.md")))
            .Select(d => new CorpusProposal(Path.GetFileName(d), File.ReadAllText(Path.Combine(d, "description.md")), ReadActions(d)))
            .ToList();
    }

    private static IReadOnlyList<ProposalAction> ReadActions(string folder)
    {
        var path = Path.Combine(folder, "calldata.json");
        if (!File.Exists(path))
            return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("executableCalls").EnumerateArray()
            .Select(c => new ProposalAction(c.GetProperty("target").GetString()!.ToLowerInvariant(), c.GetProperty("value").GetString()!, "", c.GetProperty("calldata").GetString()!))
            .ToList();
    }
}

/// <summary>
/// Governance data held in memory (the same contract as the test suite's InMemoryGovernanceData): the ENS DAO with the
/// corpus proposals as ids 1..N, a treasury, delegates and votes. No chain, so latencies exclude RPC and SQLite index reads.
/// </summary>
public sealed class BenchGovernanceData : IGovernanceData
{
    public const string Timelock = "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7";
    public const string Voter = "0x983110309620d911731ac0932219af06091b6744";
    private static readonly BigInteger Ens = BigInteger.Pow(10, 18);
    private static readonly ProposalState[] States =
        [ProposalState.Executed, ProposalState.Executed, ProposalState.Defeated, ProposalState.Active, ProposalState.Queued, ProposalState.Pending, ProposalState.Succeeded, ProposalState.Canceled];

    public BenchGovernanceData(IReadOnlyList<CorpusProposal> corpus)
    {
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < corpus.Count; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            var block = 20_000_000L + i * 10_000;
            var description = corpus[i].Description;
            var proposal = new IndexedProposal("ens", id, "0x5bfcb4be4d7b43437d5a0c57e908c048a4418390", ProposalText.Title(description), description,
                ProposalText.Hash(description), corpus[i].Actions, (block + 7200).ToString(CultureInfo.InvariantCulture),
                (block + 50_400).ToString(CultureInfo.InvariantCulture), block, "0x" + new string('a', 62) + (i % 100).ToString("00", CultureInfo.InvariantCulture), created.AddDays(i));
            Proposals.Add(new ProposalView(proposal, States[i % States.Length], new Tally(1_500_000 * Ens, 20_000 * Ens, 5_000 * Ens), 1_000_000 * Ens, true,
                created.AddDays(i + 1), created.AddDays(i + 8), TimesAreEstimates: true, null));
            Votes[id] = Enumerable.Range(0, 50)
                .Select(v => new VoteRecord(id, v == 0 ? Voter : "0x" + (v + 1000).ToString("x40", CultureInfo.InvariantCulture), (VoteSupport)(v % 3), (v + 1) * 1000 * Ens, v % 5 == 0 ? "I support this." : "", block + 7300 + v, "0x" + new string('b', 64)))
                .ToList();
        }

        Voters[Voter] = new VoterView(Voter, 250_000 * Ens, Voter, 10_000 * Ens, Proposals.Take(8).Select(p => (Votes[p.Id][0], p.Title)).ToList());
        Delegates.AddRange(Enumerable.Range(0, 25).Select(i => new DelegateRow("0x" + (i + 5000).ToString("x40", CultureInfo.InvariantCulture), (1_000_000 - i * 30_000) * Ens, 100 - i)));
        Treasury = new TreasurySnapshot("ens", IndexedBlock, [Timelock],
        [
            new TreasuryBalance(Timelock, TreasuryService.Ether, "ETH", 18, BigInteger.Parse("1500000000000000000000", CultureInfo.InvariantCulture)),
            new TreasuryBalance(Timelock, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", 6, 12_345_678_900),
        ]);
    }

    public DaoFacts Facts { get; } = new("ens", 1, "0x323a76393544d5ecca80cd6ef2a560c6a395b7e3", "0xc18360217d8f7ab5e7c516566761ea12ce7f9d72", Timelock, [],
        [new TreasuryTokenOptions { Address = "0xA0b86991c6218b36c1d19d4a2e9eB0cE3606eB48", Symbol = "USDC", Decimals = 6 }]);

    public List<ProposalView> Proposals { get; } = [];
    public Dictionary<string, List<VoteRecord>> Votes { get; } = [];
    public Dictionary<string, VoterView> Voters { get; } = [];
    public List<DelegateRow> Delegates { get; } = [];
    public long IndexedBlock { get; set; } = 21_000_000;
    public TreasurySnapshot? Treasury { get; set; }

    public DaoFacts Dao(string? dao) => string.IsNullOrEmpty(dao) || dao.Equals("ens", StringComparison.OrdinalIgnoreCase)
        ? Facts
        : throw new UserInputException($"Unknown DAO '{dao}'. Configured: ens.");

    public Task<VotingToken> VotingTokenAsync(string? dao, CancellationToken cancellationToken) => Task.FromResult(new VotingToken("ENS", 18));

    public Task<long> IndexedBlockAsync(string? dao, CancellationToken cancellationToken) => Task.FromResult(IndexedBlock);

    public Task<IReadOnlyList<ProposalView>> ListAsync(string? dao, ProposalState? state, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProposalView>>(Proposals.Where(p => state is null || p.State == state).OrderByDescending(p => p.Proposal.CreatedBlock).Take(limit).ToList());

    public Task<ProposalView> GetAsync(string? dao, string id, CancellationToken cancellationToken)
    {
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
        var normalized = GovernanceService.ParseAddress(address);
        return Task.FromResult(Voters.GetValueOrDefault(normalized) ?? new VoterView(normalized, BigInteger.Zero, null, BigInteger.Zero, []));
    }

    public Task<IReadOnlyList<DelegateRow>> DelegatesAsync(string? dao, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DelegateRow>>(Delegates.Take(limit).ToList());

    public Task<TreasurySnapshot?> TreasuryAsync(string? dao, CancellationToken cancellationToken) => Task.FromResult(Treasury);

    public Task<SimulationReport?> SimulateAsync(string? dao, string id, CancellationToken cancellationToken) => Task.FromResult<SimulationReport?>(null);

    public GovBot.Delegation.SignedDelegationLink? CreateDelegationLink(string? dao, string delegatee) => null;
}
