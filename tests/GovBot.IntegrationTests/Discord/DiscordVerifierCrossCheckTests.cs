using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GovBot.Chat.Discord;
using GovBot.Configuration;
using GovBot.Tests.Discord;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GovBot.IntegrationTests.Discord;

/// <summary>
/// GovBot's verifier against Discord's own (npm discord-interactions 4.4.0, verifyKey) on the same requests:
/// valid ones and ones mutated the ways a forger or a broken proxy would.
/// </summary>
public sealed class DiscordVerifierCrossCheckTests(ITestOutputHelper output)
{
    private const int CaseCount = 12_000;
    private const string NonHexAlphabet = "gzGZ .";

    private enum Mutation
    {
        None,
        UppercaseHex,
        FlippedSignatureBit,
        FlippedBodyBit,
        BodyChangedAfterSigning,
        TimestampChanged,
        WrongKey,
        FlippedPublicKeyBit,
        TruncatedSignature,
        NonHexSignature,
        ExtendedSignature,
        EmptySignature,
        MalformedPublicKey,

        /// <summary>Validly signed, but more than five minutes old (a replay): Discord's verifyKey has no clock, GovBot's endpoint does.</summary>
        StaleTimestamp,
    }

    private static readonly int MutationCount = Enum.GetValues<Mutation>().Length;

    private sealed record Case(Mutation Mutation, string PublicKey, string Signature, string Timestamp, byte[] Body, byte[] TrueSignature, int KeyIndex);

    [Fact]
    public async Task Verifier_AgreesWithDiscordInteractionsVerifyKey_OnTwelveThousandRequests()
    {
        var nodeDir = Path.Combine(TestPaths.IntegrationTestsDir, "node");
        Assert.True(Directory.Exists(Path.Combine(nodeDir, "node_modules", "discord-interactions")),
            $"npm dependencies are missing: run `npm ci` in {nodeDir} (.ci/run does this).");

        var random = new Random(20_250_601);
        var keys = Enumerable.Range(0, 16).Select(_ =>
        {
            var seed = new byte[32];
            random.NextBytes(seed);
            return new DiscordTestKeys(seed);
        }).ToArray();
        var cases = Enumerable.Range(0, CaseCount).Select(i => MakeCase(random, keys, (Mutation)(i % MutationCount))).ToList();

        var stopwatch = Stopwatch.StartNew();
        var nodeAnswers = await RunNodeAsync(nodeDir, cases);
        var nodeTime = stopwatch.Elapsed;
        Assert.Equal(cases.Count, nodeAnswers.Count);

        // The production path too: one configured verifier per key, with the freshness rule on (timestamps are now, but for the stale cases).
        var verifiers = keys.Select(k => new DiscordSignatureVerifier(
            Options.Create(new DiscordOptions { PublicKey = k.PublicKeyHex }), TimeProvider.System)).ToArray();

        stopwatch.Restart();
        var disagreements = new List<string>();
        var lenientOnly = 0;
        var staleRefused = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var ours = DiscordSignatureVerifier.VerifySignature(c.PublicKey, c.Signature, c.Timestamp, c.Body);
            var theirs = nodeAnswers[i];

            if (c.Mutation == Mutation.StaleTimestamp)
            {
                // The signature is good (both libraries must accept it), and the production check still refuses the replay.
                Assert.True(ours, $"#{i} stale but validly signed");
                Assert.False(verifiers[c.KeyIndex].Verify(c.Signature, c.Timestamp, c.Body), $"#{i} stale timestamp {c.Timestamp} accepted");
                staleRefused++;
            }
            else if (c.KeyIndex >= 0 && c.Mutation != Mutation.TimestampChanged)
            {
                Assert.Equal(ours, verifiers[c.KeyIndex].Verify(c.Signature, c.Timestamp, c.Body));
            }

            if (ours == theirs)
                continue;

            // discord-interactions decodes hex with parseInt, which reads "0g" as 0x00 and a trailing "0" as 0x00.
            // GovBot accepts only exact 128-digit hex, so it may reject where Discord's library accepts: never the other way.
            if (!ours && theirs && !IsStrictHex(c.Signature) && LenientHexLikeDiscordInteractions(c.Signature).AsSpan().SequenceEqual(c.TrueSignature)
                && c.Mutation is Mutation.NonHexSignature or Mutation.TruncatedSignature)
            {
                lenientOnly++;
                continue;
            }
            disagreements.Add($"#{i} {c.Mutation}: govbot={ours} discord-interactions={theirs} sig={c.Signature} ts={c.Timestamp}");
        }

