//! The local Stylus node's execution engine.
//!
//! State and the EVM are revm's (accounts, balances, nonces, storage, logs, journaling and
//! reverts across nested calls, EIP-2929/2200 gas). Code starting with `EF F0 00` is a Stylus
//! program: it is decompressed, validated and activated through the `ArbWasm` precompile
//! ([`arbwasm`]), metered in ink by module rewriting ([`meter`]) and run on wasmi with the 42
//! `vm_hooks` host functions ([`host`]). [`Node`] is the Rust API tests use: fund accounts,
//! deploy EVM bytecode or Stylus programs (creation, activation and constructor as separate
//! transactions, like cargo-stylus), send transactions and calls with typed results and decoded
//! logs, move time forward, snapshot and revert.
//!
//! ```no_run
//! use alloy_primitives::{Address, U256};
//! use devnode::Node;
//!
//! let node = Node::new();
//! let alice = Address::repeat_byte(0xA1);
//! node.fund(alice, U256::from(10).pow(U256::from(18)));
//! let wasm = std::fs::read("target/wasm/hostio-probe.wasm").unwrap();
//! let program = node.deploy_stylus(alice, &wasm, None).unwrap().address;
//! # let _ = program;
//! ```

pub mod arbwasm;
pub mod arbwasm_cache;
pub mod deployer;
mod exec;
pub mod host;
pub mod meter;
mod node;
pub mod program;
pub mod rpc;
pub mod server;

pub use exec::{Ctx, BLOCK_CACHE_SIZE, FREE_PAGES, PAGE_GAS, PAGE_LIMIT};
pub use host::ProgramFrame;
pub use node::{
    constructor_calldata, AccountOverride, Deployment, Executed, Node, NodeConfig, NodeError,
    Receipt, StateOverrides, StorageWrite, Tx, CHAIN_ID, COINBASE, DEFAULT_GAS_LIMIT,
};
pub use program::ActivationError;

use alloy_primitives::{address, Address, U256};

/// The prefunded account of Nitro's devnode (its key is public: devnode tooling only, never a
/// real network).
pub const DEV_ACCOUNT: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");
/// The private key of [`DEV_ACCOUNT`], published in the OffchainLabs/nitro-devnode README.
pub const DEV_PRIVATE_KEY: &str =
    "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";
/// What the devnode binary funds [`DEV_ACCOUNT`] with: 1,000,000 ETH.
pub const DEV_ACCOUNT_BALANCE: U256 = U256::from_limbs([0x1bce_cced_a100_0000, 0xd3c2, 0, 0]);
