using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovBot.Delegation;
using static GovBot.Tests.Delegation.DelegationTestData;

namespace GovBot.Tests.Delegation;

public sealed partial class DelegationPageTests
{
    private const string Hostile = "</script><script>alert('x')</script> & \"quotes\" <!--";

    private static DelegationPageData Data(string name = "ENS") => new(
        new DelegationPageDao(name, 1, "0x1", Token, "ENS", 18),
        new DelegationPageDelegatee(Delegatee, Hostile, "123450000000000000000000", [new DelegationPageVote("42", Hostile, "For", Hostile)]),
        DelegationTypedData.ToJsonTemplate(Eip712Domain.OpenZeppelin("Ethereum Name Service", "1", 1, Token)),
        1_900_000_000,
        3600,
        Relayer: true,
        "https://etherscan.io/tx/");

    [Fact]
    public void Render_HostileStrings_CannotCloseTheDataScriptOrInjectMarkup()
    {
        var html = DelegationPage.Render(Data(Hostile));

        Assert.Equal(2, Regex.Count(html, "</script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.Contains("<title>Delegate &lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DataBlob_ParsesBackToTheSameValues()
    {
        var html = DelegationPage.Render(Data());
        var json = JsonNode.Parse(DataBlob().Match(html).Groups[1].Value)!;

        Assert.Equal(Delegatee, (string?)json["delegatee"]!["address"]);
        Assert.Equal(Hostile, (string?)json["delegatee"]!["displayName"]);
        Assert.Equal("123450000000000000000000", (string?)json["delegatee"]!["votingPower"]);
        Assert.Equal("0x1", (string?)json["dao"]!["chainIdHex"]);
        Assert.True((bool)json["relayer"]!);
        Assert.Equal(3600, (long)json["signatureValiditySeconds"]!);
        Assert.Equal("Delegation", (string?)json["typedData"]!["primaryType"]);
        Assert.Equal(Token, (string?)json["typedData"]!["domain"]!["verifyingContract"]);
        Assert.Null(json["typedData"]!["message"]);
    }

    [Fact]
    public void Render_LeavesNoPlaceholderAndUsesOnlyExternalSameOriginScripts()
    {
        var html = DelegationPage.Render(Data());

        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        foreach (Match script in ScriptTag().Matches(html))
            Assert.True(script.Value.Contains("src=\"assets/delegate.js?v=", StringComparison.Ordinal) || script.Value.Contains("type=\"application/json\"", StringComparison.Ordinal), script.Value);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"<[^>]*\son[a-z]+\s*=", html);
    }

    [Fact]
    public void Assets_AreEmbeddedAndSelfContained()
    {
        Assert.True(DelegationPage.TryGetAsset("delegate.js", out var js, out var jsType));
        Assert.True(DelegationPage.TryGetAsset("delegate.css", out var css, out var cssType));
        Assert.StartsWith("text/javascript", jsType, StringComparison.Ordinal);
        Assert.StartsWith("text/css", cssType, StringComparison.Ordinal);
        Assert.False(DelegationPage.TryGetAsset("delegate.html", out _, out _));
        Assert.False(DelegationPage.TryGetAsset("../GovBot.dll", out _, out _));

        var all = Encoding.UTF8.GetString(js) + Encoding.UTF8.GetString(css) + DelegationPage.Render(Data()).Replace("https://etherscan.io/tx/", "", StringComparison.Ordinal);
        Assert.DoesNotContain("http://", all, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", all, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_UsesOnlyElementIdsThePageHas_AndTheRightSelectors()
    {
        DelegationPage.TryGetAsset("delegate.js", out var bytes, out _);
        var js = Encoding.UTF8.GetString(bytes);
        var html = DelegationPage.Render(Data());

        foreach (Match id in ElementLookup().Matches(js))
            Assert.Contains($"id=\"{id.Groups[1].Value}\"", html, StringComparison.Ordinal);

        // keccak256("nonces(address)")[:4] and keccak256("delegate(address)")[:4]
        Assert.Contains("'0x" + Selector("nonces(address)") + "'", js, StringComparison.Ordinal);
        Assert.Contains("'0x" + Selector("delegate(address)") + "'", js, StringComparison.Ordinal);
    }

    private static string Selector(string signature) =>
        Convert.ToHexStringLower(Nethereum.Util.Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(signature)))[..8];

    [GeneratedRegex("<script type=\"application/json\" id=\"govbot-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataBlob();

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\$\('([a-z-]+)'\)")]
    private static partial Regex ElementLookup();
}
