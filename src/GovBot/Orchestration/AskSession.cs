using GovBot.Governance;
using GovBot.Treasury;

namespace GovBot.Orchestration;

/// <summary>
/// Everything one question touched: the trusted facts the output guard checks against and the citations the answer
/// rests on. The plugins and the offline engine record into it as they read; the DAO is fixed for the whole question.
/// </summary>
public sealed class AskSession
{
    private readonly Lock _lock = new();
    private readonly List<Citation> _citations = [];
    private readonly List<(Chat.ChatLink Button, Delegation.DelegationLink Link)> _delegations = [];

    public AskSession(IGovernanceData data, string? dao, string question)
    {
        Data = data;
        DaoFacts = data.Dao(dao);
        Decoder = DaoFacts.CreateDecoder();
        Facts.AddDao(DaoFacts);
        Facts.AddUserText(question);
        UserAddresses = OutputGuard.FindAddresses(question).Select(a => a.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Addresses the user wrote themselves: the only ones a delegation link may be made for.</summary>
    public IReadOnlySet<string> UserAddresses { get; }

    public IGovernanceData Data { get; }
    public DaoFacts DaoFacts { get; }
    public string Dao => DaoFacts.Name;
    public ActionDecoder Decoder { get; }
    public TrustedFacts Facts { get; } = new();

    public IReadOnlyList<Citation> Citations
    {
        get
        {
            lock (_lock)
                return _citations.ToArray();
        }
    }

    /// <summary>Links GovBot itself made for this question (delegation), shown as buttons under the answer.</summary>
    public IReadOnlyList<Chat.ChatLink> Links
    {
        get
        {
            lock (_lock)
                return _delegations.Select(d => d.Button).ToArray();
        }
    }

    /// <summary>Delegation links made for this question, so the chat that asked hears back once one is used.</summary>
    public IReadOnlyList<Delegation.DelegationLink> DelegationLinks
    {
        get
        {
            lock (_lock)
                return _delegations.Select(d => d.Link).ToArray();
        }
    }

    public void AddDelegationLink(Delegation.SignedDelegationLink link, string label)
    {
        var button = new Chat.ChatLink(label, link.Url.ToString());
        Facts.AddUrl(button.Url);
        lock (_lock)
        {
            if (!_delegations.Exists(d => d.Button == button))
                _delegations.Add((button, link.Link));
        }
    }

    public void Cite(Citation citation)
    {
        lock (_lock)
        {
            if (!_citations.Contains(citation) && _citations.Count < 20)
                _citations.Add(citation);
        }
    }

    public async Task<VotingToken> VotingTokenAsync(CancellationToken cancellationToken)
    {
        var token = await Data.VotingTokenAsync(Dao, cancellationToken);
        Facts.AddSymbol(token.Symbol);
        return token;
    }

    /// <summary>Decodes the proposal's actions, trusts what they name and move, trusts its tally, and cites where it was created.</summary>
    public async Task<IReadOnlyList<DecodedAction>> RecordProposalAsync(ProposalView view, CancellationToken cancellationToken)
    {
        var token = await VotingTokenAsync(cancellationToken);
        var actions = Decoder.Decode(view.Proposal.Actions, DaoFacts.Executor);
        Facts.AddActions(actions);
        Facts.AddAddress(view.Proposal.Proposer);
        foreach (var amount in new[] { view.Tally.For, view.Tally.Against, view.Tally.Abstain, view.Quorum, view.QuorumProgress })
            Facts.AddAmount(token.Symbol, amount, token.Decimals);
        Cite(new Citation(view.Id, view.Proposal.CreatedBlock, view.Proposal.CreatedTx));
        return actions;
    }

    public void RecordVote(VoteRecord vote, VotingToken token)
    {
        Facts.AddAddress(vote.Voter);
        Facts.AddAmount(token.Symbol, vote.Weight, token.Decimals);
        Cite(new Citation(vote.ProposalId, vote.Block, vote.Tx));
    }
}
