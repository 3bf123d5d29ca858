using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovBot.Chain;

/// <summary>
/// Keeps every configured DAO indexed while the bot runs. One failed pass (node down, reorg storm) is logged and
/// retried with backoff; it never ends the loop.
/// </summary>
public sealed class IndexerService(DaoRegistry daos, ProposalIndexer indexer, TimeProvider time, ILogger<IndexerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(daos.All.Select(dao => RunAsync(dao, stoppingToken)));
    }

    private async Task RunAsync(DaoContext dao, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(dao.Options.PollIntervalSeconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = interval;
            try
            {
                var result = await indexer.CatchUpAsync(dao, progress: null, stoppingToken);
                if (result.Events > 0 || result.Reorged)
                {
                    logger.LogInformation("DAO {Dao}: indexed blocks {From}-{To}: {Events} events in {Ranges} ranges{Reorg}",
                        dao.Name, result.FromBlock, result.ToBlock, result.Events, result.Ranges, result.Reorged ? " after a reorg" : "");
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, interval.Ticks * (1L << Math.Min(failures, 10))));
                logger.LogError(ex, "DAO {Dao}: indexing pass {Failures} failed; next try in {DelaySeconds} s", dao.Name, failures, (int)delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
