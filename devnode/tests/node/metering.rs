//! Ink and gas: per-block opcode prices, bulk-memory bytes, running out of ink, the entry
//! charge with and without the block cache, and storage gas.

use alloy_primitives::{Address, B256};
use devnode::{
    arbwasm::{ArbWasm, ARB_WASM},
    Node, Tx,
};

use crate::support::{deploy, node, program, ALICE};

/// Returns, as 8 little-endian bytes, the ink spent between two `evm_ink_left` calls around
/// `between`.
fn ink_between(between: &str) -> Vec<u8> {
    program(
        &["read_args", "write_result", "evm_ink_left"],
        &format!(
            r"
            (local $a i64) (local $b i64) (local $i i32)
            (call $read_args (i32.const 0))
            (local.set $a (call $evm_ink_left))
            {between}
            (local.set $b (call $evm_ink_left))
            (i64.store (i32.const 0) (i64.sub (local.get $a) (local.get $b)))
            (call $write_result (i32.const 0) (i32.const 8))
            (i32.const 0)"
        ),
    )
}

fn spent(node: &Node, program: Address, input: Vec<u8>) -> u64 {
    let receipt = node.send(Tx::call(ALICE, program, input)).unwrap();
    assert!(receipt.success, "{receipt:?}");
    u64::from_le_bytes(receipt.output.as_ref().try_into().unwrap())
}

#[test]
fn ink_is_charged_per_basic_block_at_nitros_prices() {
    let node = node();
    // A loop of ten iterations between the two meter reads.
    let looping = deploy(
        &node,
        &ink_between(
            r"
            (local.set $i (i32.const 10))
            (loop $l
              (local.set $i (i32.sub (local.get $i) (i32.const 1)))
              (br_if $l (local.get $i)))",
        ),
    );
    // Blocks after the first read (each with the 2,450 header):
    //   local.set a, i32.const, local.set i, loop            210 + 1 + 210 + 1     =   422
    //   10 × (local.get, i32.const, i32.sub, local.set,
    //         local.get, br_if)                     10 × (75 + 1 + 70 + 210 + 75 + 765) = 11,960
    //   end                                                                       1
    //   call (the second read)                                                3,800
    // 13 headers (1 + 10 + 1 + 1) and the second read's own 8,400.
    let expected = 422 + 11_960 + 1 + 3_800 + 13 * 2_450 + 8_400;
    assert_eq!(spent(&node, looping, vec![]), expected);
}

#[test]
fn bulk_memory_pays_per_byte() {
    let node = node();
    let filling = deploy(
        &node,
        &ink_between("(memory.fill (i32.const 1024) (i32.const 7) (i32.load (i32.const 0)))"),
    );
    let empty_fill = spent(&node, filling, 0u32.to_le_bytes().to_vec());
    let kilobyte_fill = spent(&node, filling, 1_000u32.to_le_bytes().to_vec());
    assert_eq!(kilobyte_fill - empty_fill, 100 * 1_000);
}

#[test]
fn running_out_of_ink_consumes_all_gas() {
    let node = node();
    let spinning = deploy(&node, &program(&[], "(loop $l (br $l)) (i32.const 0)"));
    let receipt = node
        .send(Tx::call(ALICE, spinning, vec![]).gas(1_000_000))
        .unwrap();
    assert!(!receipt.success);
    assert_eq!(receipt.gas_used, 1_000_000);
    assert_eq!(receipt.halt_reason.as_deref(), Some("OutOfGas(Basic)"));
}

#[test]
fn a_program_used_again_in_the_block_pays_only_the_cached_entry() {
    let node = node();
    // Calls `target` (20 bytes of calldata) twice with empty calldata.
    let twice = deploy(
        &node,
        &program(
            &["read_args", "call_contract"],
            r"
            (call $read_args (i32.const 0))
            (drop (call $call_contract (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 100)
              (i64.const -1) (i32.const 200)))
            (drop (call $call_contract (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 100)
              (i64.const -1) (i32.const 200)))
            (i32.const 0)",
        ),
    );
    let target = deploy(&node, &program(&[], "(i32.const 0)"));
    let init = node
        .call(
            ALICE,
            ARB_WASM,
            &ArbWasm::programInitGasCall { program: target },
        )
        .unwrap();
    let once_more = node.send(Tx::call(ALICE, twice, target.to_vec())).unwrap();
    assert!(once_more.success);
    // The same transaction against an account without code: the difference is the program's
    // two entries, the first uncached, the second cached (plus the cold access of the first).
    let empty = Address::repeat_byte(0x99);
    let baseline = node.send(Tx::call(ALICE, twice, empty.to_vec())).unwrap();
    let entries = once_more.gas_used - baseline.gas_used;
    // Within a few gas: ink left is rounded down to whole gas at every frame boundary.
    let expected = init.gas + 2 * init.gasWhenCached;
    assert!(entries.abs_diff(expected) <= 4, "{entries} vs {expected}");
    assert!(init.gas > 10 * init.gasWhenCached);
}

#[test]
fn storage_loads_pay_cold_then_warm_and_the_cache_serves_repeats() {
    let node = node();
    // Loads the word `key` `n` times (n in the first calldata byte).
    let loader = deploy(
        &node,
        &program(
            &[
                "read_args",
                "storage_load_bytes32",
                "evm_ink_left",
                "write_result",
            ],
            r"
            (local $a i64) (local $n i32)
            (call $read_args (i32.const 0))
            (local.set $n (i32.load8_u (i32.const 0)))
            (local.set $a (call $evm_ink_left))
            (block $done (loop $l
              (br_if $done (i32.eqz (local.get $n)))
              (call $storage_load_bytes32 (i32.const 1) (i32.const 100))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $l)))
            (i64.store (i32.const 0) (i64.sub (local.get $a) (call $evm_ink_left)))
            (call $write_result (i32.const 0) (i32.const 8))
            (i32.const 0)",
        ),
    );
    let key = B256::repeat_byte(3);
    let cost = |n: u8| spent(&node, loader, [&[n][..], key.as_slice()].concat());
    let (one, two, three) = (cost(1), cost(2), cost(3));
    // The first load misses the cache: a cold SLOAD (2,100 gas = 21,000,000 ink) on top of the
    // hostio's 18,480 ink; later loads hit the cache (tier 0 for the first 32 reads), paying
    // only the hostio and the loop.
    let per_loop = three - two;
    assert_eq!(two - one, per_loop);
    assert!(one > 21_000_000 && one < 21_100_000, "{one}");
    assert!(per_loop > 18_480 && per_loop < 40_000, "{per_loop}");
}
