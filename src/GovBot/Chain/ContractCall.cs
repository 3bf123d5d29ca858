using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace GovBot.Chain;

/// <summary>Builds eth_call requests from Nethereum messages and decodes their answers, for single calls and batches.</summary>
public static class ContractCall
{
    public static (string Method, JsonArray Params) EthCall<TFunction>(string to, TFunction message, string block = "latest")
        where TFunction : FunctionMessage, new() =>
        ("eth_call", new JsonArray(new JsonObject { ["to"] = to, ["data"] = Hex.FromBytes(message.GetCallData()) }, block));

    public static T Decode<T>(JsonElement result) where T : IFunctionOutputDTO, new()
    {
        var hex = ResultHex(result);
        return new T().DecodeOutput(hex);
    }

    public static BigInteger DecodeUint(JsonElement result)
    {
        var hex = ResultHex(result);
        return new FunctionCallDecoder().DecodeSimpleTypeOutput<BigInteger>(new Nethereum.ABI.Model.Parameter("uint256"), hex);
    }

    public static string DecodeString(JsonElement result)
    {
        var hex = ResultHex(result);
        return new FunctionCallDecoder().DecodeSimpleTypeOutput<string>(new Nethereum.ABI.Model.Parameter("string"), hex);
    }

    public static string DecodeAddress(JsonElement result)
    {
        var hex = ResultHex(result);
        return new FunctionCallDecoder().DecodeSimpleTypeOutput<string>(new Nethereum.ABI.Model.Parameter("address"), hex).ToLowerInvariant();
    }

    private static string ResultHex(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.String)
            throw new FormatException($"eth_call returned a JSON {result.ValueKind}, not hex");
        var hex = Hex.Lower(result.GetString()!);
        if (hex.Length <= 2)
            throw new FormatException("eth_call returned no data (is there a contract at that address?)");
        return hex;
    }
}
