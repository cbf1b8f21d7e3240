// SPDX-License-Identifier: MIT
// The same-design baseline's LRT share token: OpenZeppelin ERC-20 + EIP-2612 permit, a contract
// of its own as ours (lrt-token), Renzo's ezETH and Kelp's rsETH are. The LRT that creates it
// mints on deposits, locks shares of a redemption request in itself and burns them on
// fulfilment. Unlike ours it keeps its own supply (OpenZeppelin's `_totalSupply`), which the LRT
// reads for every price.
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract BaselineLrtShares is ERC20, ERC20Permit {
    address public immutable lrt;

    error BaselineOnlyLrt();

    constructor(string memory name, string memory symbol) ERC20(name, symbol) ERC20Permit(name) {
        lrt = msg.sender;
    }

    modifier onlyLrt() {
        if (msg.sender != lrt) revert BaselineOnlyLrt();
        _;
    }

    function mint(address to, uint256 amount) external onlyLrt {
        _mint(to, amount);
    }

    /// Burns `amount` of the shares locked in the LRT.
    function burn(uint256 amount) external onlyLrt {
        _burn(lrt, amount);
    }

    /// Moves `amount` of `owner`'s shares into the LRT, spending `spender`'s allowance unless it
    /// is the owner.
    function lock(address owner, address spender, uint256 amount) external onlyLrt {
        if (spender != owner) _spendAllowance(owner, spender, amount);
        _transfer(owner, lrt, amount);
    }
}
