using System.Diagnostics;
using System.Net.Sockets;
using GovBot.Chain.Devnet;

namespace GovBot.IntegrationTests.Devnet;

public sealed class AnvilProcessTests
{
    [Fact]
    public async Task Dispose_KillsAnvil_AndThePortStopsAnswering()
    {
        var anvil = await AnvilProcess.StartAsync();
        var pid = anvil.ProcessId;
        var port = anvil.Port;
        Assert.True(await AcceptsConnectionsAsync(port));

        await anvil.DisposeAsync();

        Assert.False(await AcceptsConnectionsAsync(port));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public async Task StatesBeyondMemory_GoToTheNodesOwnCache_AndDisposeDeletesIt()
    {
        var anvil = await AnvilProcess.StartAsync();
        var cache = anvil.CacheDirectory;
        try
        {
            // Past the 500 states anvil keeps in memory, older ones are written to disk.
            using var http = new HttpClient();
            using var mine = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["0x258"]}""", System.Text.Encoding.UTF8, "application/json");
            (await http.PostAsync(anvil.RpcUrl, mine)).EnsureSuccessStatusCode();
            Assert.StartsWith(Path.GetTempPath(), cache, StringComparison.Ordinal);
            Assert.Contains($"govbot-anvil-{Environment.ProcessId}-", cache, StringComparison.Ordinal);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Any() && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.NotEmpty(Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories));
        }
        finally
        {
            await anvil.DisposeAsync();
        }

        Assert.False(Directory.Exists(cache));
    }

    [Fact]
    public void Sweep_DeletesTheCachesOfDeadOwners_AndKeepsTheLivingOnes()
    {
        // Pid 2^22 + 1 is above Linux's pid_max, so no process has it.
        var orphan = Directory.CreateTempSubdirectory("govbot-anvil-4194305-").FullName;
        var mine = Directory.CreateTempSubdirectory($"govbot-anvil-{Environment.ProcessId}-").FullName;
        File.WriteAllText(Path.Combine(orphan, "state.json"), "{}");
        try
        {
            AnvilProcess.SweepOrphanedCaches();

            Assert.False(Directory.Exists(orphan));
            Assert.True(Directory.Exists(mine));
        }
        finally
        {
            Directory.Delete(mine, recursive: true);
        }
    }

    [Fact]
    public async Task Start_WithBadExtraArgument_FailsWithAnvilsStderr_AndLeavesNoProcess()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            AnvilProcess.StartAsync(new AnvilOptions(["--no-such-flag"], TimeSpan.FromSeconds(20))));

        Assert.Contains("--no-such-flag", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
