using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Digests;
using GovBot.Governance;
using GovBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GovBot.Tests.Digests;

/// <summary>
/// The digest services over a real temp SQLite file and a fake clock. The DAO's RPC points at a closed port: these
/// tests insert rows and never need the chain (a test that reached for it would fail loudly).
/// </summary>
public sealed class DigestTestServices : IDisposable
{
    public const string Dao = "testdao";
    private readonly TestDatabase _database = new();

    public DigestTestServices(DateTimeOffset start)
    {
        Time = new FakeTimeProvider(start);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={_database.Path};Pooling=False",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddStorage(configuration);
        services.AddChain([new DaoOptions
        {
            Name = Dao, ChainId = 31337, Rpc = "http://127.0.0.1:9",
            Governor = "0x" + new string('1', 40), Token = "0x" + new string('2', 40),
        }]);
        services.AddGovernance();
        services.AddDigests(configuration);
        services.AddSingleton<DigestScheduler>();
        Services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; }
    public ServiceProvider Services { get; }
    public SqliteDatabase Database => Services.GetRequiredService<SqliteDatabase>();
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static GovernorProfile Profile => new(31337, TimestampClock: true, GovernorCounting.Simple, HasQuorumOfTimepoint: true, "GOV", 18);

    public void Dispose()
    {
        Services.Dispose();
        _database.Dispose();
    }
}
