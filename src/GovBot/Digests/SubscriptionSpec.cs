using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace GovBot.Digests;

/// <summary>What a chat asked for: which events, and when its digest runs (cron in its time zone).</summary>
public sealed record SubscriptionSpec(IReadOnlyList<string> Events, string Cron, string TimeZone)
{
    public const string DefaultCron = "0 9 * * *";
    public const string DefaultTimeZone = "UTC";

    public static SubscriptionSpec Default { get; } = new(NotificationKinds.All, DefaultCron, DefaultTimeZone);

    public CronExpression CronExpression => CronExpression.Parse(Cron);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool Wants(string kind) => Events.Contains(kind, StringComparer.Ordinal);

    public string EventsText => string.Join(',', Events);
}

/// <summary>
/// Parses the text after /subscribe: event names (comma or space separated, default all), and optional
/// <c>at:HH:MM</c>, <c>cron:&lt;5 fields&gt;</c> and <c>tz:&lt;IANA id&gt;</c> tokens. Anything it does not understand is a
/// <see cref="UserInputException"/> that says what was wrong, so nothing half-parsed is ever saved.
/// </summary>
public static partial class SubscriptionParser
{
    private const int MaxInput = 300;

    [GeneratedRegex(@"^(?<h>[01]?\d|2[0-3]):(?<m>[0-5]\d)$")]
    private static partial Regex TimeOfDay();

    public static SubscriptionSpec Parse(string? text)
    {
        text = (text ?? "").Trim();
        if (text.Length > MaxInput)
            throw new UserInputException($"That is too long for /subscribe (at most {MaxInput} characters).");

        var events = new List<string>();
        string? cron = null;
        string? zone = null;
        var tokens = Tokenize(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith("cron:", StringComparison.OrdinalIgnoreCase))
            {
                // A cron expression has spaces: it takes the following tokens up to the next key or event name.
                var fields = new List<string> { token[5..] };
                while (i + 1 < tokens.Count && !IsKeyed(tokens[i + 1]) && !IsEvent(tokens[i + 1]) && fields.Count(f => f.Length > 0) < 5)
                    fields.Add(tokens[++i]);
                cron = Once(cron, ParseCron(string.Join(' ', fields.Where(f => f.Length > 0))), "a schedule (at: or cron:)");
            }
            else if (token.StartsWith("at:", StringComparison.OrdinalIgnoreCase))
            {
                cron = Once(cron, ParseAt(token[3..]), "a schedule (at: or cron:)");
            }
            else if (token.StartsWith("tz:", StringComparison.OrdinalIgnoreCase))
            {
                zone = Once(zone, ParseZone(token[3..]), "a time zone (tz:)");
            }
            else if (token.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                events.AddRange(NotificationKinds.All);
            }
            else if (NormalizeEvent(token) is { } kind)
            {
                events.Add(kind);
            }
            else
            {
                throw new UserInputException(
                    $"'{Preview(token)}' is not an event. Events: {string.Join(", ", NotificationKinds.All)}; options: at:09:00, cron:\"0 9 * * 1-5\", tz:Europe/Berlin.");
            }
        }

        return new SubscriptionSpec(
            events.Count == 0 ? NotificationKinds.All : NotificationKinds.All.Where(events.Contains).ToList(),
            cron ?? SubscriptionSpec.DefaultCron,
            zone ?? SubscriptionSpec.DefaultTimeZone);
    }

    private static List<string> Tokenize(string text) =>
        text.Replace('"', ' ').Replace('\'', ' ')
            .Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();

    private static bool IsKeyed(string token) =>
        token.StartsWith("at:", StringComparison.OrdinalIgnoreCase) || token.StartsWith("tz:", StringComparison.OrdinalIgnoreCase)
        || token.StartsWith("cron:", StringComparison.OrdinalIgnoreCase);

    private static bool IsEvent(string token) => token.Equals("all", StringComparison.OrdinalIgnoreCase) || NormalizeEvent(token) is not null;

    private static string? NormalizeEvent(string token)
    {
        var lower = token.ToLowerInvariant();
        return lower switch
        {
            "cancelled" => NotificationKinds.Canceled,
            "new" or "proposals" => NotificationKinds.Created,
            "results" => NotificationKinds.Result,
            _ => NotificationKinds.All.FirstOrDefault(k => k == lower),
        };
    }

    private static string Once(string? existing, string value, string what) =>
        existing is null ? value : throw new UserInputException($"Give {what} only once.");

    internal static string ParseAt(string text)
    {
        var match = TimeOfDay().Match(text.Trim());
        if (!match.Success)
            throw new UserInputException($"'at:{Preview(text)}' is not a time of day. Use 24-hour HH:MM, e.g. at:09:00.");
        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        return $"{minute} {hour} * * *";
    }

    internal static string ParseCron(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            throw new UserInputException($"'cron:{Preview(text)}' needs five fields (minute hour day month weekday), e.g. cron:0 9 * * 1-5.");
        var cron = string.Join(' ', fields);
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron);
        }
        catch (CronFormatException e)
        {
            throw new UserInputException($"'cron:{Preview(cron)}' is not a valid cron expression: {e.Message}");
        }

        // A digest more often than hourly would flood the chat; the limit is checked on the next day's occurrences.
        var from = new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);
        var occurrences = expression.GetOccurrences(from, from.AddDays(1), TimeZoneInfo.Utc).Take(3).ToList();
        if (occurrences.Count >= 2 && occurrences.Zip(occurrences.Skip(1)).Any(p => p.Second - p.First < TimeSpan.FromHours(1)))
            throw new UserInputException("A digest at most once an hour, please: that cron runs more often.");
        return cron;
    }

    /// <summary>IANA ids (Europe/Berlin) resolve from the system's tzdata, which InvariantGlobalization does not affect.</summary>
    internal static string ParseZone(string text)
    {
        var id = text.Trim();
        if (id.Length is 0 or > 64)
            throw new UserInputException("tz: needs a time zone id, e.g. tz:Europe/Berlin.");
        if (id.Equals("utc", StringComparison.OrdinalIgnoreCase))
            return "UTC";
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id).Id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new UserInputException($"'{Preview(id)}' is not a time zone GovBot knows. Use an IANA id such as Europe/Berlin or America/New_York.");
        }
    }

    private static string Preview(string text)
    {
        var clean = Governance.ProposalText.StripControl(text);
        return clean.Length > 40 ? clean[..40] + "…" : clean;
    }
}
