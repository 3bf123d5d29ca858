using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using GovBot.Chat;
using GovBot.Delegation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>
/// The delegation page in a real browser (Debian chromium through Playwright) against GovBot's real host and anvil,
/// with a wallet injected as window.ethereum: connect, sign, the page POSTs, the relay lands on chain.
/// </summary>
[Collection(DelegationDevnetCollection.Name)]
public sealed class DelegationPageBrowserTests(DelegationDevnetFixture devnet, ITestOutputHelper output)
{
    private const string Payload = "<img src=x onerror=alert(1)>";
    private static readonly string Delegatee = DelegationDevnetFixture.Address(3);
    private static readonly string SelfDelegate = DelegationDevnetFixture.Address(0);

    [Fact]
    public async Task Page_ConnectAndSign_RelaysDelegateBySig_DelegationLands_OnlyGovBotOriginRequested_ProposalTitlesEscaped()
    {
        const int holder = 4;
        await using var bot = await devnet.StartGovBotAsync();
        MakeProposalTitlesHostile(bot);
        var link = bot.Services.GetRequiredService<DelegationService>().CreateLink(null, SelfDelegate);
        Assert.NotEqual(SelfDelegate, await devnet.DelegatesAsync(DelegationDevnetFixture.Address(holder)));

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var wallet = new InjectedWallet(devnet.Anvil.RpcUrl, holder);
        await wallet.InstallAsync(chromium.Context);
        var (page, watch) = await OpenAsync(chromium, link.Url);

        await Expect(page.Locator("#dao-name")).ToHaveTextAsync("devnet");
        await Expect(page.Locator("#delegatee-address")).ToHaveTextAsync(SelfDelegate);
        await Expect(page.Locator("#delegatee-power")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})? GBT$"));
        await Expect(page.Locator("#mode-relay")).ToBeVisibleAsync();
        await Expect(page.Locator("#send")).ToBeHiddenAsync();
        var votes = page.Locator("#recent-votes li");
        Assert.True(await votes.CountAsync() >= 3, "the delegatee's recent votes are listed");
        Assert.Contains(Payload, await page.Locator("#recent-votes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#recent-votes img").CountAsync());
        Assert.Contains("Fewer proposals, fewer mistakes.", await page.Locator("#recent-votes").InnerTextAsync(), StringComparison.Ordinal);

