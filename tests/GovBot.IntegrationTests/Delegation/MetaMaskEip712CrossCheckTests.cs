using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using GovBot.Delegation;
using Nethereum.Signer;
using Xunit.Abstractions;

namespace GovBot.IntegrationTests.Delegation;

/// <summary>
/// GovBot must recover exactly the address MetaMask's signing code signed with, for every domain shape a token can
/// have, or holders' signatures would be refused (or worse, attributed to someone else).
/// </summary>
public sealed class MetaMaskEip712CrossCheckTests(ITestOutputHelper output)
{
    private const int Cases = 1_200;
    private const int Seed = 1_700_001;

    [Fact]
    public async Task Recover_SignaturesFromMetaMaskEthSigUtil_ReturnsTheExactSigner_AndMutationsNeverDo()
    {
        var random = new Random(Seed);
        var cases = Enumerable.Range(0, Cases).Select(_ => RandomCase(random)).ToList();

        // Each case is signed twice by MetaMask's code: once over typed data node builds on its own from the raw
        // fields, once over GovBot's eth_signTypedData_v4 JSON as-is. ECDSA there is deterministic (RFC 6979), so
        // equal signatures mean both describe the same typed data.
        var requests = new List<JsonObject>();
        foreach (var c in cases)
        {
            requests.Add(new JsonObject { ["privateKey"] = c.PrivateKey, ["raw"] = c.Raw.DeepClone() });
            requests.Add(new JsonObject { ["privateKey"] = c.PrivateKey, ["typedData"] = DelegationTypedData.ToJson(c.Domain, c.Message) });
        }

        var node = Stopwatch.StartNew();
        var signatures = await NodeEip712Signer.SignAsync(requests);
        node.Stop();

        var recover = Stopwatch.StartNew();
        var recoveries = 0;
        var mutationsRejected = 0;
        var mutationsRecoveredOther = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var (independent, independentError) = signatures[2 * i];
            var (asIs, asIsError) = signatures[2 * i + 1];
            Assert.True(independent is not null, $"case {i}: eth-sig-util refused the raw typed data: {independentError}");
            Assert.True(asIs is not null, $"case {i}: eth-sig-util refused GovBot's typed-data JSON as-is: {asIsError}\n{DelegationTypedData.ToJson(c.Domain, c.Message)}");
            Assert.True(independent == asIs, $"case {i}: GovBot's JSON describes different typed data than the independent definition ({c.Domain})");

            var check = DelegationSignatureVerifier.Recover(c.Domain, c.Message, independent);
            recoveries++;
            Assert.True(check.IsValid, $"case {i}: {check.Error} ({c.Domain})");
            Assert.True(check.Recovered!.Signer == c.Signer, $"case {i}: recovered {check.Recovered.Signer}, MetaMask signed with {c.Signer} ({c.Domain})");

            var parity = independent![..^2] + (Convert.ToByte(independent[^2..], 16) - 27).ToString("x2", CultureInfo.InvariantCulture);
            Assert.Equal(c.Signer, DelegationSignatureVerifier.Recover(c.Domain, c.Message, parity).Recovered?.Signer);

            foreach (var (what, domain, message, signature) in Mutations(c, independent, random))
            {
                var mutated = DelegationSignatureVerifier.Recover(domain, message, signature);
                recoveries++;
                if (!mutated.IsValid)
                {
                    mutationsRejected++;
                    continue;
                }
                Assert.True(mutated.Recovered!.Signer != c.Signer, $"case {i}: {what} still recovered the signer");
                mutationsRecoveredOther++;
            }
        }
        recover.Stop();

