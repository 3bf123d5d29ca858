namespace GovBot.Digests;

/// <summary>Timings and sizes of the digest pipeline; a record so tests can shorten them.</summary>
public sealed record DigestTimings
{
    /// <summary>How often each DAO is checked for new events.</summary>
    public TimeSpan DetectInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the outbox is checked when it had nothing due.</summary>
    public TimeSpan OutboxIdlePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most the scheduler sleeps before looking at the subscriptions again (new ones, changed schedules).</summary>
    public TimeSpan SchedulerMaxSleep { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows claimed per round, and chats sent to at once.</summary>
    public int ClaimBatch { get; init; } = 128;
    public int Concurrency { get; init; } = 32;

    /// <summary>First retry delay, doubled per attempt up to <see cref="MaxBackoff"/>; after <see cref="MaxAttempts"/> the row is failed.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromHours(1);
    public int MaxAttempts { get; init; } = 10;

    /// <summary>On shutdown, how long a send already on the wire may finish so its row can be marked sent.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The newest proposals per DAO the detector looks at.</summary>
    public int ProposalWindow { get; init; } = 200;

    /// <summary>
    /// How long a new-proposal event waits for a model-written summary (when a model is configured) before it goes out
    /// with the extractive one; the model call carries on and fills the cache for /proposal.
    /// </summary>
    public TimeSpan SummaryWait { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Attach a vote chart (PNG) to result events.</summary>
    public bool Charts { get; init; } = true;
}
