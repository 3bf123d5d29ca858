using System.Text;

namespace GovBot.Chat.Commands;

internal static class HelpCommand
{
    public static ChatReply Reply(string? unknown)
    {
        var body = new StringBuilder();
        if (unknown is not null)
            body.Append("I don't know /").Append(unknown.Length > 32 ? unknown[..32] + "…" : unknown).Append(". ");
        body.AppendLine("Here is what I can do:");
        foreach (var command in CommandCatalog.All)
        {
            var args = string.Join(' ', command.Options.Where(o => o.Name != "dao").Select(o => o.Required ? $"<{o.Name}>" : $"[{o.Name}]"));
            body.Append("• /").Append(command.Name);
            if (args.Length > 0)
                body.Append(' ').Append(args);
            body.Append(" — ").AppendLine(command.Description);
        }

        body.Append("Every command takes dao:<name> where several DAOs are configured.");
        return new ChatReply("GovBot help", body.ToString()) { Kind = unknown is null ? ReplyKind.Ok : ReplyKind.UserError };
    }
}
