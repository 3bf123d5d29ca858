using System.Diagnostics;
using System.Numerics;
using System.Reflection;
using GovBot.Governance;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace GovBot.Chain.Devnet;

/// <param name="BlocksPerDay">
/// Blocks mined per day of chain time. anvil mines thousands of blocks slowly (seconds per thousand, growing with the
/// batch), so the default spreads a day over 100 blocks of 864 s: block-clock governors count 100 blocks a day and
/// both clocks agree on how long a day is. 7200 gives mainnet's 12 s blocks at the cost of minutes of mining.
/// </param>
public sealed record DevnetSeedOptions(int BlocksPerDay = 100);

/// <summary>
/// Deploys three DAOs on one devnet chain (OZ 5 on the block clock, OZ 5 on the timestamp clock, and a Bravo-style
/// OZ 4.9 governor behind a Compound timelock) and walks sample proposals into every ProposalState.
/// </summary>
public sealed class DevnetSeeder
{
    public const string BlockDao = "devnet";
    public const string TimestampDao = "devnet-ts";
    public const string BravoDao = "devnet-bravo";

    private const long Day = 86_400;
    private const long TimelockDelay = 2 * Day;
    private const int QuorumPercent = 4;
    private static readonly BigInteger OneGbt = BigInteger.Pow(10, 18);
    private static readonly BigInteger OneUsdc = BigInteger.Pow(10, 6);
    private static readonly BigInteger OneEth = BigInteger.Pow(10, 18);
    private static readonly byte[] VoteParams = "govbot-devnet"u8.ToArray();

    private readonly Web3 _web3;
    private readonly ContractArtifacts _artifacts;
    private readonly DevnetSeedOptions _options;
    private readonly DevnetChain _chain;
    private readonly long _chainId;
    private readonly string _rpc;

    public DevnetSeeder(Uri rpcUrl, ContractArtifacts artifacts, DevnetSeedOptions? options = null, long chainId = AnvilProcess.DefaultChainId)
    {
        // Without an account Nethereum sends eth_sendTransaction, which anvil signs for its unlocked dev accounts.
        _web3 = new Web3(rpcUrl.ToString());
        _web3.TransactionManager.UseLegacyAsDefault = true;
        _web3.TransactionManager.TransactionReceiptService = new Nethereum.RPC.TransactionReceipts.TransactionReceiptPollingService(_web3.TransactionManager, 5);
        _artifacts = artifacts;
        _options = options ?? new DevnetSeedOptions();
        _chain = new DevnetChain(_web3);
        _chainId = chainId;
        _rpc = rpcUrl.ToString();
    }

    private static string Deployer => DevnetAccounts.Addresses[0];

    /// <summary>How far seeding moves chain time forward: the sum of the AdvanceDaysAsync steps below.</summary>
    public static readonly TimeSpan SeedAdvance = TimeSpan.FromDays(1 + 3 + 2 + 14 + 1 + 1);

