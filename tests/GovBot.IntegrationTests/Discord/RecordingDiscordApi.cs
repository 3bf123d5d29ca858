using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Discord;

/// <summary>
/// Stands in for discord.com/api: a Kestrel app on a free loopback port that records every request (bytes as sent,
/// multipart parts parsed) and answers from a script (429s with retry_after, 5xx, bucket headers), else 200 with a
/// message object.
/// </summary>
public sealed class RecordingDiscordApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private RecordingDiscordApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>What DiscordOptions.ApiBaseUrl points at.</summary>
    public string ApiBaseUrl => BaseUrl + "/api/v10";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
                return [.. _requests];
        }
    }

    public static async Task<RecordingDiscordApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new RecordingDiscordApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api.BaseUrl = app.Urls.Single();
        return api;
    }

    public void Enqueue(int status, string body, params (string Name, string Value)[] headers) =>
        _script.Enqueue(new ScriptedResponse(status, body, headers));

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived (no fixed sleeps).</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (Requests.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"expected {count} requests at the fake Discord API, got {Requests.Count}");
            }
        }
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var at = _clock.Elapsed;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Encoding.UTF8.GetString(raw),
            at)
        {
            RawBody = raw,
            Parts = await MultipartBody.ReadAsync(context.Request.ContentType, raw),
        };

        var response = _script.TryDequeue(out var scripted) ? scripted : new ScriptedResponse(200, """{"id":"1111","channel_id":"2222"}""", []);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in response.Headers)
            context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body);

        lock (_lock)
            _requests.Add(request);
        _arrived.Release();
    }

    private sealed record ScriptedResponse(int Status, string Body, (string Name, string Value)[] Headers);
}

/// <param name="Body">The body as UTF-8 text; <see cref="RawBody"/> has the bytes.</param>
/// <param name="ReceivedAt">Time since the server started, when the request arrived.</param>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan ReceivedAt)
{
    public byte[] RawBody { get; init; } = [];

    /// <summary>The multipart/form-data parts, in order; empty for a JSON request.</summary>
    public IReadOnlyList<MultipartPart> Parts { get; init; } = [];

    public MultipartPart Part(string name) => Parts.Single(p => p.Name == name);
}
