//! JSON-RPC over the engine: Ethereum's `eth_*` methods as Nitro's devnode answers them, the
//! test methods of anvil and hardhat (`evm_*`, `anvil_setBalance`), batches, and JSON-RPC errors.
//!
//! [`Rpc`] keeps the engine and the block index ([`chain`]) behind one mutex: requests are
//! answered one at a time, in order. [`Rpc::handle`] takes a request body and returns the
//! response body; the HTTP side is [`crate::server`].

mod chain;
mod params;

use std::{collections::HashMap, sync::Mutex};

use alloy_consensus::{transaction::SignerRecoverable, Transaction, TxEnvelope};
use alloy_eips::{Decodable2718, Typed2718};
use alloy_primitives::{Address, Bytes, TxKind, B256, U256, U64};
use alloy_sol_types::SolError;
use serde_json::{json, Value};

use self::{
    chain::{log_json, qty, qty256, receipt_json, tx_json, Block, MinedTx},
    params::{state_overrides, BlockId, CallRequest, LogFilter, Params, CALL_GAS_CAP},
};
use crate::{Node, NodeConfig, NodeError, Receipt, Tx};

/// `web3_clientVersion`'s answer.
pub const CLIENT_VERSION: &str = concat!("lsr-devnode/v", env!("CARGO_PKG_VERSION"));

/// A JSON-RPC request that failed.
#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    /// The body is not JSON (-32700).
    #[error("parse error: {0}")]
    Parse(String),
    /// The JSON is not a JSON-RPC request (-32600).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// No such method (-32601).
    #[error("the method {0} does not exist/is not available")]
    MethodNotFound(String),
    /// The parameters do not fit the method (-32602).
    #[error("invalid params: {0}")]
    InvalidParams(String),
    /// The call reverted (code 3, the revert data as `data`).
    #[error("execution reverted{}", .reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Reverted {
        /// The revert data.
        data: Bytes,
        /// The `Error(string)` reason, when the data is one.
        reason: Option<String>,
    },
    /// The call halted: out of gas, stack depth, invalid opcode (-32000).
    #[error("execution halted: {0}")]
    Halted(String),
    /// The transaction was refused (-32000).
    #[error(transparent)]
    Transaction(#[from] TxError),
    /// The request names a block before the head; the node keeps only the latest state
    /// (-32000).
    #[error("historical state is not available: block {0} is not the latest block")]
    HistoricalState(u64),
    /// The request names a block the chain does not have (-32000).
    #[error("block not found: {0}")]
    UnknownBlock(String),
    /// The request body is larger than the server accepts (-32600).
    #[error("request body larger than {0} bytes")]
    BodyTooLarge(usize),
    /// The engine failed (-32603).
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why `eth_sendRawTransaction` refused a transaction (all -32000, geth's messages).
#[derive(Debug, thiserror::Error)]
pub enum TxError {
    /// Not a valid EIP-2718 / RLP transaction.
    #[error("rlp: {0}")]
    Decode(String),
    /// The signature does not recover a sender.
    #[error("invalid sender: {0}")]
    InvalidSignature(String),
    /// Signed for another chain.
    #[error("invalid chain id for signer: have {have} want {want}")]
    WrongChainId {
        /// The transaction's chain id.
        have: u64,
        /// The node's.
        want: u64,
    },
    /// The nonce was used already.
    #[error("nonce too low: address {address}, tx: {tx} state: {state}")]
    NonceTooLow {
        /// The sender.
        address: Address,
        /// The transaction's nonce.
        tx: u64,
        /// The sender's next nonce.
        state: u64,
    },
    /// The nonce leaves a gap (the node has no pool to queue it in).
    #[error("nonce too high: address {address}, tx: {tx} state: {state}")]
    NonceGap {
        /// The sender.
        address: Address,
        /// The transaction's nonce.
        tx: u64,
        /// The sender's next nonce.
        state: u64,
    },
    /// The sender cannot pay gas limit × max fee + value.
    #[error(
        "insufficient funds for gas * price + value: address {address} have {have} want {want}"
    )]
    InsufficientFunds {
        /// The sender.
        address: Address,
        /// Its balance.
        have: U256,
        /// What the transaction may cost.
        want: U256,
    },
    /// The fee cap is below the base fee.
    #[error("max fee per gas less than block base fee: address {address}, maxFeePerGas: {max_fee}, baseFee: {base_fee}")]
    FeeCapTooLow {
        /// The sender.
        address: Address,
        /// The transaction's fee cap.
        max_fee: u128,
        /// The block's base fee.
        base_fee: u64,
    },
    /// The gas limit is above the block's.
    #[error("exceeds block gas limit: {gas} > {limit}")]
    GasLimit {
        /// The transaction's gas limit.
        gas: u64,
        /// The block gas limit.
        limit: u64,
    },
    /// EIP-4844 and EIP-7702 transactions are not supported (nor by Nitro's RPC for 4844).
    #[error("transaction type {0} not supported")]
    UnsupportedType(u8),
    /// The same transaction was mined already.
    #[error("already known")]
    AlreadyKnown,
    /// The engine refused it (intrinsic gas, …).
    #[error("{0}")]
    Rejected(String),
}

