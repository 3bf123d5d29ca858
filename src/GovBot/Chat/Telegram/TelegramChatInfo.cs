using System.Collections.Concurrent;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace GovBot.Chat.Telegram;

/// <summary>The bot's own username, fetched with getMe once and kept; a failed fetch is retried on the next call.</summary>
public sealed class TelegramBotIdentity
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _userName;

    public string? UserName => _userName;

    public async Task<string> GetUserNameAsync(ITelegramBotClient bot, CancellationToken cancellationToken)
    {
        if (_userName is not null)
            return _userName;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_userName is null)
            {
                var me = await bot.GetMe(cancellationToken);
                _userName = me.Username ?? throw new InvalidOperationException("getMe returned a bot without a username");
            }
            return _userName;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// Whether a user may administer a chat: always in a private chat; in groups, when getChatMember says
/// administrator or creator (kept for <see cref="TelegramSurfaceTimings.AdminCacheDuration"/>). When Telegram cannot
/// say, the answer is no: admin commands fail closed.
/// </summary>
public sealed class TelegramChatAdmins(TelegramSurfaceTimings timings, TimeProvider timeProvider, ILogger<TelegramChatAdmins> logger)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<(long Chat, long User), (bool IsAdmin, DateTimeOffset Expires)> _cache = new();

    public async Task<bool> IsAdminAsync(ITelegramBotClient bot, Message message, CancellationToken cancellationToken)
    {
        var chat = message.Chat;
        if (chat.Type == ChatType.Private)
            return true;
        if (chat.Type is not (ChatType.Group or ChatType.Supergroup) || message.From is null)
            return false;
        // An admin posting anonymously speaks as the group itself; only admins can.
        if (message.SenderChat?.Id == chat.Id)
            return true;

        var key = (chat.Id, message.From.Id);
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now)
            return cached.IsAdmin;

        try
        {
            var member = await bot.GetChatMember(chat.Id, message.From.Id, cancellationToken);
            var isAdmin = member.Status is ChatMemberStatus.Administrator or ChatMemberStatus.Creator;
            if (_cache.Count > PruneAbove)
                foreach (var expired in _cache.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
                    _cache.TryRemove(expired, out _);
            _cache[key] = (isAdmin, now + timings.AdminCacheDuration);
            return isAdmin;
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            logger.LogWarning("getChatMember failed for chat {ChatId}; treating the user as not an admin: {Error}", chat.Id, e.Message);
            return false;
        }
    }
}
