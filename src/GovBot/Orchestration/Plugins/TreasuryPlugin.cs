using System.ComponentModel;
using GovBot.Treasury;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration.Plugins;

/// <summary>
/// What a proposal would do to the treasury, from its decoded calldata alone. Balances and simulation need a treasury
/// service GovBot does not have yet, so there is no function for them (the answer prompt says so) rather than a guess.
/// </summary>
public sealed class TreasuryPlugin(AskSession session)
{
    [KernelFunction("get_proposal_treasury_effect")]
    [Description("What one proposal's actions would move out of or permit from the treasury: every token transfer and approval (token, amount, from, to), other decoded calls, and risk flags such as unlimited approvals, admin changes or amounts in the description that the calldata does not match. Use it for 'what does N do to the treasury', 'who gets paid by N', 'is N risky'.")]
    public async Task<string> GetProposalTreasuryEffectAsync(
        [Description("The proposal id, copied exactly.")] string id,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
            var actions = await session.RecordProposalAsync(view, cancellationToken);
            var flags = new RiskAssessor().Assess(actions, view.Proposal.Description);
            return GovernancePlugin.Json(new
            {
                dao = session.Dao, id = view.Id, created_block = view.Proposal.CreatedBlock, created_tx = view.Proposal.CreatedTx,
                movements = actions.SelectMany(a => a.SelfAndDescendants()).SelectMany(a => a.Movements).Select(m => new
                {
                    kind = m.Kind.ToString().ToLowerInvariant(), token = m.Symbol ?? m.Token, amount = m.FormatAmount(), from = m.From ?? session.DaoFacts.Executor, to = m.To,
                }),
                actions = actions.Select(a => a.Summary),
                risk_flags = flags.Select(f => new { severity = f.Severity.ToString().ToLowerInvariant(), code = f.Code, reason = f.Reason }),
            });
        }
        catch (UserInputException ex)
        {
            return GovernancePlugin.Error(ex.Message);
        }
    }
}
