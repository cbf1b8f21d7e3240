//! `ArbWasmCache`: the chain owner caches a program and its calls pay only the cached entry
//! charge; and what a receipt says a transaction changed (storage, newly funded accounts) and
//! where each program call's gas went.

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::SolCall;
use devnode::{
    arbwasm::{ArbWasm, ARB_WASM},
    arbwasm_cache::{ArbWasmCache, ARB_WASM_CACHE},
    program, StorageWrite, Tx, DEV_ACCOUNT,
};

use crate::{
    suite::{
        abi::{lst::ILstToken as Token, vault::IStakingVault as Vault},
        Suite,
    },
    support::{ether, evm_init_code, node, op, wat, ALICE, BOB, ECHO},
};

#[test]
fn a_cached_program_pays_only_the_cached_entry_charge_until_evicted() {
    let node = node();
    node.fund(DEV_ACCOUNT, ether(1));
    let program = node.deploy_stylus(ALICE, &wat(ECHO), None).unwrap().address;
    let code_hash = keccak256(node.code(program));
    let init = node
        .call(ALICE, ARB_WASM, &ArbWasm::programInitGasCall { program })
        .unwrap();
    let call = || node.send(Tx::call(BOB, program, vec![7])).unwrap().gas_used;
    let uncached = call();
    let is_cached = || {
        node.call(
            ALICE,
            ARB_WASM_CACHE,
            &ArbWasmCache::codehashIsCachedCall {
                codehash: code_hash,
            },
        )
        .unwrap()
    };
    assert!(!is_cached());

    // Only the chain owner (the dev account) may cache: anyone else burns all their gas.
    let refused = node
        .send(
            Tx::call(
                ALICE,
                ARB_WASM_CACHE,
                ArbWasmCache::cacheProgramCall { addr: program }.abi_encode(),
            )
            .gas(100_000),
        )
        .unwrap();
    assert!(!refused.success);
    assert_eq!(refused.gas_used, 100_000);
    assert!(!is_cached());

    let cached = node
        .send(Tx::call(
            DEV_ACCOUNT,
            ARB_WASM_CACHE,
            ArbWasmCache::cacheProgramCall { addr: program }.abi_encode(),
        ))
        .unwrap();
    assert!(cached.success);
    let events = cached.events::<ArbWasmCache::UpdateProgramCache>();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].manager, events[0].codehash, events[0].cached),
        (DEV_ACCOUNT, code_hash, true)
    );
    assert!(is_cached());
    assert_eq!(call(), uncached - init.gas);

    let evicted = node
        .send(Tx::call(
            DEV_ACCOUNT,
            ARB_WASM_CACHE,
            ArbWasmCache::evictCodehashCall {
                codehash: code_hash,
            }
            .abi_encode(),
        ))
        .unwrap();
    assert!(evicted.success);
    assert!(!is_cached());
    assert_eq!(call(), uncached);
    assert!(program::is_stylus(&node.code(program)));
}

#[test]
fn a_receipt_lists_the_slots_it_changed_and_the_accounts_it_funded() {
    let node = node();
    // SSTORE(0, CALLVALUE); SSTORE(1, 0); STOP
    let runtime = [
        op::CALLVALUE,
        op::PUSH0,
        op::SSTORE,
        op::PUSH0,
        op::PUSH1,
        1,
        op::SSTORE,
        op::STOP,
    ];
    let store = node.deploy_evm(ALICE, evm_init_code(&runtime)).unwrap();
    let first = node
        .send(Tx::call(ALICE, store, Vec::new()).value(U256::from(5)))
        .unwrap();
    assert!(first.success);
    // Slot 1 stays zero: no change, not listed.
    assert_eq!(
        first.storage_writes,
        vec![StorageWrite {
            address: store,
            slot: U256::ZERO,
            original: U256::ZERO,
            present: U256::from(5),
        }]
    );
    assert!(first.funded_new_accounts.is_empty());

    let fresh = Address::repeat_byte(0x5E);
    let paid = node
        .send(Tx::call(ALICE, fresh, Vec::new()).value(U256::from(1)))
        .unwrap();
    assert_eq!(paid.funded_new_accounts, vec![fresh]);
    assert!(paid.storage_writes.is_empty());
    let again = node
        .send(Tx::call(ALICE, fresh, Vec::new()).value(U256::from(1)))
        .unwrap();
    assert!(again.funded_new_accounts.is_empty());
}

#[test]
fn a_receipt_says_where_each_program_call_spent_its_gas() {
    let suite = Suite::deploy();
    let call = Vault::depositCall {
        receiver: suite.user(0),
    };
    let receipt = suite.send(suite.user(0), suite.vault, ether(3), &call);
    assert!(receipt.success);
    // The vault, then the LST it calls to mint.
    let [vault, lst] = receipt.program_frames.as_slice() else {
        panic!("two program calls: {:?}", receipt.program_frames);
    };
    assert_eq!(
        (vault.address, vault.depth, lst.address, lst.depth),
        (suite.vault, 0, suite.lst, 1)
    );
    assert_eq!(vault.selector, Vault::depositCall::SELECTOR);
    assert_eq!(lst.selector, Token::mintCall::SELECTOR);
    // The transaction's gas is its intrinsic and calldata gas and the vault's call; nothing
    // was refunded.
    let data = call.abi_encode();
    let zeros = data.iter().fold(0, |n, b| n + u64::from(*b == 0));
    let calldata = 4 * zeros + 16 * (u64::try_from(data.len()).unwrap() - zeros);
    assert_eq!(receipt.gas_used, 21_000 + calldata + vault.gas);
    // The vault's callee is the LST, and only the LST.
    assert_eq!((vault.calls, vault.callee_gas), (1, lst.gas));
    // Cold account access and the call's base gas.
    assert_eq!(vault.call_gas, 2_600);
    for frame in [vault, lst] {
        let init = suite.view(
            ARB_WASM,
            &ArbWasm::programInitGasCall {
                program: frame.address,
            },
        );
        // Neither is cached, and neither ran before in the block.
        assert!(frame.entry >= init.gas + init.gasWhenCached);
        assert!(frame.loads > 0 && frame.cold_loads <= frame.loads);
        assert!(frame.store_gas > 0 && frame.log_gas > 0 && frame.compute() > 0);
    }
    // The LST's mint changes the receiver's balance and logs `Transfer`: one cold load (the
    // balance; the token keeps no supply, and knows its vault by the caller, the vault's first
    // creation, without reading a stored address), one log with three topics and a word.
    assert_eq!(lst.cold_loads, 1);
    assert_eq!(lst.log_gas, 375 * 4 + 8 * 32);
}
