using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Chat.Telegram;
using GovBot.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GovBot.Digests;

public static class DigestExtensions
{
    /// <summary>
    /// Subscriptions, the /subscribe, /unsubscribe and /digest commands, the detector, the outbox and one sender per
    /// configured chat surface. The background services are added separately by <see cref="AddDigestServices"/>.
    /// </summary>
    public static IServiceCollection AddDigests(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new DigestTimings());
        services.TryAddSingleton(new FanoutLimits());
        services.TryAddSingleton<FanoutLimiter>();
        services.TryAddSingleton<SubscriptionStore>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<DigestBuilder>();
        services.TryAddSingleton<NotificationDetector>();
        services.AddSingleton<IChatCommand, SubscribeCommand>();
        services.AddSingleton<IChatCommand, UnsubscribeCommand>();
        services.AddSingleton<IChatCommand, DigestCommand>();

        if ((configuration.GetSection(TelegramOptions.SectionName).Get<TelegramOptions>() ?? new TelegramOptions()).Enabled)
            services.AddSingleton<IDigestSender>(sp => new TelegramDigestSender(sp.GetRequiredService<TelegramSender>()));
        if ((configuration.GetSection(DiscordOptions.SectionName).Get<DiscordOptions>() ?? new DiscordOptions()).Enabled)
            services.AddSingleton<IDigestSender>(sp => new DiscordDigestSender(sp.GetRequiredService<DiscordRestClient>(), sp.GetRequiredService<ILogger<DiscordDigestSender>>()));
        return services;
    }

    /// <summary>The detector loop, the digest scheduler and the outbox dispatcher: for hosts that run continuously.</summary>
    public static IServiceCollection AddDigestServices(this IServiceCollection services)
    {
        services.AddHostedService<NotificationService>();
        services.TryAddSingleton<DigestScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DigestScheduler>());
        services.TryAddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }
}
