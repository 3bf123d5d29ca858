using System.Net;
using Dapper;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Chat;
using GovBot.Delegation;
using GovBot.Digests;
using GovBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>The chat that asked for a delegation link hears back, once, when the delegation is indexed.</summary>
[Collection(DelegationDevnetCollection.Name)]
public sealed class DelegationFollowupTests(DelegationDevnetFixture devnet)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task DelegateFromATelegramChat_RelayedAndIndexed_QueuesExactlyOneConfirmationForThatChat()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        var delegatee = DelegationDevnetFixture.Address(3);
        await using var bot = await devnet.StartGovBotAsync(daos: [dao]);
        var router = bot.Services.GetRequiredService<IChatCommandHandler>();

        var reply = await router.HandleAsync(new ChatRequest(ChatSurface.Telegram, "-1001234", "42", "delegate", new Dictionary<string, string> { ["address"] = delegatee }, "/delegate"), Ct);
        Assert.Equal(ReplyKind.Ok, reply.Kind);
        var url = Assert.Single(reply.Links).Url;

        using var http = new HttpClient();
        using var response = await http.PostAsync(url, new StringContent(await DelegationDevnetFixture.SignedRelayBodyAsync(bot, 5, 5, delegatee), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tx = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("txHash").GetString()!;
        await devnet.WaitForReceiptAsync(tx);

        var followups = bot.Services.GetRequiredService<DelegationFollowups>();
        Assert.Equal(0, await followups.AnnounceIndexedAsync(dao.Name, Ct));
        await bot.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(bot.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);
        Assert.Equal(1, await followups.AnnounceIndexedAsync(dao.Name, Ct));
        Assert.Equal(0, await followups.AnnounceIndexedAsync(dao.Name, Ct));

        await using var connection = await bot.Services.GetRequiredService<SqliteDatabase>().OpenAsync(Ct);
        var rows = (await connection.QueryAsync<(string Surface, string ChatId, string Json)>(
            "SELECT surface, chat_id, reply_json FROM outbox WHERE kind = 'delegation'")).ToList();
        var row = Assert.Single(rows);
        Assert.Equal(("Telegram", "-1001234"), (row.Surface, row.ChatId));
        var message = ReplyJson.Deserialize(row.Json);
        Assert.Contains("now delegates", message.Body, StringComparison.Ordinal);
        Assert.Contains(tx, message.Footer, StringComparison.Ordinal);
    }
}
