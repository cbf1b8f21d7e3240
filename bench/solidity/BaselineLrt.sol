// SPDX-License-Identifier: MIT
// The gas baseline's LRT: OpenZeppelin ERC-4626 over the baseline LST, its own shares an ERC-20
// with EIP-2612 permit; an ETH zap through the staking vault; ERC-7540-style asynchronous
// redemptions (request locks the shares and records their value, the keeper fulfils in FIFO
// order at min(value at request, value now), the controller claims). Less than ours: the
// assets stay in this contract (no allocator, no operator delegation behind totalAssets, no
// separate share-token contract, no ERC-7540 operators or ERC-165).
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BaselineStakingVault} from "./BaselineStakingVault.sol";

contract BaselineLrt is ERC4626, ERC20Permit, AccessControl, Pausable {
    using SafeERC20 for IERC20;

    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    struct Request {
        address controller;
        uint64 requestedAt;
        uint128 shares;
        uint128 assets;
    }

    struct Claimable {
        uint256 pendingShares;
        uint128 claimableShares;
        uint128 claimableAssets;
    }

    BaselineStakingVault public immutable vault;
    // Packed as ours is: the reserve with the queue's ids, a controller's claimable shares
    // with its claimable LST.
    uint128 public reservedAssets;
    uint64 public nextRequestId = 1;
    uint64 public nextToFulfill = 1;
    mapping(uint256 => Request) public requests;
    mapping(address => Claimable) public controllers;

    event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);
    event RedeemFulfilled(address indexed controller, uint256 indexed requestId, uint256 shares, uint256 assets);

    error BaselineNothingToFulfill();
    error BaselineExceededMaxRedeem();

    constructor(BaselineStakingVault vault_, IERC20 lst, address admin)
        ERC20("Baseline Restaked Ether", "brETH")
        ERC20Permit("Baseline Restaked Ether")
        ERC4626(lst)
    {
        vault = vault_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(KEEPER_ROLE, admin);
    }

    function decimals() public view override(ERC20, ERC4626) returns (uint8) {
        return super.decimals();
    }

    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) - reservedAssets;
    }

    function deposit(uint256 assets, address receiver) public override whenNotPaused returns (uint256) {
        return super.deposit(assets, receiver);
    }

    /// ETH zap: stakes the ETH in the vault for LST held here, mints shares at the price before.
    function depositEth(address receiver) external payable whenNotPaused returns (uint256 shares) {
        uint256 total = totalAssets();
        uint256 supply = totalSupply();
        uint256 assets = vault.deposit{value: msg.value}(address(this));
        shares = Math.mulDiv(assets, supply + 10 ** _decimalsOffset(), total + 1);
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    function requestRedeem(uint256 shares, address controller, address owner)
        external
        whenNotPaused
        returns (uint256 id)
    {
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        uint256 assets = previewRedeem(shares);
        _transfer(owner, address(this), shares);
        id = nextRequestId++;
        requests[id] = Request(controller, uint64(block.timestamp), uint128(shares), uint128(assets));
        controllers[controller].pendingShares += shares;
        emit RedeemRequest(controller, owner, id, msg.sender, shares);
    }

    function fulfill(uint256 upToId) external onlyRole(KEEPER_ROLE) whenNotPaused returns (uint256 reserved) {
        uint256 first = nextToFulfill;
        if (upToId < first || upToId >= nextRequestId) revert BaselineNothingToFulfill();
        uint256 burned;
        for (uint256 id = first; id <= upToId; ++id) {
            Request storage request = requests[id];
            uint256 shares = request.shares;
            uint256 assets = Math.min(previewRedeem(shares), request.assets);
            request.assets = uint128(assets);
            Claimable storage c = controllers[request.controller];
            c.pendingShares -= shares;
            c.claimableShares += SafeCast.toUint128(shares);
            c.claimableAssets += SafeCast.toUint128(assets);
            burned += shares;
            reserved += assets;
            emit RedeemFulfilled(request.controller, id, shares, assets);
        }
        nextToFulfill = uint64(upToId + 1);
        reservedAssets += SafeCast.toUint128(reserved);
        _burn(address(this), burned);
    }

    function redeem(uint256 shares, address receiver, address controller) public override returns (uint256 assets) {
        require(msg.sender == controller);
        Claimable storage c = controllers[controller];
        uint256 claimableShares = c.claimableShares;
        if (shares == 0 || shares > claimableShares) revert BaselineExceededMaxRedeem();
        assets = Math.mulDiv(c.claimableAssets, shares, claimableShares);
        c.claimableShares = uint128(claimableShares - shares);
        c.claimableAssets -= uint128(assets);
        reservedAssets -= uint128(assets);
        IERC20(asset()).safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    function getRate() external view returns (uint256) {
        return convertToAssets(1 ether);
    }
}
