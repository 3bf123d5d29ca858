using System.Text.Json;
using GovBot.Configuration;

namespace GovBot.Delegation;

/// <summary>What the page POSTs to <c>/delegate/{token}/sent</c> after the wallet sent <c>delegate()</c>: <c>{"delegator":"0x…","txHash":"0x…"}</c>.</summary>
public sealed record DelegationWalletReport(string Delegator, string TxHash)
{
    /// <summary>Parses and checks both fields; all problems are reported at once, and no input throws.</summary>
    public static (DelegationWalletReport? Report, IReadOnlyList<string> Errors) Parse(ReadOnlySpan<byte> utf8Json)
    {
        using var document = JsonFields.TryParseObject(utf8Json, "{\"delegator\",\"txHash\"}", out var problem);
        if (document is null)
            return (null, [problem]);

        var root = document.RootElement;
        var errors = new List<string>();
        string? delegator = null;
        if (!JsonFields.TryGetString(root, "delegator", out var delegatorText) || !EthAddress.TryNormalize(delegatorText, out delegator))
            errors.Add("delegator must be a 0x-prefixed 20-byte hex address");
        string? txHash = null;
        if (!JsonFields.TryGetString(root, "txHash", out var txText) || txText.Length != 66 || !txText.StartsWith("0x", StringComparison.Ordinal) || !Uint256.IsHex(txText.AsSpan(2)))
            errors.Add("txHash must be 0x followed by 64 hex characters");
        else
            txHash = txText.ToLowerInvariant();

        return errors.Count > 0 || delegator is null || txHash is null ? (null, errors) : (new DelegationWalletReport(delegator, txHash), []);
    }
}
