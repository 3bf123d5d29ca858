using System.Diagnostics;
using System.Numerics;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Cli;
using GovBot.Treasury;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.Bench;

/// <summary>Latency of /simulate for a 10-action proposal (5 ETH and 5 USDC transfers) on anvil, end to end through TreasurySimulator.</summary>
public static class SimulationBenchmark
{
    public static async Task RunAsync(string command, IReadOnlyList<string> args)
    {
        var runs = args.Count > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        await using var anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow));
        var deployment = await DevnetSeeder.SeedAsync(anvil);
        var dao = deployment.Dao(DevnetSeeder.BlockDao);
        var governance = new DevnetGovernance(anvil.RpcUrl, await ContractArtifacts.LoadAsync(), dao);
        var calls = Enumerable.Range(1, 5)
            .SelectMany(i => new[]
            {
                DevnetGovernance.EthTransfer(DevnetAccounts.Addresses[i], BigInteger.Pow(10, 17) * i),
                governance.UsdcTransfer(DevnetAccounts.Addresses[i], 1_000_000 * i),
            })
            .ToList();
        var id = await governance.ProposeAsync(calls, "# Ten payments\n\nFive ETH and five USDC transfers, for the simulation benchmark.\n", DevnetAccounts.Addresses[1]);

        var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
        var config = DevnetConfig.Build([dao], Path.Combine(folder, "govbot.db"), "http://127.0.0.1:5080", "bench-link-signing-key-0123456789abcdef0123", null);
        var configPath = Path.Combine(folder, "appsettings.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        await using (var app = GovBotHost.Build(CliArguments.Parse(["--config", configPath]), continuous: false))
        {
            await app.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(app.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
            var simulator = app.Services.GetRequiredService<TreasurySimulator>();
            var first = await simulator.SimulateAsync(null, id, CancellationToken.None);
            if (first.Actions.Count != 10 || first.WouldRevert)
                throw new InvalidOperationException("the benchmark proposal should simulate 10 successful actions");
            for (var i = 0; i < 10; i++)
                await simulator.SimulateAsync(null, id, CancellationToken.None);

            var latencies = new List<double>();
            var rpc = app.Services.GetRequiredService<DaoRegistry>().Default.Rpc;
            var before = rpc.RequestCount;
            for (var i = 0; i < runs; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                await simulator.SimulateAsync(null, id, CancellationToken.None);
                latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            var requestsPerRun = (rpc.RequestCount - before) / (double)runs;
            latencies.Sort();
            await BenchResults.WriteAsync("simulation", command, $"""
                `TreasurySimulator.SimulateAsync` on anvil for a 10-action proposal (5 ETH + 5 USDC transfers from the timelock): eth_simulateV1 with traceTransfers, then balances before (one batch), token metadata and eth_getCode of the targets, and the risk assessment. {runs} runs after 10 warm-up runs.

                | actions | runs | p50 ms | p90 ms | p99 ms | max ms | RPC requests per simulation | balance deltas reported |
                |---|---|---|---|---|---|---|---|
                | 10 | {runs} | {BenchResults.Percentile(latencies, 50)} | {BenchResults.Percentile(latencies, 90)} | {BenchResults.Percentile(latencies, 99)} | {latencies[^1]:0.00} | {requestsPerRun:0.0} | {first.Deltas.Count} |

                """);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
