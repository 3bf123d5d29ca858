using System.Numerics;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Telegram;

/// <summary>
/// The whole path a Telegram user's command takes: a proposal with hostile text proposed on anvil, indexed into
/// SQLite, asked for through telegram-test-api by the real Telegram.Bot client, answered by the real command router.
/// </summary>
[Collection(MutableDevnetCollection.Name)]
public sealed class TelegramDevnetTests(MutableDevnetFixture devnet, TelegramEmulator emulator) : IClassFixture<TelegramEmulator>
{
    private static readonly TelegramTestChat Private = new(ChatId: 5151, UserId: 5151);

    [Fact]
    public async Task ProposalsAndProposal_OverTheDevnet_AnswerFromTheChain_WithHostileProposalTextEscaped()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var title = $"<b>Evil</b> & \"grants\" <a href=\"https://evil.example\">claim</a> {Guid.NewGuid():N}"[..90];
        var id = await governance.ProposeAsync([DevnetGovernance.EthTransfer(DevnetAccounts.Addresses[7], BigInteger.Pow(10, 17))],
            $"# {title}\n\nPays <i>the grantee</i> a tenth of an ether & nothing else.\n", DevnetAccounts.Addresses[1]);

        var token = TelegramEmulator.NewBotToken();
        await using var host = GovBotTestHost.Create([dao], config =>
            config["Telegram"] = new JsonObject { ["BotToken"] = token, ["Mode"] = "Polling", ["ApiBaseUrl"] = emulator.ApiBaseUrl });
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        await host.App.StartAsync();

        await emulator.SendAsync(token, Private, "/proposals");
        var list = Assert.Single(await emulator.WaitForBotMessagesAsync(token, Private.ChatId, 1, TimeSpan.FromSeconds(60)));
        await emulator.SendAsync(token, Private, "/proposal " + id);
        var one = Assert.Single(await emulator.WaitForBotMessagesAsync(token, Private.ChatId, 1, TimeSpan.FromSeconds(60)));
        await emulator.SendAsync(token, Private, "/proposal 12345");
        var unknown = Assert.Single(await emulator.WaitForBotMessagesAsync(token, Private.ChatId, 1, TimeSpan.FromSeconds(60)));
        await emulator.SendAsync(token, Private, "/proposal 42<b>");
        var malformed = Assert.Single(await emulator.WaitForBotMessagesAsync(token, Private.ChatId, 1, TimeSpan.FromSeconds(60)));
        await host.App.StopAsync();

        foreach (var message in new[] { list, one, unknown, malformed })
            Assert.Equal("html", message.GetProperty("parse_mode").GetString()!.ToLowerInvariant());
        var listHtml = list.GetProperty("text").GetString()!;
        var oneHtml = one.GetProperty("text").GetString()!;
        Assert.DoesNotContain("<a ", listHtml + oneHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Evil", listHtml + oneHtml, StringComparison.Ordinal);

        // VisibleText parses the HTML strictly and allows only GovBot's own <b> and <i>: the user sees the title literally.
        var listText = TelegramHtml.VisibleText(listHtml);
        Assert.StartsWith($"{dao.Name}: latest proposals", listText, StringComparison.Ordinal);
        Assert.Contains($"• #{GovernanceService.ShortId(id)} {title}\n  ⏳ Pending", listText, StringComparison.Ordinal);
        Assert.Contains(dao.Proposal(ProposalState.Active).Title, listText, StringComparison.Ordinal);
        Assert.Contains(dao.Proposal(ProposalState.Executed).Title, listText, StringComparison.Ordinal);

        var oneText = TelegramHtml.VisibleText(oneHtml);
        Assert.StartsWith($"#{GovernanceService.ShortId(id)} {title}\n\n", oneText, StringComparison.Ordinal);
        Assert.Contains("State: ⏳ Pending", oneText, StringComparison.Ordinal);
        Assert.Contains("Proposer: " + EthAddress.Short(DevnetAccounts.Addresses[1].ToLowerInvariant()), oneText, StringComparison.Ordinal);
        Assert.Contains("0.1 ETH", oneText, StringComparison.Ordinal);
        Assert.Contains($"proposal {id}", oneText, StringComparison.Ordinal);

        Assert.StartsWith("⚠️ That did not work\n\nNo proposal 12345 in devnet.", TelegramHtml.VisibleText(unknown.GetProperty("text").GetString()!), StringComparison.Ordinal);
        Assert.StartsWith("⚠️ That did not work\n\n'42<b>' is not a proposal id.", TelegramHtml.VisibleText(malformed.GetProperty("text").GetString()!), StringComparison.Ordinal);
    }
}
