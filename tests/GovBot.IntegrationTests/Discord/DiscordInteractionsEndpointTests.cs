using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Tests.Discord;

namespace GovBot.IntegrationTests.Discord;

public sealed class DiscordInteractionsEndpointTests : IAsyncLifetime
{
    private DiscordTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Ping_ReturnsPong()
    {
        using var response = await _host.PostAsync("""{"type":1,"id":"1","application_id":"987654321098765432","token":"t"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, (await JsonAsync(response)).GetProperty("type").GetInt32());
    }

    [Fact]
    public async Task Interaction_WithForgedSignature_Returns401()
    {
        var timestamp = DiscordTestHost.Now();
        const string Body = """{"type":1}""";
        var forged = new DiscordTestKeys().SignHex(timestamp, Body);
        using var response = await _host.PostAsync(Body, timestamp, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Handler.Requests);
    }

    [Fact]
    public async Task Interaction_WithMissingSignatureHeaders_Returns401()
    {
        using var response = await _host.Client.PostAsync(DiscordInteractionsEndpoint.Path, new StringContent("""{"type":1}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Interaction_WithStaleTimestamp_Returns401()
    {
        var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 400).ToString(CultureInfo.InvariantCulture);
        using var response = await _host.PostAsync("""{"type":1}""", stale);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Interaction_With100KiBBody_Returns413()
    {
        var huge = "{\"type\":1,\"pad\":\"" + new string('a', 100 * 1024) + "\"}";
        using var response = await _host.PostAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Interaction_With100KiBChunkedBody_Returns413WithoutContentLength()
    {
        var timestamp = DiscordTestHost.Now();
        var bytes = Encoding.UTF8.GetBytes("{\"type\":1,\"pad\":\"" + new string('a', 100 * 1024) + "\"}");
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        using var request = new HttpRequestMessage(HttpMethod.Post, DiscordInteractionsEndpoint.Path) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Signature-Ed25519", _host.Keys.SignHex(timestamp, bytes));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        using var response = await _host.Client.SendAsync(request);
        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Interaction_WithUnsupportedType_Returns400WithJsonError()
    {
        using var response = await _host.PostAsync("""{"type":3,"data":{"custom_id":"x"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unsupported", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interaction_WithSignedGarbage_Returns400()
    {
        using var response = await _host.PostAsync("{not json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task FastCommand_AnswersInlineWithAnEmbed()
    {
        _host.Handler.Reply = (request, _) => Task.FromResult(new ChatReply($"Proposal {request.Argument("id")}", "@everyone **vote**")
        {
            Facts = [new ChatFact("State", "Active")],
            Links = [new ChatLink("Tally", "https://www.tally.xyz/gov/ens/proposal/42")],
        });

        using var response = await _host.PostAsync(DiscordTestHost.Command("proposal", "tok-fast", ("id", "42"), ("dao", "ens")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonAsync(response);
        Assert.Equal(4, json.GetProperty("type").GetInt32());
        var data = json.GetProperty("data");
        var embed = data.GetProperty("embeds")[0];
        Assert.Equal("Proposal 42", embed.GetProperty("title").GetString());
        Assert.Equal("@\u200Beveryone \\*\\*vote\\*\\*", embed.GetProperty("description").GetString());
        Assert.Equal(0, data.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.Equal(5, data.GetProperty("components")[0].GetProperty("components")[0].GetProperty("style").GetInt32());

        var request = Assert.Single(_host.Handler.Requests);
        Assert.Equal((ChatSurface.Discord, "666", "777", "proposal", true), (request.Surface, request.ChatId, request.UserId, request.Command, request.IsChatAdmin));
        Assert.Equal("ens", request.Argument("dao"));
        Assert.Empty(_host.Api.Requests);
    }

    [Fact]
    public async Task FastCommand_ThatThrows_AnswersInlineWithAnErrorEmbed()
    {
        _host.Handler.Reply = (_, _) => throw new InvalidOperationException("boom");
        using var response = await _host.PostAsync(DiscordTestHost.Command("treasury", "tok-throw"));
        var json = await JsonAsync(response);
        Assert.Equal(4, json.GetProperty("type").GetInt32());
        Assert.Equal("Something went wrong", json.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task RateLimitedReply_IsEphemeral_OtherRepliesAreNot()
    {
        _host.Handler.Reply = (request, _) => Task.FromResult(request.Command == "treasury"
            ? new ChatReply("Slow down a little", "Try again in a minute.") { Kind = ReplyKind.RateLimited }
            : new ChatReply("Treasury", "100 ETH"));

        using var limited = await _host.PostAsync(DiscordTestHost.Command("treasury", "tok-limited"));
        using var normal = await _host.PostAsync(DiscordTestHost.Command("delegates", "tok-normal"));

        var limitedData = (await JsonAsync(limited)).GetProperty("data");
        Assert.Equal(DiscordMessage.EphemeralFlag, limitedData.GetProperty("flags").GetInt32());
        Assert.Equal("Slow down a little", limitedData.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.False((await JsonAsync(normal)).GetProperty("data").TryGetProperty("flags", out _));
    }

    [Fact]
    public async Task SlowAsk_AnswersDeferredThenEditsTheOriginal()
    {
        var release = new TaskCompletionSource();
        _host.Handler.Reply = async (request, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return new ChatReply("Answer", "Proposal 42 sends 100 ETH. Question was: " + request.Argument("question"));
        };

        using var response = await _host.PostAsync(DiscordTestHost.Command("ask", "tok-slow/ask", ("question", "what does 42 do?")));
        var json = await JsonAsync(response);
        Assert.Equal(5, json.GetProperty("type").GetInt32());
        Assert.Empty(_host.Api.Requests);

        release.SetResult();
        var edit = Assert.Single(await _host.Api.WaitForRequestsAsync(1));
        Assert.Equal("PATCH", edit.Method);
        Assert.Equal($"/api/v10/webhooks/{DiscordTestHost.ApplicationId}/tok-slow%2Fask/messages/@original", edit.Path);
        Assert.Equal(DiscordRestClient.UserAgent, edit.Headers["User-Agent"]);
        Assert.False(edit.Headers.ContainsKey("Authorization"), "interaction webhooks need no bot token");
        using var body = JsonDocument.Parse(edit.Body);
        Assert.Equal("Answer", body.RootElement.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public async Task SlowAsk_WhenTheEditIsRateLimited_RetriesAfterRetryAfter()
    {
        _host.Api.Enqueue(429, """{"message":"You are being rate limited.","retry_after":0.6,"global":false}""",
            ("X-RateLimit-Scope", "user"), ("Retry-After", "5"));
        _host.Handler.Reply = (_, _) => Task.FromResult(new ChatReply("Answer", "done"));

        using var response = await _host.PostAsync(DiscordTestHost.Command("ask", "tok-429", ("question", "q")));
        Assert.Equal(5, (await JsonAsync(response)).GetProperty("type").GetInt32());

        var requests = await _host.Api.WaitForRequestsAsync(2);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("PATCH", r.Method));
        Assert.Equal(requests[0].Body, requests[1].Body);
        var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
        // Receive times carry the server's scheduling jitter on a loaded machine: a little slack below, and the header's
        // 5 s far enough above that "the body's retry_after won" stays unambiguous.
        Assert.True(gap >= TimeSpan.FromSeconds(0.5), $"retried after {gap.TotalMilliseconds} ms");
        Assert.True(gap < TimeSpan.FromSeconds(4), $"body retry_after (0.6 s) wins over the header (5 s); waited {gap.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task FastCommand_ThatOverrunsTheInlineWindow_IsDeferredBeforeDiscordsDeadline()
    {
        var release = new TaskCompletionSource();
        _host.Handler.Reply = async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return new ChatReply("Treasury", "late but here");
        };

        // A first command warms the host (JIT, DI), so the timing below is the endpoint's, not the runtime's start-up.
        var warm = new ChatReply("warm", "up");
        var slow = _host.Handler.Reply;
        _host.Handler.Reply = (_, _) => Task.FromResult(warm);
        using (await _host.PostAsync(DiscordTestHost.Command("proposals", "tok-warm")))
        {
        }

        _host.Handler.Reply = slow;
        var stopwatch = Stopwatch.StartNew();
        using var response = await _host.PostAsync(DiscordTestHost.Command("treasury", "tok-overrun"));
        var elapsed = stopwatch.Elapsed;
        Assert.Equal(5, (await JsonAsync(response)).GetProperty("type").GetInt32());
        // Deferred once the 2 s inline window passes, and before Discord's 3 s deadline.
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.8) && elapsed < TimeSpan.FromSeconds(3), $"deferred after {elapsed.TotalMilliseconds} ms");

        release.SetResult();
        var edit = Assert.Single(await _host.Api.WaitForRequestsAsync(1));
        Assert.EndsWith("/tok-overrun/messages/@original", edit.Path, StringComparison.Ordinal);
        Assert.Contains("late but here", edit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowCommand_ThatFails_EditsAnErrorMessageInsteadOfHanging()
    {
        _host.Handler.Reply = async (_, ct) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("rpc down");
        };

        using var response = await _host.PostAsync(DiscordTestHost.Command("simulate", "tok-fail", ("id", "7")));
        Assert.Equal(5, (await JsonAsync(response)).GetProperty("type").GetInt32());

        var edit = Assert.Single(await _host.Api.WaitForRequestsAsync(1));
        using var body = JsonDocument.Parse(edit.Body);
        Assert.Equal("Something went wrong", body.RootElement.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.DoesNotContain("rpc down", edit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowCommand_InterruptedByShutdown_EditsARestartMessage()
    {
        var started = new TaskCompletionSource();
        _host.Handler.Reply = async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };

        using var response = await _host.PostAsync(DiscordTestHost.Command("digest", "tok-shutdown"));
        Assert.Equal(5, (await JsonAsync(response)).GetProperty("type").GetInt32());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await _host.App.StopAsync();
        var edit = Assert.Single(await _host.Api.WaitForRequestsAsync(1));
        Assert.Contains("GovBot is restarting", edit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autocomplete_ForId_ReturnsAtMost25ValidChoices()
    {
        string? seenDao = null, seenPrefix = null;
        _host.Suggester.Suggest = (dao, prefix) =>
        {
            (seenDao, seenPrefix) = (dao, prefix);
            return Enumerable.Range(0, 40)
                .Select(i => new ProposalIdSuggestion(i == 0 ? new string('x', 300) : $"#{i} title", i == 1 ? new string('9', 101) : i.ToString(CultureInfo.InvariantCulture)))
                .ToList();
        };
        const string Body = """
            {"type":4,"application_id":"987654321098765432","token":"t","channel_id":"c","user":{"id":"u"},
             "data":{"name":"votes","options":[{"name":"dao","type":3,"value":"ens"},{"name":"id","type":3,"value":"1","focused":true}]}}
            """;

        using var response = await _host.PostAsync(Body);
        var json = await JsonAsync(response);
        Assert.Equal(8, json.GetProperty("type").GetInt32());
        var choices = json.GetProperty("data").GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(25, choices.Count);
        Assert.All(choices, c =>
        {
            Assert.InRange(c.GetProperty("name").GetString()!.Length, 1, 100);
            Assert.InRange(c.GetProperty("value").GetString()!.Length, 1, 100);
        });
        Assert.DoesNotContain(choices, c => c.GetProperty("value").GetString()!.Length > 100);
        Assert.Equal(("ens", "1", "c"), (seenDao, seenPrefix, _host.Suggester.ChatId));
    }

    [Fact]
    public async Task Autocomplete_WhenSuggestionsHang_AnswersNoChoicesBeforeDiscordsDeadline()
    {
        const string Body = """{"type":4,"channel_id":"c","user":{"id":"u"},"data":{"name":"proposal","options":[{"name":"id","type":3,"value":"4","focused":true}]}}""";
        // A first request warms the host (JIT, DI), so the timing below is the endpoint's, not the runtime's start-up.
        using (await _host.PostAsync(Body))
        {
        }

        var cancelled = new TaskCompletionSource();
        _host.Suggester.Before = async ct =>
        {
            // Ignores cancellation like a stuck call would; the endpoint must not wait for it.
            await using (ct.Register(() => cancelled.TrySetResult()))
                await Task.Delay(TimeSpan.FromSeconds(20), CancellationToken.None);
        };
        _host.Suggester.Suggest = (_, _) => [new ProposalIdSuggestion("late", "1")];

        var stopwatch = Stopwatch.StartNew();
        using var response = await _host.PostAsync(Body);
        var elapsed = stopwatch.Elapsed;

        var json = await JsonAsync(response);
        Assert.Equal(8, json.GetProperty("type").GetInt32());
        Assert.Equal(0, json.GetProperty("data").GetProperty("choices").GetArrayLength());
        // Given up at the 2 s autocomplete timeout, before Discord's 3 s deadline.
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.8) && elapsed < TimeSpan.FromSeconds(3), $"answered after {elapsed.TotalMilliseconds} ms");
        Assert.True(cancelled.Task.IsCompleted, "the suggester's token was cancelled at the timeout");
    }

    [Fact]
    public async Task Autocomplete_ForAnotherOption_ReturnsNoChoices()
    {
        const string Body = """{"type":4,"channel_id":"c","user":{"id":"u"},"data":{"name":"proposals","options":[{"name":"state","type":3,"value":"ac","focused":true}]}}""";
        using var response = await _host.PostAsync(Body);
        var json = await JsonAsync(response);
        Assert.Equal(8, json.GetProperty("type").GetInt32());
        Assert.Equal(0, json.GetProperty("data").GetProperty("choices").GetArrayLength());
    }

    /// <summary>A stream that hides its length, so HttpClient must send the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
