using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Chain;

/// <summary>/voter over the seeded devnet: how an address voted, its voting power and its delegate.</summary>
[Collection(DevnetCollection.Name)]
public sealed class VoterCommandTests(DevnetFixture devnet)
{
    private static async Task<ChatReply> VoterAsync(GovBotTestHost host, string address) =>
        await host.Services.GetRequiredService<IChatCommandHandler>().HandleAsync(
            new ChatRequest(ChatSurface.Console, "c", "u", "voter", new Dictionary<string, string> { ["address"] = address }, "/voter " + address),
            CancellationToken.None);

    private static string Fact(ChatReply reply, string name) => reply.Facts.Single(f => f.Name == name).Value;

    [Fact]
    public async Task Voter_ShowsVotesPowerBalanceAndDelegate_ForAVoterADelegatorAndANonHolder()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        var voter = DevnetAccounts.Addresses[1];
        var delegator = DevnetAccounts.Addresses[2];

        var self = await VoterAsync(host, voter.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal));
        var delegating = await VoterAsync(host, delegator);
        var nobody = await VoterAsync(host, DevnetAccounts.Addresses[8]);
        var malformed = await VoterAsync(host, "0x12<b>");

        Assert.Equal(ReplyKind.Ok, self.Kind);
        Assert.Equal("Voter " + EthAddress.Short(voter.ToLowerInvariant()), self.Title);
        Assert.Equal("4,750,000 GBT", Fact(self, "Voting power"));
        Assert.Equal("2,750,000 GBT", Fact(self, "Balance"));
        Assert.Equal("self", Fact(self, "Delegates to"));
        Assert.Contains($"{dao.Proposal(ProposalState.Executed).Title}: for with 4.75M GBT", self.Body, StringComparison.Ordinal);
        Assert.Contains($"{dao.Proposal(ProposalState.Defeated).Title}: against with 4.75M GBT", self.Body, StringComparison.Ordinal);

        Assert.Equal("0 GBT", Fact(delegating, "Voting power"));
        Assert.Equal("2,000,000 GBT", Fact(delegating, "Balance"));
        Assert.Equal(EthAddress.Short(voter.ToLowerInvariant()), Fact(delegating, "Delegates to"));
        Assert.Equal("No votes cast by this address.", delegating.Body);

        Assert.Equal("nobody (votes are not active)", Fact(nobody, "Delegates to"));
        Assert.Equal(ReplyKind.UserError, malformed.Kind);
        Assert.Contains("is not an address", malformed.Body, StringComparison.Ordinal);
    }
}
