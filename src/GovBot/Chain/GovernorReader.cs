using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovBot.Governance;

namespace GovBot.Chain;

public sealed record LiveProposalState(ProposalState State, Tally Tally, BigInteger Quorum);

/// <summary>The chain head when live state was read; HeadClock is a block number or a timestamp, per the governor's clock.</summary>
public sealed record ChainClock(long HeadBlock, long HeadTimestamp, BigInteger HeadClock);

/// <summary>Reads live proposal state (state, tally, quorum) for many proposals in one batched JSON-RPC request.</summary>
public sealed class GovernorReader
{
    public async Task<(ChainClock Clock, IReadOnlyDictionary<string, LiveProposalState> States)> ReadAsync(
        DaoContext dao, IReadOnlyList<IndexedProposal> proposals, CancellationToken cancellationToken)
    {
        var profile = await dao.GetProfileAsync(cancellationToken);
        // A fixed stride of three calls per proposal keeps the index arithmetic obvious; where a governor has no
        // per-proposal quorum, eth_chainId (answered locally by every node) fills the slot.
        var calls = new List<(string Method, JsonArray Params)>
        {
            ("eth_getBlockByNumber", new JsonArray("latest", false)),
            profile.HasQuorumOfTimepoint
                ? ("eth_chainId", new JsonArray())
                : ContractCall.EthCall(dao.Governor, new QuorumVotesFunction()),
        };
        foreach (var p in proposals)
        {
            var id = Parse(p.Id);
            calls.Add(ContractCall.EthCall(dao.Governor, new StateFunction { ProposalId = id }));
            calls.Add(profile.Counting == GovernorCounting.Simple
                ? ContractCall.EthCall(dao.Governor, new ProposalVotesFunction { ProposalId = id })
                : ContractCall.EthCall(dao.Governor, new BravoProposalsFunction { ProposalId = id }));
            calls.Add(profile.HasQuorumOfTimepoint
                ? ContractCall.EthCall(dao.Governor, new QuorumFunction { Timepoint = Parse(p.VoteStart) })
                : ("eth_chainId", new JsonArray()));
        }

        var results = await dao.Rpc.BatchAsync(calls, cancellationToken);
        var head = BlockHeader.Parse(Ok(results[0]));
        var clock = new ChainClock(head.Number, head.Timestamp, profile.TimestampClock ? head.Timestamp : head.Number);
        var bravoQuorum = profile.HasQuorumOfTimepoint ? BigInteger.Zero : ContractCall.DecodeUint(Ok(results[1]));

        // quorum(timepoint) reverts while the snapshot is still in the future (pending proposals):
        // ask those again at the last past timepoint, the quorum they would get if voting opened now.
        var pendingQuorum = new Dictionary<int, BigInteger>();
        if (profile.HasQuorumOfTimepoint)
        {
            var retry = Enumerable.Range(0, proposals.Count).Where(i => !results[2 + i * 3 + 2].Ok).ToList();
            if (retry.Count > 0)
            {
                var again = await dao.Rpc.BatchAsync(
                    [ContractCall.EthCall(dao.Governor, new QuorumFunction { Timepoint = clock.HeadClock - 1 })], cancellationToken);
                var value = again[0].Ok ? ContractCall.DecodeUint(again[0].Value) : BigInteger.Zero;
                foreach (var i in retry)
                    pendingQuorum[i] = value;
            }
        }

        var states = new Dictionary<string, LiveProposalState>(StringComparer.Ordinal);
        for (var i = 0; i < proposals.Count; i++)
        {
            var at = 2 + i * 3;
            var stateValue = ContractCall.DecodeUint(Ok(results[at]));
            if (stateValue > 7)
                throw new RpcUnavailableException($"state({proposals[i].Id}) returned {stateValue}, which is not a proposal state");
            Tally tally;
            if (profile.Counting == GovernorCounting.Simple)
            {
                var votes = ContractCall.Decode<ProposalVotesOutput>(Ok(results[at + 1]));
                tally = new Tally(votes.For, votes.Against, votes.Abstain);
            }
            else
            {
                var bravo = ContractCall.Decode<BravoProposalOutput>(Ok(results[at + 1]));
                tally = new Tally(bravo.For, bravo.Against, bravo.Abstain);
            }

            var quorum = !profile.HasQuorumOfTimepoint ? bravoQuorum
                : pendingQuorum.TryGetValue(i, out var q) ? q
                : ContractCall.DecodeUint(results[at + 2].Value);
            states[proposals[i].Id] = new LiveProposalState((ProposalState)(int)stateValue, tally, quorum);
        }

        return (clock, states);
    }

    private static BigInteger Parse(string value) => BigInteger.Parse(value, CultureInfo.InvariantCulture);

    private static JsonElement Ok(RpcResult result) => result.Error is { } error ? throw error : result.Value;
}
