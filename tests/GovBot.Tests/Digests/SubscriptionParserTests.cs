using GovBot.Digests;

namespace GovBot.Tests.Digests;

public sealed class SubscriptionParserTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("all")]
    public void Parse_NothingOrAll_SubscribesToEveryEventDailyAtNineUtc(string? text)
    {
        var spec = SubscriptionParser.Parse(text);
        Assert.Equal(NotificationKinds.All, spec.Events);
        Assert.Equal("0 9 * * *", spec.Cron);
        Assert.Equal("UTC", spec.TimeZone);
    }

    [Fact]
    public void Parse_EventList_KeepsCanonicalOrderAndAcceptsSpellings()
    {
        var spec = SubscriptionParser.Parse("Result, cancelled created result");
        Assert.Equal(["created", "result", "canceled"], spec.Events);
        Assert.False(spec.Wants(NotificationKinds.Digest));
    }

    [Fact]
    public void Parse_AtAndZone_BuildsDailyCronInThatZone()
    {
        var spec = SubscriptionParser.Parse("created,digest at:08:30 tz:Europe/Berlin");
        Assert.Equal(["created", "digest"], spec.Events);
        Assert.Equal("30 8 * * *", spec.Cron);
        Assert.Equal("Europe/Berlin", spec.TimeZone);
        Assert.Equal(TimeSpan.FromHours(1), spec.Zone.GetUtcOffset(new DateTime(2025, 1, 15, 12, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Parse_CronWithSpaces_TakesTheFiveFields()
    {
        var spec = SubscriptionParser.Parse("cron:0 9 * * 1-5 tz:America/New_York result");
        Assert.Equal("0 9 * * 1-5", spec.Cron);
        Assert.Equal("America/New_York", spec.TimeZone);
        Assert.Equal(["result"], spec.Events);
    }

    [Fact]
    public void Parse_QuotedCron_Works()
    {
        Assert.Equal("15 7 * * 1", SubscriptionParser.Parse("cron:\"15 7 * * 1\"").Cron);
    }

    [Theory]
    [InlineData("votes", "is not an event")]
    [InlineData("at:25:00", "not a time of day")]
    [InlineData("at:9", "not a time of day")]
    [InlineData("cron:0 9 * *", "five fields")]
    [InlineData("cron:61 9 * * *", "not a valid cron")]
    [InlineData("cron:*/5 * * * *", "at most once an hour")]
    [InlineData("tz:Mars/Olympus", "not a time zone")]
    [InlineData("tz:", "needs a time zone")]
    [InlineData("at:09:00 at:10:00", "only once")]
    [InlineData("at:09:00 cron:0 9 * * *", "only once")]
    public void Parse_BadInput_ThrowsAClearUserError(string text, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => SubscriptionParser.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_TooLong_IsRejected()
    {
        Assert.Throws<UserInputException>(() => SubscriptionParser.Parse(new string('a', 400)));
    }

    [Fact]
    public void ParseZone_IanaIdsResolveDespiteInvariantGlobalization()
    {
        foreach (var id in new[] { "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney" })
            Assert.Equal(id, SubscriptionParser.ParseZone(id));
        Assert.Equal("UTC", SubscriptionParser.ParseZone("utc"));
    }
}
