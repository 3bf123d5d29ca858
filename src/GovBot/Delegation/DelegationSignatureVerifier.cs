using System.Numerics;
using Nethereum.Signer;

namespace GovBot.Delegation;

/// <summary>A signature that recovered to <see cref="Signer"/>, split the way <c>delegateBySig</c> takes it (v is 27 or 28).</summary>
public sealed record RecoveredSignature(string Signer, byte V, string R, string S);

public sealed record SignatureCheck(RecoveredSignature? Recovered, string? Error)
{
    public bool IsValid => Recovered is not null;
}

/// <summary>
/// Recovers who signed a <c>Delegation</c>. It applies the same rules as OZ 5's ECDSA.recover, so a signature it
/// accepts is one the token accepts: 65 bytes, v in {27, 28} (or 0/1 from wallets that send the parity), 0 &lt; r &lt; n, 0 &lt; s ≤ n/2.
/// </summary>
public static class DelegationSignatureVerifier
{
    private static readonly BigInteger CurveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger HalfCurveOrder = CurveOrder >> 1;

    public static SignatureCheck Recover(Eip712Domain domain, DelegationMessage message, string? signatureHex)
    {
        if (!TryParse(signatureHex, out var r, out var s, out var v, out var error))
            return new SignatureCheck(null, error);

        var digest = DelegationTypedData.Digest(domain, message);
        try
        {
            var signature = EthECDSASignatureFactory.FromComponents(r, s, v);
            var key = EthECKey.RecoverFromSignature(signature, v - 27, digest);
            if (key is null)
                return new SignatureCheck(null, "the signature does not correspond to any key");
            var signer = key.GetPublicAddress().ToLowerInvariant();
            return new SignatureCheck(new RecoveredSignature(signer, v, "0x" + Convert.ToHexStringLower(r), "0x" + Convert.ToHexStringLower(s)), null);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException or FormatException)
        {
            // r that is no x-coordinate on the curve surfaces as an exception from the EC library.
            return new SignatureCheck(null, "the signature does not correspond to any key");
        }
    }

    /// <summary>Parses 0x + 130 hex into r, s and v normalised to 27/28, enforcing low s (EIP-2) and range of r.</summary>
    public static bool TryParse(string? signatureHex, out byte[] r, out byte[] s, out byte v, out string error)
    {
        r = [];
        s = [];
        v = 0;
        error = "";
        if (signatureHex is null || signatureHex.Length != 132 || !signatureHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Uint256.IsHex(signatureHex.AsSpan(2)))
        {
            error = "the signature must be 0x followed by 130 hex characters (65 bytes)";
            return false;
        }

        var bytes = Convert.FromHexString(signatureHex.AsSpan(2));
        var rawV = bytes[64];
        if (rawV is not (0 or 1 or 27 or 28))
        {
            error = $"the signature's v byte is {rawV}; it must be 27 or 28 (or 0 or 1)";
            return false;
        }

        var rValue = new BigInteger(bytes.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
        var sValue = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (rValue.IsZero || rValue >= CurveOrder)
        {
            error = "the signature's r value is out of range";
            return false;
        }
        if (sValue.IsZero || sValue > HalfCurveOrder)
        {
            error = "the signature's s value is in the upper half of the curve order (EIP-2); the token would reject it";
            return false;
        }

        r = bytes[..32];
        s = bytes[32..64];
        v = rawV < 27 ? (byte)(rawV + 27) : rawV;
        return true;
    }
}
