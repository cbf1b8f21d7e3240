//! End-to-end flows over JSON-RPC live in `tests/`, one file per user flow. Each starts the
//! local node in-process on an ephemeral port (or uses `RPC_URL`), deploys the suite with
//! `lsr-deploy` and asserts on balances, rates and events. They need the release wasm in
//! `target/wasm` (`scripts/build-wasm.sh`).
//!
//! The expected values come from the contracts' documented formulas (`docs/<contract>.md`),
//! written once below with their roundings.

use std::path::PathBuf;

use alloy::primitives::U256;

use lsr_deploy::{
    config::Network,
    flows::Suite,
    local::{dev_signer, TestChain},
    Chain, DeployError,
};

/// The release wasm directory, or a panic that says how to build it.
///
/// # Panics
/// When `target/wasm` has no release wasm.
#[must_use]
pub fn wasm_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm");
    assert!(
        dir.join("staking-vault.wasm").exists(),
        "{} has no release wasm: run scripts/build-wasm.sh first",
        dir.display()
    );
    dir
}

/// A node (in-process, or `RPC_URL`) and the suite freshly deployed on it by the dev account,
/// with the `local` network file; `test` names the scratch directory of its addresses file.
///
/// # Errors
/// As [`Suite::deploy`].
pub async fn suite(test: &str) -> Result<(TestChain, Suite), DeployError> {
    let node = TestChain::start();
    let admin = Chain::connect(&node.url(), dev_signer())?;
    let network = Network::load(&Network::default_dir(), "local")?;
    let addresses = std::env::temp_dir().join(format!("lsr-e2e-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&addresses);
    let suite = Suite::deploy(admin, network, &wasm_dir(), &addresses).await?;
    Ok((node, suite))
}

/// The decoded reason of a refused call: `result` must be a [`DeployError::Reverted`] whose
/// reason names `error` (a custom error of the committed ABIs).
///
/// # Panics
/// When the call went through, or failed otherwise, or with another error.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(result: Result<T, DeployError>, error: &str) -> String {
    match result {
        Err(DeployError::Reverted { reason, .. }) => {
            assert!(reason.contains(error), "expected {error}, got: {reason}");
            reason
        }
        Err(other) => panic!("expected a decoded {error}, got: {other}"),
        Ok(value) => panic!("expected {error}, but the call went through: {value:?}"),
    }
}

/// The virtual shares and assets of every share token (1e3).
pub const VIRTUAL: U256 = U256::from_limbs([1_000, 0, 0, 0]);
/// 1e18, the rates' unit.
pub const UNIT: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// 10,000: basis points.
pub const BPS: U256 = U256::from_limbs([10_000, 0, 0, 0]);

/// Shares minted for `assets` into a pool of `total` assets and `shares` shares, rounded
/// down: `assets × (shares + 1e3) / (total + 1e3)` (vault deposit, LRT deposit, manager
/// delegation).
#[must_use]
pub fn shares_for(assets: U256, total: U256, shares: U256) -> U256 {
    assets * (shares + VIRTUAL) / (total + VIRTUAL)
}

/// Assets that buy `minted` shares, rounded up: `minted × (total + 1e3) / (shares + 1e3)`
/// (LRT `mint`, `previewMint`).
#[must_use]
pub fn cost_of(minted: U256, total: U256, shares: U256) -> U256 {
    (minted * (total + VIRTUAL)).div_ceil(shares + VIRTUAL)
}

/// What `held` shares are paid, rounded down, without virtual assets: `held × total /
/// (shares + 1e3)` (the LRT's value at request and at fulfilment, the manager's staker
/// value and queued value).
#[must_use]
pub fn backed_value(held: U256, total: U256, shares: U256) -> U256 {
    held * total / (shares + VIRTUAL)
}

/// The vault's value of `held` LST, rounded down: `held × (pooled + 1e3) / (shares + 1e3)`.
#[must_use]
pub fn vault_value(held: U256, pooled: U256, shares: U256) -> U256 {
    held * (pooled + VIRTUAL) / (shares + VIRTUAL)
}

/// A rate in 1e18, rounded down: `1e18 × (total + 1e3) / (shares + 1e3)` (ETH per LST, LST
/// per LRT).
#[must_use]
pub fn rate(total: U256, shares: U256) -> U256 {
    UNIT * (total + VIRTUAL) / (shares + VIRTUAL)
}

/// `bps` of `amount`, rounded down.
#[must_use]
pub fn bps_of(amount: U256, bps: u16) -> U256 {
    amount * U256::from(bps) / BPS
}
