using System.Globalization;
using System.Numerics;
using GovBot.Configuration;

namespace GovBot.Delegation;

/// <summary>
/// An EIP-712 domain with only the fields the token actually uses. OZ 5 ERC20Votes tokens report theirs through
/// ERC-5267 <c>eip712Domain()</c> (name, version, chainId, verifyingContract); COMP-style tokens have no version.
/// Which fields are present decides the <c>EIP712Domain(...)</c> type string, so "absent" and "empty" differ.
/// </summary>
public sealed record Eip712Domain
{
    /// <exception cref="ArgumentException">A present field has an invalid value, or no field is present.</exception>
    public Eip712Domain(string? name, string? version, BigInteger? chainId, string? verifyingContract, string? salt = null)
    {
        if (chainId is { } c && (c.Sign < 0 || c > Uint256.Max))
            throw new ArgumentException("chainId must be a uint256", nameof(chainId));
        string? contract = null;
        if (verifyingContract is not null && !EthAddress.TryNormalize(verifyingContract, out contract))
            throw new ArgumentException("verifyingContract must be a 0x-prefixed 20-byte hex address", nameof(verifyingContract));
        string? normalizedSalt = null;
        if (salt is not null)
        {
            if (salt.Length != 66 || !salt.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Uint256.IsHex(salt.AsSpan(2)))
                throw new ArgumentException("salt must be 0x followed by 64 hex characters", nameof(salt));
            normalizedSalt = salt.ToLowerInvariant();
        }
        if (name is null && version is null && chainId is null && contract is null && normalizedSalt is null)
            throw new ArgumentException("an EIP-712 domain needs at least one field");

        Name = name;
        Version = version;
        ChainId = chainId;
        VerifyingContract = contract;
        Salt = normalizedSalt;
    }

    public string? Name { get; }
    public string? Version { get; }
    public BigInteger? ChainId { get; }
    public string? VerifyingContract { get; }
    public string? Salt { get; }

    /// <summary>OZ 5 <c>EIP712(name, version)</c> as ERC20Votes/ERC20Permit use it.</summary>
    public static Eip712Domain OpenZeppelin(string name, string version, BigInteger chainId, string verifyingContract) =>
        new(name, version, chainId, verifyingContract);

    /// <summary>Compound's <c>EIP712Domain(string name,uint256 chainId,address verifyingContract)</c>, used by COMP-style tokens.</summary>
    public static Eip712Domain CompStyle(string name, BigInteger chainId, string verifyingContract) =>
        new(name, null, chainId, verifyingContract);

    /// <summary>
    /// Builds the domain from an ERC-5267 <c>eip712Domain()</c> result. Refuses domains with extensions or unknown
    /// field bits, as ERC-5267 tells clients that cannot interpret them to do.
    /// </summary>
    public static bool TryFromErc5267(
        byte fields,
        string name,
        string version,
        BigInteger chainId,
        string verifyingContract,
        byte[] salt,
        IReadOnlyCollection<BigInteger> extensions,
        out Eip712Domain? domain,
        out string error)
    {
        domain = null;
        error = "";
        if ((fields & ~0x1F) != 0)
        {
            error = $"the token's eip712Domain() reports unknown fields (0x{fields:x2}); GovBot cannot build its signature domain";
            return false;
        }
        if (extensions.Count != 0)
        {
            error = "the token's eip712Domain() reports extensions, which GovBot does not understand";
            return false;
        }
        if (fields == 0)
        {
            error = "the token's eip712Domain() reports an empty domain";
            return false;
        }
        if ((fields & 0x10) != 0 && salt.Length != 32)
        {
            error = "the token's eip712Domain() salt is not 32 bytes";
            return false;
        }
        try
        {
            domain = new Eip712Domain(
                (fields & 0x01) != 0 ? name : null,
                (fields & 0x02) != 0 ? version : null,
                (fields & 0x04) != 0 ? chainId : null,
                (fields & 0x08) != 0 ? verifyingContract : null,
                (fields & 0x10) != 0 ? "0x" + Convert.ToHexStringLower(salt) : null);
            return true;
        }
        catch (ArgumentException ex)
        {
            error = $"the token's eip712Domain() is invalid: {ex.Message}";
            return false;
        }
    }

    /// <summary>The present fields, in the order EIP-712 and ERC-5267 fix: name, version, chainId, verifyingContract, salt.</summary>
    public IReadOnlyList<(string Name, string Type)> Fields
    {
        get
        {
            var fields = new List<(string, string)>(5);
            if (Name is not null) fields.Add(("name", "string"));
            if (Version is not null) fields.Add(("version", "string"));
            if (ChainId is not null) fields.Add(("chainId", "uint256"));
            if (VerifyingContract is not null) fields.Add(("verifyingContract", "address"));
            if (Salt is not null) fields.Add(("salt", "bytes32"));
            return fields;
        }
    }

    public string EncodeType() =>
        "EIP712Domain(" + string.Join(',', Fields.Select(f => $"{f.Type} {f.Name}")) + ")";

    public override string ToString() =>
        string.Join(", ", Fields.Select(f => f.Name switch
        {
            "name" => $"name={Name}",
            "version" => $"version={Version}",
            "chainId" => $"chainId={ChainId?.ToString(CultureInfo.InvariantCulture)}",
            "verifyingContract" => $"verifyingContract={VerifyingContract}",
            _ => $"salt={Salt}",
        }));
}

/// <summary>uint256 helpers shared by the EIP-712 encoder and request parsing.</summary>
public static class Uint256
{
    public static readonly BigInteger Max = (BigInteger.One << 256) - 1;

    /// <summary>Canonical decimal: "0" or no leading zero, at most 78 digits, value ≤ 2^256-1.</summary>
    public static bool TryParseDecimal(string? text, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 78)
            return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        if (text.Length > 1 && text[0] == '0')
            return false;
        value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= Max;
    }

    public static byte[] ToBytes32(BigInteger value)
    {
        if (value.Sign < 0 || value > Max)
            throw new ArgumentOutOfRangeException(nameof(value), "not a uint256");
        var bytes = new byte[32];
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, 32 - raw.Length);
        return bytes;
    }

    internal static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}
