using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Configuration;
using Nethereum.Util;

namespace GovBot.Delegation;

/// <summary>The message OZ 5 ERC20Votes <c>delegateBySig(delegatee, nonce, expiry, v, r, s)</c> checks.</summary>
public sealed record DelegationMessage
{
    /// <exception cref="ArgumentException">Not an address, or a number outside uint256.</exception>
    public DelegationMessage(string delegatee, BigInteger nonce, BigInteger expiry)
    {
        if (!EthAddress.TryNormalize(delegatee, out var address))
            throw new ArgumentException("delegatee must be a 0x-prefixed 20-byte hex address", nameof(delegatee));
        if (nonce.Sign < 0 || nonce > Uint256.Max)
            throw new ArgumentException("nonce must be a uint256", nameof(nonce));
        if (expiry.Sign < 0 || expiry > Uint256.Max)
            throw new ArgumentException("expiry must be a uint256", nameof(expiry));
        Delegatee = address;
        Nonce = nonce;
        Expiry = expiry;
    }

    public string Delegatee { get; }
    public BigInteger Nonce { get; }
    public BigInteger Expiry { get; }
}

/// <summary>
/// The one definition of the <c>Delegation</c> typed data: the digest the server verifies and the
/// <c>eth_signTypedData_v4</c> JSON the page hands to the wallet both come from here.
/// </summary>
public static class DelegationTypedData
{
    public const string PrimaryType = "Delegation";
    public const string DelegationTypeString = "Delegation(address delegatee,uint256 nonce,uint256 expiry)";

    /// <summary>Largest chain id written as a JSON number; wallets compare it to <c>eth_chainId</c> and JS numbers lose precision above this.</summary>
    private const long MaxSafeJsonInteger = (1L << 53) - 1;

    private static readonly byte[] DelegationTypeHash = Keccak(Encoding.UTF8.GetBytes(DelegationTypeString));

    public static byte[] DomainSeparator(Eip712Domain domain)
    {
        var encoded = new List<byte[]> { Keccak(Encoding.UTF8.GetBytes(domain.EncodeType())) };
        if (domain.Name is not null) encoded.Add(Keccak(Encoding.UTF8.GetBytes(domain.Name)));
        if (domain.Version is not null) encoded.Add(Keccak(Encoding.UTF8.GetBytes(domain.Version)));
        if (domain.ChainId is { } chainId) encoded.Add(Uint256.ToBytes32(chainId));
        if (domain.VerifyingContract is not null) encoded.Add(AddressWord(domain.VerifyingContract));
        if (domain.Salt is not null) encoded.Add(Convert.FromHexString(domain.Salt.AsSpan(2)));
        return Keccak(Concat(encoded));
    }

    public static byte[] StructHash(DelegationMessage message) =>
        Keccak(Concat([DelegationTypeHash, AddressWord(message.Delegatee), Uint256.ToBytes32(message.Nonce), Uint256.ToBytes32(message.Expiry)]));

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash): what the holder's key signs.</summary>
    public static byte[] Digest(Eip712Domain domain, DelegationMessage message) =>
        Keccak(Concat([[0x19, 0x01], DomainSeparator(domain), StructHash(message)]));

    /// <summary>The exact <c>eth_signTypedData_v4</c> parameter: types (with <c>EIP712Domain</c>), primaryType, domain, message; numbers as decimal strings.</summary>
    public static string ToJson(Eip712Domain domain, DelegationMessage message)
    {
        var root = ToJsonTemplate(domain);
        root["message"] = new JsonObject
        {
            ["delegatee"] = message.Delegatee,
            ["nonce"] = message.Nonce.ToString(CultureInfo.InvariantCulture),
            ["expiry"] = message.Expiry.ToString(CultureInfo.InvariantCulture),
        };
        return root.ToJsonString();
    }

    /// <summary>
    /// Everything but the message, for the page's data blob: the page adds <c>message</c> once it knows the holder's
    /// nonce and picks an expiry, so the wallet signs exactly the types and domain the server verifies against.
    /// </summary>
    public static JsonObject ToJsonTemplate(Eip712Domain domain)
    {
        var domainTypes = new JsonArray();
        foreach (var (name, type) in domain.Fields)
            domainTypes.Add(new JsonObject { ["name"] = name, ["type"] = type });

        var domainValues = new JsonObject();
        if (domain.Name is not null) domainValues["name"] = domain.Name;
        if (domain.Version is not null) domainValues["version"] = domain.Version;
        if (domain.ChainId is { } chainId)
        {
            domainValues["chainId"] = chainId <= MaxSafeJsonInteger
                ? JsonValue.Create((long)chainId)
                : JsonValue.Create(chainId.ToString(CultureInfo.InvariantCulture));
        }
        if (domain.VerifyingContract is not null) domainValues["verifyingContract"] = domain.VerifyingContract;
        if (domain.Salt is not null) domainValues["salt"] = domain.Salt;

        return new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = domainTypes,
                [PrimaryType] = new JsonArray
                {
                    new JsonObject { ["name"] = "delegatee", ["type"] = "address" },
                    new JsonObject { ["name"] = "nonce", ["type"] = "uint256" },
                    new JsonObject { ["name"] = "expiry", ["type"] = "uint256" },
                },
            },
            ["primaryType"] = PrimaryType,
            ["domain"] = domainValues,
        };
    }

    internal static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);

    private static byte[] AddressWord(string address)
    {
        var word = new byte[32];
        Convert.FromHexString(address.AsSpan(2)).CopyTo(word, 12);
        return word;
    }

    private static byte[] Concat(IReadOnlyList<byte[]> parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }
}
