using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GovBot.Configuration;
using Microsoft.Extensions.Options;

namespace GovBot.Chat.Discord;

public sealed class DiscordApiException(HttpStatusCode status, int? code, string message)
    : Exception($"Discord API {(int)status}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 10062 Unknown interaction), when the body had one.</summary>
    public int? Code { get; } = code;
}

/// <summary>
/// The few Discord REST calls GovBot makes, over a typed HttpClient. Waits out rate-limit buckets before sending,
/// retries 429s after retry_after and 5xx with backoff, a bounded number of times. The bot token goes in the
/// Authorization header of bot routes only and is never logged; interaction tokens travel in URLs, so this class
/// logs route templates, never URLs, and the HttpClient's own logging is removed at registration. A message with
/// files goes as multipart/form-data (payload_json plus one files[n] part per file), rebuilt for every attempt.
/// </summary>
public sealed partial class DiscordRestClient(
    HttpClient httpClient,
    DiscordRateLimiter rateLimiter,
    IOptions<DiscordOptions> options,
    TimeProvider timeProvider,
    ILogger<DiscordRestClient> logger)
{
    public const string UserAgent = "DiscordBot (https://github.com/govbot/govbot, 1.0)";
    public const int MaxAttempts = 5;

    /// <summary>A 429 asking for longer than this is not waited out; the caller gets the error instead.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>Discord's default upload limit, for all the files of one request together (boosted guilds allow more).</summary>
    public const int MaxUploadBytes = 10 * 1024 * 1024;

    private const int CommandDescriptionLimit = 100;

    /// <summary>Edits the reply to an interaction (the "thinking…" placeholder after a deferred response).</summary>
    public Task EditOriginalAsync(string applicationId, string interactionToken, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"webhooks/{Seg(applicationId)}/{Seg(interactionToken)}/messages/@original",
            "PATCH webhooks/{application}/{token}/messages/@original", applicationId + "/" + interactionToken,
            message, botAuth: false, cancellationToken);

    /// <returns>The new message's id.</returns>
    public async Task<string?> CreateFollowupAsync(string applicationId, string interactionToken, DiscordMessage message, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"webhooks/{Seg(applicationId)}/{Seg(interactionToken)}",
            "POST webhooks/{application}/{token}", applicationId + "/" + interactionToken, message, botAuth: false, cancellationToken);
        return await MessageIdAsync(response, cancellationToken);
    }

    /// <returns>The new message's id.</returns>
    public async Task<string?> CreateMessageAsync(string channelId, DiscordMessage message, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"channels/{Seg(channelId)}/messages",
            "POST channels/{channel}/messages", channelId, message, botAuth: true, cancellationToken);
        return await MessageIdAsync(response, cancellationToken);
    }

    /// <summary>Replaces the application's slash commands, globally or in one guild (guild commands update at once).</summary>
    public async Task BulkOverwriteCommandsAsync(string applicationId, string? guildId, IReadOnlyList<CommandSpec> commands, CancellationToken cancellationToken)
    {
        var path = guildId is null
            ? $"applications/{Seg(applicationId)}/commands"
            : $"applications/{Seg(applicationId)}/guilds/{Seg(guildId)}/commands";
        var route = guildId is null ? "PUT applications/{application}/commands" : "PUT applications/{application}/guilds/{guild}/commands";
        using var response = await SendAsync(HttpMethod.Put, path, route, guildId ?? applicationId, BuildCommands(commands), botAuth: true, cancellationToken);
    }

    /// <summary>The catalog as Discord application commands: lowercase names, descriptions within 100, required options first.</summary>
    public static IReadOnlyList<DiscordApplicationCommand> BuildCommands(IReadOnlyList<CommandSpec> commands) =>
        commands.Select(command => new DiscordApplicationCommand(
                CheckName(command.Name),
                DiscordText.Clip(command.Description, CommandDescriptionLimit),
                // Discord rejects a required option that follows an optional one.
                command.Options
                    .OrderBy(o => o.Required ? 0 : 1)
                    .Select(o => new DiscordApplicationCommandOption(
                        CheckName(o.Name), DiscordText.Clip(o.Description, CommandDescriptionLimit), o.Required, o.Autocomplete))
                    .ToList())
            {
                // MANAGE_GUILD: Discord hides admin commands from members who could not use them anyway.
                DefaultMemberPermissions = command.AdminOnly ? "32" : null,
            })
            .ToList();

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string route, string majorParameter, object body, bool botAuth, CancellationToken cancellationToken)
    {
        if (body is DiscordMessage { Files: var files } && files.Sum(f => (long)f.Content.Length) > MaxUploadBytes)
            throw new ArgumentException($"the message's files are over Discord's {MaxUploadBytes}-byte upload limit", nameof(body));

        for (var attempt = 1; ; attempt++)
        {
            await rateLimiter.AcquireAsync(route, majorParameter, cancellationToken);

            // Disposing the request disposes its content, and a sent content cannot be sent again: a new one per attempt.
            using var request = new HttpRequestMessage(method, path) { Content = CreateContent(body) };
            if (botAuth)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bot", BotToken());

            HttpResponseMessage response;
            try
            {
                response = await httpClient.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (attempt < MaxAttempts)
            {
                logger.LogWarning("Discord {Route} failed to send ({Error}); attempt {Attempt} of {MaxAttempts}", route, e.Message, attempt, MaxAttempts);
                await Task.Delay(Backoff(attempt), timeProvider, cancellationToken);
                continue;
            }

            rateLimiter.Update(route, majorParameter, response.Headers);
            if (response.IsSuccessStatusCode)
                return response;

            using (response)
            {
                var status = (int)response.StatusCode;
                var error = await ReadErrorAsync(response, cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
                {
                    var retryAfter = error.RetryAfter ?? RetryAfterHeader(response) ?? TimeSpan.FromSeconds(1);
                    var global = error.Global || Header(response, "X-RateLimit-Global") == "true";
                    if (retryAfter <= MaxRetryAfter)
                    {
                        logger.LogWarning("Discord {Route} rate limited ({Scope}); retrying after {RetryAfterMs} ms",
                            route, global ? "global" : Header(response, "X-RateLimit-Scope") ?? "route", (int)retryAfter.TotalMilliseconds);
                        rateLimiter.Block(route, majorParameter, retryAfter, global);
                        await Task.Delay(retryAfter, timeProvider, cancellationToken);
                        continue;
                    }
                }
                if (status >= 500 && attempt < MaxAttempts)
                {
                    logger.LogWarning("Discord {Route} answered {Status}; attempt {Attempt} of {MaxAttempts}", route, status, attempt, MaxAttempts);
                    await Task.Delay(Backoff(attempt), timeProvider, cancellationToken);
                    continue;
                }

                logger.LogError("Discord {Route} answered {Status} {Code}: {Message}", route, status, error.Code, error.Message);
                throw new DiscordApiException(response.StatusCode, error.Code, error.Message);
            }
        }
    }

    /// <summary>JSON; or, for a message with files, Discord's multipart shape: payload_json first, then files[0], files[1]….</summary>
    private static HttpContent CreateContent(object body)
    {
        // Whatever built the message, nothing GovBot posts may ping: proposal text can say @everyone.
        if (body is DiscordMessage built)
            body = built with { AllowedMentions = DiscordAllowedMentions.None };
        if (body is not DiscordMessage { Files.Count: > 0 } message)
            return JsonContent.Create(body, body.GetType(), options: DiscordJson.Options);

        var payload = message with { Attachments = message.Files.Select((f, i) => new DiscordAttachment(i, f.FileName)).ToList() };
        var form = new MultipartFormDataContent();
        var json = new StringContent(JsonSerializer.Serialize(payload, DiscordJson.Options), Encoding.UTF8, "application/json");
        json.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"payload_json\"" };
        form.Add(json);
        for (var i = 0; i < message.Files.Count; i++)
        {
            var file = message.Files[i];
            var part = new ByteArrayContent(file.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
            // Set by hand rather than by Add(content, name, fileName), which adds a filename* copy Discord does not document.
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
            {
                Name = $"\"files[{i}]\"",
                FileName = $"\"{file.FileName}\"",
            };
            form.Add(part);
        }
        return form;
    }

    private string BotToken() =>
        string.IsNullOrWhiteSpace(options.Value.BotToken)
            ? throw new InvalidOperationException("Discord:BotToken is not configured; it is needed to post messages and register commands.")
            : options.Value.BotToken;

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));

    private static async Task<(string Message, int? Code, TimeSpan? RetryAfter, bool Global)> ReadErrorAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (Clip(text), null, null, false);
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : Clip(text);
            int? code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : null;
            TimeSpan? retryAfter = root.TryGetProperty("retry_after", out var r) && r.TryGetDouble(out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds) : null;
            var global = root.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;
            return (message, code, retryAfter, global);
        }
        catch (JsonException)
        {
            return (Clip(text), null, null, false);
        }
    }

    private static TimeSpan? RetryAfterHeader(HttpResponseMessage response) =>
        double.TryParse(Header(response, "Retry-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds) : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<string?> MessageIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200];

    private static string Seg(string value) => Uri.EscapeDataString(value);

    private static string CheckName(string name) =>
        CommandName().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a valid Discord command or option name (lowercase, 1-32 characters).", nameof(name));

    [GeneratedRegex(@"^[-_\p{Ll}\p{N}]{1,32}$")]
    private static partial Regex CommandName();
}
