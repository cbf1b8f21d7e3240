//! `sol_interface!` definitions of the suite's external APIs, for cross-contract calls.
//!
//! These are the ABIs the contracts call on each other; contract crates depend on this crate,
//! never on each other. Each definition lists the functions other contracts of the suite (and
//! integrators writing Rust) call; the full ABI of each contract is its `export-abi` output.

use stylus_sdk::{keccak_const::Keccak256, prelude::sol_interface};

/// The 4-byte selector of a function signature such as `"mint(address,uint256)"`.
#[must_use]
pub const fn selector(signature: &str) -> [u8; 4] {
    let hash = Keccak256::new().update(signature.as_bytes()).finalize();
    [hash[0], hash[1], hash[2], hash[3]]
}

/// Selectors of the ERC-20 functions the suite calls on tokens.
pub mod erc20_selectors {
    use super::selector;

    /// `transfer(address,uint256)`.
    pub const TRANSFER: [u8; 4] = selector("transfer(address,uint256)");
    /// `transferFrom(address,address,uint256)`.
    pub const TRANSFER_FROM: [u8; 4] = selector("transferFrom(address,address,uint256)");
    /// `approve(address,uint256)`.
    pub const APPROVE: [u8; 4] = selector("approve(address,uint256)");
    /// `balanceOf(address)`.
    pub const BALANCE_OF: [u8; 4] = selector("balanceOf(address)");
    /// `totalSupply()`.
    pub const TOTAL_SUPPLY: [u8; 4] = selector("totalSupply()");
    /// `allowance(address,address)`.
    pub const ALLOWANCE: [u8; 4] = selector("allowance(address,address)");
    /// EIP-2612 `permit(address,address,uint256,uint256,uint8,bytes32,bytes32)`.
    pub const PERMIT: [u8; 4] =
        selector("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)");
}

/// Selectors of the LST token's vault-side functions ([`ILstToken`]).
pub mod lst_selectors {
    use super::selector;

    /// `mint(address,uint256)`: vault only.
    pub const MINT: [u8; 4] = selector("mint(address,uint256)");
    /// `burn(uint256)`: vault only, from the vault's own balance.
    pub const BURN: [u8; 4] = selector("burn(uint256)");
    /// `lock(address,uint256)`: vault only, moves shares into the vault.
    pub const LOCK: [u8; 4] = selector("lock(address,uint256)");
    /// `vault()`.
    pub const VAULT: [u8; 4] = selector("vault()");
}

/// Selectors of the staking vault's views that other contracts call ([`IStakingVault`]).
pub mod vault_selectors {
    use super::selector;

    /// `getRate()`.
    pub const GET_RATE: [u8; 4] = selector("getRate()");
    /// `token()`: the LST.
    pub const TOKEN: [u8; 4] = selector("token()");
    /// `deposit(address)`: payable, returns the shares minted.
    pub const DEPOSIT: [u8; 4] = selector("deposit(address)");
    /// `totalShares()`: the shares the vault (the staking vault, or the LRT for its share
    /// token) counts, its token's supply.
    pub const TOTAL_SHARES: [u8; 4] = selector("totalShares()");
}

/// Selectors of the restaking manager's functions that AVS registries and the LRT allocator
/// call ([`IRestakingManager`]).
pub mod manager_selectors {
    use super::selector;

    /// `isOperator(address)`.
    pub const IS_OPERATOR: [u8; 4] = selector("isOperator(address)");
    /// `slash(address,uint256)`: whitelisted registries only; returns the LST taken.
    pub const SLASH: [u8; 4] = selector("slash(address,uint256)");
    /// `depositRewards(address)`: payable.
    pub const DEPOSIT_REWARDS: [u8; 4] = selector("depositRewards(address)");
    /// `allocatedStake(address,address)`: the operator's stake allocated to a registry.
    pub const ALLOCATED_STAKE: [u8; 4] = selector("allocatedStake(address,address)");
    /// `token()`: the LST held in the pools.
    pub const TOKEN: [u8; 4] = selector("token()");
    /// `delegate(address,uint256)`: pulls LST from the caller; returns the pool shares.
    pub const DELEGATE: [u8; 4] = selector("delegate(address,uint256)");
    /// `undelegate(address,uint256)`: queues a withdrawal; returns its id.
    pub const UNDELEGATE: [u8; 4] = selector("undelegate(address,uint256)");
    /// `completeWithdrawal(uint256)`: pays a queued withdrawal; returns the LST paid.
    pub const COMPLETE_WITHDRAWAL: [u8; 4] = selector("completeWithdrawal(uint256)");
    /// `stakerShares(address,address)`: a staker's pool shares with an operator.
    pub const STAKER_SHARES: [u8; 4] = selector("stakerShares(address,address)");
    /// `positionsValue(address,address[],uint256[])`: what a staker's shares with each
    /// operator are worth plus what each queued withdrawal would pay now, summed.
    pub const POSITIONS_VALUE: [u8; 4] = selector("positionsValue(address,address[],uint256[])");
}

/// Selectors of the allocation manager's views that the restaking manager calls
/// ([`IAllocationManager`]).
pub mod allocation_selectors {
    use super::selector;

