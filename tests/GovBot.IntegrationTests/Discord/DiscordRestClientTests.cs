using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.IntegrationTests.Discord;

public sealed class DiscordRestClientTests : IAsyncLifetime
{
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DiscordRestClient Client() => _host.App.Services.CreateScope().ServiceProvider.GetRequiredService<DiscordRestClient>();

    private static DiscordMessage Message(string text) => DiscordEmbedRenderer.Render(new ChatReply("Digest", text));

    [Fact]
    public async Task CreateMessage_SendsBotAuthorizationAndUserAgent_AndReturnsTheId()
    {
        var id = await Client().CreateMessageAsync("666", Message("hello"), CancellationToken.None);

        Assert.Equal("1111", id);
        var request = Assert.Single(_host.Api.Requests);
        Assert.Equal(("POST", "/api/v10/channels/666/messages"), (request.Method, request.Path));
        Assert.Equal("Bot " + DiscordTestHost.BotToken, request.Headers["Authorization"]);
        Assert.Equal("DiscordBot (https://github.com/govbot/govbot, 1.0)", request.Headers["User-Agent"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateMessage_WithFilesOverTheUploadLimit_ThrowsWithoutSending()
    {
        var message = Message("x") with { Files = [new DiscordFile("big.png", "image/png", new byte[DiscordRestClient.MaxUploadBytes + 1])] };

        await Assert.ThrowsAsync<ArgumentException>(() => Client().CreateMessageAsync("666", message, CancellationToken.None));
        Assert.Empty(_host.Api.Requests);
    }

    [Fact]
    public async Task CreateFollowup_PostsToTheInteractionWebhook()
    {
        await Client().CreateFollowupAsync(DiscordTestHost.ApplicationId, "tok", Message("more"), CancellationToken.None);
        var request = Assert.Single(_host.Api.Requests);
        Assert.Equal(("POST", $"/api/v10/webhooks/{DiscordTestHost.ApplicationId}/tok"), (request.Method, request.Path));
    }

    [Fact]
    public async Task EveryMessageRoute_SendsEmptyAllowedMentions_EvenWhenTheMessageAskedToPing()
    {
        // A message built by hand that would ping everyone: the client still sends parse [] on follow-ups,
        // channel posts and edits, with and without an uploaded file.
        var pinging = DiscordMessage.Text("@everyone new proposal") with { AllowedMentions = new DiscordAllowedMentions(["everyone", "roles", "users"]) };
        var withFile = pinging with { Files = [new DiscordFile("chart.png", "image/png", [0x89, 0x50, 0x4E, 0x47])] };
        var client = Client();

        await client.CreateFollowupAsync(DiscordTestHost.ApplicationId, "tok", pinging, CancellationToken.None);
        await client.CreateMessageAsync("666", pinging, CancellationToken.None);
        await client.EditOriginalAsync(DiscordTestHost.ApplicationId, "tok", pinging, CancellationToken.None);
        await client.CreateMessageAsync("666", withFile, CancellationToken.None);

        var requests = _host.Api.Requests;
        Assert.Equal(4, requests.Count);
        foreach (var request in requests)
        {
            var json = request.Parts.Count > 0 ? request.Part("payload_json").Text : request.Body;
            using var body = JsonDocument.Parse(json);
            Assert.Equal(0, body.RootElement.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        }
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoff()
    {
        _host.Api.Enqueue(502, "bad gateway");
        _host.Api.Enqueue(500, """{"message":"internal","code":0}""");

        await Client().CreateMessageAsync("666", Message("x"), CancellationToken.None);

        var requests = _host.Api.Requests;
        Assert.Equal(3, requests.Count);
        // Backoff is 250 ms then 500 ms; receive times carry the test server's scheduling jitter, hence the slack.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(200));
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task ServerErrors_GiveUpAfterBoundedAttempts()
    {
        for (var i = 0; i < DiscordRestClient.MaxAttempts; i++)
            _host.Api.Enqueue(503, "unavailable");

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => Client().CreateMessageAsync("666", Message("x"), CancellationToken.None));
        Assert.Equal(503, (int)error.Status);
        Assert.Equal(DiscordRestClient.MaxAttempts, _host.Api.Requests.Count);
    }

    [Fact]
    public async Task ClientErrors_AreNotRetried_AndCarryDiscordsCode()
    {
        _host.Api.Enqueue(404, """{"message":"Unknown interaction","code":10062}""");
        var error = await Assert.ThrowsAsync<DiscordApiException>(() => Client().EditOriginalAsync("1", "expired", Message("x"), CancellationToken.None));
        Assert.Equal(10062, error.Code);
        Assert.Single(_host.Api.Requests);
        Assert.DoesNotContain(DiscordTestHost.BotToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExhaustedBucket_WaitsForItsResetBeforeTheNextRequest()
    {
        _host.Api.Enqueue(200, """{"id":"1"}""", ("X-RateLimit-Bucket", "abc"), ("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "1.5"));

        var client = Client();
        await client.CreateMessageAsync("666", Message("1"), CancellationToken.None);
        await client.CreateMessageAsync("666", Message("2"), CancellationToken.None);
        // Another channel is another bucket: no wait.
        await client.CreateMessageAsync("667", Message("3"), CancellationToken.None);

        var requests = _host.Api.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal("/api/v10/channels/666/messages", requests[1].Path);
        // A 1.5 s reset keeps "waited" and "not held back" far apart even with a loaded machine's scheduling jitter.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(1.4), "waited for the bucket reset");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt < TimeSpan.FromSeconds(1), "other channel not held back");
    }

    [Fact]
    public async Task GlobalRateLimit_HoldsBackEveryRoute()
    {
        _host.Api.Enqueue(429, """{"message":"global","retry_after":1.0,"global":true}""", ("X-RateLimit-Global", "true"));

        var client = Client();
        var first = client.CreateMessageAsync("1", Message("a"), CancellationToken.None);
        var limiter = _host.App.Services.GetRequiredService<DiscordRateLimiter>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (limiter.GlobalResetAt <= DateTimeOffset.UtcNow)
                await Task.Delay(5, timeout.Token);
        }
        var second = Client().CreateMessageAsync("2", Message("b"), CancellationToken.None);
        await Task.WhenAll(first, second);

        var requests = _host.Api.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests.Skip(1), r => Assert.True(r.ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), r.Path));
    }

    [Fact]
    public async Task BulkOverwriteCommands_PutsTheCatalogToTheGuild()
    {
        await Client().BulkOverwriteCommandsAsync(DiscordTestHost.ApplicationId, "555", CommandCatalog.All, CancellationToken.None);

        var request = Assert.Single(_host.Api.Requests);
        Assert.Equal(("PUT", $"/api/v10/applications/{DiscordTestHost.ApplicationId}/guilds/555/commands"), (request.Method, request.Path));
        Assert.Equal("Bot " + DiscordTestHost.BotToken, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        var commands = body.RootElement.EnumerateArray().ToList();
        Assert.Equal(CommandCatalog.All.Count, commands.Count);
        var proposal = commands.Single(c => c.GetProperty("name").GetString() == "proposal");
        Assert.Equal(1, proposal.GetProperty("type").GetInt32());
        var id = proposal.GetProperty("options").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "id");
        Assert.Equal((3, true, true), (id.GetProperty("type").GetInt32(), id.GetProperty("required").GetBoolean(), id.GetProperty("autocomplete").GetBoolean()));
    }

    [Fact]
    public async Task BulkOverwriteCommands_Globally_UsesTheApplicationRoute()
    {
        await Client().BulkOverwriteCommandsAsync(DiscordTestHost.ApplicationId, null, CommandCatalog.All, CancellationToken.None);
        Assert.Equal($"/api/v10/applications/{DiscordTestHost.ApplicationId}/commands", Assert.Single(_host.Api.Requests).Path);
    }
}
