//! End-to-end flows over JSON-RPC live in `tests/`, one file per user flow. Each starts the
//! local node in-process on an ephemeral port (or uses `RPC_URL`), deploys the suite with
//! `lsr-deploy` and asserts on balances, rates and events. They need the release wasm in
//! `target/wasm` (`scripts/build-wasm.sh`).

use std::path::PathBuf;

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
