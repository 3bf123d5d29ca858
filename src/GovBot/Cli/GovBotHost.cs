using GovBot.Chain;
using GovBot.Chat;
using GovBot.Chat.Discord;
using GovBot.Chat.Telegram;
using GovBot.Configuration;
using GovBot.Delegation;
using GovBot.Digests;
using GovBot.Governance;
using GovBot.Orchestration;
using GovBot.Storage;
using GovBot.Treasury;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.Cli;

/// <summary>How a GovBot process is put together: configuration sources, logging, and every feature area's services.</summary>
public static class GovBotHost
{
    /// <param name="consoleWhenNoChatSurface">Adds the console surface when neither Discord nor Telegram is configured (the `run` verb).</param>
    public static WebApplication Build(CliArguments cli, bool continuous, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null,
        bool consoleWhenNoChatSurface = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(ResolveConfigFile(cli.ConfigFile), optional: false, reloadOnChange: false);
        builder.Configuration.AddUserSecrets(typeof(GovBotHost).Assembly, optional: true);
        builder.Configuration.AddEnvironmentVariables();
        configure?.Invoke(builder.Configuration);
        var daos = ConfigurationValidation.ValidateAndGetDaos(builder.Configuration);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(cli.Verbose ? LogLevel.Debug : continuous ? LogLevel.Information : LogLevel.Warning);
        // HttpClient's own logs print request URLs, and Telegram's carry the bot token: keep them out.
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", cli.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", continuous ? LogLevel.Information : LogLevel.Warning);

        var web = builder.Configuration.GetSection(WebOptions.SectionName).Get<WebOptions>() ?? new WebOptions();
        builder.WebHost.UseUrls(cli.Option("--urls") ?? web.Urls);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services
            .AddStorage(builder.Configuration)
            .AddChain(daos)
            .AddGovernance()
            .AddChat()
            .AddDelegation(builder.Configuration)
            .AddTreasury()
            .AddOrchestration(builder.Configuration)
            .AddDigests(builder.Configuration);
        builder.Services.AddSingleton<IChatCommand, DelegateCommand>();
        var discord = builder.Configuration.GetSection(DiscordOptions.SectionName).Get<DiscordOptions>() ?? new DiscordOptions();
        if (discord.Enabled)
        {
            builder.Services.AddSingleton<IProposalIdSuggester, GovernanceProposalIdSuggester>();
            builder.Services.AddDiscord(builder.Configuration);
        }

        var telegram = builder.Configuration.GetSection(TelegramOptions.SectionName).Get<TelegramOptions>() ?? new TelegramOptions();
        if (telegram.Enabled)
            builder.Services.AddTelegram(builder.Configuration);
        if (consoleWhenNoChatSurface && !discord.Enabled && !telegram.Enabled)
            builder.Services.AddConsoleSurface();

        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        if (discord.Enabled)
            app.MapDiscordInteractions();
        if (telegram.Enabled && telegram.Mode == TelegramMode.Webhook)
            app.MapTelegramWebhook();
        if (!string.IsNullOrWhiteSpace(web.LinkSigningKey))
            app.MapDelegation();
        return app;
    }

    /// <summary>--config FILE replaces the repo's appsettings.json; otherwise the working folder's, else the one beside the binary.</summary>
    private static string ResolveConfigFile(string? configFile)
    {
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            return File.Exists(full) ? full : throw new ConfigurationException("--config", $"file not found: {configFile}");
        }

        var local = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        if (File.Exists(local))
            return local;
        var beside = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        return File.Exists(beside) ? beside : throw new ConfigurationException("appsettings.json", "not found in the working folder or beside govbot; pass --config FILE");
    }
}
