using System.Globalization;
using System.Text;
using GovBot.Chat;
using GovBot.Configuration;
using GovBot.Governance;

namespace GovBot.Treasury;

public sealed class TreasuryCommand(TreasuryService treasury) : IChatCommand
{
    public string Name => "treasury";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var snapshot = await treasury.BalancesAsync(context.Dao, cancellationToken);
        var facts = new List<ChatFact>();
        foreach (var group in snapshot.Balances.GroupBy(b => b.Token))
        {
            var first = group.First();
            var known = group.Where(b => b.Balance is not null).ToList();
            var value = known.Count == 0
                ? "did not answer balanceOf"
                : TreasuryService.FormatAmount(known.Aggregate(System.Numerics.BigInteger.Zero, (s, b) => s + b.Balance!.Value), first.Symbol, first.Decimals);
            facts.Add(new ChatFact(first.Symbol, value));
        }

        var body = snapshot.Holders.Count == 1
            ? $"Held by the timelock {EthAddress.Short(snapshot.Holders[0])}."
            : "Held by " + string.Join(", ", snapshot.Holders.Select(EthAddress.Short)) + ".";
        return new ChatReply($"{snapshot.Dao} treasury", body) { Facts = facts, Footer = $"at block {snapshot.Block}" };
    }
}

public sealed class SimulateCommand(TreasurySimulator simulator) : IChatCommand
{
    public string Name => "simulate";

    public async Task<ChatReply> ExecuteAsync(ChatContext context, CancellationToken cancellationToken)
    {
        SimulationReport report;
        try
        {
            report = await simulator.SimulateAsync(context.Dao, context.RequiredArgument("id", "/simulate 42"), cancellationToken);
        }
        catch (SimulationUnavailableException ex)
        {
            return ChatReply.Unavailable("Simulation unavailable", ex.Message);
        }

        return Render(report);
    }

    /// <summary>The exact change: balances are rounded for reading, and a small change must not look like none.</summary>
    private static string Change(BalanceDelta delta)
    {
        if (delta.Change.IsZero)
            return "";
        var sign = delta.Change.Sign > 0 ? "+" : "−";
        var amount = System.Numerics.BigInteger.Abs(delta.Change);
        return delta.Decimals is { } decimals
            ? $" ({sign}{TokenAmount.Format(amount, decimals)} {delta.Symbol})"
            : $" ({sign}{amount.ToString(CultureInfo.InvariantCulture)} base units)";
    }

    internal static ChatReply Render(SimulationReport report)
    {
        var body = new StringBuilder();
        foreach (var action in report.Actions)
        {
            body.Append(action.Success ? "✅ " : "❌ ").Append(action.Index).Append(". ").Append(action.Summary);
            if (!action.Success)
                body.Append(" — reverts: ").Append(action.RevertReason);
            body.AppendLine();
        }

        var facts = new List<ChatFact>();
        foreach (var delta in report.Deltas.Where(d => d.IsTreasury && !d.Change.IsZero).Concat(report.Deltas.Where(d => !d.IsTreasury)).Take(20))
        {
            var who = delta.IsTreasury ? $"Treasury {EthAddress.Short(delta.Address)}" : EthAddress.Short(delta.Address);
            facts.Add(new ChatFact($"{who} · {delta.Symbol}",
                $"{TreasuryService.FormatAmount(delta.Before, delta.Symbol, delta.Decimals)} → {TreasuryService.FormatAmount(delta.After, delta.Symbol, delta.Decimals)}{Change(delta)}", Inline: false));
        }

        if (facts.Count == 0)
            facts.Add(new ChatFact("Balances", report.WouldRevert ? "no change: execution would revert" : "no treasury balance changes"));
        foreach (var risk in report.Risks.Where(r => r.Severity >= RiskSeverity.Medium).Take(4))
            facts.Add(new ChatFact($"⚠️ {risk.Severity} risk", risk.Reason, Inline: false));

        return new ChatReply($"Simulation of #{GovernanceService.ShortId(report.ProposalId)} {report.Title}", body.ToString().TrimEnd())
        {
            Facts = facts,
            Footer = (report.Note is null ? "" : report.Note + " ") +
                     $"Simulated from {EthAddress.Short(report.Executor)} on block {report.BaseBlock.ToString(CultureInfo.InvariantCulture)} with eth_simulateV1; gas {report.TotalGas.ToString(CultureInfo.InvariantCulture)}.",
        };
    }
}
