using System.Text.Json;
using GovBot.Governance;

namespace GovBot.Tests;

/// <summary>The real ENS proposals in ../shared/corpus, read in place (never copied into the repo).</summary>
public static class Corpus
{
    public static string ProposalsDirectory { get; } = Path.Combine(FindRepoRoot(), "..", "shared", "corpus", "proposals");

    public static IReadOnlyList<string> ProposalIds { get; } =
        Directory.GetDirectories(ProposalsDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> ProposalIdsWithCalldata { get; } =
        ProposalIds.Where(id => File.Exists(Path.Combine(ProposalsDirectory, id, "calldata.json"))).ToArray();

    public static IReadOnlyList<ProposalAction> Actions(string id)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ProposalsDirectory, id, "calldata.json")));
        return document.RootElement.GetProperty("executableCalls").EnumerateArray()
            .Select(call => new ProposalAction(
                call.GetProperty("target").GetString()!,
                call.GetProperty("value").GetString()!,
                "",
                call.GetProperty("calldata").GetString()!))
            .ToArray();
    }

    public static IEnumerable<string> Descriptions() =>
        ProposalIds.Select(id => Path.Combine(ProposalsDirectory, id, "description.md")).Where(File.Exists);

    public static string Description(string id) => File.ReadAllText(Path.Combine(ProposalsDirectory, id, "description.md"));

    public static string Path_(string id, string file) => Path.Combine(ProposalsDirectory, id, file);

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GovBot.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"GovBot.sln not found above {AppContext.BaseDirectory}");
    }
}
