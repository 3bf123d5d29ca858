using System.Numerics;
using GovBot.Chain;
using GovBot.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace GovBot.Delegation;

/// <summary>
/// Submits delegateBySig from the relayer key. It can only ever call delegateBySig on a configured DAO's token:
/// there is no general "send this" method to misuse. Relays are serialised so the relayer's nonce never races.
/// </summary>
public sealed class DelegationRelayer(IOptions<RelayerOptions> options, ILogger<DelegationRelayer> logger)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PrivateKey);

    public async Task<string> RelayAsync(DaoContext dao, BigInteger chainId, RelayDecision decision, CancellationToken cancellationToken)
    {
        if (!Enabled)
            throw new InvalidOperationException("no relayer key is configured");
        var message = decision.Message ?? throw new ArgumentException("only accepted decisions are relayed", nameof(decision));
        var signature = decision.Signature!;
        var account = new Account(options.Value.PrivateKey, chainId);
        var web3 = new Web3(account, dao.Options.Rpc);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var function = new DelegateBySigFunction
        {
            Delegatee = message.Delegatee,
            DelegationNonce = message.Nonce,
            Expiry = message.Expiry,
            V = signature.V,
            R = Convert.FromHexString(signature.R[2..]),
            S = Convert.FromHexString(signature.S[2..]),
        };

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            var handler = web3.Eth.GetContractTransactionHandler<DelegateBySigFunction>();
            // Estimating first turns an on-chain revert (replayed nonce, expired signature) into a refusal that costs no gas.
            function.Gas = await handler.EstimateGasAsync(dao.Token, function);
            var txHash = await handler.SendRequestAsync(dao.Token, function);
            logger.LogInformation("Relayed delegateBySig on {Dao} for {Delegator} to {Delegatee}: {TxHash}", dao.Name, signature.Signer, message.Delegatee, txHash);
            return txHash;
        }
        catch (Nethereum.JsonRpc.Client.RpcResponseException ex) when (ex.Message.Contains("insufficient funds", StringComparison.OrdinalIgnoreCase))
        {
            // The node's own words (geth, anvil, reth, erigon): not the holder's fault, and the operator must act.
            logger.LogError("Relayer {Relayer} has too little ETH to pay for gas on {Dao}; every relay fails until it is funded", account.Address, dao.Name);
            throw new RelayerUnfundedException(account.Address);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}

/// <summary>The relayer's account cannot pay for gas; nothing was sent.</summary>
public sealed class RelayerUnfundedException(string relayer) : Exception($"the relayer {relayer} has too little ETH to pay for gas")
{
    public string Relayer { get; } = relayer;
}
