using System.Numerics;
using GovBot.Governance;

namespace GovBot.Tests.Governance;

public class TokenAmountTests
{
    [Theory]
    [InlineData("1234567890000000000000", 18, "1,234.56789")]
    [InlineData("1000000", 6, "1")]
    [InlineData("1500000", 6, "1.5")]
    [InlineData("0", 18, "0")]
    [InlineData("1", 18, "0.000000000000000001")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", 18,
        "115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584007913129639935")]
    public void Format_IsExactForUint256(string baseUnits, int decimals, string expected) =>
        Assert.Equal(expected, TokenAmount.Format(BigInteger.Parse(baseUnits), decimals));

    [Fact]
    public void FormatWithSymbol_RoundsForDisplay() =>
        Assert.Equal("1,234.57 GBT", TokenAmount.Format(BigInteger.Parse("1234567890000000000000"), 18, "GBT", 2));

    [Theory]
    [InlineData("2500000000000000000000000", 18, "2.5M")]
    [InlineData("45600000000000000000000", 18, "45.6K")]
    [InlineData("9999000000000000000000", 18, "9,999")]
    public void Compact_UsesSuffixesAboveTenThousand(string baseUnits, int decimals, string expected) =>
        Assert.Equal(expected, TokenAmount.Compact(BigInteger.Parse(baseUnits), decimals));
}