impl RpcError {
    /// The JSON-RPC error code.
    #[must_use]
    pub fn code(&self) -> i64 {
        match self {
            Self::Parse(_) => -32_700,
            Self::InvalidRequest(_) | Self::BodyTooLarge(_) => -32_600,
            Self::MethodNotFound(_) => -32_601,
            Self::InvalidParams(_) => -32_602,
            Self::Reverted { .. } => 3,
            Self::Halted(_)
            | Self::Transaction(_)
            | Self::HistoricalState(_)
            | Self::UnknownBlock(_) => -32_000,
            Self::Internal(_) => -32_603,
        }
    }

    /// The error object of a response.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Self::Reverted { data, .. } => {
                json!({ "code": self.code(), "message": self.to_string(), "data": data })
            }
            _ => json!({ "code": self.code(), "message": self.to_string() }),
        }
    }

    fn from_node(e: NodeError) -> Self {
        match e {
            NodeError::Reverted { receipt } => Self::reverted(receipt.output),
            NodeError::Halted { receipt } => {
                Self::Halted(receipt.halt_reason.unwrap_or_else(|| "unknown".to_owned()))
            }
            NodeError::InvalidTransaction(reason) => Self::Transaction(TxError::Rejected(reason)),
            other => Self::Internal(other.to_string()),
        }
    }

    fn reverted(data: Bytes) -> Self {
        let reason = alloy_sol_types::Revert::abi_decode(&data)
            .ok()
            .map(|revert| revert.reason);
        Self::Reverted { data, reason }
    }
}

/// A response body for an error outside any request (id `null`).
#[must_use]
pub fn error_body(error: &RpcError) -> String {
    json!({ "jsonrpc": "2.0", "id": null, "error": error.to_json() }).to_string()
}

/// Options of an [`Rpc`].
#[derive(Debug, Clone)]
pub struct RpcConfig {
    /// The chain.
    pub node: NodeConfig,
    /// Accounts funded at genesis.
    pub genesis: Vec<(Address, U256)>,
    /// One block per transaction (`true`), or blocks only on `evm_mine` / the server's timer.
    pub automine: bool,
    /// Print one line per transaction to stdout.
    pub log: bool,
}

/// Where the chain was when `evm_snapshot` ran (the engine snapshots the state itself).
struct Mark {
    blocks: usize,
    open: Vec<B256>,
}

/// The engine and the block index.
struct State {
    node: Node,
    config: NodeConfig,
    blocks: Vec<Block>,
    txs: HashMap<B256, MinedTx>,
    /// Transactions in the open block (automining off).
    open: Vec<B256>,
    marks: Vec<Mark>,
    /// Seconds added by `evm_increaseTime`.
    time_added: u64,
    automine: bool,
    log: bool,
}

/// The JSON-RPC node.
pub struct Rpc {
    state: Mutex<State>,
}

