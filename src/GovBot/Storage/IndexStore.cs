using System.Data;
using System.Text.Json;
using Dapper;
using GovBot.Chain;
using GovBot.Governance;
using Microsoft.Data.Sqlite;

namespace GovBot.Storage;

public sealed record IndexCursor(long Block, string BlockHash);

public sealed record StoredBlock(long Number, string Hash);

/// <summary>One indexed block range: its decoded events, the timestamps of the blocks that created proposals, and its last block.</summary>
public sealed record IndexedRange(IReadOnlyList<GovernanceEvent> Events, IReadOnlyDictionary<long, long> BlockTimestamps, StoredBlock End, long EndTimestamp);

/// <summary>
/// Writes indexed block ranges. A range's events, its block hashes and the advanced cursor go in one transaction,
/// so a crash at any point leaves either the whole range or none of it.
/// </summary>
public sealed class IndexStore(SqliteDatabase database, TimeProvider time)
{
    public async Task<IndexCursor?> GetCursorAsync(string dao, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<IndexCursor>(new CommandDefinition(
            "SELECT block AS Block, block_hash AS BlockHash FROM index_cursor WHERE dao = @dao", new { dao }, cancellationToken: cancellationToken));
    }

    /// <summary>Stored block hashes at or below <paramref name="atOrBelow"/>, newest first: the candidates for a common ancestor.</summary>
    public async Task<IReadOnlyList<StoredBlock>> GetStoredBlocksAsync(string dao, long atOrBelow, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredBlock>(new CommandDefinition(
            "SELECT number AS Number, hash AS Hash FROM indexed_blocks WHERE dao = @dao AND number <= @atOrBelow ORDER BY number DESC LIMIT @limit",
            new { dao, atOrBelow, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Consecutive ranges in one transaction, the cursor left at the last one's end. The indexer groups the ranges it
    /// has ready: a commit costs more than a hundred rows, so fewer, larger commits are what make a catch-up fast.
    /// </summary>
    public async Task WriteRangesAsync(string dao, IReadOnlyList<IndexedRange> ranges, CancellationToken cancellationToken)
    {
        if (ranges.Count == 0)
            return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var events = ranges.SelectMany(r => r.Events).ToList();
        long CreatedAt(ProposalCreated p) => ranges.Select(r => r.BlockTimestamps.GetValueOrDefault(p.Block)).FirstOrDefault(t => t != 0);

        // One prepared statement per table, its parameters bound afresh for every row: no per-row command, parameter
        // objects or reflection, which is what keeps a busy range (thousands of votes) to milliseconds.
        await InsertAllAsync(connection, transaction, InsertProposal, events.OfType<ProposalCreated>(), p =>
        [
            dao, p.ProposalId, p.Proposer, ProposalText.Title(p.Description), p.Description, ProposalText.Hash(p.Description),
            JsonSerializer.Serialize(p.Actions), p.VoteStart, p.VoteEnd, p.Block, p.Tx, p.LogIndex, CreatedAt(p),
        ], cancellationToken);
        await InsertAllAsync(connection, transaction, InsertVote, events.OfType<VoteCast>(), v =>
            [dao, v.ProposalId, v.Voter, v.Support, v.Weight, v.Reason, v.Params, v.Block, v.Tx, v.LogIndex], cancellationToken);
        await InsertAllAsync(connection, transaction, InsertLifecycle, events.OfType<ProposalLifecycle>(), l =>
            [dao, l.ProposalId, l.Kind, l.Value, l.Block, l.Tx, l.LogIndex], cancellationToken);
        await InsertAllAsync(connection, transaction, InsertDelegateChange, events.OfType<DelegateChanged>(), d =>
            [dao, d.Delegator, d.FromDelegate, d.ToDelegate, d.Block, d.Tx, d.LogIndex], cancellationToken);
        await InsertAllAsync(connection, transaction, InsertDelegateVotes, events.OfType<DelegateVotesChanged>(), d =>
            [dao, d.Delegate, d.PreviousVotes, d.NewVotes, d.Block, d.Tx, d.LogIndex], cancellationToken);

        // Range ends are the reorg detector's checkpoints: a rollback lands on one and re-reads at most one range.
        await InsertAllAsync(connection, transaction, "INSERT OR REPLACE INTO indexed_blocks (dao, number, hash, timestamp) VALUES ($1, $2, $3, $4)", ranges, r =>
            [dao, r.End.Number, r.End.Hash, r.EndTimestamp], cancellationToken);

        await SetCursorAsync(connection, transaction, dao, ranges[^1].End, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes everything above <paramref name="ancestor"/> and moves the cursor there, in one transaction.</summary>
    public async Task RollbackAsync(string dao, StoredBlock ancestor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var args = new { dao, block = ancestor.Number };
        foreach (var (table, column) in new[]
                 {
                     ("proposals", "created_block"), ("proposal_events", "block"), ("votes", "block"),
                     ("delegate_changes", "block"), ("delegate_votes", "block"), ("indexed_blocks", "number"),
                 })
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM {table} WHERE dao = @dao AND {column} > @block", args, transaction, cancellationToken: cancellationToken));
        }

        await SetCursorAsync(connection, transaction, dao, ancestor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task SetCursorAsync(SqliteConnection connection, IDbTransaction transaction, string dao, StoredBlock block, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO index_cursor (dao, block, block_hash, updated_at) VALUES (@dao, @block, @hash, @at)
            ON CONFLICT (dao) DO UPDATE SET block = excluded.block, block_hash = excluded.block_hash, updated_at = excluded.updated_at
            """,
            new { dao, block = block.Number, hash = block.Hash, at = time.GetUtcNow().ToString("O") }, transaction, cancellationToken: cancellationToken));

    private const string InsertProposal =
        """
        INSERT OR IGNORE INTO proposals (dao, id, proposer, title, description, description_hash, actions_json, vote_start, vote_end,
                                         created_block, created_tx, created_log, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        """;

    private const string InsertVote =
        """
        INSERT OR IGNORE INTO votes (dao, proposal_id, voter, support, weight, reason, params, block, tx, log_index)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """;

    private const string InsertLifecycle =
        """
        INSERT OR IGNORE INTO proposal_events (dao, proposal_id, kind, value, block, tx, log_index)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;

    private const string InsertDelegateChange =
        """
        INSERT OR IGNORE INTO delegate_changes (dao, delegator, from_delegate, to_delegate, block, tx, log_index)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;

    private const string InsertDelegateVotes =
        """
        INSERT OR IGNORE INTO delegate_votes (dao, delegate, previous_votes, new_votes, block, tx, log_index)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;

    /// <summary>Runs <paramref name="sql"/> (positional parameters $1…$n) once per row, through one prepared command.</summary>
    private static async Task InsertAllAsync<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, IEnumerable<T> rows,
        Func<T, object?[]> values, CancellationToken cancellationToken)
    {
        SqliteCommand? command = null;
        try
        {
            foreach (var row in rows)
            {
                var rowValues = values(row);
                if (command is null)
                {
                    command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    for (var i = 0; i < rowValues.Length; i++)
                        command.Parameters.Add(new SqliteParameter("$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), null));
                    command.Prepare();
                }

                for (var i = 0; i < rowValues.Length; i++)
                    command.Parameters[i].Value = rowValues[i] ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
                await command.DisposeAsync();
        }
    }
}
