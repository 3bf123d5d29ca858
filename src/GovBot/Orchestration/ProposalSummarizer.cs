using System.Collections.Concurrent;
using GovBot.Governance;
using GovBot.Treasury;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration;

/// <summary>A proposal summary as shown to users: already through the output guard.</summary>
/// <param name="Source">The model label ("OpenAI:gpt-4o-mini") or "extractive".</param>
public sealed record ProposalSummary(string Text, string Source, bool Flagged, bool FromCache)
{
    /// <summary>Why a configured model's summary is not the one shown (it failed, or is still being written); null otherwise.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// Summaries for /proposal and digests. With a model: cached in SQLite by (DAO, id, description hash, prompt version,
/// model), so an unchanged proposal reaches the model once per model, ever; concurrent requests share one call. Without
/// one, or when the model fails or is slower than the caller can wait: the extractive summary. Either way the decoded
/// actions follow the prose verbatim, and the whole text passes the output guard.
/// </summary>
public sealed class ProposalSummarizer(
    LlmConnection llm, PromptLibrary prompts, LlmCache cache, IGovernanceData data, ILogger<ProposalSummarizer> logger)
{
    public const string Extractive = "extractive";
    public const string ModelFailedNote = "The model did not answer, so this summary is the author's own words and the decoded actions.";
    public const string ModelPendingNote = "The model's summary is still being written; this one is the author's own words and the decoded actions.";

    /// <summary>
    /// Characters of decoded actions and fenced description one summary prompt carries together. With the prompt's fixed
    /// text this keeps a summary within about 1,500 prompt tokens on the real corpus (bench/results/llm.md), hex-heavy
    /// actions included; the description gets what the actions leave, and never less than <see cref="PromptMinTextChars"/>.
    /// </summary>
    public const int PromptDataChars = 3_200;

    /// <summary>Decoded-action lines are sent whole up to this many characters; the rest are counted, not shown (the reply lists them all anyway).</summary>
    public const int PromptActionsChars = 1_500;

    public const int PromptMinTextChars = 1_200;
    private readonly ConcurrentDictionary<SummaryKey, Lazy<Task<ProposalSummary?>>> _inFlight = new();

    public string PromptVersion => prompts[PromptLibrary.SummarizeProposal].Version;

    /// <param name="wait">How long the caller can wait for the model (a Discord reply has 3 s); the call carries on and fills the cache.</param>
    public async Task<ProposalSummary> SummarizeAsync(IndexedProposal proposal, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var dao = data.Dao(proposal.Dao);
        var actions = dao.CreateDecoder().Decode(proposal.Actions, dao.Executor);
        if (!llm.Enabled)
            return ExtractiveSummary(proposal, dao, actions);

        var key = LlmCache.KeyFor(proposal, PromptVersion, llm.Model);
        if (await cache.GetSummaryAsync(key, cancellationToken) is { } cached)
            return new ProposalSummary(cached.Summary, llm.Model, cached.Flagged, FromCache: true);

        // The model call is not tied to this caller's token: a caller that stops waiting must not waste the call.
        var call = _inFlight.GetOrAdd(key, k => new Lazy<Task<ProposalSummary?>>(() => SummarizeWithModelAsync(k, proposal, dao, actions))).Value;
        var finished = wait is not { } budget || await Task.WhenAny(call, Task.Delay(budget, cancellationToken)) == call;
        if (finished && await call is { } summary)
            return summary;
        return ExtractiveSummary(proposal, dao, actions) with { Note = finished ? ModelFailedNote : ModelPendingNote };
    }

    public static ProposalSummary ExtractiveSummary(IndexedProposal proposal, DaoFacts dao, IReadOnlyList<DecodedAction> actions)
    {
        var facts = Facts(dao, actions);
        var max = ExtractiveSummarizer.MaxLength;
        var guarded = OutputGuard.Apply(ExtractiveSummarizer.Summarize(proposal.Description, actions, max), facts);
        // "[removed]" and "(unverified)" can lengthen the text: summarise shorter until the guarded text fits.
        for (var attempt = 0; attempt < 4 && guarded.Text.Length > ExtractiveSummarizer.MaxLength; attempt++)
        {
            max -= guarded.Text.Length - ExtractiveSummarizer.MaxLength + 20;
            guarded = OutputGuard.Apply(ExtractiveSummarizer.Summarize(proposal.Description, actions, Math.Max(200, max)), facts);
        }

        var text = guarded.Text.Length <= ExtractiveSummarizer.MaxLength ? guarded.Text : ExtractiveSummarizer.Clip(guarded.Text, ExtractiveSummarizer.MaxLength);
        return new ProposalSummary(text, Extractive, guarded.Flagged, FromCache: false);
    }

    private async Task<ProposalSummary?> SummarizeWithModelAsync(SummaryKey key, IndexedProposal proposal, DaoFacts dao, IReadOnlyList<DecodedAction> actions)
    {
        try
        {
            using var timeout = new CancellationTokenSource(llm.Timeout);
            var kernel = llm.CreateKernel();
            var function = prompts[PromptLibrary.SummarizeProposal].CreateFunction();
            var actionText = PromptActions(actions, PromptActionsChars);
            var result = await kernel.InvokeAsync(function, new KernelArguments
            {
                ["dao"] = dao.Name,
                ["proposal_id"] = proposal.Id,
                ["title"] = ProposalText.StripControl(proposal.Title),
                ["actions"] = actionText,
                ["proposal_text"] = UntrustedText.Fence(proposal.Description, Math.Max(PromptMinTextChars, PromptDataChars - actionText.Length)),
            }, timeout.Token);
            var prose = result.GetValue<string>()?.Trim();
            if (string.IsNullOrEmpty(prose))
                return null;
            var actionLines = ExtractiveSummarizer.Summarize("", actions);
            var guarded = OutputGuard.Apply(ModelText.ToPlain(prose) + (actionLines.Length > 0 ? "\n" + actionLines : ""), Facts(dao, actions));
            await cache.PutSummaryAsync(key, guarded.Text, guarded.Flagged, CancellationToken.None);
            return new ProposalSummary(guarded.Text, llm.Model, guarded.Flagged, FromCache: false);
        }
        catch (Exception ex)
        {
            logger.LogWarning("The model did not summarise proposal {ProposalId} ({Error}); using the extractive summary", proposal.Id, ex.GetType().Name);
            return null;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    /// <summary>One numbered line per decoded action, whole lines only, up to maxChars; then how many more there are.</summary>
    internal static string PromptActions(IReadOnlyList<DecodedAction> actions, int maxChars)
    {
        if (actions.Count == 0)
            return "(no on-chain actions)";
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < actions.Count; i++)
        {
            var line = $"{i + 1}. {actions[i].Summary}";
            if (i > 0 && text.Length + 1 + line.Length > maxChars)
                return text.Append($"\n… and {actions.Count - i} more action{(actions.Count - i == 1 ? "" : "s")} (not shown here; the reply lists every action under the summary)").ToString();
            if (i > 0)
                text.Append('\n');
            text.Append(line.Length > maxChars ? line[..maxChars] + " …" : line);
        }

        return text.ToString();
    }

    private static TrustedFacts Facts(DaoFacts dao, IReadOnlyList<DecodedAction> actions)
    {
        var facts = new TrustedFacts();
        facts.AddDao(dao);
        facts.AddActions(actions);
        return facts;
    }
}
