using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using GovBot.Storage;
using Microsoft.Extensions.Logging;

namespace GovBot.Chain;

public sealed record IndexProgress(string Dao, long FirstBlock, long IndexedTo, long Target);

public sealed record IndexRunResult(string Dao, long FromBlock, long ToBlock, int Ranges, int Events, bool Reorged);

/// <summary>
/// Catches a DAO up from its stored cursor to the last final block (head minus Confirmations). Every range is one
/// HTTP request: a JSON-RPC batch of the single eth_getLogs (governor and token, every topic) and the header of the
/// range's last block, whose hash becomes the cursor. The range halves on "too large" refusals and doubles back on success.
/// </summary>
public sealed class ProposalIndexer(IndexStore store, ILogger<ProposalIndexer> logger)
{
    private const int AncestorProbeBatch = 64;

    /// <summary>Decoded ranges the reader may hold ahead of the writer (bounds memory on a slow disk).</summary>
    private const int ReadAhead = 16;

    /// <summary>A commit takes every queued range up to this many events, so one transaction stays short.</summary>
    private const int MaxEventsPerCommit = 10_000;
    private readonly ConcurrentDictionary<string, int> _rangeSize = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IndexRunResult> CatchUpAsync(DaoContext dao, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        var decoder = new GovernanceEventDecoder(dao.Governor, dao.Token);
        var cursor = await store.GetCursorAsync(dao.Name, cancellationToken);
        var firstBlock = Math.Max(0, dao.Options.StartBlock);
        var from = cursor is null ? firstBlock : cursor.Block + 1;

        // The first request carries the probe (on the first run), the head, the cursor block's canonical hash (the
        // reorg check) and the first range, on the guess that the chain reaches past it: true whenever there is
        // catching up to do, so a catch-up takes exactly one request per range. When the guess is wrong (the chain
        // is near its head) the range is simply fetched again at the right size.
        var checkCursor = cursor is not null && cursor.BlockHash.Length > 0;
        var guessTo = from + _rangeSize.GetOrAdd(dao.Name, dao.Options.MaxBlockRange) - 1;
        List<(string Method, JsonArray Params)> calls = [("eth_blockNumber", new JsonArray())];
        if (checkCursor)
            calls.Add(("eth_getBlockByNumber", new JsonArray(Hex.FromLong(cursor!.Block), false)));
        calls.AddRange(RangeCalls(dao, from, guessTo));
        var (_, first) = await dao.GetProfileWithAsync(calls, cancellationToken);

        if (first[0].Error is { } headError)
            throw headError;
        var head = Hex.ToLong(first[0].Value.GetString() ?? throw new RpcUnavailableException("eth_blockNumber returned null"));
        var reorged = false;
        if (checkCursor)
        {
            if (first[1].Error is { } cursorError)
                throw cursorError;
            var canonical = first[1].Value.ValueKind == JsonValueKind.Object ? BlockHeader.Parse(first[1].Value).Hash : "";
            if (canonical != cursor!.BlockHash)
            {
                cursor = await RollBackToCommonAncestorAsync(dao, cursor, cancellationToken);
                reorged = true;
                from = cursor is null ? firstBlock : cursor.Block + 1;
            }
        }

        var target = head - dao.Options.Confirmations;
        // The first range, when the guess held: the reader uses it only if it is exactly the range it wants.
        (long From, long To, Task<FetchedRange?> Task)? prefetch = null;
        if (!reorged && guessTo <= target)
        {
            var at = calls.Count - 2;
            prefetch = (from, guessTo, ParseRangeAsTask(first[at], first[at + 1], from, guessTo));
        }

        var start = from;
        var ranges = 0;
        var events = 0;
        progress?.Report(new IndexProgress(dao.Name, firstBlock, from - 1, target));

        // Two stages: a reader fetches, decodes and queues ranges ahead; the writer commits what is queued, several
        // ranges to a transaction when the reader is ahead (a commit costs more than a hundred rows). On a fast node
        // the writer sets the pace and commits grow; on a slow one the reader does and each range commits at once.
        var queue = Channel.CreateBounded<IndexedRange>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadRangesAsync(dao, decoder, from, target, prefetch, queue.Writer, stop.Token), CancellationToken.None);
        try
        {
            var batch = new List<IndexedRange>();
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                batch.Clear();
                var batchEvents = 0;
                while (batchEvents < MaxEventsPerCommit && queue.Reader.TryRead(out var range))
                {
                    batch.Add(range);
                    batchEvents += range.Events.Count;
                }

                await store.WriteRangesAsync(dao.Name, batch, cancellationToken);
                ranges += batch.Count;
                events += batchEvents;
                progress?.Report(new IndexProgress(dao.Name, firstBlock, batch[^1].End.Number, target));
            }

