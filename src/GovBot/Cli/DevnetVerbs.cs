using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using GovBot.Chain.Devnet;
using GovBot.Chain;
using GovBot.Digests;
using Microsoft.AspNetCore.Builder;

namespace GovBot.Cli;

/// <summary>`devnet` and `demo`: a local anvil with GovBot's own seeded DAOs, and the bot on top of it, fully offline.</summary>
public static class DevnetVerbs
{
    public static async Task<int> DevnetAsync(CliArguments cli, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        await using var anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow), cancellationToken);
        var deployment = await DevnetSeeder.SeedAsync(anvil, cancellationToken: cancellationToken);
        if (cli.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new
            {
                rpc = deployment.Rpc.ToString(),
                chainId = deployment.ChainId,
                daos = deployment.Daos.Select(d => new { name = d.Name, rpc = d.Rpc, chainId = d.ChainId, governor = d.Governor, token = d.Token, timelock = d.Timelock, usdc = d.Usdc, startBlock = d.StartBlock, clock = d.ClockMode }),
                config = JsonSerializer.Deserialize<JsonElement>(DevnetConfig.Build(deployment.Daos, "govbot-devnet.db", "http://127.0.0.1:5080", RandomKey(), DevnetAccounts.PrivateKeys[9]).ToJsonString()),
            }, CliJson.Options));
        }
        else
        {
            await stdout.WriteLineAsync($"Devnet running at {deployment.Rpc} (chain {deployment.ChainId}); seeded in {deployment.SeedDuration.TotalSeconds:0.0} s.");
            foreach (var dao in deployment.Daos)
                await stdout.WriteLineAsync($"  {dao.Name,-13} governor {dao.Governor}  token {dao.Token}  timelock {dao.Timelock}  ({dao.ClockMode} clock, {dao.Proposals.Count} proposals)");
            await stdout.WriteLineAsync("Press Ctrl+C to stop.");
        }

        await stdout.FlushAsync(cancellationToken);
        await stderr.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stopping is the expected way out.
        }

        return 0;
    }

    public static async Task<int> DemoAsync(CliArguments cli, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        await stderr.WriteLineAsync("Starting a local devnet (anvil) and seeding GovBot's demo DAOs…");
        await using var anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow), cancellationToken);
        var deployment = await DevnetSeeder.SeedAsync(anvil, cancellationToken: cancellationToken);
        var folder = Directory.CreateTempSubdirectory("govbot-demo-").FullName;
        var webUrl = cli.Option("--urls") ?? $"http://127.0.0.1:{FreePort()}";
        var configPath = Path.Combine(folder, "appsettings.json");
        var config = DevnetConfig.Build(deployment.Daos, Path.Combine(folder, "govbot.db"), webUrl, RandomKey(), DevnetAccounts.PrivateKeys[9]);
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        await stderr.WriteLineAsync($"Devnet at {deployment.Rpc}; web at {webUrl}; data in {folder}.");

        try
        {
            var demo = cli with { ConfigFile = configPath };
            await using var app = GovBotHost.Build(demo, continuous: true, services: services => services.AddIndexerService().AddDigestServices(), consoleWhenNoChatSurface: true);

            // Index once before the console opens, so the first question already has answers.
            await GovBotCli.IndexAllAsync(app, demo, stderr, cancellationToken);
            await app.RunAsync(cancellationToken);
            return 0;
        }
        finally
        {
            // The demo's chain dies with it, so its database means nothing afterwards.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string RandomKey() => "base64:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
