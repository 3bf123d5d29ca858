using System.Globalization;
using System.Numerics;
using GovBot.Chain;
using Nethereum.ABI;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace GovBot.Tests.Chain;

/// <summary>
/// ProposalCreated is decoded by hand (four dynamic arrays and a string); Nethereum's reflection decoder is the
/// reference it must agree with, on every real ENS proposal in the corpus and on edge shapes.
/// </summary>
public sealed class GovernanceEventDecoderTests
{
    private const string Governor = "0x323a76393544d5ecca80cd6ef2a560c6a395b7e3";
    private const string Token = "0xc18360217d8f7ab5e7c516566761ea12ce7f9d72";
    private const string Proposer = "0x5bfcb4be4d7b43437d5a0c57e908c048a4418390";
    private static readonly GovernanceEventDecoder Decoder = new(Governor, Token);

    public static TheoryData<string> CorpusIds() => [.. Corpus.ProposalIdsWithCalldata];

    [Theory]
    [MemberData(nameof(CorpusIds))]
    public void ProposalCreated_FromTheCorpus_DecodesExactlyAsNethereumDoes(string id)
    {
        var actions = Corpus.Actions(id);
        var log = ProposalCreatedLog(
            BigInteger.Parse("79240196041737570302245733546542939429489843024466779843497932936547227935826", CultureInfo.InvariantCulture),
            actions.Select(a => a.Target).ToList(), actions.Select(a => BigInteger.Parse(a.Value, CultureInfo.InvariantCulture)).ToList(),
            actions.Select((_, i) => i % 2 == 0 ? "" : "transfer(address,uint256)").ToList(), actions.Select(a => Convert.FromHexString(a.Calldata[2..])).ToList(),
            Corpus.Description(id));

        AssertAgreesWithNethereum(log);
    }

    [Fact]
    public void ProposalCreated_WithNoActionsAndAnEmptyDescription_AgreesWithNethereum() =>
        AssertAgreesWithNethereum(ProposalCreatedLog(1, [], [], [], [], ""));

    [Fact]
    public void ProposalCreated_WithUnicodeAndLongFields_AgreesWithNethereum() =>
        AssertAgreesWithNethereum(ProposalCreatedLog(
            BigInteger.Pow(2, 256) - 1,
            [Token, Governor, Proposer], [0, BigInteger.Pow(10, 30), 1], ["", "a(uint256)", "🗳️ ünïcode"],
            [[], new byte[33], Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray()],
            "# Titel mit Ümlauten 🗳️\n\n" + new string('x', 70_000)));

    [Fact]
    public void ProposalCreated_WithArraysOfDifferentLengths_IsAFormatException()
    {
        var log = ProposalCreatedLog(1, [Token, Governor], [0], ["", ""], [[], []], "# Mismatch");
        var ex = Assert.Throws<FormatException>(() => Decoder.Decode(log));
        Assert.Contains("different lengths", ex.InnerException?.Message ?? ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProposalCreated_TruncatedAtAnyWord_IsAFormatException_NeverAnotherException()
    {
        var log = ProposalCreatedLog(7, [Token], [5], ["x()"], [[1, 2, 3]], "# Title\nbody");
        for (var cut = 2; cut < log.Data.Length; cut += 64)
        {
            var truncated = log with { Data = log.Data[..cut] };
            Assert.Throws<FormatException>(() => Decoder.Decode(truncated));
        }
    }

    [Fact]
    public void ProposalCreated_WithAnyWordCorrupted_DecodesOrIsAFormatException()
    {
        var log = ProposalCreatedLog(7, [Token, Proposer], [5, 6], ["x()", ""], [[1, 2, 3], []], "# Title\nbody");
        var words = (log.Data.Length - 2) / 64;
        string[] corruptions = ["ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "00000000000000000000000000000000000000000000000000000000000000ff", "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000000000000000000000000000000000007fffffe0"];
        foreach (var word in Enumerable.Range(0, words))
        foreach (var corruption in corruptions)
        {
            var data = log.Data[..(2 + word * 64)] + corruption + log.Data[(2 + (word + 1) * 64)..];
            try
            {
                Decoder.Decode(log with { Data = data });
            }
            catch (FormatException)
            {
            }
        }
    }

    private static void AssertAgreesWithNethereum(ChainLog log)
    {
        var expected = ToFilterLog(log).DecodeEvent<ProposalCreatedEvent>().Event;
        var actual = Assert.IsType<ProposalCreated>(Decoder.Decode(log));

        Assert.Equal(expected.ProposalId.ToString(CultureInfo.InvariantCulture), actual.ProposalId);
        Assert.Equal(expected.Proposer.ToLowerInvariant(), actual.Proposer);
        Assert.Equal(expected.VoteStart.ToString(CultureInfo.InvariantCulture), actual.VoteStart);
        Assert.Equal(expected.VoteEnd.ToString(CultureInfo.InvariantCulture), actual.VoteEnd);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Targets.Count, actual.Actions.Count);
        for (var i = 0; i < expected.Targets.Count; i++)
        {
            Assert.Equal(expected.Targets[i].ToLowerInvariant(), actual.Actions[i].Target);
            Assert.Equal(expected.Values[i].ToString(CultureInfo.InvariantCulture), actual.Actions[i].Value);
            Assert.Equal(expected.Signatures[i], actual.Actions[i].Signature);
            Assert.Equal("0x" + Convert.ToHexStringLower(expected.Calldatas[i]), actual.Actions[i].Calldata);
        }
    }

    private static ChainLog ProposalCreatedLog(BigInteger id, List<string> targets, List<BigInteger> values, List<string> signatures, List<byte[]> calldatas, string description)
    {
        var data = new ABIEncode().GetABIEncoded(
            new ABIValue("uint256", id), new ABIValue("address", Proposer), new ABIValue("address[]", targets),
            new ABIValue("uint256[]", values), new ABIValue("string[]", signatures), new ABIValue("bytes[]", calldatas),
            new ABIValue("uint256", new BigInteger(100)), new ABIValue("uint256", new BigInteger(200)), new ABIValue("string", description));
        return new ChainLog(Governor, [GovernorTopics.ProposalCreated], "0x" + Convert.ToHexStringLower(data), 10, "0x" + new string('a', 64), "0x" + new string('b', 64), 0, null, false);
    }

    private static FilterLog ToFilterLog(ChainLog log) => new()
    {
        Address = log.Address,
        Topics = log.Topics.Cast<object>().ToArray(),
        Data = log.Data,
        BlockNumber = new HexBigInteger(log.BlockNumber),
        BlockHash = log.BlockHash,
        TransactionHash = log.TransactionHash,
        LogIndex = new HexBigInteger(log.LogIndex),
    };
}
