using GovBot.Governance;

namespace GovBot.Tests.Governance;

public class ProposalTextTests
{
    [Theory]
    [InlineData("# [EP 5.16] Fund the thing\n\nbody", "[EP 5.16] Fund the thing")]
    [InlineData("\n\n## Title with spaces  \nbody", "Title with spaces")]
    [InlineData("No heading at all\nsecond", "No heading at all")]
    [InlineData("", "(untitled proposal)")]
    [InlineData("#\n#\n", "(untitled proposal)")]
    public void Title_TakesTheFirstNonEmptyLineWithoutHashes(string description, string expected) =>
        Assert.Equal(expected, ProposalText.Title(description));

    [Fact]
    public void Title_RemovesBidiOverridesAndZeroWidthCharacters()
    {
        var title = ProposalText.Title("# Send\u202E 100 ETH\u200B to me");
        Assert.Equal("Send 100 ETH to me", title);
    }

    [Fact]
    public void Title_IsCappedSoAHugeFirstLineCannotFloodAChat()
    {
        var title = ProposalText.Title("# " + new string('a', 10_000));
        Assert.Equal(ProposalText.MaxTitleLength, title.Length);
    }

    [Fact]
    public void Title_OfEveryCorpusProposalIsItsHeading()
    {
        foreach (var file in Corpus.Descriptions())
        {
            var text = File.ReadAllText(file);
            var title = ProposalText.Title(text);
            Assert.False(title.StartsWith('#'), file);
            Assert.NotEqual("(untitled proposal)", title);
        }
    }
}
