using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace GovBot.Chat.Discord;

public static class DiscordInteractionType
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int MessageComponent = 3;
    public const int ApplicationCommandAutocomplete = 4;
    public const int ModalSubmit = 5;
}

/// <summary>The parts of an interaction request GovBot uses, read from the verified raw body.</summary>
public sealed record DiscordInteraction
{
    private static readonly BigInteger Administrator = 0x8;
    private static readonly BigInteger ManageGuild = 0x20;

    public required int Type { get; init; }
    public string? ApplicationId { get; init; }
    public string Token { get; init; } = "";
    public string CommandName { get; init; } = "";

    /// <summary>Option values by name, flattened out of any subcommand; numbers and booleans as their JSON text.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>The option the user is typing in, for autocomplete.</summary>
    public string? FocusedOption { get; init; }

    public string ChatId { get; init; } = "";
    public string UserId { get; init; } = "";
    public bool IsChatAdmin { get; init; }

    /// <summary>Null with an error message when the body is not an interaction GovBot can read.</summary>
    public static DiscordInteraction? TryParse(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !type.TryGetInt32(out var kind))
            {
                error = "not an interaction: no numeric type";
                return null;
            }

            var guildId = String(root, "guild_id");
            var member = root.TryGetProperty("member", out var m) && m.ValueKind == JsonValueKind.Object ? m : (JsonElement?)null;
            var user = member is { } mem && mem.TryGetProperty("user", out var mu) ? mu
                : root.TryGetProperty("user", out var u) ? u : default;
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            string? focused = null;
            var commandName = "";
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                commandName = String(data, "name") ?? "";
                CollectOptions(data, options, ref focused);
            }

            return new DiscordInteraction
            {
                Type = kind,
                ApplicationId = String(root, "application_id"),
                Token = String(root, "token") ?? "",
                CommandName = commandName,
                Options = options,
                FocusedOption = focused,
                ChatId = String(root, "channel_id") ?? guildId ?? "",
                UserId = user.ValueKind == JsonValueKind.Object ? String(user, "id") ?? "" : "",
                // No member means a DM with the bot, where the user is the only one to administer anything.
                IsChatAdmin = member is null || HasAdminPermission(String(member.Value, "permissions")),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            error = "body is not valid JSON";
            return null;
        }
    }

    public ChatRequest ToChatRequest()
    {
        var text = Options.Count == 0
            ? "/" + CommandName
            : "/" + CommandName + " " + string.Join(' ', Options.Select(o => $"{o.Key}:{o.Value}"));
        return new ChatRequest(ChatSurface.Discord, ChatId, UserId, CommandName, Options, text) { IsChatAdmin = IsChatAdmin };
    }

    private static void CollectOptions(JsonElement parent, Dictionary<string, string> options, ref string? focused)
    {
        if (!parent.TryGetProperty("options", out var list) || list.ValueKind != JsonValueKind.Array)
            return;
        foreach (var option in list.EnumerateArray())
        {
            if (option.ValueKind != JsonValueKind.Object || String(option, "name") is not { } name)
                continue;
            if (option.TryGetProperty("value", out var value))
            {
                options[name] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString() ?? "",
                    // Kept as written: an INTEGER option can exceed what a double holds exactly.
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => "",
                };
                if (option.TryGetProperty("focused", out var f) && f.ValueKind == JsonValueKind.True)
                    focused = name;
            }
            // A subcommand or group: its own options carry the values.
            CollectOptions(option, options, ref focused);
        }
    }

    private static bool HasAdminPermission(string? permissions) =>
        BigInteger.TryParse(permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
        && ((bits & Administrator) != 0 || (bits & ManageGuild) != 0);

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
