//! Measures the local node: start-up, deployment, and calls per second for an `lst-token`
//! `transfer` (mined transactions) and a `balanceOf` (`eth_call`s), plus an empty program's
//! per-call overhead. Run after `scripts/build-wasm.sh`, in release:
//!
//! ```text
//! cargo run -p devnode --release --example bench [ITERATIONS]
//! ```

use std::time::{Duration, Instant};

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolValue};
use devnode::{Node, Tx};

sol! {
    function createToken(bytes code) external;
    function grantRole(bytes32 role, address account) external;
    function deposit(address receiver) external payable returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

const ALICE: Address = Address::repeat_byte(0xA1);
const BOB: Address = Address::repeat_byte(0xB0);

fn wasm(name: &str) -> Vec<u8> {
    let path = format!("{}/../target/wasm/{name}.wasm", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run scripts/build-wasm.sh)"))
}

fn per_second(count: u32, elapsed: Duration) -> f64 {
    f64::from(count) / elapsed.as_secs_f64()
}

/// Deploys the vault (with its extension program) and has it create its token, and gives
/// Alice 100 ETH of shares; returns the token and the deployment times of the vault (with
/// its extension) and of the token (creation and activation).
fn deploy(node: &Node, ether: U256) -> (Address, Duration, Duration) {
    let start = Instant::now();
    let extension = node
        .deploy_stylus(ALICE, &wasm("staking-vault-extension"), None)
        .expect("the extension deploys")
        .address;
    let vault = node
        .deploy_stylus(
            ALICE,
            &wasm("staking-vault"),
            Some(&(ALICE, ALICE, ALICE, extension).abi_encode_params()),
        )
        .expect("the vault deploys")
        .address;
    let vault_deployed = start.elapsed();
    let start = Instant::now();
    let code = devnode::program::stylus_code(&wasm("lst-token")).expect("a valid module");
    node.transact(ALICE, vault, &createTokenCall { code: code.into() })
        .expect("the vault creates its token");
    let token = vault.create(1);
    node.activate_once(ALICE, token)
        .expect("the token activates");
    let token_deployed = start.elapsed();
    let oracle = grantRoleCall {
        role: keccak256("ORACLE_ROLE"),
        account: ALICE,
    };
    node.transact(ALICE, vault, &oracle).expect("role");
    let deposit = depositCall { receiver: ALICE };
    node.transact_with_value(ALICE, vault, ether * U256::from(100), &deposit)
        .expect("deposit");
    (token, vault_deployed, token_deployed)
}

/// Runs `send` `iterations` times; returns the time taken.
fn time(iterations: u32, mut send: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        send();
    }
    start.elapsed()
}

fn report(what: &str, iterations: u32, elapsed: Duration) {
    println!(
        "{what}: {:.0}/s ({:.1} µs each)",
        per_second(iterations, elapsed),
        elapsed.as_secs_f64() * 1e6 / f64::from(iterations),
    );
}

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .map_or(2_000, |n| n.parse().expect("ITERATIONS is a number"));
    let ether = U256::from(10).pow(U256::from(18));

    let start = Instant::now();
    let node = Node::new();
    node.fund(ALICE, ether * U256::from(1_000));
    let started = start.elapsed();
    let (token, vault_deployed, token_deployed) = deploy(&node, ether);

    // Where deployment time goes: compression (cargo-stylus's job, done here by the test API)
    // and activation's analysis (decompress, validate, instrument).
    let vault_wasm = wasm("staking-vault");
    let start = Instant::now();
    let code = devnode::program::stylus_code(&vault_wasm).expect("compresses");
    let compressed = start.elapsed();
    let start = Instant::now();
    devnode::program::analyze(&code).expect("valid program");
    let analyzed = start.elapsed();
    println!("node start-up (new + fund): {started:?}");
    println!("staking-vault + extension deploy + activate + constructor: {vault_deployed:?}");
    println!("lst-token creation by the vault + activation: {token_deployed:?}");
    println!(
        "staking-vault: brotli-11 compression {compressed:?}, activation analysis {analyzed:?}"
    );

    let transfer = transferCall {
        to: BOB,
        value: U256::from(1),
    };
    let first = node.transact(ALICE, token, &transfer).expect("transfer");
    let again = node.transact(ALICE, token, &transfer).expect("transfer");
    println!(
        "lst-token transfer gas: {} (to a new holder), {} (to an existing one)",
        first.receipt.gas_used, again.receipt.gas_used
    );
    let transfers = time(iterations, || {
        node.transact(ALICE, token, &transfer).expect("transfer");
    });
    report(
        "lst-token transfer (mined transactions)",
        iterations,
        transfers,
    );
    let views = time(iterations, || {
        node.call(ALICE, token, &balanceOfCall { account: BOB })
            .expect("balanceOf");
    });
    report("lst-token balanceOf (eth_call)", iterations, views);

    // An empty program: what a call costs before the program does anything; and plain ETH
    // transfers: the node's cost per transaction without wasm.
    let empty = wat::parse_str(
        r#"(module (memory (export "memory") 1 1)
             (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
    )
    .expect("valid wat");
    let empty = node
        .deploy_stylus(ALICE, &empty, None)
        .expect("deploys")
        .address;
    let empties = time(iterations, || {
        node.send(Tx::call(ALICE, empty, vec![]))
            .expect("empty call");
    });
    report("empty program (mined transactions)", iterations, empties);
    let plain = time(iterations, || {
        node.send(Tx::call(ALICE, BOB, vec![]).value(U256::from(1)))
            .expect("eth transfer");
    });
    report("plain ETH transfer (mined transactions)", iterations, plain);
}
