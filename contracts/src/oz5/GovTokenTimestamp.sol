// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @notice Same token as GovToken but on the ERC-6372 timestamp clock, so a governor built on it counts seconds.
contract GovTokenTimestamp is ERC20, ERC20Permit, ERC20Votes {
    address public immutable minter;

    constructor(uint256 initialSupply) ERC20("GovBot Devnet Token", "GBT") ERC20Permit("GovBot Devnet Token") {
        minter = msg.sender;
        _mint(msg.sender, initialSupply);
    }

    /// @notice Devnet only: lets the deployer hand out voting power when seeding.
    function mint(address to, uint256 amount) external {
        require(msg.sender == minter, "GovToken: only minter");
        _mint(to, amount);
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
