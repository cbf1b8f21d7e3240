//! The vault's storage layout.

use lsr_common::access::{AccessControl, Pausable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU128, StorageU16, StorageU64},
};

/// One withdrawal request (three slots: owner, time and flag packed in the first, shares and
/// amount in the second).
#[storage]
pub struct WithdrawalRequest {
    pub(crate) owner: StorageAddress,
    pub(crate) requested_at: StorageU64,
    pub(crate) claimed: StorageBool,
    pub(crate) shares: StorageU128,
    /// Value at request while pending; the payout once finalized.
    pub(crate) amount: StorageU128,
}

/// The staking vault.
///
/// Packed so that a deposit reads few slots: the token with the next request id, the supply
/// with the reserve, the buffer with the validator balance (the two halves of the pooled
/// ETH). Amounts of ETH and shares are kept in 128 bits.
#[storage]
pub struct StakingVault {
    /// The LST token, created once by `createToken` (the vault's first creation).
    pub(crate) token: StorageAddress,
    pub(crate) next_request_id: StorageU64,
    /// In the token's slot, which every paused function reads.
    pub(crate) pausable: Pausable,
    /// Shares in existence (the token's supply): minted and burned only through the vault.
    pub(crate) total_shares: StorageU128,
    pub(crate) reserved_ether: StorageU128,
    pub(crate) access: AccessControl,
    pub(crate) buffered_ether: StorageU128,
    pub(crate) validator_balance: StorageU128,
    pub(crate) min_deposit: StorageU128,
    pub(crate) deposit_cap: StorageU128,
    pub(crate) min_withdrawal: StorageU128,
    pub(crate) max_withdrawal: StorageU128,
    pub(crate) fee_bps: StorageU16,
    pub(crate) max_apr_bps: StorageU16,
    pub(crate) max_loss_bps: StorageU16,
    pub(crate) min_report_interval: StorageU64,
    /// The report's own timestamp (the oracle's, the state it describes).
    pub(crate) last_report_at: StorageU64,
    /// When the last report landed (`block.timestamp`): reports are spaced by
    /// `minReportInterval` on chain too, so back-dated reports cannot stack in one block.
    pub(crate) last_report_landed_at: StorageU64,
    pub(crate) treasury: StorageAddress,
    pub(crate) next_to_finalize: StorageU64,
    pub(crate) validator_operator: StorageAddress,
    /// The extension program, bound by the constructor (read only by calls it runs).
    pub(crate) extension: StorageAddress,
    pub(crate) requests: StorageMap<u64, WithdrawalRequest>,
}
