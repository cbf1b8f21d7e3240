//! The hostio-probe fixture on the node: each call's result against what Nitro's host gives.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::sol;
use devnode::{Node, CHAIN_ID, COINBASE};

use crate::support::{deploy, ether, node, release_wasm, ALICE, BOB};

sol! {
    #[derive(Debug, PartialEq, Eq)]
    interface HostioProbe {
        function context() external payable returns (address, address, uint256, address);
        function block() external view returns (uint64, uint64, uint64, uint256, address);
        function storeWord(bytes32 key, bytes32 value) external;
        function loadWord(bytes32 key) external view returns (bytes32);
        function hash(uint8[] data) external view returns (bytes32);
        function emitProbe(bytes32 topic, uint256 value) external;
        function account(address account) external view returns (uint256, uint64);
        function codeOf(address account) external view returns (bytes, bytes32);
        function meter() external view returns (uint64, uint64, uint32, uint256, uint64);
        function storeAndCall(bytes32 key, bytes32 value, address to, bytes data) external payable returns (bytes);
        function peek(address to, bytes data) external view returns (bytes);
        function sendEth(address to, uint256 amount) external;
        function grow(uint64 len) external view returns (bytes32);
        event Probed(bytes32 indexed topic, uint256 value);
    }
}

pub(crate) use HostioProbe as P;

fn probe() -> (Node, Address) {
    let node = node();
    let probe = deploy(&node, &release_wasm("hostio-probe"));
    (node, probe)
}

#[test]
fn context_reports_sender_origin_value_and_address() {
    let (node, probe) = probe();
    let sent = node
        .transact_with_value(BOB, probe, U256::from(7), &P::contextCall {})
        .unwrap();
    let r = sent.returned;
    assert_eq!((r._0, r._1, r._2, r._3), (BOB, BOB, U256::from(7), probe));
    assert_eq!(node.balance(probe), U256::from(7));
}

#[test]
fn block_getters_report_the_chain_and_the_current_block() {
    let (node, probe) = probe();
    node.warp(1_000);
    let r = node
        .transact(ALICE, probe, &P::blockCall {})
        .unwrap()
        .returned;
    let config = node.config();
    assert_eq!(r._0, CHAIN_ID);
    assert_eq!(r._1, node.block_number());
    assert_eq!(r._2, config.timestamp + 1_000);
    assert_eq!(r._3, U256::from(config.basefee));
    assert_eq!(r._4, COINBASE);
}

#[test]
fn storage_round_trips_through_the_cache_and_the_flush() {
    let (node, probe) = probe();
    let (key, value) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let stored = node
        .transact(ALICE, probe, &P::storeWordCall { key, value })
        .unwrap();
    // The flush paid a fresh SSTORE (22,100 cold); the word is in the program's storage at the
    // SDK's map slot keccak256(key . slot 0).
    assert!(
        stored.receipt.gas_used > 21_000 + 22_100,
        "{}",
        stored.receipt.gas_used
    );
    let slot = keccak256([key.as_slice(), &[0; 32]].concat());
    assert_eq!(
        node.storage(probe, slot.into()),
        U256::from_be_bytes(value.0)
    );
    let loaded = node.call(ALICE, probe, &P::loadWordCall { key }).unwrap();
    assert_eq!(loaded, value);
    let missing = node
        .call(ALICE, probe, &P::loadWordCall { key: B256::ZERO })
        .unwrap();
    assert_eq!(missing, B256::ZERO);
}

#[test]
fn keccak_is_computed_by_the_host() {
    let (node, probe) = probe();
    for data in [vec![], b"abc".to_vec(), vec![7; 200]] {
        let hash = node
            .call(ALICE, probe, &P::hashCall { data: data.clone() })
            .unwrap();
        assert_eq!(hash, keccak256(&data));
    }
}

