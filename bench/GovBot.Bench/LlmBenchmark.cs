using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GovBot.Configuration;
using GovBot.Orchestration;
using GovBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SharpToken;

namespace GovBot.Bench;

/// <summary>
/// The orchestrator benchmark: prompt tokens per summary as actually sent to a model, cache hits over a replayed
/// question log, and offline-engine latency. The "model" is a local OpenAI-compatible Kestrel server that records requests.
/// </summary>
public static class LlmBenchmark
{
    public const int PromptTokenGoal = 1_500;
    private const string FixedSummary = "The proposal funds a working group; the decoded actions below are what it does on chain.";
    private const string FixedAnswer = "Proposal 1 was executed (created in block 20000000).";

    public static async Task RunAsync(string command)
    {
        var corpus = CorpusProposal.Load();
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Corpus: ../shared/corpus/proposals, {corpus.Count} proposals with a description.md ({corpus.Count(p => p.Actions.Count > 0)} with calldata.json), read in place. ")
            .AppendLine("Governance data is in memory (the corpus proposals as ids 1..N of the ENS DAO, with a treasury, delegates and votes); no chain, no RPC. ")
            .AppendLine("The model is a local OpenAI-compatible Kestrel server on 127.0.0.1 that records each request body and answers with a fixed message; GovBot reaches it through its real Semantic Kernel OpenAI connector (Provider OpenAICompatible).")
            .AppendLine();
        await PromptTokensAsync(corpus, body);
        await CacheReplayAsync(corpus, body);
        await OfflineLatencyAsync(corpus, body);
        await BenchResults.WriteAsync("llm", command, body.ToString());
    }

    // ---------------------------------------------------------------- 1. prompt tokens per summary

    private static async Task PromptTokensAsync(IReadOnlyList<CorpusProposal> corpus, StringBuilder body)
    {
        var encodings = new[] { GptEncoding.GetEncoding("o200k_base"), GptEncoding.GetEncoding("cl100k_base") };
        var names = new[] { "o200k_base", "cl100k_base" };
        await using var server = await LocalModelServer.StartAsync(FixedSummary);
        var data = BenchGovernanceData.Create(corpus);
        await using var stack = Stack.Create(data, server.Endpoint);

        var rows = new List<(string Name, int DescriptionChars, int DescriptionTokens, int Actions, int[] Tokens, int SystemTokens, int FencedChars, bool Truncated)>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var before = server.RequestCount;
            var summary = await stack.Summaries.SummarizeAsync(data.Proposals[i].Proposal);
            if (server.RequestCount != before + 1 || summary.Source == ProposalSummarizer.Extractive)
                throw new InvalidOperationException($"{corpus[i].Name}: expected exactly one model request, got {server.RequestCount - before} ({summary.Source})");
            var request = JsonNode.Parse(server.Requests.Last())!;
            var messages = request["messages"]!.AsArray().Select(m => (Role: (string)m!["role"]!, Content: Content(m["content"]))).ToList();
            var user = messages.Single(m => m.Role == "user").Content;
            var open = user.IndexOf("<" + UntrustedText.Tag, StringComparison.Ordinal);
            var close = user.IndexOf("</" + UntrustedText.Tag + ">", StringComparison.Ordinal);
            if (open < 0 || close < open)
                throw new InvalidOperationException($"{corpus[i].Name}: the user message carries no fenced proposal text");
            var fenced = user[open..(close + UntrustedText.Tag.Length + 3)];
            rows.Add((corpus[i].Name, corpus[i].Description.Length, encodings[0].Encode(corpus[i].Description).Count, corpus[i].Actions.Count,
                encodings.Select(e => ChatTokens(e, messages)).ToArray(),
                encodings[0].Encode(messages.Single(m => m.Role == "system").Content).Count,
                fenced.Length, fenced.Contains("text truncated", StringComparison.Ordinal)));
        }

