using System.Text.Json;
using GovBot.Chain;
using GovBot.Digests;
using GovBot.Chat;
using GovBot.Chat.Console;
using GovBot.Chat.Commands;
using GovBot.Governance;
using GovBot.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace GovBot.Cli;

/// <summary>
/// The govbot command line. Exit codes: 0 ok, 2 bad input or configuration (one line on stderr), 1 anything else.
/// With --json, stdout holds exactly one JSON document and logs go to stderr.
/// </summary>
public static class GovBotCli
{
    public const string Usage =
        "usage: govbot <run|demo|devnet|index|proposals [state]|proposal <id>|votes <id>|voter <address>|delegates|treasury [--simulate <id>]|delegate-link <address>|ask \"<question>\"|digest|discord register> [--dao NAME] [--config FILE] [--json]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        Action<IConfigurationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        CliArguments cli;
        try
        {
            cli = CliArguments.Parse(args);
        }
        catch (UserInputException ex)
        {
            await stderr.WriteLineAsync($"govbot: {ex.Message}");
            return 2;
        }

        try
        {
            return await RunVerbAsync(cli, stdout, stderr, configure, cancellationToken);
        }
        catch (Exception ex) when (ex is UserInputException or ConfigurationException)
        {
            await stderr.WriteLineAsync($"govbot: {ex.Message}");
            return 2;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"govbot: {ex.OptionsName}: {ex.Failures.FirstOrDefault()}");
            return 2;
        }
        catch (RpcUnavailableException ex)
        {
            await stderr.WriteLineAsync($"govbot: the chain is not reachable: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 1;
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"govbot: {ex.GetType().Name}: {ex.Message}");
            if (cli.Verbose)
                await stderr.WriteLineAsync(ex.ToString());
            return 1;
        }
    }

    private static async Task<int> RunVerbAsync(CliArguments cli, TextWriter stdout, TextWriter stderr, Action<IConfigurationBuilder>? configure, CancellationToken cancellationToken)
    {
        switch (cli.Verb)
        {
            case "run":
                return await RunHostAsync(cli, configure, cancellationToken);
            case "index":
            {
                await using var app = GovBotHost.Build(cli, continuous: false, configure);
                var stopwatch = System.Diagnostics.Stopwatch.StartNew();
                var results = await IndexAsync(app, cli, stderr, cancellationToken);
                if (cli.Json)
                    await WriteJsonAsync(stdout, results.Select(r => new { dao = r.Result.Dao, fromBlock = r.Result.FromBlock, toBlock = r.Result.ToBlock, ranges = r.Result.Ranges, events = r.Result.Events, reorged = r.Result.Reorged, rpcRequests = r.Requests, seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 3) }));
                else
                    foreach (var (r, requests) in results)
                        await stdout.WriteLineAsync($"{r.Dao}: indexed blocks {r.FromBlock}-{r.ToBlock}: {r.Events} events, {r.Ranges} ranges, {requests} RPC requests");
                return 0;
            }

            case "proposals" or "proposal" or "votes" or "voter" or "delegates":
            {
                ValidateArguments(cli);
                await using var app = GovBotHost.Build(cli, continuous: false, configure);
                await IndexAsync(app, cli, stderr, cancellationToken);
                return await QueryAsync(app, cli, stdout, cancellationToken);
            }

            case "delegate-link":
            {
                var address = GovernanceService.ParseAddress(cli.Positional(0, "the delegate's address", "delegate-link 0xabc…"));
                await using var app = GovBotHost.Build(cli, continuous: false, configure);
                var link = app.Services.GetRequiredService<Delegation.DelegationService>().CreateLink(cli.Dao, address);
                var expiresAt = link.Link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                if (cli.Json)
                    await WriteJsonAsync(stdout, new { url = link.Url.ToString(), expiresAt });
                else
                    await stdout.WriteLineAsync($"{link.Url}\n(expires {expiresAt})");
                return 0;
            }

            case "digest":
                return await DigestAsync(cli, stdout, stderr, configure, cancellationToken);
            case "treasury":
                return await TreasuryAsync(cli, stdout, stderr, configure, cancellationToken);

            case "ask":
            {
                var question = string.Join(' ', cli.Positionals).Trim();
                if (question.Length == 0)
                    throw new UserInputException("ask needs a question, e.g. govbot ask \"which proposals are open?\"");
                await using var app = GovBotHost.Build(cli, continuous: false, configure);
                await IndexAsync(app, cli, stderr, cancellationToken);
                return await AskAsync(app, cli, question, stdout, cancellationToken);
            }

            case "discord":
                return await DiscordRegisterAsync(cli, stdout, configure, cancellationToken);
            case "devnet":
                return await DevnetVerbs.DevnetAsync(cli, stdout, stderr, cancellationToken);
            case "demo":
                return await DevnetVerbs.DemoAsync(cli, stdout, stderr, cancellationToken);
            case "help" or "--help" or "-h":
                await stdout.WriteLineAsync(Usage);
                return 0;
            default:
                throw new UserInputException($"Unknown verb '{(cli.Verb.Length > 30 ? cli.Verb[..30] : cli.Verb)}'. {Usage}");
        }
    }

    private static async Task<int> RunHostAsync(CliArguments cli, Action<IConfigurationBuilder>? configure, CancellationToken cancellationToken)
    {
        await using var app = GovBotHost.Build(cli, continuous: true, configure, services => services.AddIndexerService().AddDigestServices(), consoleWhenNoChatSurface: true);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> TreasuryAsync(CliArguments cli, TextWriter stdout, TextWriter stderr, Action<IConfigurationBuilder>? configure, CancellationToken cancellationToken)
    {
        var simulate = cli.Option("--simulate");
        if (simulate is not null)
            GovernanceService.CheckProposalId(simulate);
        await using var app = GovBotHost.Build(cli, continuous: false, configure);
        if (simulate is null)
        {
            var snapshot = await app.Services.GetRequiredService<Treasury.TreasuryService>().BalancesAsync(cli.Dao, cancellationToken);
            if (cli.Json)
            {
                await WriteJsonAsync(stdout, new
                {
                    dao = snapshot.Dao,
                    block = snapshot.Block,
                    holders = snapshot.Holders,
                    balances = snapshot.Balances.Select(b => new { holder = b.Holder, token = b.Token, symbol = b.Symbol, decimals = b.Decimals, balance = b.Balance?.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                });
                return 0;
            }

            return await QueryAsync(app, cli, stdout, cancellationToken);
        }

        await IndexAsync(app, cli, stderr, cancellationToken);
        Treasury.SimulationReport report;
        try
        {
            report = await app.Services.GetRequiredService<Treasury.TreasurySimulator>().SimulateAsync(cli.Dao, simulate, cancellationToken);
        }
        catch (Treasury.SimulationUnavailableException ex)
        {
            await stderr.WriteLineAsync($"govbot: {ex.Message}");
            return 1;
        }

        if (cli.Json)
        {
            await WriteJsonAsync(stdout, new
            {
                dao = report.Dao,
                proposalId = report.ProposalId,
                state = ProposalFormat.State(report.State),
                baseBlock = report.BaseBlock,
                executor = report.Executor,
                wouldRevert = report.WouldRevert,
                actions = report.Actions.Select(a => new { index = a.Index, target = a.Target, value = a.Value, summary = a.Summary, success = a.Success, revertReason = a.RevertReason, gasUsed = a.GasUsed.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                deltas = report.Deltas.Select(d => new { address = d.Address, token = d.Token, symbol = d.Symbol, decimals = d.Decimals, before = d.Before.ToString(System.Globalization.CultureInfo.InvariantCulture), after = d.After.ToString(System.Globalization.CultureInfo.InvariantCulture), treasury = d.IsTreasury }),
                reverted = report.Actions.Where(a => !a.Success).Select(a => new { index = a.Index, reason = a.RevertReason }),
                risks = report.Risks.Select(r => new { severity = r.Severity.ToString().ToLowerInvariant(), code = r.Code, reason = r.Reason }),
                note = report.Note,
            });
        }
        else
        {
            await stdout.WriteAsync(ConsoleRenderer.Render(Treasury.SimulateCommand.Render(report)));
        }

        return 0;
    }

    /// <summary>`digest`: the scheduled digest for --dao (default the first DAO) as it would be posted now, covering the last 24 hours.</summary>
    private static async Task<int> DigestAsync(CliArguments cli, TextWriter stdout, TextWriter stderr, Action<IConfigurationBuilder>? configure, CancellationToken cancellationToken)
    {
        await using var app = GovBotHost.Build(cli, continuous: false, configure);
        var dao = app.Services.GetRequiredService<GovernanceService>().Dao(cli.Dao);
        await IndexAsync(app, cli, stderr, cancellationToken);
        // "What changed" comes from the events a running bot recorded in this database; the CLI records none itself.
        var since = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(-24);
        var digest = await app.Services.GetRequiredService<DigestBuilder>().BuildAsync(dao.Name, since, cancellationToken);
        if (cli.Json)
        {
            await WriteJsonAsync(stdout, new
            {
                dao = digest.Dao,
                generatedAt = digest.GeneratedAt,
                since = digest.Since,
                open = digest.Open.Select(v => CliJson.Proposal(v, withDetails: false)).ToList(),
                endingSoon = digest.EndingSoon.Select(v => v.Id).ToList(),
                changes = digest.Changes.Select(c => new { proposalId = c.ProposalId, title = c.Title, kind = c.Kind, at = c.At }).ToList(),
            });
        }
        else
        {
            var prose = await app.Services.GetRequiredService<DigestWriter>().WriteAsync(digest, cancellationToken);
            await stdout.WriteAsync(ConsoleRenderer.Render(DigestBuilder.Render(digest, prose)));
        }

        return 0;
    }

    /// <summary>`discord register [guild-id]`: bulk-overwrites the application's commands, globally or in one guild (instant, for testing).</summary>
    private static async Task<int> DiscordRegisterAsync(CliArguments cli, TextWriter stdout, Action<IConfigurationBuilder>? configure, CancellationToken cancellationToken)
    {
        if (cli.Positionals.Count == 0 || cli.Positionals[0] != "register")
            throw new UserInputException("Usage: govbot discord register [guild-id]");
        await using var app = GovBotHost.Build(cli, continuous: false, configure);
        var options = app.Services.GetRequiredService<IOptions<Configuration.DiscordOptions>>().Value;
        if (!options.Enabled || string.IsNullOrWhiteSpace(options.BotToken))
            throw new ConfigurationException("Discord", "ApplicationId, PublicKey and BotToken are needed to register commands");
        var guild = cli.Positionals.Count > 1 ? cli.Positionals[1] : null;
        if (guild is not null && (guild.Length > 20 || !guild.All(char.IsAsciiDigit)))
            throw new UserInputException("A guild id is a number (a Discord snowflake).");
        var client = app.Services.GetRequiredService<Chat.Discord.DiscordRestClient>();
        try
        {
            await client.BulkOverwriteCommandsAsync(options.ApplicationId!, guild, CommandCatalog.All, cancellationToken);
        }
        catch (Chat.Discord.DiscordApiException ex) when (ex.Status is System.Net.HttpStatusCode.Unauthorized)
        {
            // A refused token is a configuration problem (exit 2), not a crash.
            throw new ConfigurationException("Discord:BotToken", $"Discord refused it ({ex.Message})");
        }
        catch (Chat.Discord.DiscordApiException ex) when (ex.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            throw new ConfigurationException("Discord:ApplicationId", $"Discord refused the registration; check the application id{(guild is null ? "" : " and that the bot is in guild " + guild)} ({ex.Message})");
        }

        await stdout.WriteLineAsync($"Registered {CommandCatalog.All.Count} commands {(guild is null ? "globally" : $"in guild {guild}")}.");
        return 0;
    }

    internal static Task IndexAllAsync(WebApplication app, CliArguments cli, TextWriter stderr, CancellationToken cancellationToken) =>
        IndexAsync(app, cli, stderr, cancellationToken);

    private static async Task<List<(IndexRunResult Result, long Requests)>> IndexAsync(WebApplication app, CliArguments cli, TextWriter stderr, CancellationToken cancellationToken)
    {
        var registry = app.Services.GetRequiredService<DaoRegistry>();
        var indexer = app.Services.GetRequiredService<ProposalIndexer>();
        var targets = cli.Dao is null ? registry.All : [registry.Resolve(cli.Dao)];
        var results = new List<(IndexRunResult, long)>();
        foreach (var dao in targets)
        {
            var before = dao.Rpc.RequestCount;
            var result = await IndexProgressDisplay.RunAsync(stderr, dao.Name, progress => indexer.CatchUpAsync(dao, progress, cancellationToken));
            results.Add((result, dao.Rpc.RequestCount - before));
        }

        return results;
    }

    private static async Task<int> QueryAsync(WebApplication app, CliArguments cli, TextWriter stdout, CancellationToken cancellationToken)
    {
        var governance = app.Services.GetRequiredService<GovernanceService>();
        if (cli.Json)
        {
            object document = cli.Verb switch
            {
                "proposals" => (await governance.ListAsync(cli.Dao, ParseState(cli), 1000, cancellationToken)).Select(v => CliJson.Proposal(v, withDetails: false)).ToList(),
                "proposal" => CliJson.Proposal(await governance.GetAsync(cli.Dao, cli.Positional(0, "a proposal id", "proposal 42"), cancellationToken), withDetails: true),
                "votes" => (await governance.VotesAsync(cli.Dao, cli.Positional(0, "a proposal id", "votes 42"), cancellationToken)).Votes.Select(CliJson.Vote).ToList(),
                "voter" => CliJson.Voter(await governance.VoterAsync(cli.Dao, cli.Positional(0, "an address", "voter 0xabc…"), cancellationToken)),
                "delegates" => (await governance.DelegatesAsync(cli.Dao, 100, cancellationToken)).Select(CliJson.Delegate).ToList(),
                _ => throw new UserInputException($"Unknown verb '{cli.Verb}'."),
            };
            await WriteJsonAsync(stdout, document);
            return 0;
        }

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        var spec = CommandCatalog.Find(cli.Verb)!;
        var positional = spec.Options.Where(o => o.Name != "dao").ToList();
        for (var i = 0; i < cli.Positionals.Count && i < positional.Count; i++)
            arguments[positional[i].Name] = cli.Positionals[i];
        if (cli.Option("--state") is { } state)
            arguments["state"] = state;
        if (cli.Dao is not null)
            arguments["dao"] = cli.Dao;
        foreach (var required in positional.Where(o => o.Required && !arguments.ContainsKey(o.Name)))
            throw new UserInputException($"{cli.Verb} needs <{required.Name}>, e.g. govbot {cli.Verb} {(required.Name == "address" ? "0xabc…" : "42")}.");

        // Resolve the DAO here so an unknown --dao is a bad-input exit, not a reply.
        governance.Dao(cli.Dao);
        var router = app.Services.GetRequiredService<IChatCommandHandler>();
        var reply = await router.HandleAsync(new ChatRequest(ChatSurface.Console, "cli", Environment.UserName, cli.Verb, arguments, string.Join(' ', cli.Positionals)) { IsChatAdmin = true }, cancellationToken);
        await stdout.WriteAsync(ConsoleRenderer.Render(reply));
        return reply.Kind switch
        {
            ReplyKind.Ok => 0,
            ReplyKind.UserError => 2,
            _ => 1,
        };
    }

    /// <summary>`ask "question"`: the same path as /ask; with --json one document { answer, citations, flagged, model, note, cached }.</summary>
    private static async Task<int> AskAsync(WebApplication app, CliArguments cli, string question, TextWriter stdout, CancellationToken cancellationToken)
    {
        var ask = app.Services.GetRequiredService<AskService>();
        var answer = await ask.AskAsync(cli.Dao, question, cancellationToken);
        if (cli.Json)
        {
            await WriteJsonAsync(stdout, new
            {
                answer = answer.Answer,
                citations = answer.Citations.Select(c => new { proposalId = c.ProposalId, block = c.Block, tx = c.Tx, note = c.Note }),
                flagged = answer.Flagged,
                model = answer.Model,
                note = answer.Note,
                cached = answer.FromCache,
                links = answer.Links.Select(l => new { label = l.Label, url = l.Url }),
            });
            return 0;
        }

        await stdout.WriteAsync(ConsoleRenderer.Render(new ChatReply(question.Length > 80 ? question[..79] + "…" : question, answer.Answer)
        {
            Footer = AskCommand.Footer(answer),
            Links = answer.Links,
        }));
        return 0;
    }

    /// <summary>Checks what can be checked offline before any indexing, so a typo fails fast.</summary>
    private static void ValidateArguments(CliArguments cli)
    {
        switch (cli.Verb)
        {
            case "proposal" or "votes":
                GovernanceService.CheckProposalId(cli.Positional(0, "a proposal id", $"{cli.Verb} 42"));
                break;
            case "voter":
                GovernanceService.ParseAddress(cli.Positional(0, "an address", "voter 0xabc…"));
                break;
            case "proposals":
                ParseState(cli);
                break;
        }
    }

    private static ProposalState? ParseState(CliArguments cli)
    {
        var text = cli.Option("--state") ?? (cli.Positionals.Count > 0 ? cli.Positionals[0] : null);
        return ProposalFormat.TryParseState(text, out var state)
            ? state
            : throw new UserInputException("State must be one of: pending, active, succeeded, queued, executed, defeated, canceled, expired.");
    }

    private static Task WriteJsonAsync(TextWriter stdout, object document) =>
        stdout.WriteLineAsync(JsonSerializer.Serialize(document, CliJson.Options));
}
