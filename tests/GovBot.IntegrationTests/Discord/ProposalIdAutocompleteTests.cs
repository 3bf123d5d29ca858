using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Tests.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Discord;

/// <summary>The suggester GovBot registers for Discord's id autocomplete, over two indexed devnet DAOs.</summary>
[Collection(DevnetCollection.Name)]
public sealed class ProposalIdAutocompleteTests(DevnetFixture devnet)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Suggestions_ComeFromTheTypedDao_ElseTheChannelsDefault_ElseTheFirstDao_NewestFirstAndByPrefix()
    {
        var blocks = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var timestamps = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        await using var host = GovBotTestHost.Create([blocks, timestamps], config => config["Discord"] = new JsonObject
        {
            ["ApplicationId"] = DiscordTestHost.ApplicationId,
            ["PublicKey"] = new DiscordTestKeys().PublicKeyHex,
        });
        var registry = host.Services.GetRequiredService<DaoRegistry>();
        foreach (var dao in registry.All)
            await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(dao, null, Ct);
        await host.Services.GetRequiredService<ChatSettingsStore>().SetDefaultDaoAsync(ChatSurface.Discord, "chan-ts", timestamps.Name, Ct);
        var suggester = host.Services.GetRequiredService<IProposalIdSuggester>();
        Assert.IsType<GovernanceProposalIdSuggester>(suggester);

        var elsewhere = await suggester.SuggestAsync(null, "chan-other", "", 25, Ct);
        var inTsChannel = await suggester.SuggestAsync(null, "chan-ts", "", 25, Ct);
        var typedDao = await suggester.SuggestAsync(blocks.Name, "chan-ts", "", 25, Ct);

        Assert.Equal(blocks.Proposals.Select(p => p.Id).Order(), elsewhere.Select(s => s.Value).Order());
        Assert.Equal(timestamps.Proposals.Select(p => p.Id).Order(), inTsChannel.Select(s => s.Value).Order());
        Assert.Equal(elsewhere, typedDao);
        // Newest first: the pending proposal was proposed last.
        Assert.Equal(timestamps.Proposal(ProposalState.Pending).Id, inTsChannel[0].Value);
        Assert.All(inTsChannel, s =>
        {
            var title = timestamps.Proposals.Single(p => p.Id == s.Value).Title;
            Assert.Equal($"#{GovernanceService.ShortId(s.Value)} {title}", s.Name);
        });

        var executed = timestamps.Proposal(ProposalState.Executed);
        var byPrefix = await suggester.SuggestAsync(null, "chan-ts", executed.Id[..8], 25, Ct);
        Assert.Contains(byPrefix, s => s.Value == executed.Id);
        Assert.All(byPrefix, s => Assert.StartsWith(executed.Id[..8], s.Value, StringComparison.Ordinal));
        Assert.Equal(2, (await suggester.SuggestAsync(null, "chan-ts", "", 2, Ct)).Count);

        // Untrusted text in the option: only its digits are used, and nothing reaches SQL as text.
        var hostile = await suggester.SuggestAsync(null, "chan-ts", "' OR x=x; DROP TABLE proposals; --" + executed.Id[..8], 25, Ct);
        Assert.Equal(byPrefix, hostile);
        Assert.Equal(timestamps.Proposals.Count, (await suggester.SuggestAsync(null, "chan-ts", "", 25, Ct)).Count);
    }
}
