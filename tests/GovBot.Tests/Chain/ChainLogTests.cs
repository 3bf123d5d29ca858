using System.Text.Json;
using GovBot.Chain;

namespace GovBot.Tests.Chain;

public class ChainLogTests
{
    private const string ValidLog = """
        {"address":"0xABCDEF0000000000000000000000000000000001","topics":["0x3134e8a2e6d97e929a7e54011ea5485d7d196dd5f0ba4d4ef95803e8e3fc257f"],
         "data":"0x","blockNumber":"0x10","blockHash":"0x01","transactionHash":"0x02","logIndex":"0x3","blockTimestamp":"0x5f5e100","removed":false}
        """;

    [Fact]
    public void Parse_ValidLog_NormalisesHexAndReadsNumbers()
    {
        var log = ChainLog.Parse(JsonDocument.Parse(ValidLog).RootElement);
        Assert.Equal("0xabcdef0000000000000000000000000000000001", log.Address);
        Assert.Equal(16, log.BlockNumber);
        Assert.Equal(3, log.LogIndex);
        Assert.Equal(100_000_000, log.BlockTimestamp);
    }

    [Theory]
    [InlineData("\"blockNumber\":\"0x10\"", "\"blockNumber\":16")]
    [InlineData("\"blockNumber\":\"0x10\"", "\"blockNumber\":\"zz\"")]
    [InlineData("\"data\":\"0x\"", "\"data\":\"0xZZ\"")]
    [InlineData("\"topics\":[", "\"topicz\":[")]
    [InlineData("\"logIndex\":\"0x3\"", "\"logIndex\":null")]
    public void Parse_MalformedField_ThrowsFormatExceptionNamingTheProblem(string from, string to)
    {
        var json = ValidLog.Replace(from, to, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ChainLog.Parse(JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [InlineData("0x0", 0)]
    [InlineData("0xff", 255)]
    [InlineData("0x7fffffffffffffff", long.MaxValue)]
    public void ToLong_ParsesQuantities(string hex, long expected) => Assert.Equal(expected, Hex.ToLong(hex));

    [Theory]
    [InlineData("ff")]
    [InlineData("0x")]
    [InlineData("0x10000000000000000")]
    public void ToLong_RejectsWhatIsNotA64BitQuantity(string hex) => Assert.Throws<FormatException>(() => Hex.ToLong(hex));
}