    /// <summary>
    /// Anvil options whose genesis lies <see cref="SeedAdvance"/> in the past, so that after seeding the chain's clock
    /// is close to the wall clock: links, signature expiries and "ends in 2 days" then mean the same on both.
    /// </summary>
    public static AnvilOptions WallClockAnvil(DateTimeOffset now) =>
        new(ExtraArgs: ["--timestamp", (now - SeedAdvance).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Compiles (if needed) and seeds a fresh anvil in one call.</summary>
    public static async Task<DevnetDeployment> SeedAsync(AnvilProcess anvil, DevnetSeedOptions? options = null, CancellationToken cancellationToken = default)
    {
        var artifacts = await ContractArtifacts.LoadAsync(cancellationToken);
        return await new DevnetSeeder(anvil.RpcUrl, artifacts, options, anvil.ChainId).SeedAsync(cancellationToken);
    }

    public async Task<DevnetDeployment> SeedAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var usdc = await DeployAsync("MockUSDC", "USDC", cancellationToken);

        var daos = new List<DaoBuild>
        {
            await DeployDaoAsync(BlockDao, DaoKind.Oz5Blocks, usdc, cancellationToken),
            await DeployDaoAsync(TimestampDao, DaoKind.Oz5Timestamp, usdc, cancellationToken),
            await DeployDaoAsync(BravoDao, DaoKind.Bravo, usdc, cancellationToken),
        };

        // Votes are read at clock() - 1 when proposing; on the timestamp clock the delegations may share the current second.
        await _chain.MineAsync(1, 12, cancellationToken);

        // Day 0: every proposal that needs a full voting cycle.
        foreach (var dao in daos)
        {
            await ProposeAsync(dao, "grants-program", ProposalState.Executed, [EthTransfer(dao, "grantee", 5 * OneEth), UsdcTransfer(dao, "grantee", 25_000)], cancellationToken);
            await ProposeAsync(dao, "raise-quorum", ProposalState.Queued, [Call(dao.Governor, dao.Governor.GetFunction("updateQuorumNumerator").GetData(5))], cancellationToken);
            await ProposeAsync(dao, "security-audit", ProposalState.Succeeded, [UsdcTransfer(dao, "auditor", 40_000)], cancellationToken);
            await ProposeAsync(dao, "eth-buyback", ProposalState.Defeated, [EthTransfer(dao, "market-maker", 50 * OneEth)], cancellationToken);
            await ProposeAsync(dao, "hackathon", ProposalState.Canceled, [UsdcTransfer(dao, "hackathon", 15_000)], cancellationToken);
            await ProposeAsync(dao, "liquidity-backfill", ProposalState.Succeeded, [UsdcTransfer(dao, "liquidity", 2_000_000)], cancellationToken, revertsOnExecution: true);
            if (dao.Kind == DaoKind.Bravo)
                await ProposeAsync(dao, "rpc-renewal", ProposalState.Expired, [UsdcTransfer(dao, "rpc-provider", 12_000)], cancellationToken);

            await SendAsync(dao.Name, "cancel hackathon", dao.Governor, CancelSignature, Deployer, cancellationToken, ProposalArgs(dao.Get("hackathon")));
        }

        await AdvanceDaysAsync(1, cancellationToken);
        foreach (var dao in daos)
        {
            await VoteAsync(dao, "grants-program", 1, DevnetAccounts.Addresses[1], "The grants backlog is the best use of idle treasury funds.", cancellationToken);
            await VoteAsync(dao, "grants-program", 1, DevnetAccounts.Addresses[3], null, cancellationToken);
            await VoteAsync(dao, "grants-program", 2, DevnetAccounts.Addresses[0], "Abstaining: I chair the grants committee.", cancellationToken, withParams: dao.Kind != DaoKind.Bravo);
            await VoteAsync(dao, "raise-quorum", 1, DevnetAccounts.Addresses[1], null, cancellationToken);
            await VoteAsync(dao, "raise-quorum", 0, DevnetAccounts.Addresses[5], "5% will make small proposals fail for lack of turnout.", cancellationToken);
            await VoteAsync(dao, "security-audit", 1, DevnetAccounts.Addresses[3], "The report is public and the work was good.", cancellationToken);
            await VoteAsync(dao, "security-audit", 0, DevnetAccounts.Addresses[5], null, cancellationToken);
            await VoteAsync(dao, "security-audit", 1, DevnetAccounts.Addresses[0], null, cancellationToken);
            await VoteAsync(dao, "eth-buyback", 0, DevnetAccounts.Addresses[1], "Half our ETH with one counterparty for a month is too much risk.", cancellationToken);
            await VoteAsync(dao, "eth-buyback", 1, DevnetAccounts.Addresses[3], null, cancellationToken);
            await VoteAsync(dao, "eth-buyback", 2, DevnetAccounts.Addresses[5], "No strong view on price support.", cancellationToken);
            await VoteAsync(dao, "liquidity-backfill", 1, DevnetAccounts.Addresses[1], null, cancellationToken);
            await VoteAsync(dao, "liquidity-backfill", 1, DevnetAccounts.Addresses[0], "Fewer proposals, fewer mistakes.", cancellationToken);
            if (dao.Kind == DaoKind.Bravo)
                await VoteAsync(dao, "rpc-renewal", 1, DevnetAccounts.Addresses[1], "The indexer needs a reliable endpoint.", cancellationToken);
        }

        await AdvanceDaysAsync(3, cancellationToken);
        foreach (var dao in daos)
        {
            await QueueAsync(dao, "grants-program", cancellationToken);
            if (dao.Kind == DaoKind.Bravo)
                await QueueAsync(dao, "rpc-renewal", cancellationToken);
            else
                await QueueAsync(dao, "raise-quorum", cancellationToken);
        }

        await AdvanceDaysAsync(2, cancellationToken);
        foreach (var dao in daos)
            await SendAsync(dao.Name, "execute grants-program", dao.Governor, ExecuteSignature, Deployer, cancellationToken, ProposalArgs(dao.Get("grants-program")));

        // A Compound timelock drops a transaction GRACE_PERIOD after its eta: the Bravo DAO's rpc-renewal expires,
        // and its quorum change is queued only afterwards so it stays Queued.
        await AdvanceDaysAsync(14, cancellationToken, blocks: _options.BlocksPerDay);
        await QueueAsync(daos.Single(d => d.Kind == DaoKind.Bravo), "raise-quorum", cancellationToken);

        foreach (var dao in daos)
            await ProposeAsync(dao, "contributor-stream", ProposalState.Active, [UsdcTransfer(dao, "payroll", 60_000)], cancellationToken);
        await AdvanceDaysAsync(1, cancellationToken);
        foreach (var dao in daos)
        {
            await VoteAsync(dao, "contributor-stream", 1, DevnetAccounts.Addresses[3], "Contributors shipped everything on the Q3 roadmap.", cancellationToken);
            await VoteAsync(dao, "contributor-stream", 0, DevnetAccounts.Addresses[5], "I want individual amounts on chain first.", cancellationToken);
        }

        // Leaves about two days of voting on the active proposal; the pending one opens a day after seeding.
        await AdvanceDaysAsync(1, cancellationToken);
        foreach (var dao in daos)
            await ProposeAsync(dao, "delegate-incentives", ProposalState.Pending, [EthTransfer(dao, "delegate-pilot", 2 * OneEth)], cancellationToken);

        var result = new List<DevnetDao>();
        foreach (var dao in daos)
            result.Add(dao.ToRecord(_chainId, _rpc, usdc.Address));

        return new DevnetDeployment(new Uri(_rpc), _chainId, result, stopwatch.Elapsed);
    }

    private const string ProposeSignature = "propose(address[],uint256[],bytes[],string)";
    private const string QueueSignature = "queue(address[],uint256[],bytes[],bytes32)";
    private const string ExecuteSignature = "execute(address[],uint256[],bytes[],bytes32)";
    private const string CancelSignature = "cancel(address[],uint256[],bytes[],bytes32)";
    private const string HashProposalSignature = "hashProposal(address[],uint256[],bytes[],bytes32)";

    private async Task<DaoBuild> DeployDaoAsync(string name, DaoKind kind, Contract usdc, CancellationToken cancellationToken)
    {
        var startBlock = await _chain.BlockNumberAsync(cancellationToken);
        var (tokenContract, governorContract) = kind switch
        {
            DaoKind.Oz5Blocks => ("GovToken", "DaoGovernor"),
            DaoKind.Oz5Timestamp => ("GovTokenTimestamp", "DaoGovernor"),
            _ => ("BravoToken", "BravoGovernor"),
        };
        var votingDelay = kind == DaoKind.Oz5Timestamp ? Day : _options.BlocksPerDay;
        var votingPeriod = 3 * votingDelay;
        var threshold = 1_000 * OneGbt;

        var token = await DeployAsync(tokenContract, $"{name} token", cancellationToken, 1_000_000 * OneGbt);
        Contract timelock;
        Contract governor;
        if (kind == DaoKind.Bravo)
        {
            // Compound's timelock only lets itself change admin, so it is born with the governor (next nonce) as admin.
            var nonce = await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Deployer, BlockParameter.CreatePending());
            var governorAddress = ContractUtils.CalculateContractAddress(Deployer, nonce.Value + 1);
            timelock = await DeployAsync("CompoundTimelock", $"{name} timelock", cancellationToken, governorAddress, TimelockDelay);
            governor = await DeployAsync(governorContract, $"{name} governor", cancellationToken, token.Address, timelock.Address, votingDelay, votingPeriod, QuorumPercent, threshold);
            if (!AddressUtil.Current.AreAddressesTheSame(governor.Address, governorAddress))
                throw new InvalidOperationException($"{name}: governor landed at {governor.Address}, not at the predicted timelock admin {governorAddress}");
        }
        else
        {
            timelock = await DeployAsync("TimelockController", $"{name} timelock", cancellationToken, TimelockDelay, Array.Empty<string>(), Array.Empty<string>(), Deployer);
            governor = await DeployAsync(governorContract, $"{name} governor", cancellationToken, token.Address, timelock.Address, votingDelay, votingPeriod, QuorumPercent, threshold);
            foreach (var role in new[] { "PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE" })
            {
                var roleId = await timelock.GetFunction(role).CallAsync<byte[]>();
                await SendAsync(name, $"grant {role}", timelock, "grantRole(bytes32,address)", Deployer, cancellationToken, roleId, governor.Address);
            }

            // OpenZeppelin's advice: once roles are set, the deployer gives up admin so only governance can change them.
            var adminRole = await timelock.GetFunction("DEFAULT_ADMIN_ROLE").CallAsync<byte[]>();
            await SendAsync(name, "renounce timelock admin", timelock, "renounceRole(bytes32,address)", Deployer, cancellationToken, adminRole, Deployer);
        }

        var dao = new DaoBuild(name, kind, token, timelock, governor, startBlock, votingDelay, votingPeriod);
        await SeedHoldersAsync(dao, cancellationToken);

        await SendValueAsync(name, timelock.Address, 100 * OneEth, cancellationToken);
        await SendAsync(name, "fund treasury USDC", usdc, "mint(address,uint256)", Deployer, cancellationToken, timelock.Address, 1_000_000 * OneUsdc);
        dao.Usdc = usdc;
        return dao;
    }

