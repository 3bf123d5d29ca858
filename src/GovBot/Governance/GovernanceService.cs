using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Storage;

namespace GovBot.Governance;

/// <summary>
/// Answers governance questions from the indexed SQLite tables plus live chain state. Every public method takes
/// untrusted input (ids, addresses, DAO names) and turns anything malformed into a <see cref="UserInputException"/>.
/// </summary>
public sealed class GovernanceService(DaoRegistry daos, GovernanceQueries queries, GovernorReader reader, TimeProvider time)
{
    private const int ListWindow = 200;
    private static readonly TimeSpan LiveStateTtl = TimeSpan.FromSeconds(5);
    private static readonly BigInteger MaxUint256 = (BigInteger.One << 256) - 1;
    private const long MaxUnixSeconds = 253_402_300_799;
    private readonly ConcurrentDictionary<(string Dao, string Id), (DateTimeOffset At, ProposalView View)> _live = new();
    private readonly ConcurrentDictionary<(string Dao, long Block), long> _blockTimes = new();
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, double Seconds)> _blockTime = new(StringComparer.Ordinal);

    public DaoContext Dao(string? name) => daos.Resolve(name);

    public async Task<IReadOnlyList<ProposalView>> ListAsync(string? dao, ProposalState? state, int limit, CancellationToken cancellationToken)
    {
        var context = daos.Resolve(dao);
        var recent = await queries.RecentProposalsAsync(context.Name, state is null ? limit : ListWindow, cancellationToken);
        var views = await ViewsAsync(context, recent, cancellationToken);
        return views.Where(v => state is null || v.State == state).Take(limit).ToList();
    }

    public async Task<ProposalView> GetAsync(string? dao, string id, CancellationToken cancellationToken)
    {
        var context = daos.Resolve(dao);
        var proposalId = TryParseShortId(id, out var head, out var tail)
            ? await ByShortIdAsync(context, id, head, tail, cancellationToken)
            : ParseProposalId(id);
        if (_live.TryGetValue((context.Name, proposalId), out var cached) && time.GetUtcNow() - cached.At < LiveStateTtl)
            return cached.View;
        var proposal = await queries.ProposalAsync(context.Name, proposalId, cancellationToken)
                       ?? await ByPrefixAsync(context, proposalId, cancellationToken);
        return (await ViewsAsync(context, [proposal], cancellationToken))[0];
    }

    /// <summary>
    /// OpenZeppelin ids are 77-digit hashes that nobody types; chat shows their first digits, so a unique prefix of
    /// at least six digits finds the proposal.
    /// </summary>
    private async Task<IndexedProposal> ByPrefixAsync(DaoContext dao, string prefix, CancellationToken cancellationToken)
    {
        var matches = prefix.Length >= 6 ? await queries.ProposalIdsAsync(dao.Name, prefix, 3, cancellationToken) : [];
        return matches.Count switch
        {
            1 => (await queries.ProposalAsync(dao.Name, matches[0].Id, cancellationToken))!,
            0 => throw new UserInputException($"No proposal {ShortId(prefix)} in {dao.Name}. Try /proposals to see the known ones."),
            _ => throw new UserInputException($"Several proposals in {dao.Name} start with {prefix}; type more digits of the id."),
        };
    }

    /// <summary>The shortened id chat shows ("#811882…494302"), pasted back: the proposal whose id has that head and tail.</summary>
    private async Task<string> ByShortIdAsync(DaoContext dao, string text, string head, string tail, CancellationToken cancellationToken)
    {
        var matches = (await queries.ProposalIdsAsync(dao.Name, head, 100, cancellationToken))
            .Where(m => m.Id.Length > head.Length + tail.Length && m.Id.EndsWith(tail, StringComparison.Ordinal))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new UserInputException($"No proposal {Preview(text)} in {dao.Name}. Try /proposals to see the known ones."),
            _ => throw new UserInputException($"Several proposals in {dao.Name} match {Preview(text)}; use the whole id."),
        };
    }

    public async Task<(ProposalView Proposal, IReadOnlyList<VoteRecord> Votes)> VotesAsync(string? dao, string id, CancellationToken cancellationToken)
    {
        var view = await GetAsync(dao, id, cancellationToken);
        var votes = await queries.VotesAsync(view.Proposal.Dao, view.Id, cancellationToken);
        return (view, votes);
    }

    public async Task<VoterView> VoterAsync(string? dao, string address, CancellationToken cancellationToken)
    {
        var context = daos.Resolve(dao);
        var voter = ParseAddress(address);
        var results = await context.Rpc.BatchAsync(
        [
            ContractCall.EthCall(context.Token, new GetVotesFunction { Account = voter }),
            ContractCall.EthCall(context.Token, new DelegatesFunction { Account = voter }),
            ContractCall.EthCall(context.Token, new BalanceOfFunction { Account = voter }),
        ], cancellationToken);
        var power = results[0].Ok ? ContractCall.DecodeUint(results[0].Value) : BigInteger.Zero;
        var chosen = results[1].Ok ? ContractCall.DecodeAddress(results[1].Value) : await queries.CurrentDelegateAsync(context.Name, voter, cancellationToken);
        var balance = results[2].Ok ? ContractCall.DecodeUint(results[2].Value) : BigInteger.Zero;
        if (chosen == EthAddress.Zero)
            chosen = null;
        var votes = await queries.VotesByVoterAsync(context.Name, voter, 10, cancellationToken);
        return new VoterView(voter, power, chosen, balance, votes);
    }

    public Task<IReadOnlyList<DelegateRow>> DelegatesAsync(string? dao, int limit, CancellationToken cancellationToken) =>
        queries.DelegatesAsync(daos.Resolve(dao).Name, limit, cancellationToken);

    public async Task<IReadOnlyList<(string Id, string Title)>> SuggestIdsAsync(string? dao, string prefix, CancellationToken cancellationToken)
    {
        var digits = new string(prefix.Where(char.IsAsciiDigit).Take(78).ToArray());
        return await queries.ProposalIdsAsync(daos.Resolve(dao).Name, digits, 25, cancellationToken);
    }

    private async Task<IReadOnlyList<ProposalView>> ViewsAsync(DaoContext dao, IReadOnlyList<IndexedProposal> proposals, CancellationToken cancellationToken)
    {
        if (proposals.Count == 0)
            return [];
        var profile = await dao.GetProfileAsync(cancellationToken);
        var (clock, states) = await reader.ReadAsync(dao, proposals, cancellationToken);
        var lifecycle = (await queries.LifecycleAsync(dao.Name, proposals.Select(p => p.Id).ToList(), cancellationToken))
            .ToLookup(l => l.ProposalId);
        var now = time.GetUtcNow();
        var secondsPerBlock = await SecondsPerBlockAsync(dao, clock, now, cancellationToken);
        if (!profile.TimestampClock)
            await LoadPastBlockTimesAsync(dao, clock, proposals.SelectMany(p => new[] { p.VoteStart, p.VoteEnd }), cancellationToken);

        var views = new List<ProposalView>(proposals.Count);
        foreach (var p in proposals)
        {
            var live = states[p.Id];
            var events = lifecycle[p.Id].ToList();
            var voteEnd = events.LastOrDefault(e => e.Kind == LifecycleKinds.Extended)?.Value ?? p.VoteEnd;
            var eta = events.LastOrDefault(e => e.Kind == LifecycleKinds.Queued)?.Value is { } etaText && long.TryParse(etaText, out var etaSeconds) && etaSeconds > 0
                ? DateTimeOffset.FromUnixTimeSeconds(etaSeconds)
                : (DateTimeOffset?)null;
            var view = new ProposalView(p with { VoteEnd = voteEnd }, live.State, live.Tally, live.Quorum, profile.QuorumCountsAbstain,
                ClockToTime(dao, profile.TimestampClock, clock, secondsPerBlock, p.VoteStart),
                ClockToTime(dao, profile.TimestampClock, clock, secondsPerBlock, voteEnd),
                TimesAreEstimates: !profile.TimestampClock,
                eta);
            views.Add(view);
            _live[(dao.Name, p.Id)] = (now, view);
        }

        return views;
    }

    /// <summary>
    /// On a timestamp clock the value is the time. On a block clock a past block's own timestamp is exact; a future
    /// block's time is estimated from the head and the recent block time.
    /// </summary>
    private DateTimeOffset? ClockToTime(DaoContext dao, bool timestampClock, ChainClock clock, double secondsPerBlock, string clockValue)
    {
        if (!BigInteger.TryParse(clockValue, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        if (timestampClock)
            return value > MaxUnixSeconds ? null : DateTimeOffset.FromUnixTimeSeconds((long)value);
        if (value <= clock.HeadBlock && _blockTimes.TryGetValue((dao.Name, (long)value), out var exact))
            return DateTimeOffset.FromUnixTimeSeconds(exact);
        var seconds = clock.HeadTimestamp + (double)(value - clock.HeadBlock) * secondsPerBlock;
        return seconds is < 0 or > MaxUnixSeconds ? null : DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }

    /// <summary>Timestamps of past voting start/end blocks, in one batch for those not seen before (they never change once final).</summary>
    private async Task LoadPastBlockTimesAsync(DaoContext dao, ChainClock clock, IEnumerable<string> clockValues, CancellationToken cancellationToken)
    {
        var missing = clockValues
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : -1)
            .Where(b => b >= 0 && b <= clock.HeadBlock && !_blockTimes.ContainsKey((dao.Name, b)))
            .Distinct()
            .ToList();
        if (missing.Count == 0)
            return;
        var headers = await dao.Rpc.BatchAsync(missing.Select(b => ("eth_getBlockByNumber", new JsonArray(Hex.FromLong(b), false))).ToList(), cancellationToken);
        for (var i = 0; i < missing.Count; i++)
        {
            if (headers[i].Ok && headers[i].Value.ValueKind == System.Text.Json.JsonValueKind.Object)
                _blockTimes[(dao.Name, missing[i])] = BlockHeader.Parse(headers[i].Value).Timestamp;
        }
    }

    /// <summary>Average block time over the last ~10,000 blocks (12 s when the chain is too young to tell), refreshed every ten minutes.</summary>
    private async Task<double> SecondsPerBlockAsync(DaoContext dao, ChainClock clock, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_blockTime.TryGetValue(dao.Name, out var cached) && now - cached.At < TimeSpan.FromMinutes(10))
            return cached.Seconds;
        const long window = 10_000;
        var back = Math.Max(0, clock.HeadBlock - window);
        var seconds = 12.0;
        if (clock.HeadBlock - back >= 10)
        {
            var block = await dao.Rpc.CallAsync("eth_getBlockByNumber", new JsonArray(Hex.FromLong(back), false), BlockHeader.Parse, cancellationToken);
            var measured = (double)(clock.HeadTimestamp - block.Timestamp) / (clock.HeadBlock - back);
            if (measured is > 0.01 and < 86_400)
                seconds = measured;
        }

        _blockTime[dao.Name] = (now, seconds);
        return seconds;
    }

    /// <summary>A proposal id as a user may type it: a whole id (see <see cref="ParseProposalId"/>) or the short form chat shows.</summary>
    public static void CheckProposalId(string? text)
    {
        if (!TryParseShortId(text, out _, out _))
            ParseProposalId(text);
    }

    /// <summary>
    /// The short form <see cref="ShortId"/> writes for long ids, optionally after '#': six or more leading digits, "…"
    /// (or "..."), and trailing digits.
    /// </summary>
    public static bool TryParseShortId(string? text, out string head, out string tail)
    {
        head = tail = "";
        var trimmed = (text ?? "").Trim().TrimStart('#');
        var (cut, separator) = trimmed.IndexOf('…', StringComparison.Ordinal) is var ellipsis and >= 0
            ? (ellipsis, 1)
            : (trimmed.IndexOf("...", StringComparison.Ordinal), 3);
        if (cut < 0)
            return false;
        head = trimmed[..cut];
        tail = trimmed[(cut + separator)..];
        return head.Length is >= 6 and <= 77 && tail.Length is >= 1 and <= 71
               && head.All(char.IsAsciiDigit) && tail.All(char.IsAsciiDigit);
    }

    /// <summary>A proposal id as typed by a user: decimal uint256, optionally with a leading '#'.</summary>
    public static string ParseProposalId(string? text)
    {
        var trimmed = (text ?? "").Trim().TrimStart('#');
        if (trimmed.Length is 0 or > 78 || !trimmed.All(char.IsAsciiDigit))
            throw new UserInputException($"'{Preview(text)}' is not a proposal id. Ids are whole numbers, e.g. /proposal 42.");
        var value = BigInteger.Parse(trimmed, CultureInfo.InvariantCulture);
        if (value > MaxUint256)
            throw new UserInputException("That proposal id is larger than any uint256.");
        return value.ToString(CultureInfo.InvariantCulture);
    }

    public static string ParseAddress(string? text) =>
        EthAddress.TryNormalize(text, out var address)
            ? address
            : throw new UserInputException($"'{Preview(text)}' is not an address. Addresses look like 0x followed by 40 hex characters.");

    public static string ShortId(string id) => id.Length > 14 ? $"{id[..6]}…{id[^6..]}" : id;

    private static string Preview(string? text)
    {
        var clean = ProposalText.StripControl(text ?? "");
        return clean.Length > 40 ? clean[..40] + "…" : clean;
    }
}
