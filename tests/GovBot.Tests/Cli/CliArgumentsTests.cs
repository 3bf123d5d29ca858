using GovBot.Cli;

namespace GovBot.Tests.Cli;

public class CliArgumentsTests
{
    [Fact]
    public void Parse_ReadsVerbPositionalsAndGlobalOptionsInAnyOrder()
    {
        var cli = CliArguments.Parse(["--json", "proposal", "42", "--dao", "ens", "--config=x.json"]);
        Assert.Equal("proposal", cli.Verb);
        Assert.Equal(["42"], cli.Positionals);
        Assert.Equal("ens", cli.Dao);
        Assert.Equal("x.json", cli.ConfigFile);
        Assert.True(cli.Json);
    }

    [Fact]
    public void Parse_NoVerb_MeansRun() => Assert.Equal("run", CliArguments.Parse([]).Verb);

    [Theory]
    [InlineData("--frob")]
    [InlineData("--dao")]
    public void Parse_UnknownOrIncompleteOption_IsBadInput(string option) =>
        Assert.Throws<UserInputException>(() => CliArguments.Parse(["proposals", option]));
}
