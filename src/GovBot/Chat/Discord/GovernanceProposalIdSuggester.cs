using GovBot.Chain;
using GovBot.Governance;

namespace GovBot.Chat.Discord;

/// <summary>
/// Autocomplete for proposal ids: the newest indexed ids starting with what the user typed, labelled with their
/// titles, from the DAO the command will run against (the typed dao option, else the channel's default DAO).
/// </summary>
public sealed class GovernanceProposalIdSuggester(GovernanceService governance, ChatSettingsStore settings, DaoRegistry daos) : IProposalIdSuggester
{
    public async Task<IReadOnlyList<ProposalIdSuggestion>> SuggestAsync(string? dao, string chatId, string prefix, int limit, CancellationToken cancellationToken)
    {
        if (dao is null && await settings.DefaultDaoAsync(ChatSurface.Discord, chatId, cancellationToken) is { } chatDefault
            && daos.All.Any(d => d.Name.Equals(chatDefault, StringComparison.OrdinalIgnoreCase)))
            dao = chatDefault;
        var ids = await governance.SuggestIdsAsync(dao, prefix, cancellationToken);
        return ids.Take(limit).Select(p => new ProposalIdSuggestion($"#{GovernanceService.ShortId(p.Id)} {p.Title}", p.Id)).ToList();
    }
}
