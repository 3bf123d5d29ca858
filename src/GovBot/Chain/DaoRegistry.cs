using System.Text.Json.Nodes;
using GovBot.Configuration;
using Microsoft.Extensions.Logging;

namespace GovBot.Chain;

/// <summary>One configured DAO with its RPC client and (once probed) what kind of governor it runs.</summary>
public sealed class DaoContext(DaoOptions options, JsonRpcClient rpc, GovernorProbe probe)
{
    private readonly SemaphoreSlim _profileLock = new(1, 1);
    private GovernorProfile? _profile;

    public DaoOptions Options { get; } = options;
    public string Name => Options.Name;
    public JsonRpcClient Rpc { get; } = rpc;
    public string Governor { get; } = options.Governor.ToLowerInvariant();
    public string Token { get; } = options.Token.ToLowerInvariant();
    public string? Timelock { get; } = options.Timelock?.ToLowerInvariant();

    /// <summary>
    /// The profile together with the results of <paramref name="calls"/>, in one HTTP request when the chain still has
    /// to be probed (the indexer's first request), else in a batch of their own.
    /// </summary>
    public async Task<(GovernorProfile Profile, IReadOnlyList<RpcResult> Results)> GetProfileWithAsync(
        IReadOnlyList<(string Method, JsonArray Params)> calls, CancellationToken cancellationToken)
    {
        if (_profile is null)
        {
            await _profileLock.WaitAsync(cancellationToken);
            try
            {
                if (_profile is null)
                {
                    var (profile, results) = await probe.ProbeAsync(this, calls, cancellationToken);
                    _profile = profile;
                    return (profile, results);
                }
            }
            finally
            {
                _profileLock.Release();
            }
        }

        return (_profile, await Rpc.BatchAsync(calls, cancellationToken));
    }

    /// <summary>Probes the chain once: chain id, code at both addresses, clock and counting mode.</summary>
    public async Task<GovernorProfile> GetProfileAsync(CancellationToken cancellationToken) =>
        _profile ?? (await GetProfileWithAsync([], cancellationToken)).Profile;
}

/// <summary>The configured DAOs by name. The first one is the default.</summary>
public sealed class DaoRegistry
{
    private readonly Dictionary<string, DaoContext> _byName;

    public DaoRegistry(IEnumerable<DaoOptions> daos, IHttpClientFactory httpClients, ILoggerFactory loggers, GovernorProbe probe, RpcRetryPolicy? retry = null)
    {
        All = daos
            .Select(d => new DaoContext(d, new JsonRpcClient(httpClients.CreateClient("rpc"), new Uri(d.Rpc), loggers.CreateLogger("GovBot.Rpc." + d.Name), retry), probe))
            .ToList();
        _byName = All.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<DaoContext> All { get; }

    public DaoContext Default => All[0];

    /// <summary>The named DAO, or the default when no name is given.</summary>
    public DaoContext Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return Default;
        if (_byName.TryGetValue(name.Trim(), out var dao))
            return dao;
        var known = string.Join(", ", All.Select(d => d.Name));
        var shown = name.Length > 40 ? name[..40] + "…" : name;
        throw new UserInputException($"Unknown DAO '{shown}'. Configured: {known}.");
    }
}
