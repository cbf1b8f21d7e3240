//! The hostios the SDK reaches only through `unsafe` (math, transient storage, creates,
//! delegate calls, `exit_early`) and the error paths of the others, driven by small wat
//! programs, against Nitro's documented semantics.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use devnode::{program, Node, NodeConfig, NodeError, Tx};

use crate::{
    hostio_probe::HostioProbe as P,
    support::{
        deploy, ether, evm_counter, evm_init_code, node, program as wat_program, release_wasm,
        ALICE,
    },
};

/// `op(1) a(32) b(32) m(32)` → the math hostio `op` (0 `math_div`, 1 `math_mod`, 2
/// `math_pow`, 3 `math_add_mod`, 4 `math_mul_mod`) on them.
fn math() -> Vec<u8> {
    wat_program(
        &[
            "read_args",
            "write_result",
            "math_div",
            "math_mod",
            "math_pow",
            "math_add_mod",
            "math_mul_mod",
        ],
        r"
        (call $read_args (i32.const 0))
        (block $done (block $mulmod (block $addmod (block $pow (block $mod (block $div
          (br_table $div $mod $pow $addmod $mulmod (i32.load8_u (i32.const 0))))
          (call $math_div (i32.const 1) (i32.const 33)) (br $done))
          (call $math_mod (i32.const 1) (i32.const 33)) (br $done))
          (call $math_pow (i32.const 1) (i32.const 33)) (br $done))
          (call $math_add_mod (i32.const 1) (i32.const 33) (i32.const 65)) (br $done))
          (call $math_mul_mod (i32.const 1) (i32.const 33) (i32.const 65)))
        (call $write_result (i32.const 1) (i32.const 32))
        (i32.const 0)",
    )
}

/// `kind(1) target(20) value(32) data` → calls `target` (0 call, 1 delegate call, 2 static
/// call) and returns `status(1)` followed by the return data; traps unless the returned length
/// equals `return_data_size()`.
fn caller() -> Vec<u8> {
    wat_program(
        &[
            "read_args",
            "write_result",
            "call_contract",
            "delegate_call_contract",
            "static_call_contract",
            "read_return_data",
            "return_data_size",
        ],
        r"
        (local $status i32) (local $data i32) (local $returned i32)
        (call $read_args (i32.const 0))
        (local.set $data (i32.sub (local.get $len) (i32.const 53)))
        (block $done (block $static (block $delegate (block $call
          (br_table $call $delegate $static (i32.load8_u (i32.const 0))))
          (local.set $status (call $call_contract (i32.const 1) (i32.const 53) (local.get $data)
            (i32.const 21) (i64.const -1) (i32.const 4096)))
          (br $done))
          (local.set $status (call $delegate_call_contract (i32.const 1) (i32.const 53)
            (local.get $data) (i64.const -1) (i32.const 4096)))
          (br $done))
          (local.set $status (call $static_call_contract (i32.const 1) (i32.const 53)
            (local.get $data) (i64.const -1) (i32.const 4096))))
        (if (i32.ne (i32.load (i32.const 4096)) (call $return_data_size)) (then unreachable))
        (i32.store8 (i32.const 8192) (local.get $status))
        (local.set $returned
          (call $read_return_data (i32.const 8193) (i32.const 0) (i32.const 50000)))
        (call $write_result (i32.const 8192) (i32.add (local.get $returned) (i32.const 1)))
        (i32.const 0)",
    )
}

fn caller_input(kind: u8, target: Address, value: U256, data: &[u8]) -> Vec<u8> {
    let mut input = vec![kind];
    input.extend_from_slice(target.as_slice());
    input.extend_from_slice(&value.to_be_bytes::<32>());
    input.extend_from_slice(data);
    input
}

/// `n(4)` → returns `msg_reentrant()` when `n` is 0, otherwise calls itself with `n − 1` and
/// returns what that returned (reverting when it failed).
fn recurse() -> Vec<u8> {
    wat_program(
        &[
            "read_args",
            "write_result",
            "call_contract",
            "read_return_data",
            "msg_reentrant",
            "contract_address",
        ],
        r"
        (local $n i32)
        (call $read_args (i32.const 0))
        (local.set $n (i32.load (i32.const 0)))
        (if (i32.eqz (local.get $n)) (then
          (i32.store (i32.const 0) (call $msg_reentrant))
          (call $write_result (i32.const 0) (i32.const 4))
          (return (i32.const 0))))
        (i32.store (i32.const 0) (i32.sub (local.get $n) (i32.const 1)))
        (call $contract_address (i32.const 100))
        (if (call $call_contract (i32.const 100) (i32.const 0) (i32.const 4) (i32.const 200)
              (i64.const -1) (i32.const 300))
          (then (return (i32.const 1))))
        (drop (call $read_return_data (i32.const 0) (i32.const 0) (i32.const 4)))
        (call $write_result (i32.const 0) (i32.const 4))
        (i32.const 0)",
    )
}