#[test]
fn logs_carry_topics_and_data() {
    let (node, probe) = probe();
    let topic = B256::repeat_byte(9);
    let receipt = node
        .transact(
            ALICE,
            probe,
            &P::emitProbeCall {
                topic,
                value: U256::from(5),
            },
        )
        .unwrap()
        .receipt;
    assert_eq!(receipt.logs.len(), 1);
    assert_eq!(receipt.logs[0].address, probe);
    let events = receipt.events::<P::Probed>();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].topic, events[0].value), (topic, U256::from(5)));
}

#[test]
fn account_getters_read_balance_code_size_code_and_hash() {
    let (node, probe) = probe();
    node.fund(probe, U256::from(3));
    let own = node
        .call(ALICE, probe, &P::accountCall { account: probe })
        .unwrap();
    let code = node.code(probe);
    assert_eq!((own._0, own._1), (U256::from(3), code.len() as u64));
    let eoa = node
        .call(ALICE, probe, &P::accountCall { account: BOB })
        .unwrap();
    assert_eq!((eoa._0, eoa._1), (ether(1_000), 0));

    let of = node
        .call(ALICE, probe, &P::codeOfCall { account: probe })
        .unwrap();
    assert_eq!((of._0.clone(), of._1), (code.clone(), keccak256(&code)));
    // An account with a balance and no code has the empty-code hash; a missing one has zero.
    let eoa = node
        .call(ALICE, probe, &P::codeOfCall { account: BOB })
        .unwrap();
    assert_eq!((eoa._0, eoa._1), (Bytes::new(), keccak256([])));
    let missing = node
        .call(
            ALICE,
            probe,
            &P::codeOfCall {
                account: Address::repeat_byte(0x55),
            },
        )
        .unwrap();
    assert_eq!(missing._1, B256::ZERO);
}

#[test]
fn meters_report_gas_and_ink_at_the_ink_price() {
    let (node, probe) = probe();
    let r = node.call(ALICE, probe, &P::meterCall {}).unwrap();
    let (gas, ink, price, gas_price, gas_limit) = (r._0, r._1, r._2, r._3, r._4);
    assert_eq!(price, 10_000);
    // `evm_ink_left` runs after `evm_gas_left`: less ink, by at least that hostio's 8,400.
    assert!(ink + 8_400 <= gas * 10_000, "{ink} vs {gas}");
    assert!(gas * 10_000 - ink < 100_000, "{ink} vs {gas}");
    assert!(gas < 30_000_000 && gas > 29_000_000, "{gas}");
    // `eth_call` runs at gas price 0; a mined transaction at the base fee.
    assert_eq!(gas_price, U256::ZERO);
    assert_eq!(gas_limit, node.config().block_gas_limit);
    let mined = node
        .transact(ALICE, probe, &P::meterCall {})
        .unwrap()
        .returned;
    assert_eq!(mined._3, U256::from(node.config().basefee));
}

#[test]
fn memory_growth_is_paid_and_usable() {
    let (node, probe) = probe();
    let small = node
        .transact(ALICE, probe, &P::growCall { len: 64 })
        .unwrap();
    let big = node
        .transact(ALICE, probe, &P::growCall { len: 512 * 1024 })
        .unwrap();
    assert_eq!(small.returned, keccak256([0xAB; 64]));
    assert_eq!(big.returned, keccak256(vec![0xAB; 512 * 1024]));
    // Eight more pages at 1,000 gas each beyond the free ones, plus keccak and copying.
    assert!(
        big.receipt.gas_used > small.receipt.gas_used + 8 * 1_000,
        "{} vs {}",
        big.receipt.gas_used,
        small.receipt.gas_used
    );
}

#[test]
fn unknown_selectors_revert_without_data() {
    let (node, probe) = probe();
    let receipt = node
        .send(devnode::Tx::call(ALICE, probe, vec![1, 2, 3, 4]))
        .unwrap();
    assert!(!receipt.success);
    assert!(receipt.output.is_empty());
}
