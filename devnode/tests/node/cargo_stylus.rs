//! Opt-in (`LSR_CARGO_STYLUS=1`): the official `cargo stylus` 0.10.10 checks and deploys the
//! staking vault against a devnode served in-process (its extension program first, from the
//! release wasm), then the vault answers `getRate()` itself and `treasury()` through its
//! extension; and it deploys a program without a constructor (`--wasm-file`, the create and
//! `activateProgram` transactions), which `ArbWasm` then reports active.
//!
//! Off by default: it needs `cargo install cargo-stylus --version 0.10.10 --locked`, the wasm
//! from `scripts/build-wasm.sh`, and builds the vault for wasm (minutes on a cold cache). Run it with
//! `LSR_CARGO_STYLUS=1 cargo test -p devnode --test node cargo_stylus -- --nocapture` to see
//! cargo-stylus's output and the node's transaction log.

use std::{path::Path, process::Command};

use alloy::{
    primitives::{Address, U256},
    sol_types::{SolCall, SolEvent},
};
use devnode::{
    arbwasm::{ArbWasm, ARB_WASM},
    deployer::{StylusDeployer, STYLUS_DEPLOYER},
    program::STYLUS_VERSION,
    DEV_PRIVATE_KEY,
};
use serde_json::{json, Value};

use crate::rpc::TestNode;

/// The variable that turns the test on.
const OPT_IN: &str = "LSR_CARGO_STYLUS";
/// The cargo-stylus release the project pins.
const VERSION: &str = "0.10.10";

alloy::sol! {
    function getRate() external view returns (uint256);
    function treasury() external view returns (address);
}

/// Runs `cargo stylus ARGS` in `dir`, echoes its output, and fails on a non-zero exit.
fn cargo_stylus(dir: &Path, args: &[&str]) -> String {
    println!("$ cargo stylus {}", args.join(" "));
    let output = Command::new("cargo")
        .arg("stylus")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}{stderr}");
    assert!(output.status.success(), "cargo stylus {args:?} failed");
    stdout
}

#[test]
fn cargo_stylus_checks_and_deploys_the_staking_vault() {
    if std::env::var_os(OPT_IN).is_none() {
        println!("skipped: set {OPT_IN}=1 to run cargo-stylus {VERSION} against the devnode");
        return;
    }
    let vault = Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/staking-vault");
    let version = cargo_stylus(&vault, &["--version"]);
    assert!(
        version.contains(VERSION),
        "cargo-stylus {VERSION} is needed: {version}"
    );

    let node = TestNode::with_options(true, true);
    let endpoint = node.url();
    cargo_stylus(&vault, &["check", "--endpoint", &endpoint]);

    // The extension program (no constructor) from its release wasm.
    let extension = deploy_wasm_file(&node, "staking-vault-extension").to_string();

    let admin = Address::repeat_byte(0xAD).to_string();
    let treasury_address = Address::repeat_byte(0x7E);
    let treasury = treasury_address.to_string();
    let operator = Address::repeat_byte(0x0B).to_string();
    cargo_stylus(
        &vault,
        &[
            "deploy",
            "--no-verify",
            "--private-key",
            DEV_PRIVATE_KEY,
            "--endpoint",
            &endpoint,
            "--constructor-args",
            &admin,
            &treasury,
            &operator,
            &extension,
        ],
    );

    // The address comes from the deployer's event, not from cargo-stylus's output.
    let logs = log_data(
        &node,
        STYLUS_DEPLOYER,
        StylusDeployer::ContractDeployed::SIGNATURE_HASH,
    );
    assert_eq!(logs.len(), 1, "one deployment: {logs:?}");
    let data: alloy::primitives::Bytes = serde_json::from_value(logs[0].clone()).unwrap();
    let vault_address = StylusDeployer::ContractDeployed::abi_decode_data(&data)
        .expect("the event's data is an address")
        .0;

    let view = |data: Vec<u8>| -> alloy::primitives::Bytes {
        let call = json!({ "to": vault_address, "data": alloy::primitives::Bytes::from(data) });
        serde_json::from_value(node.result("eth_call", &json!([call, "latest"]))).unwrap()
    };
    let rate = getRateCall::abi_decode_returns(&view(getRateCall {}.abi_encode()))
        .expect("getRate returns a uint256");
    println!("getRate() of {vault_address} = {rate}");
    assert_eq!(rate, U256::from(10).pow(U256::from(18)));
    let answered = treasuryCall::abi_decode_returns(&view(treasuryCall {}.abi_encode()))
        .expect("treasury returns an address");
    assert_eq!(
        answered, treasury_address,
        "served by the extension program"
    );
}

/// `cargo stylus deploy --wasm-file target/wasm/NAME.wasm` (a program without constructor:
/// the create and `activateProgram` transactions) against `node`, which must have activated
/// nothing before; returns the program's address, from `ArbWasm`'s `ProgramActivated` log.
fn deploy_wasm_file(node: &TestNode, name: &str) -> Address {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let wasm = root.join(format!("target/wasm/{name}.wasm"));
    assert!(
        wasm.exists(),
        "{} is missing: run scripts/build-wasm.sh",
        wasm.display()
    );
    cargo_stylus(
        &root,
        &[
            "deploy",
            "--no-verify",
            "--wasm-file",
            wasm.to_str().expect("a UTF-8 path"),
            "--private-key",
            DEV_PRIVATE_KEY,
            "--endpoint",
            &node.url(),
        ],
    );
    let activated = log_data(node, ARB_WASM, ArbWasm::ProgramActivated::SIGNATURE_HASH);
    assert_eq!(activated.len(), 1, "one activation: {activated:?}");
    let data: alloy::primitives::Bytes = serde_json::from_value(activated[0].clone()).unwrap();
    ArbWasm::ProgramActivated::abi_decode_data(&data)
        .expect("the event's data")
        .1
}

/// The data of the logs of `event` emitted by `address`.
fn log_data(node: &TestNode, address: Address, event: alloy::primitives::B256) -> Vec<Value> {
    let filter = json!({ "fromBlock": "0x0", "address": address, "topics": [event] });
    match node.result("eth_getLogs", &json!([filter])) {
        Value::Array(logs) => logs.into_iter().map(|log| log["data"].clone()).collect(),
        other => panic!("eth_getLogs returns a list: {other}"),
    }
}

#[test]
fn cargo_stylus_deploys_a_program_without_constructor_in_two_transactions() {
    if std::env::var_os(OPT_IN).is_none() {
        println!("skipped: set {OPT_IN}=1 to run cargo-stylus {VERSION} against the devnode");
        return;
    }
    let node = TestNode::with_options(true, true);
    let program = deploy_wasm_file(&node, "hostio-probe");
    let query = ArbWasm::programVersionCall { program }.abi_encode();
    let call = json!({ "to": ARB_WASM, "data": alloy::primitives::Bytes::from(query) });
    let output: alloy::primitives::Bytes =
        serde_json::from_value(node.result("eth_call", &json!([call, "latest"]))).unwrap();
    let version = ArbWasm::programVersionCall::abi_decode_returns(&output).unwrap();
    println!("programVersion({program}) = {version}");
    assert_eq!(version, STYLUS_VERSION);
}
