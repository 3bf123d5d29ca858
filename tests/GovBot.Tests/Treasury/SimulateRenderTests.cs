using System.Numerics;
using GovBot.Governance;
using GovBot.Treasury;

namespace GovBot.Tests.Treasury;

public sealed class SimulateRenderTests
{
    private const string Timelock = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    private const string Recipient = "0xb2d383297ad8f0db530db5a80d2b243332418dca";
    private const string Usdc = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Id = "38485741570572031882635035782478860357225263273250268481009292431525186040044";

    private static SimulationReport Report(IReadOnlyList<SimulatedAction> actions, IReadOnlyList<BalanceDelta> deltas) =>
        new("devnet", Id, "Pay a contributor", ProposalState.Queued, 1054, Timelock, actions, deltas, [], null);

    [Fact]
    public void Deltas_ShowRoundedBalances_AndTheExactChange()
    {
        var oneWeiLess = BigInteger.Parse("95000000000000000000") - 1;
        var reply = SimulateCommand.Render(Report(
            [new SimulatedAction(1, Usdc, "0", "Transfer 60,000.000001 USDC to " + Recipient, true, null, 51_611)],
            [
                new BalanceDelta(Timelock, TreasuryService.Ether, "ETH", 18, BigInteger.Parse("95000000000000000000"), oneWeiLess, true),
                new BalanceDelta(Recipient, Usdc, "USDC", 6, 0, 60_000_000_001, false),
            ]));

        // Rounded to four places both sides read "95 ETH"; the exact change shows the wei moved.
        Assert.Equal("95 ETH → 95 ETH (−0.000000000000000001 ETH)", reply.Facts.Single(f => f.Name == "Treasury 0x9fe4…a6e0 · ETH").Value);
        Assert.Equal("0 USDC → 60,000 USDC (+60,000.000001 USDC)", reply.Facts.Single(f => f.Name == "0xb2d3…8dca · USDC").Value);
        Assert.StartsWith("Simulation of #384857…040044 ", reply.Title, StringComparison.Ordinal);
        Assert.Contains("gas 51611", reply.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public void RevertingAction_IsMarked_WithItsReason_AndNothingMoves()
    {
        var reply = SimulateCommand.Render(Report(
            [new SimulatedAction(1, Usdc, "0", "Transfer 2,000,000 USDC to " + Recipient, false, "ERC20InsufficientBalance(sender 0x9f…, balance 1, needed 2)", 24_534)],
            [new BalanceDelta(Timelock, Usdc, "USDC", 6, 975_000_000_000, 975_000_000_000, true)]));

        Assert.Equal($"❌ 1. Transfer 2,000,000 USDC to {Recipient} — reverts: ERC20InsufficientBalance(sender 0x9f…, balance 1, needed 2)", reply.Body);
        Assert.Equal("no change: execution would revert", reply.Facts.Single(f => f.Name == "Balances").Value);
    }

    [Fact]
    public void TokenWithoutDecimals_ChangeIsInBaseUnits()
    {
        var reply = SimulateCommand.Render(Report(
            [new SimulatedAction(1, Usdc, "0", "call", true, null, 1)],
            [new BalanceDelta(Recipient, "0x1111111111111111111111111111111111111111", "0x1111…1111", null, 0, 12_345, false)]));

        Assert.Equal("0 base units of 0x1111…1111 (decimals unknown) → 12345 base units of 0x1111…1111 (decimals unknown) (+12345 base units)",
            reply.Facts.Single().Value);
    }
}
