using System.Text;
using GovBot.Governance;
using GovBot.Orchestration;

namespace GovBot.Chat.Commands;

public sealed class AskCommand(AskService ask, Delegation.DelegationFollowups followups) : IChatCommand
{
    public const string FlaggedNote = "Links, addresses or names not found in the chain data were removed, and amounts the chain data does not show are marked.";

    public string Name => "ask";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var question = context.RequiredArgument("question", "/ask which proposals are open?");
        var answer = await ask.AskAsync(context.Dao, question, cancellationToken);
        // A link /ask made is followed up like one /delegate made: the chat hears back once the delegation is indexed.
        foreach (var link in answer.DelegationLinks)
            await followups.RecordLinkAsync(link, context.Request.Surface, context.Request.ChatId, cancellationToken);
        var preview = ProposalText.StripControl(question).ReplaceLineEndings(" ");
        return new ChatReply(preview.Length > 80 ? preview[..79] + "…" : preview, answer.Answer) { Footer = Footer(answer), Links = answer.Links };
    }

    internal static string Footer(AskAnswer answer)
    {
        var footer = new StringBuilder();
        if (answer.Note is not null)
            footer.Append(answer.Note).Append('\n');
        if (answer.Citations.Count > 0)
            footer.Append("Sources: ").Append(string.Join("; ", answer.Citations.Take(5).Select(Format))).Append('\n');
        if (answer.Flagged)
            footer.Append(FlaggedNote).Append('\n');
        footer.Append(answer.Model == "offline" ? "Answered from the chain, no model" : $"Answered by {answer.Model}");
        if (answer.FromCache)
            footer.Append(" (cached)");
        return footer.ToString();
    }

    internal static string Format(Citation c)
    {
        var parts = new List<string>();
        if (c.ProposalId is not null)
            parts.Add($"proposal {GovernanceService.ShortId(c.ProposalId)}");
        if (c.Note is not null)
            parts.Add(c.Note);
        if (c.Block is not null)
            parts.Add($"block {c.Block}");
        if (c.Tx is not null)
            parts.Add($"tx {c.Tx[..Math.Min(c.Tx.Length, 12)]}…");
        return string.Join(", ", parts);
    }
}
