//! The manager's storage layout.

use alloy_primitives::Address;
use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageU128, StorageU16, StorageU256, StorageU64,
    },
};

/// An operator's pool of delegated LST. The stake and the shares share one slot: every price
/// reads both.
#[storage]
pub struct Pool {
    /// LST in the pool (delegated, plus rewards, minus slashing and completed withdrawals).
    pub(crate) stake: StorageU128,
    /// Pool shares in existence, queued ones included (they stay slashable).
    pub(crate) shares: StorageU128,
    /// Pool shares of queued withdrawals.
    pub(crate) queued_shares: StorageU256,
    pub(crate) staker_shares: StorageMap<Address, StorageU256>,
    /// Each registry's slashing window on this pool.
    pub(crate) slashes: StorageMap<Address, SlashWindow>,
}

/// What one registry slashed of one operator's allocation in its current window (one slot):
/// at most `maxSlashBps` in total per window, which lasts the `withdrawalDelay` in force when
/// its first slash opened it.
#[storage]
pub struct SlashWindow {
    /// When the window ends (its first slash's time plus the withdrawal delay then).
    pub(crate) ends_at: StorageU64,
    /// Basis points slashed in it.
    pub(crate) bps: StorageU16,
}

/// A queued withdrawal (four slots).
#[storage]
pub struct Withdrawal {
    pub(crate) staker: StorageAddress,
    pub(crate) ready_at: StorageU64,
    pub(crate) completed: StorageBool,
    pub(crate) operator: StorageAddress,
    pub(crate) shares: StorageU256,
    /// Value of the shares when queued: the most the withdrawal pays.
    pub(crate) value: StorageU256,
}

/// The restaking manager.
#[storage]
pub struct RestakingManager {
    pub(crate) access: AccessControl,
    pub(crate) vault: StorageAddress,
    pub(crate) token: StorageAddress,
    /// In the token's slot, which `delegate` and `completeWithdrawal` read.
    pub(crate) pausable: Pausable,
    pub(crate) allocation_manager: StorageAddress,
    pub(crate) treasury: StorageAddress,
    pub(crate) slash_recipient: StorageAddress,
    pub(crate) protocol_fee_bps: StorageU16,
    pub(crate) max_slash_bps: StorageU16,
    pub(crate) withdrawal_delay: StorageU64,
    pub(crate) next_withdrawal_id: StorageU64,
    pub(crate) pools: StorageMap<Address, Pool>,
    pub(crate) withdrawals: StorageMap<u64, Withdrawal>,
    /// ETH fees each operator and the treasury can claim.
    pub(crate) claimable: StorageMap<Address, StorageU256>,
}
