using System.Text.RegularExpressions;
using GovBot.Chat.Commands;
using GovBot.Governance;

namespace GovBot.Orchestration;

public enum AskIntentKind
{
    Unknown,
    OpenProposals,
    ProposalsByState,
    WhatDoes,
    ProposalTreasury,
    Treasury,
    VoterVote,
    WhenEnds,
    ProposalState,
    TopDelegates,
    Delegate,
}

public sealed record AskIntent(AskIntentKind Kind, string? ProposalId = null, string? Address = null, ProposalState? State = null);

/// <summary>Recognises the questions the offline engine can answer from the chain without a model. Plain patterns, no guessing.</summary>
public static partial class AskIntentParser
{
    public static AskIntent Parse(string question)
    {
        var q = Whitespace().Replace(OutputGuard.StripHidden(question).ToLowerInvariant(), " ").Trim();
        var id = ProposalId(q);
        var address = AddressPattern().Match(q) is { Success: true } a ? a.Value : null;

        if (address is not null && DelegatePattern().IsMatch(q))
            return new AskIntent(AskIntentKind.Delegate, Address: address);
        if (address is not null && (VotePattern().IsMatch(q) || VoterPattern().IsMatch(q)))
            return new AskIntent(AskIntentKind.VoterVote, id, address);
        if (TreasuryPattern().IsMatch(q))
            return id is null ? new AskIntent(AskIntentKind.Treasury) : new AskIntent(AskIntentKind.ProposalTreasury, id);
        if (DelegatesPattern().IsMatch(q))
            return new AskIntent(AskIntentKind.TopDelegates);
        if (id is not null)
        {
            if (EndsPattern().IsMatch(q))
                return new AskIntent(AskIntentKind.WhenEnds, id);
            if (StatePattern().IsMatch(q))
                return new AskIntent(AskIntentKind.ProposalState, id);
            if (WhatDoesPattern().IsMatch(q))
                return new AskIntent(AskIntentKind.WhatDoes, id);
        }

        if (ProposalsWord().IsMatch(q) || VotingNowPattern().IsMatch(q))
        {
            if (OpenPattern().IsMatch(q) || VotingNowPattern().IsMatch(q))
                return new AskIntent(AskIntentKind.OpenProposals);
            foreach (Match word in Word().Matches(q))
            {
                var stem = word.Value switch
                {
                    "passed" => "succeeded",
                    "failed" or "rejected" => "defeated",
                    "cancelled" => "canceled",
                    var w => w,
                };
                if (stem != "active" && ProposalFormat.TryParseState(stem, out var state) && state is not null)
                    return new AskIntent(AskIntentKind.ProposalsByState, State: state);
            }
        }

        if (id is not null && q.Split(' ').Length <= 4)
            return new AskIntent(AskIntentKind.WhatDoes, id);
        return new AskIntent(AskIntentKind.Unknown, id, address);
    }

    /// <summary>"#42", "proposal 42", "prop 42", "EP 42"; a 10+ digit number (OZ ids); or the number in "what does 42 do".</summary>
    internal static string? ProposalId(string q)
    {
        if (ExplicitId().Match(q) is { Success: true } e)
            return e.Groups["id"].Value;
        if (LongNumber().Match(q) is { Success: true } l)
            return l.Value;
        if (ContextId().Match(q) is { Success: true } c)
            return c.Groups["id"].Value;
        return null;
    }

    [GeneratedRegex(@"(?:#|\bproposal\s*(?:#|no\.?|number)?\s*|\bprop\s*#?\s*)(?<id>\d{1,78})\b")]
    private static partial Regex ExplicitId();

    [GeneratedRegex(@"(?<![\dx])\d{10,78}\b")]
    private static partial Regex LongNumber();

    [GeneratedRegex(@"\b(?:does|did|do|is|was|will|of|on|about|for|explain|summari[sz]e)\s+(?<id>\d{1,9})(?=\s*(?:$|[?.!,;])|\s+(?:do|does|did|end|ends|close|closes|pass|passing|mean|change|to)\b)")]
    private static partial Regex ContextId();

    [GeneratedRegex(@"\b0x[0-9a-f]{40}\b")]
    private static partial Regex AddressPattern();

    /// <summary>"delegate my votes to 0x…", "how do I delegate to 0x…", "delegation link for 0x…"; not "who does 0x… delegate to".</summary>
    [GeneratedRegex(@"^(?:(?:please|pls|ok|okay)\s+)?(?:(?:i\s+(?:want|would like|'d like|wish)\s+to|how\s+(?:do|can|should)\s+i|help\s+me|can\s+i|let\s+me)\s+)?(?:re-?)?delegate\b|\bdelegation\s+link\b|\blink\s+to\s+delegate\b")]
    private static partial Regex DelegatePattern();

    /// <summary>"who does 0x… delegate to", "0x…'s voting power", "how many tokens does 0x… hold".</summary>
    [GeneratedRegex(@"\bdelegat\w*|\bvoting power\b|\bbalance\b|\bhold(?:s|ing)?\b|\btokens\b")]
    private static partial Regex VoterPattern();

    [GeneratedRegex(@"\bvot(?:e|ed|es|ing)\b")]
    private static partial Regex VotePattern();

    [GeneratedRegex(@"\b(?:treasury|balances?|funds?|budget|spend|pay|paid|payments?|money|cost|holdings)\b|\bhow much\b.*\b(?:dao|we)\s+(?:have|hold|own)\b")]
    private static partial Regex TreasuryPattern();

    [GeneratedRegex(@"\b(?:top|biggest|largest|leading|main)\s+(?:\d+\s+)?delegates?\b|\bdelegates?\s+(?:leaderboard|ranking)\b|\bwho\s+(?:has|holds)\s+(?:the\s+)?most\s+(?:voting\s+power|votes)\b|^delegates$")]
    private static partial Regex DelegatesPattern();

    [GeneratedRegex(@"\b(?:end|ends|ending|close|closes|closing|deadline|finish|finishes|over|until when)\b")]
    private static partial Regex EndsPattern();

    [GeneratedRegex(@"\b(?:state|status|passing|passed|pass|failing|failed|executed|queued|defeated|succeeded|canceled|cancelled|result|outcome|quorum|tally)\b")]
    private static partial Regex StatePattern();

    [GeneratedRegex(@"\b(?:what|explain|summar\w*|tell me about|describe|about)\b")]
    private static partial Regex WhatDoesPattern();

    [GeneratedRegex(@"\bproposals?\b")]
    private static partial Regex ProposalsWord();

    [GeneratedRegex(@"\b(?:open|active|live|current|ongoing|running|in progress)\b")]
    private static partial Regex OpenPattern();

    [GeneratedRegex(@"\b(?:what|anything)\s+(?:can i|is up for|to)\s+vote\b|\bvote on (?:right )?now\b|\bup for (?:a )?vote\b|\banything\s+(?:open|active|live|ongoing)\b")]
    private static partial Regex VotingNowPattern();

    [GeneratedRegex(@"[a-z]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
