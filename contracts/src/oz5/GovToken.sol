// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @notice GovBot's devnet voting token on the default block-number clock (ERC-6372 "mode=blocknumber&from=default").
contract GovToken is ERC20, ERC20Permit, ERC20Votes {
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

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