/// `op(1) key(32) value(32)` → op 0 caches and flushes the word, then (any op) loads it back.
fn store() -> Vec<u8> {
    wat_program(
        &[
            "read_args",
            "write_result",
            "storage_load_bytes32",
            "storage_cache_bytes32",
            "storage_flush_cache",
        ],
        r"
        (call $read_args (i32.const 0))
        (if (i32.eqz (i32.load8_u (i32.const 0))) (then
          (call $storage_cache_bytes32 (i32.const 1) (i32.const 33))
          (call $storage_flush_cache (i32.const 0))))
        (call $storage_load_bytes32 (i32.const 1) (i32.const 100))
        (call $write_result (i32.const 100) (i32.const 32))
        (i32.const 0)",
    )
}

/// `op(1) key(32) value(32)` → op 0 stores the transient word, then (any op) loads it back.
fn transient() -> Vec<u8> {
    wat_program(
        &[
            "read_args",
            "write_result",
            "transient_load_bytes32",
            "transient_store_bytes32",
        ],
        r"
        (call $read_args (i32.const 0))
        (if (i32.eqz (i32.load8_u (i32.const 0))) (then
          (call $transient_store_bytes32 (i32.const 1) (i32.const 33))))
        (call $transient_load_bytes32 (i32.const 1) (i32.const 100))
        (call $write_result (i32.const 100) (i32.const 32))
        (i32.const 0)",
    )
}

/// `op(1) endowment(32) salt(32) init_code` → create1 (op 0) or create2, returning the address
/// and then the return data.
fn creator() -> Vec<u8> {
    wat_program(
        &[
            "read_args",
            "write_result",
            "create1",
            "create2",
            "read_return_data",
        ],
        r"
        (local $returned i32)
        (call $read_args (i32.const 0))
        (if (i32.eqz (i32.load8_u (i32.const 0)))
          (then (call $create1 (i32.const 65) (i32.sub (local.get $len) (i32.const 65))
            (i32.const 1) (i32.const 8192) (i32.const 8300)))
          (else (call $create2 (i32.const 65) (i32.sub (local.get $len) (i32.const 65))
            (i32.const 1) (i32.const 33) (i32.const 8192) (i32.const 8300))))
        (local.set $returned
          (call $read_return_data (i32.const 8212) (i32.const 0) (i32.load (i32.const 8300))))
        (call $write_result (i32.const 8192) (i32.add (i32.const 20) (local.get $returned)))
        (i32.const 0)",
    )
}

/// `topics(1) data` → `emit_log(data, len, topics)`.
fn logger() -> Vec<u8> {
    wat_program(
        &["read_args", "emit_log"],
        r"
        (call $read_args (i32.const 0))
        (call $emit_log (i32.const 1) (i32.sub (local.get $len) (i32.const 1))
          (i32.load8_u (i32.const 0)))
        (i32.const 0)",
    )
}

fn word(value: U256) -> [u8; 32] {
    value.to_be_bytes()
}

fn run(node: &Node, program: Address, input: Vec<u8>) -> devnode::Receipt {
    node.send(Tx::call(ALICE, program, input)).unwrap()
}

fn returned(node: &Node, program: Address, input: Vec<u8>) -> Bytes {
    let receipt = run(node, program, input);
    assert!(receipt.success, "{receipt:?}");
    receipt.output
}

