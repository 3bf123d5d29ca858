using System.Security.Cryptography;
using System.Text;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration;

/// <summary>One prompt function from prompts/&lt;name&gt;/ (skprompt.txt + config.json). Version is the hash of those files.</summary>
public sealed record PromptDefinition(string Name, PromptTemplateConfig Config, string Version)
{
    public KernelFunction CreateFunction() => KernelFunctionFactory.CreateFromPrompt(Config);
}

/// <summary>
/// The prompt functions in prompts/, loaded once at start in Semantic Kernel's prompt-directory format. A prompt's
/// version is a content hash of its files, so editing a prompt invalidates exactly the cached outputs it produced.
/// </summary>
public sealed class PromptLibrary
{
    public const string SummarizeProposal = "summarize_proposal";
    public const string AnswerQuestion = "answer_question";
    public const string WriteDigest = "write_digest";

    private static readonly string[] Required = [SummarizeProposal, AnswerQuestion, WriteDigest];
    private readonly Dictionary<string, PromptDefinition> _prompts;

    private PromptLibrary(string directory, Dictionary<string, PromptDefinition> prompts)
    {
        Directory = directory;
        _prompts = prompts;
    }

    public string Directory { get; }

    public IReadOnlyCollection<PromptDefinition> All => _prompts.Values;

    public PromptDefinition this[string name] =>
        _prompts.TryGetValue(name, out var prompt) ? prompt : throw new KeyNotFoundException($"No prompt '{name}' in {Directory}");

    /// <summary>Loads every prompts/&lt;name&gt;/ folder; fails start-up (ConfigurationException) when a required prompt is missing or malformed.</summary>
    public static PromptLibrary Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new ConfigurationException("prompts", $"prompt folder not found: {directory}");
        var prompts = new Dictionary<string, PromptDefinition>(StringComparer.Ordinal);
        foreach (var folder in System.IO.Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            var templatePath = Path.Combine(folder, "skprompt.txt");
            var configPath = Path.Combine(folder, "config.json");
            if (!File.Exists(templatePath) || !File.Exists(configPath))
                continue;
            var templateBytes = File.ReadAllBytes(templatePath);
            var configBytes = File.ReadAllBytes(configPath);
            PromptTemplateConfig config;
            try
            {
                config = PromptTemplateConfig.FromJson(Encoding.UTF8.GetString(configBytes));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException)
            {
                throw new ConfigurationException($"prompts/{name}/config.json", ex.Message);
            }

            config.Name = name;
            config.Template = Encoding.UTF8.GetString(templateBytes);
            prompts[name] = new PromptDefinition(name, config, Version(configBytes, templateBytes));
        }

        foreach (var name in Required.Where(n => !prompts.ContainsKey(n)))
            throw new ConfigurationException("prompts", $"prompts/{name}/ (skprompt.txt and config.json) is missing in {directory}");
        return new PromptLibrary(directory, prompts);
    }

    /// <summary>prompts/ beside the binary (copied by the build), else the nearest one above the working folder.</summary>
    public static string Locate()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "prompts");
        if (System.IO.Directory.Exists(beside))
            return beside;
        for (var folder = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "prompts");
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }

        throw new ConfigurationException("prompts", "no prompts/ folder beside govbot or above the working folder");
    }

    /// <summary>First 16 hex of SHA-256 over both files, each length-prefixed so moving text between them changes the hash.</summary>
    internal static string Version(byte[] config, byte[] template)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { config, template })
        {
            sha.AppendData(BitConverter.GetBytes((long)part.Length));
            sha.AppendData(part);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
