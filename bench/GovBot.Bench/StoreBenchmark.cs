using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GovBot.Bench;

/// <summary>
/// IndexStore.WriteRangesAsync alone, on a real SQLite file: the indexer's write side without the node. Synthetic
/// ranges shaped like the indexer benchmark's busy ones (votes with reasons, delegate-votes changes, a proposal).
/// </summary>
public static class StoreBenchmark
{
    public static async Task RunAsync(string command, IReadOnlyList<string> args)
    {
        var total = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var results = new List<(int PerCommit, double Seconds)>();
        // The first pass warms the JIT and SQLite's native library; it is not reported.
        foreach (var perCommit in new[] { 100, 10, 100, 1_000, 10_000 })
            results.Add((perCommit, await WriteAsync(total, perCommit)));

        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"IndexStore.WriteRangesAsync on a fresh SQLite file (WAL, synchronous=NORMAL): {total} events (≈ 75 % votes, 24 % delegate-votes changes, 1 % proposals) in ranges of 100, committed so many events per transaction. The indexer commits every range it has ready, up to 10,000 events.")
            .AppendLine()
            .AppendLine("| events per commit | seconds | events/s | µs per event |")
            .AppendLine("|---|---|---|---|");
        foreach (var (perCommit, seconds) in results.Skip(1))
            body.AppendLine(CultureInfo.InvariantCulture, $"| {perCommit} | {seconds:0.000} | {total / seconds:0} | {seconds * 1e6 / total:0.0} |");
        await BenchResults.WriteAsync("store", command, body.ToString());
    }

    private static async Task<double> WriteAsync(int total, int perCommit)
    {
        const int PerRange = 100;
        var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
        try
        {
            var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "govbot.db")}" }), NullLogger<SqliteDatabase>.Instance);
            var store = new IndexStore(database, TimeProvider.System);
            await store.GetCursorAsync("bench", CancellationToken.None); // migrations, outside the timing
            var ranges = Enumerable.Range(0, total / PerRange).Select(r => Range(r, PerRange)).ToList();
            var commits = ranges.Chunk(Math.Max(1, perCommit / PerRange)).ToList();
            if (perCommit < PerRange)
                commits = ranges.SelectMany(r => r.Events.Chunk(perCommit).Select((events, i) => new IndexedRange(events, new Dictionary<long, long>(), new StoredBlock(r.End.Number - PerRange + (i + 1) * perCommit, r.End.Hash), 1_700_000_000)))
                    .Chunk(1).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var commit in commits)
                await store.WriteRangesAsync("bench", commit, CancellationToken.None);
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IndexedRange Range(int range, int count)
    {
        var events = new List<GovernanceEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var block = range * 1000L + i;
            var hash = "0x" + block.ToString("x64", CultureInfo.InvariantCulture);
            var tx = "0x" + (block * 7).ToString("x64", CultureInfo.InvariantCulture);
            var voter = "0x" + (i % 28).ToString("x40", CultureInfo.InvariantCulture);
            var proposal = (range * 1_000_003L + i / 25).ToString(CultureInfo.InvariantCulture);
            events.Add((i % 100) switch
            {
                0 => new ProposalCreated(block, hash, tx, 0, proposal, voter, [new("0x" + new string('a', 40), "0", "", "0xa9059cbb" + new string('0', 128))], "100", "200", $"# Benchmark proposal {range}\n\n## Summary\nPays a contributor.\n"),
                < 76 => new VoteCast(block, hash, tx, 1, proposal, voter, i % 3, "10000000000000000000000", i % 5 == 0 ? "benchmark reason" : "", null),
                _ => new DelegateVotesChanged(block, hash, tx, 2, voter, "10000000000000000000000", "20000000000000000000000"),
            });
        }

        return new IndexedRange(events, new Dictionary<long, long>(), new StoredBlock(range * 1000L + 999, "0x" + (range * 1000L + 999).ToString("x64", CultureInfo.InvariantCulture)), 1_700_000_000);
    }
}