    /// <summary>Six holders with different balances; some delegate to themselves, some to another; transfers then move votes.</summary>
    private async Task SeedHoldersAsync(DaoBuild dao, CancellationToken cancellationToken)
    {
        var a = DevnetAccounts.Addresses;
        var minted = new (int Holder, long Tokens)[] { (1, 3_000_000), (2, 2_000_000), (3, 1_500_000), (4, 1_000_000), (5, 500_000) };
        foreach (var (holder, tokens) in minted)
            await SendAsync(dao.Name, $"mint to holder {holder}", dao.Token, "mint(address,uint256)", Deployer, cancellationToken, a[holder], tokens * OneGbt);

        var delegations = new (int Holder, int Delegate)[] { (0, 0), (1, 1), (2, 1), (3, 3), (4, 3), (5, 5) };
        foreach (var (holder, delegatee) in delegations)
            await SendAsync(dao.Name, $"delegate {holder}->{delegatee}", dao.Token, "delegate(address)", a[holder], cancellationToken, a[delegatee]);

        await SendAsync(dao.Name, "transfer 1->5", dao.Token, "transfer(address,uint256)", a[1], cancellationToken, a[5], 250_000 * OneGbt);
        await SendAsync(dao.Name, "transfer 4->0", dao.Token, "transfer(address,uint256)", a[4], cancellationToken, a[0], 100_000 * OneGbt);

        var balances = new long[] { 1_100_000, 2_750_000, 2_000_000, 1_500_000, 900_000, 750_000 };
        var delegateOf = delegations.ToDictionary(d => d.Holder, d => d.Delegate);
        for (var i = 0; i < balances.Length; i++)
        {
            var power = Enumerable.Range(0, balances.Length).Where(h => delegateOf[h] == i).Sum(h => balances[h]);
            dao.Holders.Add(new SeededHolder(a[i], balances[i] * OneGbt, a[delegateOf[i]], power * OneGbt));
        }
    }

