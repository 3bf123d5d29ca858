// SPDX-License-Identifier: BSD-3-Clause
pragma solidity ^0.8.24;

/// @notice Compound's COMP token (Comp.sol, 0.5.16) ported to 0.8 with only what delegation touches: balances,
/// transfer, delegate, delegateBySig, checkpoints. Its signing domain is COMP's own
/// EIP712Domain(string name,uint256 chainId,address verifyingContract): no version, and no ERC-5267 eip712Domain(),
/// so GovBot has to fall back to name() to build it. Test fixture for that path; not part of the devnet DAO.
contract CompStyleToken {
    string public constant name = "Compound Style";
    string public constant symbol = "CST";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;

    mapping(address => uint96) internal balances;
    mapping(address => address) public delegates;

    struct Checkpoint {
        uint32 fromBlock;
        uint96 votes;
    }

    mapping(address => mapping(uint32 => Checkpoint)) public checkpoints;
    mapping(address => uint32) public numCheckpoints;

    bytes32 public constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    bytes32 public constant DELEGATION_TYPEHASH = keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)");

    mapping(address => uint256) public nonces;

    event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate);
    event DelegateVotesChanged(address indexed delegate, uint256 previousBalance, uint256 newBalance);
    event Transfer(address indexed from, address indexed to, uint256 amount);

    constructor(address account, uint96 supply) {
        balances[account] = supply;
        totalSupply = supply;
        emit Transfer(address(0), account, supply);
    }

    function balanceOf(address account) external view returns (uint256) {
        return balances[account];
    }

    function transfer(address dst, uint256 rawAmount) external returns (bool) {
        require(rawAmount < 2 ** 96, "Comp::transfer: amount exceeds 96 bits");
        _transferTokens(msg.sender, dst, uint96(rawAmount));
        return true;
    }

    function delegate(address delegatee) public {
        _delegate(msg.sender, delegatee);
    }

    function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 domainSeparator = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), block.chainid, address(this)));
        bytes32 structHash = keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        address signatory = ecrecover(digest, v, r, s);
        require(signatory != address(0), "Comp::delegateBySig: invalid signature");
        require(nonce == nonces[signatory]++, "Comp::delegateBySig: invalid nonce");
        require(block.timestamp <= expiry, "Comp::delegateBySig: signature expired");
        _delegate(signatory, delegatee);
    }

    function getCurrentVotes(address account) external view returns (uint96) {
        uint32 n = numCheckpoints[account];
        return n > 0 ? checkpoints[account][n - 1].votes : 0;
    }

    function _delegate(address delegator, address delegatee) internal {
        address currentDelegate = delegates[delegator];
        uint96 delegatorBalance = balances[delegator];
        delegates[delegator] = delegatee;
        emit DelegateChanged(delegator, currentDelegate, delegatee);
        _moveDelegates(currentDelegate, delegatee, delegatorBalance);
    }

    function _transferTokens(address src, address dst, uint96 amount) internal {
        require(dst != address(0), "Comp::_transferTokens: cannot transfer to the zero address");
        balances[src] -= amount;
        balances[dst] += amount;
        emit Transfer(src, dst, amount);
        _moveDelegates(delegates[src], delegates[dst], amount);
    }

    function _moveDelegates(address srcRep, address dstRep, uint96 amount) internal {
        if (srcRep == dstRep || amount == 0) return;
        if (srcRep != address(0)) {
            uint32 n = numCheckpoints[srcRep];
            uint96 old = n > 0 ? checkpoints[srcRep][n - 1].votes : 0;
            _writeCheckpoint(srcRep, n, old, old - amount);
        }
        if (dstRep != address(0)) {
            uint32 n = numCheckpoints[dstRep];
            uint96 old = n > 0 ? checkpoints[dstRep][n - 1].votes : 0;
            _writeCheckpoint(dstRep, n, old, old + amount);
        }
    }

    function _writeCheckpoint(address delegatee, uint32 n, uint96 oldVotes, uint96 newVotes) internal {
        uint32 blockNumber = uint32(block.number);
        if (n > 0 && checkpoints[delegatee][n - 1].fromBlock == blockNumber) {
            checkpoints[delegatee][n - 1].votes = newVotes;
        } else {
            checkpoints[delegatee][n] = Checkpoint(blockNumber, newVotes);
            numCheckpoints[delegatee] = n + 1;
        }
        emit DelegateVotesChanged(delegatee, oldVotes, newVotes);
    }
}
