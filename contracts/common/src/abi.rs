//! ABI words, and logs written from them.
//!
//! Every event and error of the suite has static fields only (addresses, integers, fixed
//! bytes), each one ABI word. Writing them through these helpers instead of alloy's generic
//! encoders keeps the contracts small: each field of an event or an error is appended by one
//! out-of-line writer per type ([`Word::put`]: a `uint256` becomes a big-endian word in
//! [`put_u256`]), given a pointer to the field, instead of a byte swap and copies inlined at
//! every field, and [`emit!`](crate::emit!) writes every event of static fields through one
//! function ([`log`]). The `sol!` definitions
//! stay the reference: each contract's tests compare what it emits and reverts with against
//! alloy's encoding of the same `sol!` values.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{host::VM, stylus_core::RawLogAccess};

/// A value that is one ABI word.
pub trait Word {
    /// The value as its ABI word.
    fn word(&self) -> B256;

    /// Appends the value's word to `out`, through one out-of-line writer per type: the
    /// callers (every field of every error and event) pass a pointer and no word is copied.
    fn put(&self, out: &mut Vec<u8>) {
        put_word(&self.word(), out);
    }
}

/// Appends `word` to `out`.
#[inline(never)]
pub fn put_word(word: &B256, out: &mut Vec<u8>) {
    out.extend_from_slice(&word.0);
}

/// Appends the big-endian word of `value` to `out`.
#[inline(never)]
pub fn put_u256(value: &U256, out: &mut Vec<u8>) {
    out.extend_from_slice(&u256_word(value).0);
}

/// Appends the word of `account` (left-padded with zeros) to `out`.
#[inline(never)]
pub fn put_address(account: &Address, out: &mut Vec<u8>) {
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(account.as_slice());
}

/// Appends the word of a `uint64` (or narrower) to `out`.
#[inline(never)]
pub fn put_u64(value: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(&u64_word(value).0);
}

/// A `uint256` as its big-endian ABI word (out of line: wasm has no byte swap instruction).
#[inline(never)]
#[must_use]
pub fn u256_word(value: &U256) -> B256 {
    B256::from(*value)
}

/// A 32-byte constant (an event's topic0, a role id, a type hash) written by the code from
/// four 64-bit immediates: `word!(ORACLE_ROLE)`. Used as a plain constant, it would be
/// copied from the data segment, and every data byte costs 0.75 gas in the entry charge of
/// every call to the program (docs/gas.md); in the code a constant costs nothing per call.
#[macro_export]
macro_rules! word {
    ($value:expr) => {{
        const LIMBS: [u64; 4] = $crate::abi::limbs(&$value);
        $crate::abi::from_limbs(LIMBS[0], LIMBS[1], LIMBS[2], LIMBS[3])
    }};
}

/// `word`'s bytes as four 64-bit numbers read little-endian, 8 bytes each, in order: what
/// [`from_limbs`] stores back (the representation [`word!`] passes through immediates).
#[must_use]
pub const fn limbs(word: &B256) -> [u64; 4] {
    let mut limbs = [0; 4];
    let mut i = 0;
    while i < 4 {
        let mut bytes = [0; 8];
        let mut j = 0;
        while j < 8 {
            bytes[j] = word.0[8 * i + j];
            j += 1;
        }
        limbs[i] = u64::from_le_bytes(bytes);
        i += 1;
    }
    limbs
}

/// The word whose [`limbs`] these are. Out of line, so that the limbs stay immediates at
/// each call site rather than being folded back into a constant in the data segment.
#[inline(never)]
#[must_use]
pub fn from_limbs(l0: u64, l1: u64, l2: u64, l3: u64) -> B256 {
    let mut word = B256::ZERO;
    word.0[..8].copy_from_slice(&l0.to_le_bytes());
    word.0[8..16].copy_from_slice(&l1.to_le_bytes());
    word.0[16..24].copy_from_slice(&l2.to_le_bytes());
    word.0[24..].copy_from_slice(&l3.to_le_bytes());
    word
}