    /// <param name="blocks">Blocks to spread the days over; by default <see cref="DevnetSeedOptions.BlocksPerDay"/> per day.</param>
    private async Task AdvanceDaysAsync(int days, CancellationToken cancellationToken, long? blocks = null)
    {
        var total = blocks ?? (long)days * _options.BlocksPerDay;
        var interval = days * Day / total;
        // anvil_mine gets slower per block as one call's batch grows, so mine in small batches.
        for (var mined = 0L; mined < total; mined += MineBatch)
            await _chain.MineAsync(Math.Min(MineBatch, total - mined), interval, cancellationToken);

        // One extra block of slack puts both clocks strictly past "snapshot/deadline + 0".
        await _chain.MineAsync(1, 12, cancellationToken);
    }

    private const long MineBatch = 100;

    private async Task ProposeAsync(DaoBuild dao, string sample, ProposalState expected, ProposalCall[] calls, CancellationToken cancellationToken, bool revertsOnExecution = false)
    {
        var description = LoadSample(sample);
        var proposal = new ProposalBuild(sample, description, calls, expected, revertsOnExecution);
        await SendAsync(dao.Name, $"propose {sample}", dao.Governor, ProposeSignature, Deployer, cancellationToken,
            proposal.Targets, proposal.Values, proposal.Calldatas, description);

        var id = await dao.Governor.GetFunctionBySignature(Selector(HashProposalSignature))
            .CallAsync<BigInteger>(proposal.Targets, proposal.Values, proposal.Calldatas, proposal.DescriptionHash);
        var snapshot = await dao.Governor.GetFunction("proposalSnapshot").CallAsync<BigInteger>(id);
        if (snapshot.IsZero)
            throw new InvalidOperationException($"{dao.Name}: proposal {sample} has no snapshot after propose; hashProposal gave an unknown id {id}");

        proposal.Id = id;
        dao.Proposals.Add(proposal);
    }

