using System.Globalization;
using GovBot.Chat;
using GovBot.Chat.Telegram;
using GovBot.Digests;
using GovBot.IntegrationTests.Digests;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;

namespace GovBot.IntegrationTests.Telegram;

/// <summary>
/// A result notification with its chart through <see cref="TelegramDigestSender"/> and the real Telegram.Bot client.
/// telegram-test-api 4.2.1 has no sendPhoto (it answers "not supported" and has no multipart parser); the emulator
/// script adds one that stores the caption and the photo's size. The photo's bytes are checked at a recording proxy
/// between the client and the emulator.
/// </summary>
[Collection(TelegramEmulatorCollection.Name)]
public sealed class TelegramPhotoTests(TelegramEmulator emulator)
{
    private const long Chat = 4242;

    private sealed class Harness(BlockingTelegramProxy proxy, HttpClient http, string token) : IAsyncDisposable
    {
        private readonly FanoutLimiter _limiter = new(new FanoutLimits(), TimeProvider.System);
        private int _gateCalls;

        public BlockingTelegramProxy Proxy => proxy;
        public string Token => token;
        public int GateCalls => _gateCalls;

        public Task SendAsync(ChatReply reply)
        {
            var bot = new TelegramBotClient(new TelegramBotClientOptions(token, proxy.Url), http);
            var sender = new TelegramDigestSender(new TelegramSender(bot, new TelegramSurfaceTimings(), TimeProvider.System, NullLogger<TelegramSender>.Instance));
            return sender.SendAsync(Chat.ToString(CultureInfo.InvariantCulture), reply, "outbox-7", GateAsync, CancellationToken.None);
        }

        private async Task<IDisposable> GateAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _gateCalls);
            return await _limiter.AcquireAsync(ChatSurface.Telegram, Chat.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await proxy.DisposeAsync();
        }
    }

    /// <summary>The part holding the file: "photo" itself, or the part that photo=attach://name names (Telegram.Bot's way).</summary>
    private static MultipartPart PhotoPart(IReadOnlyList<MultipartPart> parts)
    {
        var photo = parts.Single(p => p.Name == "photo");
        const string attach = "attach://";
        return photo.FileName is null && photo.Text.StartsWith(attach, StringComparison.Ordinal)
            ? parts.Single(p => p.Name == photo.Text[attach.Length..])
            : photo;
    }

    private async Task<Harness> StartAsync() =>
        new(await BlockingTelegramProxy.StartAsync(emulator.ApiBaseUrl), new HttpClient(), TelegramEmulator.NewBotToken());

    [Fact]
    public async Task ResultWithChart_ArrivesAsOnePhoto_CaptionedWithTheWholeNotification()
    {
        await using var harness = await StartAsync();
        var reply = SampleResult.Notification();
        var chart = reply.Image!;
        var caption = Assert.Single(TelegramRenderer.Render(reply, TelegramSender.CaptionLimit)).Html;

        await harness.SendAsync(reply);

        Assert.Equal(["sendPhoto"], await emulator.CallsAsync(harness.Token));
        Assert.Equal(1, harness.GateCalls);
        var stored = Assert.Single(await emulator.WaitForBotMessagesAsync(harness.Token, Chat, 1));
        Assert.Equal(caption, stored.GetProperty("text").GetString());
        Assert.Contains("succeeded", caption, StringComparison.Ordinal);
        // Telegram.Bot writes "Html"; the Bot API reads parse_mode case-insensitively.
        Assert.Equal("html", stored.GetProperty("parse_mode").GetString()!.ToLowerInvariant());
        Assert.Equal(chart.Png.Length, stored.GetProperty("photo")[0].GetProperty("file_size").GetInt32());
        var button = stored.GetProperty("reply_markup").GetProperty("inline_keyboard")[0][0];
        Assert.Equal("https://etherscan.io/tx/0x" + new string('c', 64), button.GetProperty("url").GetString());

        var request = Assert.Single(harness.Proxy.Requests);
        Assert.EndsWith("/sendPhoto", request.Path, StringComparison.Ordinal);
        var parts = await MultipartBody.ReadAsync(request.ContentType, request.Body);
        var photo = PhotoPart(parts);
        Assert.Equal(chart.FileName, photo.FileName);
        Assert.Equal(SampleResult.PngSignature, photo.Content[..SampleResult.PngSignature.Length]);
        Assert.Equal(chart.Png, photo.Content);
        Assert.Equal(Chat.ToString(CultureInfo.InvariantCulture), parts.Single(p => p.Name == "chat_id").Text);
        Assert.Equal(caption, parts.Single(p => p.Name == "caption").Text);
    }

    [Fact]
    public async Task ResultWithChart_TooLongForACaption_GoesAsThePhotoWithTheTitle_ThenTheWholeNotificationAsText()
    {
        await using var harness = await StartAsync();
        var notification = SampleResult.Notification();
        var longer = string.Join("\n", Enumerable.Range(1, 40).Select(i => $"• line {i} of a body that no caption can hold"));
        var reply = notification with { Body = notification.Body + "\n" + longer };
        Assert.True(TelegramRenderer.Render(reply, TelegramSender.CaptionLimit).Count > 1, "the reply must not fit one caption");

        await harness.SendAsync(reply);

        Assert.Equal(["sendPhoto", "sendMessage"], await emulator.CallsAsync(harness.Token));
        Assert.Equal(2, harness.GateCalls);
        var stored = await emulator.WaitForBotMessagesAsync(harness.Token, Chat, 2);
        Assert.Equal(2, stored.Count);
        Assert.Equal("<b>" + TelegramRenderer.Escape(reply.Title) + "</b>", stored[0].GetProperty("text").GetString());
        Assert.Equal(reply.Image!.Png.Length, stored[0].GetProperty("photo")[0].GetProperty("file_size").GetInt32());
        Assert.False(stored[1].TryGetProperty("photo", out _));
        Assert.Equal(Assert.Single(TelegramRenderer.Render(reply)).Html, stored[1].GetProperty("text").GetString());
        Assert.Contains("line 40 of a body", stored[1].GetProperty("text").GetString(), StringComparison.Ordinal);

        var photoRequest = harness.Proxy.Requests[0];
        var photo = PhotoPart(await MultipartBody.ReadAsync(photoRequest.ContentType, photoRequest.Body));
        Assert.Equal(reply.Image.Png, photo.Content);
    }
}
