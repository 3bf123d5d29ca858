using GovBot.Chain;
using Microsoft.Extensions.Hosting;

namespace GovBot.Digests;

/// <summary>Runs the <see cref="NotificationDetector"/> (and the delegation confirmations) for every DAO on an interval; one failed pass is logged and retried with backoff.</summary>
public sealed class NotificationService(DaoRegistry daos, NotificationDetector detector, Delegation.DelegationFollowups delegations, DigestTimings timings, TimeProvider time, ILogger<NotificationService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(daos.All.Select(dao => RunAsync(dao, stoppingToken)));

    private async Task RunAsync(DaoContext dao, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = timings.DetectInterval;
            try
            {
                await detector.DetectAsync(dao, stoppingToken);
                await delegations.AnnounceIndexedAsync(dao.Name, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, timings.DetectInterval.Ticks * (1L << Math.Min(failures, 10))));
                logger.LogError(ex, "DAO {Dao}: notification pass {Failures} failed; next try in {DelaySeconds} s", dao.Name, failures, (int)delay.TotalSeconds);
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
