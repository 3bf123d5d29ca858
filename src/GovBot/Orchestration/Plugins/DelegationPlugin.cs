using System.ComponentModel;
using System.Globalization;
using GovBot.Chat;
using GovBot.Configuration;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration.Plugins;

/// <summary>
/// Delegation links for the model: the same signed, expiring link /delegate gives. Only for an address the user wrote
/// in their own question, so a proposal text or vote reason that talks the model into "delegate to 0x…" gets no link.
/// </summary>
public sealed class DelegationPlugin(AskSession session)
{
    public const string LinkLabel = "Delegate votes";

    [KernelFunction("make_delegation_link")]
    [Description("Makes a signed link, valid for a limited time, that the member opens to delegate their own voting power to one address: the page asks their wallet to sign and GovBot relays it, so they pay no gas. Only works for an address the member wrote in their own message. GovBot shows the link as a button under your answer: say it is there, never write the URL. Use it for 'delegate my votes to 0x…', 'how do I delegate to 0x…'.")]
    public Task<string> MakeDelegationLinkAsync(
        [Description("The delegate's 0x address (40 hex characters), copied exactly from the member's own message.")] string address,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(MakeLink(session, address, out var error) is { } link
            ? GovernancePlugin.Json(new
            {
                dao = session.Dao, @delegate = link.Link.Delegatee, link_expires = GovernancePlugin.Time(link.Link.ExpiresAt),
                link_shown_as_button = true,
            })
            : GovernancePlugin.Error(error!));
    }

    /// <summary>The link for <paramref name="address"/>, recorded in the session as a button; null with the reason otherwise.</summary>
    internal static Delegation.SignedDelegationLink? MakeLink(AskSession session, string? address, out string? error)
    {
        if (!EthAddress.TryNormalize(address?.Trim(), out var delegatee))
        {
            error = "the address must be 0x followed by 40 hex characters";
            return null;
        }

        if (!session.UserAddresses.Contains(delegatee))
        {
            error = "a delegation link can only be made for an address the member wrote in their own message";
            return null;
        }

        try
        {
            var link = session.Data.CreateDelegationLink(session.Dao, delegatee);
            if (link is null)
            {
                error = "this GovBot has no link-signing key (Web:LinkSigningKey), so it cannot make delegation links";
                return null;
            }

            session.AddDelegationLink(link, LinkLabel);
            error = null;
            return link;
        }
        catch (UserInputException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    internal static string Expiry(Delegation.SignedDelegationLink link) =>
        link.Link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
