using System.Text;
using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Orchestration;

namespace GovBot.Chat.Commands;

public sealed class ProposalsCommand(GovernanceService governance, TimeProvider time) : IChatCommand
{
    public string Name => "proposals";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        if (!ProposalFormat.TryParseState(context.Argument("state"), out var state))
            throw new UserInputException("State must be one of: pending, active, succeeded, queued, executed, defeated, canceled, expired.");
        var dao = governance.Dao(context.Dao);
        var profile = await dao.GetProfileAsync(cancellationToken);
        var views = await governance.ListAsync(context.Dao, state, 10, cancellationToken);
        var title = state is null ? $"{dao.Name}: latest proposals" : $"{dao.Name}: {ProposalFormat.State(state.Value)} proposals";
        if (views.Count == 0)
            return new ChatReply(title, state is null ? "No proposals indexed yet." : $"No {ProposalFormat.State(state.Value)} proposals among the latest.");

        var body = new StringBuilder();
        var now = time.GetUtcNow();
        foreach (var v in views)
        {
            body.Append("• #").Append(GovernanceService.ShortId(v.Id)).Append(' ').Append(v.Title).AppendLine();
            body.Append("  ").Append(ProposalFormat.StateLabel(v.State));
            if (v.State is ProposalState.Active or ProposalState.Pending)
                body.Append(" · ").Append(ProposalFormat.Ends(v, now));
            body.Append(" · ").Append(ProposalFormat.Tally(v, profile)).AppendLine();
        }

        return new ChatReply(title, body.ToString().TrimEnd()) { Footer = "Use /proposal <id> for details." };
    }
}

public sealed class ProposalCommand(GovernanceService governance, ProposalSummarizer summaries) : IChatCommand
{
    /// <summary>Discord wants a reply within 3 s; past this the extractive summary is shown and the model's lands in the cache for next time.</summary>
    public static readonly TimeSpan DiscordSummaryWait = TimeSpan.FromSeconds(2);

    public string Name => "proposal";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var view = await governance.GetAsync(context.Dao, context.RequiredArgument("id", "/proposal 42"), cancellationToken);
        var dao = governance.Dao(context.Dao);
        var profile = await dao.GetProfileAsync(cancellationToken);
        var facts = new List<ChatFact>
        {
            new("State", ProposalFormat.StateLabel(view.State)),
            new("Proposer", EthAddress.Short(view.Proposal.Proposer)),
            new("Votes", ProposalFormat.Tally(view, profile), Inline: false),
            new("Quorum", ProposalFormat.Quorum(view, profile)),
            new("Voting starts", ProposalFormat.Time(view.StartsAt, view.TimesAreEstimates)),
            new("Voting ends", ProposalFormat.Time(view.EndsAt, view.TimesAreEstimates)),
        };
        if (view.Eta is { } eta)
            facts.Add(new ChatFact("Executable after", ProposalFormat.Time(eta, estimate: false)));

        // The summary ends with the decoded actions, so they are not repeated as a fact.
        var wait = context.Request.Surface == ChatSurface.Discord ? DiscordSummaryWait : (TimeSpan?)null;
        var summary = await summaries.SummarizeAsync(view.Proposal, wait, cancellationToken);
        var footer = $"{dao.Name} · proposal {view.Id} · created in block {view.Proposal.CreatedBlock}\n" +
                     (summary.Note ?? (summary.Source == ProposalSummarizer.Extractive ? "Summary: the author's own words and the decoded actions (no model)" : $"Summary by {summary.Source}"));
        if (summary.Flagged)
            footer += "\n" + AskCommand.FlaggedNote;
        return new ChatReply($"#{GovernanceService.ShortId(view.Id)} {view.Title}", summary.Text)
        {
            Facts = facts,
            Links = ProposalFormat.Links(view.Proposal, profile),
            Footer = footer,
        };
    }
}

