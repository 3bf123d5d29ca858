using System.Numerics;
using System.Text.Json.Nodes;
using GovBot.Chain;

namespace GovBot.Delegation;

/// <summary>Reads what a relay decision needs from the chain in one batch: chain id, the token's signing domain, and the delegator's nonce and balance.</summary>
public sealed class DelegationChainReader
{
    /// <param name="votesOf">When set, that address's current voting power is read in the same batch (getVotes, or COMP's getCurrentVotes).</param>
    public async Task<DelegationChainFacts> ReadAsync(DaoContext dao, string? delegator, CancellationToken cancellationToken, string? votesOf = null)
    {
        var holder = delegator ?? Configuration.EthAddress.Zero;
        var votesAccount = votesOf ?? holder;
        var results = await dao.Rpc.BatchAsync(
        [
            ("eth_chainId", new JsonArray()),
            ContractCall.EthCall(dao.Token, new Eip712DomainFunction()),
            ContractCall.EthCall(dao.Token, new NameFunction()),
            ContractCall.EthCall(dao.Token, new NoncesFunction { Owner = holder }),
            ContractCall.EthCall(dao.Token, new BalanceOfFunction { Account = holder }),
            ContractCall.EthCall(dao.Token, new GetVotesFunction { Account = votesAccount }),
            ContractCall.EthCall(dao.Token, new GetCurrentVotesFunction { Account = votesAccount }),
        ], cancellationToken);

        var chainId = results[0].Error is { } chainError ? throw chainError : Hex.ToBigInteger(results[0].Value.GetString() ?? "0x0");
        Eip712Domain domain;
        if (results[1].Ok)
        {
            var d = ContractCall.Decode<Eip712DomainOutput>(results[1].Value);
            if (!Eip712Domain.TryFromErc5267(d.Fields.Length > 0 ? d.Fields[0] : (byte)0, d.Name, d.Version, d.ChainId, d.VerifyingContract, d.Salt, d.Extensions, out var parsed, out var error))
                throw new UserInputException(error);
            domain = parsed!;
        }
        else if (results[2].Ok)
        {
            // COMP-style tokens predate ERC-5267: their domain is (name, chainId, verifyingContract), no version.
            domain = Eip712Domain.CompStyle(ContractCall.DecodeString(results[2].Value), chainId, dao.Token);
        }
        else
        {
            throw new UserInputException($"The token {dao.Token} exposes neither eip712Domain() nor name(); GovBot cannot build its signature domain.");
        }

        var nonce = results[3].Ok ? ContractCall.DecodeUint(results[3].Value) : throw new UserInputException("The token has no nonces(address); it does not support delegateBySig.");
        var balance = results[4].Ok ? ContractCall.DecodeUint(results[4].Value) : BigInteger.Zero;
        BigInteger? votes = votesOf is null ? null
            : results[5].Ok ? ContractCall.DecodeUint(results[5].Value)
            : results[6].Ok ? ContractCall.DecodeUint(results[6].Value)
            : null;
        return new DelegationChainFacts(chainId, dao.Token, balance, nonce, domain) { Votes = votes };
    }
}
