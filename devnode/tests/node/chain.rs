//! The node's chain API: snapshots, time, blocks, fees and invalid transactions.

use alloy_primitives::{Address, U256};
use devnode::{NodeError, Tx};

use crate::support::{ether, evm_counter, evm_init_code, node, ALICE, BOB};

#[test]
fn a_snapshot_restores_state_block_and_time() {
    let node = node();
    let counter = node
        .deploy_evm(ALICE, evm_init_code(&evm_counter()))
        .unwrap();
    let add = |n: u64| {
        node.send(Tx::call(
            ALICE,
            counter,
            U256::from(n).to_be_bytes::<32>().to_vec(),
        ))
        .unwrap()
    };
    add(5);
    let (block, time, alice) = (node.block_number(), node.timestamp(), node.balance(ALICE));
    let snapshot = node.snapshot();
    add(7);
    node.warp(3_600);
    node.fund(BOB, ether(1));
    assert_eq!(node.storage(counter, U256::ZERO), U256::from(12));
    node.revert(snapshot).unwrap();
    assert_eq!(node.storage(counter, U256::ZERO), U256::from(5));
    assert_eq!((node.block_number(), node.timestamp()), (block, time));
    assert_eq!(node.balance(ALICE), alice);
    assert_eq!(node.balance(BOB), ether(1_000));
    // A snapshot is consumed by reverting to it.
    assert!(matches!(
        node.revert(snapshot),
        Err(NodeError::UnknownSnapshot(_))
    ));
}

#[test]
fn each_transaction_is_a_block_and_pays_the_base_fee() {
    let node = node();
    let before = (node.block_number(), node.balance(ALICE), node.nonce(ALICE));
    let receipt = node
        .send(Tx::call(ALICE, BOB, vec![]).value(ether(2)))
        .unwrap();
    assert!(receipt.success);
    assert_eq!(receipt.gas_used, 21_000);
    assert_eq!(receipt.block_number, before.0 + 1);
    let fee = U256::from(21_000 * node.config().basefee);
    assert_eq!(node.balance(ALICE), before.1 - ether(2) - fee);
    assert_eq!(node.balance(BOB), ether(1_002));
    assert_eq!(node.nonce(ALICE), before.2 + 1);
}

#[test]
fn a_transaction_without_funds_for_gas_is_invalid_and_not_mined() {
    let node = node();
    let poor = Address::repeat_byte(0x12);
    let block = node.block_number();
    let error = node.send(Tx::call(poor, BOB, vec![])).unwrap_err();
    assert!(matches!(error, NodeError::InvalidTransaction(_)), "{error}");
    assert_eq!(node.block_number(), block);
}
