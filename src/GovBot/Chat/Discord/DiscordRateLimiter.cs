using System.Globalization;
using System.Net.Http.Headers;

namespace GovBot.Chat.Discord;

/// <summary>
/// Discord's rate limits as the response headers describe them: each route maps to a bucket
/// (X-RateLimit-Bucket) per major parameter (channel, guild, webhook); when a bucket has no requests left,
/// the next request waits for its reset instead of earning a 429. A global 429 pauses every route.
/// Shared by every <see cref="DiscordRestClient"/>, which are short-lived typed clients.
/// </summary>
public sealed class DiscordRateLimiter(TimeProvider timeProvider)
{
    private const int PruneThreshold = 1024;

    private readonly Dictionary<string, string> _bucketByRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _globalResetAt = DateTimeOffset.MinValue;

    /// <summary>Until when every route is held back by a global 429.</summary>
    internal DateTimeOffset GlobalResetAt
    {
        get
        {
            lock (_lock)
                return _globalResetAt;
        }
    }

    /// <summary>Waits until a request on this route may be sent, and counts it against its bucket.</summary>
    public async Task AcquireAsync(string route, string majorParameter, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = timeProvider.GetUtcNow();
                var state = GetState(route, majorParameter);
                if (_globalResetAt > now)
                {
                    wait = _globalResetAt - now;
                }
                else if (state.Remaining is <= 0 && state.ResetAt > now)
                {
                    wait = state.ResetAt - now;
                }
                else
                {
                    if (state.ResetAt <= now)
                        state.Remaining = null;
                    if (state.Remaining is { } remaining)
                        state.Remaining = remaining - 1;
                    return;
                }
            }
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    /// <summary>Learns the bucket and what is left in it from a response's X-RateLimit-* headers.</summary>
    public void Update(string route, string majorParameter, HttpResponseHeaders headers)
    {
        var bucket = Header(headers, "X-RateLimit-Bucket");
        var remaining = int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : (int?)null;
        var resetAfter = double.TryParse(Header(headers, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : (double?)null;

        lock (_lock)
        {
            if (bucket is not null)
                _bucketByRoute[route] = bucket;
            if (remaining is null || resetAfter is null)
                return;
            var state = GetState(route, majorParameter);
            state.Remaining = remaining;
            state.ResetAt = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(resetAfter.Value);
        }
    }

    /// <summary>After a 429: nothing on this route (or, if global, on any route) goes out before the wait is over.</summary>
    public void Block(string route, string majorParameter, TimeSpan retryAfter, bool global)
    {
        lock (_lock)
        {
            var until = timeProvider.GetUtcNow() + retryAfter;
            if (global)
            {
                if (until > _globalResetAt)
                    _globalResetAt = until;
                return;
            }
            var state = GetState(route, majorParameter);
            state.Remaining = 0;
            if (until > state.ResetAt)
                state.ResetAt = until;
        }
    }

    private BucketState GetState(string route, string majorParameter)
    {
        var key = (_bucketByRoute.TryGetValue(route, out var bucket) ? bucket : route) + "|" + majorParameter;
        if (_buckets.TryGetValue(key, out var state))
            return state;

        // Interaction tokens are major parameters and each lives 15 minutes: forget buckets long since reset.
        if (_buckets.Count >= PruneThreshold)
        {
            var cutoff = timeProvider.GetUtcNow() - TimeSpan.FromMinutes(1);
            foreach (var stale in _buckets.Where(b => b.Value.ResetAt < cutoff).Select(b => b.Key).ToList())
                _buckets.Remove(stale);
        }
        state = new BucketState();
        _buckets[key] = state;
        return state;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class BucketState
    {
        public int? Remaining { get; set; }
        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }
}
