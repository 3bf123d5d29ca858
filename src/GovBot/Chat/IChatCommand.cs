namespace GovBot.Chat;

/// <summary>
/// One command, written once for every surface. <see cref="ChatContext"/> carries the request with its DAO already
/// resolved (explicit option, else the chat's default, else the first configured DAO).
/// </summary>
public interface IChatCommand
{
    string Name { get; }

    Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken);
}

public sealed record ChatContext(ChatRequest Request, string Dao)
{
    public string? Argument(string name) => Request.Argument(name);

    public string RequiredArgument(string name, string example) =>
        Request.Argument(name) ?? throw new UserInputException($"/{Request.Command} needs {name}, e.g. {example}.");
}
