//! The chain as JSON-RPC sees it: blocks, mined transactions with their receipts and logs, and
//! their JSON forms. The engine ([`crate::Node`]) holds the state; this index records what was
//! mined, block by block.

use std::collections::HashMap;

use alloy_consensus::{Transaction, TxEnvelope};
use alloy_eips::Typed2718;
use alloy_primitives::{keccak256, Address, Bloom, Log, B256, B64, U256};
use serde_json::{json, Value};

use crate::{Receipt, COINBASE};

/// keccak256 of the RLP of an empty list (no uncles).
const EMPTY_UNCLES_HASH: B256 = alloy_consensus::EMPTY_OMMER_ROOT_HASH;

/// A mined (or, with interval mining, pending) transaction.
pub(crate) struct MinedTx {
    /// The signed transaction.
    pub(crate) envelope: TxEnvelope,
    /// Its recovered sender.
    pub(crate) from: Address,
    /// What the engine did.
    pub(crate) receipt: Receipt,
    /// Index in its block.
    pub(crate) index: u64,
    /// Gas used by its block up to and including it.
    pub(crate) cumulative_gas: u64,
    /// Index of its first log in the block.
    pub(crate) first_log_index: u64,
    /// The gas price it paid (the base fee).
    pub(crate) gas_price: u64,
}

/// A block.
pub(crate) struct Block {
    pub(crate) number: u64,
    pub(crate) hash: B256,
    pub(crate) parent_hash: B256,
    pub(crate) timestamp: u64,
    pub(crate) gas_used: u64,
    pub(crate) gas_limit: u64,
    pub(crate) base_fee: u64,
    pub(crate) transactions: Vec<B256>,
    pub(crate) bloom: Bloom,
}

impl Block {
    /// A block sealing `transactions`; its hash is keccak256 of number, parent hash, timestamp
    /// and transaction hashes (the node has no state or receipt tries).
    pub(crate) fn seal(
        number: u64,
        parent_hash: B256,
        timestamp: u64,
        header: (u64, u64),
        transactions: Vec<B256>,
        txs: &HashMap<B256, MinedTx>,
    ) -> Self {
        let (gas_limit, base_fee) = header;
        let mut preimage = Vec::with_capacity(48 + 32 * transactions.len());
        preimage.extend_from_slice(&number.to_be_bytes());
        preimage.extend_from_slice(parent_hash.as_slice());
        preimage.extend_from_slice(&timestamp.to_be_bytes());
        let mut bloom = Bloom::ZERO;
        let mut gas_used = 0;
        for hash in &transactions {
            preimage.extend_from_slice(hash.as_slice());
            if let Some(tx) = txs.get(hash) {
                gas_used = tx.cumulative_gas;
                for log in &tx.receipt.logs {
                    bloom.accrue_log(log);
                }
            }
        }
        Self {
            number,
            hash: keccak256(preimage),
            parent_hash,
            timestamp,
            gas_used,
            gas_limit,
            base_fee,
            transactions,
            bloom,
        }
    }

    /// The block's JSON, with full transactions or their hashes.
    pub(crate) fn to_json(&self, txs: &HashMap<B256, MinedTx>, full: bool) -> Value {
        let transactions: Vec<Value> = self
            .transactions
            .iter()
            .map(|hash| match txs.get(hash) {
                Some(tx) if full => tx_json(tx, Some(self)),
                _ => json!(hash),
            })
            .collect();
        json!({
            "number": qty(self.number),
            "hash": self.hash,
            "parentHash": self.parent_hash,
            "nonce": B64::ZERO,
            "mixHash": B256::ZERO,
            "sha3Uncles": EMPTY_UNCLES_HASH,
            "logsBloom": self.bloom,
            "transactionsRoot": B256::ZERO,
            "stateRoot": B256::ZERO,
            "receiptsRoot": B256::ZERO,
            "miner": COINBASE,
            "difficulty": "0x1",
            "totalDifficulty": qty(self.number + 1),
            "extraData": "0x",
            "size": "0x0",
            "gasLimit": qty(self.gas_limit),
            "gasUsed": qty(self.gas_used),
            "timestamp": qty(self.timestamp),
            "baseFeePerGas": qty(self.base_fee),
            "transactions": transactions,
            "uncles": [],
        })
    }
}

/// A quantity as JSON-RPC writes it (`0x`-prefixed hex, no leading zeros).
pub(crate) fn qty(n: u64) -> String {
    format!("{n:#x}")
}

/// A 256-bit quantity.
pub(crate) fn qty256(n: U256) -> String {
    format!("{n:#x}")
}

/// A transaction's JSON; `block` is `None` while it is pending.
pub(crate) fn tx_json(tx: &MinedTx, block: Option<&Block>) -> Value {
    let mut value = serde_json::to_value(&tx.envelope)
        .expect("an envelope serializes (reason: plain fields under string keys)");
    if let Value::Object(fields) = &mut value {
        fields.insert("from".into(), json!(tx.from));
        fields.insert("hash".into(), json!(tx.envelope.tx_hash()));
        fields.insert("blockHash".into(), json!(block.map(|b| b.hash)));
        fields.insert("blockNumber".into(), json!(block.map(|b| qty(b.number))));
        fields.insert(
            "transactionIndex".into(),
            json!(block.map(|_| qty(tx.index))),
        );
        fields.insert("gasPrice".into(), json!(qty(tx.gas_price)));
    }
    value
}

/// A log's JSON.
pub(crate) fn log_json(log: &Log, tx: &MinedTx, block: &Block, log_index: u64) -> Value {
    json!({
        "address": log.address,
        "topics": log.topics(),
        "data": log.data.data,
        "blockNumber": qty(block.number),
        "blockHash": block.hash,
        "blockTimestamp": qty(block.timestamp),
        "transactionHash": tx.envelope.tx_hash(),
        "transactionIndex": qty(tx.index),
        "logIndex": qty(log_index),
        "removed": false,
    })
}

/// A receipt's JSON, with Nitro's `gasUsedForL1` (0: the L1 price is 0 on the devnode) and
/// `l1BlockNumber`.
pub(crate) fn receipt_json(tx: &MinedTx, block: &Block) -> Value {
    let mut bloom = Bloom::ZERO;
    for log in &tx.receipt.logs {
        bloom.accrue_log(log);
    }
    let logs: Vec<Value> = tx
        .receipt
        .logs
        .iter()
        .zip(tx.first_log_index..)
        .map(|(log, index)| log_json(log, tx, block, index))
        .collect();
    json!({
        "type": qty(u64::from(tx.envelope.ty())),
        "transactionHash": tx.envelope.tx_hash(),
        "transactionIndex": qty(tx.index),
        "blockHash": block.hash,
        "blockNumber": qty(block.number),
        "from": tx.from,
        "to": tx.envelope.to(),
        "contractAddress": tx.receipt.contract_address,
        "cumulativeGasUsed": qty(tx.cumulative_gas),
        "gasUsed": qty(tx.receipt.gas_used),
        "effectiveGasPrice": qty(tx.gas_price),
        "status": if tx.receipt.success { "0x1" } else { "0x0" },
        "logs": logs,
        "logsBloom": bloom,
        "gasUsedForL1": "0x0",
        "l1BlockNumber": "0x0",
    })
}
