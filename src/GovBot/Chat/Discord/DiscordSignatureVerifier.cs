using System.Buffers;
using System.Globalization;
using System.Text;
using GovBot.Configuration;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace GovBot.Chat.Discord;

/// <summary>
/// Checks that an interaction request really comes from Discord: an Ed25519 signature (X-Signature-Ed25519)
/// over the UTF-8 timestamp (X-Signature-Timestamp) followed by the raw body, made with the application's key.
/// Every failure is a plain false; nothing here throws on attacker-controlled input.
/// </summary>
public sealed class DiscordSignatureVerifier
{
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    /// <summary>How far a request's timestamp may be from our clock, either way, before it counts as a replay.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private static readonly byte[] DummyKey = CreateDummyKey();

    private readonly TimeProvider _timeProvider;
    private readonly byte[]? _publicKey;

    public DiscordSignatureVerifier(IOptions<DiscordOptions> options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _publicKey = TryParseHex(options.Value.PublicKey, PublicKeyLength);
    }

    /// <summary>Signature by the configured application key and a timestamp within <see cref="MaxClockSkew"/> of now.</summary>
    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        // Both checks always run and are combined without short-circuit, so the response time does not say which one failed.
        var fresh = IsFresh(timestamp);
        var signed = VerifySignature(_publicKey, signatureHex, timestamp, body);
        return fresh & signed;
    }

    public bool IsFresh(string? timestamp)
    {
        if (string.IsNullOrEmpty(timestamp) || timestamp.Length > 19 || !timestamp.All(char.IsAsciiDigit))
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        return Math.Abs(now - seconds) <= (long)MaxClockSkew.TotalSeconds;
    }

    /// <summary>The signature check alone, with no freshness rule; the same question Discord's own verifyKey answers.</summary>
    public static bool VerifySignature(string? publicKeyHex, string? signatureHex, string? timestamp, ReadOnlySpan<byte> body) =>
        VerifySignature(TryParseHex(publicKeyHex, PublicKeyLength), signatureHex, timestamp, body);

    private static bool VerifySignature(byte[]? publicKey, string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        var signature = TryParseHex(signatureHex, SignatureLength);
        var wellFormed = publicKey is not null & signature is not null & timestamp is not null;

        // A malformed request still pays for one verification, against throwaway inputs.
        var ok = Ed25519Verify(publicKey ?? DummyKey, signature ?? new byte[SignatureLength], timestamp ?? "", body);
        return wellFormed & ok;
    }

    private static bool Ed25519Verify(byte[] publicKey, byte[] signature, string timestamp, ReadOnlySpan<byte> body)
    {
        var timestampByteCount = Encoding.UTF8.GetByteCount(timestamp);
        var message = ArrayPool<byte>.Shared.Rent(timestampByteCount + body.Length);
        try
        {
            Encoding.UTF8.GetBytes(timestamp, message);
            body.CopyTo(message.AsSpan(timestampByteCount));
            var signer = new Ed25519Signer();
            signer.Init(forSigning: false, new Ed25519PublicKeyParameters(publicKey));
            signer.BlockUpdate(message, 0, timestampByteCount + body.Length);
            return signer.VerifySignature(signature);
        }
        catch (ArgumentException)
        {
            // Bytes that do not decode to a curve point.
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    internal static byte[]? TryParseHex(string? hex, int byteLength)
    {
        if (hex is null || hex.Length != byteLength * 2)
            return null;
        var bytes = new byte[byteLength];
        var status = Convert.FromHexString(hex, bytes, out var consumed, out var written);
        return status == OperationStatus.Done && consumed == hex.Length && written == byteLength ? bytes : null;
    }

    private static byte[] CreateDummyKey()
    {
        // The base point's encoding: a key that decodes, so the dummy verification does the full work; its result is discarded.
        var key = new byte[PublicKeyLength];
        key[0] = 0x58;
        for (var i = 1; i < key.Length; i++)
            key[i] = 0x66;
        return key;
    }
}
