using System.Text.RegularExpressions;
using GovBot.Orchestration;
using GovBot.Treasury;
using Xunit.Abstractions;

namespace GovBot.Tests.Orchestration;

public sealed partial class ExtractiveSummarizerTests(ITestOutputHelper output)
{
    public static TheoryData<string> CorpusIds => new(Corpus.ProposalIds);

    [Theory]
    [MemberData(nameof(CorpusIds))]
    public void CorpusDescription_SummaryIsPlainTextWithinTheLimit(string id)
    {
        var data = new InMemoryGovernanceData();
        var view = data.AddCorpusProposal(id, "1", GovBot.Governance.ProposalState.Active);
        var actions = data.Facts.CreateDecoder().Decode(view.Proposal.Actions, data.Facts.Executor);

        var raw = ExtractiveSummarizer.Summarize(view.Proposal.Description, actions);
        var guarded = ProposalSummarizer.ExtractiveSummary(view.Proposal, data.Facts, actions);
        output.WriteLine($"{id}: {raw.Length} chars raw, {guarded.Text.Length} guarded\n{guarded.Text}");

        foreach (var text in new[] { raw, guarded.Text })
        {
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.InRange(text.Length, 40, ExtractiveSummarizer.MaxLength);
            Assert.DoesNotContain("##", text, StringComparison.Ordinal);
            Assert.DoesNotContain("**", text, StringComparison.Ordinal);
            Assert.DoesNotContain("|", text, StringComparison.Ordinal);
            Assert.DoesNotContain("](", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(MarkdownLink(), text);
            Assert.DoesNotContain("http", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("`", text, StringComparison.Ordinal);
            Assert.DoesNotContain("&#", text, StringComparison.Ordinal);
        }

        if (actions.Count > 0)
            Assert.Contains("On-chain action", raw, StringComparison.Ordinal);
    }

    /// <summary>Where the author wrote a Summary or Abstract, the summary opens with its first sentence.</summary>
    [Theory]
    [MemberData(nameof(CorpusIds))]
    public void CorpusDescription_WithSummarySection_StartsWithItsFirstSentence(string id)
    {
        var description = Corpus.Description(id);
        var section = SummaryHeading().Match(description);
        if (!section.Success)
            return;
        var body = description[(section.Index + section.Length)..];
        var firstParagraph = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(p => ExtractiveSummarizer.Plain(p.Trim()))
            .FirstOrDefault(p => p.Split(' ').Length >= 5 && !p.StartsWith('#'));
        if (firstParagraph is null)
            return;

        var summary = ExtractiveSummarizer.Summarize(description, []);

        var opening = firstParagraph[..Math.Min(50, firstParagraph.Length)];
        Assert.StartsWith(opening, summary, StringComparison.Ordinal);
    }

    /// <summary>A summary that stops on "…the following two issues:" tells a token holder nothing; what the colon introduces comes along.</summary>
    [Theory]
    [MemberData(nameof(CorpusIds))]
    public void CorpusSummary_ProseNeverEndsOnADanglingColon(string id)
    {
        var summary = ExtractiveSummarizer.Summarize(Corpus.Description(id), []);

        Assert.False(summary.TrimEnd().EndsWith(':'), summary);
    }

    [Fact]
    public void EnsEp635_TheIssuesItsAbstractIntroduces_AreInTheSummary()
    {
        var summary = ExtractiveSummarizer.Summarize(Corpus.Description("ens-ep-6-35"), []);

        Assert.StartsWith("This proposal replaces three DNSSEC oracle algorithms with newly deployed contracts to address the following two issues: " +
                          "feat: Replace EllipticCurve with EIP-7951 P-256 precompile for Algorithm 13; RSA Signature Forgery via Missing PKCS#1 v1.5 Padding Validation in ENS DNSSEC Oracle.",
            summary, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsEp628_TheMultisigItsAbstractNames_IsInTheSummary_AndSurvivesTheGuardAsAnActionAddress()
    {
        var data = new InMemoryGovernanceData();
        var view = data.AddCorpusProposal("ens-ep-6-28", "1", GovBot.Governance.ProposalState.Active);
        var actions = data.Facts.CreateDecoder().Decode(view.Proposal.Actions, data.Facts.Executor);

        var summary = ProposalSummarizer.ExtractiveSummary(view.Proposal, data.Facts, actions);

        Assert.StartsWith("This Executable Proposal requests that the ENS DAO assign ownership of the .kred top-level domain (TLD) to the multisig wallet: " +
                          "0xb9ef2c160D908A4F7a9DFcdba46662C4a7EC4FD9. The proposing entity", summary.Text, StringComparison.Ordinal);
        Assert.False(summary.Flagged);
    }

    [Fact]
    public void EnsEp622_OutlineSection_IsTheSummary_NotTheProceduralFirstLine()
    {
        var summary = ExtractiveSummarizer.Summarize(Corpus.Description("ens-ep-6-22"), []);

        Assert.StartsWith("This proposal aims to launch ENS Contract Naming Season: a time-boxed program", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("we now move this proposal to a vote", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsEp516_SummaryIsTheAuthorsSummaryThenTheTransfer()
    {
        var actions = new ActionDecoder().Decode(Corpus.Actions("ens-ep-5-16"), "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7");

        var summary = ExtractiveSummarizer.Summarize(Corpus.Description("ens-ep-5-16"), actions);

        Assert.StartsWith("This executable proposal seeks to implement the reimbursement payment to ENS Labs", summary, StringComparison.Ordinal);
        Assert.Contains("approved in the previously passed social proposal EP 5.3.", summary, StringComparison.Ordinal);
        Assert.Contains("• Transfer 1,218,669.76 USDC to 0x690f0581ececcf8389c223170778cd9d029606f2", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void DescriptionWithoutSummary_UsesLeadingSentencesAndSkipsLinkBoilerplate()
    {
        const string description = """
            # Fund the thing

            [Temp Check Discourse link](https://discuss.example/t/1)

            | Status | Draft |
            | --- | --- |

            ## Links
            - [Forum](https://discuss.example/t/1)

            ## Motivation
            We want to **fund** the _thing_ because it matters. It costs money. See [the post](https://x.example) for more.
            """;

        var summary = ExtractiveSummarizer.Summarize(description, []);

        Assert.Equal("We want to fund the thing because it matters. It costs money. See the post for more.", summary);
    }

    [Fact]
    public void InlineTlDr_IsTheSummary()
    {
        var summary = ExtractiveSummarizer.Summarize("# T\n\nSome context first that is long enough to count.\n\nTL;DR: Pay Alice 10 USDC for the audit work she did.", []);

        Assert.StartsWith("Pay Alice 10 USDC for the audit work she did.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeSingleSentence_IsClippedAtAWordWithAnEllipsis()
    {
        var summary = ExtractiveSummarizer.Summarize("# T\n\n## Summary\n" + string.Join(' ', Enumerable.Repeat("word", 2000)), []);

        Assert.True(summary.Length <= ExtractiveSummarizer.MaxLength);
        Assert.EndsWith("word…", summary, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[[^\]]*\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^\s*#{1,6}\s*(?:\*\*)?\s*(?:Summary|Abstract|TL;DR|Synopsis)\s*(?:\*\*)?\s*:?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SummaryHeading();
}
