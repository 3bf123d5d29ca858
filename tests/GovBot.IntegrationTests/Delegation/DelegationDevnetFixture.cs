using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Delegation;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace GovBot.IntegrationTests.Delegation;

[CollectionDefinition(Name)]
public sealed class DelegationDevnetCollection : ICollectionFixture<DelegationDevnetFixture>
{
    public const string Name = "delegation-devnet";
}

/// <summary>
/// An anvil of its own, seeded like the shared one. Relaying moves voting power, and the shared "devnet" collection
/// asserts the seeded power (the delegates leaderboard), so delegation tests must never touch that chain.
/// </summary>
public sealed class DelegationDevnetFixture : IAsyncLifetime
{
    private AnvilProcess? _anvil;
    private DevnetDeployment? _deployment;

    public AnvilProcess Anvil => _anvil ?? throw new InvalidOperationException("DelegationDevnetFixture is not initialized");
    public DevnetDeployment Deployment => _deployment ?? throw new InvalidOperationException("DelegationDevnetFixture is not initialized");
    public DevnetDao Dao => Deployment.Dao(DevnetSeeder.BlockDao);
    public Web3 Web3 { get; private set; } = null!;
    public TimeSpan SeedTime { get; private set; }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var artifacts = await ContractArtifacts.LoadAsync(timeout.Token);
        _anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow), timeout.Token);
        var started = System.Diagnostics.Stopwatch.StartNew();
        _deployment = await new DevnetSeeder(_anvil.RpcUrl, artifacts).SeedAsync(timeout.Token);
        SeedTime = started.Elapsed;
        Web3 = new Web3(_anvil.RpcUrl.ToString());
    }

    public async Task DisposeAsync()
    {
        if (_anvil is not null)
            await _anvil.DisposeAsync();
    }

    public static string Address(int account) => DevnetAccounts.Addresses[account].ToLowerInvariant();

    public async Task<string> DelegatesAsync(string holder) =>
        (await Web3.Eth.GetContractQueryHandler<DelegatesFunction>().QueryAsync<string>(Dao.Token, new DelegatesFunction { Account = holder })).ToLowerInvariant();

    /// <summary>The relayer's pending nonce: unchanged means the server sent nothing.</summary>
    public async Task<BigInteger> RelayerNonceAsync() =>
        (await Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(DevnetAccounts.Addresses[9], BlockParameter.CreatePending())).Value;

    public async Task<TransactionReceipt> WaitForReceiptAsync(string txHash, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var receipt = await Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(txHash);
            if (receipt is not null)
                return receipt;
            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>
    /// GovBot's real host (GovBotHost.Build), listening on a free loopback port, with PublicBaseUrl equal to the bound
    /// address so the links it issues point at itself. The delegation DAOs are indexed once before it is returned.
    /// </summary>
    /// <summary>A relay request body signed over the DAO's domain read from the chain, as the page would post it.</summary>
    public static async Task<string> SignedRelayBodyAsync(RunningGovBot bot, int claimedDelegator, int signer, string delegatee)
    {
        var registry = bot.Services.GetRequiredService<DaoRegistry>();
        var delegator = DelegationDevnetFixture.Address(claimedDelegator);
        var facts = await bot.Services.GetRequiredService<DelegationChainReader>().ReadAsync(registry.Default, delegator, CancellationToken.None);
        var expiry = new BigInteger(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        var message = new DelegationMessage(delegatee, facts.DelegatorNonce, expiry);
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(DelegationTypedData.ToJson(facts.Domain, message), new EthECKey(DevnetAccounts.PrivateKeys[signer]));
        return new JsonObject
        {
            ["delegator"] = delegator,
            ["nonce"] = facts.DelegatorNonce.ToString(),
            ["expiry"] = expiry.ToString(),
            ["signature"] = signature,
        }.ToJsonString();
    }

    public async Task<RunningGovBot> StartGovBotAsync(Action<JsonObject>? edit = null, IEnumerable<DevnetDao>? daos = null, bool index = true,
        Action<IServiceCollection>? services = null)
    {
        var baseUrl = $"http://127.0.0.1:{FreeLoopbackPort()}";
        var host = GovBotTestHost.Create(daos ?? [Dao], config =>
        {
            config["Web"]!["Urls"] = baseUrl;
            config["Web"]!["PublicBaseUrl"] = baseUrl;
            edit?.Invoke(config);
        }, services: services);
        try
        {
            await host.App.StartAsync();
            var registry = host.Services.GetRequiredService<DaoRegistry>();
            var indexer = host.Services.GetRequiredService<ProposalIndexer>();
            foreach (var dao in index ? registry.All : [])
                await indexer.CatchUpAsync(dao, null, CancellationToken.None);
            return new RunningGovBot(host, new Uri(baseUrl));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class RunningGovBot(GovBotTestHost host, Uri baseUrl) : IAsyncDisposable
{
    public GovBotTestHost Host { get; } = host;
    public Uri BaseUrl { get; } = baseUrl;
    public IServiceProvider Services => Host.Services;

    public async ValueTask DisposeAsync()
    {
        await Host.App.StopAsync();
        await Host.DisposeAsync();
    }
}
