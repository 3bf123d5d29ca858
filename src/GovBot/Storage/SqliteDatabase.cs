using System.Reflection;
using Dapper;
using GovBot.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovBot.Storage;

/// <summary>
/// Opens SQLite connections with the settings GovBot relies on (WAL, foreign keys, busy timeout)
/// and applies the embedded *.sql migrations in order, each in its own transaction.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private bool _migrated;

    // A shared in-memory database must be kept alive by one open connection for as long as the process runs.
    private SqliteConnection? _keepAlive;

    public SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase> logger)
    {
        _connectionString = options.Value.ConnectionString;
        _logger = logger;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
            return;
        await _migrateLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
                return;
            if (IsSharedMemory(_connectionString))
                _keepAlive = await OpenRawAsync(cancellationToken);
            await using var connection = await OpenRawAsync(cancellationToken);
            await MigrateAsync(connection, cancellationToken);
            _migrated = true;
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            cancellationToken: cancellationToken));
        return connection;
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
            cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);

        foreach (var (name, sql) in LoadMigrations())
        {
            if (applied.Contains(name))
                continue;
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (@name, @at)",
                new { name, at = DateTimeOffset.UtcNow.ToString("O") }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            _logger.LogInformation("Applied migration {Migration}", name);
        }
    }

    internal static IEnumerable<(string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        const string prefix = "GovBot.Storage.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource[prefix.Length..], reader.ReadToEnd());
        }
    }

    private static bool IsSharedMemory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory;
    }
}
