using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Configuration;
using GovBot.Chat.Discord;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Tests.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Discord;

/// <summary>
/// GovBot as `govbot run` builds it with Discord configured, over the devnet: signed interactions in, the real router
/// and services behind them, follow-up edits out to a recording Discord API.
/// </summary>
[Collection(MutableDevnetCollection.Name)]
public sealed class DiscordDevnetTests(MutableDevnetFixture devnet)
{
    private static async Task<JsonElement> PostAsync(HttpClient http, DiscordTestKeys keys, object interaction)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(interaction));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, DiscordInteractionsEndpoint.Path) { Content = content };
        request.Headers.Add("X-Signature-Ed25519", keys.SignHex(timestamp, body));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static object Interaction(int type, string name, string token, params object[] options) => new
    {
        type,
        id = "1",
        application_id = DiscordTestHost.ApplicationId,
        token,
        guild_id = "555",
        channel_id = "666",
        member = new { user = new { id = "777" }, permissions = "0" },
        data = new { id = "9", name, type = 1, options },
    };

    [Fact]
    public async Task ProposalAutocompleteAndAsk_OverTheDevnet_AnswerFromTheChain_WithHostileTextDefused()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var title = $"@everyone **Free** [claim](https://evil.example) <@&123> {marker}";
        var id = await governance.ProposeAsync([DevnetGovernance.EthTransfer(DevnetAccounts.Addresses[7], BigInteger.Pow(10, 17))],
            $"# {title}\n\nPays the grantee a tenth of an ether. @here `code` ~~strike~~\n", DevnetAccounts.Addresses[1]);

        await using var api = await RecordingDiscordApi.StartAsync();
        var keys = new DiscordTestKeys();
        var port = GovBotTestHost.FreeLoopbackPort();
        await using var host = GovBotTestHost.Create([dao], config =>
        {
            config["Web"]!["Urls"] = $"http://127.0.0.1:{port}";
            config["Discord"] = new JsonObject
            {
                ["ApplicationId"] = DiscordTestHost.ApplicationId,
                ["PublicKey"] = keys.PublicKeyHex,
                ["BotToken"] = DiscordTestHost.BotToken,
                ["ApiBaseUrl"] = api.ApiBaseUrl,
            };
        });
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, CancellationToken.None);
        await host.App.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Autocomplete while typing the id: the newest proposal first, labelled with its title.
        var suggestions = await PostAsync(http, keys, Interaction(4, "proposal", "tok-ac", new { name = "id", type = 3, value = "", focused = true }));
        Assert.Equal(8, suggestions.GetProperty("type").GetInt32());
        var first = suggestions.GetProperty("data").GetProperty("choices")[0];
        Assert.Equal(id, first.GetProperty("value").GetString());
        Assert.Contains(marker, first.GetProperty("name").GetString(), StringComparison.Ordinal);

        // /proposal answers inline with an embed built from the chain; the hostile title cannot ping, link or format.
        var proposal = await PostAsync(http, keys, Interaction(2, "proposal", "tok-p", new { name = "id", type = 3, value = id }));
        Assert.Equal(4, proposal.GetProperty("type").GetInt32());
        var data = proposal.GetProperty("data");
        Assert.Equal(0, data.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var embed = data.GetProperty("embeds")[0];
        var embedTitle = embed.GetProperty("title").GetString()!;
        Assert.StartsWith($"\\#{GovernanceService.ShortId(id)} @\u200Beveryone \\*\\*Free\\*\\* \\[claim\\](https://evil.example) \\<@\u200B&123\\> {marker}", embedTitle, StringComparison.Ordinal);
        var fields = embed.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetString()!);
        Assert.Equal("⏳ Pending", fields["State"]);
        Assert.Equal(EthAddress.Short(DevnetAccounts.Addresses[1].ToLowerInvariant()), fields["Proposer"]);
        var description = embed.GetProperty("description").GetString()!;
        Assert.Contains("0.1 ETH", description, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", description + embedTitle, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", description + embedTitle, StringComparison.Ordinal);
        Assert.Empty(api.Requests);

        // /ask is deferred at once, then the answer replaces the placeholder through PATCH @original.
        var ask = await PostAsync(http, keys, Interaction(2, "ask", "tok-ask", new { name = "question", type = 3, value = $"what does {id} do?" }));
        Assert.Equal(5, ask.GetProperty("type").GetInt32());
        var edit = Assert.Single(await api.WaitForRequestsAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Equal(("PATCH", $"/api/v10/webhooks/{DiscordTestHost.ApplicationId}/tok-ask/messages/@original"), (edit.Method, edit.Path));
        using var edited = JsonDocument.Parse(edit.Body);
        Assert.Equal(0, edited.RootElement.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.Contains(marker, edited.RootElement.GetProperty("embeds")[0].GetRawText(), StringComparison.Ordinal);
        Assert.Contains("0.1 ETH", edited.RootElement.GetProperty("embeds")[0].GetRawText(), StringComparison.Ordinal);
        await host.App.StopAsync();
    }
}
