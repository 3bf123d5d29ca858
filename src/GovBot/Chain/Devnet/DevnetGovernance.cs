using System.Numerics;
using System.Text;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace GovBot.Chain.Devnet;

/// <summary>One call of a proposal being built for the devnet.</summary>
public sealed record DevnetCall(string Target, BigInteger Value, byte[] Calldata);

/// <summary>
/// Drives governance on a seeded devnet DAO from anvil's unlocked accounts: propose, vote, queue, execute, and give
/// new holders votes. The seeder, the integration tests and the benchmarks share it.
/// </summary>
public sealed class DevnetGovernance
{
    private const string ProposeSignature = "propose(address[],uint256[],bytes[],string)";
    private const string QueueSignature = "queue(address[],uint256[],bytes[],bytes32)";
    private const string ExecuteSignature = "execute(address[],uint256[],bytes[],bytes32)";
    private const string HashProposalSignature = "hashProposal(address[],uint256[],bytes[],bytes32)";

    private readonly Web3 _web3;
    private readonly Contract _governor;
    private readonly Contract _token;
    private readonly Contract _usdc;

    public DevnetGovernance(Uri rpc, ContractArtifacts artifacts, DevnetDao dao)
    {
        _web3 = new Web3(rpc.ToString());
        _web3.TransactionManager.TransactionReceiptService = new Nethereum.RPC.TransactionReceipts.TransactionReceiptPollingService(_web3.TransactionManager, 5);
        Dao = dao;
        var (tokenName, governorName) = (dao.Flavor, dao.ClockMode) switch
        {
            ("bravo", _) => ("BravoToken", "BravoGovernor"),
            (_, "timestamp") => ("GovTokenTimestamp", "DaoGovernor"),
            _ => ("GovToken", "DaoGovernor"),
        };
        _governor = _web3.Eth.GetContract(artifacts.Get(governorName).Abi, dao.Governor);
        _token = _web3.Eth.GetContract(artifacts.Get(tokenName).Abi, dao.Token);
        _usdc = _web3.Eth.GetContract(artifacts.Get("MockUSDC").Abi, dao.Usdc);
    }

    public DevnetDao Dao { get; }

    public Web3 Web3 => _web3;

    public DevnetCall UsdcTransfer(string to, BigInteger baseUnits) =>
        new(Dao.Usdc, BigInteger.Zero, _usdc.GetFunction("transfer").GetData(to, baseUnits).HexToByteArray());

    public static DevnetCall EthTransfer(string to, BigInteger wei) => new(to, wei, []);

    /// <summary>Proposes and returns the proposal id (decimal).</summary>
    public async Task<string> ProposeAsync(IReadOnlyList<DevnetCall> calls, string description, string proposer, CancellationToken cancellationToken = default)
    {
        var (targets, values, calldatas) = Unzip(calls);
        await SendAsync(Dao.Name, "propose", _governor, ProposeSignature, proposer, cancellationToken, targets, values, calldatas, description);
        var id = await _governor.GetFunctionBySignature(Selector(HashProposalSignature)).CallAsync<BigInteger>(targets, values, calldatas, DescriptionHash(description));
        return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task VoteAsync(string proposalId, byte support, string voter, string? reason, CancellationToken cancellationToken = default) =>
        reason is null
            ? SendAsync(Dao.Name, $"vote {support} by {voter}", _governor, "castVote(uint256,uint8)", voter, cancellationToken, BigInteger.Parse(proposalId, System.Globalization.CultureInfo.InvariantCulture), support)
            : SendAsync(Dao.Name, $"vote {support} by {voter}", _governor, "castVoteWithReason(uint256,uint8,string)", voter, cancellationToken, BigInteger.Parse(proposalId, System.Globalization.CultureInfo.InvariantCulture), support, reason);

    public Task QueueAsync(IReadOnlyList<DevnetCall> calls, string description, CancellationToken cancellationToken = default)
    {
        var (targets, values, calldatas) = Unzip(calls);
        return SendAsync(Dao.Name, "queue", _governor, QueueSignature, DevnetAccounts.Addresses[0], cancellationToken, targets, values, calldatas, DescriptionHash(description));
    }

    public Task ExecuteAsync(IReadOnlyList<DevnetCall> calls, string description, CancellationToken cancellationToken = default)
    {
        var (targets, values, calldatas) = Unzip(calls);
        return SendAsync(Dao.Name, "execute", _governor, ExecuteSignature, DevnetAccounts.Addresses[0], cancellationToken, targets, values, calldatas, DescriptionHash(description));
    }

    /// <summary>Mints governance tokens to a holder (the deployer owns the devnet token) and has the holder delegate to itself.</summary>
    public async Task GiveVotesAsync(string holder, BigInteger amount, CancellationToken cancellationToken = default)
    {
        await SendAsync(Dao.Name, $"mint to {holder}", _token, "mint(address,uint256)", DevnetAccounts.Addresses[0], cancellationToken, holder, amount);
        await SendAsync(Dao.Name, $"{holder} delegates to self", _token, "delegate(address)", holder, cancellationToken, holder);
    }

    /// <summary>Sends a contract call from an unlocked account and checks its receipt; the error names the DAO, the step and the transaction.</summary>
    internal static async Task<TransactionReceipt> SendAsync(string dao, string step, Contract contract, string signature, string from, CancellationToken cancellationToken, params object[] args)
    {
        TransactionReceipt receipt;
        try
        {
            // A fixed gas limit and a legacy zero gas price: anvil's EIP-1559 path without explicit gas hung the first call here.
            receipt = await contract.GetFunctionBySignature(Selector(signature))
                .SendTransactionAndWaitForReceiptAsync(from, new HexBigInteger(5_000_000), new HexBigInteger(0), cancellationToken, args);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{dao}: {step} ({signature} on {contract.Address}) failed: {ex.Message}", ex);
        }

        EnsureSuccess(receipt, $"{dao}: {step}");
        return receipt;
    }

    internal static void EnsureSuccess(TransactionReceipt receipt, string step)
    {
        if (receipt.Status?.Value != 1)
            throw new InvalidOperationException($"{step}: transaction {receipt.TransactionHash} reverted (status {receipt.Status?.Value}, block {receipt.BlockNumber?.Value})");
    }

    internal static string Selector(string signature) => Sha3Keccack.Current.CalculateHash(signature)[..8];

    public static byte[] DescriptionHash(string description) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(description));

    private static (List<string> Targets, List<BigInteger> Values, List<byte[]> Calldatas) Unzip(IReadOnlyList<DevnetCall> calls) =>
        (calls.Select(c => c.Target).ToList(), calls.Select(c => c.Value).ToList(), calls.Select(c => c.Calldata).ToList());
}
