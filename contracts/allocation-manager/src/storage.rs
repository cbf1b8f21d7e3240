//! The allocation manager's storage layout.

use alloy_primitives::Address;
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageMap, StorageU16, StorageU64},
};

/// An operator's allocation to one AVS registry (one slot). While a decrease is pending,
/// `bps` stays slashable until `effective_at`, then `pending_bps` replaces it.
#[storage]
pub struct Allocation {
    pub(crate) bps: StorageU16,
    pub(crate) pending_bps: StorageU16,
    /// When the pending decrease takes effect; zero when none is pending.
    pub(crate) effective_at: StorageU64,
}

/// An operator: its fee and its allocations (the first five fields share one slot).
#[storage]
pub struct Operator {
    pub(crate) registered: StorageBool,
    pub(crate) fee_bps: StorageU16,
    pub(crate) pending_fee_bps: StorageU16,
    /// When the pending fee increase takes effect; zero when none is pending.
    pub(crate) fee_effective_at: StorageU64,
    /// Σ `bps` over the operator's allocations (pending decreases count until settled).
    pub(crate) allocated_bps: StorageU16,
    pub(crate) allocations: StorageMap<Address, Allocation>,
}

/// The allocation manager.
#[storage]
pub struct AllocationManager {
    pub(crate) access: AccessControl,
    /// One slot with the fee cap and the delay.
    pub(crate) pausable: Pausable,
    pub(crate) operator_fee_cap_bps: StorageU16,
    pub(crate) delay: StorageU64,
    pub(crate) registries: StorageMap<Address, StorageBool>,
    pub(crate) operators: StorageMap<Address, Operator>,
}
