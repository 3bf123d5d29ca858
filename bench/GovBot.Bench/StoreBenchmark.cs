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
/// IndexStore.WriteRangeAsync alone, on a real SQLite file: the indexer's write side without the node. Synthetic
/// ranges shaped like the indexer benchmark's busy ones (votes with reasons, delegate-votes changes, a proposal).
/// </summary>
public static class StoreBenchmark
{
    public static async Task RunAsync(string command, IReadOnlyList<string> args)
    {
        var ranges = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var PerRange = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var results = new List<(string Run, double Seconds, int Rows)>();
        foreach (var run in new[] { "cold (first process run)", "warm 1", "warm 2" })
        {
            var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
            var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "govbot.db")}" }), NullLogger<SqliteDatabase>.Instance);
            var store = new IndexStore(database, TimeProvider.System);
            await store.GetCursorAsync("bench", CancellationToken.None); // migrations, outside the timing
            var data = Enumerable.Range(0, ranges).Select(r => Range(r, PerRange)).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var (events, end) in data)
                await store.WriteRangeAsync("bench", events, new Dictionary<long, long>(), end, 1_700_000_000, CancellationToken.None);
            clock.Stop();
            results.Add((run, clock.Elapsed.TotalSeconds, ranges * PerRange));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"IndexStore.WriteRangeAsync on a SQLite file (WAL, synchronous=NORMAL): {ranges} ranges of {PerRange} events (≈ 75 % votes, 24 % delegate-votes changes, 1 % proposals), one transaction per range.")
            .AppendLine()
            .AppendLine("| run | seconds | events/s | µs per event |")
            .AppendLine("|---|---|---|---|");
        foreach (var (run, seconds, rows) in results)
            body.AppendLine(CultureInfo.InvariantCulture, $"| {run} | {seconds:0.000} | {rows / seconds:0} | {seconds * 1e6 / rows:0.0} |");
        await BenchResults.WriteAsync("store", command, body.ToString());
    }

    private static (List<GovernanceEvent> Events, StoredBlock End) Range(int range, int count)
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

        return (events, new StoredBlock(range * 1000L + 999, "0x" + (range * 1000L + 999).ToString("x64", CultureInfo.InvariantCulture)));
    }
}