    /// `isOperator(address)`.
    pub const IS_OPERATOR: [u8; 4] = selector("isOperator(address)");
    /// `isRegistry(address)`.
    pub const IS_REGISTRY: [u8; 4] = selector("isRegistry(address)");
    /// `slashableBps(address,address)`: the operator's allocation to a registry, now.
    pub const SLASHABLE_BPS: [u8; 4] = selector("slashableBps(address,address)");
    /// `operatorFeeBps(address)`: the operator's fee on rewards, now, capped.
    pub const OPERATOR_FEE_BPS: [u8; 4] = selector("operatorFeeBps(address)");
}

/// Selectors of the LRT allocator's functions that the LRT calls ([`ILrtAllocator`]).
pub mod lrt_allocator_selectors {
    use super::selector;

    /// `totalAssets()`: LST the allocator manages for the LRT (idle, delegated, queued).
    pub const TOTAL_ASSETS: [u8; 4] = selector("totalAssets()");
    /// `credit(uint256)`: LRT only; LST the LRT moved into the allocator.
    pub const CREDIT: [u8; 4] = selector("credit(uint256)");
    /// `release(uint256)`: LRT only; sends idle LST to the LRT for fulfilled redemptions.
    pub const RELEASE: [u8; 4] = selector("release(uint256)");
}

/// Selectors of an AVS registry's views that the restaking manager calls ([`IAvsRegistry`]).
pub mod registry_selectors {
    use super::selector;

    /// `isOptedIn(address)`.
    pub const IS_OPTED_IN: [u8; 4] = selector("isOptedIn(address)");
}

sol_interface! {
    /// The staking vault: takes ETH, mints the LST through [`ILstToken`], reports, queue.
    interface IStakingVault {
        function token() external view returns (address);
        function deposit(address receiver) external payable returns (uint256);
        function getRate() external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function totalAssets() external view returns (uint256);
        function totalShares() external view returns (uint256);
        function requestWithdrawal(uint256 shares) external returns (uint256);
        function claim(uint256 id) external;
    }

    /// The LST: an ERC-20 with EIP-2612 permit whose supply only the staking vault changes.
    interface ILstToken {
        function vault() external view returns (address);
        function getRate() external view returns (uint256);
        function mint(address to, uint256 shares) external;
        function burn(uint256 shares) external;
        function lock(address owner, uint256 shares) external;
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
    }

    /// The restaking manager: per-operator pools of LST, bounded slashing of what operators
    /// allocated in the [`IAllocationManager`], rewards staked into the vault for the pool.
    interface IRestakingManager {
        function token() external view returns (address);
        function isOperator(address operator) external view returns (bool);
        function delegate(address operator, uint256 assets) external returns (uint256);
        function undelegate(address operator, uint256 shares) external returns (uint256);
        function completeWithdrawal(uint256 id) external returns (uint256);
        function slash(address operator, uint256 bps) external returns (uint256);
        function depositRewards(address operator) external payable;
        function allocatedStake(address operator, address registry) external view returns (uint256);
        function stakerShares(address staker, address operator) external view returns (uint256);
        function stakerValue(address staker, address operator) external view returns (uint256);
        function queuedValue(uint256 id) external view returns (uint256);
    }

    /// The allocation manager: operators (fee, metadata) and their allocations to AVS
    /// registries.
    interface IAllocationManager {
        function isOperator(address operator) external view returns (bool);
        function isRegistry(address registry) external view returns (bool);
        function slashableBps(address operator, address registry) external view returns (uint16);
        function operatorFeeBps(address operator) external view returns (uint16);
        function registerOperator(uint16 fee_bps, string calldata metadata_uri) external;
        function allocate(address registry, uint16 bps) external;
    }

    /// An AVS's operator registry (one per AVS).
    interface IAvsRegistry {
        function manager() external view returns (address);
        function isOptedIn(address operator) external view returns (bool);
        function operatorCount() external view returns (uint256);
        function operators(uint256 offset, uint256 limit) external view returns (address[] memory);
        function allocatedStake(address operator) external view returns (uint256);
        function slash(address operator, uint256 bps, bytes32 reason) external returns (uint256);
        function distributeRewards(address operator) external payable;
    }

    /// The LRT's allocator: holds the LRT's LST, keeps an idle buffer and delegates the rest
    /// to operators in the restaking manager by target weights.
    interface ILrtAllocator {
        function lrt() external view returns (address);
        function totalAssets() external view returns (uint256);
        function idle() external view returns (uint256);
        function credit(uint256 assets) external returns (uint256);
        function release(uint256 assets) external;
    }

    /// The LRT vault (ERC-4626 deposits of LST, ERC-7540 asynchronous redemptions,
    /// ERC-165, rate provider); its shares are the separate srETH token `share()` (ERC-7575).
    interface ILrt {
        function asset() external view returns (address);
        function share() external view returns (address);
        function totalAssets() external view returns (uint256);
        function getRate() external view returns (uint256);
        function deposit(uint256 assets, address receiver) external returns (uint256);
        function mint(uint256 shares, address receiver) external returns (uint256);
        function depositEth(address receiver) external payable returns (uint256);
        function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256);
        function pendingRedeemRequest(uint256 request_id, address controller) external view returns (uint256);
        function claimableRedeemRequest(uint256 request_id, address controller) external view returns (uint256);
        function fulfill(uint256 up_to_id) external returns (uint256);
        function redeem(uint256 shares, address receiver, address controller) external returns (uint256);
        function withdraw(uint256 assets, address receiver, address controller) external returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
    }
}
