using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Delegation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Xunit.Abstractions;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>
/// POST /delegate/{token} on a real anvil through GovBot's real host: a holder's signature is relayed as delegateBySig
/// and lands on chain; every refusal says why and sends nothing (the relayer's nonce does not move).
/// </summary>
[Collection(DelegationDevnetCollection.Name)]
public sealed class DelegationRelayEndpointTests(DelegationDevnetFixture devnet, ITestOutputHelper output)
{
    private const int Holder = 5;
    private const int Stranger = 6;
    private const int Tokenless = 7;
    private static readonly string Delegatee = DelegationDevnetFixture.Address(3);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task Relay_SignedByHolder_Returns200AndDelegationLands_ThenTheSameSignatureIsRefusedAsReplay()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var holder = DelegationDevnetFixture.Address(Holder);
        Assert.NotEqual(Delegatee, await devnet.DelegatesAsync(holder));
        var link = CreateLink(bot, Delegatee);
        var body = await SignedBodyAsync(bot, Holder, Holder, Delegatee);

        var sent = Stopwatch.StartNew();
        var response = await PostAsync(link, body);
        var answered = sent.Elapsed;
        var json = await ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        var txHash = json["txHash"]!.GetValue<string>();
        Assert.Matches("^0x[0-9a-f]{64}$", txHash);

        var receipt = await devnet.WaitForReceiptAsync(txHash);
        var mined = sent.Elapsed;
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(DevnetAccounts.Addresses[9].ToLowerInvariant(), receipt.From.ToLowerInvariant());
        Assert.Equal(devnet.Dao.Token.ToLowerInvariant(), receipt.To.ToLowerInvariant());
        Assert.Equal(Delegatee, await devnet.DelegatesAsync(holder));
        output.WriteLine($"relay: POST answered in {answered.TotalMilliseconds:F0} ms, receipt after {mined.TotalMilliseconds:F0} ms, gas used {receipt.GasUsed.Value}");

        var relayerNonce = await devnet.RelayerNonceAsync();
        var replay = await PostAsync(link, body);
        var replayJson = await ReadJsonAsync(replay);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        Assert.Contains("nonce", replayJson["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(relayerNonce, await devnet.RelayerNonceAsync());
    }

    /// <summary>
    /// ERC20Votes pushes a new checkpoint slot when a delegate's votes change in a new block, but updates it in place
    /// within the same block. The wallet path ran out of gas exactly so (anvil filled gas from the latest block, where
    /// the delegatee's checkpoint had just been written); this pins that the relayer's estimate-then-send does not.
    /// </summary>
    [Fact]
    public async Task Relay_RightAfterTheDelegateesVotesChangedInTheLatestBlock_DoesNotRunOutOfGas()
    {
        await using var bot = await devnet.StartGovBotAsync(index: false);
        var link = CreateLink(bot, Delegatee);
        // Two holders delegate to the same delegatee in consecutive blocks: the second estimate sees the first's checkpoint.
        foreach (var holder in new[] { 0, 2 })
        {
            var response = await PostAsync(link, await SignedBodyAsync(bot, holder, holder, Delegatee));
            var json = await ReadJsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"holder {holder}: {(int)response.StatusCode} {json}");
            var receipt = await devnet.WaitForReceiptAsync(json["txHash"]!.GetValue<string>());
            Assert.True(receipt.Status.Value == 1, $"holder {holder}: delegateBySig reverted on chain, gas used {receipt.GasUsed.Value}");
            Assert.Equal(Delegatee, await devnet.DelegatesAsync(DelegationDevnetFixture.Address(holder)));
        }
    }

