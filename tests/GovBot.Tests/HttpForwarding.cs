using Microsoft.AspNetCore.Http;

namespace GovBot.Tests;

/// <summary>The pass-through half of the fault-injecting proxies in the tests and benchmarks: one request, as it came, to the real server.</summary>
public static class HttpForwarding
{
    /// <summary>Sends the request (method, path, query, body and its content type) upstream and copies the answer back.</summary>
    public static async Task ForwardAsync(HttpClient upstream, HttpContext context, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), (context.Request.Path.Value ?? "") + context.Request.QueryString);
        if (body.Length > 0 || context.Request.ContentType is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (context.Request.ContentType is { } type)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        using var response = await upstream.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync());
    }
}
