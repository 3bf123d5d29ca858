using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>Runs tests/GovBot.IntegrationTests/node-eip712/sign.js (MetaMask's @metamask/eth-sig-util) over a batch of JSON lines.</summary>
internal static class NodeEip712Signer
{
    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovBot.sln")))
                dir = dir.Parent;
            if (dir is null)
                throw new InvalidOperationException("cannot find the repository root (GovBot.sln) above " + AppContext.BaseDirectory);
            return Path.Combine(dir.FullName, "tests", "GovBot.IntegrationTests", "node-eip712");
        }
    }

    public static void EnsureInstalled()
    {
        var package = Path.Combine(Directory, "node_modules", "@metamask", "eth-sig-util", "package.json");
        if (!File.Exists(package))
            Assert.Fail($"MetaMask's eth-sig-util is not installed: run `npm ci` in {Directory} (.ci/run does this).");
    }

    /// <summary>Signs every request; the result at index i answers request i (a string signature, or an exception message).</summary>
    public static async Task<IReadOnlyList<(string? Signature, string? Error)>> SignAsync(IReadOnlyList<JsonObject> requests)
    {
        EnsureInstalled();
        var start = new ProcessStartInfo("node", "sign.js")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);

        var writer = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false));
        for (var i = 0; i < requests.Count; i++)
        {
            requests[i]["id"] = i;
            await writer.WriteLineAsync(requests[i].ToJsonString());
        }
        await writer.FlushAsync();
        writer.Close();

        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        if (process.ExitCode != 0)
            Assert.Fail($"node sign.js exited with {process.ExitCode}: {await stderr}");

        var results = new (string?, string?)[requests.Count];
        var seen = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var id = doc.RootElement.GetProperty("id").GetInt32();
            results[id] = doc.RootElement.TryGetProperty("signature", out var sig) ? (sig.GetString(), null) : (null, doc.RootElement.GetProperty("error").GetString());
            seen++;
        }
        Assert.True(seen == requests.Count, $"node answered {seen} of {requests.Count} lines; stderr: {await stderr}");
        return results;
    }
}
