namespace GovBot.Tests;

/// <summary>The real ENS proposals in ../shared/corpus, read in place (never copied into the repo).</summary>
public static class Corpus
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovBot.sln")))
                dir = dir.Parent;
            if (dir is null)
                throw new InvalidOperationException("GovBot.sln not found above the test binaries");
            var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
            return Directory.Exists(corpus) ? corpus : throw new InvalidOperationException($"corpus not found at {corpus}: CI lays shared/ beside the clone");
        }
    }

    public static IEnumerable<string> Descriptions() =>
        Directory.EnumerateDirectories(Path.Combine(Root, "proposals")).Select(d => Path.Combine(d, "description.md")).Where(File.Exists).Order(StringComparer.Ordinal);
}
