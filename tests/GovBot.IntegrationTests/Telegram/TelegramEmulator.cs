using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GovBot.IntegrationTests.Telegram;

/// <summary>A chat the simulated user writes from: private by default, or a group/supergroup.</summary>
public sealed record TelegramTestChat(long ChatId, long UserId, string Type = "private", string? Title = null)
{
    public bool IsPrivate => Type == "private";
}

/// <summary>
/// npm telegram-test-api 4.2.1 as the Bot API server, started through node/telegram-emulator.js on a free loopback
/// port and killed on dispose. Besides the Bot API it serves the emulator's client API: a simulated user sends
/// messages (/sendMessage, /sendCommand) and reads what the bot sent to a chat (/getUpdates).
/// Supported Bot API methods: getMe, getUpdates (no offset or long poll: it returns unread updates at once),
/// sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, setWebhook,
/// deleteWebhook; and sendPhoto and setMyCommands, which the package lacks and node/telegram-emulator.js adds:
/// sendPhoto stores the caption as the message's text and the photo as [{file_size}], not its bytes; setMyCommands
/// keeps the menu (see <see cref="MenuAsync"/>), except for a token made with NewBotToken(menu: false).
/// Everything else (getChatMember, sendChatAction…) answers 500 "not supported".
/// </summary>
public sealed class TelegramEmulator : IAsyncLifetime
{
    private static long _tokenCounter = 100_000;

    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private HttpClient? _http;

    public string ApiBaseUrl { get; private set; } = "";

    private HttpClient Http => _http ?? throw new InvalidOperationException("emulator not started");

    /// <summary>A fresh token per test: the emulator keeps each token's messages apart.</summary>
    /// <param name="menu">False makes the emulator refuse setMyCommands for this bot, as a Bot API server may.</param>
    public static string NewBotToken(bool menu = true) =>
        $"{Interlocked.Increment(ref _tokenCounter)}:AAH{(menu ? "" : "nomenu")}{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        var nodeDir = Path.Combine(TestPaths.IntegrationTestsDir, "node");
        Assert.True(Directory.Exists(Path.Combine(nodeDir, "node_modules", "telegram-test-api")),
            $"npm dependencies are missing: run `npm ci` in {nodeDir} (.ci/run does this).");

        var start = new ProcessStartInfo("node", "telegram-emulator.js")
        {
            WorkingDirectory = nodeDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_stderr)
                    _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException("telegram-test-api exited before it was ready: " + Stderr);
        var port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
        ApiBaseUrl = $"http://127.0.0.1:{port}";
        _http = new HttpClient { BaseAddress = new Uri(ApiBaseUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>The simulated user sends text; text starting with "/" goes as a command with a bot_command entity, as Telegram marks it.</summary>
    public async Task<long> SendAsync(string botToken, TelegramTestChat chat, string text)
    {
        var isCommand = text.StartsWith('/');
        var commandLength = text.IndexOfAny([' ', '\n']) is var space and >= 0 ? space : text.Length;
        var message = new Dictionary<string, object?>
        {
            ["botToken"] = botToken,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
            ["from"] = new { id = chat.UserId, first_name = "Tess", username = "tess_tester", is_bot = false },
            ["chat"] = chat.IsPrivate
                ? new { id = chat.ChatId, type = chat.Type, first_name = "Tess", username = "tess_tester" }
                : (object)new { id = chat.ChatId, type = chat.Type, title = chat.Title ?? "DAO chat" },
        };
        if (isCommand)
            message["entities"] = new[] { new { offset = 0, length = commandLength, type = "bot_command" } };
        using var response = await Http.PostAsJsonAsync(isCommand ? "/sendCommand" : "/sendMessage", message);
        response.EnsureSuccessStatusCode();
        return chat.ChatId;
    }

    /// <summary>
    /// Waits until the bot has sent <paramref name="count"/> messages to the chat and returns each one's sendMessage
    /// parameters as the bot sent them (chat_id, text, parse_mode, reply_markup, link_preview_options, reply_parameters).
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForBotMessagesAsync(string botToken, long chatId, int count, TimeSpan? timeout = null)
    {
        var messages = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (messages.Count < count)
        {
            using var response = await Http.PostAsJsonAsync("/getUpdates", new { token = botToken, chatId });
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            messages.AddRange(json.RootElement.GetProperty("result").EnumerateArray().Select(u => u.GetProperty("message").Clone()));
            if (messages.Count >= count)
                break;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the bot sent {messages.Count} of {count} expected messages to chat {chatId}. Emulator stderr: {Stderr}");
            await Task.Delay(50);
        }
        return messages;
    }

    /// <summary>Bot API method names the bot called, in order.</summary>
    public async Task<IReadOnlyList<string>> CallsAsync(string botToken)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync("/_calls"));
        return json.RootElement.TryGetProperty(botToken, out var calls) ? calls.EnumerateArray().Select(c => c.GetString()!).ToList() : [];
    }

    /// <summary>The last setMyCommands body the bot sent (commands, scope, language_code), if any.</summary>
    public async Task<JsonElement?> MenuAsync(string botToken)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync("/_commands"));
        return json.RootElement.TryGetProperty(botToken, out var menu) ? menu.Clone() : null;
    }

    /// <summary>The webhook registered for the token (url, secret_token, allowed_updates…), if any.</summary>
    public async Task<JsonElement?> WebhookAsync(string botToken)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync("/_webhooks"));
        return json.RootElement.TryGetProperty(botToken, out var webhook) ? webhook.Clone() : null;
    }

    public async Task WaitForCallAsync(string botToken, string method, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!(await CallsAsync(botToken)).Contains(method))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the bot never called {method}; calls: {string.Join(", ", await CallsAsync(botToken))}");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_process is null)
            return;
        try
        {
            _process.StandardInput.Close(); // the script exits when stdin closes
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TelegramEmulatorCollection : ICollectionFixture<TelegramEmulator>
{
    public const string Name = "telegram-test-api";
}
