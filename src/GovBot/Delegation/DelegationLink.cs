namespace GovBot.Delegation;

/// <summary>What a signed delegation link promises: delegate this DAO's token to this address, until <see cref="ExpiresAt"/>.</summary>
/// <param name="Dao">The DAO's configured name.</param>
/// <param name="ChainId">The chain the DAO's token lives on.</param>
/// <param name="Token">The ERC20Votes token, lowercase 0x.</param>
/// <param name="Delegatee">The address the holder delegates to, lowercase 0x.</param>
/// <param name="ExpiresAt">Expiry, whole seconds.</param>
/// <param name="LinkId">Random id, base64url of 12 bytes; the relay limiter counts per link id.</param>
/// <param name="KeyId">First 8 hex chars of SHA-256 of the signing key.</param>
public sealed record DelegationLink(
    string Dao,
    long ChainId,
    string Token,
    string Delegatee,
    DateTimeOffset ExpiresAt,
    string LinkId,
    string KeyId);

public enum LinkValidationFailure
{
    None,
    Malformed,
    BadSignature,
    Expired,
    UnknownDao,
    DaoMismatch,
    RetiredKey,
}

public sealed record LinkValidationResult(DelegationLink? Link, LinkValidationFailure Failure, string Reason)
{
    public bool IsValid => Failure == LinkValidationFailure.None && Link is not null;

    internal static LinkValidationResult Valid(DelegationLink link) => new(link, LinkValidationFailure.None, "ok");

    internal static LinkValidationResult Fail(LinkValidationFailure failure, string reason) => new(null, failure, reason);
}

/// <summary>A freshly signed link: the token and the URL a chat reply shows.</summary>
public sealed record SignedDelegationLink(DelegationLink Link, string Token, Uri Url);
