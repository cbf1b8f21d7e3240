//! Shared library of the liquid staking / restaking suite (no entrypoint).
//!
//! - [`abi`]: ABI words and the log emitter ([`emit!`]) behind every event.
//! - [`math`]: `mul_div` with explicit rounding and share conversion with a virtual offset.
//! - [`erc20`]: ERC-20 + EIP-2612 permit as a component with shared public traits.
//! - [`access`]: role-based access control and pause.
//! - [`contract_error!`]: one error enum per contract with the component errors folded in.
//! - [`calls`]: calls between the suite's contracts with hand-encoded calldata.
//! - [`create`]: a contract's first creation, whose address parent and child derive.
//! - [`interfaces`]: `sol_interface!` definitions of the contracts' external APIs and the
//!   selectors the contracts call.
//! - [`mod@router`]: the hand-written router ([`router!`](crate::router!)) every contract runs
//!   on chain.
//! - `testing` (feature `testing`): a unit-test host with in-process callees.

extern crate alloc;

pub mod abi;
pub mod access;
pub mod calls;
pub mod create;
pub mod erc20;
pub mod errors;
// `sol_interface!` generates undocumented call stubs.
#[allow(missing_docs)]
pub mod interfaces;
pub mod math;
pub mod router;
#[cfg(feature = "testing")]
pub mod testing;
