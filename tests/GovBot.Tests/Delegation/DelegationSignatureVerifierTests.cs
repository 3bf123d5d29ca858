using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using GovBot.Delegation;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Nethereum.Util;
using static GovBot.Tests.Delegation.DelegationTestData;

namespace GovBot.Tests.Delegation;

public sealed class DelegationSignatureVerifierTests
{
    private static readonly BigInteger CurveOrder = Big("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    private static readonly EthECKey Holder = new("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static readonly Eip712Domain OzDomain = Eip712Domain.OpenZeppelin("Ethereum Name Service", "1", 1, Token);
    private static readonly Eip712Domain CompDomain = Eip712Domain.CompStyle("Compound", 1, "0xc00e94cb662c3520282e6f5717214004a7f26888");
    private static readonly DelegationMessage Message = new(Delegatee, 3, 1_900_000_000);

    [Fact]
    public void TypeHashes_MatchTheConstantsInOzAndCompound()
    {
        // OZ Votes._DELEGATION_TYPEHASH, OZ EIP712 TYPE_HASH and Compound's DOMAIN_TYPEHASH.
        Assert.Equal("e48329057bfd03d55e49b547132e39cffd9c1820ad7b9d4c5307691425d15adf", Hex(Keccak(DelegationTypedData.DelegationTypeString)));
        Assert.Equal("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f", Hex(Keccak(OzDomain.EncodeType())));
        Assert.Equal("8cad95687ba82c2ce50e74f7b754645e5117c3a5bec8151c0726d5857980a866", Hex(Keccak(CompDomain.EncodeType())));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Digest_EqualsNethereumsEncodingOfTheSameTypedDataJson(bool withVersion)
    {
        var domain = withVersion ? OzDomain : CompDomain;
        var json = DelegationTypedData.ToJson(domain, Message);

        var nethereum = Sha3Keccack.Current.CalculateHash(Eip712TypedDataSigner.Current.EncodeTypedData(json));

        Assert.Equal(Hex(nethereum), Hex(DelegationTypedData.Digest(domain, Message)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Recover_SignatureFromNethereumsTypedDataSigner_ReturnsTheSigner(bool withVersion)
    {
        var domain = withVersion ? OzDomain : CompDomain;
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(DelegationTypedData.ToJson(domain, Message), Holder);

        var check = DelegationSignatureVerifier.Recover(domain, Message, signature);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(Holder.GetPublicAddress().ToLowerInvariant(), check.Recovered!.Signer);
    }

    [Fact]
    public void ToJson_HasTypesPrimaryTypeDomainAndDecimalStringMessage()
    {
        var json = JsonNode.Parse(DelegationTypedData.ToJson(OzDomain, new DelegationMessage(Delegatee, Uint256.Max, 1_900_000_000)))!;

        Assert.Equal("Delegation", (string?)json["primaryType"]);
        Assert.Equal(["name", "version", "chainId", "verifyingContract"], json["types"]!["EIP712Domain"]!.AsArray().Select(f => (string?)f!["name"]));
        Assert.Equal(["delegatee", "nonce", "expiry"], json["types"]!["Delegation"]!.AsArray().Select(f => (string?)f!["name"]));
        Assert.Equal(1, (long)json["domain"]!["chainId"]!);
        Assert.Equal(Token, (string?)json["domain"]!["verifyingContract"]);
        Assert.Equal(Uint256.Max.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)json["message"]!["nonce"]);
        Assert.Equal("1900000000", (string?)json["message"]!["expiry"]);
    }

    [Fact]
    public void ToJson_CompStyleDomain_HasNoVersionAnywhere()
    {
        var json = JsonNode.Parse(DelegationTypedData.ToJson(CompDomain, Message))!;
        Assert.Equal(["name", "chainId", "verifyingContract"], json["types"]!["EIP712Domain"]!.AsArray().Select(f => (string?)f!["name"]));
        Assert.Null(json["domain"]!["version"]);
    }

    [Fact]
    public void Recover_VAs0Or1_IsTheSameAs27Or28()
    {
        var signature = Sign(Holder, OzDomain, Message);
        var v = Convert.ToByte(signature[^2..], 16);
        var parity = signature[..^2] + (v - 27).ToString("x2", System.Globalization.CultureInfo.InvariantCulture);

        var check = DelegationSignatureVerifier.Recover(OzDomain, Message, parity);

        Assert.Equal(Holder.GetPublicAddress().ToLowerInvariant(), check.Recovered?.Signer);
        Assert.Equal(v, check.Recovered!.V);
    }

    [Fact]
    public void Recover_HighS_IsRejectedPerEip2()
    {
        var signature = Convert.FromHexString(Sign(Holder, OzDomain, Message)[2..]);
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var highS = Uint256.ToBytes32(CurveOrder - s);
        highS.CopyTo(signature, 32);
        signature[64] = (byte)(signature[64] == 27 ? 28 : 27);

        var check = DelegationSignatureVerifier.Recover(OzDomain, Message, "0x" + Convert.ToHexStringLower(signature));

        Assert.False(check.IsValid);
        Assert.Contains("EIP-2", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SAtHalfOrderIsAccepted_AndOneAboveIsNot()
    {
        var half = CurveOrder >> 1;
        Assert.Equal(Big("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0"), half);
        var r = Convert.ToHexStringLower(Uint256.ToBytes32(1));

        Assert.True(DelegationSignatureVerifier.TryParse("0x" + r + Convert.ToHexStringLower(Uint256.ToBytes32(half)) + "1b", out _, out _, out _, out _));
        Assert.False(DelegationSignatureVerifier.TryParse("0x" + r + Convert.ToHexStringLower(Uint256.ToBytes32(half + 1)) + "1b", out _, out _, out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x1234")]
    [InlineData("1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b")]
    [InlineData("0xzz1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b")]
    public void Recover_MalformedHex_IsRejectedWithReason(string? signature)
    {
        var check = DelegationSignatureVerifier.Recover(OzDomain, Message, signature);
        Assert.False(check.IsValid);
        Assert.Contains("130 hex", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(26)]
    [InlineData(29)]
    [InlineData(37)]
    [InlineData(255)]
    public void Recover_VOutsideTheFourAllowedValues_IsRejected(int v)
    {
        var signature = Sign(Holder, OzDomain, Message)[..^2] + v.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
        var check = DelegationSignatureVerifier.Recover(OzDomain, Message, signature);
        Assert.False(check.IsValid);
        Assert.Contains("v byte", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Recover_ZeroOrOutOfRangeR_IsRejected()
    {
        var s = Convert.ToHexStringLower(Uint256.ToBytes32(5));
        Assert.False(DelegationSignatureVerifier.Recover(OzDomain, Message, "0x" + new string('0', 64) + s + "1b").IsValid);
        Assert.False(DelegationSignatureVerifier.Recover(OzDomain, Message, "0x" + new string('f', 64) + s + "1b").IsValid);
    }

    [Fact]
    public void Recover_RThatIsNoCurvePoint_IsRejectedWithoutThrowing()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var r = new byte[32];
            random.NextBytes(r);
            r[0] &= 0x7f;
            var signature = "0x" + Convert.ToHexStringLower(r) + Convert.ToHexStringLower(Uint256.ToBytes32(12345)) + (i % 2 == 0 ? "1b" : "1c");
            var check = DelegationSignatureVerifier.Recover(OzDomain, Message, signature);
            Assert.True(check.IsValid || check.Error is not null);
            Assert.NotEqual(Holder.GetPublicAddress().ToLowerInvariant(), check.Recovered?.Signer);
        }
    }

    [Fact]
    public void Recover_MessageForAnotherNonceDelegateeOrDomain_DoesNotRecoverTheHolder()
    {
        var signature = Sign(Holder, OzDomain, Message);
        var holder = Holder.GetPublicAddress().ToLowerInvariant();

        Assert.NotEqual(holder, DelegationSignatureVerifier.Recover(OzDomain, new DelegationMessage(Delegatee, 4, Message.Expiry), signature).Recovered?.Signer);
        Assert.NotEqual(holder, DelegationSignatureVerifier.Recover(OzDomain, new DelegationMessage(Token, 3, Message.Expiry), signature).Recovered?.Signer);
        Assert.NotEqual(holder, DelegationSignatureVerifier.Recover(Eip712Domain.OpenZeppelin("Ethereum Name Service", "1", 10, Token), Message, signature).Recovered?.Signer);
        Assert.NotEqual(holder, DelegationSignatureVerifier.Recover(Eip712Domain.CompStyle("Ethereum Name Service", 1, Token), Message, signature).Recovered?.Signer);
    }

    [Fact]
    public void FromErc5267_Fields0x0f_IsTheOzDomain_And0x0d_IsCompStyle()
    {
        Assert.True(Eip712Domain.TryFromErc5267(0x0f, "Ethereum Name Service", "1", 1, Token, new byte[32], [], out var oz, out _));
        Assert.Equal(OzDomain, oz);
        Assert.True(Eip712Domain.TryFromErc5267(0x0d, "Compound", "ignored", 1, "0xc00e94cb662c3520282e6f5717214004a7f26888", [], [], out var comp, out _));
        Assert.Equal(CompDomain, comp);
    }

    [Fact]
    public void FromErc5267_WithSalt_AddsBytes32SaltLast()
    {
        var salt = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        Assert.True(Eip712Domain.TryFromErc5267(0x1f, "T", "2", 5, Token, salt, [], out var domain, out _));
        Assert.Equal("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)", domain!.EncodeType());
        Assert.Equal("0x" + Convert.ToHexStringLower(salt), domain.Salt);
    }

    [Theory]
    [InlineData(0x20, false, "unknown fields")]
    [InlineData(0x0f, true, "extensions")]
    [InlineData(0x00, false, "empty")]
    public void FromErc5267_DomainsGovBotCannotInterpret_AreRefused(int fields, bool withExtension, string expected)
    {
        Assert.False(Eip712Domain.TryFromErc5267((byte)fields, "T", "1", 1, Token, new byte[32], withExtension ? [BigInteger.One] : [], out var domain, out var error));
        Assert.Null(domain);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static byte[] Keccak(string text) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(text));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
