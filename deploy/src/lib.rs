//! Deployment of the liquid-restaking suite over JSON-RPC: every contract created, activated and
//! constructed in one transaction through the `StylusDeployer`, wired and configured from a
//! network file (`deploy/networks/<name>.toml`), every view read back, addresses kept in
//! `deploy/addresses/<chain-id>.json` so a re-run sends only what is missing.
//!
//! The binary is `deploy`; the e2e tests and the demo use [`deploy::deploy`] directly.

pub mod abi;
pub mod addresses;
pub mod amount;
pub mod chain;
pub mod config;
pub mod deploy;
pub mod error;
pub mod flows;
pub mod key;
pub mod local;
pub mod story;
pub mod tool;

pub use chain::{Chain, Sent};
pub use config::Network;
pub use deploy::{deploy, verify, Contracts, Options, Outcome, Report, Step};
pub use error::DeployError;
