//! Helpers shared by the node's tests: funded accounts, the built wasm, wat programs and a few
//! EVM programs written out opcode by opcode.

use std::{
    collections::HashMap,
    fmt::Write,
    sync::{Mutex, OnceLock},
};

use alloy_primitives::{keccak256, Address, B256, U256};
use devnode::Node;

/// `n` ether in wei.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(18))
}

/// The deployer and first user of every test.
pub const ALICE: Address = Address::repeat_byte(0xA1);
/// A second user.
pub const BOB: Address = Address::repeat_byte(0xB0);

/// A node with [`ALICE`] and [`BOB`] holding 1,000 ether each.
pub fn node() -> Node {
    let node = Node::new();
    node.fund(ALICE, ether(1_000));
    node.fund(BOB, ether(1_000));
    node
}

/// A release wasm built by `scripts/build-wasm.sh` (`target/wasm/NAME.wasm`).
pub fn release_wasm(name: &str) -> Vec<u8> {
    let path = format!("{}/../target/wasm/{name}.wasm", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run scripts/build-wasm.sh first)"))
}

/// A program that returns its calldata.
pub const ECHO: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (call $write_result (i32.const 0) (local.get $len))
    (i32.const 0)))
"#;

/// A wat program as wasm.
pub fn wat(source: &str) -> Vec<u8> {
    wat::parse_str(source).expect("the test's wat is valid")
}

/// The deployed code of `wasm` (brotli quality 11 is slow in a debug build: each program is
/// compressed once per test run).
pub fn stylus_code(wasm: &[u8]) -> Vec<u8> {
    static CODES: OnceLock<Mutex<HashMap<B256, Vec<u8>>>> = OnceLock::new();
    let codes = CODES.get_or_init(Mutex::default);
    let key = keccak256(wasm);
    if let Some(code) = codes.lock().expect("no test panics holding it").get(&key) {
        return code.clone();
    }
    let code = devnode::program::stylus_code(wasm).expect("the wasm is a valid module");
    codes
        .lock()
        .expect("no test panics holding it")
        .insert(key, code.clone());
    code
}

/// Deploys a Stylus program from [`ALICE`], with ABI-encoded constructor arguments if any.
pub fn deploy_with(node: &Node, wasm: &[u8], constructor_args: Option<&[u8]>) -> Address {
    node.deploy_stylus_code(ALICE, &stylus_code(wasm), constructor_args)
        .expect("the program deploys and activates")
        .address
}

/// Deploys a Stylus program (no constructor) from [`ALICE`].
pub fn deploy(node: &Node, wasm: &[u8]) -> Address {
    deploy_with(node, wasm, None)
}

/// EVM opcodes the tests' programs use.
pub mod op {
    pub const STOP: u8 = 0x00;
    pub const ADD: u8 = 0x01;
    pub const ISZERO: u8 = 0x15;
    pub const CALLER: u8 = 0x33;
    pub const CALLVALUE: u8 = 0x34;
    pub const CALLDATALOAD: u8 = 0x35;
    pub const CALLDATASIZE: u8 = 0x36;
    pub const CALLDATACOPY: u8 = 0x37;
    pub const CODECOPY: u8 = 0x39;
    pub const RETURNDATASIZE: u8 = 0x3d;
    pub const RETURNDATACOPY: u8 = 0x3e;
    pub const MSTORE: u8 = 0x52;
    pub const SLOAD: u8 = 0x54;
    pub const SSTORE: u8 = 0x55;
    pub const JUMPI: u8 = 0x57;
    pub const GAS: u8 = 0x5a;
    pub const JUMPDEST: u8 = 0x5b;
    pub const PUSH0: u8 = 0x5f;
    pub const PUSH1: u8 = 0x60;
    pub const PUSH2: u8 = 0x61;
    pub const PUSH20: u8 = 0x73;
    pub const DUP1: u8 = 0x80;
    pub const LOG1: u8 = 0xa1;
    pub const CALL: u8 = 0xf1;
    pub const RETURN: u8 = 0xf3;
    pub const REVERT: u8 = 0xfd;
}

/// Init code that deploys `runtime` as it is.
pub fn evm_init_code(runtime: &[u8]) -> Vec<u8> {
    let len = u16::try_from(runtime.len()).expect("small test programs");
    let [hi, lo] = len.to_be_bytes();
    let mut code = vec![
        op::PUSH2,
        hi,
        lo,
        op::DUP1,
        op::PUSH1,
        10,
        op::PUSH0,
        op::CODECOPY,
        op::PUSH0,
        op::RETURN,
    ];
    code.extend_from_slice(runtime);
    code
}

/// An EVM contract that calls `target` with its own calldata and value, then returns what the
/// callee returned or reverts with what it reverted with.
pub fn evm_forwarder(target: Address) -> Vec<u8> {
    forwarding_code(target, 0)
}

/// [`evm_forwarder`]'s code placed at offset `at` of a larger program (its jump target counts
/// from the program's start).
pub fn forwarding_code(target: Address, at: usize) -> Vec<u8> {
    let mut code = vec![
        op::CALLDATASIZE,
        op::PUSH0,
        op::PUSH0,
        op::CALLDATACOPY,
        op::PUSH0,
        op::PUSH0,
        op::CALLDATASIZE,
        op::PUSH0,
        op::CALLVALUE,
        op::PUSH20,
    ];
    code.extend_from_slice(target.as_slice());
    code.extend_from_slice(&[
        op::GAS,
        op::CALL,
        op::RETURNDATASIZE,
        op::PUSH0,
        op::PUSH0,
        op::RETURNDATACOPY,
        op::PUSH1,
    ]);
    // Jump target: the offset of the JUMPDEST below.
    let jumpdest = u8::try_from(at + code.len() + 5).expect("short program");
    code.extend_from_slice(&[
        jumpdest,
        op::JUMPI,
        op::RETURNDATASIZE,
        op::PUSH0,
        op::REVERT,
        op::JUMPDEST,
        op::RETURNDATASIZE,
        op::PUSH0,
        op::RETURN,
    ]);
    code
}

