// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Imported so TimelockController is compiled into the artifacts and deployed as is.
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
