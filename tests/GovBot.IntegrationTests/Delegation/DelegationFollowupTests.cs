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
        Assert.Contains("you pay no gas", reply.Body, StringComparison.Ordinal);

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

    /// <summary>The page's report of a wallet transaction is untrusted: only a matching indexed DelegateChanged is ever announced.</summary>
    [Fact]
    public async Task WalletReport_OfATransactionThatIsNotThisDelegation_IsNeverAnnounced_BadReportsRefused_AtMostThreePerLink()
    {
        const int holder = 2;
        var linkDelegatee = DelegationDevnetFixture.Address(3);
        await using var bot = await devnet.StartGovBotAsync(config => config["Relayer"] = new System.Text.Json.Nodes.JsonObject());
        var reply = await bot.Services.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest(
            ChatSurface.Telegram, "-100777", "42", "delegate", new Dictionary<string, string> { ["address"] = linkDelegatee }, "/delegate"), Ct);
        var sent = new Uri(Assert.Single(reply.Links).Url + "/sent");
        using var http = new HttpClient();

        // A real delegate() by the holder, but to someone else than the link's delegatee.
        var web3 = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(DevnetAccounts.PrivateKeys[holder], devnet.Dao.ChainId), devnet.Anvil.RpcUrl.ToString());
        var elsewhere = await web3.Eth.GetContractTransactionHandler<DelegateFunction>().SendRequestAndWaitForReceiptAsync(
            devnet.Dao.Token, new DelegateFunction { Delegatee = DelegationDevnetFixture.Address(6), Gas = 300_000 });
        Assert.Equal(1, (int)elsewhere.Status.Value);

        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync(elsewhere.TransactionHash, holder));
        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync("0x" + new string('a', 64), holder));
        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync("0x" + new string('a', 64), holder)); // the same report again is no new report
        Assert.Equal(HttpStatusCode.Accepted, await ReportAsync("0x" + new string('b', 64), holder));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ReportAsync("0x" + new string('c', 64), holder));

        using var malformed = await http.PostAsync(sent, new StringContent("{\"delegator\":\"0x12\",\"txHash\":\"0xzz\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var errors = System.Text.Json.JsonDocument.Parse(await malformed.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith("delegator", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("txHash", StringComparison.Ordinal));
        using var tampered = await http.PostAsync(new Uri(sent.ToString().Replace("/sent", "x/sent", StringComparison.Ordinal)),
            new StringContent($"{{\"delegator\":\"{DelegationDevnetFixture.Address(holder)}\",\"txHash\":\"0x{new string('d', 64)}\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);

        await bot.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(bot.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);
        Assert.Equal(0, await bot.Services.GetRequiredService<DelegationFollowups>().AnnounceIndexedAsync(devnet.Dao.Name, Ct));

        async Task<HttpStatusCode> ReportAsync(string txHash, int delegator)
        {
            var body = $"{{\"delegator\":\"{DelegationDevnetFixture.Address(delegator)}\",\"txHash\":\"{txHash}\"}}";
            using var response = await http.PostAsync(sent, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }
    }
}

/// <summary>ERC20Votes delegate(address): what a holder's wallet sends when there is no relayer.</summary>
[Nethereum.ABI.FunctionEncoding.Attributes.Function("delegate")]
public sealed class DelegateFunction : Nethereum.Contracts.FunctionMessage
{
    [Nethereum.ABI.FunctionEncoding.Attributes.Parameter("address", "delegatee", 1)] public string Delegatee { get; set; } = "";
}
