using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Configuration;
using GovBot.Tests;
using Microsoft.AspNetCore.Http;

namespace GovBot.IntegrationTests.Orchestration;

/// <summary>
/// A local OpenAI-compatible chat-completions endpoint (real Kestrel, real wire format) whose replies a test scripts:
/// the script sees each request's JSON and returns a reply built with <see cref="ToolCall"/> or <see cref="Answer"/>.
/// </summary>
public sealed class ScriptedOpenAiServer : IAsyncDisposable
{
    private readonly LocalHttpServer _server;
    private int _count;

    private ScriptedOpenAiServer(LocalHttpServer server) => _server = server;

    public int RequestCount => Volatile.Read(ref _count);

    public IReadOnlyList<JsonNode> Requests => _server.Requests.Select(r => JsonNode.Parse(r)!).ToList();

    /// <summary>The endpoint to configure as Llm:Endpoint (the connector appends /chat/completions).</summary>
    public string Endpoint => new Uri(_server.Url, "/v1").ToString();

    /// <summary>The host's Llm section pointing at this server: Provider OpenAICompatible, model "test-model".</summary>
    public JsonObject LlmSection(int timeoutSeconds = 20) => new()
    {
        [nameof(LlmOptions.Provider)] = nameof(LlmProvider.OpenAICompatible),
        [nameof(LlmOptions.Endpoint)] = Endpoint,
        [nameof(LlmOptions.Model)] = "test-model",
        [nameof(LlmOptions.TimeoutSeconds)] = timeoutSeconds,
    };

    public static async Task<ScriptedOpenAiServer> StartAsync(Func<JsonNode, HttpContext, Task<object?>> script)
    {
        ScriptedOpenAiServer? self = null;
        var server = await LocalHttpServer.StartAsync(async (context, body) =>
        {
            Interlocked.Increment(ref self!._count);
            var reply = await script(JsonNode.Parse(body)!, context);
            if (reply is null)
                return;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(reply), context.RequestAborted);
        });
        self = new ScriptedOpenAiServer(server);
        return self;
    }

    public static bool HasToolResult(JsonNode request) =>
        request["messages"]!.AsArray().Any(m => (string?)m!["role"] == "tool");

    public static string LastToolResult(JsonNode request) =>
        (string)request["messages"]!.AsArray().Last(m => (string?)m!["role"] == "tool")!["content"]!;

    public static object ToolCall(string name, object arguments) => Completion(
        new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = "call_1", type = "function", function = new { name, arguments = JsonSerializer.Serialize(arguments) } } } },
        "tool_calls");

    public static object Answer(string content) => Completion(new { role = "assistant", content }, "stop");

    private static object Completion(object message, string finishReason) => new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "test-model",
        choices = new[] { new { index = 0, message, finish_reason = finishReason } },
        usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
    };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
