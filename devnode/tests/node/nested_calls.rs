//! Calls across the EVM and Stylus: calldata, return data, value, logs, and rollback of every
//! level when a nested call reverts.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use devnode::{Node, NodeError, Tx};

use crate::{
    hostio_probe::HostioProbe as P,
    support::{deploy, evm_counter, evm_forwarder, evm_init_code, node, release_wasm, ALICE},
};

fn probe_and_counter() -> (Node, Address, Address) {
    let node = node();
    let probe = deploy(&node, &release_wasm("hostio-probe"));
    let counter = node
        .deploy_evm(ALICE, evm_init_code(&evm_counter()))
        .unwrap();
    (node, probe, counter)
}

fn word_slot(key: B256) -> U256 {
    keccak256([key.as_slice(), &[0; 32]].concat()).into()
}

#[test]
fn an_evm_contract_calls_a_program_with_calldata_and_value() {
    let node = node();
    let probe = deploy(&node, &release_wasm("hostio-probe"));
    let forwarder = node
        .deploy_evm(ALICE, evm_init_code(&evm_forwarder(probe)))
        .unwrap();
    let receipt = node
        .send(Tx::call(ALICE, forwarder, P::contextCall {}.abi_encode()).value(U256::from(9)))
        .unwrap();
    assert!(receipt.success, "{receipt:?}");
    let r = P::contextCall::abi_decode_returns(&receipt.output).unwrap();
    assert_eq!(
        (r._0, r._1, r._2, r._3),
        (forwarder, ALICE, U256::from(9), probe)
    );
    assert_eq!(node.balance(probe), U256::from(9));
}

#[test]
fn a_program_calls_an_evm_contract_and_reads_its_return_data() {
    let (node, probe, counter) = probe_and_counter();
    let (key, value) = (B256::repeat_byte(3), B256::repeat_byte(4));
    let sent = node
        .transact_with_value(
            ALICE,
            probe,
            U256::from(11),
            &P::storeAndCallCall {
                key,
                value,
                to: counter,
                data: U256::from(5).abi_encode().into(),
            },
        )
        .unwrap();
    assert_eq!(sent.returned, Bytes::from(U256::from(5).abi_encode()));
    assert_eq!(node.storage(counter, U256::ZERO), U256::from(5));
    assert_eq!(
        node.storage(probe, word_slot(key)),
        U256::from_be_bytes(value.0)
    );
    assert_eq!(node.balance(counter), U256::from(11));
    // The counter's log: its caller (the program) as topic, the total as data.
    let logs = &sent.receipt.logs;
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].address, counter);
    assert_eq!(logs[0].topics(), &[probe.into_word()]);
    assert_eq!(logs[0].data.data.as_ref(), U256::from(5).abi_encode());
}

#[test]
fn a_reverting_callee_rolls_back_storage_logs_and_value_of_every_level() {
    let (node, probe, counter) = probe_and_counter();
    let (key, value) = (B256::repeat_byte(3), B256::repeat_byte(4));
    // First a successful call, so there is state to keep.
    node.transact(
        ALICE,
        probe,
        &P::storeAndCallCall {
            key,
            value,
            to: counter,
            data: U256::from(2).abi_encode().into(),
        },
    )
    .unwrap();
    let alice = node.balance(ALICE);

    // The counter reverts on zero; the program passes the revert on.
    let error = node
        .transact_with_value(
            ALICE,
            probe,
            U256::from(100),
            &P::storeAndCallCall {
                key,
                value: B256::repeat_byte(0xEE),
                to: counter,
                data: U256::ZERO.abi_encode().into(),
            },
        )
        .unwrap_err();
    let NodeError::Reverted { receipt } = error else {
        panic!("{error}")
    };
    assert!(receipt.logs.is_empty());
    assert_eq!(
        node.storage(probe, word_slot(key)),
        U256::from_be_bytes(value.0)
    );
    assert_eq!(node.storage(counter, U256::ZERO), U256::from(2));
    assert_eq!(
        (node.balance(probe), node.balance(counter)),
        (U256::ZERO, U256::ZERO)
    );
    let gas_fee = U256::from(receipt.gas_used) * U256::from(node.config().basefee);
    assert_eq!(node.balance(ALICE), alice - gas_fee);
}

#[test]
fn a_static_call_into_a_writing_contract_fails() {
    let (node, probe, counter) = probe_and_counter();
    let error = node
        .transact(
            ALICE,
            probe,
            &P::peekCall {
                to: counter,
                data: U256::from(1).abi_encode().into(),
            },
        )
        .unwrap_err();
    assert!(matches!(error, NodeError::Reverted { .. }), "{error}");
    assert_eq!(node.storage(counter, U256::ZERO), U256::ZERO);
}
