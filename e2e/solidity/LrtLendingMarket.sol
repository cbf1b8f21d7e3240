// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ILrt} from "abi/lrt.sol";

/// A minimal ETH lending market that takes the LRT's share token (srETH) as collateral and
/// prices it with the LRT's rate provider, `getRate()` (ETH per srETH, 18 decimals), the way a
/// money market integrates an LRT: value rounds down, debt is checked against a loan-to-value
/// limit, and a position whose debt exceeds the liquidation threshold can be closed by anyone
/// who repays it, for its collateral.
contract LrtLendingMarket {
    using SafeERC20 for IERC20;

    uint256 public constant BPS = 10_000;

    IERC20 public immutable collateral;
    ILrt public immutable rateProvider;
    /// Debt may reach this share of the collateral's value when borrowing.
    uint256 public immutable ltvBps;
    /// A position whose debt exceeds this share of its collateral's value can be liquidated.
    uint256 public immutable liquidationBps;

    mapping(address => uint256) public collateralOf;
    mapping(address => uint256) public debtOf;

    event Supplied(address indexed user, uint256 shares);
    event Borrowed(address indexed user, uint256 amount);
    event Repaid(address indexed user, uint256 amount);
    event Liquidated(address indexed user, address indexed liquidator, uint256 debt, uint256 shares);

    /// The loan would take the debt above the loan-to-value limit.
    error BorrowLimitExceeded(uint256 debt, uint256 limit);
    /// The position is within its liquidation threshold.
    error PositionHealthy(uint256 debt, uint256 threshold);
    /// The liquidator sent other than the debt.
    error WrongRepayment(uint256 sent, uint256 debt);
    /// Sending ETH failed.
    error PaymentFailed(address to, uint256 amount);

    constructor(IERC20 collateral_, ILrt rateProvider_, uint256 ltvBps_, uint256 liquidationBps_) payable {
        collateral = collateral_;
        rateProvider = rateProvider_;
        ltvBps = ltvBps_;
        liquidationBps = liquidationBps_;
    }

    /// Lenders' ETH.
    receive() external payable {}

    /// The ETH value of `user`'s collateral at the LRT's current rate (rounded down).
    function collateralValue(address user) public view returns (uint256) {
        return Math.mulDiv(collateralOf[user], rateProvider.getRate(), 1e18);
    }

    /// The most `user` may owe.
    function borrowLimit(address user) public view returns (uint256) {
        return Math.mulDiv(collateralValue(user), ltvBps, BPS);
    }

    /// Whether `user`'s debt is above its liquidation threshold.
    function isLiquidatable(address user) public view returns (bool) {
        return debtOf[user] > Math.mulDiv(collateralValue(user), liquidationBps, BPS);
    }

    /// Moves `shares` srETH of the caller (approved to this market) in as collateral.
    function supply(uint256 shares) external {
        collateral.safeTransferFrom(msg.sender, address(this), shares);
        collateralOf[msg.sender] += shares;
        emit Supplied(msg.sender, shares);
    }

    /// Lends `amount` ETH to the caller within its limit.
    function borrow(uint256 amount) external {
        uint256 debt = debtOf[msg.sender] + amount;
        uint256 limit = borrowLimit(msg.sender);
        if (debt > limit) revert BorrowLimitExceeded(debt, limit);
        debtOf[msg.sender] = debt;
        emit Borrowed(msg.sender, amount);
        _pay(msg.sender, amount);
    }

    /// Repays the caller's debt with the ETH sent (at most the debt).
    function repay() external payable {
        debtOf[msg.sender] -= msg.value;
        emit Repaid(msg.sender, msg.value);
    }

    /// Repays `user`'s whole debt with the ETH sent and takes all its collateral.
    function liquidate(address user) external payable {
        uint256 debt = debtOf[user];
        if (!isLiquidatable(user)) {
            revert PositionHealthy(debt, Math.mulDiv(collateralValue(user), liquidationBps, BPS));
        }
        if (msg.value != debt) revert WrongRepayment(msg.value, debt);
        uint256 shares = collateralOf[user];
        debtOf[user] = 0;
        collateralOf[user] = 0;
        emit Liquidated(user, msg.sender, debt, shares);
        collateral.safeTransfer(msg.sender, shares);
    }

    function _pay(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert PaymentFailed(to, amount);
    }
}
