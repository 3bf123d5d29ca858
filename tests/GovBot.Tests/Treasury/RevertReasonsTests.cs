using GovBot.Treasury;
using Nethereum.ABI;

namespace GovBot.Tests.Treasury;

public sealed class RevertReasonsTests
{
    private const string Timelock = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";

    private static string Error(string signature, params ABIValue[] values) =>
        "0x" + new Nethereum.Util.Sha3Keccack().CalculateHash(signature)[..8] + Convert.ToHexStringLower(new ABIEncode().GetABIEncoded(values));

    [Fact]
    public void ErrorString_IsTheMessage() =>
        Assert.Equal("Ownable: caller is not the owner", RevertReasons.Describe(Error("Error(string)", new ABIValue("string", "Ownable: caller is not the owner"))));

    [Fact]
    public void Oz5InsufficientBalance_IsNamedWithItsArguments()
    {
        var data = Error("ERC20InsufficientBalance(address,uint256,uint256)", new ABIValue("address", Timelock), new ABIValue("uint256", 975_000_000_000), new ABIValue("uint256", 2_000_000_000_000));
        Assert.Equal($"ERC20InsufficientBalance(sender {Timelock}, balance 975000000000, needed 2000000000000)", RevertReasons.Describe(data));
    }

    [Theory]
    [InlineData("0x3db2a12a", "Empty")] // OpenZeppelin 4.9 DoubleEndedQueue.Empty(): four bytes, no arguments
    [InlineData("0x4e487b710000000000000000000000000000000000000000000000000000000000000031", "panic 0x31 (pop from an empty array)")]
    [InlineData("0x4e487b710000000000000000000000000000000000000000000000000000000000000011", "panic 0x11 (arithmetic overflow or underflow)")]
    [InlineData("0x4e487b7100000000000000000000000000000000000000000000000000000000000000ff", "panic 0xff")]
    [InlineData("0xdeadbeef0000", "reverted with custom error 0xdeadbeef (6 bytes)")]
    [InlineData("0x", RevertReasons.NoReason)]
    [InlineData("0xzz", RevertReasons.NoReason)]
    [InlineData(null, RevertReasons.NoReason)]
    public void OtherRevertData_IsNamedOrShownRaw_NeverGuessed(string? data, string expected) =>
        Assert.Equal(expected, RevertReasons.Describe(data));

    [Fact]
    public void KnownErrorWithMalformedArguments_FallsBackToTheRawSelector()
    {
        var truncated = Error("ERC20InsufficientBalance(address,uint256,uint256)", new ABIValue("address", Timelock))[..74];
        Assert.StartsWith("reverted with custom error 0xe450d38c", RevertReasons.Describe(truncated), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorString_WithControlCharactersAndHugeLength_StaysOneBoundedLine()
    {
        var reason = RevertReasons.Describe(Error("Error(string)", new ABIValue("string", "a\nb\u0007" + new string('x', 5000))));
        Assert.DoesNotContain('\n', reason);
        Assert.True(reason.Length <= 300, $"{reason.Length} chars");
    }
}
