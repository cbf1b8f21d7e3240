// SPDX-License-Identifier: MIT
// The gas baseline's LST: OpenZeppelin ERC-20 + EIP-2612 permit; only the vault mints and burns
// (the role our lst-token gives the staking vault).
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract BaselineLst is ERC20, ERC20Permit {
    address public immutable vault;

    error BaselineOnlyVault();

    constructor(address vault_) ERC20("Baseline Staked Ether", "bsETH") ERC20Permit("Baseline Staked Ether") {
        vault = vault_;
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != vault) revert BaselineOnlyVault();
        _mint(to, amount);
    }

    function burn(address from, uint256 amount) external {
        if (msg.sender != vault) revert BaselineOnlyVault();
        _burn(from, amount);
    }
}
