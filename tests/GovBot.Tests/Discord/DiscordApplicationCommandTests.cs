using System.Text.Json;
using GovBot.Chat;
using GovBot.Chat.Discord;

namespace GovBot.Tests.Discord;

public sealed class DiscordApplicationCommandTests
{
    [Fact]
    public void BuildCommands_FromCatalog_StaysWithinDiscordsLimits()
    {
        var commands = DiscordRestClient.BuildCommands(CommandCatalog.All);

        Assert.Equal(CommandCatalog.All.Count, commands.Count);
        Assert.All(commands, c =>
        {
            Assert.Equal(1, c.Type);
            Assert.Matches("^[-_a-z0-9]{1,32}$", c.Name);
            Assert.InRange(c.Description.Length, 1, 100);
            Assert.InRange(c.Options.Count, 0, 25);
            Assert.All(c.Options, o =>
            {
                Assert.Equal(3, o.Type);
                Assert.Matches("^[-_a-z0-9]{1,32}$", o.Name);
                Assert.InRange(o.Description.Length, 1, 100);
            });
            var firstOptional = c.Options.ToList().FindIndex(o => !o.Required);
            Assert.True(firstOptional < 0 || c.Options.Skip(firstOptional).All(o => !o.Required), c.Name);
        });
    }

    [Fact]
    public void BuildCommands_MarksIdAutocompleteAndAdminCommands()
    {
        var commands = DiscordRestClient.BuildCommands(CommandCatalog.All).ToDictionary(c => c.Name);

        Assert.True(commands["proposal"].Options.Single(o => o.Name == "id").Autocomplete);
        Assert.False(commands["voter"].Options.Single(o => o.Name == "address").Autocomplete);
        Assert.Equal("32", commands["subscribe"].DefaultMemberPermissions);
        Assert.Null(commands["proposals"].DefaultMemberPermissions);
        var events = commands["subscribe"].Options.Single(o => o.Name == "events").Description;
        Assert.Equal(100, events.Length);
        Assert.EndsWith("…", events);
    }

    [Fact]
    public void BuildCommands_SerializesToDiscordsWireNames()
    {
        var json = JsonSerializer.Serialize(DiscordRestClient.BuildCommands([CommandCatalog.Find("subscribe")!]), DiscordJson.Options);
        Assert.Contains("\"default_member_permissions\":\"32\"", json, StringComparison.Ordinal);
        Assert.Contains("\"autocomplete\":false", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":3", json, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildCommands_WithAnInvalidName_Throws()
    {
        Assert.Throws<ArgumentException>(() => DiscordRestClient.BuildCommands([new CommandSpec("Proposals", "x", [])]));
    }
}
