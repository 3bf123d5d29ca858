namespace GovBot.Chat.Discord;

public sealed record ProposalIdSuggestion(string Name, string Value);

/// <summary>
/// Autocomplete for `id` options. Governance registers the real one; until then <see cref="NoProposalIdSuggestions"/>
/// answers with nothing, and tests script their own.
/// </summary>
public interface IProposalIdSuggester
{
    /// <param name="dao">The `dao` option if the user already filled it, else null for the chat's default.</param>
    /// <param name="chatId">The channel (or DM) the user is typing in, whose default DAO applies when <paramref name="dao"/> is null.</param>
    /// <param name="prefix">What the user has typed so far in the id option (untrusted).</param>
    Task<IReadOnlyList<ProposalIdSuggestion>> SuggestAsync(string? dao, string chatId, string prefix, int limit, CancellationToken cancellationToken);
}

public sealed class NoProposalIdSuggestions : IProposalIdSuggester
{
    public Task<IReadOnlyList<ProposalIdSuggestion>> SuggestAsync(string? dao, string chatId, string prefix, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProposalIdSuggestion>>([]);
}