    private Task VoteAsync(DaoBuild dao, string sample, byte support, string voter, string? reason, CancellationToken cancellationToken, bool withParams = false)
    {
        var id = dao.Get(sample).Id;
        var step = $"vote {support} on {sample} by {voter}";
        return (reason, withParams) switch
        {
            (not null, true) => SendAsync(dao.Name, step, dao.Governor, "castVoteWithReasonAndParams(uint256,uint8,string,bytes)", voter, cancellationToken, id, support, reason, VoteParams),
            (not null, false) => SendAsync(dao.Name, step, dao.Governor, "castVoteWithReason(uint256,uint8,string)", voter, cancellationToken, id, support, reason),
            _ => SendAsync(dao.Name, step, dao.Governor, "castVote(uint256,uint8)", voter, cancellationToken, id, support),
        };
    }

    private Task QueueAsync(DaoBuild dao, string sample, CancellationToken cancellationToken) =>
        SendAsync(dao.Name, $"queue {sample}", dao.Governor, QueueSignature, Deployer, cancellationToken, ProposalArgs(dao.Get(sample)));

    private static object[] ProposalArgs(ProposalBuild p) => [p.Targets, p.Values, p.Calldatas, p.DescriptionHash];

    private static ProposalCall Call(Contract target, string calldataHex) => new(target.Address, BigInteger.Zero, calldataHex.HexToByteArray());

    private static ProposalCall EthTransfer(DaoBuild dao, string recipient, BigInteger wei) => new(dao.Recipient(recipient), wei, []);

    private static ProposalCall UsdcTransfer(DaoBuild dao, string recipient, long usdc) =>
        new(dao.Usdc!.Address, BigInteger.Zero, dao.Usdc.GetFunction("transfer").GetData(dao.Recipient(recipient), usdc * OneUsdc).HexToByteArray());

