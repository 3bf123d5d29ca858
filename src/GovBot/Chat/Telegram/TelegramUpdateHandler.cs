using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace GovBot.Chat.Telegram;

/// <summary>
/// Turns one Telegram update into at most one command and its reply. Resolved in its own DI scope per update
/// (see <see cref="TelegramUpdateWorker"/>), so one update's failure is contained there.
/// </summary>
public sealed class TelegramUpdateHandler(
    ITelegramBotClient bot,
    IChatCommandHandler commands,
    TelegramSender sender,
    TelegramBotIdentity identity,
    TelegramChatAdmins admins,
    ILogger<TelegramUpdateHandler> logger)
{
    internal static readonly ChatReply HelpPointer =
        new("GovBot", "I answer commands. Send /help to see them, e.g. /proposals or /proposal 42.");

    public Task HandleAsync(Update update, CancellationToken cancellationToken) => update switch
    {
        { Message: { Text: { } text } message } => OnTextAsync(message, text, cancellationToken),
        // Re-running an edited command would answer twice; the user can send it again.
        { EditedMessage: not null } => Task.CompletedTask,
        _ => Task.CompletedTask,
    };

    private async Task OnTextAsync(Message message, string text, CancellationToken cancellationToken)
    {
        if (message.From is not { IsBot: false } from)
            return;
        var isPrivate = message.Chat.Type == ChatType.Private;

        if (!text.StartsWith('/'))
        {
            // In a group, ordinary conversation is none of the bot's business.
            if (isPrivate)
                await sender.SendAsync(message.Chat.Id, HelpPointer, cancellationToken);
            return;
        }

        var botName = await identity.GetUserNameAsync(bot, cancellationToken);
        if (ChatCommandParser.Parse(text, botName) is not { } parsed)
            return; // addressed to another bot

        var command = parsed.Command == "start" ? "help" : parsed.Command;
        // The parser has already dropped commands addressed to another bot, so "/cmd@..." here is addressed to us.
        var addressedToUs = text.Split([' ', '\n', '\t'], 2)[0].Contains('@', StringComparison.Ordinal);
        // Several bots can share a group: an unknown bare /command is probably another bot's.
        if (!isPrivate && !addressedToUs && CommandCatalog.Find(command) is null)
            return;

        var request = new ChatRequest(ChatSurface.Telegram, message.Chat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            from.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), command, parsed.Arguments, text)
        {
            IsChatAdmin = await admins.IsAdminAsync(bot, message, cancellationToken),
        };

        if (commands.IsSlow(command))
            await sender.SendTypingAsync(message.Chat.Id, cancellationToken);

        var reply = await commands.HandleAsync(request, cancellationToken);
        try
        {
            await sender.SendAsync(message.Chat.Id, reply, isPrivate ? null : message.MessageId, cancellationToken);
        }
        catch (TelegramChatGoneException e)
        {
            logger.LogInformation("Could not answer /{Command} in chat {ChatId}: {Reason}", command, e.ChatId, e.Reason);
        }
    }
}