        var accepted = nodeAnswers.Count(a => a);
        output.WriteLine($"{cases.Count} cases, {accepted} accepted by discord-interactions; node {nodeTime.TotalMilliseconds:F0} ms, GovBot {stopwatch.Elapsed.TotalMilliseconds:F0} ms; " +
            $"{lenientOnly} non-hex signatures only discord-interactions' lenient hex parser accepts; {staleRefused} stale replays refused by the endpoint's check");
        Assert.Empty(disagreements);
        Assert.Equal(cases.Count(c => c.Mutation is Mutation.None or Mutation.UppercaseHex or Mutation.StaleTimestamp), accepted - lenientOnly);
        Assert.Equal(cases.Count(c => c.Mutation == Mutation.StaleTimestamp), staleRefused);
        Assert.True(staleRefused >= CaseCount / MutationCount, $"{staleRefused} stale cases");
    }

    private static Case MakeCase(Random random, DiscordTestKeys[] keys, Mutation mutation)
    {
        var keyIndex = random.Next(keys.Length);
        var key = keys[keyIndex];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Stale by 5 min + 1 s up to a day, or as far in the future: both are outside the 5-minute window.
        var skew = (long)DiscordSignatureVerifier.MaxClockSkew.TotalSeconds + 1 + random.Next(86_400);
        var timestamp = (mutation == Mutation.StaleTimestamp ? now + (random.Next(4) == 0 ? skew : -skew) : now)
            .ToString(CultureInfo.InvariantCulture);
        var body = RandomBody(random);
        var trueSignature = key.Sign(timestamp, body);
        var signature = Convert.ToHexStringLower(trueSignature);
        var publicKey = key.PublicKeyHex;

        switch (mutation)
        {
            case Mutation.UppercaseHex:
                signature = signature.ToUpperInvariant();
                publicKey = publicKey.ToUpperInvariant();
                break;
            case Mutation.FlippedSignatureBit:
                signature = FlipBit(random, trueSignature);
                break;
            case Mutation.FlippedBodyBit when body.Length > 0:
                body = (byte[])body.Clone();
                body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case Mutation.FlippedBodyBit or Mutation.BodyChangedAfterSigning:
                body = random.Next(2) == 0 || body.Length == 0 ? [.. body, (byte)random.Next(256)] : body[..^1];
                break;
            case Mutation.TimestampChanged:
                var digits = timestamp.ToCharArray();
                var at = random.Next(digits.Length);
                digits[at] = (char)('0' + ((digits[at] - '0' + 1 + random.Next(9)) % 10));
                timestamp = new string(digits);
                break;
            case Mutation.WrongKey:
                keyIndex = (keyIndex + 1 + random.Next(keys.Length - 1)) % keys.Length;
                publicKey = keys[keyIndex].PublicKeyHex;
                break;
            case Mutation.FlippedPublicKeyBit:
                publicKey = FlipBit(random, key.PublicKey);
                keyIndex = -1;
                break;
            case Mutation.TruncatedSignature:
                signature = signature[..random.Next(signature.Length)];
                break;
            case Mutation.NonHexSignature:
                var chars = signature.ToCharArray();
                for (var n = 1 + random.Next(2); n > 0; n--)
                    chars[random.Next(chars.Length)] = NonHexAlphabet[random.Next(NonHexAlphabet.Length)];
                signature = new string(chars);
                break;
            case Mutation.ExtendedSignature:
                signature += random.Next(2) == 0 ? "00" : "a";
                break;
            case Mutation.EmptySignature:
                signature = "";
                break;
            case Mutation.MalformedPublicKey:
                publicKey = random.Next(3) switch
                {
                    0 => publicKey[..^2],
                    1 => publicKey + "00",
                    _ => "zz" + publicKey[2..],
                };
                keyIndex = -1;
                break;
        }
        return new Case(mutation, publicKey, signature, timestamp, body, trueSignature, keyIndex);
    }

    private static byte[] RandomBody(Random random)
    {
        if (random.Next(4) == 0)
        {
            // Raw bytes, not necessarily UTF-8: both sides must treat the body as bytes.
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            return bytes;
        }
        var json = JsonSerializer.Serialize(new
        {
            type = 2,
            id = random.NextInt64().ToString(CultureInfo.InvariantCulture),
            token = Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64())),
            data = new { name = "ask", options = new[] { new { name = "question", type = 3, value = "what does proposal " + random.Next() + " do? ✓ 🗳️" } } },
        });
        return Encoding.UTF8.GetBytes(json);
    }

    private static string FlipBit(Random random, byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        var bit = random.Next(copy.Length * 8);
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return Convert.ToHexStringLower(copy);
    }

    private static async Task<List<bool>> RunNodeAsync(string nodeDir, List<Case> cases)
    {
        var start = new ProcessStartInfo("node", "verify-key.js")
        {
            WorkingDirectory = nodeDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        foreach (var c in cases)
        {
            var line = JsonSerializer.Serialize(new { publicKey = c.PublicKey, signature = c.Signature, timestamp = c.Timestamp, body = Convert.ToBase64String(c.Body) });
            await node.StandardInput.WriteLineAsync(line);
        }
        node.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, "node failed: " + await stderr);
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l switch { "accept" => true, "reject" => false, _ => throw new InvalidOperationException("unexpected node output: " + l) })
            .ToList();
    }

    private static bool IsStrictHex(string s) => s.Length == 128 && s.All(char.IsAsciiHexDigit);

    /// <summary>discord-interactions' hex decoding: value.match(/.{1,2}/g).map(b =&gt; parseInt(b, 16)) into a Uint8Array.</summary>
    private static byte[] LenientHexLikeDiscordInteractions(string s)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i += 2)
        {
            var chunk = s.AsSpan(i, Math.Min(2, s.Length - i)).TrimStart(' ');
            var value = 0;
            var digits = 0;
            foreach (var ch in chunk)
            {
                if (!char.IsAsciiHexDigit(ch))
                    break;
                value = value * 16 + Convert.ToInt32(ch.ToString(), 16);
                digits++;
            }
            bytes.Add(digits == 0 ? (byte)0 : (byte)value); // NaN becomes 0 in a Uint8Array
        }
        return [.. bytes];
    }
}
