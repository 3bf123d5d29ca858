using GovBot.Orchestration.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace GovBot.Orchestration;

/// <summary>An answer to /ask, through the output guard. Model is the model label, or "offline".</summary>
public sealed record AskAnswer(string Answer, IReadOnlyList<Citation> Citations, bool Flagged, string Model, string? Note, bool FromCache)
{
    /// <summary>Links GovBot made for this answer (a delegation link), shown as buttons; never cached.</summary>
    public IReadOnlyList<Chat.ChatLink> Links { get; init; } = [];

    /// <summary>The delegation links behind <see cref="Links"/>, for the follow-up once one is used.</summary>
    public IReadOnlyList<Delegation.DelegationLink> DelegationLinks { get; init; } = [];
}

/// <summary>
/// The /ask brain. With a model: Semantic Kernel with automatic function calling over the Governance, Treasury and
/// Delegation plugins, answers cached per (DAO, question, prompt version, model, indexed block). A timeout, a 5xx or any other
/// model failure degrades to the offline engine with a note, never an exception. Without a model: the offline engine.
/// </summary>
public sealed class AskService(
    IGovernanceData data, LlmConnection llm, PromptLibrary prompts, LlmCache cache, OfflineEngine offline, TimeProvider time, ILogger<AskService> logger)
{
    public const int MaxQuestionLength = 500;
    public const string ModelFailedNote = "The model did not answer; here is what I can tell from the chain.";
    public const string NoModelNote = "No model is configured; this answer comes from the chain alone.";

    public async Task<AskAnswer> AskAsync(string? dao, string question, CancellationToken cancellationToken)
    {
        question = OutputGuard.StripHidden(question).Trim();
        if (question.Length == 0)
            throw new UserInputException("Ask a question, e.g. /ask which proposals are open?");
        if (question.Length > MaxQuestionLength)
            throw new UserInputException($"Questions are limited to {MaxQuestionLength} characters.");

        var session = new AskSession(data, dao, question);
        if (!llm.Enabled)
            return await OfflineAsync(session, question, NoModelNote, cancellationToken);

        var version = prompts[PromptLibrary.AnswerQuestion].Version;
        var block = await data.IndexedBlockAsync(session.Dao, cancellationToken);
        var key = LlmCache.KeyFor(session.Dao, question, version, llm.Model, block);
        if (await cache.GetAnswerAsync(key, cancellationToken) is { } cached)
            return new AskAnswer(cached.Answer, cached.Citations, cached.Flagged, llm.Model, null, FromCache: true);

        string? text;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(llm.Timeout);
            var kernel = llm.CreateKernel();
            kernel.Plugins.AddFromObject(new GovernancePlugin(session), "Governance");
            kernel.Plugins.AddFromObject(new TreasuryPlugin(session), "Treasury");
            kernel.Plugins.AddFromObject(new DelegationPlugin(session), "Delegation");
            var result = await kernel.InvokeAsync(prompts[PromptLibrary.AnswerQuestion].CreateFunction(), new KernelArguments
            {
                ["dao"] = session.Dao,
                ["today"] = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                ["question"] = question,
            }, timeout.Token);
            text = result.GetValue<string>()?.Trim();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Never the message: SDK errors can echo request details. The type and status are enough to diagnose.
            logger.LogWarning("The model did not answer a question for {Dao}: {Error} {Status}", session.Dao, ex.GetType().Name,
                (ex as HttpOperationException)?.StatusCode);
            text = null;
        }

        if (string.IsNullOrEmpty(text))
            return await OfflineAsync(new AskSession(data, dao, question), question, ModelFailedNote, cancellationToken);

        var guarded = OutputGuard.Apply(ModelText.ToPlain(text), session.Facts);
        var answer = new CachedAnswer(guarded.Text, session.Citations, guarded.Flagged);
        var links = session.Links;
        // A delegation link expires: an answer that made one is answered afresh next time.
        if (links.Count == 0)
            await cache.PutAnswerAsync(key, answer, cancellationToken);
        return new AskAnswer(answer.Answer, answer.Citations, answer.Flagged, llm.Model, null, FromCache: false) { Links = links, DelegationLinks = session.DelegationLinks };
    }

    private async Task<AskAnswer> OfflineAsync(AskSession session, string question, string note, CancellationToken cancellationToken)
    {
        var answer = await offline.AnswerAsync(session, question, cancellationToken);
        var guarded = OutputGuard.Apply(answer.Text, session.Facts);
        // The offline engine's "no model is configured" reply already says so.
        var shownNote = note == NoModelNote && !answer.Understood ? null : note;
        return new AskAnswer(guarded.Text, session.Citations, guarded.Flagged, "offline", shownNote, FromCache: false) { Links = session.Links, DelegationLinks = session.DelegationLinks };
    }
}
