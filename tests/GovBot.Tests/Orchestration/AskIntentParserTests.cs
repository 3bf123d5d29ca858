using GovBot.Governance;
using GovBot.Orchestration;

namespace GovBot.Tests.Orchestration;

public sealed class AskIntentParserTests
{
    private const string Voter = "0x5bfcb4be4d7b43437d5a0c57e908c048a4418390";

    [Theory]
    [InlineData("Which proposals are open?", AskIntentKind.OpenProposals, null)]
    [InlineData("what proposals are active right now", AskIntentKind.OpenProposals, null)]
    [InlineData("Anything up for a vote?", AskIntentKind.OpenProposals, null)]
    [InlineData("What does 42 do?", AskIntentKind.WhatDoes, "42")]
    [InlineData("explain proposal #7", AskIntentKind.WhatDoes, "7")]
    [InlineData("summarise 45461903078948131870051132081249892009497709518413744958551889217805827301425", AskIntentKind.WhatDoes, "45461903078948131870051132081249892009497709518413744958551889217805827301425")]
    [InlineData("What does 42 do to the treasury?", AskIntentKind.ProposalTreasury, "42")]
    [InlineData("how much is in the treasury", AskIntentKind.Treasury, null)]
    [InlineData("When does 42 end?", AskIntentKind.WhenEnds, "42")]
    [InlineData("what's the deadline for proposal 9", AskIntentKind.WhenEnds, "9")]
    [InlineData("What is the state of 42?", AskIntentKind.ProposalState, "42")]
    [InlineData("is #42 passing", AskIntentKind.ProposalState, "42")]
    [InlineData("Who are the top delegates?", AskIntentKind.TopDelegates, null)]
    [InlineData("top 5 delegates", AskIntentKind.TopDelegates, null)]
    [InlineData("who has the most voting power", AskIntentKind.TopDelegates, null)]
    [InlineData("anything active?", AskIntentKind.OpenProposals, null)]
    [InlineData("how much USDC does the DAO have", AskIntentKind.Treasury, null)]
    [InlineData("Should the DAO buy a yacht?", AskIntentKind.Unknown, null)]
    [InlineData("tell me a joke about 3 cats", AskIntentKind.Unknown, null)]
    public void Question_IsRecognised(string question, AskIntentKind kind, string? id)
    {
        var intent = AskIntentParser.Parse(question);

        Assert.Equal(kind, intent.Kind);
        Assert.Equal(id, intent.ProposalId);
    }

    [Fact]
    public void HowDidAddressVote_OnAProposal_CarriesBoth()
    {
        var intent = AskIntentParser.Parse($"How did {Voter.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)} vote on #42?");

        Assert.Equal(AskIntentKind.VoterVote, intent.Kind);
        Assert.Equal(Voter, intent.Address);
        Assert.Equal("42", intent.ProposalId);
    }

    [Theory]
    [InlineData("delegate my votes to {0}")]
    [InlineData("Please delegate to {0}")]
    [InlineData("how do I delegate to {0}?")]
    [InlineData("I want to delegate my ENS to {0}")]
    [InlineData("give me a delegation link for {0}")]
    public void DelegateRequest_IsADelegation_NotAVoterQuestion(string template)
    {
        var intent = AskIntentParser.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Voter));

        Assert.Equal(AskIntentKind.Delegate, intent.Kind);
        Assert.Equal(Voter, intent.Address);
    }

    [Fact]
    public void WhoDoesAnAddressDelegateTo_AndHowDidItVote_AreNotDelegationRequests()
    {
        Assert.Equal(AskIntentKind.VoterVote, AskIntentParser.Parse($"how did {Voter} vote after they delegate?").Kind);
        Assert.Equal(AskIntentKind.VoterVote, AskIntentParser.Parse($"who does {Voter} delegate to?").Kind);
        Assert.Equal(AskIntentKind.VoterVote, AskIntentParser.Parse($"what is the voting power of {Voter}").Kind);
        Assert.NotEqual(AskIntentKind.Delegate, AskIntentParser.Parse("delegate my votes to someone good").Kind);
    }

    [Fact]
    public void ProposalsByState_ReadsTheState()
    {
        Assert.Equal(ProposalState.Executed, AskIntentParser.Parse("which proposals were executed?").State);
        Assert.Equal(ProposalState.Defeated, AskIntentParser.Parse("show me failed proposals").State);
    }
}
