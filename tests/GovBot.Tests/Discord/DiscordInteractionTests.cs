using System.Text;
using GovBot.Chat;
using GovBot.Chat.Discord;

namespace GovBot.Tests.Discord;

public sealed class DiscordInteractionTests
{
    private static DiscordInteraction Parse(string json) =>
        DiscordInteraction.TryParse(Encoding.UTF8.GetBytes(json), out var error) ?? throw new InvalidOperationException(error);

    [Fact]
    public void ToChatRequest_InAGuild_MapsCommandOptionsChannelAndMember()
    {
        var interaction = Parse("""
            {"type":2,"id":"1","application_id":"app","token":"tok","guild_id":"g1","channel_id":"c1",
             "member":{"user":{"id":"u1"},"permissions":"2147483648"},
             "data":{"id":"9","name":"proposal","type":1,"options":[
               {"name":"id","type":3,"value":"4242"},{"name":"dao","type":3,"value":"ens"},{"name":"n","type":4,"value":123456789012345678901234567890}]}}
            """);
        var request = interaction.ToChatRequest();

        Assert.Equal(ChatSurface.Discord, request.Surface);
        Assert.Equal(("c1", "u1", "proposal"), (request.ChatId, request.UserId, request.Command));
        Assert.Equal("4242", request.Argument("id"));
        Assert.Equal("ens", request.Argument("dao"));
        Assert.Equal("123456789012345678901234567890", request.Argument("n"));
        Assert.False(request.IsChatAdmin);
        Assert.Equal(("app", "tok"), (interaction.ApplicationId, interaction.Token));
    }

    [Theory]
    [InlineData("32", true)]
    [InlineData("8", true)]
    [InlineData("40", true)]
    [InlineData("2251799813685247", true)]
    [InlineData("16", false)]
    [InlineData("0", false)]
    [InlineData("not a number", false)]
    public void IsChatAdmin_FollowsManageGuildOrAdministrator(string permissions, bool admin)
    {
        var interaction = Parse("""{"type":2,"guild_id":"g","channel_id":"c","member":{"user":{"id":"u"},"permissions":"PERMS"},"data":{"name":"subscribe"}}"""
            .Replace("PERMS", permissions, StringComparison.Ordinal));
        Assert.Equal(admin, interaction.IsChatAdmin);
    }

    [Fact]
    public void ToChatRequest_InADirectMessage_UsesUserAndIsAdmin()
    {
        var request = Parse("""{"type":2,"channel_id":"dm1","user":{"id":"u2"},"data":{"name":"ask","options":[{"name":"question","type":3,"value":"what is 42?"}]}}""")
            .ToChatRequest();
        Assert.Equal(("dm1", "u2"), (request.ChatId, request.UserId));
        Assert.True(request.IsChatAdmin);
        Assert.Equal("what is 42?", request.Argument("question"));
        Assert.Equal("/ask question:what is 42?", request.Text);
    }

    [Fact]
    public void Parse_SubcommandOptions_AreFlattened()
    {
        var interaction = Parse("""{"type":2,"channel_id":"c","user":{"id":"u"},"data":{"name":"dao","options":[{"name":"set","type":1,"options":[{"name":"dao","type":3,"value":"ens"}]}]}}""");
        Assert.Equal("ens", interaction.Options["dao"]);
    }

    [Fact]
    public void Parse_Autocomplete_FindsTheFocusedOption()
    {
        var interaction = Parse("""{"type":4,"channel_id":"c","user":{"id":"u"},"data":{"name":"votes","options":[{"name":"id","type":3,"value":"12","focused":true}]}}""");
        Assert.Equal(("id", "12"), (interaction.FocusedOption, interaction.Options["id"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"2\"}")]
    [InlineData("{\"id\":1}")]
    [InlineData("{\"type\":2,")]
    [InlineData("{\"type\":2,\"data\":{\"name\":\"x\",\"options\":[1,\"a\",{\"name\":5}]}}")]
    public void TryParse_WithJunk_ReturnsNullOrIgnoresIt(string json)
    {
        var interaction = DiscordInteraction.TryParse(Encoding.UTF8.GetBytes(json), out var error);
        Assert.True(interaction is null ? error is not null : interaction.Options.Count == 0);
    }
}
