//! The LRT's storage layout. Its own module because the SDK's `#[entrypoint]` generates an
//! undocumented `user_entrypoint` export next to the struct it marks.

use alloy_primitives::Address;
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU128, StorageU256, StorageU64},
};

/// One redemption request (two slots: controller and time in the first, shares and assets in
/// the second).
#[storage]
pub struct Request {
    pub(crate) controller: StorageAddress,
    pub(crate) requested_at: StorageU64,
    pub(crate) shares: StorageU128,
    /// LST value at request while pending; the payout once fulfilled.
    pub(crate) assets: StorageU128,
}

/// A controller's redemption balances.
#[storage]
pub struct ControllerBalances {
    /// Shares of the controller's requests that wait for fulfilment.
    pub(crate) pending_shares: StorageU256,
    /// Shares of fulfilled requests not yet claimed (already burned).
    pub(crate) claimable_shares: StorageU256,
    /// LST reserved for those shares.
    pub(crate) claimable_assets: StorageU256,
}

/// The LRT vault.
#[storage]
#[entrypoint]
pub struct Lrt {
    /// The share token (srETH), bound once by `setShare`.
    pub(crate) share: StorageAddress,
    /// Shares in existence (the share token's supply): minted and burned only through here.
    pub(crate) total_shares: StorageU256,
    pub(crate) access: AccessControl,
    pub(crate) pausable: Pausable,
    /// The staking vault (ETH → LST for the zap, and the LST's ETH rate).
    pub(crate) vault: StorageAddress,
    /// The LST, this vault's asset.
    pub(crate) token: StorageAddress,
    /// The LRT allocator, which holds every LST of the LRT that is not reserved for claims.
    pub(crate) allocator: StorageAddress,
    pub(crate) min_deposit: StorageU128,
    pub(crate) deposit_cap: StorageU128,
    pub(crate) min_redeem: StorageU128,
    /// LST held here for fulfilled requests: Σ controllers' claimable assets.
    pub(crate) reserved_assets: StorageU256,
    /// LST per LRT (1e18) last reported by `RateUpdated`.
    pub(crate) last_rate: StorageU256,
    /// Ids start at 1 (0 is ERC-7540's "every request of the controller").
    pub(crate) next_request_id: StorageU64,
    pub(crate) next_to_fulfill: StorageU64,
    pub(crate) requests: StorageMap<u64, Request>,
    pub(crate) controllers: StorageMap<Address, ControllerBalances>,
    /// ERC-7540 operators: controller → operator → approved.
    pub(crate) operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
}
