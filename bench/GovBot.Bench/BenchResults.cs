using System.Globalization;
using System.Text;

namespace GovBot.Bench;

/// <summary>Writes a result file under bench/results/ with the command that produced it and the machine it ran on.</summary>
public static class BenchResults
{
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovBot.sln")))
                dir = dir.Parent;
            var folder = Path.Combine(dir?.FullName ?? Directory.GetCurrentDirectory(), "bench", "results");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static async Task WriteAsync(string name, string command, string body)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# {name}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- command: `{command}`")
            .AppendLine(CultureInfo.InvariantCulture, $"- when: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):0.#} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}")
            .AppendLine()
            .Append(body)
            .ToString();
        var path = Path.Combine(Folder, name + ".md");
        await File.WriteAllTextAsync(path, text);
        Console.WriteLine(text);
        Console.WriteLine($"written to {path}");
    }

    public static string Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? "n/a" : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)].ToString("0.00", CultureInfo.InvariantCulture);
}