    private async Task<Contract> DeployAsync(string contractName, string what, CancellationToken cancellationToken, params object[] constructorArgs)
    {
        var artifact = _artifacts.Get(contractName);
        TransactionReceipt receipt;
        try
        {
            receipt = await _web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
                artifact.Abi, artifact.Bytecode, Deployer, new HexBigInteger(15_000_000), cancellationToken, constructorArgs);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"Deploying {what} ({contractName}) failed: {ex.Message}", ex);
        }

        EnsureSuccess(receipt, $"deploy {what} ({contractName})");
        return _web3.Eth.GetContract(artifact.Abi, receipt.ContractAddress);
    }

    private static Task SendAsync(string dao, string step, Contract contract, string signature, string from, CancellationToken cancellationToken, params object[] args) =>
        DevnetGovernance.SendAsync(dao, step, contract, signature, from, cancellationToken, args);

    private async Task SendValueAsync(string dao, string to, BigInteger wei, CancellationToken cancellationToken)
    {
        var input = new TransactionInput { From = Deployer, To = to, Value = new HexBigInteger(wei), Gas = new HexBigInteger(100_000) };
        var receipt = await _web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(input, cancellationToken);
        EnsureSuccess(receipt, $"{dao}: send {wei} wei to {to}");
    }

    private static void EnsureSuccess(TransactionReceipt receipt, string step) => DevnetGovernance.EnsureSuccess(receipt, step);

    private static string Selector(string signature) => DevnetGovernance.Selector(signature);

    private static string LoadSample(string sample)
    {
        var assembly = typeof(DevnetSeeder).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith($".Devnet.Samples.{sample}.md", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded sample proposal '{sample}.md' is missing from {assembly.GetName().Name}");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().TrimEnd() + "\n";
    }

    private enum DaoKind
    {
        Oz5Blocks,
        Oz5Timestamp,
        Bravo,
    }

    private sealed record ProposalCall(string Target, BigInteger Value, byte[] Calldata);

    private sealed class ProposalBuild(string sample, string description, ProposalCall[] calls, ProposalState expected, bool revertsOnExecution)
    {
        public string Sample { get; } = sample;
        public string Description { get; } = description;
        public ProposalState Expected { get; } = expected;
        public bool RevertsOnExecution { get; } = revertsOnExecution;
        public ProposalCall[] Calls { get; } = calls;
        public List<string> Targets { get; } = calls.Select(c => c.Target).ToList();
        public List<BigInteger> Values { get; } = calls.Select(c => c.Value).ToList();
        public List<byte[]> Calldatas { get; } = calls.Select(c => c.Calldata).ToList();
        public byte[] DescriptionHash { get; } = DevnetGovernance.DescriptionHash(description);
        public BigInteger Id { get; set; }
        public string Title => Description.Split('\n')[0].TrimStart('#', ' ').Trim();
    }

    private sealed class DaoBuild(string name, DaoKind kind, Contract token, Contract timelock, Contract governor, long startBlock, long votingDelay, long votingPeriod)
    {
        public string Name { get; } = name;
        public DaoKind Kind { get; } = kind;
        public Contract Token { get; } = token;
        public Contract Timelock { get; } = timelock;
        public Contract Governor { get; } = governor;
        public Contract? Usdc { get; set; }
        public List<ProposalBuild> Proposals { get; } = [];
        public List<SeededHolder> Holders { get; } = [];

        public ProposalBuild Get(string sample) => Proposals.Single(p => p.Sample == sample);

        /// <summary>A fresh address per DAO and role, so balances start at zero and proposal ids differ between DAOs.</summary>
        public string Recipient(string role)
        {
            var hash = Sha3Keccack.Current.CalculateHash($"govbot-devnet:{Name}:{role}");
            return AddressUtil.Current.ConvertToChecksumAddress("0x" + hash[^40..]);
        }

        public DevnetDao ToRecord(long chainId, string rpc, string usdc)
        {
            var proposals = Proposals.Select(p =>
            {
                SeededTransfer? transfer = null;
                if (p.Sample == "grants-program")
                    transfer = new SeededTransfer(Recipient("grantee"), 5 * OneEth, 25_000 * OneUsdc);
                return new SeededProposal(p.Id.ToString(), p.Sample, p.Title, p.Description, p.Expected, transfer, p.RevertsOnExecution);
            }).ToList();

            return new DevnetDao(
                Name,
                Kind == DaoKind.Bravo ? "bravo" : "oz5",
                chainId,
                rpc,
                Governor.Address,
                Token.Address,
                Timelock.Address,
                usdc,
                startBlock,
                Kind == DaoKind.Oz5Timestamp ? "timestamp" : "blocknumber",
                votingDelay,
                votingPeriod,
                TimelockDelay,
                proposals,
                Holders);
        }
    }
}
