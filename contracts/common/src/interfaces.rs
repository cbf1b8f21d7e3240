//! `sol_interface!` definitions of the suite's external APIs, for cross-contract calls.
//!
//! These are the ABIs the contracts call on each other; contract crates depend on this crate,
//! never on each other. Each definition lists the functions other contracts of the suite (and
//! integrators writing Rust) call; the full ABI of each contract is its `export-abi` output.

use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// The staking vault, which is also the LST (an ERC-20 with EIP-2612 permit).
    interface IStakingVault {
        function deposit(address receiver) external payable returns (uint256);
        function getRate() external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function totalAssets() external view returns (uint256);
        function requestWithdrawal(uint256 shares) external returns (uint256);
        function claim(uint256 id) external;
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
    }

    /// The restaking manager: per-operator pools of LST, allocations to AVSs, slashing and
    /// rewards.
    interface IRestakingManager {
        function isOperator(address operator) external view returns (bool);
        function delegate(address operator, uint256 assets) external returns (uint256);
        function undelegate(address operator, uint256 shares) external returns (uint256);
        function completeWithdrawal(uint256 id) external returns (uint256);
        function slash(address operator, uint256 bps) external returns (uint256);
        function depositRewards(address operator) external payable;
        function allocatedStake(address operator, address avs) external view returns (uint256);
        function stakerValue(address staker, address operator) external view returns (uint256);
        function queuedValue(uint256 id) external view returns (uint256);
    }

    /// An AVS's operator registry (one per AVS).
    interface IAvsRegistry {
        function isOptedIn(address operator) external view returns (bool);
        function slash(address operator, uint256 bps, bytes32 reason) external returns (uint256);
        function distributeRewards(address operator) external payable;
    }

    /// The liquid restaking token (ERC-20, ERC-4626 deposits of LST, ERC-7540 redemptions).
    interface ILrt {
        function asset() external view returns (address);
        function totalAssets() external view returns (uint256);
        function getRate() external view returns (uint256);
        function deposit(uint256 assets, address receiver) external returns (uint256);
        function depositEth(address receiver) external payable returns (uint256);
        function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256);
        function redeem(uint256 shares, address receiver, address controller) external returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
    }
}
