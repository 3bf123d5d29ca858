using GovBot.Configuration;
using GovBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GovBot.Tests;

/// <summary>A real SQLite file in a temp folder, deleted afterwards.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("govbot-test-").FullName;

    public TestDatabase()
    {
        Path = System.IO.Path.Combine(_folder, "govbot.db");
        Database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path};Pooling=False" }), NullLogger<SqliteDatabase>.Instance);
    }

    public string Path { get; }
    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle on some platforms; the temp folder is harmless.
        }
    }
}
