using GovBot.Chat;
using GovBot.Chat.Commands;
using GovBot.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GovBot.Orchestration;

public static class OrchestrationExtensions
{
    /// <summary>The /ask brain and every summary: prompts, the configured model (or none), plugins' data, cache, guard, and the ask command.</summary>
    /// <param name="promptsDirectory">prompts/ to load; located beside the binary or above the working folder when null.</param>
    public static IServiceCollection AddOrchestration(this IServiceCollection services, IConfiguration configuration, string? promptsDirectory = null)
    {
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidation>();
        // Request logs would print the endpoint; the key travels in a header and is never logged either way.
        services.AddHttpClient(LlmConnection.HttpClientName).RemoveAllLoggers();
        // Loaded here, not on the first question: a missing or malformed prompt stops start-up (exit 2) naming the file.
        services.AddSingleton(PromptLibrary.Load(promptsDirectory ?? PromptLibrary.Locate()));
        services.AddSingleton<LlmConnection>();
        services.AddSingleton<LlmCache>();
        services.TryAddSingleton<IGovernanceData, GovernanceServiceData>();
        services.AddSingleton<OfflineEngine>();
        services.AddSingleton<ProposalSummarizer>();
        services.AddSingleton<Digests.DigestWriter>();
        services.AddSingleton<AskService>();
        // /ask remembers which chat got a delegation link it made, as /delegate does.
        services.TryAddSingleton<Delegation.DelegationFollowups>();
        services.AddSingleton<IChatCommand, AskCommand>();
        return services;
    }
}

internal sealed class LlmOptionsValidation : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options) =>
        LlmConnection.Validate(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
