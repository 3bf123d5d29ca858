using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain.Devnet;
using GovBot.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests;

/// <summary>
/// Builds GovBot exactly as the CLI does (GovBotHost.Build with a --config file), pointed at the devnet and a fresh
/// SQLite file in a temp folder.
/// </summary>
public sealed class GovBotTestHost : IAsyncDisposable
{
    private GovBotTestHost(string folder, string configPath, WebApplication app)
    {
        Folder = folder;
        ConfigPath = configPath;
        App = app;
    }

    public string Folder { get; }
    public string ConfigPath { get; }
    public string DatabasePath => Path.Combine(Folder, "govbot.db");
    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;

    public static GovBotTestHost Create(IEnumerable<DevnetDao> daos, Action<JsonObject>? edit = null, string? rpcOverride = null, string? folder = null,
        Action<IServiceCollection>? services = null)
    {
        folder ??= Directory.CreateTempSubdirectory("govbot-it-").FullName;
        var config = Config(daos, Path.Combine(folder, "govbot.db"), rpcOverride);
        edit?.Invoke(config);
        var configPath = Path.Combine(folder, "appsettings.json");
        File.WriteAllText(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var app = GovBotHost.Build(CliArguments.Parse(["--config", configPath]), continuous: false, services: services);
        return new GovBotTestHost(folder, configPath, app);
    }

    public const string LinkSigningKey = "integration-tests-link-signing-key-0123456789abcdef";

    public static JsonObject Config(IEnumerable<DevnetDao> daos, string databasePath, string? rpcOverride = null)
    {
        // A free port, not a fixed one: collections run in parallel, and so may other test runs on this machine.
        var config = DevnetConfig.Build(daos, databasePath, $"http://127.0.0.1:{FreeLoopbackPort()}", LinkSigningKey, DevnetAccounts.PrivateKeys[9], rpcOverride);
        foreach (var dao in config["Daos"]!.AsArray())
            dao!["PollIntervalSeconds"] = 0.2;
        return config;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        // Pooled connections keep the file open; release them so the temp folder can go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL on a slow dispose; a temp folder left behind is harmless.
        }
    }
}
