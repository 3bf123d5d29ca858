using System.Text;
using GovBot.Chat.Commands;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Orchestration.Plugins;
using GovBot.Treasury;

namespace GovBot.Orchestration;

/// <summary>An answer before the output guard: the text and whether the engine understood the question.</summary>
public sealed record OfflineAnswer(string Text, bool Understood);

/// <summary>
/// /ask without a model: recognises the common questions (<see cref="AskIntentParser"/>) and answers them from the same
/// services the commands use, recording facts and citations into the session like the plugins do. Anything else gets an
/// honest "no model is configured" and the list of what it can answer.
/// </summary>
public sealed class OfflineEngine(TimeProvider time)
{
    public const string Capabilities =
        "Without a model I can answer:\n" +
        "• which proposals are open (or pending, queued, executed, defeated…)\n" +
        "• what does proposal 42 do\n" +
        "• what does 42 do to the treasury\n" +
        "• how did 0x… vote (on 42), who does 0x… delegate to\n" +
        "• when does 42 end\n" +
        "• what is the state of 42\n" +
        "• who are the top delegates\n" +
        "• delegate my votes to 0x… (a signed link)";

    public async Task<OfflineAnswer> AnswerAsync(AskSession session, string question, CancellationToken cancellationToken)
    {
        var intent = AskIntentParser.Parse(question);
        try
        {
            return intent.Kind switch
            {
                AskIntentKind.OpenProposals => await ListAsync(session, null, cancellationToken),
                AskIntentKind.ProposalsByState => await ListAsync(session, intent.State, cancellationToken),
                AskIntentKind.WhatDoes => await WhatDoesAsync(session, intent.ProposalId!, cancellationToken),
                AskIntentKind.ProposalTreasury => await ProposalTreasuryAsync(session, intent.ProposalId!, cancellationToken),
                AskIntentKind.Treasury => await TreasuryAsync(session, cancellationToken),
                AskIntentKind.VoterVote => await VoterAsync(session, intent.Address!, intent.ProposalId, cancellationToken),
                AskIntentKind.WhenEnds => await WhenEndsAsync(session, intent.ProposalId!, cancellationToken),
                AskIntentKind.ProposalState => await StateAsync(session, intent.ProposalId!, cancellationToken),
                AskIntentKind.TopDelegates => await DelegatesAsync(session, cancellationToken),
                AskIntentKind.Delegate => Delegate(session, intent.Address!),
                _ => new OfflineAnswer($"No model is configured, so I cannot answer free-form questions. {Capabilities}", false),
            };
        }
        catch (UserInputException ex)
        {
            return new OfflineAnswer(ex.Message, true);
        }
    }

    private async Task<OfflineAnswer> ListAsync(AskSession session, ProposalState? state, CancellationToken cancellationToken)
    {
        var open = state is null;
        var views = open
            ? (await session.Data.ListAsync(session.Dao, null, 200, cancellationToken)).Where(v => v.State is ProposalState.Active or ProposalState.Pending).Take(10).ToList()
            : await session.Data.ListAsync(session.Dao, state, 10, cancellationToken);
        var label = open ? "open (active or pending)" : ProposalFormat.State(state!.Value);
        if (views.Count == 0)
            return new OfflineAnswer($"No {label} proposals in {session.Dao} right now.", true);
        var now = time.GetUtcNow();
        var text = new StringBuilder($"{views.Count} {label} proposal{(views.Count == 1 ? "" : "s")} in {session.Dao}:");
        foreach (var view in views)
        {
            await session.RecordProposalAsync(view, cancellationToken);
            text.Append("\n• #").Append(GovernanceService.ShortId(view.Id)).Append(' ').Append(view.Title).Append(" (")
                .Append(ProposalFormat.State(view.State));
            if (view.State is ProposalState.Active or ProposalState.Pending)
                text.Append(", ").Append(ProposalFormat.Ends(view, now));
            text.Append(')');
        }

        return new OfflineAnswer(text.ToString(), true);
    }

    private static async Task<OfflineAnswer> WhatDoesAsync(AskSession session, string id, CancellationToken cancellationToken)
    {
        var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
        var actions = await session.RecordProposalAsync(view, cancellationToken);
        var summary = ExtractiveSummarizer.Summarize(view.Proposal.Description, actions, 700);
        return new OfflineAnswer($"#{GovernanceService.ShortId(view.Id)} {view.Title} ({ProposalFormat.State(view.State)}).\n{summary}", true);
    }

