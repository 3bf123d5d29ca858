using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using GovBot.Governance;
using GovBot.Storage;

namespace GovBot.Orchestration;

/// <summary>Key of a cached summary: an unchanged description under the same prompt and model is never sent again.</summary>
public sealed record SummaryKey(string Dao, string ProposalId, string DescriptionHash, string PromptVersion, string Model);

/// <summary>
/// Key of a cached answer. Answers rest on live data, so the key carries the indexed block they were answered at:
/// once the indexer moves on (new votes, state changes), the same question is answered afresh. Between two indexed
/// blocks nothing GovBot reads from its index can change, so the cache cannot serve a stale answer beyond one poll.
/// </summary>
public sealed record AnswerKey(string Dao, string QuestionHash, string PromptVersion, string Model, long IndexedBlock);

public sealed record CachedAnswer(string Answer, IReadOnlyList<Citation> Citations, bool Flagged);

/// <summary>One fact an answer rests on: a proposal, the block and transaction that recorded it.</summary>
public sealed record Citation(string? ProposalId, long? Block, string? Tx, string? Note = null);

public sealed partial class LlmCache(SqliteDatabase database, TimeProvider time)
{
    public static SummaryKey KeyFor(IndexedProposal proposal, string promptVersion, string model) =>
        new(proposal.Dao, proposal.Id, string.IsNullOrEmpty(proposal.DescriptionHash) ? ProposalText.Hash(proposal.Description) : proposal.DescriptionHash, promptVersion, model);

    public static AnswerKey KeyFor(string dao, string question, string promptVersion, string model, long indexedBlock) =>
        new(dao.ToLowerInvariant(), QuestionHash(question), promptVersion, model, indexedBlock);

    /// <summary>
    /// Hidden characters stripped, case and runs of whitespace folded, trailing punctuation dropped, "#42" read as "42":
    /// "What does #42 do?" and "what does 42 do" are the same question.
    /// </summary>
    public static string NormalizeQuestion(string question)
    {
        var text = OutputGuard.StripHidden(question).ToLowerInvariant().Normalize(NormalizationForm.FormKC);
        text = Whitespace().Replace(text, " ").Trim().TrimEnd('?', '!', '.', ' ');
        return HashNumber().Replace(text, "$1");
    }

    public static string QuestionHash(string question) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeQuestion(question))));

    public async Task<(string Summary, bool Flagged)?> GetSummaryAsync(SummaryKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Summary, long Flagged)?>(new CommandDefinition(
            """
            SELECT summary, flagged FROM llm_summaries
            WHERE dao = @Dao AND proposal_id = @ProposalId AND description_hash = @DescriptionHash AND prompt_version = @PromptVersion AND model = @Model
            """, key, cancellationToken: cancellationToken));
        return row is { } r ? (r.Summary, r.Flagged != 0) : null;
    }

    public async Task PutSummaryAsync(SummaryKey key, string summary, bool flagged, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR REPLACE INTO llm_summaries (dao, proposal_id, description_hash, prompt_version, model, summary, flagged, created_at)
            VALUES (@Dao, @ProposalId, @DescriptionHash, @PromptVersion, @Model, @summary, @flagged, @at)
            """,
            new { key.Dao, key.ProposalId, key.DescriptionHash, key.PromptVersion, key.Model, summary, flagged = flagged ? 1 : 0, at = Now() },
            cancellationToken: cancellationToken));
    }

    public async Task<CachedAnswer?> GetAnswerAsync(AnswerKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Answer, string Citations, long Flagged)?>(new CommandDefinition(
            """
            SELECT answer, citations_json, flagged FROM llm_answers
            WHERE dao = @Dao AND question_hash = @QuestionHash AND prompt_version = @PromptVersion AND model = @Model AND indexed_block = @IndexedBlock
            """, key, cancellationToken: cancellationToken));
        return row is { } r ? new CachedAnswer(r.Answer, JsonSerializer.Deserialize<List<Citation>>(r.Citations) ?? [], r.Flagged != 0) : null;
    }

    /// <summary>Stores the answer and drops the same question's answers at older blocks: they can never be served again.</summary>
    public async Task PutAnswerAsync(AnswerKey key, CachedAnswer answer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM llm_answers WHERE dao = @Dao AND question_hash = @QuestionHash AND prompt_version = @PromptVersion AND model = @Model AND indexed_block < @IndexedBlock",
            key, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT OR REPLACE INTO llm_answers (dao, question_hash, prompt_version, model, indexed_block, answer, citations_json, flagged, created_at)
            VALUES (@Dao, @QuestionHash, @PromptVersion, @Model, @IndexedBlock, @answer, @citations, @flagged, @at)
            """,
            new
            {
                key.Dao, key.QuestionHash, key.PromptVersion, key.Model, key.IndexedBlock, answer = answer.Answer,
                citations = JsonSerializer.Serialize(answer.Citations), flagged = answer.Flagged ? 1 : 0, at = Now(),
            }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private string Now() => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"#(\d)")]
    private static partial Regex HashNumber();
}
