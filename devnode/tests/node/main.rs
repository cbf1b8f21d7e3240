//! The local node's tests: release wasm and small wat and EVM programs run on [`devnode::Node`]
//! and are checked against Nitro's documented behaviour (shared/STYLUS-HOST.md).

mod activation;
mod hostio_probe;
mod nested_calls;
mod support;
