using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace GovBot.IntegrationTests.Chain;

/// <summary>Every indexed row of a SQLite file, as sorted text lines, so two runs can be compared exactly.</summary>
public static class DatabaseDump
{
    public static readonly string[] AllTables = ["index_cursor", "indexed_blocks", "proposals", "proposal_events", "votes", "delegate_changes", "delegate_votes"];

    /// <summary>What was indexed, without the bookkeeping whose shape depends on how the ranges happened to fall.</summary>
    public static readonly string[] EventTables = ["index_cursor", "proposals", "proposal_events", "votes", "delegate_changes", "delegate_votes"];

    public static async Task<string> DumpAsync(string path, bool includeCursorTimes = false, string[]? tables = null)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        var builder = new StringBuilder();
        foreach (var table in tables ?? AllTables)
        {
            var rows = (await connection.QueryAsync($"SELECT * FROM {table}")).Cast<IDictionary<string, object?>>()
                .Select(r => string.Join('|', r.Where(kv => includeCursorTimes || kv.Key != "updated_at").Select(kv => $"{kv.Key}={kv.Value}")))
                .Order(StringComparer.Ordinal);
            builder.Append("## ").AppendLine(table);
            foreach (var row in rows)
                builder.AppendLine(row);
        }

        return builder.ToString();
    }
}
