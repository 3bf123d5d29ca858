using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace GovBot.Chat.Discord;

/// <summary>A message body as Discord's REST API and interaction responses take it (only the parts GovBot sends).</summary>
public sealed record DiscordMessage
{
    public string? Content { get; init; }
    public IReadOnlyList<DiscordEmbed> Embeds { get; init; } = [];
    public IReadOnlyList<DiscordActionRow> Components { get; init; } = [];

    /// <summary>
    /// With <see cref="EnforceNonce"/>, Discord creates at most one message per nonce from this bot for a few minutes and
    /// answers a repeat with the first message: the digest outbox uses it so a retried send cannot post twice.
    /// </summary>
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }

    /// <summary>Message flags; <see cref="EphemeralFlag"/> shows an interaction reply to the invoking user only.</summary>
    public int? Flags { get; init; }

    /// <summary>EPHEMERAL (1 &lt;&lt; 6). Discord honours it only when the interaction reply is created, not on a later edit.</summary>
    public const int EphemeralFlag = 1 << 6;

    /// <summary>Always present and empty: GovBot never pings anyone, whatever the text says.</summary>
    public DiscordAllowedMentions AllowedMentions { get; init; } = DiscordAllowedMentions.None;

    /// <summary>
    /// Names each uploaded file: id n is the multipart part files[n]. <see cref="DiscordRestClient"/> fills it from
    /// <see cref="Files"/> when it sends them, so the two cannot disagree.
    /// </summary>
    public IReadOnlyList<DiscordAttachment>? Attachments { get; init; }

    /// <summary>Files to upload with the message. They travel as multipart parts beside the JSON, never inside it.</summary>
    [JsonIgnore]
    public IReadOnlyList<DiscordFile> Files { get; init; } = [];

    public static DiscordMessage Text(string content) => new() { Content = content };
}

public sealed record DiscordEmbed
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public int? Color { get; init; }
    public IReadOnlyList<DiscordEmbedField>? Fields { get; init; }
    public DiscordEmbedFooter? Footer { get; init; }
    public DiscordEmbedImage? Image { get; init; }

    /// <summary>The characters Discord counts against its 6000-per-embed limit.</summary>
    [JsonIgnore]
    public int TextLength =>
        (Title?.Length ?? 0) + (Description?.Length ?? 0) + (Footer?.Text.Length ?? 0)
        + (Fields?.Sum(f => f.Name.Length + f.Value.Length) ?? 0);
}

public sealed record DiscordEmbedField(string Name, string Value, bool Inline);

public sealed record DiscordEmbedFooter(string Text);

/// <summary>An http(s) URL, or attachment://name for a file uploaded with the same message.</summary>
public sealed record DiscordEmbedImage(string Url);

/// <param name="Id">The snowflake placeholder: the n of the part files[n] that carries the file.</param>
public sealed record DiscordAttachment(int Id, string Filename);

/// <summary>A file for a multipart upload. Its name is made safe on construction (see <see cref="SafeName"/>).</summary>
public sealed partial record DiscordFile
{
    public DiscordFile(string fileName, string contentType, byte[] content)
    {
        FileName = SafeName(fileName);
        ContentType = contentType;
        Content = content;
    }

    public string FileName { get; }
    public string ContentType { get; }
    public byte[] Content { get; }

    /// <summary>
    /// Discord resolves attachment://name only for names of ASCII letters, digits, dots, dashes and underscores, and
    /// the name also goes into a Content-Disposition header: anything else becomes an underscore.
    /// </summary>
    private static string SafeName(string fileName)
    {
        var safe = UnsafeFileNameCharacter().Replace(fileName, "_");
        return safe.Length == 0 ? "file" : safe;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeFileNameCharacter();
}

public sealed record DiscordActionRow(IReadOnlyList<DiscordLinkButton> Components)
{
    public int Type => 1;
}

public sealed record DiscordLinkButton(string Label, string Url)
{
    public int Type => 2;

    /// <summary>5 is LINK: opens the URL, never sends an interaction back.</summary>
    public int Style => 5;
}

public sealed record DiscordAllowedMentions(IReadOnlyList<string> Parse)
{
    public static readonly DiscordAllowedMentions None = new([]);
}

public sealed record DiscordAutocompleteChoice(string Name, string Value);

/// <summary>The reply to an interaction request; <see cref="Type"/> is one of <see cref="DiscordInteractionResponseType"/>.</summary>
public sealed record DiscordInteractionResponse(int Type, object? Data = null);

public static class DiscordInteractionResponseType
{
    public const int Pong = 1;
    public const int ChannelMessageWithSource = 4;
    public const int DeferredChannelMessageWithSource = 5;
    public const int ApplicationCommandAutocompleteResult = 8;
}

public sealed record DiscordApplicationCommand(string Name, string Description, IReadOnlyList<DiscordApplicationCommandOption> Options)
{
    /// <summary>1 is CHAT_INPUT: a slash command.</summary>
    public int Type => 1;

    /// <summary>A permission bit set as a decimal string; null lets everyone use the command.</summary>
    public string? DefaultMemberPermissions { get; init; }
}

public sealed record DiscordApplicationCommandOption(string Name, string Description, bool Required, bool Autocomplete)
{
    /// <summary>3 is STRING: ids are uint256 decimals and do not fit Discord's INTEGER.</summary>
    public int Type => 3;
}

internal static class DiscordJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
