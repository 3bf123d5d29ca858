using GovBot.Chat.Console;
using GovBot.Chat.Telegram;
using GovBot.Cli;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GovBot.Tests.Telegram;

public sealed class TelegramHostWiringTests
{
    private static CliArguments Run() => CliArguments.Parse(["run", "--config", Path.Combine(AppContext.BaseDirectory, "appsettings.json")]);

    private static List<string> Routes(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "").ToList();

    [Fact]
    public async Task Run_WithTelegramWebhookConfigured_AddsTheSurfaceAndEndpoint_AndNoConsole()
    {
        await using var app = GovBotHost.Build(Run(), continuous: true, config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = "123456:AAHabcdefghijklmnopqrstuvwxyz0123456",
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookSecret"] = "s3cret-s3cret-s3cret",
        }), consoleWhenNoChatSurface: true);

        var hosted = app.Services.GetServices<IHostedService>().ToList();
        Assert.Contains(hosted, s => s is TelegramSurface);
        Assert.Contains(hosted, s => s is TelegramUpdateWorker);
        Assert.DoesNotContain(hosted, s => s is ConsoleSurface);
        Assert.Contains(TelegramWebhookEndpoint.Path, Routes(app));
    }

    [Fact]
    public async Task Run_WithNoChatSurfaceConfigured_AddsTheConsole_AndNoTelegram()
    {
        await using var app = GovBotHost.Build(Run(), continuous: true, consoleWhenNoChatSurface: true);

        var hosted = app.Services.GetServices<IHostedService>().ToList();
        Assert.Contains(hosted, s => s is ConsoleSurface);
        Assert.DoesNotContain(hosted, s => s is TelegramSurface);
        Assert.DoesNotContain(TelegramWebhookEndpoint.Path, Routes(app));
    }
}
