namespace GovBot.Digests;

/// <summary>The events a chat can subscribe to, with the names users type in /subscribe.</summary>
public static class NotificationKinds
{
    public const string Created = "created";
    public const string Active = "active";
    public const string Ending = "ending";
    public const string Quorum = "quorum";
    public const string Result = "result";
    public const string Queued = "queued";
    public const string Executed = "executed";
    public const string Canceled = "canceled";
    public const string Digest = "digest";

    public static readonly IReadOnlyList<string> All = [Created, Active, Ending, Quorum, Result, Queued, Executed, Canceled, Digest];

    public static string Describe(string kind) => kind switch
    {
        Created => "new proposals",
        Active => "voting opened",
        Ending => "voting ends within 24 h",
        Quorum => "quorum reached",
        Result => "results",
        Queued => "queued",
        Executed => "executed",
        Canceled => "canceled",
        Digest => "scheduled digest",
        _ => kind,
    };
}
