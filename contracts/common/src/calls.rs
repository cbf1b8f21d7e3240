//! Calls between the suite's contracts with hand-encoded calldata.
//!
//! The suite's internal calls take only static ABI words (addresses and amounts), so their
//! calldata is the selector followed by the words, built here in one place. This keeps each
//! contract free of a generated encoder and decoder per call site (`sol_interface!` stubs cost
//! about a kilobyte of wasm each); the `sol_interface!` definitions in [`crate::interfaces`] stay
//! the reference for integrators. Selectors are checked against their signatures in the tests
//! of each caller.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256};
use stylus_sdk::{
    call::{call, static_call},
    host::VM,
    prelude::Call,
    stylus_core::calls::{errors::Error, MutatingCallContext},
};

/// `selector ‖ words`: the calldata of a function whose parameters are all static words.
#[must_use]
pub fn calldata(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    crate::abi::prefixed(&selector, words)
}

/// Calls `to` with `selector ‖ words`; returns the return data. The caller's storage cache is
/// flushed first (the SDK's mutating call). `context` proves the caller holds its storage
/// mutably and carries the value: `Call::new_mutating(self)` or
/// `Call::new_payable(self, value)`.
///
/// # Errors
/// The callee's revert data.
#[inline(never)]
pub fn call_words(
    vm: &VM,
    context: impl MutatingCallContext,
    to: Address,
    selector: [u8; 4],
    words: &[B256],
) -> Result<Vec<u8>, Error> {
    call(vm, context, to, &calldata(selector, words))
}

/// [`call_words`] to a function that returns one word (a `uint256`): the word.
///
/// # Errors
/// The callee's revert data, or a decoding error when it returns less than one word (an
/// address without code answers a call successfully with nothing).
pub fn call_word(
    vm: &VM,
    context: impl MutatingCallContext,
    to: Address,
    selector: [u8; 4],
    words: &[B256],
) -> Result<B256, Error> {
    first_word(&call_words(vm, context, to, selector, words)?)
}

/// The first word of return data.
fn first_word(out: &[u8]) -> Result<B256, Error> {
    out.get(..32)
        .map(B256::from_slice)
        .ok_or(Error::AbiDecodingFailed(alloy_sol_types::Error::Overrun))
}

/// Static call of a view of `to` that takes static words and returns one word.
///
/// # Errors
/// The callee's revert data, or a decoding error when it returns less than one word (an
/// address without code returns nothing).
#[inline(never)]
pub fn view_word(vm: &VM, to: Address, selector: [u8; 4], words: &[B256]) -> Result<B256, Error> {
    first_word(&static_call(
        vm,
        Call::new(),
        to,
        &calldata(selector, words),
    )?)
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    use super::*;

    #[test]
    fn calldata_is_the_selector_then_the_words() {
        let account = Address::repeat_byte(0xab);
        let data = calldata([1, 2, 3, 4], &[account.into_word(), U256::from(7).into()]);
        assert_eq!(data.len(), 68);
        assert_eq!(&data[..4], &[1, 2, 3, 4]);
        assert_eq!(&data[4..16], &[0; 12]);
        assert_eq!(&data[16..36], account.as_slice());
        assert_eq!(data[67], 7);
        assert!(data[36..67].iter().all(|byte| *byte == 0));
    }
}
