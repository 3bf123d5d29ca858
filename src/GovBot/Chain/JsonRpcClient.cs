using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GovBot.Chain;

/// <summary>A JSON-RPC error object returned by the node: the call reached it and was refused.</summary>
public sealed class RpcErrorException(string method, int code, string message, string? data)
    : Exception($"{method} failed: {message} (code {code})")
{
    public string Method { get; } = method;
    public int Code { get; } = code;
    public string RpcMessage { get; } = message;
    public string? ErrorData { get; } = data;

    /// <summary>Providers phrase "your eth_getLogs range is too big" in many ways; these are the ones seen in the wild.</summary>
    public bool IsRangeTooLarge =>
        Code is -32005 or -32602 or -32000 or -32001 &&
        RangeTooLargeHints.Any(h => RpcMessage.Contains(h, StringComparison.OrdinalIgnoreCase));

    public bool IsExecutionRevert => Code == 3 || RpcMessage.Contains("revert", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] RangeTooLargeHints =
    [
        "range", "too many", "limit exceeded", "more than", "too large", "response size", "query returned more than", "block range",
    ];
}

/// <summary>The node could not be reached or answered with something that is not JSON-RPC, after every retry.</summary>
public sealed class RpcUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A small JSON-RPC 2.0 client over HttpClient: single calls and batches, with retries (timeouts, 429, 5xx and
/// malformed bodies) using exponential backoff with full jitter. It counts the HTTP requests it makes so
/// benchmarks and tests can prove how many round-trips a job took.
/// </summary>
public sealed class JsonRpcClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly ILogger _logger;
    private readonly RpcRetryPolicy _retry;
    private long _requestCount;
    private long _nextId;

    public JsonRpcClient(HttpClient http, Uri endpoint, ILogger logger, RpcRetryPolicy? retry = null)
    {
        _http = http;
        _endpoint = endpoint;
        _logger = logger;
        _retry = retry ?? RpcRetryPolicy.Default;
    }

    public Uri Endpoint => _endpoint;

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    public async Task<JsonElement> CallAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };
        var response = await SendWithRetryAsync(request.ToJsonString(), method, cancellationToken);
        if (response.ValueKind != JsonValueKind.Object)
            throw new RpcUnavailableException($"{method}: the node answered with a JSON {response.ValueKind} instead of a response object");
        return Unwrap(method, response);
    }

    public async Task<T> CallAsync<T>(string method, JsonArray parameters, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var result = await CallAsync(method, parameters, cancellationToken);
        try
        {
            return read(result);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException or OverflowException)
        {
            throw new RpcUnavailableException($"{method}: unexpected result shape: {Preview(result.GetRawText())}", ex);
        }
    }

    /// <summary>
    /// Sends several calls in one HTTP request. Each entry of the result is either the call's result or its
    /// <see cref="RpcErrorException"/>, in the order of the calls, so one reverting eth_call does not sink the rest.
    /// </summary>
    public async Task<IReadOnlyList<RpcResult>> BatchAsync(IReadOnlyList<(string Method, JsonArray Params)> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
            return [];
        var firstId = Interlocked.Add(ref _nextId, calls.Count) - calls.Count + 1;
        var batch = new JsonArray();
        for (var i = 0; i < calls.Count; i++)
            batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = firstId + i, ["method"] = calls[i].Method, ["params"] = calls[i].Params.DeepClone() });

        var label = $"batch of {calls.Count} ({calls[0].Method}…)";
        var response = await SendWithRetryAsync(batch.ToJsonString(), label, cancellationToken);
        if (response.ValueKind != JsonValueKind.Array)
        {
            // Some nodes answer a whole batch with one error object (e.g. batches disabled).
            if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("error", out _))
                Unwrap(label, response);
            throw new RpcUnavailableException($"{label}: expected a JSON array, got {response.ValueKind}");
        }

        var results = new RpcResult[calls.Count];
        foreach (var item in response.EnumerateArray())
        {
            if (!item.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var itemId))
                throw new RpcUnavailableException($"{label}: a batch entry has no numeric id: {Preview(item.GetRawText())}");
            var index = itemId - firstId;
            if (index < 0 || index >= calls.Count)
                throw new RpcUnavailableException($"{label}: a batch entry has an id that was never sent ({itemId})");
            try
            {
                results[index] = new RpcResult(Unwrap(calls[(int)index].Method, item), null);
            }
            catch (RpcErrorException error)
            {
                results[index] = new RpcResult(default, error);
            }
        }

        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is null)
                throw new RpcUnavailableException($"{label}: the node dropped the answer to call {i} ({calls[i].Method})");
        }

        return results;
    }

    private static JsonElement Unwrap(string method, JsonElement response)
    {
        if (response.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : 0;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            var data = error.TryGetProperty("data", out var d) ? d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText() : null;
            throw new RpcErrorException(method, code, message, data);
        }

        if (!response.TryGetProperty("result", out var result))
            throw new RpcUnavailableException($"{method}: the response has neither result nor error: {Preview(response.GetRawText())}");
        return result;
    }

    private async Task<JsonElement> SendWithRetryAsync(string body, string label, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string failure;
            TimeSpan? serverDelay = null;
            Exception? inner = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_retry.RequestTimeout);
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                Interlocked.Increment(ref _requestCount);
                using var response = await _http.PostAsync(_endpoint, content, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);

                if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    failure = $"HTTP {(int)response.StatusCode}";
                    serverDelay = response.Headers.RetryAfter?.Delta;
                }
                else if (!response.IsSuccessStatusCode)
                {
                    throw new RpcUnavailableException($"{label}: the node answered HTTP {(int)response.StatusCode}: {Preview(text)}");
                }
                else
                {
                    try
                    {
                        using var document = JsonDocument.Parse(text);
                        return document.RootElement.Clone();
                    }
                    catch (JsonException ex)
                    {
                        failure = $"malformed JSON ({ex.Message}): {Preview(text)}";
                        inner = ex;
                    }
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"no answer within {_retry.RequestTimeout.TotalSeconds:0.#} s";
                inner = ex;
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
                inner = ex;
            }

            if (attempt >= _retry.MaxAttempts)
                throw new RpcUnavailableException($"{label} to {_endpoint.GetLeftPart(UriPartial.Authority)} failed after {attempt} attempts: {failure}", inner);

            var delay = serverDelay ?? _retry.Backoff(attempt);
            _logger.LogWarning("RPC {Call} attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms", label, attempt, failure, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static string Preview(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

public sealed record RpcResult(JsonElement Value, RpcErrorException? Error)
{
    public bool Ok => Error is null;
}

public sealed record RpcRetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan RequestTimeout)
{
    public static readonly RpcRetryPolicy Default = new(6, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));

    /// <summary>Exponential backoff with full jitter (AWS architecture blog), so many clients do not retry in lockstep.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }
}
