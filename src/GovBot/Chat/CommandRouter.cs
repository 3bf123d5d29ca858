using System.Threading.RateLimiting;
using GovBot.Chain;
using Microsoft.Extensions.Logging;

using GovBot.Chat.Commands;

namespace GovBot.Chat;

/// <summary>
/// Routes every surface's requests to the one command that answers them, and owns what every command shares:
/// DAO resolution, rate limits, and turning failures into replies (a bad id is the user's error; an unreachable
/// node is ours; anything else is logged and answered politely, never thrown at the surface).
/// </summary>
public sealed class CommandRouter : IChatCommandHandler, IDisposable
{
    private readonly Dictionary<string, IChatCommand> _commands;
    private readonly DaoRegistry _daos;
    private readonly ChatSettingsStore _settings;
    private readonly ILogger<CommandRouter> _logger;
    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly PartitionedRateLimiter<string> _perChat;

    public CommandRouter(IEnumerable<IChatCommand> commands, DaoRegistry daos, ChatSettingsStore settings, ILogger<CommandRouter> logger, ChatRateLimits? limits = null)
    {
        _commands = commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        _daos = daos;
        _settings = settings;
        _logger = logger;
        limits ??= ChatRateLimits.Default;
        _perUser = Bucket(limits.UserBurst, limits.UserPerMinute);
        _perChat = Bucket(limits.ChatBurst, limits.ChatPerMinute);
    }

    public bool IsSlow(string command) => CommandCatalog.Find(command)?.Slow == true;

    public async Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (request.Surface != ChatSurface.Console && !TryAcquire(request))
        {
            _logger.LogInformation("Rate limited {Surface} user {UserId} in chat {ChatId}", request.Surface, request.UserId, request.ChatId);
            return new ChatReply("Slow down a little", "You are sending commands faster than GovBot answers them. Try again in a minute.")
            {
                Kind = ReplyKind.RateLimited,
            };
        }

        var name = request.Command.Trim().TrimStart('/').ToLowerInvariant();
        var spec = CommandCatalog.Find(name);
        if (spec is null || name == "help")
            return HelpCommand.Reply(spec is null && name.Length > 0 ? name : null);

        try
        {
            if (spec.AdminOnly && !request.IsChatAdmin)
                return ChatReply.UserError("Admins only", $"Only an admin of this chat can use /{spec.Name}.");
            var dao = await ResolveDaoAsync(request, cancellationToken);
            if (!_commands.TryGetValue(name, out var command))
                return ChatReply.Unavailable($"/{spec.Name} is not available yet", $"{spec.Description} is not available in this GovBot yet. Nothing was done.");
            return await command.ExecuteAsync(new ChatContext(request, dao), cancellationToken);
        }
        catch (UserInputException ex)
        {
            return ChatReply.UserError("That did not work", ex.Message);
        }
        catch (Exception ex) when (ex is RpcUnavailableException or RpcErrorException or ConfigurationException)
        {
            _logger.LogWarning(ex, "Command {Command} could not reach the chain", name);
            return ChatReply.Unavailable("The chain is not answering", "GovBot could not read the chain just now. Please try again in a minute.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Command {Command} failed on {Surface}", name, request.Surface);
            return ChatReply.Unavailable("Something went wrong", "GovBot hit an internal error answering that. It has been logged.");
        }
    }

    private async Task<string> ResolveDaoAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var explicitDao = request.Argument("dao");
        if (explicitDao is not null)
            return _daos.Resolve(explicitDao).Name;
        var chatDefault = await _settings.DefaultDaoAsync(request.Surface, request.ChatId, cancellationToken);
        return chatDefault is not null && _daos.All.Any(d => d.Name.Equals(chatDefault, StringComparison.OrdinalIgnoreCase))
            ? _daos.Resolve(chatDefault).Name
            : _daos.Default.Name;
    }

    private bool TryAcquire(ChatRequest request)
    {
        using var user = _perUser.AttemptAcquire($"{request.Surface}:{request.UserId}");
        if (!user.IsAcquired)
            return false;
        using var chat = _perChat.AttemptAcquire($"{request.Surface}:{request.ChatId}");
        return chat.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Bucket(int burst, int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => BucketOptions(burst, perMinute)));

    internal static TokenBucketRateLimiterOptions BucketOptions(int burst, int perMinute) => new()
    {
        TokenLimit = burst,
        // One token every 60/perMinute seconds refills exactly perMinute a minute (perMinute / 6 per 10 s gave 18 for 20).
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public void Dispose()
    {
        _perUser.Dispose();
        _perChat.Dispose();
    }
}

public sealed record ChatRateLimits(int UserBurst, int UserPerMinute, int ChatBurst, int ChatPerMinute)
{
    public static readonly ChatRateLimits Default = new(UserBurst: 8, UserPerMinute: 20, ChatBurst: 30, ChatPerMinute: 60);
}
