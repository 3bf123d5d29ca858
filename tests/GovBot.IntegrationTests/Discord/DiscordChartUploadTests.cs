using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Digests;
using GovBot.IntegrationTests.Digests;
using GovBot.IntegrationTests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Discord;

/// <summary>A result notification's chart through <see cref="DiscordDigestSender"/> and the real REST client, to the recording Discord API.</summary>
public sealed class DiscordChartUploadTests : IAsyncLifetime
{
    private const string Channel = "666";
    private const string ChartName = "votes-103842-567890.png";

    private readonly CapturingLoggerProvider _logs = new();
    private readonly FanoutLimiter _limiter = new(new FanoutLimits(), TimeProvider.System);
    private ILoggerFactory _loggerFactory = null!;
    private DiscordTestHost _host = null!;
    private int _gateCalls;

    public async Task InitializeAsync()
    {
        _host = await DiscordTestHost.StartAsync();
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs));
    }

    public async Task DisposeAsync()
    {
        _loggerFactory.Dispose();
        await _host.DisposeAsync();
    }

    private Task SendAsync(ChatReply reply, string idempotencyKey = "outbox-42")
    {
        var client = _host.App.Services.CreateScope().ServiceProvider.GetRequiredService<DiscordRestClient>();
        var sender = new DiscordDigestSender(client, _loggerFactory.CreateLogger<DiscordDigestSender>());
        return sender.SendAsync(Channel, reply, idempotencyKey, Gate, CancellationToken.None);
    }

    private async Task<IDisposable> Gate(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gateCalls);
        return await _limiter.AcquireAsync(ChatSurface.Discord, Channel, cancellationToken);
    }

    private static JsonDocument PayloadJson(RecordedRequest request)
    {
        var payload = request.Part("payload_json");
        Assert.StartsWith("application/json", payload.ContentType, StringComparison.Ordinal);
        return JsonDocument.Parse(payload.Text);
    }

    [Fact]
    public async Task ResultWithChart_IsOneMultipartRequest_WhosePayloadJsonShowsTheUploadedPngAsTheEmbedImage()
    {
        var reply = SampleResult.Notification();
        var chart = reply.Image!.Png;

        await SendAsync(reply);

        var request = Assert.Single(_host.Api.Requests);
        Assert.Equal(("POST", "/api/v10/channels/666/messages"), (request.Method, request.Path));
        Assert.StartsWith("multipart/form-data; boundary=", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("Bot " + DiscordTestHost.BotToken, request.Headers["Authorization"]);
        Assert.Equal(["payload_json", "files[0]"], request.Parts.Select(p => p.Name));
        Assert.Equal(1, _gateCalls);

        using var payload = PayloadJson(request);
        var root = payload.RootElement;
        var embed = Assert.Single(root.GetProperty("embeds").EnumerateArray());
        Assert.Equal("attachment://" + ChartName, embed.GetProperty("image").GetProperty("url").GetString());
        Assert.Contains("succeeded", embed.GetProperty("title").GetString(), StringComparison.Ordinal);
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal((0, ChartName), (attachment.GetProperty("id").GetInt32(), attachment.GetProperty("filename").GetString()));
        Assert.Equal("outbox-42", root.GetProperty("nonce").GetString());
        Assert.True(root.GetProperty("enforce_nonce").GetBoolean());
        Assert.Empty(root.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());

        var file = request.Part("files[0]");
        Assert.Equal($"form-data; name=\"files[0]\"; filename=\"{ChartName}\"", file.ContentDisposition);
        Assert.Equal((ChartName, "image/png"), (file.FileName, file.ContentType));
        Assert.Equal(SampleResult.PngSignature, file.Content[..SampleResult.PngSignature.Length]);
        Assert.Equal(chart, file.Content);
    }

    [Theory]
    [InlineData(429, """{"message":"You are being rate limited.","retry_after":0.05,"global":false}""")]
    [InlineData(502, "bad gateway")]
    public async Task ResultWithChart_RetriedAfterAnError_UploadsTheWholeFileAgain(int status, string body)
    {
        _host.Api.Enqueue(status, body);
        var reply = SampleResult.Notification();

        await SendAsync(reply);

        var requests = _host.Api.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request =>
        {
            Assert.Equal(reply.Image!.Png, request.Part("files[0]").Content);
            using var payload = PayloadJson(request);
            Assert.Equal("outbox-42", payload.RootElement.GetProperty("nonce").GetString());
            Assert.Equal(ChartName, payload.RootElement.GetProperty("attachments")[0].GetProperty("filename").GetString());
        });
    }

    [Fact]
    public async Task ImageOverTheUploadLimit_IsNotUploaded_TheEmbedGoesAloneAndTheDropIsLogged()
    {
        var huge = new byte[DiscordRestClient.MaxUploadBytes + 1];
        SampleResult.PngSignature.CopyTo(huge, 0);
        var reply = SampleResult.Notification() with { Image = new ChatImage("votes-huge.png", huge) };

        await SendAsync(reply);

        var request = Assert.Single(_host.Api.Requests);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Empty(request.Parts);
        Assert.True(request.RawBody.Length < 64 * 1024, $"the request carried {request.RawBody.Length} bytes");
        using var body = JsonDocument.Parse(request.Body);
        Assert.False(body.RootElement.TryGetProperty("attachments", out _));
        var embed = Assert.Single(body.RootElement.GetProperty("embeds").EnumerateArray());
        Assert.False(embed.TryGetProperty("image", out _));
        Assert.Equal("outbox-42", body.RootElement.GetProperty("nonce").GetString());
        Assert.Contains(_logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains("votes-huge.png", StringComparison.Ordinal) && line.Contains("upload limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageWithAnUnsafeName_IsUploadedUnderASafeName_ThatTheEmbedAndAttachmentsShare()
    {
        var reply = SampleResult.Notification();
        reply = reply with { Image = reply.Image! with { FileName = "votes 1…2\"\r\nX-Injected: y.png" } };
        const string safe = "votes_1_2___X-Injected__y.png";

        await SendAsync(reply);

        var request = Assert.Single(_host.Api.Requests);
        var file = request.Part("files[0]");
        Assert.Equal(safe, file.FileName);
        Assert.DoesNotContain("\r\nX-Injected", System.Text.Encoding.Latin1.GetString(request.RawBody), StringComparison.Ordinal);
        using var payload = PayloadJson(request);
        Assert.Equal("attachment://" + safe, payload.RootElement.GetProperty("embeds")[0].GetProperty("image").GetProperty("url").GetString());
        Assert.Equal(safe, payload.RootElement.GetProperty("attachments")[0].GetProperty("filename").GetString());
    }
}