    private static async Task<OfflineAnswer> ProposalTreasuryAsync(AskSession session, string id, CancellationToken cancellationToken)
    {
        var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
        var actions = await session.RecordProposalAsync(view, cancellationToken);
        var movements = actions.SelectMany(a => a.SelfAndDescendants()).SelectMany(a => a.Movements).ToList();
        var text = new StringBuilder($"#{GovernanceService.ShortId(view.Id)} {view.Title}: ");
        if (movements.Count == 0)
            text.Append("its actions move no tokens or ETH and grant no approvals, as far as the calldata shows.");
        else
        {
            text.Append(movements.Count == 1 ? "one token movement:" : $"{movements.Count} token movements:");
            foreach (var m in movements.Take(8))
            {
                text.Append("\n• ").Append(m.Kind == MovementKind.Approval ? "Approve " : "Send ").Append(m.FormatAmount())
                    .Append(m.Kind == MovementKind.Approval ? " to be spent by " : " to ").Append(m.To);
            }

            if (movements.Count > 8)
                text.Append("\n• … and ").Append(movements.Count - 8).Append(" more");
        }

        var snapshot = await session.Data.TreasuryAsync(session.Dao, cancellationToken);
        var flags = new RiskAssessor(new RiskOptions { TreasuryShareThreshold = session.DaoFacts.LargeTransferShare }).Assess(actions, view.Proposal.Description, snapshot?.Totals);
        foreach (var flag in flags.Where(f => f.Severity >= RiskSeverity.Medium).Take(3))
            text.Append("\n⚠ ").Append(flag.Reason);
        if (snapshot is null)
            text.Append("\nThis DAO has no treasury configured, so I cannot say what share of the treasury this is.");
        else
            text.Append("\nFor before → after balances, use /simulate ").Append(view.Id).Append('.');
        return new OfflineAnswer(text.ToString(), true);
    }

    private static async Task<OfflineAnswer> TreasuryAsync(AskSession session, CancellationToken cancellationToken)
    {
        var snapshot = await session.Data.TreasuryAsync(session.Dao, cancellationToken);
        if (snapshot is null)
            return new OfflineAnswer($"{session.Dao} has no treasury configured (a timelock or treasury addresses), so I cannot show balances.", true);
        var text = new StringBuilder($"{session.Dao} treasury at block {snapshot.Block}:");
        foreach (var group in snapshot.Balances.Where(b => b.Balance is not null).GroupBy(b => b.Token))
        {
            var first = group.First();
            var total = group.Aggregate(System.Numerics.BigInteger.Zero, (sum, b) => sum + b.Balance!.Value);
            if (first.Decimals is { } decimals)
                session.Facts.AddAmount(first.Symbol, total, decimals);
            text.Append("\n• ").Append(TreasuryService.FormatAmount(total, first.Symbol, first.Decimals));
        }

        foreach (var holder in snapshot.Holders)
            session.Facts.AddAddress(holder);
        session.Cite(new Citation(null, snapshot.Block, null, "treasury balances"));
        return new OfflineAnswer(text.ToString(), true);
    }

    private static async Task<OfflineAnswer> VoterAsync(AskSession session, string address, string? proposalId, CancellationToken cancellationToken)
    {
        var token = await session.VotingTokenAsync(cancellationToken);
        if (proposalId is not null)
        {
            var (view, votes) = await session.Data.VotesAsync(session.Dao, proposalId, cancellationToken);
            await session.RecordProposalAsync(view, cancellationToken);
            var normalized = GovernanceService.ParseAddress(address);
            var vote = votes.FirstOrDefault(v => v.Voter == normalized);
            if (vote is null)
                return new OfflineAnswer($"{normalized} has not voted on #{GovernanceService.ShortId(view.Id)} {view.Title}.", true);
            session.RecordVote(vote, token);
            return new OfflineAnswer(
                $"{normalized} voted {GovernancePlugin.Lower(vote.Support)} on #{GovernanceService.ShortId(view.Id)} {view.Title} with {GovernancePlugin.Amount(vote.Weight, token)} (block {vote.Block}, tx {vote.Tx}).", true);
        }

        var voter = await session.Data.VoterAsync(session.Dao, address, cancellationToken);
        session.Facts.AddAddress(voter.Address);
        session.Facts.AddAddress(voter.Delegate);
        session.Facts.AddAmount(token.Symbol, voter.VotingPower, token.Decimals);
        session.Facts.AddAmount(token.Symbol, voter.Balance, token.Decimals);
        var delegation = voter.Delegate is null || voter.Delegate == EthAddress.Zero
            ? "has not delegated its tokens (they carry no votes until it does)"
            : voter.Delegate == voter.Address ? "delegates to itself" : $"delegates to {voter.Delegate}";
        var text = new StringBuilder($"{voter.Address} holds {GovernancePlugin.Amount(voter.Balance, token)}, {delegation}, and has {GovernancePlugin.Amount(voter.VotingPower, token)} of voting power.");
        if (voter.Votes.Count == 0)
            return new OfflineAnswer(text.Append($" It has not voted in {session.Dao}.").ToString(), true);
        text.Append("\nLatest votes:");
        foreach (var (vote, title) in voter.Votes.Take(5))
        {
            session.RecordVote(vote, token);
            text.Append("\n• ").Append(GovernancePlugin.Lower(vote.Support)).Append(" on #").Append(GovernanceService.ShortId(vote.ProposalId)).Append(' ').Append(title)
                .Append(" with ").Append(GovernancePlugin.Amount(vote.Weight, token)).Append(" (block ").Append(vote.Block).Append(')');
        }

        return new OfflineAnswer(text.ToString(), true);
    }

