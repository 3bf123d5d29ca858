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
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>
/// A COMP-style token on anvil (Compound's delegateBySig and EIP712Domain(name, chainId, verifyingContract): no
/// version, no ERC-5267 eip712Domain()). GovBot must build that domain from name(), hand the page typed data without
/// a version, and relay a signature MetaMask's own code made over Compound's definition of the domain.
/// </summary>
[Collection(DelegationDevnetCollection.Name)]
public sealed class CompStyleTokenRelayTests(DelegationDevnetFixture devnet)
{
    private const int Holder = 8;
    private const string DaoName = "comp-style";
    private static readonly string Delegatee = DelegationDevnetFixture.Address(2);

    [Fact]
    public async Task Relay_OnCompStyleTokenWithoutVersionOrEip712Domain_LandsOnChain_ThenReplayIsRefused()
    {
        var token = await DeployCompStyleTokenAsync();
        var holder = DelegationDevnetFixture.Address(Holder);
        await using var bot = await devnet.StartGovBotAsync(index: false, edit: config =>
        {
            var dao = DevnetConfig.Dao(devnet.Dao);
            dao["Name"] = DaoName;
            dao["Token"] = token;
            config["Daos"] = new JsonArray(dao);
        });
        var registry = bot.Services.GetRequiredService<DaoRegistry>();

        var facts = await bot.Services.GetRequiredService<DelegationChainReader>().ReadAsync(registry.Resolve(DaoName), holder, CancellationToken.None);
        Assert.Null(facts.Domain.Version);
        Assert.Equal("EIP712Domain(string name,uint256 chainId,address verifyingContract)", facts.Domain.EncodeType());
        Assert.Equal("Compound Style", facts.Domain.Name);
        Assert.Equal(token, facts.Domain.VerifyingContract);
        Assert.Equal(BigInteger.Zero, facts.DelegatorNonce);

        var link = bot.Services.GetRequiredService<DelegationService>().CreateLink(DaoName, Delegatee);
        using var http = new HttpClient();
        var html = await http.GetStringAsync(link.Url);
        var typedData = PageData(html)["typedData"]!;
        Assert.Null(typedData["domain"]!["version"]);
        Assert.Equal(["name", "chainId", "verifyingContract"], typedData["types"]!["EIP712Domain"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Contains("\"tokenSymbol\":\"CST\"", html, StringComparison.Ordinal);

        // Signed by MetaMask's eth-sig-util over typed data node builds from Compound's definition, not from GovBot's JSON.
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var signed = await NodeEip712Signer.SignAsync([new JsonObject
        {
            ["privateKey"] = DevnetAccounts.PrivateKeys[Holder],
            ["raw"] = new JsonObject
            {
                ["name"] = "Compound Style",
                ["chainId"] = devnet.Dao.ChainId,
                ["verifyingContract"] = token,
                ["delegatee"] = Delegatee,
                ["nonce"] = "0",
                ["expiry"] = expiry.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }]);
        var signature = signed[0].Signature ?? throw new InvalidOperationException(signed[0].Error);
        var body = new JsonObject { ["delegator"] = holder, ["nonce"] = "0", ["expiry"] = expiry.ToString(System.Globalization.CultureInfo.InvariantCulture), ["signature"] = signature }.ToJsonString();

        using var response = await http.PostAsync(link.Url, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        var receipt = await devnet.WaitForReceiptAsync(json["txHash"]!.GetValue<string>());
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(Delegatee, await DelegatesAsync(token, holder));
        // Nothing is indexed for this token: the page's voting power is COMP's getCurrentVotes, read live.
        Assert.Equal("1000000000000000000000", PageData(await http.GetStringAsync(link.Url))["delegatee"]!["votingPower"]!.GetValue<string>());

        var relayerNonce = await devnet.RelayerNonceAsync();
        using var replay = await http.PostAsync(link.Url, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        Assert.Contains("nonce", (await replay.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(relayerNonce, await devnet.RelayerNonceAsync());
    }

    private async Task<string> DeployCompStyleTokenAsync()
    {
        var artifact = (await ContractArtifacts.LoadAsync()).Get("CompStyleToken");
        var web3 = new Web3(new Account(DevnetAccounts.PrivateKeys[0], devnet.Dao.ChainId), devnet.Anvil.RpcUrl.ToString());
        web3.TransactionManager.UseLegacyAsDefault = false;
        var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(artifact.Abi, artifact.Bytecode, DevnetAccounts.Addresses[0],
            new Nethereum.Hex.HexTypes.HexBigInteger(3_000_000), null, DevnetAccounts.Addresses[Holder], BigInteger.Pow(10, 21));
        Assert.Equal(1, (int)receipt.Status.Value);
        return receipt.ContractAddress.ToLowerInvariant();
    }

    private async Task<string> DelegatesAsync(string token, string holder) =>
        (await devnet.Web3.Eth.GetContractQueryHandler<DelegatesFunction>().QueryAsync<string>(token, new DelegatesFunction { Account = holder })).ToLowerInvariant();

    private static JsonObject PageData(string html)
    {
        const string start = "<script type=\"application/json\" id=\"govbot-data\">";
        var from = html.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = html.IndexOf("</script>", from, StringComparison.Ordinal);
        return JsonNode.Parse(html[from..to])!.AsObject();
    }
}
