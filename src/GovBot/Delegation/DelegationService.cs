using System.Globalization;
using System.Numerics;
using GovBot.Chain;
using GovBot.Configuration;
using GovBot.Governance;
using GovBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nethereum.JsonRpc.Client;

namespace GovBot.Delegation;

public sealed record DelegationPageResult(int Status, string Html);

public sealed record DelegationRelayResult(int Status, DelegationRelayResponse Body);

/// <summary>
/// Everything behind /delegate: issuing links, rendering the page for a link, and deciding and relaying a signed
/// delegation. Every refusal says why, and nothing is sent before every check has passed.
/// </summary>
public sealed class DelegationService(
    DaoRegistry daos,
    GovernanceQueries queries,
    DelegationChainReader chain,
    DelegationRelayer relayer,
    DelegationRelayLimiter limiter,
    DelegationFollowups followups,
    IOptions<WebOptions> web,
    TimeProvider time,
    ILogger<DelegationService> logger)
{
    private DelegationLinkSigner? _signer;

    public bool Configured => !string.IsNullOrWhiteSpace(web.Value.LinkSigningKey);

    private DelegationLinkSigner Signer => _signer ??= Configured
        ? new DelegationLinkSigner(web.Value.LinkSigningKey, web.Value.PublicBaseUrl, daos.All.Select(d => d.Options), time)
        : throw new ConfigurationException("Web:LinkSigningKey", "is not set, so GovBot cannot issue delegation links");

    public SignedDelegationLink CreateLink(string? dao, string delegatee)
    {
        var context = daos.Resolve(dao);
        var address = GovernanceService.ParseAddress(delegatee);
        if (address == EthAddress.Zero)
            throw new UserInputException("Delegating to the zero address would switch your votes off; pick a delegate's address.");
        return Signer.Create(context.Options, address);
    }

    public async Task<DelegationPageResult> RenderPageAsync(string token, CancellationToken cancellationToken)
    {
        var validation = Signer.Validate(token);
        if (!validation.IsValid)
            return new DelegationPageResult(validation.Failure == LinkValidationFailure.Expired ? 410 : 400, ErrorPage(
                "This delegation link cannot be used", validation.Reason,
                validation.Reason.Contains("new link", StringComparison.Ordinal) ? "Nothing was signed or sent." : "Nothing was signed or sent. Ask GovBot for a new link with /delegate."));
        var link = validation.Link!;
        var dao = daos.Resolve(link.Dao);
        GovernorProfile profile;
        DelegationChainFacts facts;
        try
        {
            profile = await dao.GetProfileAsync(cancellationToken);
            facts = await chain.ReadAsync(dao, null, cancellationToken, votesOf: link.Delegatee);
        }
        catch (Exception ex) when (ex is RpcUnavailableException or RpcErrorException or ConfigurationException)
        {
            logger.LogWarning(ex, "Delegation page for {Dao}: chain not reachable", dao.Name);
            return new DelegationPageResult(503, ErrorPage("The chain is not reachable right now",
                $"GovBot cannot read {dao.Name}'s token from its node at the moment", "Nothing was signed or sent, and this link still works: reload the page in a minute."));
        }
        catch (UserInputException ex)
        {
            logger.LogWarning("Delegation page for {Dao}: the token cannot be delegated by signature: {Reason}", dao.Name, ex.Message);
            return new DelegationPageResult(502, ErrorPage("This token cannot be delegated here", ex.Message.TrimEnd('.'), "Nothing was signed or sent."));
        }

        var votes = await queries.VotesByVoterAsync(dao.Name, link.Delegatee, 5, cancellationToken);
        // The token's own answer is the current power; the index (which may lag) only for tokens without getVotes/getCurrentVotes.
        var power = facts.Votes
            ?? (await queries.DelegatesAsync(dao.Name, int.MaxValue, cancellationToken)).FirstOrDefault(d => d.Address == link.Delegatee)?.Votes
            ?? BigInteger.Zero;

        var data = new DelegationPageData(
            new DelegationPageDao(dao.Name, profile.ChainId, "0x" + profile.ChainId.ToString("x", CultureInfo.InvariantCulture), dao.Token, profile.TokenSymbol, profile.TokenDecimals),
            new DelegationPageDelegatee(link.Delegatee, null, power.ToString(CultureInfo.InvariantCulture),
                votes.Select(v => new DelegationPageVote(v.Vote.ProposalId, v.Title, v.Vote.Support.ToString(), v.Vote.Reason.Length > 0 ? v.Vote.Reason : null)).ToList()),
            DelegationTypedData.ToJsonTemplate(facts.Domain),
            link.ExpiresAt.ToUnixTimeSeconds(),
            SignatureValiditySeconds: 3600,
            Relayer: relayer.Enabled,
            ExplorerTxUrl: profile.ChainId == 1 ? "https://etherscan.io/tx/" : null);
        return new DelegationPageResult(200, DelegationPage.Render(data));
    }

    public async Task<DelegationRelayResult> RelayAsync(string token, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var validation = Signer.Validate(token);
        if (!validation.IsValid)
            return Refuse(validation.Failure == LinkValidationFailure.Expired ? 410 : 400, validation.Reason);
        if (!relayer.Enabled)
            return Refuse(409, "this GovBot has no relayer; send delegate() from your wallet instead");

        var parsed = DelegationRelayRequest.Parse(body.Span);
        if (!parsed.IsValid)
            return new DelegationRelayResult(400, new DelegationRelayResponse(null, "the request is malformed", parsed.Errors));
        var request = parsed.Request!;
        var link = validation.Link!;
        var dao = daos.Resolve(link.Dao);

        DelegationChainFacts facts;
        try
        {
            facts = await chain.ReadAsync(dao, request.Delegator, cancellationToken);
        }
        catch (Exception ex) when (ex is RpcUnavailableException or RpcErrorException)
        {
            logger.LogWarning(ex, "Delegation relay on {Dao}: chain not reachable", dao.Name);
            return Refuse(503, "the chain is not reachable right now; nothing was sent, try again shortly");
        }
        catch (UserInputException ex)
        {
            return Refuse(502, ex.Message + " Nothing was sent.");
        }

        var decision = DelegationRelayPolicy.Check(link, request, facts, time.GetUtcNow());
        if (!decision.Accepted)
            return Refuse(decision.Refusal == RelayRefusal.ChainMismatch ? 502 : 422, decision.Reason);
        var slot = await limiter.TryAcquireAsync(link, request.Delegator, request.Nonce, cancellationToken);
        if (!slot.Acquired)
            return Refuse(slot.Status, slot.Refusal);

        try
        {
            var txHash = await relayer.RelayAsync(dao, facts.ChainId, decision, cancellationToken);
            // Once sent, the bookkeeping must not be skipped because the client went away.
            await limiter.RecordSentAsync(slot, txHash, CancellationToken.None);
            await followups.RecordRelayAsync(link, request.Delegator, txHash, CancellationToken.None);
            return new DelegationRelayResult(200, new DelegationRelayResponse(txHash, null, null));
        }
        catch (RelayerUnfundedException)
        {
            await limiter.ReleaseAsync(slot, CancellationToken.None);
            return Refuse(503, "GovBot's relayer cannot pay for gas right now, so nothing was sent; send delegate() from your wallet instead, or try again later");
        }
        catch (RpcResponseException ex)
        {
            logger.LogWarning("Delegation relay on {Dao} for {Delegator} refused by the node: {Reason}", dao.Name, request.Delegator, ex.Message);
            await limiter.ReleaseAsync(slot, CancellationToken.None);
            return Refuse(422, "the token refused this delegation (it would revert); nothing was sent");
        }
        catch (Exception ex) when (ex is RpcClientUnknownException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Delegation relay on {Dao}: node unreachable", dao.Name);
            return Refuse(503, "the chain is not reachable right now; try again shortly");
        }
    }

    /// <summary>Most wallet transactions one link may report; a holder retrying after a dropped transaction needs a few.</summary>
    public const int MaxWalletReportsPerLink = 3;

    /// <summary>
    /// Without a relayer the holder's wallet sends <c>delegate()</c> itself and the page reports the transaction here,
    /// so the chat that asked for the link still hears back. Nothing is trusted: the chat is told only once the indexer
    /// has seen a DelegateChanged in that transaction, from that delegator, to the link's delegatee.
    /// </summary>
    public async Task<DelegationRelayResult> RecordWalletTransactionAsync(string token, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var validation = Signer.Validate(token);
        if (!validation.IsValid)
            return Refuse(validation.Failure == LinkValidationFailure.Expired ? 410 : 400, validation.Reason);
        var parsed = DelegationWalletReport.Parse(body.Span);
        if (parsed.Report is not { } report)
            return new DelegationRelayResult(400, new DelegationRelayResponse(null, "the request is malformed", parsed.Errors));

        var link = validation.Link!;
        if (!await followups.TryRecordWalletTransactionAsync(link, report.Delegator, report.TxHash, MaxWalletReportsPerLink, cancellationToken))
            return Refuse(429, $"this link has already reported {MaxWalletReportsPerLink} transactions; ask the bot for a new link");
        return new DelegationRelayResult(202, new DelegationRelayResponse(report.TxHash, null, null));
    }

    private static DelegationRelayResult Refuse(int status, string error) => new(status, new DelegationRelayResponse(null, error, null));

    private static string ErrorPage(string heading, string reason, string advice)
    {
        // The same stylesheet and icon as the page (relative to /delegate/{token}), so a refusal does not look broken.
        var text = System.Net.WebUtility.HtmlEncode(reason.Length > 0 ? char.ToUpperInvariant(reason[0]) + reason[1..] : reason);
        return $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="referrer" content="no-referrer"><title>GovBot delegation link</title>
            <link rel="stylesheet" href="assets/delegate.css?v={DelegationPage.AssetVersion}"><link rel="icon" href="assets/icon.svg" type="image/svg+xml"></head>
            <body><main><h1>{System.Net.WebUtility.HtmlEncode(heading)}</h1><p class="error">{text}.</p>
            <p>{System.Net.WebUtility.HtmlEncode(advice)}</p></main></body></html>
            """;
    }
}
