using GovBot.Chain;
using GovBot.Chat;
using GovBot.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovBot.Tests.Chat;

public sealed class CommandRouterTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly CommandRouter _router;
    private readonly DaoRegistry _daos;
    private readonly ScriptedCommand _proposal = new("proposal");

    public CommandRouterTests()
    {
        var daos = _daos = new DaoRegistry(
            [
                new DaoOptions { Name = "ens", Rpc = "http://127.0.0.1:1", Governor = "0x323a76393544d5ecca80cd6ef2a560c6a395b7e3", Token = "0xc18360217d8f7ab5e7c516566761ea12ce7f9d72" },
                new DaoOptions { Name = "uni", Rpc = "http://127.0.0.1:1", Governor = "0x408ed6354d4973f66138c91495f2f2fcbd8724c3", Token = "0x1f9840a85d5af5bf1d1762f925bdaddc4201f984" },
            ],
            new NoHttpClients(), NullLoggerFactory.Instance, new GovernorProbe(NullLogger<GovernorProbe>.Instance));
        _router = new CommandRouter([_proposal, new GovBot.Chat.Commands.DaoCommand(daos, new ChatSettingsStore(_db.Database, TimeProvider.System)), new ScriptedCommand("votes", () => throw new InvalidOperationException("boom")),
                new ScriptedCommand("voter", () => throw new RpcUnavailableException("node down"))],
            daos, new ChatSettingsStore(_db.Database, TimeProvider.System), NullLogger<CommandRouter>.Instance, new ChatRateLimits(3, 6, 100, 600));
    }

    private static ChatRequest Request(string command, Dictionary<string, string>? args = null, string user = "u1", ChatSurface surface = ChatSurface.Telegram, bool admin = false) =>
        new(surface, "chat-1", user, command, args ?? [], "/" + command) { IsChatAdmin = admin };

    [Fact]
    public async Task Burst_AboveTheUserBucket_GetsAPoliteRateLimitReplyAndDoesNotRunTheCommand()
    {
        var replies = new List<ChatReply>();
        for (var i = 0; i < 5; i++)
            replies.Add(await _router.HandleAsync(Request("proposal"), CancellationToken.None));

        Assert.Equal(3, _proposal.Calls);
        Assert.Equal(ReplyKind.RateLimited, replies[^1].Kind);
        Assert.Contains("try again", replies[^1].Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ReplyKind.Ok, (await _router.HandleAsync(Request("proposal", user: "u2"), CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task ManyUsersInOneChat_AboveTheChatBucket_AreSlowedDown_WhileOtherChatsAreNot()
    {
        // A chat bucket of 5 refilling one token per 10 s: a raid of distinct users, each well within their own
        // bucket, still cannot flood one chat.
        var proposal = new ScriptedCommand("proposal");
        using var router = new CommandRouter([proposal], _daos, new ChatSettingsStore(_db.Database, TimeProvider.System),
            NullLogger<CommandRouter>.Instance, new ChatRateLimits(UserBurst: 3, UserPerMinute: 6, ChatBurst: 5, ChatPerMinute: 6));
        var replies = new List<ChatReply>();
        for (var i = 0; i < 8; i++)
            replies.Add(await router.HandleAsync(Request("proposal", user: $"raider-{i}"), CancellationToken.None));

        Assert.Equal(5, proposal.Calls);
        Assert.All(replies.Take(5), r => Assert.Equal(ReplyKind.Ok, r.Kind));
        Assert.All(replies.Skip(5), r => Assert.Equal(ReplyKind.RateLimited, r.Kind));
        var elsewhere = Request("proposal", user: "raider-0") with { ChatId = "chat-2" };
        Assert.Equal(ReplyKind.Ok, (await router.HandleAsync(elsewhere, CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Console_IsNeverRateLimited()
    {
        for (var i = 0; i < 10; i++)
            Assert.Equal(ReplyKind.Ok, (await _router.HandleAsync(Request("proposal", surface: ChatSurface.Console), CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task UnknownCommand_GetsHelpNamingIt()
    {
        var reply = await _router.HandleAsync(Request("frobnicate"), CancellationToken.None);
        Assert.Equal(ReplyKind.UserError, reply.Kind);
        Assert.Contains("/frobnicate", reply.Body, StringComparison.Ordinal);
        Assert.Contains("/proposals", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogCommandWithoutImplementation_SaysItIsNotAvailableInsteadOfMakingThingsUp()
    {
        var reply = await _router.HandleAsync(Request("digest"), CancellationToken.None);
        Assert.Equal(ReplyKind.Unavailable, reply.Kind);
    }

    [Fact]
    public async Task AdminOnlyCommand_FromANonAdmin_IsRefused()
    {
        var reply = await _router.HandleAsync(Request("subscribe"), CancellationToken.None);
        Assert.Equal(ReplyKind.UserError, reply.Kind);
        Assert.Contains("admin", reply.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FailingCommand_IsAnsweredPolitelyAndTheNextOneStillWorks()
    {
        var failed = await _router.HandleAsync(Request("votes", user: "a"), CancellationToken.None);
        var chainDown = await _router.HandleAsync(Request("voter", user: "b"), CancellationToken.None);
        var next = await _router.HandleAsync(Request("proposal", user: "c"), CancellationToken.None);

        Assert.Equal(ReplyKind.Unavailable, failed.Kind);
        Assert.DoesNotContain("boom", failed.Body, StringComparison.Ordinal);
        Assert.Contains("chain", chainDown.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ReplyKind.Ok, next.Kind);
    }

    [Fact]
    public async Task DaoArgument_ResolvesCaseInsensitively_AndAnUnknownOneIsAUserError()
    {
        await _router.HandleAsync(Request("proposal", new() { ["dao"] = "UNI" }), CancellationToken.None);
        Assert.Equal("uni", _proposal.LastDao);

        var reply = await _router.HandleAsync(Request("proposal", new() { ["dao"] = "'; DROP TABLE proposals; --" }, user: "x"), CancellationToken.None);
        Assert.Equal(ReplyKind.UserError, reply.Kind);
        Assert.Contains("Unknown DAO", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaoCommand_SetByAnAdmin_BecomesThisChatsDefaultOnly()
    {
        Assert.Equal(ReplyKind.UserError, (await _router.HandleAsync(Request("dao", new() { ["dao"] = "uni" }, user: "n"), CancellationToken.None)).Kind);
        var set = await _router.HandleAsync(Request("dao", new() { ["dao"] = "uni" }, user: "admin", admin: true), CancellationToken.None);
        Assert.Equal(ReplyKind.Ok, set.Kind);

        await _router.HandleAsync(Request("proposal", user: "p"), CancellationToken.None);
        Assert.Equal("uni", _proposal.LastDao);
        await _router.HandleAsync(new ChatRequest(ChatSurface.Telegram, "other-chat", "q", "proposal", new Dictionary<string, string>(), ""), CancellationToken.None);
        Assert.Equal("ens", _proposal.LastDao);
        Assert.Contains("uni", (await _router.HandleAsync(Request("dao", user: "r"), CancellationToken.None)).Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    [InlineData(60)]
    [InlineData(1)]
    public void RateLimitBucket_RefillsExactlyTheConfiguredCommandsPerMinute(int perMinute)
    {
        var options = CommandRouter.BucketOptions(burst: 8, perMinute);
        var refilledPerMinute = options.TokensPerPeriod * (TimeSpan.FromMinutes(1) / options.ReplenishmentPeriod);

        Assert.Equal(perMinute, refilledPerMinute, precision: 6);
        Assert.Equal(8, options.TokenLimit);
    }

    public void Dispose()
    {
        _router.Dispose();
        _db.Dispose();
    }

    private sealed class ScriptedCommand(string name, Func<ChatReply>? reply = null) : IChatCommand
    {
        public string Name => name;
        public int Calls { get; private set; }
        public string? LastDao { get; private set; }

        public Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
        {
            Calls++;
            LastDao = context.Dao;
            return Task.FromResult(reply?.Invoke() ?? new ChatReply("ok", "ok"));
        }
    }

    private sealed class NoHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
