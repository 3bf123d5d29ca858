// A plain viem catch-up over the same block range and filter GovBot's indexer reads:
// one getLogs per range for the governor and the token, every governance event, decoded by viem.
// Usage: node index-logs.mjs <rpc> <governor> <token> <fromBlock> <toBlock> <rangeSize>
import { createPublicClient, http, parseAbi } from 'viem';

const [rpc, governor, token, fromArg, toArg, rangeArg] = process.argv.slice(2);
let requests = 0;
const client = createPublicClient({
  transport: http(rpc, {
    batch: false,
    retryCount: 0,
    fetchFn: async (...args) => { requests++; return fetch(...args); },
  }),
});

const events = parseAbi([
  'event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)',
  'event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)',
  'event VoteCastWithParams(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason, bytes params)',
  'event ProposalCanceled(uint256 proposalId)',
  'event ProposalQueued(uint256 proposalId, uint256 etaSeconds)',
  'event ProposalExecuted(uint256 proposalId)',
  'event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline)',
  'event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate)',
  'event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes)',
]);

const from = BigInteger(fromArg), to = BigInteger(toArg), range = BigInteger(rangeArg);
function BigInteger(x) { return BigInt(x); }

let peakRss = process.memoryUsage().rss;
const started = performance.now();
let logs = 0, ranges = 0;
for (let start = from; start <= to; start += range) {
  const end = start + range - 1n > to ? to : start + range - 1n;
  const page = await client.getLogs({ address: [governor, token], events, fromBlock: start, toBlock: end, strict: true });
  logs += page.length;
  ranges++;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, requests, ranges, logs, peakRssBytes: peakRss }));