        await page.ClickAsync("#connect");
        await Expect(page.Locator("#account")).ToHaveTextAsync(wallet.Address);
        await Expect(page.Locator("#sign")).ToBeEnabledAsync();
        await Expect(page.Locator("#connect")).ToBeHiddenAsync();
        await Expect(page.Locator("#holder-balance")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[1-9][0-9]{0,2}(,[0-9]{3})*(\.[0-9]{1,2})? GBT$"));
        await Expect(page.Locator("#no-balance")).ToBeHiddenAsync();
        await SaveScreenshotAsync(page, "delegate-desktop-connected.png");

        var signed = Stopwatch.StartNew();
        await page.ClickAsync("#sign");
        await Expect(page.Locator("#result")).ToBeVisibleAsync();
        var shownAfter = signed.Elapsed;
        var txHash = await page.Locator("#tx-hash").InnerTextAsync();
        Assert.Matches("^0x[0-9a-f]{64}$", txHash);
        await Expect(page.Locator("#error")).ToBeHiddenAsync();
        await Expect(page.Locator("#sign")).ToBeHiddenAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Confirmed in block");
        await Expect(page.Locator("#status")).ToContainTextAsync("votes now go to " + SelfDelegate);
        var receipt = await devnet.WaitForReceiptAsync(txHash);
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(SelfDelegate, await devnet.DelegatesAsync(wallet.Address));
        Assert.Contains(SelfDelegate, wallet.SignedTypedData!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("eth_signTypedData_v4", wallet.Calls);
        Assert.DoesNotContain("eth_sendTransaction", wallet.Calls);
        output.WriteLine($"page: loaded in {watch.Loaded.TotalMilliseconds:F0} ms; sign click to tx hash shown {shownAfter.TotalMilliseconds:F0} ms; wallet calls: {string.Join(", ", wallet.Calls)}");

        await SaveScreenshotAsync(page, "delegate-desktop-relayed.png");
        await page.SetViewportSizeAsync(390, 844);
        await SaveScreenshotAsync(page, "delegate-mobile-relayed.png");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");

        watch.AssertClean(bot.BaseUrl);
        Assert.Contains(watch.Requests, r => r.Method == "POST" && r.Url == link.Url.ToString());
    }

    [Fact]
    public async Task Page_WithNoRelayer_SendsDelegateFromTheWallet_DelegationLands_AndTheChatHearsBackOnceIndexed()
    {
        const int holder = 1;
        await using var bot = await devnet.StartGovBotAsync(config => config["Relayer"] = new JsonObject());
        var reply = await bot.Services.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest(
            ChatSurface.Discord, "998877", "42", "delegate", new Dictionary<string, string> { ["address"] = Delegatee }, "/delegate"), CancellationToken.None);
        var link = new Uri(Assert.Single(reply.Links).Url);
        Assert.Contains("you pay the gas", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("no gas", reply.Body, StringComparison.Ordinal);
        Assert.NotEqual(Delegatee, await devnet.DelegatesAsync(DelegationDevnetFixture.Address(holder)));
        var relayerNonce = await devnet.RelayerNonceAsync();

        await using var chromium = await HeadlessChromium.LaunchAsync(390, 844);
        var wallet = new InjectedWallet(devnet.Anvil.RpcUrl, holder);
        await wallet.InstallAsync(chromium.Context);
        var (page, watch) = await OpenAsync(chromium, link);

        await Expect(page.Locator("#mode-wallet")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign")).ToBeHiddenAsync();
        await page.ClickAsync("#connect");
        await Expect(page.Locator("#send")).ToBeEnabledAsync();
        var reported = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#send"), r => r.Url == link + "/sent");
        Assert.Equal(202, reported.Status);
        await Expect(page.Locator("#result")).ToBeVisibleAsync();
        var txHash = await page.Locator("#tx-hash").InnerTextAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Confirmed in block");

        var receipt = await devnet.WaitForReceiptAsync(txHash);
        var tx = await devnet.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(txHash);
        Assert.True(receipt.Status.Value == 1, $"delegate() reverted: gas limit {tx.Gas.Value}, used {receipt.GasUsed.Value}, input {tx.Input}");
        Assert.Equal(wallet.Address, receipt.From.ToLowerInvariant());
        Assert.Equal(Delegatee, await devnet.DelegatesAsync(wallet.Address));
        Assert.Equal(relayerNonce, await devnet.RelayerNonceAsync());
        Assert.DoesNotContain("eth_signTypedData_v4", wallet.Calls);
        // Regression: without its own padded estimate the page let anvil fill the gas exactly, and delegate() ran out of
        // gas whenever the delegatee's checkpoint had been written in the latest block (it was, by the relay tests).
        Assert.Contains("eth_estimateGas", wallet.Calls);
        Assert.True(tx.Gas.Value > receipt.GasUsed.Value, $"gas limit {tx.Gas.Value} leaves no headroom over {receipt.GasUsed.Value}");
        await SaveScreenshotAsync(page, "delegate-mobile-wallet-sent.png");
        watch.AssertClean(bot.BaseUrl);
        Assert.Equal([link + "/sent"], watch.Requests.Where(r => r.Method == "POST").Select(r => r.Url));

        // The wallet's transaction is announced to the Discord channel that asked, once the indexer has its DelegateChanged.
        var followups = bot.Services.GetRequiredService<DelegationFollowups>();
        Assert.Equal(0, await followups.AnnounceIndexedAsync("devnet", CancellationToken.None));
        await bot.Services.GetRequiredService<GovBot.Chain.ProposalIndexer>().CatchUpAsync(bot.Services.GetRequiredService<GovBot.Chain.DaoRegistry>().Default, null, CancellationToken.None);
        Assert.Equal(1, await followups.AnnounceIndexedAsync("devnet", CancellationToken.None));
        using var connection = new SqliteConnection($"Data Source={bot.Host.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT surface || ' ' || chat_id || ' ' || reply_json FROM outbox WHERE kind = 'delegation'";
        var row = (string)command.ExecuteScalar()!;
        Assert.StartsWith("Discord 998877 ", row, StringComparison.Ordinal);
        Assert.Contains(txHash, row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WalletOnAnotherNetwork_CannotSignUntilItSwitches_ThenSigns()
    {
        const int holder = 2;
        await using var bot = await devnet.StartGovBotAsync(index: false);
        var link = bot.Services.GetRequiredService<DelegationService>().CreateLink(null, Delegatee);

        await using var chromium = await HeadlessChromium.LaunchAsync(390, 844);
        var wallet = new InjectedWallet(devnet.Anvil.RpcUrl, holder) { StartOnChain = "0x1" };
        await wallet.InstallAsync(chromium.Context);
        var (page, watch) = await OpenAsync(chromium, link.Url);

        await page.ClickAsync("#connect");
        await Expect(page.Locator("#switch-chain")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign")).ToBeDisabledAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Your wallet is on another network (chain 1); switch to chain 31337 to continue.");
        await SaveScreenshotAsync(page, "delegate-mobile-wrong-network.png");
        Assert.DoesNotContain("eth_signTypedData_v4", wallet.Calls);

        await page.ClickAsync("#switch-chain");
        await Expect(page.Locator("#switch-chain")).ToBeHiddenAsync();
        await Expect(page.Locator("#sign")).ToBeEnabledAsync();
        await page.ClickAsync("#sign");
        await Expect(page.Locator("#status")).ToContainTextAsync("Confirmed in block");
        Assert.Equal(Delegatee, await devnet.DelegatesAsync(wallet.Address));
        Assert.Contains("wallet_switchEthereumChain", wallet.Calls);
        watch.AssertClean(bot.BaseUrl);
    }

    [Fact]
    public async Task Page_WalletWithoutTokens_SaysSoAndOffersNothingToSign()
    {
        const int tokenless = 7;
        await using var bot = await devnet.StartGovBotAsync(index: false);
        var link = bot.Services.GetRequiredService<DelegationService>().CreateLink(null, Delegatee);

        await using var chromium = await HeadlessChromium.LaunchAsync(390, 844);
        var wallet = new InjectedWallet(devnet.Anvil.RpcUrl, tokenless);
        await wallet.InstallAsync(chromium.Context);
        var (page, watch) = await OpenAsync(chromium, link.Url);

        await page.ClickAsync("#connect");
        await Expect(page.Locator("#holder-balance")).ToHaveTextAsync("0 GBT");
        await Expect(page.Locator("#no-balance")).ToHaveTextAsync("This account holds no GBT, so it has no votes to delegate. Connect the account that holds your GBT.");
        await Expect(page.Locator("#sign")).ToBeDisabledAsync();
        await SaveScreenshotAsync(page, "delegate-mobile-no-tokens.png");
        Assert.DoesNotContain("eth_signTypedData_v4", wallet.Calls);
        Assert.DoesNotContain(watch.Requests, r => r.Method == "POST");
        watch.AssertClean(bot.BaseUrl);
    }

    [Fact]
    public async Task Page_ForExpiredLink_ShowsWhyAndOffersNothingToSign()
    {
        await using var bot = await devnet.StartGovBotAsync(index: false);
        var registry = bot.Services.GetRequiredService<GovBot.Chain.DaoRegistry>();
        var old = new DelegationLinkSigner(GovBotTestHost.LinkSigningKey, bot.BaseUrl.ToString(), registry.All.Select(d => d.Options),
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2))).Create(registry.Default.Options, Delegatee);

        await using var chromium = await HeadlessChromium.LaunchAsync(390, 844);
        var (page, watch) = await OpenAsync(chromium, old.Url, expectedStatus: 410);
        await Expect(page.Locator("h1")).ToHaveTextAsync("This delegation link cannot be used");
        await Expect(page.Locator("main")).ToContainTextAsync("expired");
        Assert.Equal(0, await page.Locator("button").CountAsync());
        await SaveScreenshotAsync(page, "delegate-mobile-expired.png");
        watch.AssertClean(bot.BaseUrl);
    }

    /// <summary>Proposal text is untrusted: give every title the delegatee voted on an HTML payload, as a hostile proposer could.</summary>
    private static void MakeProposalTitlesHostile(RunningGovBot bot)
    {
        using var connection = new SqliteConnection($"Data Source={bot.Host.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE proposals SET title = @payload || ' ' || title";
        command.Parameters.AddWithValue("@payload", Payload);
        Assert.True(command.ExecuteNonQuery() > 0);
    }

    private static async Task<(IPage Page, PageWatch Watch)> OpenAsync(HeadlessChromium chromium, Uri url, int expectedStatus = 200)
    {
        var page = chromium.Context.Pages.Count > 0 ? chromium.Context.Pages[0] : await chromium.Context.NewPageAsync();
        var watch = new PageWatch(page);
        var stopwatch = Stopwatch.StartNew();
        var response = await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        watch.Loaded = stopwatch.Elapsed;
        Assert.NotNull(response);
        Assert.Equal(expectedStatus, response.Status);
        var headers = await response.AllHeadersAsync();
        Assert.True(headers.TryGetValue("content-security-policy", out var csp), "the page is served with a Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        return (page, watch);
    }

    private async Task SaveScreenshotAsync(IPage page, string fileName)
    {
        var path = HeadlessChromium.ArtifactPath(fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>Records every request, console error and dialog, so a test can assert the page stayed on GovBot's origin and ran clean.</summary>
    private sealed class PageWatch
    {
        private readonly ConcurrentQueue<(string Method, string Url)> _requests = new();
        private readonly ConcurrentQueue<string> _problems = new();

        public PageWatch(IPage page)
        {
            page.Request += (_, request) => _requests.Enqueue((request.Method, request.Url));
            page.Console += (_, message) =>
            {
                // A failed load is reported with its URL below; the console line for it has none.
                if (message.Type is "error" or "warning" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                    _problems.Enqueue($"console {message.Type}: {message.Text}");
            };
            page.Response += (_, response) =>
            {
                if (response.Status >= 400 && response.Request.ResourceType != "document")
                    _problems.Enqueue($"{response.Status} for {response.Request.Method} {response.Url}");
            };
            page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
            page.Dialog += async (_, dialog) =>
            {
                _problems.Enqueue($"dialog: {dialog.Message}");
                await dialog.DismissAsync();
            };
        }

        public TimeSpan Loaded { get; set; }

        public IReadOnlyCollection<(string Method, string Url)> Requests => _requests;

        public void AssertClean(Uri origin)
        {
            var expected = origin.GetLeftPart(UriPartial.Authority);
            Assert.NotEmpty(_requests);
            var elsewhere = _requests.Where(r => new Uri(r.Url).GetLeftPart(UriPartial.Authority) != expected).ToList();
            Assert.True(elsewhere.Count == 0, "requests outside GovBot's origin: " + string.Join(", ", elsewhere));
            // CSP violations, script errors, alerts and failed sub-resources are all bugs.
            Assert.True(_problems.IsEmpty, string.Join("\n", _problems));
        }
    }
}
