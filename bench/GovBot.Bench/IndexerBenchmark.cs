using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using GovBot.Chain.Devnet;

namespace GovBot.Bench;

/// <summary>
/// Catch-up of a governor with ≥ 200 proposals and ≥ 5,000 votes on anvil: GovBot's `index` (a child process, so its
/// peak memory is its own) against a plain viem getLogs loop over the same range and filter, in the same run.
/// </summary>
public static class IndexerBenchmark
{
    private const int Proposals = 200;
    private const int VotesPerProposal = 25;
    private const int Runs = 3;

    public static async Task RunAsync(string command, IReadOnlyList<string> args)
    {
        var root = Path.GetFullPath(Path.Combine(BenchResults.Folder, "..", ".."));
        var govbot = Path.Combine(root, "src", "GovBot", "bin", "Release", "net10.0", "govbot.dll");
        if (!File.Exists(govbot))
            throw new InvalidOperationException($"build GovBot in Release first: {govbot} is missing");
        var viem = Path.Combine(root, "bench", "viem");
        if (!Directory.Exists(Path.Combine(viem, "node_modules")))
            throw new InvalidOperationException("run `npm ci` in bench/viem first");

        var anvilOptions = DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow);
        await using var anvil = await AnvilProcess.StartAsync(anvilOptions with { ExtraArgs = [.. anvilOptions.ExtraArgs!, "--accounts", "32"] });
        var deployment = await DevnetSeeder.SeedAsync(anvil);
        var dao = deployment.Dao(DevnetSeeder.TimestampDao);
        var seedWatch = Stopwatch.StartNew();
        var (votes, voters) = await SeedLoadAsync(anvil, dao);
        Console.WriteLine($"seeded {Proposals} proposals and {votes} votes from {voters} voters in {seedWatch.Elapsed.TotalSeconds:0.0} s");
        var head = await new DevnetChain(anvil.RpcUrl).BlockNumberAsync();
        var blocks = head - dao.StartBlock + 1;
        if (args.Contains("--hold"))
        {
            await HoldAsync(dao, args.Where(a => a != "--hold").ToList());
            return;
        }

        // GovBot as it is deployed (a ReadyToRun publish: its own and its packages' code precompiled) and as `dotnet
        // build` leaves it (everything JIT-compiled at start); viem as its script runs. Each measured three times, median.
        var published = Directory.CreateTempSubdirectory("govbot-bench-r2r-").FullName;
        await TimedAsync("dotnet", ["publish", Path.Combine(root, "src", "GovBot"), "-c", "Release", "-p:PublishReadyToRun=true", "-o", published], root);
        var builds = new[] { ("R2R", Path.Combine(published, "govbot.dll")), ("JIT", govbot) };

        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Chain: anvil, DAO `{dao.Name}` (OpenZeppelin 5 Governor, timestamp clock), blocks {dao.StartBlock}–{head} ({blocks} blocks), {Proposals + dao.Proposals.Count} proposals, {votes + 20} votes, {voters} voters. Every time is the median of {Runs} runs.")
            .AppendLine()
            .AppendLine("| range size | min ranges | GovBot requests | ratio to min | GovBot catch-up s (R2R / JIT) | viem loop s | catch-up ÷ viem loop | GovBot process s (R2R / JIT) | viem process s | process ÷ viem process | peak RSS MiB (GovBot R2R / viem) |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var range in args.Count > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)) : [100, 500, 2000])
        {
            var minRanges = (blocks + range - 1) / range;
            var runs = new Dictionary<string, List<(double CatchUp, double Wall, long Rss, long Requests)>> { ["R2R"] = [], ["JIT"] = [], ["viem"] = [] };
            for (var run = 0; run < Runs; run++)
            {
                foreach (var (name, dll) in builds)
                {
                    var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
                    var config = DevnetConfig.Build([dao], Path.Combine(folder, "govbot.db"), "http://127.0.0.1:5080", "bench-link-signing-key-0123456789abcdef0123", null);
                    config["Daos"]![0]!["MaxBlockRange"] = range;
                    var configPath = Path.Combine(folder, "appsettings.json");
                    await File.WriteAllTextAsync(configPath, config.ToJsonString());
                    var (output, rss, seconds) = await TimedAsync("dotnet", [dll, "index", "--json", "--config", configPath], root);
                    using var result = JsonDocument.Parse(output);
                    var r = result.RootElement[0];
                    runs[name].Add((r.GetProperty("seconds").GetDouble(), seconds, rss, r.GetProperty("rpcRequests").GetInt64()));
                    Directory.Delete(folder, recursive: true);
                }

                var (viemOut, viemRss, viemSeconds) = await TimedAsync("node", ["index-logs.mjs", anvil.RpcUrl.ToString(), dao.Governor, dao.Token, dao.StartBlock.ToString(CultureInfo.InvariantCulture), head.ToString(CultureInfo.InvariantCulture), range.ToString(CultureInfo.InvariantCulture)], viem);
                using var v = JsonDocument.Parse(viemOut.Trim().Split('\n')[^1]);
                runs["viem"].Add((v.RootElement.GetProperty("seconds").GetDouble(), viemSeconds, viemRss, v.RootElement.GetProperty("requests").GetInt64()));
            }

            double Median(string name, Func<(double CatchUp, double Wall, long Rss, long Requests), double> pick) =>
                runs[name].Select(pick).Order().ElementAt(Runs / 2);
            var requests = runs["R2R"].Max(x => x.Requests);
            var (catchUp, catchUpJit, viemLoop) = (Median("R2R", x => x.CatchUp), Median("JIT", x => x.CatchUp), Median("viem", x => x.CatchUp));
            var (wall, wallJit, viemWall) = (Median("R2R", x => x.Wall), Median("JIT", x => x.Wall), Median("viem", x => x.Wall));
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {range} | {minRanges} | {requests} | {(double)requests / minRanges:0.00} | {catchUp:0.000} / {catchUpJit:0.000} | {viemLoop:0.000} | {catchUp / viemLoop:0.00} / {catchUpJit / viemLoop:0.00} | {wall:0.00} / {wallJit:0.00} | {viemWall:0.00} | {wall / viemWall:0.00} / {wallJit / viemWall:0.00} | {Median("R2R", x => x.Rss) / 1024:0} / {Median("viem", x => x.Rss) / 1024:0} |");
        }

        Directory.Delete(published, recursive: true);
        table.AppendLine()
            .AppendLine("GovBot's requests are all of its HTTP requests to the node: the first carries the probe (chain id, code, clock, counting mode), the head and the first range; every other is one range (a JSON-RPC batch of eth_getLogs and the range end's header, whose hash is the reorg cursor). GovBot also decodes every event and writes it with its cursor to SQLite (a fresh file: its creation and migrations are inside the time); viem only decodes in memory.")
            .AppendLine()
            .AppendLine("\"Catch-up s\" is the `index` verb's own timing, from the host built to the last commit; \"viem loop s\" is the script's own timing of its getLogs loop, after its imports. \"Process s\" is each program's wall time from launch to exit under /usr/bin/time, which also counts .NET's and Node's start-up. R2R is `dotnet publish -c Release -p:PublishReadyToRun=true`, as GovBot would be deployed; JIT is the plain Release build. Peak RSS is /usr/bin/time's maximum resident set size.");
        await BenchResults.WriteAsync("indexer", command, table.ToString());
    }

