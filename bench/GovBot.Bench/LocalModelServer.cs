using System.Collections.Concurrent;
using System.Text.Json;
using GovBot.Tests;
using Microsoft.AspNetCore.Http;

namespace GovBot.Bench;

/// <summary>
/// A local OpenAI-compatible chat-completions endpoint (the tests' LocalHttpServer: real Kestrel on 127.0.0.1, real wire
/// format) that records every request body and answers each with one fixed assistant message. Stands in for the model,
/// so the bench sees exactly what GovBot sends and how often it sends it.
/// </summary>
public sealed class LocalModelServer : IAsyncDisposable
{
    private readonly LocalHttpServer _server;

    private LocalModelServer(LocalHttpServer server) => _server = server;

    public ConcurrentQueue<string> Requests => _server.Requests;

    public int RequestCount => _server.Requests.Count;

    /// <summary>Llm:Endpoint (the connector appends /chat/completions).</summary>
    public string Endpoint => new Uri(_server.Url, "/v1").ToString();

    public static async Task<LocalModelServer> StartAsync(string reply, TimeSpan delay = default)
    {
        var response = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-bench",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "bench-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = reply }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 0, completion_tokens = 0, total_tokens = 0 },
        });
        return new LocalModelServer(await LocalHttpServer.StartAsync(async (context, _) =>
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response, context.RequestAborted);
        }));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
