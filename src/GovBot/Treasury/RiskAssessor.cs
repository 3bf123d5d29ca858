using System.Numerics;
using GovBot.Configuration;

namespace GovBot.Treasury;

public enum RiskSeverity
{
    Info,
    Low,
    Medium,
    High,
}

/// <summary>One reason to look twice at a proposal. Code is stable (for renderers and tests); Reason is for people.</summary>
public sealed record RiskFlag(RiskSeverity Severity, string Code, string Reason);

public static class RiskCodes
{
    public const string UnlimitedApproval = "UNLIMITED_APPROVAL";
    public const string AdminChange = "ADMIN_CHANGE";
    public const string RoleChange = "ROLE_CHANGE";
    public const string Upgrade = "UPGRADE";
    public const string DelegateCall = "DELEGATECALL";
    public const string LargeTransfer = "LARGE_TRANSFER";
    public const string LargeApproval = "LARGE_APPROVAL";
    public const string NoCodeTarget = "NO_CODE_TARGET";
    public const string UnknownFunction = "UNKNOWN_FUNCTION";
    public const string Undecodable = "UNDECODABLE";
    public const string AmountNotInActions = "DESCRIPTION_AMOUNT_NOT_IN_ACTIONS";
    public const string RecipientNotInActions = "DESCRIPTION_RECIPIENT_NOT_IN_ACTIONS";
    public const string UnmentionedTransfer = "TRANSFER_NOT_IN_DESCRIPTION";
    public const string TransferAmountNotInDescription = "TRANSFER_AMOUNT_NOT_IN_DESCRIPTION";
}

public sealed record RiskOptions
{
    /// <summary>A proposal moving more than this share of a token's treasury balance is flagged.</summary>
    public decimal TreasuryShareThreshold { get; init; } = 0.10m;

    /// <summary>Safe MultiSend libraries: a delegatecall into one of these is the normal way a Safe batches calls.</summary>
    public IReadOnlySet<string> MultiSendLibraries { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "0x40a2accbd92bca938b02010e17a5b8929b49130d", // MultiSendCallOnly 1.3.0
        "0xa238cbeb142c10ef7ad8442c6d1f9e89e07e7761", // MultiSend 1.3.0
        "0x9641d764fc13c8b624c04430c7356c1c7c8102e2", // MultiSendCallOnly 1.4.1
        "0x38869bf66a61cf6bdb996a6ae40d5853fd43b526", // MultiSend 1.4.1
    };

    /// <summary>At most this many examples are named in one flag's reason.</summary>
    public int MaxExamplesPerFlag { get; init; } = 3;
}

/// <summary>
/// Flags what deserves a second look in a decoded proposal. Pure: balances and code-less addresses are passed in
/// (the simulator fills them from the chain). One flag per code, naming a few examples, so a 100-call batch does not
/// bury the reader.
/// </summary>
public sealed class RiskAssessor(RiskOptions options)
{
    public RiskAssessor() : this(new RiskOptions())
    {
    }

    /// <param name="actions">The proposal's decoded actions (top level; nested calls are walked).</param>
    /// <param name="description">Proposal text: untrusted, possibly huge.</param>
    /// <param name="treasuryBalances">Token address (lowercase) or "ETH" → balance in base units.</param>
    /// <param name="codelessAddresses">Addresses known to have no code (eth_getCode returned 0x).</param>
    public IReadOnlyList<RiskFlag> Assess(
        IReadOnlyList<DecodedAction> actions,
        string? description = null,
        IReadOnlyDictionary<string, BigInteger>? treasuryBalances = null,
        IReadOnlySet<string>? codelessAddresses = null)
    {
        var all = actions.SelectMany(a => a.SelfAndDescendants()).ToArray();
        var flags = new List<RiskFlag>();

        Add(flags, RiskSeverity.High, RiskCodes.UnlimitedApproval,
            all.SelectMany(a => a.Movements.Where(m => m.Kind == MovementKind.Approval && m.IsUnlimited)
                .Select(m => $"{m.To} may spend {m.FormatAmount()}")),
            n => $"{n} unlimited approval(s)");

        Add(flags, RiskSeverity.High, RiskCodes.AdminChange,
            all.Where(a => a.Kind == DecodedActionKind.AdminChange).Select(a => a.Summary),
            n => $"{n} ownership/admin change(s)");

        Add(flags, RiskSeverity.Medium, RiskCodes.RoleChange,
            all.Where(a => a.Kind == DecodedActionKind.RoleChange).Select(a => a.Summary),
            n => $"{n} role or permission change(s)");

        Add(flags, RiskSeverity.High, RiskCodes.Upgrade,
            all.Where(a => a.Kind == DecodedActionKind.Upgrade).Select(a => a.Summary),
            n => $"{n} contract upgrade(s)");

        AddDelegateCalls(flags, all);

        Add(flags, RiskSeverity.Medium, RiskCodes.Undecodable,
            all.Where(a => a.Kind == DecodedActionKind.Undecodable).Select(a => a.Summary),
            n => $"{n} action(s) could not be decoded");

        Add(flags, RiskSeverity.Low, RiskCodes.UnknownFunction,
            all.Where(a => a.Kind == DecodedActionKind.UnknownFunction).Select(a => a.Summary),
            n => $"{n} call(s) to functions GovBot does not know");

        if (codelessAddresses is { Count: > 0 })
        {
            // Calldata sent to an address with no code does nothing at all: almost always a wrong address.
            Add(flags, RiskSeverity.High, RiskCodes.NoCodeTarget,
                all.Where(a => a.Kind != DecodedActionKind.EthTransfer && a.CalldataLength > 0 && codelessAddresses.Contains(a.Target))
                    .Select(a => $"{a.Target} has no code but is called: {a.Summary}"),
                n => $"{n} call(s) to an address with no contract code");
        }

        if (treasuryBalances is { Count: > 0 })
            AddTreasuryShare(flags, all, treasuryBalances);

        if (!string.IsNullOrEmpty(description))
            flags.AddRange(DescriptionMismatch.Find(all, description, options.MaxExamplesPerFlag));

        return flags;
    }

