using System.Globalization;
using System.Numerics;
using System.Text.Json;
using GovBot.Governance;
using GovBot.Tests.Orchestration;
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
/// The tests' in-memory governance data, filled for the bench: the ENS DAO with the corpus proposals as ids 1..N, a
/// treasury, delegates and votes. No chain, so latencies exclude RPC and SQLite index reads.
/// </summary>
public static class BenchGovernanceData
{
    public const string Voter = "0x983110309620d911731ac0932219af06091b6744";
    private static readonly BigInteger Ens = InMemoryGovernanceData.Ens;
    private static readonly ProposalState[] States =
        [ProposalState.Executed, ProposalState.Executed, ProposalState.Defeated, ProposalState.Active, ProposalState.Queued, ProposalState.Pending, ProposalState.Succeeded, ProposalState.Canceled];

    public static InMemoryGovernanceData Create(IReadOnlyList<CorpusProposal> corpus)
    {
        var data = new InMemoryGovernanceData();
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < corpus.Count; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            var block = 20_000_000L + i * 10_000;
            data.Add(id, corpus[i].Description, corpus[i].Actions, States[i % States.Length], block, created.AddDays(i), created.AddDays(i + 8));
            data.Votes[id] = Enumerable.Range(0, 50)
                .Select(v => new VoteRecord(id, v == 0 ? Voter : "0x" + (v + 1000).ToString("x40", CultureInfo.InvariantCulture), (VoteSupport)(v % 3), (v + 1) * 1000 * Ens, v % 5 == 0 ? "I support this." : "", block + 7300 + v, "0x" + new string('b', 64)))
                .ToList();
        }

        data.Voters[Voter] = new VoterView(Voter, 250_000 * Ens, Voter, 10_000 * Ens, data.Proposals.Take(8).Select(p => (data.Votes[p.Id][0], p.Title)).ToList());
        data.Delegates.AddRange(Enumerable.Range(0, 25).Select(i => new DelegateRow("0x" + (i + 5000).ToString("x40", CultureInfo.InvariantCulture), (1_000_000 - i * 30_000) * Ens, 100 - i)));
        data.Treasury = new TreasurySnapshot("ens", data.IndexedBlock, [InMemoryGovernanceData.Timelock],
        [
            new TreasuryBalance(InMemoryGovernanceData.Timelock, TreasuryService.Ether, "ETH", 18, BigInteger.Parse("1500000000000000000000", CultureInfo.InvariantCulture)),
            new TreasuryBalance(InMemoryGovernanceData.Timelock, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", 6, 12_345_678_900),
        ]);
        return data;
    }
}
