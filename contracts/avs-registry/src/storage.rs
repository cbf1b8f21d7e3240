//! The registry's storage layout.

use alloy_primitives::Address;
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU64, StorageVec},
};

/// The AVS registry.
#[storage]
pub struct AvsRegistry {
    /// The restaking manager, fixed at deployment.
    pub(crate) manager: StorageAddress,
    /// In the manager's slot, which the paused functions read.
    pub(crate) pausable: Pausable,
    pub(crate) access: AccessControl,
    /// The opted-in operators, in no particular order: removal moves the last one into the
    /// freed place.
    pub(crate) members: StorageVec<StorageAddress>,
    /// 1 + the index in `members` of each opted-in operator; 0 for everyone else.
    pub(crate) positions: StorageMap<Address, StorageU64>,
}