    private async Task<OfflineAnswer> WhenEndsAsync(AskSession session, string id, CancellationToken cancellationToken)
    {
        var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
        await session.RecordProposalAsync(view, cancellationToken);
        var text = $"Voting on #{GovernanceService.ShortId(view.Id)} {view.Title} {ProposalFormat.Ends(view, time.GetUtcNow())} (clock value {view.Proposal.VoteEnd}; state {ProposalFormat.State(view.State)}).";
        if (view.Eta is { } eta)
            text += $" It can be executed after {ProposalFormat.Time(eta, estimate: false)}.";
        return new OfflineAnswer(text, true);
    }

    private static async Task<OfflineAnswer> StateAsync(AskSession session, string id, CancellationToken cancellationToken)
    {
        var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
        await session.RecordProposalAsync(view, cancellationToken);
        var token = await session.VotingTokenAsync(cancellationToken);
        return new OfflineAnswer(
            $"#{GovernanceService.ShortId(view.Id)} {view.Title} is {ProposalFormat.State(view.State)}. For {GovernancePlugin.Amount(view.Tally.For, token)}, against {GovernancePlugin.Amount(view.Tally.Against, token)}, abstain {GovernancePlugin.Amount(view.Tally.Abstain, token)}; {Digests.DigestBuilder.QuorumProgress(view)} ({GovernancePlugin.Amount(view.QuorumProgress, token)} counted of {GovernancePlugin.Amount(view.Quorum, token)} needed).",
            true);
    }

    private static OfflineAnswer Delegate(AskSession session, string address)
    {
        var link = DelegationPlugin.MakeLink(session, address, out var error);
        if (link is null)
            return new OfflineAnswer($"I cannot make that delegation link: {error}. You can also call delegate({EthAddress.Normalize(address)}) on the {session.Dao} token {session.DaoFacts.Token} from your own wallet.", true);
        return new OfflineAnswer(
            $"To delegate your {session.Dao} votes to {link.Link.Delegatee}, open the link below, connect your wallet and sign. " +
            $"GovBot relays the signature on chain, so you pay no gas. The link only works for this delegate and expires {DelegationPlugin.Expiry(link)}.", true);
    }

    private static async Task<OfflineAnswer> DelegatesAsync(AskSession session, CancellationToken cancellationToken)
    {
        var delegates = await session.Data.DelegatesAsync(session.Dao, 10, cancellationToken);
        if (delegates.Count == 0)
            return new OfflineAnswer("No delegated voting power is indexed yet.", true);
        var token = await session.VotingTokenAsync(cancellationToken);
        var block = await session.Data.IndexedBlockAsync(session.Dao, cancellationToken);
        session.Cite(new Citation(null, block, null, "delegate voting power as indexed"));
        var text = new StringBuilder($"Top delegates in {session.Dao} (as of block {block}):");
        var rank = 1;
        foreach (var d in delegates)
        {
            session.Facts.AddAddress(d.Address);
            session.Facts.AddAmount(token.Symbol, d.Votes, token.Decimals);
            text.Append('\n').Append(rank++).Append(". ").Append(d.Address).Append(" — ").Append(GovernancePlugin.Amount(d.Votes, token))
                .Append(" (").Append(d.Delegators).Append(d.Delegators == 1 ? " delegator)" : " delegators)");
        }

        return new OfflineAnswer(text.ToString(), true);
    }
}
