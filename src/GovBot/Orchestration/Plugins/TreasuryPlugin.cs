using System.ComponentModel;
using GovBot.Treasury;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration.Plugins;

/// <summary>The treasury as the model sees it: balances, what a proposal's calldata moves, and a simulation against current state.</summary>
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

    [KernelFunction("get_treasury_balances")]
    [Description("The DAO treasury's current balances: ETH and every configured token, summed over the timelock and other treasury addresses, at one block. Use it for 'how much is in the treasury', 'how much USDC does the DAO have'.")]
    public async Task<string> GetTreasuryBalancesAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await session.Data.TreasuryAsync(session.Dao, cancellationToken);
        if (snapshot is null)
            return GovernancePlugin.Error("this DAO has no treasury configured");
        foreach (var holder in snapshot.Holders)
            session.Facts.AddAddress(holder);
        session.Cite(new Citation(null, snapshot.Block, null, "treasury balances"));
        var totals = snapshot.Balances.Where(b => b.Balance is not null).GroupBy(b => b.Token).Select(g =>
        {
            var first = g.First();
            var total = g.Aggregate(System.Numerics.BigInteger.Zero, (sum, b) => sum + b.Balance!.Value);
            if (first.Decimals is { } decimals)
                session.Facts.AddAmount(first.Symbol, total, decimals);
            return new { token = first.Symbol, address = first.Token, amount = TreasuryService.FormatAmount(total, first.Symbol, first.Decimals) };
        });
        return GovernancePlugin.Json(new { dao = session.Dao, block = snapshot.Block, holders = snapshot.Holders, balances = totals });
    }

    [KernelFunction("simulate_proposal")]
    [Description("Executes a proposal's actions in a simulation against the current chain state and returns, per address and token, the balance before and after, which actions would revert and why, and gas. Use it for 'what would N do to the treasury balances', 'would N succeed if executed'.")]
    public async Task<string> SimulateProposalAsync(
        [Description("The proposal id, copied exactly.")] string id,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var report = await session.Data.SimulateAsync(session.Dao, id, cancellationToken);
            if (report is null)
                return GovernancePlugin.Error("the node behind this DAO cannot simulate proposals");
            var view = await session.Data.GetAsync(session.Dao, id, cancellationToken);
            await session.RecordProposalAsync(view, cancellationToken);
            foreach (var delta in report.Deltas)
            {
                session.Facts.AddAddress(delta.Address);
                if (delta.Decimals is { } decimals)
                {
                    session.Facts.AddAmount(delta.Symbol, delta.Before, decimals);
                    session.Facts.AddAmount(delta.Symbol, delta.After, decimals);
                    session.Facts.AddAmount(delta.Symbol, System.Numerics.BigInteger.Abs(delta.Change), decimals);
                }
            }

            return GovernancePlugin.Json(new
            {
                dao = session.Dao, id = report.ProposalId, base_block = report.BaseBlock, would_revert = report.WouldRevert, note = report.Note,
                actions = report.Actions.Select(a => new { index = a.Index, summary = a.Summary, success = a.Success, revert_reason = a.RevertReason }),
                deltas = report.Deltas.Select(d => new
                {
                    address = d.Address, token = d.Symbol, treasury = d.IsTreasury,
                    before = TreasuryService.FormatAmount(d.Before, d.Symbol, d.Decimals), after = TreasuryService.FormatAmount(d.After, d.Symbol, d.Decimals),
                }),
            });
        }
        catch (UserInputException ex)
        {
            return GovernancePlugin.Error(ex.Message);
        }
    }
}