impl Rpc {
    /// A node with the given chain, genesis balances and mining mode.
    #[must_use]
    pub fn new(config: &RpcConfig) -> Self {
        let node = Node::with_config(config.node);
        for (account, wei) in &config.genesis {
            node.fund(*account, *wei);
        }
        node.set_automine(config.automine);
        let genesis = Block::seal(
            0,
            B256::ZERO,
            node.timestamp(),
            (config.node.block_gas_limit, config.node.basefee),
            Vec::new(),
            &HashMap::new(),
        );
        Self {
            state: Mutex::new(State {
                node,
                config: config.node,
                blocks: vec![genesis],
                txs: HashMap::new(),
                open: Vec::new(),
                marks: Vec::new(),
                time_added: 0,
                automine: config.automine,
                log: config.log,
            }),
        }
    }

    /// Answers a request body: one request, or a batch. `None` when there is nothing to send
    /// back (notifications only).
    #[must_use]
    pub fn handle(&self, body: &[u8]) -> Option<String> {
        let request: Value = match serde_json::from_slice(body) {
            Ok(request) => request,
            Err(e) => return Some(error_body(&RpcError::Parse(e.to_string()))),
        };
        match request {
            Value::Array(batch) if batch.is_empty() => Some(error_body(&RpcError::InvalidRequest(
                "empty batch".to_owned(),
            ))),
            Value::Array(batch) => {
                let responses: Vec<Value> = batch
                    .into_iter()
                    .filter_map(|r| self.handle_one(r))
                    .collect();
                (!responses.is_empty()).then(|| Value::Array(responses).to_string())
            }
            request => self.handle_one(request).map(|r| r.to_string()),
        }
    }

    /// Seals the open block, or mines an empty one (the server's block timer, `evm_mine`).
    pub fn mine(&self) {
        self.lock().mine();
    }

    /// What the engine recorded for the mined transaction `hash` (gas, logs, the storage it
    /// changed, the accounts it funded), for tools in the same process such as the gas
    /// benchmark.
    #[must_use]
    pub fn receipt(&self, hash: B256) -> Option<Receipt> {
        self.lock().txs.get(&hash).map(|tx| tx.receipt.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while answering leaves the state as consistent as the engine left it.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn handle_one(&self, request: Value) -> Option<Value> {
        let Value::Object(mut request) = request else {
            return Some(response(
                &Value::Null,
                Err(RpcError::InvalidRequest("not an object".to_owned())),
            ));
        };
        let id = request.remove("id");
        let reply_id = id.clone().unwrap_or(Value::Null);
        let result = (|| {
            if !matches!(
                id,
                None | Some(Value::Null | Value::Number(_) | Value::String(_))
            ) {
                return Err(RpcError::InvalidRequest(
                    "id must be a number, a string or null".to_owned(),
                ));
            }
            if request.get("jsonrpc") != Some(&json!("2.0")) {
                return Err(RpcError::InvalidRequest(
                    "jsonrpc must be \"2.0\"".to_owned(),
                ));
            }
            let Some(Value::String(method)) = request.remove("method") else {
                return Err(RpcError::InvalidRequest(
                    "method must be a string".to_owned(),
                ));
            };
            let params = Params::new(request.remove("params"))?;
            self.lock().dispatch(&method, &params)
        })();
        // A notification (no id) gets no response, unless the request itself was invalid.
        if id.is_none() && !matches!(result, Err(RpcError::InvalidRequest(_))) {
            return None;
        }
        Some(response(&reply_id, result))
    }
}

fn response(id: &Value, result: Result<Value, RpcError>) -> Value {
    match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err(error) => json!({ "jsonrpc": "2.0", "id": id, "error": error.to_json() }),
    }
}

impl State {
    fn head(&self) -> &Block {
        self.blocks
            .last()
            .expect("the index holds the genesis block (reason: it is never truncated below 1)")
    }