        output.WriteLine($"seed {Seed}: {Cases} cases, {requests.Count} MetaMask signatures in {node.ElapsedMilliseconds} ms (node, incl. start-up); " +
            $"{recoveries} GovBot recoveries in {recover.ElapsedMilliseconds} ms; mutations: {mutationsRejected} rejected, {mutationsRecoveredOther} recovered another address");
        Assert.True(mutationsRejected > 0 && mutationsRecoveredOther > 0, "the mutations should exercise both outcomes");
    }

    [Fact]
    public async Task TypedDataJson_WithLargeChainIdAndUnicodeName_IsSignedByEthSigUtilAsIs()
    {
        var key = EthECKey.GenerateKey();
        var domain = new Eip712Domain("Tökén \"DAO\" </script> 🗳️", "1", Uint256.Max, "0x" + new string('a', 40));
        var message = new DelegationMessage("0x" + new string('b', 40), Uint256.Max, Uint256.Max);

        var results = await NodeEip712Signer.SignAsync([new JsonObject { ["privateKey"] = key.GetPrivateKey(), ["typedData"] = DelegationTypedData.ToJson(domain, message) }]);

        Assert.True(results[0].Signature is not null, results[0].Error);
        Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), DelegationSignatureVerifier.Recover(domain, message, results[0].Signature).Recovered?.Signer);
    }

    private sealed record Case(string PrivateKey, string Signer, Eip712Domain Domain, DelegationMessage Message, JsonObject Raw);

    private static Case RandomCase(Random random)
    {
        // Keep the 32 bytes as drawn: EthECKey drops leading zero bytes, and eth-sig-util wants exactly 32.
        // (A draw of zero or ≥ n has probability ~2^-128 and would fail loudly in node.)
        var privateKey = RandomBytes(random, 32);
        var key = new EthECKey(privateKey, true);

        var shape = random.Next(20);
        var name = RandomName(random);
        string? version = shape < 9 || shape == 18 ? RandomVersion(random) : null;
        string? salt = shape >= 18 ? "0x" + Convert.ToHexStringLower(RandomBytes(random, 32)) : null;
        var chainId = RandomChainId(random);
        var contract = RandomAddress(random);
        var domain = new Eip712Domain(name, version, chainId, contract, salt);
        var message = new DelegationMessage(RandomAddress(random), RandomUint(random), RandomUint(random));

        var raw = new JsonObject
        {
            ["name"] = name,
            ["chainId"] = chainId.ToString(CultureInfo.InvariantCulture),
            ["verifyingContract"] = MixCase(contract, random),
            ["delegatee"] = MixCase(message.Delegatee, random),
            ["nonce"] = message.Nonce.ToString(CultureInfo.InvariantCulture),
            ["expiry"] = message.Expiry.ToString(CultureInfo.InvariantCulture),
        };
        if (version is not null) raw["version"] = version;
        if (salt is not null) raw["salt"] = salt;

        return new Case("0x" + Convert.ToHexStringLower(privateKey), key.GetPublicAddress().ToLowerInvariant(), domain, message, raw);
    }

    private static IEnumerable<(string What, Eip712Domain Domain, DelegationMessage Message, string Signature)> Mutations(Case c, string signature, Random random)
    {
        var bytes = Convert.FromHexString(signature.AsSpan(2));
        var bit = random.Next(65 * 8);
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        yield return ($"signature bit {bit} flipped", c.Domain, c.Message, "0x" + Convert.ToHexStringLower(bytes));

        var nonce = c.Message.Nonce == Uint256.Max ? BigInteger.Zero : c.Message.Nonce + 1;
        yield return ("nonce changed", c.Domain, new DelegationMessage(c.Message.Delegatee, nonce, c.Message.Expiry), signature);

        var expiry = c.Message.Expiry.IsZero ? BigInteger.One : c.Message.Expiry - 1;
        yield return ("expiry changed", c.Domain, new DelegationMessage(c.Message.Delegatee, c.Message.Nonce, expiry), signature);

        yield return ("delegatee changed", c.Domain, new DelegationMessage(RandomAddress(random), c.Message.Nonce, c.Message.Expiry), signature);

        var chainId = c.Domain.ChainId == 1 ? 10 : 1;
        yield return ("chain id changed", new Eip712Domain(c.Domain.Name, c.Domain.Version, chainId, c.Domain.VerifyingContract, c.Domain.Salt), c.Message, signature);

        var contract = Convert.FromHexString(c.Domain.VerifyingContract!.AsSpan(2));
        contract[random.Next(20)] ^= 0x01;
        yield return ("verifying contract changed", new Eip712Domain(c.Domain.Name, c.Domain.Version, c.Domain.ChainId, "0x" + Convert.ToHexStringLower(contract), c.Domain.Salt), c.Message, signature);

        var otherShape = c.Domain.Version is null
            ? new Eip712Domain(c.Domain.Name, "1", c.Domain.ChainId, c.Domain.VerifyingContract, c.Domain.Salt)
            : new Eip712Domain(c.Domain.Name, null, c.Domain.ChainId, c.Domain.VerifyingContract, c.Domain.Salt);
        yield return ("domain shape changed", otherShape, c.Message, signature);
    }

    private static string RandomName(Random random)
    {
        string[] names = ["Ethereum Name Service", "Uniswap", "Compound", "Gitcoin", "", "ÆØÅ Votes", "🗳️ DAO", "quote \" backslash \\ tab \t", "</script><b>x</b>", "名前"];
        return random.Next(3) == 0 ? names[random.Next(names.Length)] + random.Next(1000) : names[random.Next(names.Length)];
    }

    private static string RandomVersion(Random random) => random.Next(4) switch
    {
        0 => "1",
        1 => "2",
        2 => "",
        _ => $"{random.Next(10)}.{random.Next(10)}.{random.Next(10)}",
    };

    private static BigInteger RandomChainId(Random random)
    {
        long[] known = [1, 10, 56, 137, 8453, 42161, 11155111, 31337];
        return random.Next(10) switch
        {
            < 5 => known[random.Next(known.Length)],
            < 8 => random.NextInt64(1, (1L << 53) - 1),
            8 => long.MaxValue,
            _ => BigInteger.Max(BigInteger.One, RandomUint(random)),
        };
    }

    private static BigInteger RandomUint(Random random)
    {
        var roll = random.Next(20);
        if (roll == 0) return BigInteger.Zero;
        if (roll == 1) return Uint256.Max;
        var bits = random.Next(1, 257);
        var value = new BigInteger(RandomBytes(random, 32), isUnsigned: true, isBigEndian: true);
        return value >> (256 - bits);
    }

    private static string RandomAddress(Random random) => "0x" + Convert.ToHexStringLower(RandomBytes(random, 20));

    private static string MixCase(string address, Random random)
    {
        var builder = new StringBuilder("0x");
        foreach (var ch in address[2..])
            builder.Append(random.Next(2) == 0 ? char.ToUpperInvariant(ch) : ch);
        return builder.ToString();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
