//! The allocator's storage layout. Its own module because the SDK's `#[entrypoint]` generates
//! an undocumented `user_entrypoint` export next to the struct it marks.

use alloy_primitives::{Address, U256};
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU16, StorageU256, StorageU64, StorageVec},
};

/// The LRT allocator.
#[storage]
#[entrypoint]
pub struct LrtAllocator {
    pub(crate) access: AccessControl,
    pub(crate) pausable: Pausable,
    pub(crate) lrt: StorageAddress,
    pub(crate) manager: StorageAddress,
    pub(crate) token: StorageAddress,
    /// LST held here and not delegated: credited by the LRT and paid back by completed
    /// withdrawals, minus releases and delegations. Never the raw token balance.
    pub(crate) idle: StorageU256,
    /// Basis points of `totalAssets` that `delegate` leaves idle.
    pub(crate) buffer_bps: StorageU16,
    /// Target operators, in the order given to `setTargets` (the first takes the rounding
    /// remainder of a delegation).
    pub(crate) target_operators: StorageVec<StorageAddress>,
    /// Target weights in basis points, parallel to `target_operators`.
    pub(crate) target_weights: StorageVec<StorageU16>,
    /// Operators whose pool shares this contract may hold (delegated to and not fully
    /// undelegated since).
    pub(crate) positions: StorageVec<StorageAddress>,
    /// 1 + index in `positions`; zero when absent.
    pub(crate) position_slot: StorageMap<Address, StorageU64>,
    /// Ids of the manager's withdrawals queued here and not completed.
    pub(crate) pending: StorageVec<StorageU256>,
    /// 1 + index in `pending`; zero when absent.
    pub(crate) pending_slot: StorageMap<U256, StorageU64>,
}
