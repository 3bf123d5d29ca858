using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace GovBot.IntegrationTests.Devnet;

/// <summary>`govbot devnet` stopped the way services are stopped: a SIGTERM, not Ctrl+C.</summary>
public sealed partial class DevnetCommandTests
{
    [Fact]
    public async Task Devnet_OnSigterm_ExitsZero_AndStopsItsAnvil()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetFullPath(Path.Combine(TestPaths.IntegrationTestsDir, "..", "..")),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "govbot.dll"), "devnet" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start govbot devnet");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Uri rpc;
        try
        {
            rpc = await ReadRpcAsync(process.StandardOutput, timeout.Token);
            Assert.True(await AcceptsConnectionsAsync(rpc), "anvil answers while devnet runs");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.False(await AcceptsConnectionsAsync(rpc), "the devnet's anvil stops with it");
    }

    private static async Task<Uri> ReadRpcAsync(StreamReader stdout, CancellationToken cancellationToken)
    {
        while (await stdout.ReadLineAsync(cancellationToken) is { } line)
        {
            var match = RunningAt().Match(line);
            if (match.Success)
                return new Uri(match.Groups[1].Value);
        }

        throw new InvalidOperationException("devnet ended without saying where it runs");
    }

    private static async Task<bool> AcceptsConnectionsAsync(Uri rpc)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(rpc.Host, rpc.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Devnet running at (\S+) ")]
    private static partial Regex RunningAt();
}
