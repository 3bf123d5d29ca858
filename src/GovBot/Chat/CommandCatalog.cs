namespace GovBot.Chat;

public sealed record CommandOption(string Name, string Description, bool Required, bool Autocomplete = false);

public sealed record CommandSpec(string Name, string Description, IReadOnlyList<CommandOption> Options, bool Slow = false, bool AdminOnly = false);

/// <summary>
/// The commands every surface offers, with the same argument names everywhere. Surfaces register these
/// (Discord application commands, Telegram setMyCommands, console help) instead of keeping their own lists.
/// </summary>
public static class CommandCatalog
{
    private static readonly CommandOption Dao = new("dao", "DAO name (defaults to this chat's DAO)", Required: false);
    private static readonly CommandOption Id = new("id", "Proposal id", Required: true, Autocomplete: true);

    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new("proposals", "List proposals, optionally by state", [new("state", "pending, active, succeeded, queued, executed, defeated, canceled, expired", false), Dao]),
        new("proposal", "One proposal: summary, tally, quorum, deadline, actions", [Id, Dao]),
        new("votes", "Top voters on a proposal, with reasons", [Id, Dao]),
        new("voter", "How an address voted, its voting power and delegate", [new("address", "0x address", true), Dao]),
        new("delegates", "Delegates leaderboard by voting power", [Dao]),
        new("treasury", "Treasury balances", [Dao]),
        new("simulate", "What a proposal's actions would do to the treasury", [Id, Dao], Slow: true),
        new("delegate", "Get a signed link to delegate your votes to an address", [new("address", "0x address of the delegate", true), Dao]),
        new("subscribe", "Post governance events in this chat", [new("events", "comma-separated: created, active, ending, quorum, result, queued, executed, canceled, digest (default all)", false), Dao], AdminOnly: true),
        new("unsubscribe", "Stop posting governance events in this chat", [Dao], AdminOnly: true),
        new("digest", "A digest of open proposals and what ends soon", [Dao], Slow: true),
        new("ask", "Ask anything about this DAO's governance", [new("question", "Your question", true), Dao], Slow: true),
        new("dao", "Show this chat's default DAO, or set it (admins)", [new("dao", "DAO to make this chat's default", false)]),
        new("help", "What GovBot can do", []),
    ];

    public static CommandSpec? Find(string name) =>
        All.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
