using GovBot.Chat;
using GovBot.Chat.Console;

namespace GovBot.Tests.Chat;

public class ConsoleRendererTests
{
    [Fact]
    public void Render_SampleProposalReply_MatchesGolden()
    {
        var actual = ConsoleRenderer.Render(GoldenReplies.SampleProposal());
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Chat", "Golden", "proposal-reply.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Render_TerminalEscapesAndBidiOverridesInUntrustedText_AreRemoved()
    {
        var reply = new ChatReply("Evil\u001b[2J\u001b[31m title\u202e", "body\u0007 with bell") { Facts = [new ChatFact("x\u001b]0;pwned\u0007", "y")] };

        var text = ConsoleRenderer.Render(reply);

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\u202e', text);
        Assert.Contains("Evil[2J[31m title", text, StringComparison.Ordinal);
    }
}
