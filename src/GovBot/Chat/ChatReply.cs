namespace GovBot.Chat;

/// <summary>A labelled value shown beside the body (Discord embed field, a bold line in Telegram).</summary>
public sealed record ChatFact(string Name, string Value, bool Inline = true);

/// <summary>A URL button. Only links GovBot itself built (explorer, delegation page, forum) ever become buttons.</summary>
public sealed record ChatLink(string Label, string Url);

public sealed record ChatImage(string FileName, byte[] Png);

public enum ReplyKind
{
    Ok,
    /// <summary>The user's input was wrong (unknown id, malformed address): say so plainly.</summary>
    UserError,
    /// <summary>The capability is not configured or not available here.</summary>
    Unavailable,
    RateLimited,
}

/// <summary>
/// One reply for every surface. Every string in it is plain text, possibly untrusted (proposal titles, reasons):
/// each renderer escapes for its own format. Body may hold bare line breaks and "• " bullets, nothing else.
/// </summary>
public sealed record ChatReply(string Title, string Body)
{
    public ReplyKind Kind { get; init; } = ReplyKind.Ok;
    public IReadOnlyList<ChatFact> Facts { get; init; } = [];
    public IReadOnlyList<ChatLink> Links { get; init; } = [];
    public ChatImage? Image { get; init; }

    /// <summary>Short text under the body (source block, "no model configured" notes).</summary>
    public string? Footer { get; init; }

    public static ChatReply UserError(string title, string body) => new(title, body) { Kind = ReplyKind.UserError };
    public static ChatReply Unavailable(string title, string body) => new(title, body) { Kind = ReplyKind.Unavailable };
}
