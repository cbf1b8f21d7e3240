//! The floor of a transaction: the gas it could not avoid given what it did, computed from the
//! node's record of it (the slots it changed, its logs, the accounts it funded) and its
//! calldata — never from per-operation constants.
//!
//! The floor is 21,000 intrinsic, plus calldata (EIP-2028: 16 per non-zero byte, 4 per zero
//! byte), plus per changed slot the EIP-2929 cold access 2,100 and 20,000 (zero → non-zero) or
//! 2,900 (otherwise), plus per log 375 + 375 per topic + 8 per data byte, plus 25,000 per
//! account funded from empty; less the EIP-3529 refund of 4,800 per slot cleared (at most a
//! fifth of the total); and at least EIP-7623's calldata floor (21,000 + 10 per token, a token
//! being a zero byte or a quarter of a non-zero one), which the node's Prague rules apply too.

use devnode::Receipt;
use serde::Serialize;

/// Intrinsic gas of a transaction.
pub const TX_GAS: u64 = 21_000;
/// EIP-2929: first access to a storage slot in the transaction.
pub const COLD_SLOAD_GAS: u64 = 2_100;
/// EIP-2200: a slot set from zero.
pub const SSTORE_SET_GAS: u64 = 20_000;
/// EIP-2929: a slot changed from non-zero (5,000 − the cold access).
pub const SSTORE_RESET_GAS: u64 = 2_900;
/// EIP-3529: refund for a slot cleared to zero.
pub const SSTORE_CLEAR_REFUND: u64 = 4_800;
/// A log.
pub const LOG_GAS: u64 = 375;
/// Per topic of a log.
pub const LOG_TOPIC_GAS: u64 = 375;
/// Per byte of a log's data.
pub const LOG_DATA_GAS: u64 = 8;
/// A call that sends value to an empty account.
pub const NEW_ACCOUNT_GAS: u64 = 25_000;

/// The floor of one transaction, in parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Floor {
    /// 21,000.
    pub intrinsic: u64,
    /// EIP-2028 calldata gas.
    pub calldata: u64,
    /// Slots changed: cold access and the write.
    pub storage: u64,
    /// Slots set from zero.
    pub slots_set: u64,
    /// Slots changed from non-zero.
    pub slots_reset: u64,
    /// Logs.
    pub logs: u64,
    /// Value sent to empty accounts.
    pub new_accounts: u64,
    /// Refund for cleared slots (capped at a fifth).
    pub refund: u64,
    /// The floor.
    pub total: u64,
}

/// The floor of a transaction with calldata `input` that the node recorded as `receipt`.
/// `exempt` accounts (the sender, the direct recipient of the value) are not counted as newly
/// funded: the intrinsic gas covers them.
#[must_use]
pub fn floor(input: &[u8], receipt: &Receipt, exempt: &[alloy::primitives::Address]) -> Floor {
    let zeros = input
        .iter()
        .fold(0_u64, |zeros, byte| zeros + u64::from(*byte == 0));
    let non_zeros = u64::try_from(input.len()).unwrap_or(u64::MAX) - zeros;
    let calldata = zeros * 4 + non_zeros * 16;
    let mut f = Floor {
        intrinsic: TX_GAS,
        calldata,
        ..Floor::default()
    };
    let mut cleared = 0;
    for write in &receipt.storage_writes {
        if write.original.is_zero() {
            f.slots_set += 1;
            f.storage += COLD_SLOAD_GAS + SSTORE_SET_GAS;
        } else {
            f.slots_reset += 1;
            f.storage += COLD_SLOAD_GAS + SSTORE_RESET_GAS;
            if write.present.is_zero() {
                cleared += 1;
            }
        }
    }
    for log in &receipt.logs {
        let topics = u64::try_from(log.topics().len()).unwrap_or(u64::MAX);
        let data = u64::try_from(log.data.data.len()).unwrap_or(u64::MAX);
        f.logs += LOG_GAS + LOG_TOPIC_GAS * topics + LOG_DATA_GAS * data;
    }
    let funded = receipt
        .funded_new_accounts
        .iter()
        .filter(|a| !exempt.contains(a))
        .count();
    f.new_accounts = NEW_ACCOUNT_GAS * u64::try_from(funded).unwrap_or(u64::MAX);
    let gross = f.intrinsic + f.calldata + f.storage + f.logs + f.new_accounts;
    f.refund = (cleared * SSTORE_CLEAR_REFUND).min(gross / 5);
    let tokens = zeros + non_zeros * 4;
    f.total = (gross - f.refund).max(TX_GAS + 10 * tokens);
    f
}

#[cfg(test)]
mod tests {
    use alloy::primitives::{Address, Log, LogData, B256, U256};
    use devnode::StorageWrite;

    use super::*;

    fn receipt(writes: &[(u64, u64)], logs: Vec<Log>) -> Receipt {
        Receipt {
            success: true,
            gas_used: 0,
            output: alloy::primitives::Bytes::new(),
            logs,
            contract_address: None,
            halt_reason: None,
            block_number: 1,
            storage_writes: writes
                .iter()
                .enumerate()
                .map(|(i, &(original, present))| StorageWrite {
                    address: Address::ZERO,
                    slot: U256::from(i),
                    original: U256::from(original),
                    present: U256::from(present),
                })
                .collect(),
            funded_new_accounts: Vec::new(),
            program_frames: Vec::new(),
        }
    }

    #[test]
    fn an_erc20_transfer_to_a_new_holder_costs_two_writes_and_a_three_topic_log() {
        let log = Log {
            address: Address::ZERO,
            data: LogData::new_unchecked(vec![B256::ZERO; 3], vec![1u8; 32].into()),
        };
        // selector + two words with 12 + 31 zero bytes: 4 + 20 + 1 non-zero, 43 zero.
        let mut input = vec![0xa9, 0x05, 0x9c, 0xbb];
        input.extend([0u8; 12]);
        input.extend([0xB0; 20]);
        input.extend([0u8; 31]);
        input.push(1);
        let f = floor(&input, &receipt(&[(10, 9), (0, 1)], vec![log]), &[]);
        assert_eq!(f.calldata, 25 * 16 + 43 * 4);
        assert_eq!(f.storage, 5_000 + 22_100);
        assert_eq!(f.logs, 375 * 4 + 8 * 32);
        assert_eq!(f.total, 21_000 + 572 + 27_100 + 1_756);
    }

    #[test]
    fn cleared_slots_refund_at_most_a_fifth() {
        let f = floor(
            &[],
            &receipt(&[(1, 0), (1, 0), (1, 0), (1, 0)], Vec::new()),
            &[],
        );
        assert_eq!(f.refund, (21_000 + 4 * 5_000) / 5);
        assert_eq!(f.total, 41_000 - 8_200);
    }
}
