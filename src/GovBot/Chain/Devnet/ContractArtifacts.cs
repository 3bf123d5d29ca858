using System.Diagnostics;
using System.Text.Json;

namespace GovBot.Chain.Devnet;

/// <summary>ABI (JSON text) and creation bytecode (0x-hex) of one compiled contract.</summary>
public sealed record ContractArtifact(string Name, string Abi, string Bytecode);

/// <summary>
/// The compiled contracts of the repo's contracts/ folder. <see cref="LoadAsync"/> always runs build.mjs first:
/// it compiles only when sources, lock file or compiler settings changed, so a warm run costs one node start.
/// </summary>
public sealed class ContractArtifacts
{
    private readonly Dictionary<string, ContractArtifact> _byName;

    private ContractArtifacts(string contractsDirectory, Dictionary<string, ContractArtifact> byName, string buildOutput)
    {
        ContractsDirectory = contractsDirectory;
        _byName = byName;
        BuildOutput = buildOutput;
    }

    public string ContractsDirectory { get; }

    /// <summary>What build.mjs printed (compiled, or up to date).</summary>
    public string BuildOutput { get; }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public ContractArtifact Get(string contractName) =>
        _byName.TryGetValue(contractName, out var artifact)
            ? artifact
            : throw new InvalidOperationException(
                $"No artifact for contract '{contractName}' in {Path.Combine(ContractsDirectory, "artifacts")}; known: {string.Join(", ", _byName.Keys)}");

    public static async Task<ContractArtifacts> LoadAsync(CancellationToken cancellationToken = default)
    {
        var contractsDirectory = FindContractsDirectory();
        if (!Directory.Exists(Path.Combine(contractsDirectory, "node_modules", "solc")))
        {
            throw new InvalidOperationException(
                $"{Path.Combine(contractsDirectory, "node_modules")} is missing or incomplete: run `npm ci` in contracts/ first.");
        }

        var buildOutput = await RunBuildAsync(contractsDirectory, cancellationToken);
        var artifactsDirectory = Path.Combine(contractsDirectory, "artifacts");
        var byName = new Dictionary<string, ContractArtifact>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(artifactsDirectory, "*.json"))
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken));
            var name = Path.GetFileNameWithoutExtension(file);
            byName[name] = new ContractArtifact(
                name,
                json.RootElement.GetProperty("abi").GetRawText(),
                json.RootElement.GetProperty("bytecode").GetString() ?? throw new InvalidDataException($"{file} has no bytecode"));
        }

        return new ContractArtifacts(contractsDirectory, byName, buildOutput);
    }

    /// <summary>
    /// Walks up from the working directory, then from the app's base directory (test runners start elsewhere),
    /// to the first folder holding contracts/package.json.
    /// </summary>
    public static string FindContractsDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "contracts");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                    return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No contracts/package.json above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; run from inside the GovBot repository.");
    }

    private static async Task<string> RunBuildAsync(string contractsDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = contractsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("build.mjs");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("`node` was not found on PATH; Node.js 20+ is needed to compile contracts/.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = (await stdout).Trim();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"`node build.mjs` in {contractsDirectory} failed with exit code {process.ExitCode}:{Environment.NewLine}{(await stderr).Trim()}{Environment.NewLine}{output}");
            }

            return output;
        }
    }
}
