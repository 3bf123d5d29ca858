using System.Numerics;
using System.Text.Json;
using GovBot.Configuration;

namespace GovBot.Delegation;

/// <summary>
/// The body the page POSTs to <c>/delegate/{token}</c>: <c>{"delegator":"0x…","nonce":"7","expiry":"1767225600","signature":"0x…"}</c>.
/// Numbers are decimal strings because uint256 does not survive JavaScript numbers.
/// </summary>
public sealed record DelegationRelayRequest(string Delegator, BigInteger Nonce, BigInteger Expiry, string Signature)
{
    /// <summary>The page's body is ~250 bytes; the endpoint should refuse larger bodies before reading them.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>Parses and checks every field; all problems are reported at once, and no input throws.</summary>
    public static DelegationRelayRequestParse Parse(ReadOnlySpan<byte> utf8Json)
    {
        using var document = JsonFields.TryParseObject(utf8Json, "{\"delegator\",\"nonce\",\"expiry\",\"signature\"}", out var problem);
        if (document is null)
            return DelegationRelayRequestParse.Fail(problem);

        var root = document.RootElement;
        var errors = new List<string>();

        string? delegator = null;
        if (!JsonFields.TryGetString(root, "delegator", out var delegatorText))
            errors.Add("delegator is missing or not a string");
        else if (!EthAddress.TryNormalize(delegatorText, out delegator))
            errors.Add("delegator must be a 0x-prefixed 20-byte hex address");

        var nonce = ReadUint256(root, "nonce", errors);
        var expiry = ReadUint256(root, "expiry", errors);

        string? signature = null;
        if (!JsonFields.TryGetString(root, "signature", out var signatureText))
            errors.Add("signature is missing or not a string");
        else if (signatureText.Length != 132 || !signatureText.StartsWith("0x", StringComparison.Ordinal) || !Uint256.IsHex(signatureText.AsSpan(2)))
            errors.Add("signature must be 0x followed by 130 hex characters (65 bytes)");
        else
            signature = signatureText.ToLowerInvariant();

        if (errors.Count > 0 || delegator is null || nonce is null || expiry is null || signature is null)
            return new DelegationRelayRequestParse(null, errors);
        return new DelegationRelayRequestParse(new DelegationRelayRequest(delegator, nonce.Value, expiry.Value, signature), []);
    }

    private static BigInteger? ReadUint256(JsonElement root, string name, List<string> errors)
    {
        if (!JsonFields.TryGetString(root, name, out var text))
        {
            errors.Add($"{name} is missing or not a string; send it as a decimal string");
            return null;
        }
        if (!Uint256.TryParseDecimal(text, out var value))
        {
            errors.Add($"{name} must be a uint256 as a decimal string (digits only, no leading zeros)");
            return null;
        }
        return value;
    }

}

public sealed record DelegationRelayRequestParse(DelegationRelayRequest? Request, IReadOnlyList<string> Errors)
{
    public bool IsValid => Request is not null && Errors.Count == 0;

    internal static DelegationRelayRequestParse Fail(string error) => new(null, [error]);
}
