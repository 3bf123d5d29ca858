using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Tests.Discord;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.IntegrationTests.Discord;

/// <summary>A command handler scripted per test; it speaks the real ChatRequest/ChatReply types.</summary>
public sealed class ScriptedCommandHandler : IChatCommandHandler
{
    public ConcurrentQueue<ChatRequest> Requests { get; } = new();

    public Func<ChatRequest, CancellationToken, Task<ChatReply>> Reply { get; set; } =
        (request, _) => Task.FromResult(new ChatReply($"/{request.Command}", "ok"));

    public Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Reply(request, cancellationToken);
    }

    public bool IsSlow(string command) => CommandCatalog.Find(command)?.Slow ?? false;
}

public sealed class ScriptedSuggester : IProposalIdSuggester
{
    public Func<string?, string, IReadOnlyList<ProposalIdSuggestion>> Suggest { get; set; } = (_, _) => [];

    /// <summary>Runs before answering, e.g. to hang like a stuck database.</summary>
    public Func<CancellationToken, Task> Before { get; set; } = _ => Task.CompletedTask;

    /// <summary>The chat id of the last request.</summary>
    public string? ChatId { get; private set; }

    public async Task<IReadOnlyList<ProposalIdSuggestion>> SuggestAsync(string? dao, string chatId, string prefix, int limit, CancellationToken cancellationToken)
    {
        ChatId = chatId;
        await Before(cancellationToken);
        return Suggest(dao, prefix);
    }
}

/// <summary>GovBot's Discord surface on a real Kestrel host at 127.0.0.1:0, REST calls going to a <see cref="RecordingDiscordApi"/>.</summary>
public sealed class DiscordTestHost : IAsyncDisposable
{
    public const string ApplicationId = "987654321098765432";
    public const string BotToken = "test-bot-token-never-logged";

    private DiscordTestHost(WebApplication app, RecordingDiscordApi api, DiscordTestKeys keys, HttpClient client)
    {
        App = app;
        Api = api;
        Keys = keys;
        Client = client;
    }

    public WebApplication App { get; }
    public RecordingDiscordApi Api { get; }
    public DiscordTestKeys Keys { get; }
    public HttpClient Client { get; }
    public ScriptedCommandHandler Handler => App.Services.GetRequiredService<ScriptedCommandHandler>();
    public ScriptedSuggester Suggester => App.Services.GetRequiredService<ScriptedSuggester>();

    public static async Task<DiscordTestHost> StartAsync(DiscordInteractionTimings? timings = null)
    {
        var api = await RecordingDiscordApi.StartAsync();
        var keys = new DiscordTestKeys();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = ApplicationId,
            ["Discord:PublicKey"] = keys.PublicKeyHex,
            ["Discord:BotToken"] = BotToken,
            ["Discord:ApiBaseUrl"] = api.ApiBaseUrl,
        });
        if (timings is not null)
            builder.Services.AddSingleton(timings);
        builder.Services.AddDiscord(builder.Configuration);
        builder.Services.AddSingleton<ScriptedCommandHandler>();
        builder.Services.AddSingleton<IChatCommandHandler>(sp => sp.GetRequiredService<ScriptedCommandHandler>());
        builder.Services.AddSingleton<ScriptedSuggester>();
        builder.Services.AddSingleton<IProposalIdSuggester>(sp => sp.GetRequiredService<ScriptedSuggester>());

        var app = builder.Build();
        app.MapDiscordInteractions();
        await app.StartAsync();

        var address = app.Urls.Single();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        return new DiscordTestHost(app, api, keys, client);
    }

    public static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Posts a body signed the way Discord signs it (or with the given signature/timestamp).</summary>
    public Task<HttpResponseMessage> PostAsync(string body, string? timestamp = null, string? signature = null)
    {
        timestamp ??= Now();
        var bytes = Encoding.UTF8.GetBytes(body);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, DiscordInteractionsEndpoint.Path) { Content = content };
        request.Headers.Add("X-Signature-Ed25519", signature ?? Keys.SignHex(timestamp, bytes));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return Client.SendAsync(request);
    }

    public static string Command(string name, string token, params (string Name, string Value)[] options) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            type = 2,
            id = "1",
            application_id = ApplicationId,
            token,
            guild_id = "555",
            channel_id = "666",
            member = new { user = new { id = "777" }, permissions = "32" },
            data = new { id = "9", name, type = 1, options = options.Select(o => new { name = o.Name, type = 3, value = o.Value }).ToArray() },
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Api.DisposeAsync();
    }
}
