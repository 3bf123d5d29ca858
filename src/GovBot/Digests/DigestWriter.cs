using System.Security.Cryptography;
using System.Text;
using GovBot.Chat.Commands;
using GovBot.Governance;
using GovBot.Orchestration;
using GovBot.Orchestration.Plugins;

namespace GovBot.Digests;

/// <summary>
/// With a model configured, the digest's opening paragraph: the write_digest prompt over GovBot's own facts (state,
/// quorum, deadlines, decoded actions; titles fenced as untrusted data), through the output guard. Identical digest
/// facts reach the model once (SQLite cache). Without a model, or when it fails or is slow: null, and the digest is
/// its structured sections alone, which always follow anyway.
/// </summary>
public sealed class DigestWriter(LlmConnection llm, PromptLibrary prompts, LlmCache cache, IGovernanceData data, ILogger<DigestWriter> logger)
{
    private const int MaxProposals = 10;

    public async Task<string?> WriteAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (!llm.Enabled || (digest.Open.Count == 0 && digest.Changes.Count == 0))
            return null;

        var dao = data.Dao(digest.Dao);
        var facts = new TrustedFacts();
        facts.AddDao(dao);
        var decoder = dao.CreateDecoder();
        VotingToken? token = null;
        var input = new StringBuilder();
        foreach (var view in digest.Open.Take(MaxProposals))
        {
            var actions = decoder.Decode(view.Proposal.Actions, dao.Executor);
            facts.AddActions(actions);
            token ??= await data.VotingTokenAsync(dao.Name, cancellationToken);
            foreach (var votes in new[] { view.Tally.For, view.Tally.Against, view.Tally.Abstain })
                facts.AddAmount(token.Symbol, votes, token.Decimals);
            input.Append("Proposal ").Append(GovernanceService.ShortId(view.Id)).Append(": ").Append(ProposalFormat.State(view.State))
                .Append(", ").Append(DigestBuilder.QuorumProgress(view)).Append(", ").AppendLine(ProposalFormat.Ends(view, digest.GeneratedAt));
            input.Append("Votes: for ").Append(GovernancePlugin.Amount(view.Tally.For, token)).Append(", against ")
                .Append(GovernancePlugin.Amount(view.Tally.Against, token)).Append(", abstain ").AppendLine(GovernancePlugin.Amount(view.Tally.Abstain, token));
            input.AppendLine("Decoded actions (trusted):").AppendLine(ProposalSummarizer.PromptActions(actions, 600));
            input.AppendLine("Title:").AppendLine(UntrustedText.Fence(view.Title, 200)).AppendLine();
        }

        foreach (var change in digest.Changes.Take(MaxProposals))
        {
            input.Append("Since the last digest, proposal ").Append(GovernanceService.ShortId(change.ProposalId)).Append(": ")
                .Append(NotificationKinds.Describe(change.Kind)).Append(" at ").AppendLine(change.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            input.AppendLine("Title:").AppendLine(UntrustedText.Fence(change.Title, 200)).AppendLine();
        }

        var prompt = prompts[PromptLibrary.WriteDigest];
        var today = digest.GeneratedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(today[..10] + "\n" + input)));
        var key = new AnswerKey(dao.Name, "digest:" + hash, prompt.Version, llm.Model, IndexedBlock: 0);
        if (await cache.GetAnswerAsync(key, cancellationToken) is { } cached)
            return cached.Answer;

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(llm.Timeout);
            var result = await llm.CreateKernel().InvokeAsync(prompt.CreateFunction(), new Microsoft.SemanticKernel.KernelArguments
            {
                ["dao"] = dao.Name,
                ["today"] = today,
                ["proposals"] = input.ToString(),
            }, timeout.Token);
            var prose = result.GetValue<string>()?.Trim();
            if (string.IsNullOrEmpty(prose))
                return null;
            var guarded = OutputGuard.Apply(ModelText.ToPlain(prose), facts);
            if (guarded.Flagged)
                logger.LogWarning("The digest the model wrote for {Dao} named something outside the facts; it was removed before posting", dao.Name);
            await cache.PutAnswerAsync(key, new CachedAnswer(guarded.Text, [], guarded.Flagged), CancellationToken.None);
            return guarded.Text;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The model did not write the {Dao} digest ({Error}); posting the structured digest alone", dao.Name, ex.GetType().Name);
            return null;
        }
    }
}
