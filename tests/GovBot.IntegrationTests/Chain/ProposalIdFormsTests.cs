using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Chain;

/// <summary>Lists show long ids shortened ("#811882…494302"); a user pastes that back into the next command.</summary>
[Collection(DevnetCollection.Name)]
public sealed class ProposalIdFormsTests(DevnetFixture devnet)
{
    private static async Task<ChatReply> AskAsync(GovBotTestHost host, string line)
    {
        var (command, arguments) = ChatCommandParser.Parse(line) ?? throw new InvalidOperationException(line);
        var router = host.Services.GetRequiredService<IChatCommandHandler>();
        return await router.HandleAsync(new ChatRequest(ChatSurface.Console, "c", "u", command, arguments, line), CancellationToken.None);
    }

    [Fact]
    public async Task ProposalAndVotes_WithTheShortIdAListShows_FindTheProposal_AndAWrongTailIsAClearUserError()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        var executed = dao.Proposal(ProposalState.Executed);
        var shown = "#" + GovernanceService.ShortId(executed.Id);

        var list = await AskAsync(host, "/proposals");
        var proposal = await AskAsync(host, "/proposal " + shown);
        var votes = await AskAsync(host, "/votes " + shown.Replace("…", "...", StringComparison.Ordinal));
        var wrongTail = await AskAsync(host, "/proposal " + executed.Id[..6] + "…000000");

        Assert.Contains(shown + " " + executed.Title, list.Body, StringComparison.Ordinal);
        Assert.Equal(ReplyKind.Ok, proposal.Kind);
        Assert.Equal(shown + " " + executed.Title, proposal.Title);
        Assert.Contains("proposal " + executed.Id, proposal.Footer, StringComparison.Ordinal);
        Assert.Equal(ReplyKind.Ok, votes.Kind);
        Assert.Equal("Votes on " + shown + " " + executed.Title, votes.Title);
        Assert.Equal(ReplyKind.UserError, wrongTail.Kind);
        Assert.StartsWith($"No proposal {executed.Id[..6]}…000000 in {dao.Name}.", wrongTail.Body, StringComparison.Ordinal);
    }
}
