//! Shared library of the liquid staking / restaking suite (no entrypoint).
//!
//! - [`math`]: `mul_div` with explicit rounding and share conversion with a virtual offset.
//! - [`erc20`]: ERC-20 + EIP-2612 permit as a component with shared public traits.
//! - [`access`]: role-based access control and pause.
//! - [`contract_error!`]: one error enum per contract with the component errors folded in.
//! - [`interfaces`]: `sol_interface!` definitions of the four contracts' external APIs.

extern crate alloc;

pub mod access;
pub mod erc20;
pub mod errors;
// `sol_interface!` generates undocumented call stubs.
#[allow(missing_docs)]
pub mod interfaces;
pub mod math;
