using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.Bench;

/// <summary>
/// A local OpenAI-compatible chat-completions endpoint (real Kestrel on 127.0.0.1, real wire format) that records every
/// request body and answers each with one fixed assistant message. Stands in for the model, so the bench sees exactly
/// what GovBot sends and how often it sends it.
/// </summary>
public sealed class LocalModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private LocalModelServer(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Requests { get; } = new();

    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>Llm:Endpoint (the connector appends /chat/completions).</summary>
    public string Endpoint { get; private set; } = "";

    public static async Task<LocalModelServer> StartAsync(string reply, TimeSpan delay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LocalModelServer(app);
        var response = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-bench",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "bench-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = reply }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 0, completion_tokens = 0, total_tokens = 0 },
        });
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            server.Requests.Enqueue(body);
            Interlocked.Increment(ref server._count);
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(new Uri(address), "/v1").ToString();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
