using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace GovBot.Tests.Discord;

/// <summary>An application key pair that signs requests the way Discord does: Ed25519 over timestamp + body.</summary>
public sealed class DiscordTestKeys
{
    private readonly Ed25519PrivateKeyParameters _privateKey;

    public DiscordTestKeys(SecureRandom? random = null)
        : this(new Ed25519PrivateKeyParameters(random ?? new SecureRandom()))
    {
    }

    /// <summary>A reproducible key from a 32-byte seed.</summary>
    public DiscordTestKeys(byte[] seed)
        : this(new Ed25519PrivateKeyParameters(seed))
    {
    }

    private DiscordTestKeys(Ed25519PrivateKeyParameters privateKey)
    {
        _privateKey = privateKey;
        PublicKey = _privateKey.GeneratePublicKey().GetEncoded();
    }

    public byte[] PublicKey { get; }

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);

    public byte[] Sign(string timestamp, byte[] body)
    {
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, _privateKey);
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        signer.BlockUpdate(stamp, 0, stamp.Length);
        signer.BlockUpdate(body, 0, body.Length);
        return signer.GenerateSignature();
    }

    public string SignHex(string timestamp, byte[] body) => Convert.ToHexStringLower(Sign(timestamp, body));

    public string SignHex(string timestamp, string body) => SignHex(timestamp, Encoding.UTF8.GetBytes(body));
}

public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
