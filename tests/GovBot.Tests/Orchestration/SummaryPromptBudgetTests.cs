using GovBot.Orchestration;
using GovBot.Treasury;

namespace GovBot.Tests.Orchestration;

/// <summary>The summary prompt's caps that keep it near 1,500 tokens (bench/results/llm.md measures the real corpus).</summary>
public sealed class SummaryPromptBudgetTests
{
    [Fact]
    public void Fence_CutsLongTextAtAWordAndSaysSo()
    {
        var text = string.Concat(Enumerable.Repeat("governance proposal text ", 400));

        var fenced = UntrustedText.Fence(text, 1_000);

        Assert.Contains("[… text truncated]", fenced, StringComparison.Ordinal);
        var body = fenced.Split('\n')[1];
        Assert.True(body.Length <= 1_000, body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(body.Length > 800);
        Assert.EndsWith("text", body, StringComparison.Ordinal);
        Assert.EndsWith("</proposal_text>", fenced, StringComparison.Ordinal);
    }

    [Fact]
    public void Fence_LeavesShortTextWhole()
    {
        Assert.DoesNotContain("truncated", UntrustedText.Fence("short text", 1_000), StringComparison.Ordinal);
    }

    [Fact]
    public void PromptActions_SendsWholeLinesWithinTheCapAndCountsTheRest()
    {
        var actions = new ActionDecoder().Decode(Corpus.Actions("ens-ep-6-16"), "0xfe89cc7abb2c4183683ab71653c4cdc9b02d44b7");
        Assert.Equal(16, actions.Count);

        var text = ProposalSummarizer.PromptActions(actions, ProposalSummarizer.PromptActionsChars);

        var lines = text.Split('\n');
        Assert.StartsWith("1. ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("… and ", lines[^1], StringComparison.Ordinal);
        var shown = lines.Length - 1;
        Assert.Contains($"and {16 - shown} more actions", lines[^1], StringComparison.Ordinal);
        Assert.True(string.Join('\n', lines[..^1]).Length <= ProposalSummarizer.PromptActionsChars);
        for (var i = 0; i < shown; i++)
            Assert.Equal($"{i + 1}. {actions[i].Summary}", lines[i]);
    }

    [Fact]
    public void PromptActions_NoActions()
    {
        Assert.Equal("(no on-chain actions)", ProposalSummarizer.PromptActions([], ProposalSummarizer.PromptActionsChars));
    }
}