        body.AppendLine("## 1. Prompt tokens per summary")
            .AppendLine()
            .AppendLine("The real ProposalSummarizer summarised every corpus proposal once against the local model server; the bench counted the tokens of the chat messages it actually sent (system + user with the fenced description and decoded actions), ")
            .AppendLine(CultureInfo.InvariantCulture, $"with SharpToken's bundled encodings (offline) and OpenAI's chat accounting (3 tokens per message + role + content, + 3 to prime the reply). Goal: ≤ {PromptTokenGoal:N0} prompt tokens per summary.")
            .AppendLine()
            .AppendLine("| encoding | summaries | min | median | p95 | max | over the goal |")
            .AppendLine("|---|---|---|---|---|---|---|");
        var over = 0;
        for (var e = 0; e < encodings.Length; e++)
        {
            var sorted = rows.Select(r => (double)r.Tokens[e]).Order().ToList();
            var count = rows.Count(r => r.Tokens[e] > PromptTokenGoal);
            over = Math.Max(over, count);
            body.AppendLine(CultureInfo.InvariantCulture, $"| {names[e]} | {rows.Count} | {sorted[0]:N0} | {Pct(sorted, 50)} | {Pct(sorted, 95)} | {sorted[^1]:N0} | {count} |");
        }

        body.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Goal ≤ {PromptTokenGoal:N0}: **{(over == 0 ? "met" : "NOT met")}** ({over} of {rows.Count} summaries over it). System message: {rows[0].SystemTokens} tokens (o200k_base). Summary prompt caps: decoded actions {ProposalSummarizer.PromptActionsChars:N0} characters (whole lines), fenced description {ProposalSummarizer.PromptDataChars:N0} characters less the actions sent (at least {ProposalSummarizer.PromptMinTextChars:N0}).")
            .AppendLine()
            .AppendLine("| proposal | description chars | description tokens (o200k) | actions | fenced chars sent | truncated | prompt tokens o200k | prompt tokens cl100k |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows.OrderByDescending(r => r.Tokens[1]))
            body.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.DescriptionChars:N0} | {r.DescriptionTokens:N0} | {r.Actions} | {r.FencedChars:N0} | {(r.Truncated ? "yes" : "no")} | {r.Tokens[0]:N0} | {r.Tokens[1]:N0} |");
        body.AppendLine();
    }

    private static string Content(JsonNode? content) => content switch
    {
        JsonValue v => (string)v!,
        JsonArray parts => string.Concat(parts.Select(p => (string?)p!["text"] ?? "")),
        _ => "",
    };

    private static int ChatTokens(GptEncoding encoding, List<(string Role, string Content)> messages) =>
        3 + messages.Sum(m => 3 + encoding.Encode(m.Role).Count + encoding.Encode(m.Content).Count);

    // ---------------------------------------------------------------- 2. cache hits over a replayed log

    private enum Kind
    {
        NewQuestion,
        NewWording,
        ExactRepeat,
        NormalisedRepeat,
        FirstSummary,
        RepeatSummary,
    }

    private sealed record LogEntry(string? Question, int? Proposal, Kind Kind);

    private static async Task CacheReplayAsync(IReadOnlyList<CorpusProposal> corpus, StringBuilder body)
    {
        var log = QuestionLog(corpus.Count, 300, seed: 20_251_126);
        body.AppendLine("## 2. Cache hits over a replayed question log")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"A generated log of {log.Count} requests (seeded, Zipf-like popularity): {log.Count(e => e.Question is not null)} /ask questions and {log.Count(e => e.Proposal is not null)} /proposal summaries over the {corpus.Count} corpus proposals, shuffled together. ")
            .AppendLine("Question kinds: new questions; new wordings of an earlier question (different words, so a different cache key: an honest miss); exact repeats; and repeats that differ only in case, whitespace, trailing punctuation, hidden characters or \"#42\" vs \"42\" (equal after LlmCache.NormalizeQuestion). ")
            .AppendLine("Each request is replayed through AskService.AskAsync or ProposalSummarizer.SummarizeAsync on a fresh SQLite cache; a hit is a request that reached the model server zero times and came back FromCache.")
            .AppendLine();

        foreach (var (label, advanceEvery) in new[] { ("index static (no new block during the log)", 0), ("indexer moves one block every 30 requests (answers are keyed by indexed block)", 30) })
        {
            await using var server = await LocalModelServer.StartAsync(FixedAnswer);
            var data = BenchGovernanceData.Create(corpus);
            await using var stack = Stack.Create(data, server.Endpoint);
            var counts = Enum.GetValues<Kind>().ToDictionary(k => k, _ => (Requests: 0, Hits: 0, ModelCalls: 0));
            var wrong = new List<string>();
            for (var i = 0; i < log.Count; i++)
            {
                if (advanceEvery > 0 && i > 0 && i % advanceEvery == 0)
                    data.IndexedBlock++;
                var entry = log[i];
                var before = server.RequestCount;
                bool fromCache;
                if (entry.Question is { } question)
                    fromCache = (await stack.Ask.AskAsync(null, question, CancellationToken.None)).FromCache;
                else
                    fromCache = (await stack.Summaries.SummarizeAsync(data.Proposals[entry.Proposal!.Value].Proposal)).FromCache;
                var calls = server.RequestCount - before;
                var hit = calls == 0 && fromCache;
                if ((calls == 0) != fromCache)
                    wrong.Add($"#{i}: {calls} model requests but FromCache={fromCache}");
                var c = counts[entry.Kind];
                counts[entry.Kind] = (c.Requests + 1, c.Hits + (hit ? 1 : 0), c.ModelCalls + calls);
            }

            body.AppendLine(CultureInfo.InvariantCulture, $"### {label}")
                .AppendLine()
                .AppendLine("| request kind | requests | cache hits | model requests | hit rate |")
                .AppendLine("|---|---|---|---|---|");
            foreach (var (kind, c) in counts.Where(c => c.Value.Requests > 0))
                body.AppendLine(CultureInfo.InvariantCulture, $"| {Describe(kind)} | {c.Requests} | {c.Hits} | {c.ModelCalls} | {Rate(c.Hits, c.Requests)} |");
            var total = (Requests: counts.Values.Sum(c => c.Requests), Hits: counts.Values.Sum(c => c.Hits));
            var repeats = counts.Where(c => c.Key is Kind.ExactRepeat or Kind.NormalisedRepeat or Kind.RepeatSummary).Select(c => c.Value).ToList();
            body.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {total.Requests} | {total.Hits} | {server.RequestCount} | {Rate(total.Hits, total.Requests)} |")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Repeats (exact, normalised-equal, repeated summaries): {repeats.Sum(r => r.Hits)} hits of {repeats.Sum(r => r.Requests)}. ")
                .AppendLine(CultureInfo.InvariantCulture, $"Repeated summaries of unchanged proposals that reached the model: **{counts[Kind.RepeatSummary].ModelCalls}** (goal 0: {(counts[Kind.RepeatSummary].ModelCalls == 0 && counts[Kind.RepeatSummary].Hits == counts[Kind.RepeatSummary].Requests ? "met, 100% hits" : "NOT met")}).")
                .AppendLine();
            if (wrong.Count > 0)
                body.AppendLine("Inconsistent FromCache flags: " + string.Join("; ", wrong.Take(5))).AppendLine();
        }

        // Concurrent /proposal requests for the same fresh proposal share one model call.
        await using (var slow = await LocalModelServer.StartAsync(FixedSummary, TimeSpan.FromMilliseconds(300)))
        {
            var data = BenchGovernanceData.Create(corpus);
            await using var stack = Stack.Create(data, slow.Endpoint);
            const int concurrent = 8;
            var results = await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => stack.Summaries.SummarizeAsync(data.Proposals[0].Proposal)));
            body.AppendLine(CultureInfo.InvariantCulture, $"Concurrency: {concurrent} simultaneous summaries of one not-yet-cached proposal (model answering in 300 ms) made **{slow.RequestCount}** model request(s); {results.Count(r => r.Source != ProposalSummarizer.Extractive)} of {concurrent} got the model's summary.")
                .AppendLine();
        }
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.NewQuestion => "/ask, new question",
        Kind.NewWording => "/ask, earlier question in different words",
        Kind.ExactRepeat => "/ask, exact repeat",
        Kind.NormalisedRepeat => "/ask, repeat equal after normalisation",
        Kind.FirstSummary => "/proposal, first summary of a proposal",
        _ => "/proposal, repeated summary (unchanged proposal)",
    };

    private static string Rate(int hits, int requests) => requests == 0 ? "n/a" : (100.0 * hits / requests).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Two thirds questions, one third summaries; popular items (low ranks) repeat, as in a real chat.</summary>
    private static List<LogEntry> QuestionLog(int proposals, int size, int seed)
    {
        var random = new Random(seed);
        string P(int id) => (id + 1).ToString(CultureInfo.InvariantCulture);
        // Each group: the usual wording first, then other words for the same question.
        var groups = new List<string[]>
        {
            new[] { "Which proposals are open?", "What can I vote on right now?" },
            new[] { "Who are the top delegates?", "Who has the most voting power?" },
            new[] { "How much is in the treasury?", "What are the treasury balances?" },
            new[] { "Why does the DAO fund working groups?", "What are working groups for?" },
            new[] { "Which proposals were executed?", "Show me the executed proposals" },
            new[] { "Which proposals were defeated?", "Show defeated proposals" },
        };
        foreach (var id in new[] { 3, 11, 0, 19, 27, 7, 15, 23, 30, 5 }.Where(i => i < proposals))
        {
            groups.Add(["What does proposal " + P(id) + " do?", "What is proposal " + P(id) + " about?"]);
            groups.Add(["When does voting on proposal " + P(id) + " end?", "When does proposal " + P(id) + " close?"]);
            groups.Add(["Is proposal " + P(id) + " passing?", "What is the status of proposal " + P(id) + "?"]);
            groups.Add(["What does proposal " + P(id) + " do to the treasury?", "How much does proposal " + P(id) + " spend?"]);
            groups.Add(["How did " + BenchGovernanceData.Voter + " vote on proposal " + P(id) + "?", "What did " + BenchGovernanceData.Voter + " vote on proposal " + P(id) + "?"]);
        }

        // Interleave the groups so popularity is not tied to the question kind.
        groups = groups.OrderBy(_ => random.Next()).ToList();
        var questionCount = size * 2 / 3;
        var entries = new List<(string? Question, int? Proposal)>();
        for (var i = 0; i < questionCount; i++)
        {
            var group = groups[Zipf(random, groups.Count)];
            var question = random.NextDouble() < 0.15 ? group[1] : group[0];
            entries.Add((random.NextDouble() < 0.5 ? Reshape(question, random) : question, null));
        }

        for (var i = questionCount; i < size; i++)
            entries.Add((null, Zipf(random, proposals)));
        entries = entries.OrderBy(_ => random.Next()).ToList();

        // Kinds as the replay meets them: first sight of a normalised question (and whether its group was asked before), exact or normalised repeat.
        var seenExact = new HashSet<string>(StringComparer.Ordinal);
        var seenNormalised = new HashSet<string>(StringComparer.Ordinal);
        var seenGroups = new HashSet<int>();
        var seenProposals = new HashSet<int>();
        var log = new List<LogEntry>();
        foreach (var (question, proposal) in entries)
        {
            if (question is null)
            {
                log.Add(new LogEntry(null, proposal, seenProposals.Add(proposal!.Value) ? Kind.FirstSummary : Kind.RepeatSummary));
                continue;
            }

            var normalised = LlmCache.NormalizeQuestion(question);
            var group = groups.FindIndex(g => g.Any(w => LlmCache.NormalizeQuestion(w) == normalised));
            var kind = seenExact.Contains(question) ? Kind.ExactRepeat
                : seenNormalised.Contains(normalised) ? Kind.NormalisedRepeat
                : seenGroups.Contains(group) ? Kind.NewWording
                : Kind.NewQuestion;
            seenExact.Add(question);
            seenNormalised.Add(normalised);
            seenGroups.Add(group);
            log.Add(new LogEntry(question, null, kind));
        }

        return log;
    }

    /// <summary>The same question as another user would type it: equal after LlmCache.NormalizeQuestion.</summary>
    private static string Reshape(string question, Random random) => random.Next(6) switch
    {
        0 => question.ToLowerInvariant(),
        1 => question.TrimEnd('?') + "??",
        2 => question.TrimEnd('?'),
        3 => question.Replace(" ", "  ", StringComparison.Ordinal) + " ",
        4 => question.Replace("proposal ", "proposal #", StringComparison.Ordinal).ToUpperInvariant(),
        _ => question.Insert(question.Length / 2, "\u200B"),
    };

    /// <summary>Rank 0..n-1 with probability ∝ 1 / (rank + 1).</summary>
    private static int Zipf(Random random, int n)
    {
        var total = Enumerable.Range(1, n).Sum(r => 1.0 / r);
        var x = random.NextDouble() * total;
        for (var r = 1; r <= n; r++)
        {
            x -= 1.0 / r;
            if (x <= 0)
                return r - 1;
        }

        return n - 1;
    }

    // ---------------------------------------------------------------- 3. offline-engine latency

    private static async Task OfflineLatencyAsync(IReadOnlyList<CorpusProposal> corpus, StringBuilder body)
    {
        var data = BenchGovernanceData.Create(corpus);
        await using var stack = Stack.Create(data, endpoint: null);
        var ids = Enumerable.Range(1, corpus.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        var kinds = new (AskIntentKind Kind, Func<string, string> Question)[]
        {
            (AskIntentKind.OpenProposals, _ => "Which proposals are open?"),
            (AskIntentKind.ProposalsByState, _ => "Which proposals were executed?"),
            (AskIntentKind.WhatDoes, id => $"What does proposal {id} do?"),
            (AskIntentKind.ProposalTreasury, id => $"What does proposal {id} do to the treasury?"),
            (AskIntentKind.Treasury, _ => "How much is in the treasury?"),
            (AskIntentKind.VoterVote, id => $"How did {BenchGovernanceData.Voter} vote on proposal {id}?"),
            (AskIntentKind.WhenEnds, id => $"When does proposal {id} end?"),
            (AskIntentKind.ProposalState, id => $"Is proposal {id} passing?"),
            (AskIntentKind.TopDelegates, _ => "Who are the top delegates?"),
            (AskIntentKind.Unknown, _ => "Why is governance so slow?"),
        };
        const int perKind = 340;
        body.AppendLine("## 3. Offline-engine latency")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"AskService.AskAsync with Llm:Provider None (intent parsing, the offline engine, the output guard) over in-memory governance data: no RPC or index reads are included. ")
            .AppendLine(CultureInfo.InvariantCulture, $"{perKind} timed calls per question kind after a warm-up, proposal ids cycling over all {corpus.Count} corpus proposals. The machine is shared with other builds (load average {LoadAverage()} on {Environment.ProcessorCount} cores when this section started), so p99 and max carry their scheduling noise; p50 is the figure to compare.")
            .AppendLine()
            .AppendLine("| question kind | example | calls | p50 ms | p99 ms | max ms |")
            .AppendLine("|---|---|---|---|---|---|");
        var all = new List<double>();
        foreach (var (kind, make) in kinds)
        {
            var example = make("12");
            if (AskIntentParser.Parse(example).Kind != kind)
                throw new InvalidOperationException($"'{example}' parses as {AskIntentParser.Parse(example).Kind}, not {kind}");
            for (var i = 0; i < 30; i++)
                await stack.Ask.AskAsync(null, make(ids[i % ids.Count]), CancellationToken.None);
            GC.Collect();
            var times = new List<double>(perKind);
            for (var i = 0; i < perKind; i++)
            {
                var question = make(ids[i % ids.Count]);
                var start = Stopwatch.GetTimestamp();
                var answer = await stack.Ask.AskAsync(null, question, CancellationToken.None);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (answer.Model != "offline")
                    throw new InvalidOperationException("expected the offline engine");
            }

            times.Sort();
            all.AddRange(times);
            body.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {example.Replace(BenchGovernanceData.Voter, "0x9831…6744", StringComparison.Ordinal)} | {times.Count} | {Ms(times, 50)} | {Ms(times, 99)} | {times[^1]:0.000} |");
        }

        all.Sort();
        body.AppendLine(CultureInfo.InvariantCulture, $"| **all kinds** | | {all.Count} | {Ms(all, 50)} | {Ms(all, 99)} | {all[^1]:0.000} |")
            .AppendLine();

        // Extractive summary per corpus proposal: ProposalSummarizer.SummarizeAsync with no model (decode actions, summarise, guard).
        const int rounds = 30;
        var perProposal = new List<(string Name, double P50)>();
        var samples = new List<double>();
        var longest = 0;
        for (var i = 0; i < corpus.Count; i++)
        {
            var proposal = data.Proposals[i].Proposal;
            for (var w = 0; w < 5; w++)
                await stack.Summaries.SummarizeAsync(proposal);
            var times = new List<double>(rounds);
            for (var r = 0; r < rounds; r++)
            {
                var start = Stopwatch.GetTimestamp();
                var summary = await stack.Summaries.SummarizeAsync(proposal);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                longest = Math.Max(longest, summary.Text.Length);
                if (summary.Source != ProposalSummarizer.Extractive)
                    throw new InvalidOperationException("expected the extractive summary");
            }

            times.Sort();
            samples.AddRange(times);
            perProposal.Add((corpus[i].Name, times[times.Count / 2]));
        }

        samples.Sort();
        var slowest = perProposal.MaxBy(p => p.P50);
        body.AppendLine("Extractive summary per corpus proposal (ProposalSummarizer.SummarizeAsync with no model: decode the actions, summarise, output guard):")
            .AppendLine()
            .AppendLine("| proposals | calls | p50 ms | p99 ms | max ms | slowest proposal (its p50) | longest summary |")
            .AppendLine("|---|---|---|---|---|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| {corpus.Count} | {samples.Count} | {Ms(samples, 50)} | {Ms(samples, 99)} | {samples[^1]:0.000} | {slowest.Name} ({slowest.P50:0.000} ms) | {longest} chars (cap {ExtractiveSummarizer.MaxLength}) |")
            .AppendLine();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Ms(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)].ToString("0.000", CultureInfo.InvariantCulture);

    private static string Pct(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)].ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>AddOrchestration as the host wires it, over a temp SQLite file and the bench's in-memory governance data.</summary>
    private sealed class Stack : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly ServiceProvider _services;

        private Stack(string folder, ServiceProvider services)
        {
            _folder = folder;
            _services = services;
        }

        public AskService Ask => _services.GetRequiredService<AskService>();
        public ProposalSummarizer Summaries => _services.GetRequiredService<ProposalSummarizer>();

        /// <param name="endpoint">The local model server, or null for Provider None.</param>
        public static Stack Create(IGovernanceData data, string? endpoint)
        {
            var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
            var settings = endpoint is null
                ? new Dictionary<string, string?> { ["Llm:Provider"] = "None" }
                : new Dictionary<string, string?> { ["Llm:Provider"] = "OpenAICompatible", ["Llm:Endpoint"] = endpoint, ["Llm:Model"] = "bench-model", ["Llm:TimeoutSeconds"] = "30" };
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "govbot.db")};Pooling=False" }), NullLogger<SqliteDatabase>.Instance));
            services.AddSingleton(data);
            services.AddOrchestration(configuration, Path.Combine(BenchResults.Folder, "..", "..", "prompts"));
            var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            _ = provider.GetRequiredService<IOptions<LlmOptions>>().Value;
            return new Stack(folder, provider);
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A lingering handle; the temp folder is harmless.
            }
        }
    }
}
