//! End-to-end flows over JSON-RPC live in `tests/`, one file per user flow. Each starts the
//! local node in-process on an ephemeral port (or uses `RPC_URL`), deploys the suite with
//! `lsr-deploy` and asserts on balances, rates and events. They need the release wasm in
//! `target/wasm` (`scripts/build-wasm.sh`); the Solidity integration test also needs the
//! Solidity toolchain (`scripts/solidity.sh`).

use std::{
    collections::HashMap,
    path::PathBuf,
    process::Command,
    sync::atomic::{AtomicUsize, Ordering},
};

use alloy::primitives::{hex, Bytes};

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