    /// <summary>
    /// For profiling: keeps the seeded node up and writes a config per range size to bench/results/../hold/, so
    /// `govbot index --config …` can be run against it again and again; ends when stdin closes.
    /// </summary>
    private static async Task HoldAsync(DevnetDao dao, IReadOnlyList<string> ranges)
    {
        var folder = Directory.CreateTempSubdirectory("govbot-bench-hold-").FullName;
        foreach (var range in ranges.Count > 0 ? ranges.Select(a => int.Parse(a, CultureInfo.InvariantCulture)) : [100, 500, 2000])
        {
            var config = DevnetConfig.Build([dao], Path.Combine(folder, $"govbot-{range}.db"), "http://127.0.0.1:5080", "bench-link-signing-key-0123456789abcdef0123", null);
            config["Daos"]![0]!["MaxBlockRange"] = range;
            var path = Path.Combine(folder, $"appsettings-{range}.json");
            await File.WriteAllTextAsync(path, config.ToJsonString());
            Console.WriteLine($"config for range {range}: {path} (delete its govbot-{range}.db* between runs)");
        }

        Console.WriteLine($"holding the node for governor {dao.Governor}; close stdin to stop");
        await Console.In.ReadToEndAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>200 proposals and 25 votes on each, from 28 voting accounts, on the timestamp governor (block count does not end the vote).</summary>
    private static async Task<(int Votes, int Voters)> SeedLoadAsync(AnvilProcess anvil, DevnetDao dao)
    {
        var artifacts = await ContractArtifacts.LoadAsync();
        var governance = new DevnetGovernance(anvil.RpcUrl, artifacts, dao);
        var accounts = await governance.Web3.Eth.Accounts.SendRequestAsync();
        var extra = accounts.Skip(10).Take(22).ToList();
        foreach (var account in extra)
            await governance.GiveVotesAsync(account, 10_000 * BigInteger.Pow(10, 18));
        var voters = new[] { 0, 1, 3, 5 }.Select(i => DevnetAccounts.Addresses[i]).Concat(extra).ToList();

        var ids = new List<string>();
        for (var i = 0; i < Proposals; i++)
        {
            var description = $"# Benchmark proposal {i + 1}\n\n## Summary\nPays contributor {i + 1} for work on the indexer benchmark.\n";
            ids.Add(await governance.ProposeAsync([governance.UsdcTransfer(DevnetAccounts.Addresses[9], 1_000 + i)], description, DevnetAccounts.Addresses[1]));
        }

        await new DevnetChain(anvil.RpcUrl).IncreaseTimeAsync(dao.VotingDelay + 1);
        var votes = 0;
        // One sequential stream per voter (anvil assigns nonces per account), voters in parallel.
        await Parallel.ForEachAsync(voters.Take(VotesPerProposal).Select((voter, index) => (voter, index)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            foreach (var id in ids)
            {
                await governance.VoteAsync(id, (byte)((item.index + id.Length) % 3), item.voter, item.index % 5 == 0 ? "benchmark reason" : null, ct);
                Interlocked.Increment(ref votes);
            }
        });
        return (votes, voters.Count);
    }

    /// <summary>Runs a process under /usr/bin/time; returns stdout, peak RSS in KiB and wall seconds.</summary>
    private static async Task<(string Stdout, long PeakRssKib, double Seconds)> TimedAsync(string program, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "GOVBOT_TIME %M %e", program }.Concat(arguments))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var err = await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {err}");
        var line = err.Split('\n').Last(l => l.StartsWith("GOVBOT_TIME ", StringComparison.Ordinal)).Split(' ');
        return (await stdout, long.Parse(line[1], CultureInfo.InvariantCulture), double.Parse(line[2], CultureInfo.InvariantCulture));
    }
}