public sealed class VotesCommand(GovernanceService governance) : IChatCommand
{
    public string Name => "votes";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var (view, votes) = await governance.VotesAsync(context.Dao, context.RequiredArgument("id", "/votes 42"), cancellationToken);
        var profile = await governance.Dao(context.Dao).GetProfileAsync(cancellationToken);
        var title = $"Votes on #{GovernanceService.ShortId(view.Id)} {view.Title}";
        if (votes.Count == 0)
            return new ChatReply(title, "No votes yet.") { Facts = [new("Tally", ProposalFormat.Tally(view, profile), false)] };

        var body = new StringBuilder();
        foreach (var vote in votes.Take(10))
        {
            body.Append("• ").Append(EthAddress.Short(vote.Voter)).Append(' ').Append(vote.Support.ToString().ToLowerInvariant())
                .Append(" with ").Append(TokenAmount.Compact(vote.Weight, profile.TokenDecimals)).Append(' ').Append(profile.TokenSymbol);
            if (vote.Reason.Length > 0)
            {
                var reason = ProposalText.StripControl(vote.Reason).ReplaceLineEndings(" ");
                body.Append(": “").Append(reason.Length > 160 ? reason[..159] + "…" : reason).Append('”');
            }

            body.AppendLine();
        }

        return new ChatReply(title, body.ToString().TrimEnd())
        {
            Facts = [new("Tally", ProposalFormat.Tally(view, profile), false), new("Voters", votes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
    }
}

public sealed class VoterCommand(GovernanceService governance) : IChatCommand
{
    public string Name => "voter";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var voter = await governance.VoterAsync(context.Dao, context.RequiredArgument("address", "/voter 0xabc…"), cancellationToken);
        var profile = await governance.Dao(context.Dao).GetProfileAsync(cancellationToken);
        var body = new StringBuilder();
        if (voter.Votes.Count == 0)
            body.Append("No votes cast by this address.");
        foreach (var (vote, title) in voter.Votes)
        {
            body.Append("• #").Append(GovernanceService.ShortId(vote.ProposalId)).Append(' ').Append(title).Append(": ")
                .Append(vote.Support.ToString().ToLowerInvariant()).Append(" with ").Append(TokenAmount.Compact(vote.Weight, profile.TokenDecimals))
                .Append(' ').Append(profile.TokenSymbol).AppendLine();
        }

        return new ChatReply($"Voter {EthAddress.Short(voter.Address)}", body.ToString().TrimEnd())
        {
            Facts =
            [
                new("Voting power", TokenAmount.Format(voter.VotingPower, profile.TokenDecimals, profile.TokenSymbol, 2)),
                new("Balance", TokenAmount.Format(voter.Balance, profile.TokenDecimals, profile.TokenSymbol, 2)),
                new("Delegates to", voter.Delegate is null ? "nobody (votes are not active)" : voter.Delegate == voter.Address ? "self" : EthAddress.Short(voter.Delegate)),
            ],
            Footer = voter.Address,
        };
    }
}

public sealed class DelegatesCommand(GovernanceService governance) : IChatCommand
{
    public string Name => "delegates";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var dao = governance.Dao(context.Dao);
        var profile = await dao.GetProfileAsync(cancellationToken);
        var delegates = await governance.DelegatesAsync(context.Dao, 15, cancellationToken);
        if (delegates.Count == 0)
            return new ChatReply($"{dao.Name}: delegates", "No delegated voting power indexed yet.");
        var body = new StringBuilder();
        var rank = 1;
        foreach (var d in delegates)
        {
            body.Append(rank++).Append(". ").Append(EthAddress.Short(d.Address)).Append(" — ")
                .Append(TokenAmount.Format(d.Votes, profile.TokenDecimals, profile.TokenSymbol, 2))
                .Append(" (").Append(d.Delegators).Append(d.Delegators == 1 ? " delegator)" : " delegators)").AppendLine();
        }

        return new ChatReply($"{dao.Name}: top delegates", body.ToString().TrimEnd());
    }
}