            // The reader's failure, if any, after everything it read before failing is safely written.
            await reader;
        }
        finally
        {
            await stop.CancelAsync();
            await ObserveAsync(reader);
        }

        return new IndexRunResult(dao.Name, start, Math.Max(start - 1, target), ranges, events, reorged);
    }

    /// <summary>
    /// Fetches consecutive ranges up to <paramref name="target"/>, adapting the range size, and queues each decoded.
    /// The next range's request is already on the wire while this one is decoded, so the node's latency is hidden too.
    /// </summary>
    private async Task ReadRangesAsync(DaoContext dao, GovernanceEventDecoder decoder, long from, long target,
        (long From, long To, Task<FetchedRange?> Task)? prefetch, ChannelWriter<IndexedRange> queue, CancellationToken cancellationToken)
    {
        try
        {
            while (from <= target)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var size = _rangeSize.GetOrAdd(dao.Name, dao.Options.MaxBlockRange);
                var to = Math.Min(target, from + size - 1);
                var fetched = prefetch is { } p && p.From == from && p.To == to
                    ? await p.Task
                    : await FetchRangeAsync(dao, from, to, cancellationToken);
                prefetch = null;
                if (fetched is null)
                {
                    if (size == 1)
                        throw new RpcUnavailableException($"eth_getLogs refuses even a single block ({from}) as too large");
                    _rangeSize[dao.Name] = Math.Max(1, size / 2);
                    logger.LogInformation("DAO {Dao}: provider refused {Size} blocks, trying {NewSize}", dao.Name, size, size / 2);
                    continue;
                }

                var nextSize = size < dao.Options.MaxBlockRange ? (int)Math.Min(dao.Options.MaxBlockRange, (long)size * 2) : size;
                _rangeSize[dao.Name] = nextSize;
                if (to < target)
                {
                    var nextTo = Math.Min(target, to + nextSize);
                    prefetch = (to + 1, nextTo, FetchRangeAsync(dao, to + 1, nextTo, cancellationToken));
                }

                var decoded = new List<GovernanceEvent>(fetched.Logs.Count);
                foreach (var log in fetched.Logs)
                {
                    if (decoder.Decode(log) is { } e)
                        decoded.Add(e);
                }

                var timestamps = await BlockTimestampsAsync(dao, fetched.Logs, decoded, cancellationToken);
                if (decoded.Count > 0)
                    logger.LogDebug("DAO {Dao}: blocks {From}-{To}: {Events} events", dao.Name, from, to, decoded.Count);
                await queue.WriteAsync(new IndexedRange(decoded, timestamps, fetched.RangeEnd, fetched.RangeEndTimestamp), cancellationToken);
                from = to + 1;
            }
        }
        finally
        {
            queue.TryComplete();
            if (prefetch is { } abandoned)
                await ObserveAsync(abandoned.Task);
        }
    }

    private sealed record FetchedRange(IReadOnlyList<ChainLog> Logs, StoredBlock RangeEnd, long RangeEndTimestamp);

    /// <summary>Waits for an abandoned task so its exception is observed, never thrown later.</summary>
    private static Task ObserveAsync(Task task) =>
        task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The range's eth_getLogs (governor and token, every topic) and the header of its last block.</summary>
    private static (string Method, JsonArray Params)[] RangeCalls(DaoContext dao, long from, long to)
    {
        var filter = new JsonObject
        {
            ["fromBlock"] = Hex.FromLong(from),
            ["toBlock"] = Hex.FromLong(to),
            ["address"] = new JsonArray(dao.Governor, dao.Token),
            ["topics"] = new JsonArray(new JsonArray(GovernorTopics.All.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray())),
        };
        return [("eth_getLogs", new JsonArray(filter)), ("eth_getBlockByNumber", new JsonArray(Hex.FromLong(to), false))];
    }

    /// <summary>Null when the provider refused the range as too large.</summary>
    private static async Task<FetchedRange?> FetchRangeAsync(DaoContext dao, long from, long to, CancellationToken cancellationToken)
    {
        var results = await dao.Rpc.BatchAsync(RangeCalls(dao, from, to), cancellationToken);
        return ParseRange(results[0], results[1], from, to);
    }

    private static Task<FetchedRange?> ParseRangeAsTask(RpcResult logsResult, RpcResult headerResult, long from, long to)
    {
        try
        {
            return Task.FromResult(ParseRange(logsResult, headerResult, from, to));
        }
        catch (Exception ex) when (ex is RpcUnavailableException or RpcErrorException)
        {
            return Task.FromException<FetchedRange?>(ex);
        }
    }

    private static FetchedRange? ParseRange(RpcResult logsResult, RpcResult headerResult, long from, long to)
    {
        if (logsResult.Error is { } logsError)
        {
            if (logsError.IsRangeTooLarge)
                return null;
            throw logsError;
        }

        if (headerResult.Error is { } headerError)
            throw headerError;
        if (logsResult.Value.ValueKind != JsonValueKind.Array)
            throw new RpcUnavailableException($"eth_getLogs {from}-{to}: expected an array, got {logsResult.Value.ValueKind}");
        if (headerResult.Value.ValueKind != JsonValueKind.Object)
            throw new RpcUnavailableException($"eth_getBlockByNumber {to}: the node does not have the block (got {headerResult.Value.ValueKind})");

        BlockHeader header;
        List<ChainLog> logs;
        try
        {
            header = BlockHeader.Parse(headerResult.Value);
            logs = logsResult.Value.EnumerateArray().Select(ChainLog.Parse).ToList();
        }
        catch (FormatException ex)
        {
            throw new RpcUnavailableException($"eth_getLogs {from}-{to}: malformed answer: {ex.Message}", ex);
        }

        if (header.Number != to)
            throw new RpcUnavailableException($"eth_getBlockByNumber {to} returned block {header.Number}");
        foreach (var log in logs)
        {
            if (log.BlockNumber < from || log.BlockNumber > to)
                throw new RpcUnavailableException($"eth_getLogs {from}-{to} returned a log from block {log.BlockNumber}");
            if (log.BlockNumber == to && log.BlockHash != header.Hash)
                throw new RpcUnavailableException($"block {to} changed while it was read (reorg in progress); will retry");
        }

        logs.Sort((a, b) => a.BlockNumber != b.BlockNumber ? a.BlockNumber.CompareTo(b.BlockNumber) : a.LogIndex.CompareTo(b.LogIndex));
        return new FetchedRange(logs, new StoredBlock(to, header.Hash), header.Timestamp);
    }

    /// <summary>Timestamps for blocks that created proposals: from the logs when the node includes them, else one batch of headers.</summary>
    private static async Task<IReadOnlyDictionary<long, long>> BlockTimestampsAsync(
        DaoContext dao, IReadOnlyList<ChainLog> logs, IReadOnlyList<GovernanceEvent> decoded, CancellationToken cancellationToken)
    {
        var timestamps = new Dictionary<long, long>();
        foreach (var log in logs)
        {
            if (log.BlockTimestamp is { } ts)
                timestamps[log.BlockNumber] = ts;
        }

        var missing = decoded.OfType<ProposalCreated>().Select(p => p.Block).Where(b => !timestamps.ContainsKey(b)).Distinct().ToList();
        if (missing.Count == 0)
            return timestamps;
        var headers = await dao.Rpc.BatchAsync(missing.Select(b => ("eth_getBlockByNumber", new JsonArray(Hex.FromLong(b), false))).ToList(), cancellationToken);
        for (var i = 0; i < missing.Count; i++)
        {
            if (headers[i].Error is { } error)
                throw error;
            timestamps[missing[i]] = BlockHeader.Parse(headers[i].Value).Timestamp;
        }

        return timestamps;
    }

    private async Task<IndexCursor?> RollBackToCommonAncestorAsync(DaoContext dao, IndexCursor cursor, CancellationToken cancellationToken)
    {
        var below = cursor.Block;
        while (true)
        {
            var candidates = await store.GetStoredBlocksAsync(dao.Name, below, AncestorProbeBatch, cancellationToken);
            if (candidates.Count == 0)
                break;
            var canonical = await dao.Rpc.BatchAsync(
                candidates.Select(c => ("eth_getBlockByNumber", new JsonArray(Hex.FromLong(c.Number), false))).ToList(), cancellationToken);
            for (var i = 0; i < candidates.Count; i++)
            {
                if (canonical[i].Ok && canonical[i].Value.ValueKind == JsonValueKind.Object && BlockHeader.Parse(canonical[i].Value).Hash == candidates[i].Hash)
                {
                    logger.LogWarning("DAO {Dao}: reorg detected at block {Block}; rolling back to common ancestor {Ancestor}", dao.Name, cursor.Block, candidates[i].Number);
                    await store.RollbackAsync(dao.Name, candidates[i], cancellationToken);
                    return new IndexCursor(candidates[i].Number, candidates[i].Hash);
                }
            }

            below = candidates[^1].Number - 1;
        }

        logger.LogWarning("DAO {Dao}: reorg deeper than anything stored; re-reading from block {StartBlock}", dao.Name, dao.Options.StartBlock);
        await store.RollbackAsync(dao.Name, new StoredBlock(dao.Options.StartBlock - 1, ""), cancellationToken);
        return null;
    }
}

public sealed record BlockHeader(long Number, string Hash, long Timestamp)
{
    public static BlockHeader Parse(JsonElement block)
    {
        if (block.ValueKind != JsonValueKind.Object)
            throw new FormatException($"a block is a JSON {block.ValueKind}, not an object");
        return new BlockHeader(
            Hex.ToLong(Get(block, "number")),
            Hex.Lower(Get(block, "hash")),
            Hex.ToLong(Get(block, "timestamp")));
    }

    private static string Get(JsonElement block, string name) =>
        block.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"a block has no string '{name}'");
}
