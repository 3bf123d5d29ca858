using GovBot.Chat;

namespace GovBot.Tests.Chat;

public class ChatCommandParserTests
{
    [Theory]
    [InlineData("/proposal 42", "proposal", "id", "42")]
    [InlineData("proposal #42", "proposal", "id", "#42")]
    [InlineData("/votes@GovBot 7", "votes", "id", "7")]
    [InlineData("/proposals active", "proposals", "state", "active")]
    [InlineData("/voter 0xAbC0000000000000000000000000000000000001", "voter", "address", "0xAbC0000000000000000000000000000000000001")]
    public void Parse_PositionalWordsFillOptionsInCatalogOrder(string text, string command, string option, string value)
    {
        var parsed = ChatCommandParser.Parse(text, "GovBot")!.Value;
        Assert.Equal(command, parsed.Command);
        Assert.Equal(value, parsed.Arguments[option]);
    }

    [Fact]
    public void Parse_NamedOptionWinsAndPositionalsFillTheRest()
    {
        var parsed = ChatCommandParser.Parse("/proposal dao:ens 42")!.Value;
        Assert.Equal("ens", parsed.Arguments["dao"]);
        Assert.Equal("42", parsed.Arguments["id"]);
    }

    [Fact]
    public void Parse_AskKeepsTheWholeQuestionVerbatim()
    {
        var parsed = ChatCommandParser.Parse("/ask  what does 42 do:  to the treasury?")!.Value;
        Assert.Equal("what does 42 do:  to the treasury?", parsed.Arguments["question"]);
    }

    [Fact]
    public void Parse_CommandForAnotherBot_IsIgnored() =>
        Assert.Null(ChatCommandParser.Parse("/proposal@OtherBot 42", "GovBot"));

    [Fact]
    public void Parse_UnknownCommand_KeepsItsNameForHelp()
    {
        var parsed = ChatCommandParser.Parse("/frobnicate 1 2")!.Value;
        Assert.Equal("frobnicate", parsed.Command);
        Assert.Empty(parsed.Arguments);
    }

    [Fact]
    public void Parse_HugeInput_IsCutNotRejected()
    {
        var parsed = ChatCommandParser.Parse("/ask " + new string('x', 100_000))!.Value;
        Assert.True(parsed.Arguments["question"].Length < ChatCommandParser.MaxLineLength);
    }
}
