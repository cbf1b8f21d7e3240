// SPDX-License-Identifier: MIT
// The same-design baseline's LRT: our LRT's design written in Solidity on OpenZeppelin, so the
// benchmark can tell what Stylus costs from what the design costs. As ours, the LST goes to an
// allocator, the price is `allocator.totalAssets()` (idle plus the restaking manager's valuation
// of every position, read live on every deposit and redemption) over the supply of a separate
// share token, redemptions are ERC-7540 requests that the keeper fulfils in FIFO order at
// min(value at request, value now) and controllers (or their operators) claim, and `RateUpdated`
// is logged when the rate moves. As is usual in Solidity (Renzo, Kelp), addresses fixed at
// construction are immutables and the supply is the share token's `totalSupply()`. Less than
// ours: only the benchmarked functions (no `mint`, `withdraw`, permit deposit, previews, limits
// setter, ERC-165) and no upgrade path.
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BaselineStakingVault} from "./BaselineStakingVault.sol";
import {BaselineLrtAllocator} from "./BaselineLrtAllocator.sol";
import {BaselineLrtShares} from "./BaselineLrtShares.sol";

contract BaselineModularLrt is AccessControl, Pausable {
    using SafeERC20 for IERC20;

    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    uint256 private constant VIRTUAL = 1_000;

    struct Request {
        address controller;
        uint64 requestedAt;
        uint128 shares;
        uint128 assets;
    }

    struct Balances {
        uint256 pendingShares;
        uint128 claimableShares;
        uint128 claimableAssets;
    }

    IERC20 public immutable asset;
    BaselineStakingVault public immutable vault;
    BaselineLrtAllocator public immutable allocator;
    BaselineLrtShares public immutable share;

    // Packed as ours is: the pause flag (OpenZeppelin's, in the slot before) with the deposit
    // limits; the reserve with the last rate; the redemption minimum with the queue's ids.
    uint128 public depositCap;
    uint96 public minDeposit;
    uint128 public reservedAssets;
    uint128 public lastRate;
    uint96 public minRedeem;
    uint64 public nextRequestId = 1;
    uint64 public nextToFulfill = 1;
    mapping(uint256 => Request) public requests;
    mapping(address => Balances) public controllers;
    mapping(address => mapping(address => bool)) public isOperator;

    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);
    event RedeemFulfilled(address indexed controller, uint256 indexed requestId, uint256 shares, uint256 assets);
    event RateUpdated(uint256 assetsPerShare, uint256 totalAssets, uint256 totalSupply);
    event OperatorSet(address indexed controller, address indexed operator, bool approved);

    error BaselineInvalidReceiver(address receiver);
    error BaselineDepositTooSmall(uint256 assets, uint256 minimum);
    error BaselineExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    error BaselineZeroShares();
    error BaselineZeroAddress();
    error BaselineZeroAmount();
    error BaselineRedeemTooSmall(uint256 assets, uint256 minimum);
    error BaselineNothingToFulfill(uint256 upToId, uint256 nextToFulfill);
    error BaselineNotControllerOrOperator(address caller, address controller);
    error BaselineExceededMaxRedeem(address controller, uint256 shares, uint256 max);
    error BaselineSelfOperator(address account);

    constructor(
        BaselineStakingVault vault_,
        IERC20 asset_,
        BaselineLrtAllocator allocator_,
        address admin,
        uint96 minDeposit_,
        uint128 depositCap_,
        uint96 minRedeem_
    ) {
        vault = vault_;
        asset = asset_;
        allocator = allocator_;
        share = new BaselineLrtShares("Baseline Modular Restaked Ether", "bmrETH");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ALLOCATOR_ROLE, admin);
        minDeposit = minDeposit_;
        depositCap = depositCap_;
        minRedeem = minRedeem_;
    }

    function totalAssets() external view returns (uint256) {
        return allocator.totalAssets();
    }

    function totalShares() external view returns (uint256) {
        return share.totalSupply();
    }

    function getRate() external view returns (uint256) {
        (uint256 total, uint256 supply) = _totals();
        return _rate(total, supply);
    }

    /// Deposits `assets` LST of the caller (who approved this contract) for shares at the price
    /// before them, which the allocator's `credit` answers (as ours).
    function deposit(uint256 assets, address receiver) external whenNotPaused returns (uint256 shares) {
        _admit(receiver, assets);
        asset.safeTransferFrom(msg.sender, address(allocator), assets);
        uint256 total = allocator.credit(assets);
        uint256 supply = share.totalSupply();
        shares = Math.mulDiv(assets, supply + VIRTUAL, total + VIRTUAL);
        _enter(receiver, assets, shares, total, supply);
    }

    /// ETH zap: stakes the ETH in the vault for LST minted to the allocator, shares at the price before.
    function depositEth(address receiver) external payable whenNotPaused returns (uint256 shares) {
        uint256 assets = vault.deposit{value: msg.value}(address(allocator));
        _admit(receiver, assets);
        uint256 total = allocator.credit(assets);
        uint256 supply = share.totalSupply();
        shares = Math.mulDiv(assets, supply + VIRTUAL, total + VIRTUAL);
        _enter(receiver, assets, shares, total, supply);
    }

    /// ERC-7540: locks `shares` of `owner` in the share token's LRT balance and records their value now.
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        whenNotPaused
        returns (uint256 id)
    {
        if (controller == address(0)) revert BaselineZeroAddress();
        if (shares == 0) revert BaselineZeroAmount();
        (uint256 total, uint256 supply) = _totals();
        uint256 assets = Math.mulDiv(shares, total, supply + VIRTUAL);
        if (assets < minRedeem) revert BaselineRedeemTooSmall(assets, minRedeem);
        address spender = msg.sender == owner || isOperator[owner][msg.sender] ? owner : msg.sender;
        id = nextRequestId++;
        requests[id] = Request(controller, uint64(block.timestamp), SafeCast.toUint128(shares), SafeCast.toUint128(assets));
        controllers[controller].pendingShares += shares;
        share.lock(owner, spender, shares);
        emit RedeemRequest(controller, owner, id, msg.sender, shares);
    }

    /// Fulfils requests in FIFO order up to `upToId`, each at min(value at request, value now).
    function fulfill(uint256 upToId) external onlyRole(ALLOCATOR_ROLE) whenNotPaused returns (uint256 reserved) {
        uint256 first = nextToFulfill;
        if (upToId < first || upToId >= nextRequestId) revert BaselineNothingToFulfill(upToId, first);
        (uint256 total, uint256 supply) = _totals();
        uint256 burned;
        for (uint256 id = first; id <= upToId; ++id) {
            Request storage request = requests[id];
            uint256 shares = request.shares;
            uint256 assets = Math.min(Math.mulDiv(shares, total, supply + VIRTUAL), request.assets);
            request.assets = uint128(assets);
            address controller = request.controller;
            Balances storage balances = controllers[controller];
            balances.pendingShares -= shares;
            balances.claimableShares += uint128(shares);
            balances.claimableAssets += uint128(assets);
            burned += shares;
            reserved += assets;
            emit RedeemFulfilled(controller, id, shares, assets);
        }
        nextToFulfill = uint64(upToId + 1);
        reservedAssets += SafeCast.toUint128(reserved);
        _logRate(total - reserved, supply - burned);
        share.burn(burned);
        if (reserved != 0) allocator.release(reserved);
    }

    /// ERC-7540 claim: `shares` of the controller's claimable shares for their pro-rata LST.
    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets) {
        if (msg.sender != controller && !isOperator[controller][msg.sender]) {
            revert BaselineNotControllerOrOperator(msg.sender, controller);
        }
        if (receiver == address(0) || receiver == address(this)) revert BaselineInvalidReceiver(receiver);
        if (shares == 0) revert BaselineZeroAmount();
        Balances storage balances = controllers[controller];
        uint256 claimableShares = balances.claimableShares;
        if (shares > claimableShares) revert BaselineExceededMaxRedeem(controller, shares, claimableShares);
        assets = Math.mulDiv(balances.claimableAssets, shares, claimableShares);
        balances.claimableShares = uint128(claimableShares - shares);
        balances.claimableAssets -= uint128(assets);
        reservedAssets -= uint128(assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        asset.safeTransfer(receiver, assets);
    }

    function setOperator(address operator, bool approved) external returns (bool) {
        if (operator == msg.sender) revert BaselineSelfOperator(operator);
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    function _totals() internal view returns (uint256 total, uint256 supply) {
        total = allocator.totalAssets();
        supply = share.totalSupply();
    }

    function _rate(uint256 total, uint256 supply) internal pure returns (uint256) {
        return Math.mulDiv(1 ether, total + VIRTUAL, supply + VIRTUAL);
    }

    /// Checks the receiver and the minimum (before the price).
    function _admit(address receiver, uint256 assets) internal view {
        if (receiver == address(0) || receiver == address(this)) revert BaselineInvalidReceiver(receiver);
        if (assets < minDeposit) revert BaselineDepositTooSmall(assets, minDeposit);
    }

    /// Checks the cap, logs the deposit (and the rate when it moves) and mints the shares.
    function _enter(address receiver, uint256 assets, uint256 shares, uint256 total, uint256 supply) internal {
        uint256 cap = depositCap;
        uint256 room = cap > total ? cap - total : 0;
        if (assets > room) revert BaselineExceededMaxDeposit(receiver, assets, room);
        if (shares == 0) revert BaselineZeroShares();
        emit Deposit(msg.sender, receiver, assets, shares);
        _logRate(total + assets, supply + shares);
        share.mint(receiver, shares);
    }

    function _logRate(uint256 total, uint256 supply) internal {
        uint256 rate = _rate(total, supply);
        if (uint128(rate) != lastRate) {
            lastRate = uint128(rate);
            emit RateUpdated(rate, total, supply);
        }
    }
}
