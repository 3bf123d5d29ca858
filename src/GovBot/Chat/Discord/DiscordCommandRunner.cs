using System.Collections.Concurrent;

namespace GovBot.Chat.Discord;

/// <summary>Timings of the interaction flow; a record so tests can shorten them.</summary>
public sealed record DiscordInteractionTimings
{
    /// <summary>How long a command may run before the request answers "deferred": Discord gives up after 3 s.</summary>
    public TimeSpan InlineWindow { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan AutocompleteTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A command is cancelled after this, so its reply still lands inside the interaction token's 15 minutes.</summary>
    public TimeSpan WorkTimeout { get; init; } = TimeSpan.FromMinutes(13);

    /// <summary>Time allowed for the edit itself, counted separately so a shutdown still replaces the spinner.</summary>
    public TimeSpan EditTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Runs Discord commands outside the HTTP request: each in its own DI scope, cancelled by app shutdown or
/// <see cref="DiscordInteractionTimings.WorkTimeout"/>, never by the request ending. A command answered "deferred"
/// is tracked here until its reply (or an error message) has been written over the original response.
/// On stop, in-flight commands are cancelled and their edits are awaited within the host's shutdown timeout.
/// </summary>
public sealed class DiscordCommandRunner(
    IServiceScopeFactory scopeFactory,
    DiscordInteractionTimings timings,
    ILogger<DiscordCommandRunner> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _deferred = new();

    /// <summary>Starts the command on the thread pool; the returned task never outlives <see cref="DiscordInteractionTimings.WorkTimeout"/>.</summary>
    public Task<ChatReply> Start(ChatRequest request) => Task.Run(() => RunAsync(request));

    /// <summary>Edits the deferred response with the command's reply once it is ready, or with an error if it fails.</summary>
    public void CompleteDeferred(string applicationId, string interactionToken, Task<ChatReply> work, string command)
    {
        var edit = EditWhenDoneAsync(applicationId, interactionToken, work, command);
        _deferred.TryAdd(edit, 0);
        _ = edit.ContinueWith(t => _deferred.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Deferred replies still being worked on.</summary>
    public int PendingCount => _deferred.Count;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_deferred.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown left {Count} Discord replies unedited", _deferred.Count);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task<ChatReply> RunAsync(ChatRequest request)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        cancellation.CancelAfter(timings.WorkTimeout);
        await using var scope = scopeFactory.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<IChatCommandHandler>();
        return await handler.HandleAsync(request, cancellation.Token);
    }

    private async Task EditWhenDoneAsync(string applicationId, string interactionToken, Task<ChatReply> work, string command)
    {
        DiscordMessage message;
        try
        {
            message = DiscordEmbedRenderer.Render(await work);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            message = DiscordEmbedRenderer.Render(ChatReply.Unavailable("GovBot is restarting", "Your command was interrupted. Please run it again in a minute."));
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Discord command {Command} timed out after {Timeout}", command, timings.WorkTimeout);
            message = DiscordEmbedRenderer.Render(ChatReply.Unavailable("That took too long", "GovBot could not finish this command in time. Please try again."));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Discord command {Command} failed", command);
            message = DiscordEmbedRenderer.Render(FailureReply);
        }

        try
        {
            using var editTimeout = new CancellationTokenSource(timings.EditTimeout);
            await using var scope = scopeFactory.CreateAsyncScope();
            var rest = scope.ServiceProvider.GetRequiredService<DiscordRestClient>();
            await rest.EditOriginalAsync(applicationId, interactionToken, message, editTimeout.Token);
        }
        catch (Exception e)
        {
            // Nothing more to tell the user through: the token is the only way back to this conversation.
            logger.LogError(e, "Could not edit the deferred Discord reply for {Command}", command);
        }
    }

    internal static readonly ChatReply FailureReply =
        ChatReply.Unavailable("Something went wrong", "GovBot could not answer this command. The error has been logged; please try again later.");
}