#[test]
fn math_hostios_follow_the_evm_opcodes() {
    let node = node();
    let math = deploy(&node, &math());
    let max = U256::MAX;
    let cases = [
        (0, U256::from(7), U256::from(2), U256::ZERO, U256::from(3)),
        (0, U256::from(7), U256::ZERO, U256::ZERO, U256::ZERO),
        (1, U256::from(7), U256::from(3), U256::ZERO, U256::from(1)),
        (1, U256::from(7), U256::ZERO, U256::ZERO, U256::ZERO),
        (2, U256::from(3), U256::from(5), U256::ZERO, U256::from(243)),
        (2, U256::from(2), U256::from(256), U256::ZERO, U256::ZERO),
        (
            2,
            U256::from(2),
            U256::from(255),
            U256::ZERO,
            U256::from(1) << 255,
        ),
        (
            3,
            max,
            U256::from(2),
            U256::from(7),
            (max % U256::from(7) + U256::from(2)) % U256::from(7),
        ),
        (3, U256::from(1), U256::from(2), U256::ZERO, U256::ZERO),
        (4, max, max, U256::from(12), U256::from(9)),
        (
            4,
            U256::from(6),
            U256::from(7),
            U256::from(5),
            U256::from(2),
        ),
        (4, U256::from(6), U256::from(7), U256::ZERO, U256::ZERO),
    ];
    for (op, a, b, m, expected) in cases {
        let input = [&[op][..], &word(a), &word(b), &word(m)].concat();
        let output = returned(&node, math, input);
        assert_eq!(
            U256::from_be_slice(&output),
            expected,
            "op {op} on {a}, {b}, {m}"
        );
    }
}

#[test]
fn transient_storage_lasts_for_the_transaction() {
    let node = node();
    let program = deploy(&node, &transient());
    let key = B256::repeat_byte(1);
    let value = B256::repeat_byte(2);
    let stored = returned(
        &node,
        program,
        [&[0][..], key.as_slice(), value.as_slice()].concat(),
    );
    assert_eq!(stored.as_ref(), value.as_slice());
    let later = returned(
        &node,
        program,
        [&[1][..], key.as_slice(), value.as_slice()].concat(),
    );
    assert_eq!(later.as_ref(), B256::ZERO.as_slice());
}

#[test]
fn creates_deploy_at_the_evm_addresses_with_the_endowment() {
    let node = node();
    let creator = deploy(&node, &creator());
    node.fund(creator, U256::from(1_000));
    let init = evm_init_code(&evm_counter());
    let salt = B256::repeat_byte(5);
    let input = |op: u8, endowment: u64, init: &[u8]| {
        [
            &[op][..],
            &word(U256::from(endowment)),
            salt.as_slice(),
            init,
        ]
        .concat()
    };

    let first = returned(&node, creator, input(0, 10, &init));
    let address = Address::from_slice(&first[..20]);
    assert_eq!(address, creator.create(1));
    assert_eq!(node.code(address).as_ref(), evm_counter());
    assert_eq!(node.balance(address), U256::from(10));

    let second = returned(&node, creator, input(1, 0, &init));
    let address = Address::from_slice(&second[..20]);
    assert_eq!(address, creator.create2(salt, keccak256(&init)));
    assert_eq!(node.code(address).as_ref(), evm_counter());
    // The same salt and code again: the address is taken, the create fails.
    let again = returned(&node, creator, input(1, 0, &init));
    assert_eq!(Address::from_slice(&again[..20]), Address::ZERO);

    // Init code that reverts with one byte: zero address, the revert data as return data.
    let reverting = [0x60, 0xAB, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xfd]; // MSTORE8 0 0xAB; REVERT 0 1
    let failed = returned(&node, creator, input(0, 0, &reverting));
    assert_eq!(Address::from_slice(&failed[..20]), Address::ZERO);
    assert_eq!(&failed[20..], &[0xAB]);

    // New code may start with 0xEF only as a Stylus program.
    let ef_code = evm_init_code(&[0xEF, 0x01, 0x02]);
    let refused = returned(&node, creator, input(0, 0, &ef_code));
    assert_eq!(Address::from_slice(&refused[..20]), Address::ZERO);
    let echo = program::stylus_code(&wat_program(&[], "(i32.const 0)")).unwrap();
    let stylus = returned(
        &node,
        creator,
        input(0, 0, &program::deploy_init_code(&echo)),
    );
    let address = Address::from_slice(&stylus[..20]);
    assert_ne!(address, Address::ZERO);
    assert_eq!(node.code(address).as_ref(), echo.as_slice());
}

