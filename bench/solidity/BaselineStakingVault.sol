// SPDX-License-Identifier: MIT
// The gas baseline's staking vault: ETH in, LST out at (buffered + validator balance) / supply
// with a virtual offset, an oracle report bounded by an interval, a maximum APR and a maximum
// loss, a fee on gains minted to the treasury as LST; roles and pause from OpenZeppelin.
// Less than ours: no withdrawal queue, no deposit cap or minimum beyond one check, no validator
// operator payout (only what the benchmarked operations touch). Packed as ours is: the buffer
// with the validator balance, the minimum with the cap.
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BaselineLst} from "./BaselineLst.sol";

contract BaselineStakingVault is AccessControl, Pausable {
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    BaselineLst public token;
    uint128 public bufferedEther;
    uint128 public validatorBalance;
    uint64 public lastReportTimestamp;
    uint64 public minReportInterval;
    uint16 public feeBps;
    uint16 public maxAprBps;
    uint16 public maxLossBps;
    address public treasury;
    uint128 public minDeposit;
    uint128 public depositCap;

    event Deposited(address indexed sender, address indexed receiver, uint256 assets, uint256 shares);
    event Reported(uint64 timestamp, uint256 validatorBalance, uint256 fee);

    error BaselineDepositOutOfBounds(uint256 assets);
    error BaselineReportTooSoon();
    error BaselineReportOutOfBounds();

    constructor(address admin, uint64 minReportInterval_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ORACLE_ROLE, admin);
        _grantRole(KEEPER_ROLE, admin);
        treasury = admin;
        feeBps = 1_000;
        maxAprBps = 1_000;
        maxLossBps = 500;
        minReportInterval = minReportInterval_;
        minDeposit = 0.01 ether;
        depositCap = 100_000 ether;
        lastReportTimestamp = uint64(block.timestamp);
    }

    function setToken(BaselineLst token_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        token = token_;
    }

    function totalAssets() public view returns (uint256) {
        return uint256(bufferedEther) + validatorBalance;
    }

    function deposit(address receiver) external payable whenNotPaused returns (uint256 shares) {
        uint256 total = totalAssets();
        if (msg.value < minDeposit || total + msg.value > depositCap) revert BaselineDepositOutOfBounds(msg.value);
        shares = Math.mulDiv(msg.value, token.totalSupply() + 1, total + 1);
        bufferedEther = SafeCast.toUint128(bufferedEther + msg.value);
        token.mint(receiver, shares);
        emit Deposited(msg.sender, receiver, msg.value, shares);
    }

    function fundValidators(uint256 amount) external onlyRole(KEEPER_ROLE) {
        bufferedEther -= SafeCast.toUint128(amount);
        validatorBalance += SafeCast.toUint128(amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        require(ok);
    }

    function report(uint64 timestamp, uint256 newBalance) external onlyRole(ORACLE_ROLE) whenNotPaused {
        uint64 last = lastReportTimestamp;
        if (timestamp > block.timestamp || timestamp < last + minReportInterval) revert BaselineReportTooSoon();
        uint256 old = validatorBalance;
        uint256 total = totalAssets();
        uint256 fee;
        if (newBalance >= old) {
            uint256 gain = newBalance - old;
            if (gain * 10_000 * 365 days > total * maxAprBps * (timestamp - last)) revert BaselineReportOutOfBounds();
            uint256 feeAssets = gain * feeBps / 10_000;
            if (feeAssets != 0) {
                uint256 supply = token.totalSupply();
                fee = Math.mulDiv(feeAssets, supply + 1, total + gain - feeAssets + 1);
                token.mint(treasury, fee);
            }
        } else if ((old - newBalance) * 10_000 > total * maxLossBps) {
            revert BaselineReportOutOfBounds();
        }
        validatorBalance = SafeCast.toUint128(newBalance);
        lastReportTimestamp = timestamp;
        emit Reported(timestamp, newBalance, fee);
    }

    function getRate() external view returns (uint256) {
        return Math.mulDiv(1 ether, totalAssets() + 1, token.totalSupply() + 1);
    }

    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    receive() external payable {}
}
