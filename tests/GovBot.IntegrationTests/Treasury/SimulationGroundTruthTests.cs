using System.Numerics;
using GovBot.Chain;
using GovBot.Chain.Devnet;
using GovBot.Governance;
using GovBot.IntegrationTests.Devnet;
using GovBot.Treasury;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Util;

namespace GovBot.IntegrationTests.Treasury;

[Collection(MutableDevnetCollection.Name)]
public class SimulationGroundTruthTests(MutableDevnetFixture devnet)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Simulate_ThenExecuteForReal_BalancesMatchToTheLastUnit()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var chain = new DevnetChain(devnet.Anvil.RpcUrl);
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var recipient = AddressUtil.Current.ConvertToChecksumAddress("0x" + Sha3Keccack.Current.CalculateHash("ground-truth-recipient")[^40..]);
        var calls = new[]
        {
            DevnetGovernance.EthTransfer(recipient, BigInteger.Parse("1234567890123456789")),
            governance.UsdcTransfer(recipient, 4_321_123_456),
        };
        var description = "# Ground truth: pay a recipient in ETH and USDC\n\nSends 1.234567890123456789 ETH and 4,321.123456 USDC.\n";
        var id = await governance.ProposeAsync(calls, description, DevnetAccounts.Addresses[1]);
        await chain.MineAsync(dao.VotingDelay + 1);
        await governance.VoteAsync(id, 1, DevnetAccounts.Addresses[1], null);
        await governance.VoteAsync(id, 1, DevnetAccounts.Addresses[3], null);
        await chain.MineAsync(dao.VotingPeriod + 1);
        await governance.QueueAsync(calls, description);

        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);
        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, id, Ct);

        Assert.Equal(ProposalState.Queued, report.State);
        Assert.False(report.WouldRevert);
        Assert.All(report.Actions, a => Assert.True(a.Success));

        await chain.IncreaseTimeAsync(dao.TimelockDelaySeconds + 1);
        await governance.ExecuteAsync(calls, description);

        var web3 = governance.Web3;
        var usdc = web3.Eth.GetContract(devnet.Artifacts.Get("MockUSDC").Abi, dao.Usdc);
        async Task<BigInteger> Real(string address, string token) => token == TreasuryService.Ether
            ? (await web3.Eth.GetBalance.SendRequestAsync(address)).Value
            : await usdc.GetFunction("balanceOf").CallAsync<BigInteger>(address);

        var checkedDeltas = 0;
        foreach (var delta in report.Deltas.Where(d => d.Address == recipient.ToLowerInvariant() || d.Address == dao.Timelock.ToLowerInvariant()))
        {
            Assert.Equal(delta.After, await Real(delta.Address, delta.Token));
            checkedDeltas++;
        }

        Assert.Equal(4, checkedDeltas);
        Assert.All(report.Actions, a => Assert.True(a.GasUsed > 0));
        Assert.Contains(report.Deltas, d => d.Address == recipient.ToLowerInvariant() && d.Token == dao.Usdc.ToLowerInvariant() && d.After == 4_321_123_456);
    }

    [Fact]
    public async Task Simulate_CallToAddressWithoutCode_AndTextThatMisstatesTheAmount_AreFlagged()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var recipient = "0x" + Sha3Keccack.Current.CalculateHash("risk-flags-recipient")[^40..];
        var codeless = "0x" + Sha3Keccack.Current.CalculateHash("risk-flags-codeless")[^40..];
        var calls = new[]
        {
            governance.UsdcTransfer(recipient, 5_000_000_000),
            new DevnetCall(codeless, 0, Convert.FromHexString("deadbeef")),
        };
        var id = await governance.ProposeAsync(calls, "# Small grant\n\nSends 500 USDC to the recipient.\n", DevnetAccounts.Addresses[1]);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);

        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, id, Ct);

        // A call to an address without code "succeeds" and does nothing: only the flag tells.
        Assert.All(report.Actions, a => Assert.True(a.Success));
        Assert.Contains(codeless, Assert.Single(report.Risks, r => r.Code == RiskCodes.NoCodeTarget).Reason, StringComparison.Ordinal);
        Assert.Contains("500 USDC", Assert.Single(report.Risks, r => r.Code == RiskCodes.AmountNotInActions).Reason, StringComparison.Ordinal);
        Assert.Contains("5,000 USDC", Assert.Single(report.Risks, r => r.Code == RiskCodes.TransferAmountNotInDescription).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_ProposalWhoseActionReverts_SaysWhichAndMovesNothing()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        var reverting = dao.Proposals.Single(p => p.RevertsOnExecution);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);

        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, reverting.Id, Ct);

        Assert.True(report.WouldRevert);
        var failed = Assert.Single(report.Actions, a => !a.Success);
        // OpenZeppelin 5's custom error, decoded with its arguments rather than shown as a bare selector.
        Assert.StartsWith($"ERC20InsufficientBalance(sender {dao.Timelock.ToLowerInvariant()}, balance ", failed.RevertReason, StringComparison.Ordinal);
        Assert.All(report.Deltas, d => Assert.Equal(d.Before, d.After));
        Assert.Contains(report.Risks, r => r.Code == RiskCodes.LargeTransfer);
    }

    [Theory]
    [InlineData(DevnetSeeder.BlockDao)]
    [InlineData(DevnetSeeder.TimestampDao)]
    [InlineData(DevnetSeeder.BravoDao)]
    public async Task Simulate_ActionThatCallsTheGovernorItself_Succeeds_AsInTheRealExecution(string daoName)
    {
        // Regression: updateQuorumNumerator is onlyGovernance; called straight from the timelock it reverted in the
        // simulation (panic 0x31 on OZ 5, Empty() on OZ 4.9) although executing the proposal succeeds.
        var dao = devnet.Deployment.Dao(daoName);
        var raise = dao.Proposals.Single(p => p.Sample == "raise-quorum");
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);

        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, raise.Id, Ct);

        var action = Assert.Single(report.Actions);
        Assert.True(action.Success, action.RevertReason);
        Assert.DoesNotContain("could not reproduce", report.Note ?? "", StringComparison.Ordinal);
        Assert.True(action.GasUsed > 0);
    }

    [Fact]
    public async Task Simulate_GovernorSelfCallThatFailsOnItsOwn_ReportsTheRealReason()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BlockDao);
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var governor = governance.Web3.Eth.GetContract(devnet.Artifacts.Get("DaoGovernor").Abi, dao.Governor);
        var calldata = governor.GetFunction("updateQuorumNumerator").GetData(200);
        var id = await governance.ProposeAsync([new DevnetCall(dao.Governor, 0, Convert.FromHexString(calldata[2..]))], "# Quorum 200%\n\nAn impossible quorum.\n", DevnetAccounts.Addresses[1]);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);

        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, id, Ct);

        var action = Assert.Single(report.Actions);
        Assert.False(action.Success);
        Assert.Equal("GovernorInvalidQuorumFraction(quorumNumerator 200, quorumDenominator 100)", action.RevertReason);
        Assert.DoesNotContain("could not reproduce", report.Note ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_GovernorSelfCall_ThenExecuteForReal_TheSettingChanges()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.TimestampDao);
        var raise = dao.Proposals.Single(p => p.Sample == "raise-quorum");
        var governance = new DevnetGovernance(devnet.Anvil.RpcUrl, devnet.Artifacts, dao);
        var governor = governance.Web3.Eth.GetContract(devnet.Artifacts.Get("DaoGovernor").Abi, dao.Governor);
        var calldata = governor.GetFunction("updateQuorumNumerator").GetData(5);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);
        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, raise.Id, Ct);
        Assert.False(report.WouldRevert);

        await new DevnetChain(devnet.Anvil.RpcUrl).IncreaseTimeAsync(dao.TimelockDelaySeconds + 1);
        await governance.ExecuteAsync([new DevnetCall(dao.Governor, 0, Convert.FromHexString(calldata[2..]))], raise.Description);

        // quorumNumerator is overloaded (with and without a timepoint): call the one without by its selector.
        var latest = await governance.Web3.Eth.Transactions.Call.SendRequestAsync(
            new Nethereum.RPC.Eth.DTOs.CallInput("0x" + Sha3Keccack.Current.CalculateHash("quorumNumerator()")[..8], dao.Governor));
        Assert.Equal(new BigInteger(5), Hex.ToBigInteger(latest));
    }

    [Fact]
    public async Task Simulate_ExecutedProposal_UsesTheStateBeforeExecutionAndSaysSo()
    {
        var dao = devnet.Deployment.Dao(DevnetSeeder.BravoDao);
        var executed = dao.Proposal(ProposalState.Executed);
        await using var host = GovBotTestHost.Create([dao]);
        await host.Services.GetRequiredService<ProposalIndexer>().CatchUpAsync(host.Services.GetRequiredService<DaoRegistry>().Default, null, Ct);

        var report = await host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, executed.Id, Ct);

        Assert.Contains("Already executed", report.Note, StringComparison.Ordinal);
        var grantee = executed.Transfer!.Recipient.ToLowerInvariant();
        Assert.Equal(executed.Transfer.EthWei, Assert.Single(report.Deltas, d => d.Address == grantee && d.Token == TreasuryService.Ether).Change);
        Assert.Equal(executed.Transfer.UsdcUnits, Assert.Single(report.Deltas, d => d.Address == grantee && d.Token == dao.Usdc.ToLowerInvariant()).Change);
    }

    [Fact]
    public async Task Simulate_UnknownId_IsAClearUserError()
    {
        await using var host = GovBotTestHost.Create([devnet.Deployment.Dao(DevnetSeeder.BlockDao)]);
        var ex = await Assert.ThrowsAsync<UserInputException>(() => host.Services.GetRequiredService<TreasurySimulator>().SimulateAsync(null, "999999999", Ct));
        Assert.Contains("No proposal", ex.Message, StringComparison.Ordinal);
    }
}
