namespace GovBot.Chat;

public enum ChatSurface
{
    Console,
    Discord,
    Telegram,
}

/// <summary>
/// One incoming command from any surface. Arguments use the same names everywhere
/// (id, address, question, state, events, dao); values are untrusted user text.
/// </summary>
public sealed record ChatRequest(
    ChatSurface Surface,
    string ChatId,
    string UserId,
    string Command,
    IReadOnlyDictionary<string, string> Arguments,
    string Text)
{
    /// <summary>True when the user may administer the chat (group admin, guild MANAGE_GUILD, always in private chats and the console).</summary>
    public bool IsChatAdmin { get; init; }

    public string? Argument(string name) =>
        Arguments.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
