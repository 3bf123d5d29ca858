using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GovBot.Chat.Commands;
using GovBot.Governance;

namespace GovBot.Cli;

/// <summary>The --json shapes other tools depend on. Amounts are decimal strings of base units; ids are decimal strings.</summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // stdout JSON is read by programs and people, never embedded in HTML: "treasury's", not "treasury\u0027s".
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static object Proposal(ProposalView v, bool withDetails)
    {
        var summary = new Dictionary<string, object?>
        {
            ["dao"] = v.Proposal.Dao,
            ["id"] = v.Id,
            ["title"] = v.Title,
            ["state"] = ProposalFormat.State(v.State),
            ["proposer"] = v.Proposal.Proposer,
            ["forVotes"] = Str(v.Tally.For),
            ["againstVotes"] = Str(v.Tally.Against),
            ["abstainVotes"] = Str(v.Tally.Abstain),
            ["quorum"] = Str(v.Quorum),
            ["voteStart"] = v.Proposal.VoteStart,
            ["voteEnd"] = v.Proposal.VoteEnd,
            ["startsAt"] = Iso(v.StartsAt),
            ["endsAt"] = Iso(v.EndsAt),
            ["timesEstimated"] = v.TimesAreEstimates,
            ["eta"] = Iso(v.Eta),
            ["createdBlock"] = v.Proposal.CreatedBlock,
            ["createdTx"] = v.Proposal.CreatedTx,
        };
        if (withDetails)
        {
            summary["description"] = v.Proposal.Description;
            summary["actions"] = v.Proposal.Actions.Select(a => new { target = a.Target, value = a.Value, signature = a.Signature, calldata = a.Calldata }).ToList();
        }

        return summary;
    }

    public static object Vote(VoteRecord v) => new
    {
        voter = v.Voter,
        support = v.Support.ToString().ToLowerInvariant(),
        weight = Str(v.Weight),
        reason = v.Reason,
        block = v.Block,
        tx = v.Tx,
    };

    public static object Delegate(DelegateRow d) => new { address = d.Address, votes = Str(d.Votes), delegators = d.Delegators };

    public static object Voter(VoterView v) => new
    {
        address = v.Address,
        votingPower = Str(v.VotingPower),
        balance = Str(v.Balance),
        @delegate = v.Delegate,
        votes = v.Votes.Select(x => new { proposalId = x.Vote.ProposalId, title = x.Title, support = x.Vote.Support.ToString().ToLowerInvariant(), weight = Str(x.Vote.Weight), reason = x.Vote.Reason, block = x.Vote.Block, tx = x.Vote.Tx }).ToList(),
    };

    private static string Str(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Iso(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