    fn dispatch(&mut self, method: &str, params: &Params) -> Result<Value, RpcError> {
        let chain_id = self.config.chain_id;
        match method {
            "eth_chainId" => Ok(json!(qty(chain_id))),
            "net_version" => Ok(json!(chain_id.to_string())),
            "net_listening" => Ok(json!(true)),
            "web3_clientVersion" => Ok(json!(CLIENT_VERSION)),
            "eth_syncing" => Ok(json!(false)),
            "eth_accounts" => Ok(json!([])),
            "eth_blockNumber" => Ok(json!(qty(self.head().number))),
            "eth_gasPrice" => Ok(json!(qty(self.config.basefee))),
            "eth_maxPriorityFeePerGas" => Ok(json!("0x0")),
            "eth_feeHistory" => self.fee_history(params),
            "eth_getBalance"
            | "eth_getCode"
            | "eth_getStorageAt"
            | "eth_getTransactionCount"
            | "eth_call"
            | "eth_estimateGas" => self.state_query(method, params),
            "eth_sendRawTransaction" => {
                let raw: Bytes = params.get(0, "raw transaction")?;
                self.send_raw(&raw).map(|hash| json!(hash))
            }
            "eth_getTransactionByHash" => {
                let hash: B256 = params.get(0, "hash")?;
                Ok(self.txs.get(&hash).map_or(Value::Null, |tx| {
                    tx_json(tx, self.block_of(tx.receipt.block_number, &hash))
                }))
            }
            "eth_getTransactionReceipt" => {
                let hash: B256 = params.get(0, "hash")?;
                Ok(self
                    .txs
                    .get(&hash)
                    .and_then(|tx| {
                        let block = self.block_of(tx.receipt.block_number, &hash)?;
                        Some(receipt_json(tx, block))
                    })
                    .unwrap_or(Value::Null))
            }
            "eth_getBlockByNumber" => {
                let id: BlockId = params.get(0, "block")?;
                let full = params.opt(1, "full transactions")?.unwrap_or(false);
                Ok(self
                    .block(id)
                    .map_or(Value::Null, |block| block.to_json(&self.txs, full)))
            }
            "eth_getBlockByHash" => {
                let hash: B256 = params.get(0, "hash")?;
                let full = params.opt(1, "full transactions")?.unwrap_or(false);
                Ok(self
                    .block(BlockId::Hash(hash))
                    .map_or(Value::Null, |block| block.to_json(&self.txs, full)))
            }
            "eth_getLogs" => {
                let filter: LogFilter = params.get(0, "filter")?;
                self.logs(&filter).map(Value::Array)
            }
            "evm_mine" | "evm_increaseTime" | "evm_snapshot" | "evm_revert"
            | "anvil_setBalance" | "hardhat_setBalance" => self.test_method(method, params),
            other => Err(RpcError::MethodNotFound(other.to_owned())),
        }
    }

    /// The methods that read the state (at the latest block only).
    fn state_query(&mut self, method: &str, params: &Params) -> Result<Value, RpcError> {
        match method {
            "eth_getBalance" => {
                let address: Address = params.get(0, "address")?;
                self.state_at(params.opt(1, "block")?)?;
                Ok(json!(qty256(self.node.balance(address))))
            }
            "eth_getCode" => {
                let address: Address = params.get(0, "address")?;
                self.state_at(params.opt(1, "block")?)?;
                Ok(json!(self.node.code(address)))
            }
            "eth_getStorageAt" => {
                let address: Address = params.get(0, "address")?;
                let slot: U256 = params.get(1, "slot")?;
                self.state_at(params.opt(2, "block")?)?;
                Ok(json!(B256::from(self.node.storage(address, slot))))
            }
            "eth_getTransactionCount" => {
                let address: Address = params.get(0, "address")?;
                self.state_at(params.opt(1, "block")?)?;
                Ok(json!(qty(self.node.nonce(address))))
            }
            "eth_call" => {
                let request: CallRequest = params.get(0, "transaction")?;
                self.state_at(params.opt(1, "block")?)?;
                let overrides = state_overrides(params, 2)?;
                let receipt = self
                    .node
                    .call_tx(request.into_tx(CALL_GAS_CAP)?, overrides)
                    .map_err(RpcError::from_node)?;
                match (receipt.success, receipt.halt_reason) {
                    (true, _) => Ok(json!(receipt.output)),
                    (false, Some(reason)) => Err(RpcError::Halted(reason)),
                    (false, None) => Err(RpcError::reverted(receipt.output)),
                }
            }
            "eth_estimateGas" => {
                let request: CallRequest = params.get(0, "transaction")?;
                self.state_at(params.opt(1, "block")?)?;
                let overrides = state_overrides(params, 2)?;
                let cap = self.config.block_gas_limit;
                let gas = self
                    .node
                    .estimate_gas(request.into_tx(cap)?, overrides)
                    .map_err(RpcError::from_node)?;
                Ok(json!(qty(gas)))
            }
            other => Err(RpcError::MethodNotFound(other.to_owned())),
        }
    }

