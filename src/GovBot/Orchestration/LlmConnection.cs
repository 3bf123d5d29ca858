using GovBot.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.AzureOpenAI;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace GovBot.Orchestration;

/// <summary>
/// The configured chat model, or none. Every provider goes through Semantic Kernel's OpenAI connectors with an
/// HttpClient from the factory (named "llm", no request logging), so the key never reaches a log line and the
/// timeout is LlmOptions.TimeoutSeconds. A custom HttpClient also turns off the OpenAI SDK's own retries: a failed
/// call falls back to the offline engine at once instead of retrying for minutes.
/// </summary>
public sealed class LlmConnection
{
    public const string HttpClientName = "llm";

    private readonly IChatCompletionService? _chat;

    public LlmConnection(IOptions<LlmOptions> options, IHttpClientFactory httpClients)
    {
        var o = options.Value;
        Provider = o.Provider;
        Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        if (o.Provider == LlmProvider.None)
            return;
        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = Timeout;
        var model = o.Model!;
        _chat = o.Provider switch
        {
            LlmProvider.OpenAI => new OpenAIChatCompletionService(model, o.ApiKey!, httpClient: http),
            LlmProvider.AzureOpenAI => new AzureOpenAIChatCompletionService(model, o.Endpoint!, o.ApiKey!, modelId: model, httpClient: http),
            // Local servers (Ollama, llama.cpp, vLLM) often need no key; the SDK still wants a credential string.
            LlmProvider.OpenAICompatible => new OpenAIChatCompletionService(model, new Uri(o.Endpoint!), string.IsNullOrWhiteSpace(o.ApiKey) ? "none" : o.ApiKey, httpClient: http),
            _ => throw new ConfigurationException("Llm:Provider", $"unknown provider {o.Provider}"),
        };
        Model = $"{o.Provider}:{model}";
    }

    public LlmProvider Provider { get; }

    public bool Enabled => _chat is not null;

    /// <summary>"OpenAICompatible:llama3.1": part of every cache key, so changing the model never serves another model's output.</summary>
    public string Model { get; } = "offline";

    public TimeSpan Timeout { get; }

    /// <summary>A fresh kernel per question, so plugins can be bound to that question's session.</summary>
    public Kernel CreateKernel()
    {
        if (_chat is null)
            throw new InvalidOperationException("No model is configured (Llm:Provider is None).");
        var services = new ServiceCollection();
        services.AddSingleton(_chat);
        return new Kernel(services.BuildServiceProvider());
    }

    /// <summary>What each provider needs; checked on start so a missing key stops GovBot with one line naming it.</summary>
    internal static string? Validate(LlmOptions o) => o.Provider switch
    {
        LlmProvider.None => null,
        _ when string.IsNullOrWhiteSpace(o.Model) => "Llm:Model is required for provider " + o.Provider,
        LlmProvider.OpenAI when string.IsNullOrWhiteSpace(o.ApiKey) => "Llm:ApiKey is required for provider OpenAI",
        LlmProvider.AzureOpenAI when string.IsNullOrWhiteSpace(o.ApiKey) => "Llm:ApiKey is required for provider AzureOpenAI",
        LlmProvider.AzureOpenAI or LlmProvider.OpenAICompatible when !Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            => $"Llm:Endpoint must be an absolute http(s) URL for provider {o.Provider}",
        _ => null,
    };
}