#[test]
fn a_delegate_call_runs_the_callee_in_the_callers_storage_and_context() {
    let node = node();
    let probe = deploy(&node, &release_wasm("hostio-probe"));
    let caller = deploy(&node, &caller());
    let (key, value) = (B256::repeat_byte(8), B256::repeat_byte(9));
    let store = P::storeWordCall { key, value }.abi_encode();
    let output = returned(&node, caller, caller_input(1, probe, U256::ZERO, &store));
    assert_eq!(output.as_ref(), &[0]);
    let slot: U256 = keccak256([key.as_slice(), &[0; 32]].concat()).into();
    assert_eq!(node.storage(caller, slot), U256::from_be_bytes(value.0));
    assert_eq!(node.storage(probe, slot), U256::ZERO);

    // msg.sender and msg.value are the caller's; the address is the caller's.
    let context = P::contextCall {}.abi_encode();
    let output = returned(&node, caller, caller_input(1, probe, U256::ZERO, &context));
    assert_eq!(output[0], 0);
    let r = P::contextCall::abi_decode_returns(&output[1..]).unwrap();
    assert_eq!((r._0, r._1, r._2, r._3), (ALICE, ALICE, U256::ZERO, caller));
}

#[test]
fn calls_return_status_and_return_data() {
    let node = node();
    let caller = deploy(&node, &caller());
    let counter = node
        .deploy_evm(ALICE, evm_init_code(&evm_counter()))
        .unwrap();
    node.fund(caller, U256::from(50));

    let ok = returned(
        &node,
        caller,
        caller_input(0, counter, U256::from(20), &word(U256::from(4))),
    );
    assert_eq!(ok.as_ref(), [&[0][..], &word(U256::from(4))].concat());
    assert_eq!(node.balance(counter), U256::from(20));
    // The counter reverts on zero: status 2, no data, and the value stays with the caller.
    let failed = returned(
        &node,
        caller,
        caller_input(0, counter, U256::from(20), &word(U256::ZERO)),
    );
    assert_eq!(failed.as_ref(), &[2]);
    assert_eq!(node.balance(caller), U256::from(30));
    // A static call into a contract that writes fails with status 2.
    let static_write = returned(
        &node,
        caller,
        caller_input(2, counter, U256::ZERO, &word(U256::from(1))),
    );
    assert_eq!(static_write.as_ref(), &[2]);
    assert_eq!(node.storage(counter, U256::ZERO), U256::from(4));
    // Value beyond the balance: the transfer fails, status 2.
    let broke = returned(
        &node,
        caller,
        caller_input(0, counter, ether(1), &word(U256::from(1))),
    );
    assert_eq!(broke.as_ref(), &[2]);
}

#[test]
fn exit_early_ends_with_the_written_result() {
    let node = node();
    let program = deploy(
        &node,
        &wat_program(
            &["read_args", "write_result", "exit_early"],
            r"
            (call $read_args (i32.const 0))
            (call $write_result (i32.const 1) (i32.sub (local.get $len) (i32.const 1)))
            (call $exit_early (i32.load8_u (i32.const 0)))
            unreachable",
        ),
    );
    let ok = run(&node, program, vec![0, 7, 8]);
    assert!(ok.success);
    assert_eq!(ok.output.as_ref(), &[7, 8]);
    let reverted = run(&node, program, vec![1, 9]);
    assert!(!reverted.success);
    assert_eq!(reverted.output.as_ref(), &[9]);
}

#[test]
fn logs_take_at_most_four_topics_and_enough_data_for_them() {
    let node = node();
    let logger = deploy(&node, &logger());
    let four = run(&node, logger, [&[4][..], &[1; 128], &[5, 6]].concat());
    assert!(four.success);
    assert_eq!(four.logs[0].topics(), &[B256::repeat_byte(1); 4]);
    assert_eq!(four.logs[0].data.data.as_ref(), &[5, 6]);
    let five = run(&node, logger, [&[5][..], &[1; 160]].concat());
    assert!(!five.success && five.output.is_empty() && five.logs.is_empty());
    let short = run(&node, logger, [&[2][..], &[1; 63]].concat());
    assert!(!short.success && short.output.is_empty());
}

