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
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    /// <param name="promptsDirectory">prompts/ to load instead of the repo's (a test's edited copy).</param>
    /// <param name="database">A database another harness also uses (not disposed here): the same cache across a restart.</param>
    public OrchestrationHarness(IDictionary<string, string?>? llm = null, InMemoryGovernanceData? data = null, string? promptsDirectory = null, TestDatabase? database = null)
    {
        _ownsDatabase = database is null;
        _database = database ?? new TestDatabase();
        Data = data ?? new InMemoryGovernanceData();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(llm ?? new Dictionary<string, string?> { ["Llm:Provider"] = "None" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_database.Database);
        services.AddSingleton<IGovernanceData>(Data);
        services.AddOrchestration(configuration, promptsDirectory);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        // What ValidateOnStart does in the host.
        _ = Services.GetRequiredService<IOptions<LlmOptions>>().Value;
    }

    public InMemoryGovernanceData Data { get; }
    public ServiceProvider Services { get; }
    public AskService Ask => Services.GetRequiredService<AskService>();
    public ProposalSummarizer Summaries => Services.GetRequiredService<ProposalSummarizer>();
    public SqliteDatabase Database => _database.Database;
    public global::GovBot.Digests.DigestWriter Digests => Services.GetRequiredService<global::GovBot.Digests.DigestWriter>();

    public void Dispose()
    {
        Services.Dispose();
        if (_ownsDatabase)
            _database.Dispose();
    }
}
