using GovBot.Configuration;

namespace GovBot.Delegation;

/// <summary>
/// Caps what one link and one delegator can make the relayer spend on gas. In memory: a restart forgets the counts,
/// which is acceptable because links expire within a day and the delegator cap is per hour.
/// </summary>
public sealed class DelegationRelayLimiter
{
    public const int DefaultPerLink = 3;
    public const int DefaultPerDelegatorPerWindow = 5;
    public static readonly TimeSpan DefaultDelegatorWindow = TimeSpan.FromHours(1);

    /// <summary>Per-link counts are kept this long; no link lives longer than this (see <see cref="DelegationLinkSigner.MaxValidity"/>).</summary>
    private static readonly TimeSpan LinkRetention = DelegationLinkSigner.MaxValidity;

    private readonly TimeProvider _time;
    private readonly int _perLink;
    private readonly int _perDelegator;
    private readonly TimeSpan _delegatorWindow;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _byLink = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _byDelegator = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep;

    public DelegationRelayLimiter(TimeProvider time, int perLink = DefaultPerLink, int perDelegatorPerWindow = DefaultPerDelegatorPerWindow, TimeSpan? delegatorWindow = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perLink, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDelegatorPerWindow, 1);
        _time = time;
        _perLink = perLink;
        _perDelegator = perDelegatorPerWindow;
        _delegatorWindow = delegatorWindow ?? DefaultDelegatorWindow;
        _nextSweep = time.GetUtcNow() + _delegatorWindow;
    }

    /// <summary>Takes one relay slot for the link and the delegator, or says which limit is reached. Call only once the policy accepted.</summary>
    public bool TryAcquire(string linkId, string delegator, out string refusal)
    {
        refusal = "";
        var key = EthAddress.TryNormalize(delegator, out var normalized) ? normalized : delegator;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now >= _nextSweep)
                Sweep(now);

            var linkUses = Recent(_byLink, linkId, now - LinkRetention);
            if (linkUses.Count >= _perLink)
            {
                refusal = $"this link has already been used for {_perLink} relayed delegations; ask the bot for a new link or send the transaction from your wallet";
                return false;
            }

            var delegatorUses = Recent(_byDelegator, key, now - _delegatorWindow);
            if (delegatorUses.Count >= _perDelegator)
            {
                var retryAt = delegatorUses[0] + _delegatorWindow;
                var minutes = Math.Max(1, (int)Math.Ceiling((retryAt - now).TotalMinutes));
                refusal = $"{EthAddress.Short(key)} has had {_perDelegator} delegations relayed in the last {(int)_delegatorWindow.TotalMinutes} minutes; try again in {minutes} min or send the transaction from your wallet";
                return false;
            }

            linkUses.Add(now);
            delegatorUses.Add(now);
            return true;
        }
    }

    private static List<DateTimeOffset> Recent(Dictionary<string, List<DateTimeOffset>> map, string key, DateTimeOffset since)
    {
        if (!map.TryGetValue(key, out var uses))
        {
            uses = [];
            map[key] = uses;
        }
        uses.RemoveAll(t => t <= since);
        return uses;
    }

    private void Sweep(DateTimeOffset now)
    {
        Prune(_byDelegator, now - _delegatorWindow);
        Prune(_byLink, now - LinkRetention);
        _nextSweep = now + _delegatorWindow;
    }

    private static void Prune(Dictionary<string, List<DateTimeOffset>> map, DateTimeOffset since)
    {
        foreach (var (key, uses) in map)
        {
            uses.RemoveAll(t => t <= since);
            if (uses.Count == 0)
                map.Remove(key);
        }
    }
}
