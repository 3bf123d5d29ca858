using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Chain.Devnet;
using Microsoft.Playwright;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>
/// An EIP-1193 provider (window.ethereum) injected into the page, backed by .NET: reads go to anvil, accounts are the
/// holder's, eth_signTypedData_v4 signs with the holder's devnet key through Nethereum's own EIP-712 signer, and
/// eth_sendTransaction is sent by anvil (its dev accounts are unlocked). The page reaches .NET through a Playwright
/// binding, not the network, so the page's own requests stay exactly what a real wallet would leave.
/// </summary>
public sealed class InjectedWallet(Uri rpc, int account)
{
    private const string BindingName = "__govbotTestWallet";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ConcurrentQueue<string> _calls = new();

    public string Address { get; } = DevnetAccounts.Addresses[account].ToLowerInvariant();

    /// <summary>When set, the wallet starts on this chain (hex, e.g. "0x1") and moves to anvil's only on wallet_switchEthereumChain.</summary>
    public string? StartOnChain { get; init; }

    private bool _switched;

    /// <summary>Every method the page called, in order.</summary>
    public IReadOnlyCollection<string> Calls => _calls;

    /// <summary>The typed data the page asked to sign (JSON), when it did.</summary>
    public string? SignedTypedData { get; private set; }

    public async Task InstallAsync(IBrowserContext context)
    {
        await context.ExposeFunctionAsync<string, string, Task<string>>(BindingName, HandleAsync);
        await context.AddInitScriptAsync($$"""
            (() => {
              const listeners = {};
              window.ethereum = {
                isGovBotTestWallet: true,
                on(event, fn) { (listeners[event] = listeners[event] || []).push(fn); },
                removeListener(event, fn) { listeners[event] = (listeners[event] || []).filter(f => f !== fn); },
                async request(args) {
                  const reply = JSON.parse(await window.{{BindingName}}(args.method, JSON.stringify(args.params === undefined ? [] : args.params)));
                  if (reply.error) {
                    const error = new Error(reply.error.message);
                    error.code = reply.error.code;
                    throw error;
                  }
                  return reply.result;
                },
              };
            })();
            """);
    }

    private async Task<string> HandleAsync(string method, string paramsJson)
    {
        _calls.Enqueue(method);
        var parameters = JsonNode.Parse(paramsJson)!.AsArray();
        try
        {
            switch (method)
            {
                case "eth_requestAccounts" or "eth_accounts":
                    return Result(new JsonArray(Address));
                case "eth_signTypedData_v4":
                    if (!string.Equals(parameters[0]!.GetValue<string>(), Address, StringComparison.OrdinalIgnoreCase))
                        return Error(4100, "the page asked to sign for an account this wallet does not hold");
                    SignedTypedData = parameters[1]!.GetValue<string>();
                    var key = new EthECKey(DevnetAccounts.PrivateKeys[Array.FindIndex([.. DevnetAccounts.Addresses], a => a.Equals(Address, StringComparison.OrdinalIgnoreCase))]);
                    return Result(JsonValue.Create(Eip712TypedDataSigner.Current.SignTypedDataV4(SignedTypedData, key)));
                case "eth_chainId" when StartOnChain is not null && !_switched:
                    return Result(JsonValue.Create(StartOnChain));
                case "wallet_switchEthereumChain":
                    var target = parameters[0]!["chainId"]!.GetValue<string>();
                    var anvilChain = JsonNode.Parse(await ForwardAsync("eth_chainId", []))!["result"]!.GetValue<string>();
                    if (!string.Equals(target, anvilChain, StringComparison.OrdinalIgnoreCase))
                        return Error(4902, $"the test wallet does not know chain {target}");
                    _switched = true;
                    return Result(null);
                case "eth_chainId" or "eth_call" or "eth_blockNumber" or "eth_getTransactionReceipt" or "eth_estimateGas" or "eth_sendTransaction":
                    return await ForwardAsync(method, parameters);
                default:
                    return Error(4200, $"{method} is not supported by the test wallet");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or HttpRequestException or FormatException)
        {
            return Error(-32603, ex.Message);
        }
    }

    private async Task<string> ForwardAsync(string method, JsonArray parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters.DeepClone() };
        using var response = await Http.PostAsJsonAsync(rpc, request);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Result(JsonNode? result) => new JsonObject { ["result"] = result }.ToJsonString();

    private static string Error(int code, string message) => new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();
}
