using System.Numerics;
using GovBot.Digests;
using GovBot.Governance;

namespace GovBot.Tests.Digests;

public sealed class DigestRenderTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);

    private static ProposalView Open(string id, long forVotes) => new(
        new IndexedProposal("ens", id, "0x" + new string('a', 40), $"Proposal {id}", $"# Proposal {id}", "0x00", [], "0", "0", 10, "0xabc", Now.AddDays(-2)),
        ProposalState.Active, new Tally(forVotes * Token, BigInteger.Zero, BigInteger.Zero), 100 * Token, QuorumCountsAbstain: true,
        Now.AddDays(-1), Now.AddDays(2), TimesAreEstimates: false, Eta: null);

    [Fact]
    public void OpenProposals_SayQuorumReached_OrHowFarAlong_NeverAPercentagePastAHundred()
    {
        var digest = new Digest("ens", Now, Now.AddDays(-1), [Open("1", 666), Open("2", 40)], [], []);

        var body = DigestBuilder.Render(digest).Body;

        Assert.Contains("#1 Proposal 1: active, ends 2025-06-03 12:00 UTC, quorum reached", body, StringComparison.Ordinal);
        Assert.Contains("#2 Proposal 2: active, ends 2025-06-03 12:00 UTC, 40% of quorum", body, StringComparison.Ordinal);
        Assert.DoesNotContain("666", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ProseFromTheModel_ComesFirst_TheSectionsAlwaysFollow()
    {
        var digest = new Digest("ens", Now, Now.AddDays(-1), [Open("1", 10)], [], []);

        var body = DigestBuilder.Render(digest, "  One proposal is open.  ").Body;

        Assert.StartsWith("One proposal is open.\n\nOpen proposals:", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Ending within 24 h: none", body, StringComparison.Ordinal);
    }
}
