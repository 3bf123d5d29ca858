using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chat;
using GovBot.Cli;
using GovBot.Tests.Discord;

namespace GovBot.IntegrationTests.Discord;

/// <summary>`govbot discord register [guild-id]` as an operator runs it, against a recording Discord API.</summary>
public sealed class DiscordRegisterCliTests : IAsyncLifetime
{
    private RecordingDiscordApi _api = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _api = await RecordingDiscordApi.StartAsync();
        _folder = Directory.CreateTempSubdirectory("govbot-register-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The repo's appsettings.json (the ENS DAO, never contacted by this verb) with a Discord section.</summary>
    private string Config(string? botToken = DiscordTestHost.BotToken)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.IntegrationTestsDir, "..", "..", "appsettings.json")))!.AsObject();
        config["Storage"] = new JsonObject { ["ConnectionString"] = $"Data Source={Path.Combine(_folder, "govbot.db")}" };
        config["Discord"] = new JsonObject
        {
            ["ApplicationId"] = DiscordTestHost.ApplicationId,
            ["PublicKey"] = new DiscordTestKeys().PublicKeyHex,
            ["BotToken"] = botToken,
            ["ApiBaseUrl"] = _api.ApiBaseUrl,
        };
        var path = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await GovBotCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Register_Globally_PutsTheWholeCatalogToTheApplicationRoute()
    {
        var (exit, stdout, stderr) = await RunAsync("discord", "register", "--config", Config());

        Assert.True(exit == 0, stderr);
        Assert.Equal($"Registered {CommandCatalog.All.Count} commands globally.", stdout.Trim());
        var request = Assert.Single(_api.Requests);
        Assert.Equal(("PUT", $"/api/v10/applications/{DiscordTestHost.ApplicationId}/commands"), (request.Method, request.Path));
        Assert.Equal("Bot " + DiscordTestHost.BotToken, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(CommandCatalog.All.Select(c => c.Name), body.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Register_InAGuild_UsesTheGuildRoute()
    {
        var (exit, stdout, stderr) = await RunAsync("discord", "register", "123456789012345678", "--config", Config());

        Assert.True(exit == 0, stderr);
        Assert.Equal($"Registered {CommandCatalog.All.Count} commands in guild 123456789012345678.", stdout.Trim());
        Assert.Equal($"/api/v10/applications/{DiscordTestHost.ApplicationId}/guilds/123456789012345678/commands", Assert.Single(_api.Requests).Path);
    }

    [Theory]
    [InlineData("not-a-guild", "A guild id is a number")]
    [InlineData("1/../../users/@me", "A guild id is a number")]
    public async Task Register_WithAMalformedGuildId_ExitsWith2AndSendsNothing(string guild, string expected)
    {
        var (exit, _, stderr) = await RunAsync("discord", "register", guild, "--config", Config());

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Register_WithoutABotToken_ExitsWith2NamingDiscord()
    {
        var (exit, _, stderr) = await RunAsync("discord", "register", "--config", Config(botToken: null));

        Assert.Equal(2, exit);
        Assert.Contains("Discord", stderr, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Register_WithATokenDiscordRefuses_ExitsTwoNamingTheKey_AndNeverPrintsTheToken()
    {
        _api.Enqueue(401, """{"message":"401: Unauthorized","code":0}""");

        var (exit, stdout, stderr) = await RunAsync("discord", "register", "--config", Config());

        Assert.Equal(2, exit);
        Assert.Contains("Discord:BotToken", stderr, StringComparison.Ordinal);
        Assert.Contains("401: Unauthorized", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(DiscordTestHost.BotToken, stdout + stderr, StringComparison.Ordinal);
    }
}
