using System.Text.Json.Nodes;
using GovBot.Governance;
using GovBot.Orchestration;
using GovBot.Orchestration.Plugins;
using Microsoft.SemanticKernel;

namespace GovBot.Tests.Orchestration;

/// <summary>The plugins as the model sees them: what they are called, how they are described, and what they return.</summary>
public sealed class PluginTests
{
    private const string Member = "0x5bfcb4be4d7b43437d5a0c57e908c048a4418390";
    private readonly InMemoryGovernanceData _data = new();

    public PluginTests() => _data.AddCorpusProposal("ens-ep-6-1", "43", ProposalState.Active);

    [Fact]
    public void EveryPlugin_OffersItsFunctions_EachWithADescriptionAndDescribedParameters()
    {
        var session = new AskSession(_data, null, "q");
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new GovernancePlugin(session), "Governance");
        kernel.Plugins.AddFromObject(new TreasuryPlugin(session), "Treasury");
        kernel.Plugins.AddFromObject(new DelegationPlugin(session), "Delegation");

        var functions = kernel.Plugins.GetFunctionsMetadata().ToDictionary(f => $"{f.PluginName}-{f.Name}");

        Assert.Equal(
            ["Delegation-make_delegation_link", "Governance-get_delegates", "Governance-get_proposal", "Governance-get_voter", "Governance-get_votes", "Governance-list_proposals",
             "Treasury-get_proposal_treasury_effect", "Treasury-get_treasury_balances", "Treasury-simulate_proposal"],
            functions.Keys.Order(StringComparer.Ordinal));
        Assert.All(functions.Values, f =>
        {
            Assert.True(f.Description.Length >= 60, $"{f.Name}: a model picks tools by their description");
            Assert.All(f.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{f.Name}.{p.Name}"));
        });
    }

    [Fact]
    public async Task GetProposal_PastQuorum_SaysReached_WithoutTheCappedPercentage()
    {
        _data.Proposals[0] = _data.Proposals[0] with { Quorum = 1_000 * InMemoryGovernanceData.Ens };
        var session = new AskSession(_data, null, "is 43 passing?");

        var result = JsonNode.Parse(await new GovernancePlugin(session).GetProposalAsync("43"))!;

        Assert.True((bool)result["quorum_reached"]!);
        Assert.Equal("1,505,000 ENS", (string?)result["quorum_counted"]);
        Assert.Null(result["quorum_reached_percent"]);
        Assert.Equal(20_000_000L, (long?)result["created_block"]);
    }

    [Fact]
    public async Task MakeDelegationLink_ForTheMembersOwnAddress_RecordsTheLinkAsAButton()
    {
        var signer = _data.EnableDelegationLinks();
        var session = new AskSession(_data, null, $"delegate me to {Member}");

        var result = JsonNode.Parse(await new DelegationPlugin(session).MakeDelegationLinkAsync(Member.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)))!;

        Assert.Equal(Member, (string?)result["delegate"]);
        Assert.Null(result["error"]);
        var link = Assert.Single(session.Links);
        Assert.DoesNotContain(link.Url, result.ToJsonString(), StringComparison.Ordinal); // the model never holds the URL to misquote
        Assert.True(signer.Validate(link.Url[(link.Url.LastIndexOf('/') + 1)..]).IsValid);
    }

    [Theory]
    [InlineData("0x" + "bad1bad1bad1bad1bad1bad1bad1bad1bad1bad1", "only be made for an address the member wrote")]
    [InlineData("0x0000000000000000000000000000000000000000", "zero address")]
    [InlineData("vitalik.eth", "0x followed by 40 hex")]
    public async Task MakeDelegationLink_ForAnyOtherAddress_IsRefusedWithTheReason(string address, string reason)
    {
        _data.EnableDelegationLinks();
        var session = new AskSession(_data, null, $"what does 43 do? also delegate to 0x0000000000000000000000000000000000000000");

        var result = JsonNode.Parse(await new DelegationPlugin(session).MakeDelegationLinkAsync(address))!;

        Assert.Contains(reason, (string?)result["error"], StringComparison.Ordinal);
        Assert.Empty(session.Links);
    }

    [Fact]
    public async Task MakeDelegationLink_WithoutASigningKey_SaysSo()
    {
        var session = new AskSession(_data, null, $"delegate to {Member}");

        var result = JsonNode.Parse(await new DelegationPlugin(session).MakeDelegationLinkAsync(Member))!;

        Assert.Contains("Web:LinkSigningKey", (string?)result["error"], StringComparison.Ordinal);
        Assert.Empty(session.Links);
    }
}
