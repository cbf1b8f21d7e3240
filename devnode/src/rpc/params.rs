//! Parameters of the JSON-RPC methods: positional access, block tags, call requests, state
//! overrides and log filters, decoded with serde.

use std::collections::HashMap;

use alloy_primitives::{Address, Bytes, B256, U256, U64};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::Value;

use super::RpcError;
use crate::{AccountOverride, StateOverrides, Tx, DEFAULT_GAS_LIMIT};

/// A request's positional parameters.
pub(crate) struct Params(Vec<Value>);

impl Params {
    /// The parameters of a request (`params` absent → none).
    pub(crate) fn new(params: Option<Value>) -> Result<Self, RpcError> {
        match params {
            None | Some(Value::Null) => Ok(Self(Vec::new())),
            Some(Value::Array(values)) => Ok(Self(values)),
            Some(_) => Err(RpcError::InvalidParams(
                "params must be an array".to_owned(),
            )),
        }
    }

    /// Parameter `index`, required.
    pub(crate) fn get<T: DeserializeOwned>(&self, index: usize, name: &str) -> Result<T, RpcError> {
        self.opt(index, name)?
            .ok_or_else(|| RpcError::InvalidParams(format!("missing parameter {index} ({name})")))
    }

    /// Parameter `index`, absent or `null` → `None`.
    pub(crate) fn opt<T: DeserializeOwned>(
        &self,
        index: usize,
        name: &str,
    ) -> Result<Option<T>, RpcError> {
        match self.0.get(index) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value.clone())
                .map(Some)
                .map_err(|e| RpcError::InvalidParams(format!("parameter {index} ({name}): {e}"))),
        }
    }

    /// Fails when more than `count` parameters were given.
    pub(crate) fn at_most(&self, count: usize) -> Result<(), RpcError> {
        if self.0.len() > count {
            return Err(RpcError::InvalidParams(format!(
                "expected at most {count} parameters, got {}",
                self.0.len()
            )));
        }
        Ok(())
    }
}

/// A block named by tag, number or hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockId {
    /// `latest`, `safe`, `finalized` (all the head: blocks are final at once).
    Latest,
    /// `pending`: the open block's state, which is the current state.
    Pending,
    /// `earliest`: the genesis block.
    Earliest,
    /// A block number.
    Number(u64),
    /// A block hash.
    Hash(B256),
}

impl<'de> Deserialize<'de> for BlockId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Object {
                #[serde(rename = "blockNumber")]
                number: Option<U64>,
                #[serde(rename = "blockHash")]
                hash: Option<B256>,
            },
        }
        match Raw::deserialize(deserializer)? {
            Raw::Text(text) => match text.as_str() {
                "latest" | "safe" | "finalized" => Ok(Self::Latest),
                "pending" => Ok(Self::Pending),
                "earliest" => Ok(Self::Earliest),
                hex => {
                    let digits = hex.strip_prefix("0x").ok_or_else(|| {
                        serde::de::Error::custom(format!("invalid block tag {hex:?}"))
                    })?;
                    if digits.len() == 64 {
                        return digits
                            .parse::<B256>()
                            .map(Self::Hash)
                            .map_err(serde::de::Error::custom);
                    }
                    u64::from_str_radix(digits, 16)
                        .map(Self::Number)
                        .map_err(|e| serde::de::Error::custom(format!("block number: {e}")))
                }
            },
            Raw::Object {
                number: Some(number),
                hash: None,
            } => Ok(Self::Number(number.to())),
            Raw::Object {
                number: None,
                hash: Some(hash),
            } => Ok(Self::Hash(hash)),
            Raw::Object { .. } => Err(serde::de::Error::custom(
                "a block object needs exactly one of blockNumber, blockHash",
            )),
        }
    }
}

/// The transaction object of `eth_call` and `eth_estimateGas`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CallRequest {
    from: Option<Address>,
    to: Option<Address>,
    gas: Option<U64>,
    value: Option<U256>,
    data: Option<Bytes>,
    input: Option<Bytes>,
}

