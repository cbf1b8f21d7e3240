//! `lrt`, the wallet CLI of the liquid-restaking suite: stake ETH for LST, restake LST (or zap
//! ETH) into the LRT, redeem LRT through its ERC-7540 queue, withdraw LST through the staking
//! vault's queue, and read balances, queues and rates. See docs/cli.md.
//!
//! Built on `lsr-deploy`'s library (the chain, the typed bindings, the addresses file, key
//! loading, revert decoding); this crate adds the amounts, the sentences and the commands.

pub mod error;
pub mod report;
pub mod wallet;

pub use error::{Action, CliError};
pub use lsr_deploy::amount::{self, format_units, parse_amount, parse_eth, parse_wei, Wei};
pub use report::Report;
pub use wallet::{Options, Wallet};