    /// The test methods of anvil and hardhat.
    fn test_method(&mut self, method: &str, params: &Params) -> Result<Value, RpcError> {
        match method {
            "evm_mine" => {
                params.at_most(0)?;
                self.mine();
                Ok(json!("0x0"))
            }
            "evm_increaseTime" => {
                let seconds = quantity(&params.get::<Value>(0, "seconds")?)?;
                self.node.warp(seconds);
                self.time_added = self.time_added.saturating_add(seconds);
                Ok(json!(self.time_added))
            }
            "evm_snapshot" => {
                let id = self.node.snapshot();
                self.marks.truncate(id);
                self.marks.push(Mark {
                    blocks: self.blocks.len(),
                    open: self.open.clone(),
                });
                Ok(json!(qty(id as u64)))
            }
            "evm_revert" => {
                let id = quantity(&params.get::<Value>(0, "snapshot id")?)?;
                Ok(json!(self.revert(id)))
            }
            "anvil_setBalance" | "hardhat_setBalance" => {
                let address: Address = params.get(0, "address")?;
                let wei: U256 = params.get(1, "balance")?;
                self.node.set_balance(address, wei);
                Ok(Value::Null)
            }
            other => Err(RpcError::MethodNotFound(other.to_owned())),
        }
    }

    /// Checks that `id` names the current state (the node keeps no other).
    fn state_at(&self, id: Option<BlockId>) -> Result<(), RpcError> {
        let head = self.head().number;
        let number = match id {
            None | Some(BlockId::Latest | BlockId::Pending) => return Ok(()),
            Some(BlockId::Earliest) => 0,
            Some(BlockId::Number(number)) => number,
            Some(BlockId::Hash(hash)) => {
                self.blocks
                    .iter()
                    .find(|b| b.hash == hash)
                    .ok_or_else(|| RpcError::UnknownBlock(hash.to_string()))?
                    .number
            }
        };
        match number.cmp(&head) {
            std::cmp::Ordering::Equal => Ok(()),
            std::cmp::Ordering::Less => Err(RpcError::HistoricalState(number)),
            std::cmp::Ordering::Greater => Err(RpcError::UnknownBlock(qty(number))),
        }
    }

    fn block(&self, id: BlockId) -> Option<&Block> {
        match id {
            BlockId::Latest | BlockId::Pending => Some(self.head()),
            BlockId::Earliest => self.blocks.first(),
            BlockId::Number(number) => usize::try_from(number)
                .ok()
                .and_then(|i| self.blocks.get(i)),
            BlockId::Hash(hash) => self.blocks.iter().find(|b| b.hash == hash),
        }
    }

    /// The sealed block holding transaction `hash` (`None` while it is pending).
    fn block_of(&self, number: u64, hash: &B256) -> Option<&Block> {
        self.block(BlockId::Number(number))
            .filter(|block| block.transactions.contains(hash))
    }

    fn block_number(&self, id: Option<BlockId>) -> Result<u64, RpcError> {
        let head = self.head().number;
        match id {
            None | Some(BlockId::Latest | BlockId::Pending) => Ok(head),
            Some(BlockId::Earliest) => Ok(0),
            Some(BlockId::Number(number)) => Ok(number.min(head)),
            Some(BlockId::Hash(hash)) => self
                .block(BlockId::Hash(hash))
                .map(|b| b.number)
                .ok_or_else(|| RpcError::UnknownBlock(hash.to_string())),
        }
    }

