using System.Net.Http.Headers;
using GovBot.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GovBot.Chat.Discord;

public static class DiscordExtensions
{
    /// <summary>
    /// The Discord surface: options (validated on start), the signature verifier, the command runner (a hosted
    /// service), the rate limiter and the typed REST client. The command handler itself (IChatCommandHandler) is
    /// registered by the chat area; <see cref="IProposalIdSuggester"/> defaults to no suggestions.
    /// </summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordOptions>()
            .Bind(configuration.GetSection(DiscordOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicKey) || DiscordSignatureVerifier.TryParseHex(o.PublicKey, DiscordSignatureVerifier.PublicKeyLength) is not null,
                "Discord:PublicKey must be 64 hex characters (the application's 32-byte Ed25519 public key)")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new DiscordInteractionTimings());
        services.TryAddSingleton<IProposalIdSuggester, NoProposalIdSuggestions>();
        services.TryAddSingleton<DiscordSignatureVerifier>();
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddSingleton<DiscordCommandRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordCommandRunner>());

        services.AddHttpClient<DiscordRestClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
                http.BaseAddress = new Uri(options.ApiBaseUrl.TrimEnd('/') + "/");
                http.DefaultRequestHeaders.UserAgent.Clear();
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", DiscordRestClient.UserAgent);
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                http.Timeout = TimeSpan.FromSeconds(30);
            })
            // The default HTTP logging writes request URLs, and interaction webhook URLs carry the interaction token.
            .RemoveAllLoggers();

        return services;
    }
}
