//! The allocator's storage layout.
//!
//! Lists are a count plus a map from index to element rather than the SDK's `StorageVec`,
//! whose length read carries a panicking conversion and the formatting code behind it (about
//! half a kilobyte of deployed code).

use alloy_primitives::{Address, B256};
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageMap, StorageU16, StorageU256, StorageU32, StorageU64, StorageU96,
    },
};

/// A target operator and its weight in basis points (one slot).
#[storage]
pub struct Target {
    pub(crate) operator: StorageAddress,
    pub(crate) weight: StorageU16,
}

/// The LRT allocator.
///
/// Packed so that the LRT's calls read few slots: the LRT with the idle LST (what `credit` and
/// `release` read), the manager with the three list lengths (what `totalAssets` reads besides
/// the positions and the pending ids).
#[storage]
pub struct LrtAllocator {
    pub(crate) access: AccessControl,
    pub(crate) lrt: StorageAddress,
    /// LST held here and not delegated: credited by the LRT and paid back by completed
    /// withdrawals, minus releases and delegations. Never the raw token balance.
    pub(crate) idle: StorageU96,
    pub(crate) manager: StorageAddress,
    pub(crate) target_count: StorageU32,
    pub(crate) position_count: StorageU32,
    pub(crate) pending_count: StorageU32,
    pub(crate) token: StorageAddress,
    /// Basis points of `totalAssets` that `delegate` leaves idle.
    pub(crate) buffer_bps: StorageU16,
    /// In the token's slot, with the buffer, both read by `delegate`, the one paused function.
    pub(crate) pausable: Pausable,
    /// Target operators by index, in the order given to `setTargets` (the first takes the
    /// rounding remainder of a delegation).
    pub(crate) targets: StorageMap<u64, Target>,
    /// Operators whose pool shares this contract may hold (delegated to and not fully
    /// undelegated since), by index.
    pub(crate) positions: StorageMap<u64, StorageAddress>,
    /// 1 + index in `positions`; zero when absent.
    pub(crate) position_slot: StorageMap<Address, StorageU64>,
    /// Ids of the manager's withdrawals queued here and not completed, by index.
    pub(crate) pending: StorageMap<u64, StorageU256>,
    /// 1 + index in `pending`, by id as a word; zero when absent.
    pub(crate) pending_slot: StorageMap<B256, StorageU64>,
}
