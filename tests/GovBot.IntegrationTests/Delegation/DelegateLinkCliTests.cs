using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain.Devnet;
using GovBot.Cli;

namespace GovBot.IntegrationTests.Delegation;

/// <summary><c>govbot delegate-link &lt;address&gt; [--dao NAME] [--json]</c> as a script would run it against a running GovBot.</summary>
[Collection(DelegationDevnetCollection.Name)]
public sealed class DelegateLinkCliTests(DelegationDevnetFixture devnet)
{
    private static readonly string Delegatee = DelegationDevnetFixture.Address(3);

    [Fact]
    public async Task DelegateLink_Json_PrintsExactlyUrlAndExpiresAt_UrlUnderPublicBaseUrlOpensThePage()
    {
        var timestampDao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        await using var bot = await devnet.StartGovBotAsync(daos: [devnet.Dao, timestampDao], index: false);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var before = DateTimeOffset.UtcNow;
        var exit = await GovBotCli.RunAsync(["delegate-link", Delegatee.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), "--dao", timestampDao.Name, "--json", "--config", bot.Host.ConfigPath], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        using var document = JsonDocument.Parse(stdout.ToString());
        var properties = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["url", "expiresAt"], properties);
        var url = document.RootElement.GetProperty("url").GetString()!;
        Assert.StartsWith(bot.BaseUrl.ToString().TrimEnd('/') + "/delegate/", url, StringComparison.Ordinal);
        var expiresAt = DateTimeOffset.Parse(document.RootElement.GetProperty("expiresAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - before, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));

        using var http = new HttpClient();
        using var page = await http.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"\"name\":\"{timestampDao.Name}\"", html, StringComparison.Ordinal);
        Assert.Contains(Delegatee, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DelegateLink_Plain_PrintsTheUrlAndExpiry()
    {
        await using var host = GovBotTestHost.Create([devnet.Dao]);
        var stdout = new StringWriter();

        Assert.Equal(0, await GovBotCli.RunAsync(["delegate-link", Delegatee, "--config", host.ConfigPath], stdout, new StringWriter()));

        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var publicBaseUrl = JsonNode.Parse(File.ReadAllText(host.ConfigPath))!["Web"]!["PublicBaseUrl"]!.GetValue<string>().TrimEnd('/');
        Assert.StartsWith(publicBaseUrl + "/delegate/", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("(expires ", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x12", null, "not an address")]
    [InlineData("0x0000000000000000000000000000000000000000", null, "zero address")]
    [InlineData(null, "nope", "Unknown DAO")]
    [InlineData(null, "no-key", "Web:LinkSigningKey")]
    public async Task DelegateLink_BadInputOrNoSigningKey_ExitsWith2AndOneClearLine_NothingOnStdout(string? address, string? dao, string expected)
    {
        await using var host = GovBotTestHost.Create([devnet.Dao], dao == "no-key" ? c => c["Web"]!["LinkSigningKey"] = "" : null);
        var args = new List<string> { "delegate-link", address ?? Delegatee, "--json", "--config", host.ConfigPath };
        if (dao is not null and not "no-key")
            args.AddRange(["--dao", dao]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(2, await GovBotCli.RunAsync([.. args], stdout, stderr));

        Assert.Equal("", stdout.ToString());
        var error = stderr.ToString().TrimEnd();
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain(GovBotTestHost.LinkSigningKey, error, StringComparison.Ordinal);
    }
}