impl CallRequest {
    /// The engine's transaction; the gas limit defaults to `cap`, and is capped by it.
    pub(crate) fn into_tx(self, cap: u64) -> Result<Tx, RpcError> {
        let data = match (self.input, self.data) {
            (Some(input), Some(data)) if input != data => {
                return Err(RpcError::InvalidParams(
                    "both input and data are set and differ".to_owned(),
                ))
            }
            (Some(input), _) => input,
            (None, data) => data.unwrap_or_default(),
        };
        let from = self.from.unwrap_or_default();
        let mut tx = match self.to {
            Some(to) => Tx::call(from, to, data),
            None => Tx::create(from, data),
        };
        tx.value = self.value.unwrap_or_default();
        tx.gas_limit = self
            .gas
            .map_or(cap, |gas| gas.saturating_to::<u64>().min(cap));
        Ok(tx)
    }
}

/// The gas limit of calls that give none: the engine's default transaction gas limit.
pub(crate) const CALL_GAS_CAP: u64 = DEFAULT_GAS_LIMIT;

/// One account's overrides as clients send them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountOverrideJson {
    balance: Option<U256>,
    nonce: Option<U64>,
    code: Option<Bytes>,
    state: Option<HashMap<B256, B256>>,
    state_diff: Option<HashMap<B256, B256>>,
}

/// Decodes the state-override parameter.
pub(crate) fn state_overrides(params: &Params, index: usize) -> Result<StateOverrides, RpcError> {
    let Some(raw) =
        params.opt::<HashMap<Address, AccountOverrideJson>>(index, "state overrides")?
    else {
        return Ok(StateOverrides::new());
    };
    let slots = |map: HashMap<B256, B256>| -> Vec<(U256, U256)> {
        map.into_iter()
            .map(|(slot, value)| (slot.into(), value.into()))
            .collect()
    };
    raw.into_iter()
        .map(|(address, change)| {
            if change.state.is_some() && change.state_diff.is_some() {
                return Err(RpcError::InvalidParams(format!(
                    "account {address}: state and stateDiff are exclusive"
                )));
            }
            Ok((
                address,
                AccountOverride {
                    balance: change.balance,
                    nonce: change.nonce.map(|n| n.saturating_to()),
                    code: change.code,
                    state: change.state.map(slots),
                    state_diff: change.state_diff.map(slots).unwrap_or_default(),
                },
            ))
        })
        .collect()
}

/// One value or a list of them (log filter addresses and topics).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany<T> {
    /// One value.
    One(T),
    /// Any of these values.
    Many(Vec<T>),
}

impl<T: PartialEq> OneOrMany<T> {
    /// Whether `value` matches.
    pub(crate) fn matches(&self, value: &T) -> bool {
        match self {
            Self::One(one) => one == value,
            Self::Many(many) => many.is_empty() || many.contains(value),
        }
    }
}

/// The filter of `eth_getLogs`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LogFilter {
    pub(crate) from_block: Option<BlockId>,
    pub(crate) to_block: Option<BlockId>,
    pub(crate) block_hash: Option<B256>,
    pub(crate) address: Option<OneOrMany<Address>>,
    pub(crate) topics: Option<Vec<Option<OneOrMany<B256>>>>,
}

impl LogFilter {
    /// Whether a log of `address` with `topics` passes the address and topic filters.
    pub(crate) fn matches(&self, address: &Address, topics: &[B256]) -> bool {
        if let Some(filter) = &self.address {
            if !filter.matches(address) {
                return false;
            }
        }
        let Some(filters) = &self.topics else {
            return true;
        };
        filters.iter().enumerate().all(|(i, filter)| match filter {
            None => true,
            Some(filter) => topics.get(i).is_some_and(|topic| filter.matches(topic)),
        })
    }
}
