using System.Data;
using System.Text.Json;
using Dapper;
using GovBot.Chain;
using GovBot.Governance;
using Microsoft.Data.Sqlite;

namespace GovBot.Storage;

public sealed record IndexCursor(long Block, string BlockHash);

public sealed record StoredBlock(long Number, string Hash);

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

    public async Task WriteRangeAsync(string dao, IReadOnlyList<GovernanceEvent> events, IReadOnlyDictionary<long, long> blockTimestamps,
        StoredBlock rangeEnd, long rangeEndTimestamp, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        foreach (var e in events)
            await InsertEventAsync(connection, transaction, dao, e, blockTimestamps, cancellationToken);

        var blocks = events
            .Select(e => new StoredBlock(e.Block, e.BlockHash))
            .Append(rangeEnd)
            .DistinctBy(b => b.Number);
        foreach (var block in blocks)
        {
            var timestamp = block.Number == rangeEnd.Number ? rangeEndTimestamp : blockTimestamps.GetValueOrDefault(block.Number);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT OR REPLACE INTO indexed_blocks (dao, number, hash, timestamp) VALUES (@dao, @number, @hash, @timestamp)",
                new { dao, number = block.Number, hash = block.Hash, timestamp }, transaction, cancellationToken: cancellationToken));
        }

        await SetCursorAsync(connection, transaction, dao, rangeEnd, cancellationToken);
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

    private static Task InsertEventAsync(SqliteConnection connection, IDbTransaction transaction, string dao, GovernanceEvent e,
        IReadOnlyDictionary<long, long> blockTimestamps, CancellationToken cancellationToken)
    {
        var (sql, args) = e switch
        {
            ProposalCreated p => (
                """
                INSERT OR IGNORE INTO proposals (dao, id, proposer, title, description, description_hash, actions_json, vote_start, vote_end,
                                                 created_block, created_tx, created_log, created_at)
                VALUES (@dao, @id, @proposer, @title, @description, @hash, @actions, @voteStart, @voteEnd, @block, @tx, @log, @at)
                """,
                (object)new
                {
                    dao, id = p.ProposalId, proposer = p.Proposer, title = ProposalText.Title(p.Description), description = p.Description,
                    hash = ProposalText.Hash(p.Description), actions = JsonSerializer.Serialize(p.Actions), voteStart = p.VoteStart, voteEnd = p.VoteEnd,
                    block = p.Block, tx = p.Tx, log = p.LogIndex, at = blockTimestamps.GetValueOrDefault(p.Block),
                }),
            VoteCast v => (
                """
                INSERT OR IGNORE INTO votes (dao, proposal_id, voter, support, weight, reason, params, block, tx, log_index)
                VALUES (@dao, @proposalId, @voter, @support, @weight, @reason, @params, @block, @tx, @log)
                """,
                new { dao, proposalId = v.ProposalId, voter = v.Voter, support = v.Support, weight = v.Weight, reason = v.Reason, @params = v.Params, block = v.Block, tx = v.Tx, log = v.LogIndex }),
            ProposalLifecycle l => (
                """
                INSERT OR IGNORE INTO proposal_events (dao, proposal_id, kind, value, block, tx, log_index)
                VALUES (@dao, @proposalId, @kind, @value, @block, @tx, @log)
                """,
                new { dao, proposalId = l.ProposalId, kind = l.Kind, value = l.Value, block = l.Block, tx = l.Tx, log = l.LogIndex }),
            DelegateChanged d => (
                """
                INSERT OR IGNORE INTO delegate_changes (dao, delegator, from_delegate, to_delegate, block, tx, log_index)
                VALUES (@dao, @delegator, @from, @to, @block, @tx, @log)
                """,
                new { dao, delegator = d.Delegator, from = d.FromDelegate, to = d.ToDelegate, block = d.Block, tx = d.Tx, log = d.LogIndex }),
            DelegateVotesChanged d => (
                """
                INSERT OR IGNORE INTO delegate_votes (dao, delegate, previous_votes, new_votes, block, tx, log_index)
                VALUES (@dao, @delegate, @previous, @new, @block, @tx, @log)
                """,
                new { dao, @delegate = d.Delegate, previous = d.PreviousVotes, @new = d.NewVotes, block = d.Block, tx = d.Tx, log = d.LogIndex }),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown governance event"),
        };
        return connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken));
    }
}
