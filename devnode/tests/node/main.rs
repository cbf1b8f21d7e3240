//! The local node's tests: release wasm and small wat and EVM programs run on [`devnode::Node`]
//! and are checked against Nitro's documented behaviour (shared/STYLUS-HOST.md).

mod activation;
mod attacks;
mod cargo_stylus;
mod chain;
mod hostio_probe;
mod invariants;
mod metering;
mod nested_calls;
mod program_cache;
mod raw_hostios;
mod restaking_flows;
mod rpc;
mod rpc_errors;
mod staking_flows;
mod suite;
mod support;
