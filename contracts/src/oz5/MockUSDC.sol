// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A 6-decimal stand-in for USDC that the devnet treasuries hold.
contract MockUSDC is ERC20 {
    address public immutable minter;

    constructor() ERC20("Mock USD Coin", "USDC") {
        minter = msg.sender;
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == minter, "MockUSDC: only minter");
        _mint(to, amount);
    }
}
