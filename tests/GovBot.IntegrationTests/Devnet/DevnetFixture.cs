using GovBot.Chain.Devnet;

namespace GovBot.IntegrationTests.Devnet;

[CollectionDefinition(Name)]
public sealed class DevnetCollection : ICollectionFixture<DevnetFixture>
{
    public const string Name = "devnet";
}

/// <summary>One anvil, seeded once, shared by every test in the "devnet" collection. Tests that move the chain should snapshot and revert.</summary>
public sealed class DevnetFixture : IAsyncLifetime
{
    private AnvilProcess? _anvil;
    private DevnetDeployment? _deployment;

    public AnvilProcess Anvil => _anvil ?? throw new InvalidOperationException("DevnetFixture is not initialized");
    public DevnetDeployment Deployment => _deployment ?? throw new InvalidOperationException("DevnetFixture is not initialized");
    public ContractArtifacts Artifacts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Artifacts = await ContractArtifacts.LoadAsync(timeout.Token);
        _anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow), timeout.Token);
        _deployment = await new DevnetSeeder(_anvil.RpcUrl, Artifacts).SeedAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_anvil is not null)
            await _anvil.DisposeAsync();
    }
}
