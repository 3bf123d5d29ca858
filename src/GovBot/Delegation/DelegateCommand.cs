using GovBot.Chat;
using GovBot.Configuration;

namespace GovBot.Delegation;

public sealed class DelegateCommand(DelegationService delegation, DelegationFollowups followups, DelegationRelayer relayer) : IChatCommand
{
    public string Name => "delegate";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        if (!delegation.Configured)
            return ChatReply.Unavailable("Delegation links are not set up", "This GovBot has no link-signing key (Web:LinkSigningKey), so it cannot issue delegation links.");
        var link = delegation.CreateLink(context.Dao, context.RequiredArgument("address", "/delegate 0xabc…"));
        await followups.RecordLinkAsync(link.Link, context.Request.Surface, context.Request.ChatId, cancellationToken);
        var reply = new ChatReply(
            $"Delegate your {link.Link.Dao} votes to {EthAddress.Short(link.Link.Delegatee)}",
            relayer.Enabled
                ? "Open the link, connect your wallet and sign. GovBot relays the signature on chain, so you pay no gas. The link only works for this delegate."
                : "Open the link, connect your wallet and send the delegate transaction (you pay the gas). The link only works for this delegate.")
        {
            Facts =
            [
                new("Delegate", link.Link.Delegatee, Inline: false),
                new("Link expires", link.Link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)),
            ],
            Links = [new ChatLink("Delegate votes", link.Url.ToString())],
        };
        return reply;
    }
}
