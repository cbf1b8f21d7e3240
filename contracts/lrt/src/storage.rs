//! The LRT's storage layout.

use alloy_primitives::Address;
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageU128, StorageU256, StorageU64, StorageU96,
    },
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

/// A controller's redemption balances (two slots: the pending shares, and the claimable
/// shares and LST together, which fulfilments set and claims take down together).
#[storage]
pub struct ControllerBalances {
    /// Shares of the controller's requests that wait for fulfilment.
    pub(crate) pending_shares: StorageU256,
    /// Shares of fulfilled requests not yet claimed (already burned).
    pub(crate) claimable_shares: StorageU128,
    /// LST reserved for those shares.
    pub(crate) claimable_assets: StorageU128,
}

/// The LRT vault.
///
/// Fields are packed so that each action reads and writes few slots: the allocator's address
/// with the next request id and the pause flag (every deposit, request and fulfilment reads
/// them), the supply with the last rate (both written by every deposit and fulfilment), the
/// LST's address with the reserve (a claim reads both from one slot, and the reserve going
/// from zero to non-zero changes a slot instead of setting one), the cap with both minimums.
/// The share token's address is not stored: it is this vault's first creation.
#[storage]
pub struct Lrt {
    /// The LRT allocator, which holds every LST of the LRT that is not reserved for claims.
    pub(crate) allocator: StorageAddress,
    /// Ids start at 1 (0 is ERC-7540's "every request of the controller").
    pub(crate) next_request_id: StorageU64,
    /// Whether `createShare` created the share token (srETH).
    pub(crate) share_created: StorageBool,
    /// In the allocator's slot, which every paused function reads.
    pub(crate) pausable: Pausable,
    /// Shares in existence (the share token's supply): minted and burned only through here.
    pub(crate) total_shares: StorageU128,
    /// LST per LRT (1e18) last reported by `RateUpdated` (saturated at 2^128 − 1).
    pub(crate) last_rate: StorageU128,
    pub(crate) access: AccessControl,
    /// The staking vault (ETH → LST for the zap, and the LST's ETH rate).
    pub(crate) vault: StorageAddress,
    pub(crate) next_to_fulfill: StorageU64,
    /// The LST, this vault's asset.
    pub(crate) token: StorageAddress,
    /// LST held here for fulfilled requests: Σ controllers' claimable assets.
    pub(crate) reserved_assets: StorageU96,
    pub(crate) deposit_cap: StorageU128,
    /// At most [`MAX_MINIMUM`](crate::MAX_MINIMUM), like `min_redeem`.
    pub(crate) min_deposit: StorageU64,
    pub(crate) min_redeem: StorageU64,
    pub(crate) requests: StorageMap<u64, Request>,
    pub(crate) controllers: StorageMap<Address, ControllerBalances>,
    /// ERC-7540 operators: controller → operator → approved.
    pub(crate) operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// The extension program, delegate-called with every selector the LRT does not route.
    pub(crate) extension: StorageAddress,
}
