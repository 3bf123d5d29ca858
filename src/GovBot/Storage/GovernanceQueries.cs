using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Dapper;
using GovBot.Governance;

namespace GovBot.Storage;

public sealed record LifecycleRow(string ProposalId, string Kind, string? Value, long Block, string Tx);

/// <summary>Read side of the indexed tables. Every query is parameterised; nothing a user typed is ever concatenated into SQL.</summary>
public sealed class GovernanceQueries(SqliteDatabase database)
{
    private const string ProposalColumns =
        "dao AS Dao, id AS Id, proposer AS Proposer, title AS Title, description AS Description, description_hash AS DescriptionHash, " +
        "actions_json AS ActionsJson, vote_start AS VoteStart, vote_end AS VoteEnd, created_block AS CreatedBlock, created_tx AS CreatedTx, created_at AS CreatedAt";

    public async Task<IReadOnlyList<IndexedProposal>> RecentProposalsAsync(string dao, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProposalRow>(new CommandDefinition(
            $"SELECT {ProposalColumns} FROM proposals WHERE dao = @dao ORDER BY created_block DESC, created_log DESC LIMIT @limit",
            new { dao, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToProposal()).ToList();
    }

    public async Task<IndexedProposal?> ProposalAsync(string dao, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProposalRow>(new CommandDefinition(
            $"SELECT {ProposalColumns} FROM proposals WHERE dao = @dao AND id = @id", new { dao, id }, cancellationToken: cancellationToken));
        return row?.ToProposal();
    }

    /// <summary>Ids starting with <paramref name="prefix"/>, newest first, for autocomplete.</summary>
    public async Task<IReadOnlyList<(string Id, string Title)>> ProposalIdsAsync(string dao, string prefix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT id, title FROM proposals WHERE dao = @dao AND substr(id, 1, length(@prefix)) = @prefix ORDER BY created_block DESC LIMIT @limit",
            new { dao, prefix, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<LifecycleRow>> LifecycleAsync(string dao, IReadOnlyCollection<string> proposalIds, CancellationToken cancellationToken)
    {
        if (proposalIds.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LifecycleRow>(new CommandDefinition(
            "SELECT proposal_id AS ProposalId, kind AS Kind, value AS Value, block AS Block, tx AS Tx FROM proposal_events " +
            "WHERE dao = @dao AND proposal_id IN @ids ORDER BY block, log_index",
            new { dao, ids = proposalIds }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<VoteRecord>> VotesAsync(string dao, string proposalId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<VoteRow>(new CommandDefinition(
            "SELECT proposal_id AS ProposalId, voter AS Voter, support AS Support, weight AS Weight, reason AS Reason, block AS Block, tx AS Tx " +
            "FROM votes WHERE dao = @dao AND proposal_id = @proposalId",
            new { dao, proposalId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToVote()).OrderByDescending(v => v.Weight).ThenBy(v => v.Block).ToList();
    }

    public async Task<IReadOnlyList<(VoteRecord Vote, string Title)>> VotesByVoterAsync(string dao, string voter, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<VoteRow>(new CommandDefinition(
            "SELECT v.proposal_id AS ProposalId, v.voter AS Voter, v.support AS Support, v.weight AS Weight, v.reason AS Reason, v.block AS Block, v.tx AS Tx, " +
            "COALESCE(p.title, '') AS Title FROM votes v LEFT JOIN proposals p ON p.dao = v.dao AND p.id = v.proposal_id " +
            "WHERE v.dao = @dao AND v.voter = @voter ORDER BY v.block DESC LIMIT @limit",
            new { dao, voter, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => (r.ToVote(), r.Title)).ToList();
    }

    /// <summary>Every delegate's latest voting power and how many delegators point at it now, highest power first.</summary>
    public async Task<IReadOnlyList<DelegateRow>> DelegatesAsync(string dao, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var powers = await connection.QueryAsync<(string Delegate, string Votes)>(new CommandDefinition(
            """
            SELECT delegate, new_votes FROM (
              SELECT delegate, new_votes, ROW_NUMBER() OVER (PARTITION BY delegate ORDER BY block DESC, log_index DESC) AS rn
              FROM delegate_votes WHERE dao = @dao)
            WHERE rn = 1 AND new_votes <> '0'
            """, new { dao }, cancellationToken: cancellationToken));
        var delegators = (await connection.QueryAsync<(string Delegate, int Count)>(new CommandDefinition(
            """
            SELECT to_delegate, COUNT(*) FROM (
              SELECT to_delegate, ROW_NUMBER() OVER (PARTITION BY delegator ORDER BY block DESC, log_index DESC) AS rn
              FROM delegate_changes WHERE dao = @dao)
            WHERE rn = 1 GROUP BY to_delegate
            """, new { dao }, cancellationToken: cancellationToken))).ToDictionary(r => r.Delegate, r => r.Count);

        return powers
            .Select(p => new DelegateRow(p.Delegate, BigInteger.Parse(p.Votes, CultureInfo.InvariantCulture), delegators.GetValueOrDefault(p.Delegate)))
            .OrderByDescending(d => d.Votes)
            .ThenBy(d => d.Address, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    /// <summary>The delegate an address chose most recently, from indexed DelegateChanged events.</summary>
    public async Task<string?> CurrentDelegateAsync(string dao, string delegator, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT to_delegate FROM delegate_changes WHERE dao = @dao AND delegator = @delegator ORDER BY block DESC, log_index DESC LIMIT 1",
            new { dao, delegator }, cancellationToken: cancellationToken));
    }

    /// <summary>Timestamp of an indexed block, when the indexer stored it.</summary>
    public async Task<long?> BlockTimestampAsync(string dao, long block, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT timestamp FROM indexed_blocks WHERE dao = @dao AND number = @block AND timestamp > 0", new { dao, block }, cancellationToken: cancellationToken));
    }

    private sealed record ProposalRow(string Dao, string Id, string Proposer, string Title, string Description, string DescriptionHash, string ActionsJson,
        string VoteStart, string VoteEnd, long CreatedBlock, string CreatedTx, long CreatedAt)
    {
        public IndexedProposal ToProposal() => new(Dao, Id, Proposer, Title, Description, DescriptionHash,
            JsonSerializer.Deserialize<List<ProposalAction>>(ActionsJson) ?? [], VoteStart, VoteEnd, CreatedBlock, CreatedTx,
            DateTimeOffset.FromUnixTimeSeconds(CreatedAt));
    }

    private sealed class VoteRow
    {
        public string ProposalId { get; init; } = "";
        public string Voter { get; init; } = "";
        public long Support { get; init; }
        public string Weight { get; init; } = "0";
        public string Reason { get; init; } = "";
        public long Block { get; init; }
        public string Tx { get; init; } = "";
        public string Title { get; init; } = "";

        public VoteRecord ToVote() => new(ProposalId, Voter, (VoteSupport)Support, BigInteger.Parse(Weight, CultureInfo.InvariantCulture), Reason, Block, Tx);
    }
}
