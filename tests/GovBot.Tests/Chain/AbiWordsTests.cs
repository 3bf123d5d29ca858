using GovBot.Chain;

namespace GovBot.Tests.Chain;

public class AbiWordsTests
{
    // VoteCast(proposalId=7, support=1, weight=5e18, reason="ok") as a governor emits it.
    private const string VoteCastData =
        "0x0000000000000000000000000000000000000000000000000000000000000007" +
        "0000000000000000000000000000000000000000000000000000000000000001" +
        "0000000000000000000000000000000000000000000000004563918244f40000" +
        "0000000000000000000000000000000000000000000000000000000000000080" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "6f6b000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void Reads_StaticWordsAndADynamicString()
    {
        var words = new AbiWords(VoteCastData);
        Assert.Equal(7, words.Uint(0));
        Assert.Equal(1, words.SmallUint(1, 255));
        Assert.Equal(System.Numerics.BigInteger.Parse("5000000000000000000"), words.Uint(2));
        Assert.Equal("ok", words.String(3));
    }

    [Theory]
    [InlineData("0x00")]
    [InlineData("0xzz")]
    public void MalformedData_IsAFormatException(string data) => Assert.Throws<FormatException>(() => new AbiWords(data));

    [Fact]
    public void DynamicOffsetOrLengthOutsideTheData_IsAFormatException()
    {
        var badOffset = VoteCastData.Replace("0000000000000000000000000000000000000000000000000000000000000080", "00000000000000000000000000000000000000000000000000000000000fff80", StringComparison.Ordinal);
        var badLength = VoteCastData.Replace("0000000000000000000000000000000000000000000000000000000000000002", "00000000000000000000000000000000000000000000000000000000ffffffff", StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => new AbiWords(badOffset).String(3));
        Assert.Throws<FormatException>(() => new AbiWords(badLength).String(3));
        Assert.Throws<FormatException>(() => new AbiWords(VoteCastData).Uint(9));
    }

    [Fact]
    public void TopicAddress_RejectsATopicThatIsNotAnAddress()
    {
        Assert.Equal("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", AbiWords.TopicAddress("0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"));
        Assert.Throws<FormatException>(() => AbiWords.TopicAddress("0x10000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"));
    }
}
