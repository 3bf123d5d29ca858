namespace GovBot.Chat;

/// <summary>
/// What a surface hands a parsed request to. The CommandRouter implements it; surface tests use it as the seam
/// to check parsing and rendering without the chain.
/// </summary>
public interface IChatCommandHandler
{
    Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>Commands that may take longer than a chat platform's acknowledgement deadline (/ask, /simulate, /digest).</summary>
    bool IsSlow(string command);
}
