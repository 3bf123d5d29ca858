using GovBot.Chain;
using GovBot.Chat;
using GovBot.Chat.Commands;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Orchestration;

namespace GovBot.Digests;

/// <summary>How each governance event reads in chat. Every string is plain text; the surface renderers escape it.</summary>
public static class NotificationFormat
{
    /// <param name="summary">The new-proposal summary when the caller has one (the orchestrator's); else the extractive one.</param>
    public static ChatReply Render(string kind, ProposalView view, GovernorProfile profile, DateTimeOffset now, bool withChart, DaoFacts? dao = null, string? summary = null)
    {
        var p = view.Proposal;
        var heading = $"#{GovernanceService.ShortId(view.Id)} {view.Title}";
        var facts = new List<ChatFact>();
        string title;
        string body;
        switch (kind)
        {
            case NotificationKinds.Created:
                title = $"🆕 New proposal in {p.Dao}";
                body = heading + "\n" + (summary ?? Summary(p, dao));
                facts.Add(new ChatFact("Proposer", EthAddress.Short(p.Proposer)));
                facts.Add(new ChatFact("Voting starts", ProposalFormat.Time(view.StartsAt, view.TimesAreEstimates)));
                facts.Add(new ChatFact("Voting ends", ProposalFormat.Time(view.EndsAt, view.TimesAreEstimates)));
                break;
            case NotificationKinds.Active:
                title = $"🗳️ Voting opened in {p.Dao}";
                body = heading;
                facts.Add(new ChatFact("Voting ends", ProposalFormat.Time(view.EndsAt, view.TimesAreEstimates)));
                break;
            case NotificationKinds.Ending:
                title = $"⏰ Voting ends within 24 h in {p.Dao}";
                body = heading + "\n" + ProposalFormat.Ends(view, now);
                facts.Add(new ChatFact("Votes", ProposalFormat.Tally(view, profile), Inline: false));
                facts.Add(new ChatFact("Quorum", ProposalFormat.Quorum(view, profile)));
                break;
            case NotificationKinds.Quorum:
                title = $"✅ Quorum reached in {p.Dao}";
                body = heading;
                facts.Add(new ChatFact("Quorum", ProposalFormat.Quorum(view, profile)));
                facts.Add(new ChatFact("Votes", ProposalFormat.Tally(view, profile), Inline: false));
                break;
            case NotificationKinds.Result:
                var passed = view.State != ProposalState.Defeated;
                title = passed ? $"✅ Proposal succeeded in {p.Dao}" : $"❌ Proposal defeated in {p.Dao}";
                body = heading;
                facts.Add(new ChatFact("Votes", ProposalFormat.Tally(view, profile), Inline: false));
                facts.Add(new ChatFact("Quorum", ProposalFormat.Quorum(view, profile)));
                break;
            case NotificationKinds.Queued:
                title = $"⏱️ Proposal queued in {p.Dao}";
                body = heading;
                facts.Add(new ChatFact("Executable after", view.Eta is { } eta ? ProposalFormat.Time(eta, estimate: false) : "unknown"));
                break;
            case NotificationKinds.Executed:
                title = $"🏁 Proposal executed in {p.Dao}";
                body = heading;
                break;
            case NotificationKinds.Canceled:
                title = $"✖️ Proposal canceled in {p.Dao}";
                body = heading;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a proposal event");
        }

        return new ChatReply(title, body)
        {
            Facts = facts,
            Links = ProposalFormat.Links(p, profile),
            Image = withChart && kind == NotificationKinds.Result ? VoteChart.Render(view, profile) : null,
            Footer = $"{p.Dao} · proposal {GovernanceService.ShortId(view.Id)} · /proposal {view.Id}",
        };
    }

    /// <summary>
    /// The offline "new proposal" summary: the extract with its decoded actions, through the output guard like every
    /// other summary (proposal text is untrusted). The detector passes the orchestrator's summary instead when it runs.
    /// </summary>
    public static string Summary(IndexedProposal proposal, DaoFacts? dao)
    {
        dao ??= new DaoFacts(proposal.Dao, 0, "", "", null, [], []);
        return ProposalSummarizer.ExtractiveSummary(proposal, dao, dao.CreateDecoder().Decode(proposal.Actions, dao.Executor)).Text;
    }
}
