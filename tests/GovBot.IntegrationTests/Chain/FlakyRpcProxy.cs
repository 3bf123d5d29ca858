using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Chain;

public enum RpcFault
{
    None,
    Timeout,
    TooManyRequests,
    ServerError,
    BadGateway,
    TruncatedBody,
}

/// <summary>
/// A JSON-RPC proxy in front of anvil that injects the faults public RPC providers produce: hangs past the
/// client's timeout, 429s, 5xx, and bodies cut off mid-JSON. Faults follow a fixed, seeded schedule so a run
/// is reproducible.
/// </summary>
public sealed class FlakyRpcProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new();
    private readonly Random _random;
    private readonly double _faultRate;
    private readonly TimeSpan _hang;
    private int _requests;
    private int _faults;

    private FlakyRpcProxy(WebApplication app, int seed, double faultRate, TimeSpan hang)
    {
        _app = app;
        _random = new Random(seed);
        _faultRate = faultRate;
        _hang = hang;
    }

    public Uri Url { get; private set; } = null!;
    public int Requests => _requests;
    public int Faults => _faults;
    public Dictionary<RpcFault, int> FaultCounts { get; } = [];

    public static async Task<FlakyRpcProxy> StartAsync(Uri upstream, int seed, double faultRate, TimeSpan hang)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FlakyRpcProxy(app, seed, faultRate, hang);
        app.Run(context => proxy.HandleAsync(context, upstream));
        await app.StartAsync();
        proxy.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return proxy;
    }

    private RpcFault NextFault()
    {
        lock (_random)
        {
            _requests++;
            if (_random.NextDouble() >= _faultRate)
                return RpcFault.None;
            _faults++;
            var fault = (RpcFault)_random.Next(1, 6);
            FaultCounts[fault] = FaultCounts.GetValueOrDefault(fault) + 1;
            return fault;
        }
    }

    private async Task HandleAsync(HttpContext context, Uri upstream)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var fault = NextFault();
        switch (fault)
        {
            case RpcFault.Timeout:
                await Task.Delay(_hang, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case RpcFault.TooManyRequests:
                context.Response.StatusCode = 429;
                await context.Response.WriteAsync("""{"jsonrpc":"2.0","error":{"code":-32005,"message":"rate limited"}}""");
                return;
            case RpcFault.ServerError:
                context.Response.StatusCode = 500;
                return;
            case RpcFault.BadGateway:
                context.Response.StatusCode = 502;
                await context.Response.WriteAsync("<html>bad gateway</html>");
                return;
        }

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _upstream.PostAsync(upstream, content, context.RequestAborted);
        var text = await response.Content.ReadAsStringAsync(context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(fault == RpcFault.TruncatedBody ? text[..(text.Length / 2)] : text, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
