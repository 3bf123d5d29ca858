using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GovBot.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Digests;

/// <summary>
/// A Bot API proxy in front of telegram-test-api (which cannot block a bot) that answers sends to the blocked chats
/// exactly as Telegram does: 403 "Forbidden: bot was blocked by the user". Everything else passes through. Every
/// request is recorded as it arrived, so a test can look at what the emulator does not keep (a photo's bytes).
/// </summary>
public sealed partial class BlockingTelegramProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly HashSet<string> _blocked;
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private int _refused;

    private BlockingTelegramProxy(WebApplication app, Uri upstream, IEnumerable<long> blocked)
    {
        _app = app;
        _upstream = new HttpClient { BaseAddress = upstream };
        _blocked = blocked.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
    }

    public string Url { get; private set; } = "";
    public int Refused => _refused;
    public IReadOnlyList<ProxiedRequest> Requests => [.. _requests];

    public static async Task<BlockingTelegramProxy> StartAsync(string upstream, params long[] blocked)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new BlockingTelegramProxy(app, new Uri(upstream), blocked);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return proxy;
    }

    [GeneratedRegex("name=\"?chat_id\"?[^\\r]*\\r\\n(?:[^\\r]*\\r\\n)*?\\r\\n(-?\\d+)\\r\\n")]
    private static partial Regex MultipartChatId();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var path = context.Request.Path.Value ?? "";
        _requests.Enqueue(new ProxiedRequest(path, context.Request.ContentType, body));
        if ((path.EndsWith("/sendMessage", StringComparison.Ordinal) || path.EndsWith("/sendPhoto", StringComparison.Ordinal))
            && ChatId(context.Request.ContentType, body) is { } chat && _blocked.Contains(chat))
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}""");
            return;
        }

        await HttpForwarding.ForwardAsync(_upstream, context, body);
    }

    private static string? ChatId(string? contentType, byte[] body)
    {
        if (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("chat_id", out var id) ? id.ToString() : null;
        }

        var match = MultipartChatId().Match(Encoding.Latin1.GetString(body));
        return match.Success ? match.Groups[1].Value : null;
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.DisposeAsync();
    }
}

/// <param name="Path">The request path, which holds the bot token: for assertions, never for output.</param>
public sealed record ProxiedRequest(string Path, string? ContentType, byte[] Body);