/// An EVM contract that adds the first calldata word to storage slot 0, logs the new total
/// with topic `CALLER`, and returns it; it reverts (without data) when the word is zero.
pub fn evm_counter() -> Vec<u8> {
    let mut code = vec![
        op::PUSH0,
        op::CALLDATALOAD,
        op::DUP1,
        op::ISZERO,
        op::PUSH1,
        0, // patched below: the revert tail
        op::JUMPI,
        op::PUSH0,
        op::SLOAD,
        op::ADD,
        op::DUP1,
        op::PUSH0,
        op::SSTORE,
        op::PUSH0,
        op::MSTORE,
        op::CALLER,
        op::PUSH1,
        32,
        op::PUSH0,
        op::LOG1,
        op::PUSH1,
        32,
        op::PUSH0,
        op::RETURN,
    ];
    code[5] = u8::try_from(code.len()).expect("short program");
    code.extend_from_slice(&[op::JUMPDEST, op::PUSH0, op::PUSH0, op::REVERT]);
    code
}

/// The wat import signature of each hostio the tests' wat programs use.
const SIGNATURES: &[(&str, &str)] = &[
    ("read_args", "(param i32)"),
    ("write_result", "(param i32 i32)"),
    ("exit_early", "(param i32)"),
    ("storage_load_bytes32", "(param i32 i32)"),
    ("storage_cache_bytes32", "(param i32 i32)"),
    ("storage_flush_cache", "(param i32)"),
    ("transient_load_bytes32", "(param i32 i32)"),
    ("transient_store_bytes32", "(param i32 i32)"),
    ("math_div", "(param i32 i32)"),
    ("math_mod", "(param i32 i32)"),
    ("math_pow", "(param i32 i32)"),
    ("math_add_mod", "(param i32 i32 i32)"),
    ("math_mul_mod", "(param i32 i32 i32)"),
    ("emit_log", "(param i32 i32 i32)"),
    ("create1", "(param i32 i32 i32 i32 i32)"),
    ("create2", "(param i32 i32 i32 i32 i32 i32)"),
    (
        "call_contract",
        "(param i32 i32 i32 i32 i64 i32) (result i32)",
    ),
    (
        "delegate_call_contract",
        "(param i32 i32 i32 i64 i32) (result i32)",
    ),
    (
        "static_call_contract",
        "(param i32 i32 i32 i64 i32) (result i32)",
    ),
    ("read_return_data", "(param i32 i32 i32) (result i32)"),
    ("return_data_size", "(result i32)"),
    ("msg_reentrant", "(result i32)"),
    ("contract_address", "(param i32)"),
    ("evm_ink_left", "(result i64)"),
];

/// A wat program: the named hostios imported as `$name`, one fixed page of memory, and
/// `user_entrypoint(len)` with `body` (which may declare locals first).
pub fn program(hostios: &[&str], body: &str) -> Vec<u8> {
    let mut imports = String::new();
    for name in hostios {
        let (_, signature) = SIGNATURES
            .iter()
            .find(|(known, _)| known == name)
            .unwrap_or_else(|| panic!("no signature for {name}"));
        writeln!(
            imports,
            "(import \"vm_hooks\" \"{name}\" (func ${name} {signature}))"
        )
        .expect("writing to a String cannot fail");
    }
    wat(&format!(
        "(module {imports} (memory (export \"memory\") 1 1)
           (func (export \"user_entrypoint\") (param $len i32) (result i32) {body}))"
    ))
}

/// Has `parent` create the program `name` with `call` (the vault's `createToken`, the LRT's
/// `createShare`, sent by `admin`), activates it unless its code already is, and returns its
/// address: the parent's first creation.
pub fn create_program<C: alloy_sol_types::SolCall>(
    node: &Node,
    admin: Address,
    parent: Address,
    call: &C,
) -> (Address, devnode::Receipt) {
    let receipt = node
        .send(devnode::Tx::call(admin, parent, call.abi_encode()))
        .expect("a valid transaction");
    assert!(receipt.success, "creation by {parent} failed: {receipt:?}");
    let created = parent.create(1);
    assert!(
        !node.code(created).is_empty(),
        "the parent's first creation has code"
    );
    node.activate_once(admin, created)
        .expect("the created program activates");
    (created, receipt)
}

/// The staking vault as deployed by `admin`: its extension program, the vault (`admin` its
/// admin) bound to it, and the LST the vault creates with `createToken` (activated). Returns
/// (vault, LST, the creation's receipt).
pub fn deploy_staking_vault(
    node: &Node,
    admin: Address,
    treasury: Address,
    validator_operator: Address,
) -> (Address, Address, devnode::Receipt) {
    use alloy_sol_types::SolValue;
    let deploy = |name: &str, args: Option<&[u8]>| {
        node.deploy_stylus_code(admin, &stylus_code(&release_wasm(name)), args)
            .unwrap_or_else(|e| panic!("{name} deploys: {e}"))
            .address
    };
    let extension = deploy("staking-vault-extension", None);
    let vault = deploy(
        "staking-vault",
        Some(&(admin, treasury, validator_operator, extension).abi_encode_params()),
    );
    let (token, receipt) = create_program(
        node,
        admin,
        vault,
        &crate::suite::abi::vault::IStakingVault::createTokenCall {
            code: stylus_code(&release_wasm("lst-token")).into(),
        },
    );
    (vault, token, receipt)
}
