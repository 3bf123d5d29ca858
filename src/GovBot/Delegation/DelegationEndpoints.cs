using GovBot.Configuration;
using GovBot.Storage;
using GovBot.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GovBot.Delegation;

public static class DelegationEndpoints
{
    public static IServiceCollection AddDelegation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RelayerOptions>().Bind(configuration.GetSection(RelayerOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DelegationChainReader>();
        services.AddSingleton<DelegationRelayer>();
        services.AddSingleton(sp => new DelegationRelayLimiter(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DelegationService>();
        services.TryAddSingleton<DelegationFollowups>();
        return services;
    }

    public static IEndpointRouteBuilder MapDelegation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/delegate/assets/{name}", (string name, HttpContext context) =>
        {
            if (!DelegationPage.TryGetAsset(name, out var content, out var contentType))
                return Results.NotFound();
            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(content, contentType);
        });

        endpoints.MapGet("/delegate/{token}", async (string token, HttpContext context, DelegationService delegation) =>
        {
            var page = await delegation.RenderPageAsync(token, context.RequestAborted);
            SecurityHeaders(context);
            return Results.Content(page.Html, "text/html; charset=utf-8", statusCode: page.Status);
        });

        endpoints.MapPost("/delegate/{token}", (string token, HttpContext context, DelegationService delegation) =>
            PostAsync(context, body => delegation.RelayAsync(token, body, context.RequestAborted)));
        endpoints.MapPost("/delegate/{token}/sent", (string token, HttpContext context, DelegationService delegation) =>
            PostAsync(context, body => delegation.RecordWalletTransactionAsync(token, body, context.RequestAborted)));
        return endpoints;
    }

    /// <summary>A JSON POST of the delegation page: its headers, the body capped before it is read, the answer as JSON.</summary>
    private static async Task<IResult> PostAsync(HttpContext context, Func<ReadOnlyMemory<byte>, Task<DelegationRelayResult>> handle)
    {
        SecurityHeaders(context);
        var body = await ReadCappedAsync(context.Request, DelegationRelayRequest.MaxBodyBytes, context.RequestAborted);
        if (body is null)
            return Results.Json(new DelegationRelayResponse(null, $"the body is larger than {DelegationRelayRequest.MaxBodyBytes} bytes", null), statusCode: 413);
        var result = await handle(body.Value);
        return Results.Json(result.Body, statusCode: result.Status);
    }

    private static void SecurityHeaders(HttpContext context)
    {
        context.Response.Headers.ContentSecurityPolicy = DelegationPage.ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.CacheControl = "no-store";
    }

    /// <summary>The body, or null when it is larger than <paramref name="max"/> (judged by Content-Length first, then by what arrives).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadCappedAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
            return null;
        var buffer = new byte[max + 1];
        var total = await RequestBody.ReadCappedAsync(request.Body, buffer, max, cancellationToken);

        // Not `total > max ? null : buffer.AsMemory(…)`: that conditional is typed Memory<byte>, whose implicit
        // conversion from byte[] turns the null into an empty body, so an oversized body was answered "empty" (400).
        if (total > max)
            return null;
        return buffer.AsMemory(0, total);
    }
}