    fn fee_history(&self, params: &Params) -> Result<Value, RpcError> {
        let count = quantity(&params.get::<Value>(0, "block count")?)?;
        let newest = self.block_number(Some(params.get(1, "newest block")?))?;
        let percentiles: Option<Vec<Value>> = params.opt(2, "reward percentiles")?;
        let count = count.min(newest + 1).min(1_024);
        let oldest = newest + 1 - count;
        let blocks = &self.blocks[usize::try_from(oldest).unwrap_or(usize::MAX)
            ..=usize::try_from(newest).unwrap_or(usize::MAX)];
        let base_fees: Vec<String> = blocks
            .iter()
            .map(|b| qty(b.base_fee))
            .chain(std::iter::once(qty(self.config.basefee)))
            .collect();
        #[expect(
            clippy::cast_precision_loss,
            reason = "a gas ratio: both values are far below 2^52"
        )]
        let ratios: Vec<f64> = blocks
            .iter()
            .map(|b| b.gas_used as f64 / b.gas_limit as f64)
            .collect();
        let mut history = json!({
            "oldestBlock": qty(oldest),
            "baseFeePerGas": base_fees,
            "gasUsedRatio": ratios,
        });
        if let Some(percentiles) = percentiles {
            let rewards = vec![vec!["0x0"; percentiles.len()]; blocks.len()];
            history["reward"] = json!(rewards);
        }
        Ok(history)
    }

    fn logs(&self, filter: &LogFilter) -> Result<Vec<Value>, RpcError> {
        let (from, to) = if let Some(hash) = filter.block_hash {
            if filter.from_block.is_some() || filter.to_block.is_some() {
                return Err(RpcError::InvalidParams(
                    "blockHash excludes fromBlock and toBlock".to_owned(),
                ));
            }
            let number = self.block_number(Some(BlockId::Hash(hash)))?;
            (number, number)
        } else {
            (
                self.block_number(filter.from_block)?,
                self.block_number(filter.to_block)?,
            )
        };
        let mut logs = Vec::new();
        for block in self
            .blocks
            .iter()
            .filter(|b| (from..=to).contains(&b.number))
        {
            for hash in &block.transactions {
                let Some(tx) = self.txs.get(hash) else {
                    continue;
                };
                for (log, index) in tx.receipt.logs.iter().zip(tx.first_log_index..) {
                    if filter.matches(&log.address, log.topics()) {
                        logs.push(log_json(log, tx, block, index));
                    }
                }
            }
        }
        Ok(logs)
    }

    /// Decodes and checks a raw transaction as a pool would: type, signature, chain id,
    /// nonce, gas limit, fee cap, funds. Returns it with its sender.
    fn validate(&self, raw: &[u8]) -> Result<(TxEnvelope, Address), RpcError> {
        let envelope =
            TxEnvelope::decode_2718_exact(raw).map_err(|e| TxError::Decode(e.to_string()))?;
        let hash = *envelope.tx_hash();
        if envelope.is_eip4844() || envelope.is_eip7702() {
            return Err(TxError::UnsupportedType(envelope.ty()).into());
        }
        let from = envelope
            .recover_signer()
            .map_err(|e| TxError::InvalidSignature(e.to_string()))?;
        let want = self.config.chain_id;
        if let Some(have) = envelope.chain_id() {
            if have != want {
                return Err(TxError::WrongChainId { have, want }.into());
            }
        }
        if self.txs.contains_key(&hash) {
            return Err(TxError::AlreadyKnown.into());
        }
        let nonce = envelope.nonce();
        let state = self.node.nonce(from);
        if nonce < state {
            return Err(TxError::NonceTooLow {
                address: from,
                tx: nonce,
                state,
            }
            .into());
        }
        if nonce > state {
            return Err(TxError::NonceGap {
                address: from,
                tx: nonce,
                state,
            }
            .into());
        }
        let gas = envelope.gas_limit();
        let limit = self.config.block_gas_limit;
        if gas > limit {
            return Err(TxError::GasLimit { gas, limit }.into());
        }
        let base_fee = self.config.basefee;
        let max_fee = envelope.max_fee_per_gas();
        if max_fee < u128::from(base_fee) {
            return Err(TxError::FeeCapTooLow {
                address: from,
                max_fee,
                base_fee,
            }
            .into());
        }
        let have = self.node.balance(from);
        let want = U256::from(gas)
            .saturating_mul(U256::from(max_fee))
            .saturating_add(envelope.value());
        if have < want {
            return Err(TxError::InsufficientFunds {
                address: from,
                have,
                want,
            }
            .into());
        }

        Ok((envelope, from))
    }

    fn send_raw(&mut self, raw: &[u8]) -> Result<B256, RpcError> {
        let (envelope, from) = self.validate(raw)?;
        let hash = *envelope.tx_hash();
        let base_fee = self.config.basefee;
        let gas = envelope.gas_limit();
        let nonce = envelope.nonce();
        let tx = match envelope.kind() {
            TxKind::Call(to) => Tx::call(from, to, envelope.input().clone()),
            TxKind::Create => Tx::create(from, envelope.input().clone()),
        }
        .value(envelope.value())
        .gas(gas)
        .nonce(nonce);
        let receipt = self.node.send(tx).map_err(RpcError::from_node)?;
        let (cumulative, logs_before) =
            self.open
                .last()
                .and_then(|h| self.txs.get(h))
                .map_or((0, 0), |prev| {
                    (
                        prev.cumulative_gas,
                        prev.first_log_index + prev.receipt.logs.len() as u64,
                    )
                });
        if self.log {
            log_tx(&hash, from, envelope.to(), &receipt);
        }
        let mined = MinedTx {
            index: self.open.len() as u64,
            cumulative_gas: cumulative + receipt.gas_used,
            first_log_index: logs_before,
            gas_price: base_fee,
            envelope,
            from,
            receipt,
        };
        let number = mined.receipt.block_number;
        self.txs.insert(hash, mined);
        self.open.push(hash);
        if self.automine {
            self.seal(number);
        }
        Ok(hash)
    }

    /// Seals the open transactions as block `number`.
    fn seal(&mut self, number: u64) {
        let block = Block::seal(
            number,
            self.head().hash,
            self.node.timestamp(),
            (self.config.block_gas_limit, self.config.basefee),
            std::mem::take(&mut self.open),
            &self.txs,
        );
        self.blocks.push(block);
    }

    fn mine(&mut self) {
        let number = self.node.mine();
        self.seal(number);
    }

    /// `evm_revert`: false for an unknown snapshot.
    fn revert(&mut self, id: u64) -> bool {
        let Ok(id) = usize::try_from(id) else {
            return false;
        };
        if self.node.revert(id).is_err() || id >= self.marks.len() {
            return false;
        }
        self.marks.truncate(id + 1);
        let Some(mark) = self.marks.pop() else {
            return false;
        };
        let dropped = self.blocks.split_off(mark.blocks);
        for hash in dropped
            .iter()
            .flat_map(|b| b.transactions.iter())
            .chain(self.open.iter())
        {
            if !mark.open.contains(hash) {
                self.txs.remove(hash);
            }
        }
        self.open = mark.open;
        true
    }
}

/// Prints the one line per transaction of the node's log.
fn log_tx(hash: &B256, from: Address, to: Option<Address>, receipt: &Receipt) {
    let to = match (to, receipt.contract_address) {
        (Some(to), _) => to.to_string(),
        (None, Some(created)) => format!("{created} (created)"),
        (None, None) => "(create failed)".to_owned(),
    };
    let status = match (receipt.success, &receipt.halt_reason) {
        (true, _) => "ok".to_owned(),
        (false, Some(reason)) => format!("halted ({reason})"),
        (false, None) => "reverted".to_owned(),
    };
    println!(
        "tx {hash} from {from} to {to} gas {} status {status} block {}",
        receipt.gas_used, receipt.block_number
    );
}

/// A quantity given as a hex string or a JSON number.
fn quantity(value: &Value) -> Result<u64, RpcError> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(_) => serde_json::from_value::<U64>(value.clone())
            .ok()
            .map(|n| n.saturating_to()),
        _ => None,
    }
    .ok_or_else(|| RpcError::InvalidParams(format!("not a quantity: {value}")))
}
