using GovBot.Governance;

namespace GovBot.Chat.Discord;

/// <summary>Autocomplete for proposal ids: the newest indexed ids starting with what the user typed, labelled with their titles.</summary>
public sealed class GovernanceProposalIdSuggester(GovernanceService governance) : IProposalIdSuggester
{
    public async Task<IReadOnlyList<ProposalIdSuggestion>> SuggestAsync(string? dao, string prefix, int limit, CancellationToken cancellationToken)
    {
        var ids = await governance.SuggestIdsAsync(dao, prefix, cancellationToken);
        return ids.Take(limit).Select(p => new ProposalIdSuggestion($"#{GovernanceService.ShortId(p.Id)} {p.Title}", p.Id)).ToList();
    }
}
