using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using GovBot.Chat.Commands;
using GovBot.Governance;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration.Plugins;

/// <summary>Read-only governance facts for the model, from the same services the commands use. Every result names its proposal id, block and tx.</summary>
public sealed class GovernancePlugin(AskSession session)
{
    private const int MaxDescriptionChars = 4_000;

    [KernelFunction("list_proposals")]
    [Description("Lists this DAO's most recent proposals, newest first, optionally only those in one state. Use it for 'what is open / active / up for vote', 'what passed recently', or to find a proposal's id from its title.")]
    public async Task<string> ListProposalsAsync(
        [Description("Optional state filter: pending, active, succeeded, queued, executed, defeated, canceled or expired. Omit for all states.")] string? state = null,
        [Description("How many to return, 1 to 20.")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        if (!ProposalFormat.TryParseState(state, out var parsed))
            return Error("state must be one of pending, active, succeeded, queued, executed, defeated, canceled, expired");
        var views = await session.Data.ListAsync(session.Dao, parsed, Math.Clamp(limit, 1, 20), cancellationToken);
        var list = new List<object>();
        foreach (var v in views)
        {
            await session.RecordProposalAsync(v, cancellationToken);
            list.Add(new
            {
                id = v.Id, title_untrusted = v.Title, state = Lower(v.State), voting_ends = Time(v.EndsAt), ends_is_estimate = v.TimesAreEstimates,
                created_block = v.Proposal.CreatedBlock, created_tx = v.Proposal.CreatedTx,
            });
        }

        return Json(new { dao = session.Dao, proposals = list });
    }

    [KernelFunction("get_proposal")]
    [Description("One proposal in full: state, tally, quorum, voting start and end, execution eta, its decoded on-chain actions, and its description (untrusted text written by the proposer). Use it for 'what does proposal N do', 'when does N end', 'is N passing'.")]
    public async Task<string> GetProposalAsync(
        [Description("The proposal id: a whole number, possibly 70+ digits long. Copy it exactly.")] string id,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
            var actions = await session.RecordProposalAsync(view, cancellationToken);
            var token = await session.VotingTokenAsync(cancellationToken);
            return Json(new
            {
                dao = session.Dao, id = view.Id, title_untrusted = view.Title, state = Lower(view.State), proposer = view.Proposal.Proposer,
                votes_for = Amount(view.Tally.For, token), votes_against = Amount(view.Tally.Against, token), votes_abstain = Amount(view.Tally.Abstain, token),
                quorum = Amount(view.Quorum, token), quorum_counted = Amount(view.QuorumProgress, token), quorum_reached = view.QuorumProgress >= view.Quorum,
                // Past 100 % the percentage is capped and says nothing; "reached" does.
                quorum_reached_percent = view.QuorumProgress >= view.Quorum ? (int?)null : view.QuorumPercent,
                voting_starts = Time(view.StartsAt), voting_ends = Time(view.EndsAt), times_are_estimates = view.TimesAreEstimates, executable_after = Time(view.Eta),
                created_block = view.Proposal.CreatedBlock, created_tx = view.Proposal.CreatedTx,
                actions = actions.Select(a => a.Summary).ToList(),
                description = UntrustedText.Fence(view.Proposal.Description, MaxDescriptionChars),
            });
        }
        catch (UserInputException ex)
        {
            return Error(ex.Message);
        }
    }

    [KernelFunction("get_votes")]
    [Description("The largest votes cast on one proposal: voter, support (for, against, abstain), weight, the block and tx of the vote, and the voter's reason (untrusted text).")]
    public async Task<string> GetVotesAsync(
        [Description("The proposal id, copied exactly.")] string id,
        [Description("How many votes to return, 1 to 20, largest first.")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var (view, votes) = await session.Data.VotesAsync(session.Dao, id, cancellationToken);
            await session.RecordProposalAsync(view, cancellationToken);
            var token = await session.VotingTokenAsync(cancellationToken);
            var shown = votes.Take(Math.Clamp(limit, 1, 20)).ToList();
            foreach (var vote in shown)
                session.RecordVote(vote, token);
            return Json(new
            {
                dao = session.Dao, id = view.Id, total_voters = votes.Count,
                votes = shown.Select(v => new
                {
                    voter = v.Voter, support = Lower(v.Support), weight = Amount(v.Weight, token), block = v.Block, tx = v.Tx,
                    reason_untrusted = v.Reason.Length == 0 ? null : UntrustedText.Fence(v.Reason, 300),
                }),
            });
        }
        catch (UserInputException ex)
        {
            return Error(ex.Message);
        }
    }

    [KernelFunction("get_voter")]
    [Description("One address: its current voting power, token balance, who it delegates to, and its last votes (proposal id, support, weight, block, tx). Use it for 'how did 0x… vote'.")]
    public async Task<string> GetVoterAsync(
        [Description("The 0x address (40 hex characters), copied exactly from the user's message.")] string address,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var voter = await session.Data.VoterAsync(session.Dao, address, cancellationToken);
            var token = await session.VotingTokenAsync(cancellationToken);
            session.Facts.AddAddress(voter.Address);
            session.Facts.AddAddress(voter.Delegate);
            session.Facts.AddAmount(token.Symbol, voter.VotingPower, token.Decimals);
            session.Facts.AddAmount(token.Symbol, voter.Balance, token.Decimals);
            foreach (var (vote, _) in voter.Votes)
                session.RecordVote(vote, token);
            return Json(new
            {
                dao = session.Dao, address = voter.Address, voting_power = Amount(voter.VotingPower, token), balance = Amount(voter.Balance, token),
                delegates_to = voter.Delegate,
                votes = voter.Votes.Select(v => new
                {
                    proposal_id = v.Vote.ProposalId, title_untrusted = v.Title, support = Lower(v.Vote.Support), weight = Amount(v.Vote.Weight, token),
                    block = v.Vote.Block, tx = v.Vote.Tx,
                }),
            });
        }
        catch (UserInputException ex)
        {
            return Error(ex.Message);
        }
    }

    [KernelFunction("get_delegates")]
    [Description("The delegates with the most voting power now, highest first, with how many addresses delegate to each.")]
    public async Task<string> GetDelegatesAsync(
        [Description("How many delegates to return, 1 to 25.")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        var delegates = await session.Data.DelegatesAsync(session.Dao, Math.Clamp(limit, 1, 25), cancellationToken);
        var token = await session.VotingTokenAsync(cancellationToken);
        foreach (var d in delegates)
        {
            session.Facts.AddAddress(d.Address);
            session.Facts.AddAmount(token.Symbol, d.Votes, token.Decimals);
        }

        var block = await session.Data.IndexedBlockAsync(session.Dao, cancellationToken);
        session.Cite(new Citation(null, block, null, "delegate voting power as indexed"));
        return Json(new
        {
            dao = session.Dao, as_of_indexed_block = block,
            delegates = delegates.Select((d, i) => new { rank = i + 1, address = d.Address, voting_power = Amount(d.Votes, token), delegators = d.Delegators }),
        });
    }

    internal static string Amount(System.Numerics.BigInteger baseUnits, VotingToken token) =>
        TokenAmount.Format(baseUnits, token.Decimals, token.Symbol, 2);

    internal static string? Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    internal static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    internal static string Json(object value) => JsonSerializer.Serialize(value, JsonOptions);

    internal static string Error(string message) => Json(new { error = message });

    // Relaxed escaping: the model reads this as text, and "\u003C/proposal_text\u003E" would blur the fence it is told about. Never rendered as HTML.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
