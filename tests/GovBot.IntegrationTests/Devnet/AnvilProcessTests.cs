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