/// A `uint64` (or narrower) as its ABI word.
#[inline(never)]
#[must_use]
pub fn u64_word(value: u64) -> B256 {
    let mut word = B256::ZERO;
    word.0[24..].copy_from_slice(&value.to_be_bytes());
    word
}

impl Word for U256 {
    fn word(&self) -> B256 {
        u256_word(self)
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_u256(self, out);
    }
}

impl Word for Address {
    fn word(&self) -> B256 {
        self.into_word()
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_address(self, out);
    }
}

impl Word for B256 {
    fn word(&self) -> B256 {
        *self
    }
}

impl Word for u64 {
    fn word(&self) -> B256 {
        u64_word(*self)
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_u64(*self, out);
    }
}

impl Word for u16 {
    fn word(&self) -> B256 {
        u64_word(u64::from(*self))
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_u64(u64::from(*self), out);
    }
}

impl Word for u8 {
    fn word(&self) -> B256 {
        u64_word(u64::from(*self))
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_u64(u64::from(*self), out);
    }
}

impl Word for bool {
    fn word(&self) -> B256 {
        u64_word(u64::from(*self))
    }

    fn put(&self, out: &mut Vec<u8>) {
        put_u64(u64::from(*self), out);
    }
}

/// `sol!` for a contract's events and errors. With `export-abi` it adds `#[sol(abi)]` (alloy's
/// JSON ABI of each item, which needs alloy's `json` feature), from which the exported ABI
/// prints every event and error with its parameter names; the wasm build is unchanged.
#[macro_export]
macro_rules! sol_abi {
    ($($item:tt)*) => {
        #[cfg(feature = "export-abi")]
        ::alloy_sol_types::sol! {
            #![sol(abi)]
            $($item)*
        }
        #[cfg(not(feature = "export-abi"))]
        ::alloy_sol_types::sol! {
            $($item)*
        }
    };
}

/// `prefix`, then the words' bytes one after the other: one copy per word, not a collect
/// byte by byte. Calldata (a selector prefix), revert data and logs are built with it.
#[must_use]
pub fn prefixed(prefix: &[u8], words: &[B256]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(prefix.len() + 32 * words.len());
    bytes.extend_from_slice(prefix);
    for word in words {
        bytes.extend_from_slice(word.as_slice());
    }
    bytes
}

/// The words' bytes one after the other ([`prefixed`] with no prefix).
#[must_use]
pub fn concat(words: &[B256]) -> Vec<u8> {
    prefixed(&[], words)
}

/// Appends a dynamic `string` or `bytes` body: its length word, then `bytes` padded with
/// zeros to whole words.
pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u64_word(bytes.len() as u64).0);
    out.extend_from_slice(bytes);
    out.resize(
        out.len() + bytes.len().next_multiple_of(32) - bytes.len(),
        0,
    );
}

/// Writes a log whose first `topics` words are its topics (topic0 first) and the rest its
/// data.
#[inline(never)]
pub fn emit(vm: &VM, topics: usize, words: &[B256]) {
    vm.emit_log(&concat(words), topics);
}

/// The start of a log of `words` words ([`crate::emit!`]): topic0 from its limbs (immediates, as
/// [`word!`] writes it); [`Word::put`] appends the rest and [`log`] writes it.
#[inline(never)]
#[must_use]
pub fn log_start(words: usize, l0: u64, l1: u64, l2: u64, l3: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * words);
    out.extend_from_slice(&from_limbs(l0, l1, l2, l3).0);
    out
}

/// Writes a log whose first `topics` words of `words` are its topics (topic0 first) and the
/// rest its data.
#[inline(never)]
pub fn log(vm: &VM, words: &[u8], topics: usize) {
    vm.emit_log(words, topics);
}

