using System.Collections.Frozen;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GovBot.Delegation;

/// <summary>What the page at <c>/delegate/{token}</c> is told, as the JSON blob in <c>#govbot-data</c>.</summary>
/// <param name="Dao">The link's DAO.</param>
/// <param name="Delegatee">Who the holder delegates to.</param>
/// <param name="TypedData"><see cref="DelegationTypedData.ToJsonTemplate"/> of the token's domain: types, primaryType, domain; the page adds the message.</param>
/// <param name="LinkExpiresAt">Unix seconds.</param>
/// <param name="SignatureValiditySeconds">How far ahead the page sets the signature's expiry; must fit <see cref="DelegationRelayPolicy"/>.</param>
/// <param name="Relayer">True when the server relays <c>delegateBySig</c>; false makes the page send <c>delegate()</c> from the wallet.</param>
/// <param name="ExplorerTxUrl">Optional prefix for transaction links, e.g. "https://etherscan.io/tx/".</param>
public sealed record DelegationPageData(
    DelegationPageDao Dao,
    DelegationPageDelegatee Delegatee,
    JsonObject TypedData,
    long LinkExpiresAt,
    long SignatureValiditySeconds,
    bool Relayer,
    string? ExplorerTxUrl);

/// <param name="ChainId">As a JSON number (chain ids in use fit in 2^53).</param>
/// <param name="ChainIdHex">"0x1"-style, what <c>wallet_switchEthereumChain</c> takes.</param>
public sealed record DelegationPageDao(string Name, long ChainId, string ChainIdHex, string Token, string TokenSymbol, int Decimals);

/// <param name="VotingPower">Base units as a decimal string; the page formats it with the DAO's decimals.</param>
public sealed record DelegationPageDelegatee(string Address, string? DisplayName, string VotingPower, IReadOnlyList<DelegationPageVote> RecentVotes);

/// <param name="Support">"For", "Against" or "Abstain".</param>
public sealed record DelegationPageVote(string ProposalId, string? Title, string Support, string? Reason);

/// <summary>
/// The relay endpoint's answer: 200 <c>{"txHash":"0x…"}</c>, or 4xx/5xx <c>{"error":"…","errors":["…"]}</c>
/// (errors lists field problems from <see cref="DelegationRelayRequest.Parse"/>).
/// </summary>
public sealed record DelegationRelayResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TxHash,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Errors);

/// <summary>
/// Renders the delegation page from the embedded template and serves its static assets from the assembly.
/// The page must work under <c>Content-Security-Policy: default-src 'self'</c>: no inline script or style, no CDN.
/// </summary>
public static class DelegationPage
{
    public const string ContentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = LoadAssets();
    private static readonly string Template = Encoding.UTF8.GetString(Assets["delegate.html"].Content);

    /// <summary>Short content hash of the JS and CSS, appended to their URLs so browsers refetch after an upgrade.</summary>
    public static readonly string AssetVersion = Convert.ToHexStringLower(SHA256.HashData([.. Assets["delegate.js"].Content, .. Assets["delegate.css"].Content]))[..12];

    /// <summary>The page's HTML. The JSON blob is written with System.Text.Json's default encoder, which escapes &lt; &gt; &amp; ' so no data can close the script element.</summary>
    public static string Render(DelegationPageData data)
    {
        var json = JsonSerializer.Serialize(data, JsonOptions);
        return Template
            .Replace("{{title}}", WebUtility.HtmlEncode($"Delegate {data.Dao.Name} votes"), StringComparison.Ordinal)
            .Replace("{{assetVersion}}", AssetVersion, StringComparison.Ordinal)
            .Replace("{{data}}", json, StringComparison.Ordinal);
    }

    /// <summary>Serves <c>delegate.js</c>, <c>delegate.css</c> and <c>icon.svg</c> (for <c>/delegate/assets/{name}</c>); anything else is not found.</summary>
    public static bool TryGetAsset(string name, out byte[] content, out string contentType)
    {
        if (name is "delegate.js" or "delegate.css" or "icon.svg" && Assets.TryGetValue(name, out var asset))
        {
            (content, contentType) = asset;
            return true;
        }
        content = [];
        contentType = "";
        return false;
    }

    private static FrozenDictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = typeof(DelegationPage).Assembly;
        const string prefix = "GovBot.Delegation.wwwroot.";
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = (buffer.ToArray(), type);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
