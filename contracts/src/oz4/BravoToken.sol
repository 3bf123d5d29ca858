// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts-v4/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts-v4/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts-v4/token/ERC20/extensions/ERC20Votes.sol";

/// @notice OpenZeppelin 4.9 votes token for the Bravo-style governor (4.9 governors need 4.9 token types).
contract BravoToken is ERC20, ERC20Permit, ERC20Votes {
    address public immutable minter;

    constructor(uint256 initialSupply) ERC20("GovBot Devnet Token", "GBT") ERC20Permit("GovBot Devnet Token") {
        minter = msg.sender;
        _mint(msg.sender, initialSupply);
    }

    /// @notice Devnet only: lets the deployer hand out voting power when seeding.
    function mint(address to, uint256 amount) external {
        require(msg.sender == minter, "BravoToken: only minter");
        _mint(to, amount);
    }

    function _afterTokenTransfer(address from, address to, uint256 amount) internal override(ERC20, ERC20Votes) {
        super._afterTokenTransfer(from, to, amount);
    }

    function _mint(address to, uint256 amount) internal override(ERC20, ERC20Votes) {
        super._mint(to, amount);
    }

    function _burn(address account, uint256 amount) internal override(ERC20, ERC20Votes) {
        super._burn(account, amount);
    }
}
