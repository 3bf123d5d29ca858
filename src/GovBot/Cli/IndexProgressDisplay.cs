using GovBot.Chain;
using Spectre.Console;

namespace GovBot.Cli;

/// <summary>Catch-up progress: a Spectre.Console bar on an interactive terminal (on stderr, so --json stdout stays clean), nothing otherwise (the indexer logs).</summary>
public static class IndexProgressDisplay
{
    public static async Task<IndexRunResult> RunAsync(TextWriter stderr, string dao, Func<IProgress<IndexProgress>?, Task<IndexRunResult>> run)
    {
        if (Console.IsErrorRedirected || !ReferenceEquals(stderr, Console.Error))
            return await run(null);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        IndexRunResult? result = null;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Indexing {Markup.Escape(dao)}");
                var progress = new Progress<IndexProgress>(p =>
                {
                    var total = Math.Max(1, p.Target - p.FirstBlock + 1);
                    task.MaxValue = total;
                    task.Value = Math.Clamp(p.IndexedTo - p.FirstBlock + 1, 0, total);
                });
                result = await run(progress);
                task.Value = task.MaxValue;
            });
        return result!;
    }
}
