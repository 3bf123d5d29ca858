using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Treasury;

/// <summary>
/// A JSON-RPC proxy in front of anvil that records the methods of every HTTP request (one list per request, so a
/// batch is one entry) and answers the refused methods as geth does for a method it lacks (-32601), the way a node
/// without eth_simulateV1 behaves.
/// </summary>
public sealed class RecordingRpcProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new();
    private readonly HashSet<string> _refused;
    private readonly List<IReadOnlyList<string>> _requests = [];
    private readonly (int Code, string? Message) _error;

    private RecordingRpcProxy(WebApplication app, IEnumerable<string> refused, (int, string?) error)
    {
        _app = app;
        _refused = new HashSet<string>(refused, StringComparer.Ordinal);
        _error = error;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>The methods of each HTTP request, in arrival order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public void Clear()
    {
        lock (_requests)
            _requests.Clear();
    }

    public static Task<RecordingRpcProxy> StartAsync(Uri upstream, params string[] refusedMethods) =>
        StartAsync(upstream, refusedMethods, -32601, null);

    /// <summary>Refused methods get this error instead (message null: geth's "does not exist/is not available").</summary>
    public static async Task<RecordingRpcProxy> StartAsync(Uri upstream, IEnumerable<string> refusedMethods, int errorCode, string? errorMessage)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new RecordingRpcProxy(app, refusedMethods, (errorCode, errorMessage));
        app.Run(context => proxy.HandleAsync(context, upstream));
        await app.StartAsync();
        proxy.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return proxy;
    }

    private async Task HandleAsync(HttpContext context, Uri upstream)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync(context.RequestAborted))!;
        var batch = body as JsonArray;
        var items = batch?.Select(i => i!.AsObject()).ToList() ?? [body.AsObject()];
        lock (_requests)
            _requests.Add(items.Select(i => (string)i["method"]!).ToList());

        var forwarded = new JsonArray(items.Where(i => !_refused.Contains((string)i["method"]!)).Select(i => i.DeepClone()).ToArray());
        var answers = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (forwarded.Count > 0)
        {
            using var content = new StringContent(forwarded.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await _upstream.PostAsync(upstream, content, context.RequestAborted);
            foreach (var answer in JsonNode.Parse(await response.Content.ReadAsStringAsync(context.RequestAborted))!.AsArray())
                answers[answer!["id"]!.ToJsonString()] = answer.DeepClone();
        }

        var replies = items.Select(i => answers.TryGetValue(i["id"]!.ToJsonString(), out var answer)
            ? answer
            : new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = i["id"]!.DeepClone(),
                ["error"] = new JsonObject { ["code"] = _error.Code, ["message"] = _error.Message ?? $"the method {(string)i["method"]!} does not exist/is not available" },
            }).ToArray();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(batch is null ? replies[0].ToJsonString() : new JsonArray(replies).ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
