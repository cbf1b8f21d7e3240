// SPDX-License-Identifier: MIT
// The same-design baseline's restaking manager: a pool of LST per operator (stake and pool
// shares, priced with the same virtual offset as ours), each staker's shares per pool, and the
// one view the LRT's price needs, `positionsValue(staker, operators)`. Less than ours: no AVS
// allocations, slashing, rewards, fees or withdrawal queue (the benchmarked operations reach
// none of them), so `positionsValue` takes no withdrawal ids.
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

contract BaselineRestakingManager is AccessControl, Pausable {
    using SafeERC20 for IERC20;

    uint256 private constant VIRTUAL = 1_000;

    struct Pool {
        uint128 stake;
        uint128 shares;
    }

    IERC20 public immutable token;
    mapping(address => bool) public isOperator;
    mapping(address => Pool) public pools;
    /// staker => operator => pool shares.
    mapping(address => mapping(address => uint256)) public stakerShares;

    event Delegated(address indexed staker, address indexed operator, uint256 assets, uint256 shares);

    error BaselineUnknownOperator(address operator);
    error BaselineZeroShares();

    constructor(IERC20 token_, address admin) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function registerOperator(address operator) external onlyRole(DEFAULT_ADMIN_ROLE) {
        isOperator[operator] = true;
    }

    /// Moves `assets` LST of the caller into `operator`'s pool for pool shares (rounded down).
    function delegate(address operator, uint256 assets) external whenNotPaused returns (uint256 shares) {
        if (!isOperator[operator]) revert BaselineUnknownOperator(operator);
        Pool memory pool = pools[operator];
        shares = Math.mulDiv(assets, pool.shares + VIRTUAL, pool.stake + VIRTUAL);
        if (shares == 0) revert BaselineZeroShares();
        pools[operator] = Pool(SafeCast.toUint128(pool.stake + assets), SafeCast.toUint128(pool.shares + shares));
        stakerShares[msg.sender][operator] += shares;
        token.safeTransferFrom(msg.sender, address(this), assets);
        emit Delegated(msg.sender, operator, assets, shares);
    }

    /// What `staker`'s shares with each of `operators` are worth now, summed (each rounded down).
    function positionsValue(address staker, address[] calldata operators) external view returns (uint256 total) {
        for (uint256 i; i < operators.length; ++i) {
            Pool memory pool = pools[operators[i]];
            total += Math.mulDiv(stakerShares[staker][operators[i]], pool.stake, pool.shares + VIRTUAL);
        }
    }
}