    private void AddDelegateCalls(List<RiskFlag> flags, DecodedAction[] all)
    {
        var delegateCalls = all.Where(a => a.Operation == CallOperation.DelegateCall || (a.FunctionName?.Contains("delegatecall", StringComparison.OrdinalIgnoreCase) ?? false)).ToArray();
        var toMultiSend = delegateCalls.Where(a => a.FunctionName == "multiSend" && options.MultiSendLibraries.Contains(a.Target)).ToArray();
        Add(flags, RiskSeverity.High, RiskCodes.DelegateCall,
            delegateCalls.Except(toMultiSend).Select(a => $"delegatecall into {a.Target}: {a.Summary}"),
            n => $"{n} delegatecall(s): the callee runs with the caller's storage and funds");
        Add(flags, RiskSeverity.Info, RiskCodes.DelegateCall,
            toMultiSend.Select(a => $"Safe delegatecalls the standard MultiSend library {a.Target} to batch {a.InnerActions.Count} call(s)"),
            n => $"{n} delegatecall(s) into a known Safe MultiSend library (the usual way to batch)");
    }

    private void AddTreasuryShare(List<RiskFlag> flags, DecodedAction[] all, IReadOnlyDictionary<string, BigInteger> balances)
    {
        var byToken = all.SelectMany(a => a.Movements)
            .Where(m => !m.IsUnlimited && m.Standard is TokenStandard.Native or TokenStandard.Erc20)
            .GroupBy(m => (m.Kind, Token: m.Token.ToLowerInvariant()));
        var shareBasisPoints = new BigInteger(decimal.Round(options.TreasuryShareThreshold * 10_000m));
        foreach (var group in byToken)
        {
            if (!balances.TryGetValue(group.Key.Token, out var balance) && !balances.TryGetValue(EthAddress.TryNormalize(group.Key.Token, out var n) ? n : group.Key.Token, out balance))
                continue;
            if (balance.Sign <= 0)
                continue;
            var total = group.Aggregate(BigInteger.Zero, (sum, m) => sum + m.Amount);
            if (total * 10_000 <= balance * shareBasisPoints)
                continue;
            var sample = group.First();
            var percent = total * 100 / balance;
            var totalText = (sample with { Amount = total }).FormatAmount();
            var threshold = (options.TreasuryShareThreshold * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
            if (group.Key.Kind == MovementKind.Transfer)
                flags.Add(new RiskFlag(RiskSeverity.High, RiskCodes.LargeTransfer, $"Moves {totalText}, about {percent}% of the treasury's balance (threshold {threshold})"));
            else
                flags.Add(new RiskFlag(RiskSeverity.Medium, RiskCodes.LargeApproval, $"Approves {totalText}, about {percent}% of the treasury's balance (threshold {threshold})"));
        }
    }

    private void Add(List<RiskFlag> flags, RiskSeverity severity, string code, IEnumerable<string> examples, Func<int, string> headline)
    {
        var list = examples.ToArray();
        if (list.Length == 0)
            return;
        var shown = list.Distinct().Take(options.MaxExamplesPerFlag).ToArray();
        var more = list.Length > shown.Length ? $" (+{list.Length - shown.Length} more)" : "";
        flags.Add(new RiskFlag(severity, code, $"{headline(list.Length)}: {string.Join("; ", shown)}{more}"));
    }
}
