using System.Numerics;
using GovBot.Chain.Devnet;
using GovBot.Governance;
using Nethereum.Contracts;
using Nethereum.Web3;
using Xunit.Abstractions;

namespace GovBot.IntegrationTests.Devnet;

[Collection(DevnetCollection.Name)]
public sealed class DevnetSeederTests(DevnetFixture fixture, ITestOutputHelper output)
{
    private readonly Web3 _web3 = new(fixture.Anvil.RpcUrl.ToString());

    [Theory]
    [InlineData(DevnetSeeder.BlockDao)]
    [InlineData(DevnetSeeder.TimestampDao)]
    [InlineData(DevnetSeeder.BravoDao)]
    public async Task Seed_EveryProposal_IsInItsExpectedState(string daoName)
    {
        var dao = fixture.Deployment.Dao(daoName);
        var governor = Governor(dao);

        foreach (var proposal in dao.Proposals)
        {
            var state = (ProposalState)await governor.GetFunction("state").CallAsync<byte>(BigInteger.Parse(proposal.Id));
            output.WriteLine($"{daoName} {proposal.Sample} {proposal.Id}: {state}");
            Assert.True(proposal.ExpectedState == state, $"{daoName} '{proposal.Title}' is {state}, expected {proposal.ExpectedState}");
        }
    }

    [Theory]
    [InlineData(DevnetSeeder.BlockDao)]
    [InlineData(DevnetSeeder.TimestampDao)]
    [InlineData(DevnetSeeder.BravoDao)]
    public void Seed_CoversEveryState_AndOneRevertingProposal(string daoName)
    {
        var dao = fixture.Deployment.Dao(daoName);
        var expected = Enum.GetValues<ProposalState>().Where(s => s != ProposalState.Expired || dao.Flavor == "bravo");

        Assert.All(expected, s => Assert.Contains(dao.Proposals, p => p.ExpectedState == s));
        Assert.Single(dao.Proposals, p => p.RevertsOnExecution);
        Assert.All(dao.Proposals, p => Assert.StartsWith("# ", p.Description, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DevnetSeeder.BlockDao)]
    [InlineData(DevnetSeeder.TimestampDao)]
    [InlineData(DevnetSeeder.BravoDao)]
    public async Task ExecutedProposal_MovedExactEthAndUsdc_ToGrantee(string daoName)
    {
        var dao = fixture.Deployment.Dao(daoName);
        var transfer = dao.Proposal(ProposalState.Executed).Transfer!;
        var usdc = _web3.Eth.GetContract(fixture.Artifacts.Get("MockUSDC").Abi, dao.Usdc);

        var eth = await _web3.Eth.GetBalance.SendRequestAsync(transfer.Recipient);
        var usdcBalance = await usdc.GetFunction("balanceOf").CallAsync<BigInteger>(transfer.Recipient);

        Assert.Equal(BigInteger.Parse("5000000000000000000"), transfer.EthWei);
        Assert.Equal(transfer.EthWei, eth.Value);
        Assert.Equal(new BigInteger(25_000_000_000), transfer.UsdcUnits);
        Assert.Equal(transfer.UsdcUnits, usdcBalance);

        var treasuryUsdc = await usdc.GetFunction("balanceOf").CallAsync<BigInteger>(dao.Timelock);
        Assert.Equal(new BigInteger(1_000_000_000_000) - transfer.UsdcUnits, treasuryUsdc);
    }

    [Fact]
    public async Task Seed_OnAWallClockAnvil_EndsWithChainTimeCloseToNow()
    {
        var (_, timestamp) = await new DevnetChain(fixture.Anvil.RpcUrl).LatestBlockAsync();
        var drift = DateTimeOffset.FromUnixTimeSeconds(timestamp) - DateTimeOffset.UtcNow;

        Assert.True(drift.Duration() < TimeSpan.FromDays(1), $"chain time is {drift.TotalHours:0.0} h off the wall clock");
    }

    [Fact]
    public async Task ClockMode_DiffersBetweenBlockAndTimestampGovernors()
    {
        var block = await Governor(fixture.Deployment.Dao(DevnetSeeder.BlockDao)).GetFunction("CLOCK_MODE").CallAsync<string>();
        var timestamp = await Governor(fixture.Deployment.Dao(DevnetSeeder.TimestampDao)).GetFunction("CLOCK_MODE").CallAsync<string>();

        Assert.Equal("mode=blocknumber&from=default", block);
        Assert.Equal("mode=timestamp", timestamp);
        Assert.Equal("blocknumber", fixture.Deployment.Dao(DevnetSeeder.BlockDao).ClockMode);
        Assert.Equal("timestamp", fixture.Deployment.Dao(DevnetSeeder.TimestampDao).ClockMode);
    }

    [Theory]
    [InlineData(DevnetSeeder.BlockDao)]
    [InlineData(DevnetSeeder.TimestampDao)]
    [InlineData(DevnetSeeder.BravoDao)]
    public async Task Holders_HaveExpectedBalancesDelegatesAndVotingPower(string daoName)
    {
        var dao = fixture.Deployment.Dao(daoName);
        var tokenAbi = fixture.Artifacts.Get(dao.Flavor == "bravo" ? "BravoToken" : "GovToken").Abi;
        var token = _web3.Eth.GetContract(tokenAbi, dao.Token);

        Assert.Equal(6, dao.Holders.Count);
        foreach (var holder in dao.Holders)
        {
            Assert.Equal(holder.Balance, await token.GetFunction("balanceOf").CallAsync<BigInteger>(holder.Address));
            Assert.Equal(holder.VotingPower, await token.GetFunction("getVotes").CallAsync<BigInteger>(holder.Address));
            Assert.Equal(holder.Delegate.ToLowerInvariant(), (await token.GetFunction("delegates").CallAsync<string>(holder.Address)).ToLowerInvariant());
        }
    }

    [Fact]
    public void Seeding_ReportsItsDuration()
    {
        output.WriteLine($"seeded {fixture.Deployment.Daos.Count} DAOs in {fixture.Deployment.SeedDuration.TotalSeconds:0.0} s");
        Assert.InRange(fixture.Deployment.SeedDuration, TimeSpan.Zero, TimeSpan.FromMinutes(2));
    }

    private Contract Governor(DevnetDao dao) =>
        _web3.Eth.GetContract(fixture.Artifacts.Get(dao.Flavor == "bravo" ? "BravoGovernor" : "DaoGovernor").Abi, dao.Governor);
}
