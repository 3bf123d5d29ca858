using System.Numerics;
using GovBot.Configuration;

namespace GovBot.Delegation;

/// <summary>What the relay endpoint reads from the chain before deciding; filled from RPC at request time.</summary>
/// <param name="ChainId">eth_chainId of the DAO's RPC.</param>
/// <param name="Token">The token address the endpoint is about to call.</param>
/// <param name="DelegatorBalance">balanceOf(delegator), base units.</param>
/// <param name="DelegatorNonce">nonces(delegator).</param>
/// <param name="Domain">The token's signing domain (ERC-5267 eip712Domain(), or the COMP-style fallback).</param>
public sealed record DelegationChainFacts(BigInteger ChainId, string Token, BigInteger DelegatorBalance, BigInteger DelegatorNonce, Eip712Domain Domain)
{
    /// <summary>Current voting power of the address asked for (the page asks for the delegatee's); null when not asked or the token has neither getVotes nor getCurrentVotes.</summary>
    public BigInteger? Votes { get; init; }
}

public enum RelayRefusal
{
    None,
    LinkExpired,
    ChainMismatch,
    TokenMismatch,
    DomainMismatch,
    SignatureExpired,
    ExpiryTooFar,
    BadSignature,
    SignerNotDelegator,
    NonceMismatch,
    NoTokens,
}

/// <summary>Accept carries what the relayer sends: <c>delegateBySig(Link.Delegatee, Nonce, Expiry, V, R, S)</c>.</summary>
public sealed record RelayDecision(RelayRefusal Refusal, string Reason, DelegationMessage? Message, RecoveredSignature? Signature)
{
    public bool Accepted => Refusal == RelayRefusal.None && Message is not null && Signature is not null;

    internal static RelayDecision Refuse(RelayRefusal refusal, string reason) => new(refusal, reason, null, null);
}

/// <summary>
/// Decides, before any transaction is built, whether relaying a delegation would succeed and is what the link offered.
/// Pure: the chain facts and the clock are passed in. The delegatee is always the link's: the server builds the
/// signed message from the link, so a signature over any other delegatee recovers to a different address.
/// </summary>
public static class DelegationRelayPolicy
{
    /// <summary>A signature must stay valid at least this long, or the transaction may be mined after it lapses.</summary>
    public static readonly TimeSpan MinRemainingValidity = TimeSpan.FromMinutes(2);

    /// <summary>Signature expiry may exceed the link's by at most this; a signature valid for years is a standing permission nobody asked for.</summary>
    public static readonly TimeSpan MaxExpiryBeyondLink = TimeSpan.FromDays(1);

    public static RelayDecision Check(DelegationLink link, DelegationRelayRequest request, DelegationChainFacts chain, DateTimeOffset now)
    {
        if (now >= link.ExpiresAt)
            return RelayDecision.Refuse(RelayRefusal.LinkExpired, "this link has expired; ask the bot for a new link");

        if (chain.ChainId != link.ChainId)
            return RelayDecision.Refuse(RelayRefusal.ChainMismatch, $"the RPC reports chain {chain.ChainId} but this link is for chain {link.ChainId}; nothing was sent");
        if (!EthAddress.TryNormalize(chain.Token, out var token) || token != link.Token)
            return RelayDecision.Refuse(RelayRefusal.TokenMismatch, "the token the relayer would call is not the link's token; nothing was sent");
        if (chain.Domain.ChainId is { } domainChain && domainChain != link.ChainId)
            return RelayDecision.Refuse(RelayRefusal.DomainMismatch, $"the token's signing domain is for chain {domainChain}, not {link.ChainId}; nothing was sent");
        if (chain.Domain.VerifyingContract is { } verifying && verifying != link.Token)
            return RelayDecision.Refuse(RelayRefusal.DomainMismatch, "the token's signing domain names a different contract; nothing was sent");

        var nowSeconds = now.ToUnixTimeSeconds();
        if (request.Expiry < nowSeconds + (long)MinRemainingValidity.TotalSeconds)
            return RelayDecision.Refuse(RelayRefusal.SignatureExpired, "the signature has expired or expires within two minutes; sign again");
        if (request.Expiry > link.ExpiresAt.Add(MaxExpiryBeyondLink).ToUnixTimeSeconds())
            return RelayDecision.Refuse(RelayRefusal.ExpiryTooFar, "the signature's expiry is more than a day past the link's; sign again from the page");

        var message = new DelegationMessage(link.Delegatee, request.Nonce, request.Expiry);
        var check = DelegationSignatureVerifier.Recover(chain.Domain, message, request.Signature);
        if (check.Recovered is not { } recovered)
            return RelayDecision.Refuse(RelayRefusal.BadSignature, check.Error ?? "the signature is invalid");
        if (recovered.Signer != request.Delegator)
            return RelayDecision.Refuse(RelayRefusal.SignerNotDelegator, $"the signature is not from {EthAddress.Short(request.Delegator)} for delegating to {EthAddress.Short(link.Delegatee)} on this token; sign again from the page");

        if (request.Nonce != chain.DelegatorNonce)
            return RelayDecision.Refuse(RelayRefusal.NonceMismatch, $"the signature uses nonce {request.Nonce} but the token expects {chain.DelegatorNonce}; reload the page and sign again");
        if (chain.DelegatorBalance.Sign <= 0)
            return RelayDecision.Refuse(RelayRefusal.NoTokens, $"{EthAddress.Short(request.Delegator)} holds none of this token, so there is nothing to delegate");

        return new RelayDecision(RelayRefusal.None, "ok", message, recovered);
    }
}
