using GovBot.Chat;
using GovBot.Chat.Commands;

namespace GovBot.Digests;

/// <summary>/subscribe [events] [at:HH:MM | cron:…] [tz:Zone]: saves this chat's subscription to the DAO; with no arguments, shows it.</summary>
public sealed class SubscribeCommand(SubscriptionStore store, TimeProvider time) : IChatCommand
{
    public string Name => "subscribe";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Surface == ChatSurface.Console)
            return ChatReply.Unavailable("Subscriptions live in chats", "Subscribe from a Telegram chat or a Discord channel; the console has nowhere to post to.");

        var text = context.Argument("events");
        if (text is null)
        {
            var current = await store.GetAsync(request.Surface, request.ChatId, context.Dao, cancellationToken);
            return current is null
                ? new ChatReply($"Not subscribed to {context.Dao}", "This chat gets no notifications yet. /subscribe posts every event here with a daily digest at 09:00 UTC; "
                    + "pick events and a schedule like: /subscribe created,result at:08:30 tz:Europe/Berlin")
                : Describe($"Subscribed to {context.Dao}", current.Spec, time.GetUtcNow());
        }

        var spec = SubscriptionParser.Parse(text);
        await store.SaveAsync(request.Surface, request.ChatId, context.Dao, spec, cancellationToken);
        return Describe($"Subscribed to {context.Dao}", spec, time.GetUtcNow());
    }

    internal static ChatReply Describe(string title, SubscriptionSpec spec, DateTimeOffset now)
    {
        var facts = new List<ChatFact>
        {
            new("Events", string.Join(", ", spec.Events.Select(NotificationKinds.Describe)), Inline: false),
        };
        if (spec.Wants(NotificationKinds.Digest))
        {
            facts.Add(new ChatFact("Digest schedule", $"cron {spec.Cron} in {spec.TimeZone}"));
            var next = spec.CronExpression.GetNextOccurrence(now, spec.Zone);
            facts.Add(new ChatFact("Next digest", next is { } n ? $"{TimeZoneInfo.ConvertTime(n, spec.Zone):yyyy-MM-dd HH:mm} {spec.TimeZone} ({ProposalFormat.Time(n, estimate: false)})" : "never"));
        }

        return new ChatReply(title, "Governance events will be posted in this chat. /unsubscribe stops them.") { Facts = facts };
    }
}

public sealed class UnsubscribeCommand(SubscriptionStore store) : IChatCommand
{
    public string Name => "unsubscribe";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var removed = await store.RemoveAsync(request.Surface, request.ChatId, context.Dao, cancellationToken);
        return removed
            ? new ChatReply($"Unsubscribed from {context.Dao}", "No more notifications or digests for this DAO here. Anything still queued was dropped.")
            : new ChatReply($"Not subscribed to {context.Dao}", "This chat had no subscription to that DAO; nothing changed.");
    }
}

/// <summary>/digest: the same digest the schedule posts, now; "since" is this chat's last scheduled digest, else the last 24 hours.</summary>
public sealed class DigestCommand(DigestBuilder builder, SubscriptionStore store, TimeProvider time, DigestWriter? writer = null) : IChatCommand
{
    public string Name => "digest";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var subscription = request.Surface == ChatSurface.Console ? null : await store.GetAsync(request.Surface, request.ChatId, context.Dao, cancellationToken);
        var since = subscription?.LastDigestAt ?? time.GetUtcNow().AddHours(-24);
        var digest = await builder.BuildAsync(context.Dao, since, cancellationToken);
        return DigestBuilder.Render(digest, writer is null ? null : await writer.WriteAsync(digest, cancellationToken));
    }
}
