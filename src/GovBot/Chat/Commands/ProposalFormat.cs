using System.Globalization;
using System.Numerics;
using GovBot.Chain;
using GovBot.Governance;

namespace GovBot.Chat.Commands;

/// <summary>How proposals read in chat, shared by every command that shows one.</summary>
public static class ProposalFormat
{
    public static string State(ProposalState state) => state.ToString().ToLowerInvariant();

    public static string StateLabel(ProposalState state) => state switch
    {
        ProposalState.Pending => "⏳ Pending",
        ProposalState.Active => "🗳️ Active",
        ProposalState.Canceled => "✖️ Canceled",
        ProposalState.Defeated => "❌ Defeated",
        ProposalState.Succeeded => "✅ Succeeded",
        ProposalState.Queued => "⏱️ Queued",
        ProposalState.Expired => "⌛ Expired",
        ProposalState.Executed => "🏁 Executed",
        _ => state.ToString(),
    };

    public static bool TryParseState(string? text, out ProposalState? state)
    {
        state = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
            return true;
        if (Enum.TryParse<ProposalState>(text.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !text.Trim().All(char.IsAsciiDigit))
        {
            state = parsed;
            return true;
        }

        return text.Trim().Equals("cancelled", StringComparison.OrdinalIgnoreCase) && (state = ProposalState.Canceled) is not null;
    }

    public static string Tally(ProposalView view, GovernorProfile profile) =>
        $"For {TokenAmount.Compact(view.Tally.For, profile.TokenDecimals)} · Against {TokenAmount.Compact(view.Tally.Against, profile.TokenDecimals)} · Abstain {TokenAmount.Compact(view.Tally.Abstain, profile.TokenDecimals)}";

    public static string Quorum(ProposalView view, GovernorProfile profile)
    {
        var counted = TokenAmount.Compact(view.QuorumProgress, profile.TokenDecimals);
        var needed = TokenAmount.Compact(view.Quorum, profile.TokenDecimals);
        return view.QuorumProgress >= view.Quorum
            ? $"✅ reached: {counted} of {needed} {profile.TokenSymbol}"
            : $"{view.QuorumPercent}%: {counted} of {needed} {profile.TokenSymbol}";
    }

    public static string Time(DateTimeOffset? at, bool estimate) =>
        at is null ? "unknown" : (estimate ? "≈ " : "") + at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Only links that certainly resolve: a block explorer GovBot knows for the chain. Devnets get none.</summary>
    public static IReadOnlyList<ChatLink> Links(IndexedProposal proposal, GovernorProfile profile) =>
        profile.ChainId == 1 && proposal.CreatedTx.StartsWith("0x", StringComparison.Ordinal)
            ? [new ChatLink("Proposal transaction", "https://etherscan.io/tx/" + proposal.CreatedTx)]
            : [];

    public static string Ends(ProposalView view, DateTimeOffset now)
    {
        var verb = view.EndsAt <= now ? "ended" : "ends";
        return $"{verb} {Time(view.EndsAt, view.TimesAreEstimates)}";
    }
}
