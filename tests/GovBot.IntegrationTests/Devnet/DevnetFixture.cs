using GovBot.Chain.Devnet;

namespace GovBot.IntegrationTests.Devnet;

[CollectionDefinition(Name)]
public sealed class DevnetCollection : ICollectionFixture<DevnetFixture>
{
    public const string Name = "devnet";
}

/// <summary>
/// A chain the tests in one collection may change (reorgs, executions, time travel): its own anvil, so the shared
/// "devnet" collection's proposal states and voting power stay as seeded.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MutableDevnetCollection : ICollectionFixture<MutableDevnetFixture>
{
    public const string Name = "devnet-mutable";
}

public sealed class MutableDevnetFixture : DevnetFixture;

/// <summary>One anvil, seeded once, shared by every test in the "devnet" collection. Tests there must leave proposal states and voting power as seeded.</summary>
public class DevnetFixture : IAsyncLifetime
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
