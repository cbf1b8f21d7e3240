//! End-to-end flows over JSON-RPC live in `tests/`, one file per user flow. Each starts the
//! local node in-process on an ephemeral port (or uses `RPC_URL`), deploys the suite with
//! `lsr-deploy` and asserts on balances, rates and events. They need the release wasm in
//! `target/wasm` (`scripts/build-wasm.sh`); the Solidity integration test also needs the
//! Solidity toolchain (`scripts/solidity.sh`).
//!
//! The expected values come from the contracts' documented formulas (`docs/<contract>.md`),
//! written once below with their roundings.

use std::{
    collections::HashMap,
    path::PathBuf,
    process::Command,
    sync::atomic::{AtomicUsize, Ordering},
};

use alloy::primitives::{hex, Bytes, U256};

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

/// The scratch directory of the addresses file [`suite`] writes for `test` (in it,
/// `<chain-id>.json`).
#[must_use]
pub fn addresses_dir(test: &str) -> PathBuf {
    std::env::temp_dir().join(format!("lsr-e2e-{}-{test}", std::process::id()))
}

/// A node (in-process, or `RPC_URL`) and the suite freshly deployed on it by the dev account,
/// with the `local` network file; `test` names the scratch directory of its addresses file
/// ([`addresses_dir`]).
///
/// # Errors
/// As [`Suite::deploy`].
pub async fn suite(test: &str) -> Result<(TestChain, Suite), DeployError> {
    let node = TestChain::start();
    let admin = Chain::connect(&node.url(), dev_signer())?;
    let network = Network::load(&Network::default_dir(), "local")?;
    let addresses = addresses_dir(test);
    let _ = std::fs::remove_dir_all(&addresses);
    let suite = Suite::deploy(admin, network, &wasm_dir(), &addresses).await?;
    Ok((node, suite))
}

/// The repository's root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Compiles `files` (paths from the repository's root) with the project's solc
/// (`tools/solidity/compile.mjs`: solcjs from npm, `OpenZeppelin` imports, the golden ABIs
/// importable as `abi/<contract>.sol`) and returns each contract's creation bytecode by name.
///
/// # Panics
/// When node or the toolchain is missing (with what to run), or a file does not compile (with
/// solc's messages).
#[must_use]
pub fn compile_solidity(files: &[&str]) -> HashMap<String, Bytes> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let root = root();
    let out = std::env::temp_dir().join(format!(
        "lsr-solidity-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let output = Command::new("node")
        .arg(root.join("tools/solidity/compile.mjs"))
        .arg(&out)
        .args(files.iter().map(|f| root.join(f)))
        .output()
        .expect("node runs (install Node.js, then scripts/solidity.sh)");
    assert!(
        output.status.success(),
        "solc failed (run scripts/solidity.sh first if the toolchain is missing):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut compiled = HashMap::new();
    for entry in std::fs::read_dir(&out).expect("compile.mjs wrote its output directory") {
        let path = entry.expect("a readable directory entry").path();
        let artifact: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("a readable artifact"))
                .expect("an artifact is JSON");
        let name = artifact["name"].as_str().expect("an artifact has a name");
        let code = artifact["bytecode"]
            .as_str()
            .expect("an artifact has bytecode");
        compiled.insert(
            name.to_owned(),
            hex::decode(code).expect("bytecode is hex").into(),
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    compiled
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