/// Writes a log with `topics` (topic0 first) whose data is one dynamic `string` or `bytes`
/// field: the offset word (0x20), the length word, then `bytes` padded to whole words.
#[inline(never)]
pub fn emit_bytes(vm: &VM, topics: &[B256], bytes: &[u8]) {
    let mut data = concat(topics);
    data.extend_from_slice(&u64_word(32).0);
    put_bytes(&mut data, bytes);
    vm.emit_log(&data, topics.len());
}

/// Emits a `sol!` event: [`log_start`] with its topic0, [`Word::put`] for each field, then
/// [`log`].
/// `emit!(self.vm(), Deposited { sender: a, receiver: b; assets: c, shares: d })` lists the
/// indexed fields before the `;` (which is always there) and the data fields after it, each
/// in declaration order.
/// Every field of the event must be listed (checked at compile time); the order is checked
/// by the contract's tests against alloy's encoding of the event.
#[macro_export]
macro_rules! emit {
    ($vm:expr, $event:path {
        $($topic:ident: $topic_value:expr),* ; $($field:ident: $value:expr),* $(,)?
    }) => {{
        const LIMBS: [u64; 4] =
            $crate::abi::limbs(&<$event as ::alloy_sol_types::SolEvent>::SIGNATURE_HASH);
        // Never called: fails to compile unless every field of the event is listed.
        let _ = |event: $event| {
            let $event { $($topic: _,)* $($field: _,)* } = event;
        };
        #[allow(unused_mut)] // events with topic0 only
        let mut words = $crate::abi::log_start(
            1 + <[&str]>::len(&[$(stringify!($topic),)* $(stringify!($field)),*]),
            LIMBS[0],
            LIMBS[1],
            LIMBS[2],
            LIMBS[3],
        );
        $($crate::abi::Word::put(&$topic_value, &mut words);)*
        $($crate::abi::Word::put(&$value, &mut words);)*
        $crate::abi::log($vm, &words, 1 + <[&str]>::len(&[$(stringify!($topic)),*]));
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_big_endian_and_left_padded() {
        let value: U256 = U256::from(0x0102_0304_u64) << 200_usize;
        assert_eq!(value.word(), B256::from(value.to_be_bytes::<32>()));
        assert_eq!(
            0x0102_0304_0506_0708_u64.word(),
            B256::from(U256::from(0x0102_0304_0506_0708_u64))
        );
        assert_eq!(7_u16.word(), B256::from(U256::from(7)));
        assert_eq!(200_u8.word(), B256::from(U256::from(200)));
        assert_eq!(true.word(), B256::from(U256::from(1)));
        let account = Address::repeat_byte(0xab);
        assert_eq!(account.word(), account.into_word());
    }

    #[test]
    fn a_word_survives_its_limbs() {
        let word = B256::from(U256::from(0x0102_0304_0506_0708_u64) << 190_usize | U256::from(9));
        let [l0, l1, l2, l3] = limbs(&word);
        assert_eq!(from_limbs(l0, l1, l2, l3), word);
        assert_eq!(
            crate::word!(crate::access::ORACLE_ROLE),
            crate::access::ORACLE_ROLE
        );
        assert_eq!(from_limbs(1, 0, 0, 0).0[0], 1);
    }

    alloy_sol_types::sol! {
        event Named(address indexed who, string name);
    }

    #[test]
    fn a_bytes_log_is_the_abi_encoding_of_one_dynamic_field() {
        use alloy_sol_types::SolEvent;
        use stylus_sdk::testing::TestVM;

        let who = Address::repeat_byte(0x11);
        for name in [
            "",
            "x",
            &"a".repeat(32),
            &"ipfs://operator/metadata.json".repeat(3),
        ] {
            let vm = TestVM::default();
            let host = VM {
                host: alloc::boxed::Box::new(vm.clone()),
            };
            emit_bytes(
                &host,
                &[Named::SIGNATURE_HASH, who.into_word()],
                name.as_bytes(),
            );
            let expected = Named {
                who,
                name: name.into(),
            }
            .encode_log_data();
            assert_eq!(
                vm.get_emitted_logs(),
                [(expected.topics().to_vec(), expected.data.to_vec())]
            );
        }
    }
}
