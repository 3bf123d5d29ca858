using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GovBot.IntegrationTests.Devnet;

/// <summary>The README's first command, `govbot demo`, as a user runs it: a child process, offline, typed into.</summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_AnswersFromItsOwnDevnet_ThenExitsCleanlyAtEndOfInput_LeavingNothingBehind()
    {
        var govbot = Path.Combine(AppContext.BaseDirectory, "govbot.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetFullPath(Path.Combine(TestPaths.IntegrationTestsDir, "..", "..")),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { govbot, "demo" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start govbot demo");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.StandardInput.WriteLineAsync("/proposals");
            await process.StandardInput.WriteLineAsync("/delegates");
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        var output = await stdout;
        var log = await stderr;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {log}");
        Assert.Contains("devnet: latest proposals", output, StringComparison.Ordinal);
        Assert.Contains("Fund the Devnet Grants Program", output, StringComparison.Ordinal);
        Assert.Contains("Executed", output, StringComparison.Ordinal);
        var folder = DataFolder().Match(log);
        Assert.True(folder.Success, "the demo says where its data is: " + log);
        Assert.False(Directory.Exists(folder.Groups[1].Value), "the demo's data folder is removed at exit");
    }

    [GeneratedRegex(@"data in (\S+?)\.\s*$", RegexOptions.Multiline)]
    private static partial Regex DataFolder();
}
