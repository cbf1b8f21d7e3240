// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ILrt} from "abi/lrt.sol";

/// An integrator's router in front of the LRT, written against the golden ABI only: ERC-4626
/// deposits of the LST and ETH zaps with the slippage bound ERC-4626 lacks, and ERC-7540
/// redemptions requested and claimed for the caller as its operator.
contract LrtRouter {
    using SafeERC20 for IERC20;

    /// ERC-7540 asynchronous redemption (requestRedeem ^ pendingRedeemRequest ^ claimableRedeemRequest).
    bytes4 public constant ERC7540_REDEEM = 0x620ee8e4;
    /// ERC-7540 operators (isOperator ^ setOperator).
    bytes4 public constant ERC7540_OPERATOR = 0xe3bc4e65;
    /// ERC-7575 (the ERC-4626 vault functions and share()).
    bytes4 public constant ERC7575 = 0x2f0a18c5;

    ILrt public immutable lrt;
    IERC20 public immutable lst;
    IERC20 public immutable share;

    event Routed(address indexed user, address indexed receiver, uint256 assets, uint256 shares);

    /// The vault does not declare an interface the router relies on.
    error UnsupportedVault(bytes4 interfaceId);
    /// The deposit minted fewer shares than the caller accepts.
    error SlippageExceeded(uint256 shares, uint256 minShares);
    /// The caller has nothing claimable.
    error NothingToClaim(address controller);

    constructor(ILrt lrt_) {
        bytes4[3] memory required = [ERC7540_REDEEM, ERC7540_OPERATOR, ERC7575];
        for (uint256 i = 0; i < required.length; i++) {
            if (!lrt_.supportsInterface(required[i])) revert UnsupportedVault(required[i]);
        }
        lrt = lrt_;
        lst = IERC20(lrt_.asset());
        share = IERC20(lrt_.share());
    }

    /// Deposits `assets` LST of the caller (approved to this router) for `receiver`.
    function deposit(uint256 assets, address receiver, uint256 minShares) external returns (uint256 shares) {
        lst.safeTransferFrom(msg.sender, address(this), assets);
        lst.forceApprove(address(lrt), assets);
        shares = lrt.deposit(assets, receiver);
        if (shares < minShares) revert SlippageExceeded(shares, minShares);
        emit Routed(msg.sender, receiver, assets, shares);
    }

    /// Stakes and restakes the ETH sent in one call for `receiver`.
    function zap(address receiver, uint256 minShares) external payable returns (uint256 shares) {
        shares = lrt.depositEth{value: msg.value}(receiver);
        if (shares < minShares) revert SlippageExceeded(shares, minShares);
        emit Routed(msg.sender, receiver, msg.value, shares);
    }

    /// Requests the redemption of `shares` of the caller, who stays the controller. The caller
    /// must have made this router its ERC-7540 operator (`lrt.setOperator(router, true)`).
    function requestRedeem(uint256 shares) external returns (uint256 requestId) {
        return lrt.requestRedeem(shares, msg.sender, msg.sender);
    }

    /// Claims every fulfilled share of the caller, paying the LST to `receiver`.
    function claimAll(address receiver) external returns (uint256 assets) {
        uint256 shares = lrt.maxRedeem(msg.sender);
        if (shares == 0) revert NothingToClaim(msg.sender);
        return lrt.redeem(shares, receiver, msg.sender);
    }
}