    [Fact]
    public async Task Relay_WithTamperedLink_Returns400AndSendsNothing()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var link = CreateLink(bot, Delegatee);
        // Point the payload at another delegatee: the MAC no longer matches.
        var parts = link.Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[0])).Replace(Delegatee, DelegationDevnetFixture.Address(Stranger), StringComparison.Ordinal);
        var tampered = Base64UrlEncode(Encoding.UTF8.GetBytes(payload)) + "." + parts[1];
        Assert.NotEqual(link.Token, tampered);

        await AssertRefusedAsync(new Uri(bot.BaseUrl, "/delegate/" + tampered), await SignedBodyAsync(bot, Holder, Holder, Delegatee), HttpStatusCode.BadRequest);
        var page = await Http.GetAsync(new Uri(bot.BaseUrl, "/delegate/" + tampered));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("cannot be used", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_WithExpiredLink_Returns410AndSendsNothing()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var registry = bot.Services.GetRequiredService<DaoRegistry>();
        var issuedTwoDaysAgo = new DelegationLinkSigner(GovBotTestHost.LinkSigningKey, bot.BaseUrl.ToString(), registry.All.Select(d => d.Options),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2)));
        var link = issuedTwoDaysAgo.Create(registry.Default.Options, Delegatee);

        var error = await AssertRefusedAsync(link.Url, await SignedBodyAsync(bot, Holder, Holder, Delegatee), HttpStatusCode.Gone);
        Assert.Contains("expired", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await Http.GetAsync(link.Url)).StatusCode);
    }

    [Fact]
    public async Task Relay_SignedBySomeoneElse_Returns422AndSendsNothing()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var link = CreateLink(bot, Delegatee);
        var body = await SignedBodyAsync(bot, claimedDelegator: Holder, signer: Stranger, Delegatee);

        var error = await AssertRefusedAsync(link.Url, body, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not from", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_SignedForAnotherDelegatee_Returns422AndSendsNothing()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var link = CreateLink(bot, Delegatee);
        var body = await SignedBodyAsync(bot, Holder, Holder, DelegationDevnetFixture.Address(Stranger));

        await AssertRefusedAsync(link.Url, body, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Relay_WhenTheDaosRpcIsOnAnotherChainThanTheLink_Returns502AndSendsNothing()
    {
        // A DAO configured as chain 1 whose RPC is really anvil (31337): a misconfiguration the relayer must not act on.
        await using var bot = await devnet.StartGovBotAsync(index: false, edit: config =>
        {
            var wrong = DevnetConfig.Dao(devnet.Dao);
            wrong["Name"] = "wrong-chain";
            wrong["ChainId"] = 1;
            config["Daos"]!.AsArray().Add(wrong);
        });
        var link = bot.Services.GetRequiredService<DelegationService>().CreateLink("wrong-chain", Delegatee);
        Assert.Equal(1, link.Link.ChainId);

        var error = await AssertRefusedAsync(link.Url, await SignedBodyAsync(bot, Holder, Holder, Delegatee), HttpStatusCode.BadGateway);
        Assert.Contains("chain 31337", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_WithMalformedHex_Returns400ListingEveryBadField()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var link = CreateLink(bot, Delegatee);
        var body = new JsonObject
        {
            ["delegator"] = "0xnot-an-address",
            ["nonce"] = "0",
            ["expiry"] = "-5",
            ["signature"] = "0x" + new string('z', 130),
        };

        var (status, json) = await PostAndReadAsync(link.Url, body.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(json["error"]?.GetValue<string>()));
        var errors = json["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.StartsWith("delegator", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("expiry", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("signature", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("nonce", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_WithTenMegabyteBody_Returns413WithoutReadingIt_AlsoWhenChunkedNotEmptyBody400()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var link = CreateLink(bot, Delegatee);
        const long tenMegabytes = 10L * 1024 * 1024;
        var relayerNonce = await devnet.RelayerNonceAsync();

        // Declared length: with Expect: 100-continue the client waits for the server's go-ahead, which never comes,
        // because the endpoint answers from Content-Length alone.
        var declared = new CountingContent(tenMegabytes, declareLength: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, link.Url) { Content = declared };
        request.Headers.ExpectContinue = true;
        var stopwatch = Stopwatch.StartNew();
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 4096", (await ReadJsonAsync(response))["error"]!.GetValue<string>(), StringComparison.Ordinal);
        output.WriteLine($"10 MB with Content-Length: 413 in {stopwatch.ElapsedMilliseconds} ms, {declared.BytesProduced} bytes sent");
        Assert.True(declared.BytesProduced < tenMegabytes / 10, $"the client sent {declared.BytesProduced} bytes before the 413");

        // No declared length (chunked): the endpoint stops reading after 4 KiB + 1. This once answered 400 "the body is
        // empty" (a conditional typed Memory<byte> turned the null into an empty body). Kestrel drains the rest itself.
        var chunked = new CountingContent(tenMegabytes, declareLength: false);
        stopwatch.Restart();
        using var fresh = new HttpClient();
        using var chunkedResponse = await fresh.PostAsync(link.Url, chunked);
        Assert.True(chunkedResponse.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)chunkedResponse.StatusCode}: {await chunkedResponse.Content.ReadAsStringAsync()}");
        output.WriteLine($"10 MB chunked: 413 in {stopwatch.ElapsedMilliseconds} ms, {chunked.BytesProduced} bytes sent");
        Assert.Equal(relayerNonce, await devnet.RelayerNonceAsync());
    }

    [Fact]
    public async Task Relay_ForHolderWithZeroTokens_Returns422AndSendsNothing()
    {
        await using var bot = await devnet.StartGovBotAsync();
        var link = CreateLink(bot, Delegatee);

        var error = await AssertRefusedAsync(link.Url, await SignedBodyAsync(bot, Tokenless, Tokenless, Delegatee), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("holds none", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_WithNoRelayerConfigured_Returns409AndThePageOffersTheWalletTransaction()
    {
        await using var bot = await devnet.StartGovBotAsync(config => config["Relayer"] = new JsonObject());
        var link = CreateLink(bot, Delegatee);

        var error = await AssertRefusedAsync(link.Url, await SignedBodyAsync(bot, Holder, Holder, Delegatee), HttpStatusCode.Conflict);
        Assert.Contains("delegate()", error, StringComparison.Ordinal);
        var html = await Http.GetStringAsync(link.Url);
        Assert.Contains("\"relayer\":false", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rotated-key", 400, "no longer in use")]
    [InlineData("other-dao", 400, "does not serve")]
    public async Task LinkAfterKeyRotationOrForAnotherDao_PageAndRelayRefuseClearly_NothingSent(string variant, int status, string expected)
    {
        await using var bot = await devnet.StartGovBotAsync(index: false);
        var registry = bot.Services.GetRequiredService<DaoRegistry>();
        var other = registry.Default.Options with { Name = "some-other-dao" };
        var signer = variant == "rotated-key"
            ? new DelegationLinkSigner("the-key-before-the-rotation-0123456789abcdef", bot.BaseUrl.ToString(), [registry.Default.Options], TimeProvider.System)
            : new DelegationLinkSigner(GovBotTestHost.LinkSigningKey, bot.BaseUrl.ToString(), [other], TimeProvider.System);
        var link = signer.Create(variant == "rotated-key" ? registry.Default.Options : other, Delegatee);

        using var page = await Http.GetAsync(link.Url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)page.StatusCode);
        Assert.Contains("<h1>This delegation link cannot be used</h1>", html, StringComparison.Ordinal);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);

        var error = await AssertRefusedAsync(link.Url, await SignedBodyAsync(bot, Holder, Holder, Delegatee), (HttpStatusCode)status);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_WhenTheRelayerHasNoEthForGas_Answers503SayingSo_AndSendsNothing()
    {
        var brokeRelayer = Nethereum.Signer.EthECKey.GenerateKey();
        await using var bot = await devnet.StartGovBotAsync(index: false, edit: config => config["Relayer"] = new JsonObject { ["PrivateKey"] = brokeRelayer.GetPrivateKey() });
        var link = CreateLink(bot, Delegatee);

        var error = await AssertRefusedAsync(link.Url, await SignedBodyAsync(bot, Holder, Holder, Delegatee), HttpStatusCode.ServiceUnavailable);

        Assert.Contains("relayer cannot pay for gas", error, StringComparison.Ordinal);
        Assert.Equal(0, (await devnet.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(brokeRelayer.GetPublicAddress())).Value);
    }

    [Fact]
    public async Task RelaySession_LogsTheRelay_ButNeverTheRelayerKeyOrTheLinkSigningKey()
    {
        var logs = new GovBot.IntegrationTests.Telegram.CapturingLoggerProvider();
        await using var bot = await devnet.StartGovBotAsync(index: false,
            services: s =>
            {
                s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
                // Everything, from every category (ASP.NET, HttpClient, Nethereum), not just what a one-shot host keeps.
                s.Configure<Microsoft.Extensions.Logging.LoggerFilterOptions>(o =>
                {
                    o.Rules.Clear();
                    o.MinLevel = Microsoft.Extensions.Logging.LogLevel.Trace;
                });
            });
        // Holder 0 to account 2: other tests here assume holder 5 has not yet delegated to the usual delegatee.
        const int holder = 0;
        var delegatee = DelegationDevnetFixture.Address(2);
        var link = CreateLink(bot, delegatee);

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(link.Url)).StatusCode);
        var (refused, _) = await PostAndReadAsync(link.Url, await SignedBodyAsync(bot, holder, Stranger, delegatee));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        var (ok, json) = await PostAndReadAsync(link.Url, await SignedBodyAsync(bot, holder, holder, delegatee));
        Assert.True(ok == HttpStatusCode.OK, json.ToJsonString());
        await devnet.WaitForReceiptAsync(json["txHash"]!.GetValue<string>());

        var all = string.Join('\n', logs.Lines);
        Assert.Contains("Relayed delegateBySig", all, StringComparison.Ordinal);
        var relayerKey = DevnetAccounts.PrivateKeys[9];
        Assert.DoesNotContain(relayerKey[2..], all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(GovBotTestHost.LinkSigningKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(GovBotTestHost.LinkSigningKey)), all, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Page_ShowsTheDelegateesVotingPowerReadFromTheToken_NotTheLaggingIndex()
    {
        await using var bot = await devnet.StartGovBotAsync(index: false);
        var link = CreateLink(bot, Delegatee);
        var onChain = await devnet.Web3.Eth.GetContractQueryHandler<GetVotesFunction>().QueryAsync<BigInteger>(devnet.Dao.Token, new GetVotesFunction { Account = Delegatee });
        Assert.True(onChain > 0, "the seeded delegatee has voting power");

        var html = await Http.GetStringAsync(link.Url);

        Assert.Contains($"\"votingPower\":\"{onChain}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WhenTheDaosNodeIsDown_Answers503WithAClearPageSayingTheLinkStillWorks()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadRpc = $"http://127.0.0.1:{((IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop();
        await using var bot = await devnet.StartGovBotAsync(index: false, edit: config => config["Daos"]![0]!["Rpc"] = deadRpc);
        var link = CreateLink(bot, Delegatee);

        using var page = await Http.GetAsync(link.Url);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>The chain is not reachable right now</h1>", html, StringComparison.Ordinal);
        Assert.Contains("this link still works", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        var wellFormed = new JsonObject
        {
            ["delegator"] = DelegationDevnetFixture.Address(Holder),
            ["nonce"] = "0",
            ["expiry"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["signature"] = "0x" + new string('1', 128) + "1b",
        };
        var error = await AssertRefusedAsync(link.Url, wellFormed.ToJsonString(), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("not reachable", error, StringComparison.Ordinal);
    }

    private static SignedDelegationLink CreateLink(RunningGovBot bot, string delegatee, string? dao = null) =>
        bot.Services.GetRequiredService<DelegationService>().CreateLink(dao, delegatee);

    /// <summary>
    /// The body the page would POST: the domain and nonce are read from the chain, and the signature is made by
    /// Nethereum's own EIP-712 signer (not GovBot's digest code) over GovBot's eth_signTypedData_v4 JSON.
    /// </summary>
    private static Task<string> SignedBodyAsync(RunningGovBot bot, int claimedDelegator, int signer, string delegatee) =>
        DelegationDevnetFixture.SignedRelayBodyAsync(bot, claimedDelegator, signer, delegatee);

    /// <summary>Asserts the status, a non-empty error, and that nothing was sent: neither the relayer's nonce nor the holder's delegate moved.</summary>
    private async Task<string> AssertRefusedAsync(Uri url, string body, HttpStatusCode expected)
    {
        var relayerNonce = await devnet.RelayerNonceAsync();
        var holderDelegate = await devnet.DelegatesAsync(DelegationDevnetFixture.Address(Holder));
        var (status, json) = await PostAndReadAsync(url, body);
        var error = json["error"]?.GetValue<string>();
        output.WriteLine($"{(int)status}: {error}");
        Assert.True(status == expected, $"expected {(int)expected}, got {(int)status}: {json}");
        Assert.False(string.IsNullOrWhiteSpace(error), json.ToJsonString());
        Assert.Equal(relayerNonce, await devnet.RelayerNonceAsync());
        Assert.Equal(holderDelegate, await devnet.DelegatesAsync(DelegationDevnetFixture.Address(Holder)));
        return error!;
    }

    private static async Task<HttpResponseMessage> PostAsync(SignedDelegationLink link, string body) =>
        await Http.PostAsync(link.Url, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<(HttpStatusCode Status, JsonObject Json)> PostAndReadAsync(Uri url, string body)
    {
        using var response = await Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>A large body produced lazily, counting what the client actually sent.</summary>
    private sealed class CountingContent(long length, bool declareLength) : HttpContent
    {
        private long _produced;

        public long BytesProduced => Interlocked.Read(ref _produced);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, length - sent);
                await stream.WriteAsync(chunk.AsMemory(0, size));
                Interlocked.Add(ref _produced, size);
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return declareLength;
        }
    }
}
