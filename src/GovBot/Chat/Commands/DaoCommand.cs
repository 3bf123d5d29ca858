using GovBot.Chain;

namespace GovBot.Chat.Commands;

/// <summary>`/dao` shows which DAO this chat's commands use and which are configured; `/dao name` (admins) makes that DAO the chat's default.</summary>
public sealed class DaoCommand(DaoRegistry daos, ChatSettingsStore settings) : IChatCommand
{
    public string Name => "dao";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var configured = string.Join(", ", daos.All.Select(d => d.Name));
        if (context.Argument("dao") is null)
        {
            return new ChatReply($"This chat uses {context.Dao}", $"Configured DAOs: {configured}.")
            {
                Footer = daos.All.Count > 1 ? "An admin can change it with /dao <name>; any command also takes dao:<name>." : null,
            };
        }

        if (!context.Request.IsChatAdmin)
            return ChatReply.UserError("Admins only", "Only an admin of this chat can change its default DAO.");
        await settings.SetDefaultDaoAsync(context.Request.Surface, context.Request.ChatId, context.Dao, cancellationToken);
        return new ChatReply($"This chat now uses {context.Dao}", $"Commands here answer about {context.Dao} unless they name another DAO. Configured: {configured}.");
    }
}
