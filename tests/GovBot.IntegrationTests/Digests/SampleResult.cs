using System.Numerics;
using GovBot.Chain;
using GovBot.Chat;
using GovBot.Digests;
using GovBot.Governance;

namespace GovBot.IntegrationTests.Digests;

/// <summary>A result notification for a mainnet proposal, chart included, made by the real NotificationFormat and VoteChart.</summary>
public static class SampleResult
{
    /// <summary>A uint256 id, long enough that the chart's name carries its shortened form.</summary>
    public const string ProposalId = "103842167853725391478263478965123456789012345678901234567890";

    public static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly BigInteger Token = BigInteger.Pow(10, 18);

    public static ChatReply Notification()
    {
        var now = DateTimeOffset.UtcNow;
        var proposal = new IndexedProposal("ens", ProposalId, "0x" + new string('a', 40), "[EP 6.2] Renew the <b>stewards</b> & fund the WG",
            "# [EP 6.2] Renew the stewards", "0x00", [], "21000000", "21045000", 20_999_000, "0x" + new string('c', 64), now.AddDays(-8));
        var view = new ProposalView(proposal, ProposalState.Succeeded, new Tally(1_234_567 * Token, 269_000 * Token, 50_000 * Token),
            1_000_000 * Token, QuorumCountsAbstain: true, now.AddDays(-7), now.AddDays(-1), TimesAreEstimates: false, Eta: null);
        var profile = new GovernorProfile(1, TimestampClock: false, GovernorCounting.Simple, HasQuorumOfTimepoint: true, "ENS", 18);
        return NotificationFormat.Render(NotificationKinds.Result, view, profile, now, withChart: true);
    }
}
