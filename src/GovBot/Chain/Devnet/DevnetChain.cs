using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace GovBot.Chain.Devnet;

/// <summary>anvil's test-only RPC: move the chain through time, snapshot and revert, reorg.</summary>
public sealed class DevnetChain(IWeb3 web3)
{
    public DevnetChain(Uri rpcUrl) : this(new Web3(rpcUrl.ToString()))
    {
    }

    private IClient Client => web3.Client;

    /// <summary>Mines <paramref name="blocks"/> empty blocks, each <paramref name="intervalSeconds"/> after the previous one.</summary>
    public Task MineAsync(long blocks, long intervalSeconds = 12, CancellationToken cancellationToken = default) =>
        SendAsync<object>("anvil_mine", cancellationToken, new HexBigInteger(blocks).HexValue, new HexBigInteger(intervalSeconds).HexValue);

    /// <summary>Moves the next block's timestamp forward and mines it.</summary>
    public async Task IncreaseTimeAsync(long seconds, CancellationToken cancellationToken = default)
    {
        await SendAsync<object>("evm_increaseTime", cancellationToken, seconds);
        await SendAsync<object>("evm_mine", cancellationToken);
    }

    public async Task<long> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    public async Task<(long Number, long Timestamp)> LatestBlockAsync(CancellationToken cancellationToken = default)
    {
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return ((long)block.Number.Value, (long)block.Timestamp.Value);
    }

    /// <summary>Returns the snapshot id to pass to <see cref="RevertAsync"/>; a snapshot is consumed by reverting to it.</summary>
    public async Task<string> SnapshotAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<string>("evm_snapshot", cancellationToken);

    public async Task<bool> RevertAsync(string snapshotId, CancellationToken cancellationToken = default) =>
        await SendAsync<bool>("evm_revert", cancellationToken, snapshotId);

    /// <summary>Replaces the last <paramref name="depth"/> blocks with as many empty ones (anvil_reorg).</summary>
    public Task ReorgAsync(long depth, CancellationToken cancellationToken = default) =>
        SendAsync<object>("anvil_reorg", cancellationToken, depth, Array.Empty<object>());

    public async Task<BigInteger> BalanceAsync(string address, CancellationToken cancellationToken = default) =>
        (await web3.Eth.GetBalance.SendRequestAsync(address)).Value;

    private async Task<T> SendAsync<T>(string method, CancellationToken cancellationToken, params object[] parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await Client.SendRequestAsync<T>(method, null, parameters).WaitAsync(cancellationToken);
    }
}
