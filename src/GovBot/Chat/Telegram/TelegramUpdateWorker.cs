using System.Threading.Channels;
using Telegram.Bot.Types;

namespace GovBot.Chat.Telegram;

/// <summary>Updates waiting to be handled, from long polling or the webhook. Bounded, so a flood cannot exhaust memory.</summary>
public sealed class TelegramUpdateQueue(TelegramSurfaceTimings timings)
{
    private readonly Channel<Update> _channel = Channel.CreateBounded<Update>(new BoundedChannelOptions(timings.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    });

    public ChannelReader<Update> Reader => _channel.Reader;

    /// <summary>For the webhook, which must answer at once: false when the queue is full.</summary>
    public bool TryEnqueue(Update update) => _channel.Writer.TryWrite(update);

    /// <summary>For long polling, which can simply wait: back-pressure slows the next getUpdates.</summary>
    public ValueTask EnqueueAsync(Update update, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(update, cancellationToken);
}

/// <summary>
/// Handles queued updates, a few at a time so one slow /ask does not hold up everyone else. Each update gets its
/// own DI scope and timeout; an exception is logged and the worker carries on.
/// </summary>
public sealed class TelegramUpdateWorker(
    TelegramUpdateQueue queue,
    IServiceScopeFactory scopeFactory,
    TelegramSurfaceTimings timings,
    ILogger<TelegramUpdateWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, timings.Workers).Select(_ => Task.Run(() => ConsumeAsync(stoppingToken), stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in queue.Reader.ReadAllAsync(stoppingToken))
                await ProcessAsync(update, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(Update update, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(timings.UpdateTimeout);
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<TelegramUpdateHandler>();
            await handler.HandleAsync(update, timeout.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Telegram update {UpdateId} timed out after {Timeout}", update.Id, timings.UpdateTimeout);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Telegram update {UpdateId} failed", update.Id);
        }
    }
}
