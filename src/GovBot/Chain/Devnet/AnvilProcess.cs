using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GovBot.Chain.Devnet;

/// <param name="ExtraArgs">Passed to anvil after GovBot's own (for example "--block-time", "2").</param>
/// <param name="StartTimeout">How long to wait for eth_chainId to answer.</param>
public sealed record AnvilOptions(IReadOnlyList<string>? ExtraArgs = null, TimeSpan? StartTimeout = null, long ChainId = AnvilProcess.DefaultChainId);

/// <summary>
/// An anvil node from contracts/node_modules on a free loopback port. Dispose kills it with its whole process tree and
/// deletes its state cache.
/// <para>
/// Anvil keeps the newest 500 block states in memory and writes older ones to a cache directory (up to 3,600 states,
/// megabytes each on a seeded devnet), which it deletes only on a graceful exit; killed, it leaves them behind in
/// ~/.foundry/anvil/tmp — a day of test runs left 77 GB there. So every node gets its own cache directory, named
/// after the process that owns it: Dispose deletes it, and the next start sweeps the directories of owners that died
/// without disposing.
/// </para>
/// </summary>
public sealed class AnvilProcess : IAsyncDisposable
{
    public const long DefaultChainId = 31337;

    private const string CachePrefix = "govbot-anvil-";
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private int _disposed;

    private AnvilProcess(Process process, StringBuilder stderr, int port, long chainId, string cacheDirectory)
    {
        _process = process;
        _stderr = stderr;
        CacheDirectory = cacheDirectory;
        Port = port;
        ChainId = chainId;
        RpcUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri RpcUrl { get; }
    public int Port { get; }
    public long ChainId { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Where this node persists block states that no longer fit in memory; deleted on dispose.</summary>
    public string CacheDirectory { get; }

    public static async Task<AnvilProcess> StartAsync(AnvilOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AnvilOptions();
        var binary = FindBinary(ContractArtifacts.FindContractsDirectory());
        var port = FreeLoopbackPort();
        SweepOrphanedCaches();
        var cache = Directory.CreateTempSubdirectory($"{CachePrefix}{Environment.ProcessId}-").FullName;

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--host", "127.0.0.1", "--port", port.ToString(), "--chain-id", options.ChainId.ToString(), "--quiet", "--cache-path", cache })
            start.ArgumentList.Add(arg);
        foreach (var arg in options.ExtraArgs ?? [])
            start.ArgumentList.Add(arg);

        var stderr = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        if (!process.Start())
        {
            DeleteCache(cache);
            throw new InvalidOperationException($"anvil did not start ({binary})");
        }
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var anvil = new AnvilProcess(process, stderr, port, options.ChainId, cache);
        try
        {
            await anvil.WaitUntilReadyAsync(options.StartTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            return anvil;
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing left to stop.
        }
        finally
        {
            _process.Dispose();
            DeleteCache(CacheDirectory);
        }
    }

    /// <summary>Deletes the cache directories of GovBot processes that are no longer running.</summary>
    internal static void SweepOrphanedCaches()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), CachePrefix + "*"))
        {
            var owner = Path.GetFileName(directory)[CachePrefix.Length..].Split('-')[0];
            if (int.TryParse(owner, out var pid) && !IsRunning(pid))
                DeleteCache(directory);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void DeleteCache(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone already, or another sweeper got there first; a later sweep retries what is left.
        }
    }

    /// <summary>The platform package npm installed (anvil-linux-amd64, anvil-darwin-arm64, …), else the .bin shim.</summary>
    internal static string FindBinary(string contractsDirectory)
    {
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var exe = OperatingSystem.IsWindows() ? "anvil.exe" : "anvil";
        var foundry = Path.Combine(contractsDirectory, "node_modules", "@foundry-rs");

        var exact = Path.Combine(foundry, $"anvil-{os}-{arch}", "bin", exe);
        if (File.Exists(exact)) return exact;

        if (Directory.Exists(foundry))
        {
            var platformMatch = Directory.EnumerateDirectories(foundry, $"anvil-{os}-*")
                .Select(d => Path.Combine(d, "bin", exe))
                .FirstOrDefault(File.Exists);
            if (platformMatch is not null) return platformMatch;
        }

        var shim = Path.Combine(contractsDirectory, "node_modules", ".bin", exe);
        if (File.Exists(shim)) return shim;

        throw new FileNotFoundException(
            $"No anvil binary under {foundry} (looked for anvil-{os}-{arch}); run `npm ci` in contracts/.");
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        string? lastError = null;
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"anvil exited with code {_process.ExitCode} before answering on {RpcUrl}: {StderrText()}");
            try
            {
                using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(RpcUrl, content, cancellationToken);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (json.RootElement.TryGetProperty("result", out var result) &&
                    Convert.ToInt64(result.GetString(), 16) == ChainId)
                {
                    return;
                }

                lastError = json.RootElement.GetRawText();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                lastError = ex.Message;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException(
            $"anvil did not answer eth_chainId on {RpcUrl} within {timeout.TotalSeconds:0} s (last error: {lastError}); stderr: {StderrText()}");
    }

    private string StderrText()
    {
        lock (_stderr)
        {
            return _stderr.Length == 0 ? "(empty)" : _stderr.ToString().Trim();
        }
    }
}
