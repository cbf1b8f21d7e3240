//! A contract's first creation: a child whose address both sides derive instead of storing.
//!
//! Every contract's nonce starts at 1 (EIP-161), so the first contract it creates with CREATE
//! lands at `keccak256(rlp([creator, 1]))[12..]`, whatever its code. A parent that creates its
//! child first computes the child's address from its own ([`first_created`]), and the child
//! recognises its parent from the caller: `first_created(caller) == this contract`. Neither
//! reads a storage slot for it (a cold slot is 2,100 gas; the hash is about 12 gas), which is
//! how a Stylus program gets what a Solidity contract keeps in an immutable.
//!
//! The child still records its creator in its storage slot 0 ([`child_init_code`]), for the
//! views that name or call its parent.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256};
use stylus_sdk::{host::VM, prelude::*};

/// The address of the first contract `creator` creates with CREATE:
/// `keccak256(0xd6 ‖ 0x94 ‖ creator ‖ 0x01)[12..]`.
#[must_use]
#[inline(never)]
pub fn first_created(vm: &VM, creator: Address) -> Address {
    let mut rlp = [0_u8; 23];
    rlp[0] = 0xd6;
    rlp[1] = 0x94;
    rlp[2..22].copy_from_slice(creator.as_slice());
    rlp[22] = 0x01;
    Address::from_word(vm.native_keccak256(&rlp))
}

/// The EVM creation code that stores its creator (the `CALLER`) in slot 0 of the new
/// contract and deploys `code` (a Stylus program's `EF F0 00` code): 13 bytes of prelude, then
/// the code.
///
/// ```text
/// 33 5f 55          CALLER PUSH0 SSTORE        slot 0 = creator
/// 61 LL LL 80       PUSH2 len DUP1
/// 60 0d 5f 39       PUSH1 13 PUSH0 CODECOPY    memory[0..len] = code
/// 5f f3             PUSH0 RETURN               deploy memory[0..len]
/// ```
///
/// Deployed code is at most 24,576 bytes (EIP-170), so two bytes hold its length; `None` for
/// code past 65,535 bytes.
#[must_use]
pub fn child_init_code(code: &[u8]) -> Option<Vec<u8>> {
    // The prelude from immediates (a byte array would sit in the data segment, paid for on
    // every call): `33 5f 55 61 LL LL 80 60`, `0d 5f 39 5f` and `f3`.
    let len = u64::from(u16::try_from(code.len()).ok()?);
    let head = 0x335f_5561_0000_8060_u64 | (len << 16);
    let mut init = Vec::with_capacity(13 + code.len());
    init.extend_from_slice(&head.to_be_bytes());
    init.extend_from_slice(&0x0d5f_395f_u32.to_be_bytes());
    init.push(0xf3);
    init.extend_from_slice(code);
    Some(init)
}

/// Creates the child as this contract's first creation: [`child_init_code`]`(code)` with
/// CREATE and no value; returns its address, [`first_created`]`(this contract)`. `None` when
/// `code` is not a Stylus program's deployed code (`EF F0 00`, at most 65,535 bytes), when the
/// creation failed (the code was refused, or the gas ran out), or when the child landed
/// elsewhere (this contract had created before): a child that is not the first creation would
/// not recognise its parent. The caller reverts on `None`, which undoes the creation and its
/// nonce bump.
#[allow(unsafe_code)] // the raw CREATE host call
#[must_use]
pub fn create_child(vm: &VM, code: &[u8]) -> Option<Address> {
    if !code.starts_with(&[0xef, 0xf0, 0x00]) {
        return None;
    }
    let init = child_init_code(code)?;
    let mut created = Address::ZERO;
    let mut revert_data_len = 0_usize;
    // SAFETY: the pointers are to live buffers of the stated lengths (the endowment a 32-byte
    // zero word). The creation code is the prelude above: it stores one word in the child and
    // returns, so nothing runs that could call back into the creator while its storage cache
    // holds unwritten values.
    unsafe {
        vm.create1(
            init.as_ptr(),
            init.len(),
            B256::ZERO.as_ptr(),
            created.as_mut_ptr(),
            &raw mut revert_data_len,
        );
    }
    (created == first_created(vm, vm.contract_address())).then_some(created)
}

/// The caller, when this contract is its first creation (the child's check of its parent,
/// with no storage read): `Ok(caller)`, else `Err(caller)`.
///
/// # Errors
/// The caller, when it is not this contract's creator.
pub fn parent_caller(vm: &VM) -> Result<Address, Address> {
    let caller = vm.msg_sender();
    if first_created(vm, caller) == vm.contract_address() {
        Ok(caller)
    } else {
        Err(caller)
    }
}
