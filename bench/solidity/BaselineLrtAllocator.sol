// SPDX-License-Identifier: MIT
// The same-design baseline's LRT allocator: it holds the LRT's LST, counts what the LRT
// credited as idle, releases idle LST to the LRT for fulfilled redemptions, delegates idle LST
// to target operators by weight through the restaking manager, and prices what it manages:
// `totalAssets = idle + manager.positionsValue(this, positions)`. Less than ours: no idle
// buffer, undelegation, withdrawal queue or pause (the benchmarked operations reach none of
// them).
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BaselineRestakingManager} from "./BaselineRestakingManager.sol";

contract BaselineLrtAllocator is AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");

    struct Target {
        address operator;
        uint16 weightBps;
    }

    IERC20 public immutable token;
    BaselineRestakingManager public immutable manager;
    address public lrt;
    uint96 public idle;
    Target[] private targets;
    address[] public positions;
    mapping(address => bool) public isPosition;

    event Credited(uint256 assets, uint256 idle);
    event Released(uint256 assets, uint256 idle);

    error BaselineNotLrt(address caller);
    error BaselineLrtAlreadySet();
    error BaselineInsufficientIdle(uint256 needed, uint256 idle);
    error BaselineNoTargets();

    constructor(IERC20 token_, BaselineRestakingManager manager_, address admin) {
        token = token_;
        manager = manager_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ALLOCATOR_ROLE, admin);
        token_.forceApprove(address(manager_), type(uint256).max);
    }

    function setLrt(address lrt_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (lrt != address(0)) revert BaselineLrtAlreadySet();
        lrt = lrt_;
    }

    function setTargets(address[] calldata operators, uint16[] calldata weightsBps) external onlyRole(ALLOCATOR_ROLE) {
        delete targets;
        for (uint256 i; i < operators.length; ++i) {
            targets.push(Target(operators[i], weightsBps[i]));
        }
    }

    /// Counts `assets` LST the LRT moved here as idle; returns `totalAssets` before them (the
    /// LRT prices the deposit with it, as ours does).
    function credit(uint256 assets) external returns (uint256 before) {
        if (msg.sender != lrt) revert BaselineNotLrt(msg.sender);
        before = totalAssets();
        uint256 now_ = idle + assets;
        idle = SafeCast.toUint96(now_);
        emit Credited(assets, now_);
    }

    /// Sends `assets` idle LST to the LRT.
    function release(uint256 assets) external {
        address lrt_ = lrt;
        if (msg.sender != lrt_) revert BaselineNotLrt(msg.sender);
        uint256 idle_ = idle;
        if (assets > idle_) revert BaselineInsufficientIdle(assets, idle_);
        idle_ -= assets;
        idle = uint96(idle_);
        emit Released(assets, idle_);
        token.safeTransfer(lrt_, assets);
    }

    /// Delegates `assets` idle LST to the targets by weight (the first also gets the remainder).
    function delegate(uint256 assets) external onlyRole(ALLOCATOR_ROLE) {
        uint256 idle_ = idle;
        if (assets > idle_) revert BaselineInsufficientIdle(assets, idle_);
        if (targets.length == 0) revert BaselineNoTargets();
        idle = uint96(idle_ - assets);
        uint256 sum;
        for (uint256 i; i < targets.length; ++i) {
            sum += targets[i].weightBps;
        }
        uint256 given;
        uint256[] memory parts = new uint256[](targets.length);
        for (uint256 i; i < targets.length; ++i) {
            parts[i] = assets * targets[i].weightBps / sum;
            given += parts[i];
        }
        parts[0] += assets - given;
        for (uint256 i; i < targets.length; ++i) {
            address operator = targets[i].operator;
            if (parts[i] == 0) continue;
            if (!isPosition[operator]) {
                isPosition[operator] = true;
                positions.push(operator);
            }
            manager.delegate(operator, parts[i]);
        }
    }

    /// LST managed for the LRT: idle plus the value of its pool shares now.
    function totalAssets() public view returns (uint256) {
        if (positions.length == 0) return idle;
        return idle + manager.positionsValue(address(this), positions);
    }
}
