using System.Text.Json.Nodes;
using GovBot.Chain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovBot.Tests.Chain;

public class JsonRpcClientTests
{
    private static readonly RpcRetryPolicy Fast = new(MaxAttempts: 5, BaseDelay: TimeSpan.FromMilliseconds(5), MaxDelay: TimeSpan.FromMilliseconds(20), RequestTimeout: TimeSpan.FromSeconds(10));

    private static JsonRpcClient Client(LocalHttpServer server, RpcRetryPolicy? policy = null) =>
        new(new HttpClient(), server.Url, NullLogger.Instance, policy ?? Fast);

    private static string Answer(string body, string result) =>
        $$"""{"jsonrpc":"2.0","id":{{JsonNode.Parse(body)!["id"]}},"result":{{result}}}""";

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Call_AfterTransientHttpFailures_RetriesAndSucceeds(int status)
    {
        var calls = 0;
        await using var server = await LocalHttpServer.StartAsync(async (context, body) =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                context.Response.StatusCode = status;
                return;
            }

            await context.Response.WriteAsync(Answer(body, "\"0x10\""));
        });
        var client = Client(server);

        var head = await client.CallAsync("eth_blockNumber", [], r => Hex.ToLong(r.GetString()!), CancellationToken.None);

        Assert.Equal(16, head);
        Assert.Equal(3, client.RequestCount);
    }

    [Fact]
    public async Task Call_TruncatedBody_IsRetriedNotTreatedAsEmpty()
    {
        var calls = 0;
        await using var server = await LocalHttpServer.StartAsync(async (context, body) =>
        {
            var full = Answer(body, "[]");
            await context.Response.WriteAsync(Interlocked.Increment(ref calls) == 1 ? full[..(full.Length / 2)] : full);
        });

        var result = await Client(server).CallAsync("eth_getLogs", [], CancellationToken.None);

        Assert.Equal(System.Text.Json.JsonValueKind.Array, result.ValueKind);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Call_Timeout_IsRetried()
    {
        var calls = 0;
        await using var server = await LocalHttpServer.StartAsync(async (context, body) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            else
                await context.Response.WriteAsync(Answer(body, "\"0x1\""));
        });

        var result = await Client(server, Fast with { RequestTimeout = TimeSpan.FromSeconds(1) }).CallAsync("eth_chainId", [], CancellationToken.None);

        Assert.Equal("0x1", result.GetString());
    }

    [Fact]
    public async Task Call_PersistentFailure_SaysWhatWasWrongAfterTheLastAttempt()
    {
        await using var server = await LocalHttpServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var client = Client(server);

        var ex = await Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_blockNumber", [], CancellationToken.None));

        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.Contains("5 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(5, client.RequestCount);
    }

    [Fact]
    public async Task Call_JsonRpcError_IsNotRetriedAndKeepsCodeAndMessage()
    {
        await using var server = await LocalHttpServer.StartAsync((context, body) =>
            context.Response.WriteAsync($$$"""{"jsonrpc":"2.0","id":{{{JsonNode.Parse(body)!["id"]}}},"error":{"code":-32005,"message":"query returned more than 10000 results"}}"""));
        var client = Client(server);

        var ex = await Assert.ThrowsAsync<RpcErrorException>(() => client.CallAsync("eth_getLogs", [], CancellationToken.None));

        Assert.True(ex.IsRangeTooLarge);
        Assert.Equal(1, client.RequestCount);
    }

    [Fact]
    public async Task Batch_AnswersOutOfOrder_AreMatchedById_AndErrorsStayPerCall()
    {
        await using var server = await LocalHttpServer.StartAsync((context, body) =>
        {
            var ids = JsonNode.Parse(body)!.AsArray().Select(n => n!["id"]!.GetValue<long>()).ToList();
            var answer = $$$"""[{"jsonrpc":"2.0","id":{{{ids[1]}}},"error":{"code":3,"message":"execution reverted"}},{"jsonrpc":"2.0","id":{{{ids[0]}}},"result":"0x2a"}]""";
            return context.Response.WriteAsync(answer);
        });

        var results = await Client(server).BatchAsync([("eth_blockNumber", new JsonArray()), ("eth_call", new JsonArray())], CancellationToken.None);

        Assert.Equal("0x2a", results[0].Value.GetString());
        Assert.True(results[1].Error!.IsExecutionRevert);
    }

    [Fact]
    public async Task Batch_MissingAnswer_IsAnErrorNotAGap()
    {
        await using var server = await LocalHttpServer.StartAsync((context, body) =>
        {
            var id = JsonNode.Parse(body)!.AsArray()[0]!["id"]!.GetValue<long>();
            return context.Response.WriteAsync($$"""[{"jsonrpc":"2.0","id":{{id}},"result":"0x1"}]""");
        });

        var ex = await Assert.ThrowsAsync<RpcUnavailableException>(() =>
            Client(server).BatchAsync([("eth_blockNumber", new JsonArray()), ("eth_chainId", new JsonArray())], CancellationToken.None));

        Assert.Contains("dropped", ex.Message, StringComparison.Ordinal);
    }
}