#[test]
fn a_static_call_cannot_write_storage_transient_storage_logs_or_create() {
    let node = node();
    let probe = deploy(&node, &release_wasm("hostio-probe"));
    let peek = |target: Address, data: Vec<u8>| {
        node.call(
            ALICE,
            probe,
            &P::peekCall {
                to: target,
                data: data.into(),
            },
        )
    };
    let (key, value) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let write = |op: u8| [&[op][..], key.as_slice(), value.as_slice()].concat();

    let store = deploy(&node, &store());
    assert!(matches!(
        peek(store, write(0)),
        Err(NodeError::Reverted { .. })
    ));
    assert_eq!(
        peek(store, write(1)).unwrap().as_ref(),
        B256::ZERO.as_slice()
    );
    let transient = deploy(&node, &transient());
    assert!(matches!(
        peek(transient, write(0)),
        Err(NodeError::Reverted { .. })
    ));
    assert_eq!(
        peek(transient, write(1)).unwrap().as_ref(),
        B256::ZERO.as_slice()
    );
    let logger = deploy(&node, &logger());
    assert!(matches!(
        peek(logger, vec![0, 1]),
        Err(NodeError::Reverted { .. })
    ));
    let creator = deploy(&node, &creator());
    let create = [&[0][..], &[0; 64], &evm_init_code(&[0x00])].concat();
    assert!(matches!(
        peek(creator, create),
        Err(NodeError::Reverted { .. })
    ));
    // A call with value from a static context returns status 2 to the program.
    let caller = deploy(&node, &caller());
    node.fund(caller, U256::from(5));
    let with_value = caller_input(0, probe, U256::from(1), &P::contextCall {}.abi_encode());
    assert_eq!(peek(caller, with_value).unwrap().as_ref(), &[2]);
    // Without value it goes through (to an account without code: empty success).
    let without = caller_input(0, Address::repeat_byte(0x44), U256::ZERO, &[1, 2]);
    assert_eq!(peek(caller, without).unwrap().as_ref(), &[0]);
}

#[test]
fn the_storage_flush_persists_the_cached_word() {
    let node = node();
    let store = deploy(&node, &store());
    let (key, value) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let out = returned(
        &node,
        store,
        [&[0][..], key.as_slice(), value.as_slice()].concat(),
    );
    assert_eq!(out.as_ref(), value.as_slice());
    assert_eq!(
        node.storage(store, key.into()),
        U256::from_be_bytes(value.0)
    );
}

#[test]
fn a_second_frame_of_the_same_program_is_reentrant() {
    let node = node();
    let recurse = deploy(&node, &recurse());
    let top = returned(&node, recurse, 0u32.to_le_bytes().to_vec());
    assert_eq!(top.as_ref(), 0u32.to_le_bytes());
    let nested = returned(&node, recurse, 1u32.to_le_bytes().to_vec());
    assert_eq!(nested.as_ref(), 1u32.to_le_bytes());
    // The SDK's entrypoint refuses reentry: a program calling the probe that calls it back.
    let probe = deploy(&node, &release_wasm("hostio-probe"));
    let reenter = P::peekCall {
        to: probe,
        data: P::blockCall {}.abi_encode().into(),
    };
    let error = node.call(ALICE, probe, &reenter).unwrap_err();
    assert!(matches!(error, NodeError::Reverted { .. }), "{error}");
}

#[test]
fn recursion_stops_at_the_128_page_limit() {
    // Every frame of the program opens its page: 128 frames fit, the 129th runs out of gas.
    // (63/64 of the gas goes down each level, so the test sends plenty.)
    let node = Node::with_config(NodeConfig {
        block_gas_limit: u64::MAX,
        ..NodeConfig::default()
    });
    node.fund(ALICE, ether(1_000_000));
    let recurse = deploy(&node, &recurse());
    let deep = |n: u32| {
        node.send(Tx::call(ALICE, recurse, n.to_le_bytes().to_vec()).gas(1_000_000_000))
            .unwrap()
    };
    let ok = deep(127);
    assert!(ok.success, "{ok:?}");
    assert_eq!(ok.output.as_ref(), 1u32.to_le_bytes());
    let over = deep(128);
    assert!(!over.success && over.halt_reason.is_none(), "{over:?}");
}

#[test]
fn the_63_64_rule_bounds_recursion_with_an_ordinary_gas_limit() {
    let node = node();
    let recurse = deploy(&node, &recurse());
    assert!(run(&node, recurse, 100u32.to_le_bytes().to_vec()).success);
    let deep = run(&node, recurse, 1_024u32.to_le_bytes().to_vec());
    assert!(!deep.success);
    assert!(
        deep.halt_reason.is_none(),
        "the program reverts, it does not halt: {deep:?}"
    );
}
