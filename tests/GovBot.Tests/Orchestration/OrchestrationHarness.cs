using GovBot.Configuration;
using GovBot.Orchestration;
using GovBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GovBot.Tests.Orchestration;

/// <summary>AddOrchestration as the host wires it, over a temp SQLite file and in-memory governance data.</summary>
public sealed class OrchestrationHarness : IDisposable
{
    private readonly TestDatabase _database = new();

    public OrchestrationHarness(IDictionary<string, string?>? llm = null, InMemoryGovernanceData? data = null)
    {
        Data = data ?? new InMemoryGovernanceData();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(llm ?? new Dictionary<string, string?> { ["Llm:Provider"] = "None" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_database.Database);
        services.AddSingleton<IGovernanceData>(Data);
        services.AddOrchestration(configuration);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        // What ValidateOnStart does in the host.
        _ = Services.GetRequiredService<IOptions<LlmOptions>>().Value;
    }

    public InMemoryGovernanceData Data { get; }
    public ServiceProvider Services { get; }
    public AskService Ask => Services.GetRequiredService<AskService>();
    public ProposalSummarizer Summaries => Services.GetRequiredService<ProposalSummarizer>();
    public SqliteDatabase Database => _database.Database;

    public void Dispose()
    {
        Services.Dispose();
        _database.Dispose();
    }
}
