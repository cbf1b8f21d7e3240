//! The suite's hand-written router: calldata → method → return data.
//!
//! The SDK's `#[public]` still declares every contract's ABI (export-abi, the golden ABIs) and
//! its `Router`; [`router!`](crate::router!) replaces only what runs on chain. The SDK's router
//! decodes each argument list with alloy's generic decoder and encodes each return type with
//! its generic encoder, one instance per signature: the largest part of every contract. The
//! suite's arguments are ABI words (addresses, integers, fixed bytes, booleans) and a few
//! dynamic arrays and strings; [`Args`] reads them with one reader per type, and [`Returns`]
//! writes the results from words.
//!
//! What it keeps from the SDK's router, so a call behaves the same on either:
//! - the export and its prologue: `#[entrypoint]` on the routing function gives the SDK's
//!   `user_entrypoint` (reentrancy refused, storage cache flushed, result written);
//! - an unknown selector, calldata under four bytes or value sent to a non-payable function
//!   revert with no data (a contract split over two programs sends an unknown selector to
//!   its fallback route instead: [`router!`](crate::router!));
//! - arguments are validated as alloy's `abi_decode_params_validate` does: a word that is not
//!   a valid value of its type (an address or a `uint16` with high bits set, a `bool` other
//!   than 0 or 1), an offset or a length out of the calldata, or a string that is not UTF-8
//!   revert with no data; bytes after the arguments are ignored, as Solidity does;
//! - the constructor runs once, guarded as the SDK guards it ([`constructor_guard`]).
//!
//! Each contract's tests check its routes against its golden ABI (every function routed, with
//! its selector and payability: `testing::assert_routes_match_abi`, feature `testing`).

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, FixedBytes, B256, U256};
use stylus_sdk::{abi::Bytes, ArbResult};

/// The SDK's constructor guard (`check_constructor_slot`): the first call sets a flag at
/// `keccak256("stylus_constructor")` and any later one reverts with no data. The slot is
/// written from immediates ([`crate::word!`]): the SDK's constant would sit in the data
/// segment, paid for on every call.
///
/// # Errors
/// Empty revert data when the constructor has run.
#[allow(unsafe_code)] // a storage handle at a fixed slot, as the SDK's guard makes it
pub fn constructor_guard(host: &stylus_sdk::host::VM) -> Result<(), Vec<u8>> {
    const SLOT: B256 =
        B256::new(stylus_sdk::abi::internal::CONSTRUCTOR_EXECUTED_SLOT.to_be_bytes());
    let slot = U256::from_be_bytes(crate::word!(SLOT).0);
    // SAFETY: the SDK's own flag slot, which no storage field of the suite's layouts reaches.
    let mut executed = unsafe {
        <stylus_sdk::storage::StorageBool as stylus_sdk::storage::StorageType>::new(
            slot,
            0,
            host.clone(),
        )
    };
    if executed.get() {
        return Err(Vec::new());
    }
    executed.set(true);
    Ok(())
}

/// Calldata arguments after the selector, read in order.
pub struct Args<'a> {
    data: &'a [u8],
    next: usize,
}

/// A failed read: the call reverts with no data, as the SDK's router does.
fn invalid<T>() -> Result<T, Vec<u8>> {
    Err(Vec::new())
}

impl<'a> Args<'a> {
    /// The arguments of `data` (calldata without its selector).
    #[must_use]
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, next: 0 }
    }

    /// The next argument.
    ///
    /// # Errors
    /// Empty revert data when it is missing or not a valid value of its type.
    #[inline]
    pub fn read<T: Arg>(&mut self) -> Result<T, Vec<u8>> {
        let head = self.next;
        self.next += 32;
        T::read(self.data, head)
    }
}

/// The 32 bytes at `at`, when they are in `data`.
#[inline(never)]
fn word_at(data: &[u8], at: usize) -> Result<&[u8; 32], Vec<u8>> {
    data.get(at..)
        .and_then(<[u8]>::first_chunk::<32>)
        .ok_or_else(Vec::new)
}

/// A word holding an unsigned integer that fits in its low `bytes` bytes.
#[inline(never)]
fn uint_word(data: &[u8], at: usize, bytes: usize) -> Result<&[u8; 32], Vec<u8>> {
    let word = word_at(data, at)?;
    // Four limb loads, not a basic block per byte.
    if (U256::from_be_bytes(*word).leading_zeros()) < 8 * (32 - bytes) {
        return invalid();
    }
    Ok(word)
}

/// The low eight bytes of a word already checked to fit them.
fn low_u64(word: &[u8; 32]) -> u64 {
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&word[24..]);
    u64::from_be_bytes(bytes)
}

/// A dynamic argument's body: the offset word at `head` (from the start of the arguments),
/// then the length word there; returns the length and where the elements start.
#[inline(never)]
fn tail(data: &[u8], head: usize) -> Result<(usize, usize), Vec<u8>> {
    let offset = usize::try_from(low_u64(uint_word(data, head, 4)?)).map_err(|_| Vec::new())?;
    let len = usize::try_from(low_u64(uint_word(data, offset, 4)?)).map_err(|_| Vec::new())?;
    let start = offset.checked_add(32).ok_or_else(Vec::new)?;
    Ok((len, start))
}

/// One argument type: how it is read from the arguments, its head word at `head`.
pub trait Arg: Sized {
    /// Reads the argument whose head word is at `head`.
    ///
    /// # Errors
    /// Empty revert data when it is missing or invalid.
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>>;
}

impl Arg for U256 {
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        Ok(U256::from_be_bytes(*word_at(data, head)?))
    }
}

impl Arg for B256 {
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        Ok(B256::new(*word_at(data, head)?))
    }
}

impl Arg for FixedBytes<4> {
    /// `bytes4`: left-aligned, the rest of the word zero.
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        let word = word_at(data, head)?;
        // Four limb loads, not a loop over 28 bytes.
        if U256::from_be_bytes(*word).trailing_zeros() < 8 * 28 {
            return invalid();
        }
        Ok(FixedBytes([word[0], word[1], word[2], word[3]]))
    }
}

impl Arg for Address {
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        Ok(Address::from_slice(&uint_word(data, head, 20)?[12..]))
    }
}

impl Arg for bool {
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        match low_u64(uint_word(data, head, 1)?) {
            0 => Ok(false),
            1 => Ok(true),
            _ => invalid(),
        }
    }
}

/// `uintN` arguments narrower than 64 bits: the word must fit the type.
macro_rules! narrow_uint_arg {
    ($($ty:ty),*) => {$(
        impl Arg for $ty {
            fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
                let value = low_u64(uint_word(data, head, size_of::<$ty>())?);
                <$ty>::try_from(value).map_err(|_| Vec::new())
            }
        }
    )*};
}
narrow_uint_arg!(u8, u16, u32, u64);

/// A `bytes` or `string` argument's bytes.
#[inline(never)]
fn tail_bytes(data: &[u8], head: usize) -> Result<&[u8], Vec<u8>> {
    let (len, start) = tail(data, head)?;
    start
        .checked_add(len)
        .and_then(|end| data.get(start..end))
        .ok_or_else(Vec::new)
}

impl Arg for Bytes {
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        // A static buffer: a program's memory ends with its call, and `Bytes::from(Vec)` would
        // bring in the shared-buffer code of the `bytes` crate (and a jump table of it, which
        // sits in the data segment).
        Ok(Bytes::from_static(tail_bytes(data, head)?.to_vec().leak()))
    }
}

impl Arg for String {
    #[allow(unsafe_code)] // UTF-8 checked by `is_utf8`, without core's 256-byte width table
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        let bytes = tail_bytes(data, head)?;
        if !is_utf8(bytes) {
            return invalid();
        }
        // Native tests cross-check every string the router reads; not in the release wasm.
        debug_assert!(core::str::from_utf8(bytes).is_ok());
        // SAFETY: `is_utf8` accepts a byte string only when every character in it is one of
        // the well-formed sequences of Unicode's table 3-7, which is what UTF-8 is (and what
        // `core::str::from_utf8` accepts: the tests compare the two on every sequence of up to
        // three bytes, every four-byte lead and random strings).
        Ok(unsafe { String::from_utf8_unchecked(bytes.to_vec()) })
    }
}

/// Whether `bytes` is well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no
/// surrogates, nothing above U+10FFFF), what `core::str::from_utf8` accepts. Written with
/// comparisons only: core's validator reads a 256-byte width table, which would sit in the
/// data segment of every program that takes a string, priced on each of its calls.
fn is_utf8(bytes: &[u8]) -> bool {
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        at += 1;
        if lead < 0x80 {
            continue;
        }
        if !(0xc2..=0xf4).contains(&lead) {
            return false;
        }
        // Continuation bytes after the lead, and the range of the first of them.
        let extra = 1 + usize::from(lead >= 0xe0) + usize::from(lead >= 0xf0);
        let low = if lead == 0xe0 {
            0xa0
        } else if lead == 0xf0 {
            0x90
        } else {
            0x80
        };
        let high = if lead == 0xed {
            0x9f
        } else if lead == 0xf4 {
            0x8f
        } else {
            0xbf
        };
        let Some(tail) = bytes.get(at..at + extra) else {
            return false;
        };
        if !(low..=high).contains(&tail[0]) || tail[1..].iter().any(|&byte| byte & 0xc0 != 0x80) {
            return false;
        }
        at += extra;
    }
    true
}

impl<T: Arg> Arg for Vec<T> {
    /// A dynamic array of one-word elements.
    fn read(data: &[u8], head: usize) -> Result<Self, Vec<u8>> {
        let (len, start) = tail(data, head)?;
        // Every element is a word in the calldata: bounds the allocation by the input.
        if len > data.len() / 32 {
            return invalid();
        }
        let elements = data.get(start..).unwrap_or_default();
        // A plain loop: `collect` into a `Result` costs an iterator adapter per type.
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            out.push(T::read(elements, i * 32)?);
        }
        Ok(out)
    }
}

/// A method's return value as return data, or its error's revert data.
pub trait Returns {
    /// The ABI encoding of the value (`Ok`), or the revert data (`Err`).
    ///
    /// # Errors
    /// The method's error, as revert data.
    fn returns(self) -> ArbResult;
}

impl Returns for () {
    fn returns(self) -> ArbResult {
        Ok(Vec::new())
    }
}

/// One value of a return tuple: a word in the head, or a body in the tail (strings and
/// arrays of words) with its offset in the head.
pub trait Encode {
    /// Whether the value is dynamic (a body in the tail).
    const DYNAMIC: bool;
    /// Appends the value's word (static) or its body: length word, then the padded bytes or
    /// the elements' words (dynamic).
    fn encode(&self, out: &mut Vec<u8>);
}

impl<T: crate::abi::Word> Encode for T {
    const DYNAMIC: bool = false;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.word().0);
    }
}

impl Encode for String {
    const DYNAMIC: bool = true;

    fn encode(&self, out: &mut Vec<u8>) {
        crate::abi::put_bytes(out, self.as_bytes());
    }
}

impl<T: crate::abi::Word> Encode for Vec<T> {
    const DYNAMIC: bool = true;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&crate::abi::u64_word(self.len() as u64).0);
        for element in self {
            out.extend_from_slice(&element.word().0);
        }
    }
}

/// Appends one element of a tuple of `count` values: its word to `head`, or its offset to
/// `head` and its body to `tail`.
fn encode_element<T: Encode>(value: &T, count: usize, head: &mut Vec<u8>, tail: &mut Vec<u8>) {
    if T::DYNAMIC {
        head.extend_from_slice(&crate::abi::u64_word((count * 32 + tail.len()) as u64).0);
        value.encode(tail);
    } else {
        value.encode(head);
    }
}

/// Tuples (and single values, as one-tuples): heads, then the dynamic elements' bodies.
macro_rules! tuple_returns {
    ($(($($name:ident),+)),*) => {$(
        impl<$($name: Encode),+> Returns for ($($name,)+) {
            #[allow(non_snake_case)]
            fn returns(self) -> ArbResult {
                let ($($name,)+) = self;
                let count = [$(stringify!($name)),+].len();
                let (mut head, mut tail) = (Vec::new(), Vec::new());
                $(encode_element(&$name, count, &mut head, &mut tail);)+
                head.append(&mut tail);
                Ok(head)
            }
        }
    )*};
}
tuple_returns!(
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F)
);

/// Single return values.
macro_rules! single_returns {
    ($($ty:ty),*) => {$(
        impl Returns for $ty {
            fn returns(self) -> ArbResult {
                (self,).returns()
            }
        }
    )*};
}
single_returns!(U256, Address, B256, bool, u8, u16, u64, String);

impl<T: crate::abi::Word> Returns for Vec<T> {
    fn returns(self) -> ArbResult {
        (self,).returns()
    }
}

impl Returns for u32 {
    fn returns(self) -> ArbResult {
        u64::from(self).returns()
    }
}

impl<T: Returns, E: Into<Vec<u8>>> Returns for Result<T, E> {
    fn returns(self) -> ArbResult {
        self.map_err(Into::into)?.returns()
    }
}

/// A route's selector and whether the function takes value, for the ABI check.
pub type Route = ([u8; 4], bool);

/// Routes calldata to a contract's methods; replaces the SDK's `#[entrypoint]` on the storage
/// struct (this macro puts `#[entrypoint]` on the routing function, `route`, unless a
/// condition says otherwise, and marks the struct as top-level storage).
///
/// ```text
/// lsr_common::router! {
///     MyContract uses(erc20, access);
///     constructor(Address);
///     "balanceOf" => balance_of(Address);
///     "deposit" => deposit(Address) payable;
/// }
/// ```
///
/// Each line names the Solidity function, the method and its argument types (the selector is
/// computed from the Solidity name and the types, as `#[public]` does), and `payable` when the
/// function takes value. The `constructor` line is optional: without it the constructor
/// selector is not routed (a token its vault creates has none). `uses` adds the routes of
/// shared ABIs: `erc20` (ERC-20 and EIP-2612,
/// [`erc20_public!`](crate::erc20_public)) and `access` (roles and pause,
/// [`access_public!`](crate::access_public)). `ROUTES` lists every route for the tests.
///
/// A contract split over two programs (the staking vault and the LRT, each with an extension
/// that it delegate-calls) declares both routers in its crate:
/// - the main one ends with `_ => method;`: a selector it does not route goes, with the whole
///   calldata, to `method(&mut self, &[u8]) -> ArbResult` instead of reverting;
/// - the other one starts with `extension`: no constructor (its program is deployed without
///   one; the constructor selector is not routed), `EXTENSION_ROUTES` and `route_extension`;
///   it declares no top-level storage, so it comes with a main router in the same crate;
/// - `#[entrypoint(CONDITION)]` before either makes its routing function the program's
///   entrypoint only where the `cfg` condition holds (a cargo feature picks the program).
#[macro_export]
macro_rules! router {
    (
        $(#[entrypoint($($cond:tt)*)])?
        extension $contract:ident $(uses($($group:ident),* $(,)?))?;
        $($sol:literal => $method:ident($($ty:ty),* $(,)?) $($pay:ident)?;)*
    ) => {
        $crate::__router!(@groups [$($($group)*)?] $contract; ();
            [$($sol => $contract::$method [$($ty),*] [$($pay)?];)*]
            (extension [$($($cond)*)?]));
    };
    (
        $(#[entrypoint($($cond:tt)*)])?
        $contract:ident $(uses($($group:ident),* $(,)?))?;
        $(constructor($($cty:ty),* $(,)?) $($cpay:ident)?;)?
        $($sol:literal => $method:ident($($ty:ty),* $(,)?) $($pay:ident)?;)*
        $(_ => $fallback:ident;)?
    ) => {
        $crate::__router!(@groups [$($($group)*)?] $contract;
            ($(constructor [$($cty),*] [$($cpay)?])?);
            [$($sol => $contract::$method [$($ty),*] [$($pay)?];)*]
            (main [$($($cond)*)?] [$($fallback)?]));
    };
}

/// [`router!`] after its shared ABIs were added to the routes.
#[doc(hidden)]
#[macro_export]
macro_rules! __router {
    (@groups [erc20 $($rest:ident)*] $c:ident; $ct:tt; [$($routes:tt)*] $mode:tt) => {
        $crate::__router!(@groups [$($rest)*] $c; $ct; [$($routes)*
            "name" => $crate::erc20::IErc20::name [] [];
            "symbol" => $crate::erc20::IErc20::symbol [] [];
            "decimals" => $crate::erc20::IErc20::decimals [] [];
            "totalSupply" => $crate::erc20::IErc20::total_supply [] [];
            "balanceOf" => $crate::erc20::IErc20::balance_of [::alloy_primitives::Address] [];
            "transfer" => $crate::erc20::IErc20::transfer
                [::alloy_primitives::Address, ::alloy_primitives::U256] [];
            "transferFrom" => $crate::erc20::IErc20::transfer_from
                [::alloy_primitives::Address, ::alloy_primitives::Address, ::alloy_primitives::U256] [];
            "approve" => $crate::erc20::IErc20::approve
                [::alloy_primitives::Address, ::alloy_primitives::U256] [];
            "allowance" => $crate::erc20::IErc20::allowance
                [::alloy_primitives::Address, ::alloy_primitives::Address] [];
            "permit" => $crate::erc20::IErc20Permit::permit
                [::alloy_primitives::Address, ::alloy_primitives::Address, ::alloy_primitives::U256,
                 ::alloy_primitives::U256, u8, ::alloy_primitives::B256, ::alloy_primitives::B256] [];
            "nonces" => $crate::erc20::IErc20Permit::nonces [::alloy_primitives::Address] [];
            "DOMAIN_SEPARATOR" => $crate::erc20::IErc20Permit::domain_separator [] [];
        ] $mode);
    };
    (@groups [access $($rest:ident)*] $c:ident; $ct:tt; [$($routes:tt)*] $mode:tt) => {
        $crate::__router!(@groups [$($rest)*] $c; $ct; [$($routes)*
            "hasRole" => $crate::access::IAccessControl::has_role
                [::alloy_primitives::B256, ::alloy_primitives::Address] [];
            "getRoleAdmin" => $crate::access::IAccessControl::get_role_admin
                [::alloy_primitives::B256] [];
            "grantRole" => $crate::access::IAccessControl::grant_role
                [::alloy_primitives::B256, ::alloy_primitives::Address] [];
            "revokeRole" => $crate::access::IAccessControl::revoke_role
                [::alloy_primitives::B256, ::alloy_primitives::Address] [];
            "renounceRole" => $crate::access::IAccessControl::renounce_role
                [::alloy_primitives::B256, ::alloy_primitives::Address] [];
            "paused" => $crate::access::IPausable::paused [] [];
            "pause" => $crate::access::IPausable::pause [] [];
            "unpause" => $crate::access::IPausable::unpause [] [];
        ] $mode);
    };
    (
        @groups [] $contract:ident; ($(constructor [$($cty:ty),*] [$($cpay:ident)?])?);
        [$($sol:literal => $f:path [$($ty:ty),*] [$($pay:ident)?];)*]
        (main [$($cond:tt)*] [$($fallback:ident)?])
    ) => {
        // SAFETY: the contract's storage struct is the program's top-level storage (what the
        // SDK's `#[entrypoint]` on the struct would declare).
        #[cfg(not(feature = "contract-client-gen"))]
        unsafe impl ::stylus_sdk::stylus_core::storage::TopLevelStorage for $contract {}

        impl $contract {
            /// Every routed function's selector and payability (the constructor excluded).
            pub const ROUTES: &'static [$crate::router::Route] = &[$(
                (::stylus_sdk::function_selector!($sol $(, $ty)*), $crate::__router_payable!($($pay)?)),
            )*];
        }

        // A private module: the SDK's `user_entrypoint` export it generates carries no docs.
        #[cfg(not(feature = "contract-client-gen"))]
        mod __lsr_router {
            #[allow(clippy::wildcard_imports)]
            use super::*;

            /// Routes one call (the SDK's `user_entrypoint` calls it).
            ///
            /// # Errors
            /// The method's revert data; no data for an unknown selector, value sent to a
            /// non-payable function or invalid arguments.
            #[cfg_attr(all($($cond)*), ::stylus_sdk::prelude::entrypoint)]
            pub fn route(
                input: ::alloc::vec::Vec<u8>,
                host: ::stylus_sdk::host::VM,
            ) -> ::stylus_sdk::ArbResult {
                $crate::__router_open!($contract, input, host => storage, selector, args);
                $(if selector == ::stylus_sdk::abi::CONSTRUCTOR_SELECTOR {
                    $crate::__router_deny_value!(storage, $($cpay)?);
                    $crate::router::constructor_guard(
                        ::stylus_sdk::prelude::HostAccess::vm(storage),
                    )?;
                    return $crate::router::Returns::returns(
                        $contract::constructor(storage, $(args.read::<$cty>()?),*),
                    );
                })?
                $crate::__router_dispatch!(storage, selector, args;
                    $($sol => $f [$($ty),*] [$($pay)?];)*);
                $crate::__router_fallback!(storage, input, $contract, $($fallback)?)
            }
        }
        #[cfg(not(feature = "contract-client-gen"))]
        pub use __lsr_router::route;
    };
    (
        @groups [] $contract:ident; ();
        [$($sol:literal => $f:path [$($ty:ty),*] [$($pay:ident)?];)*]
        (extension [$($cond:tt)*])
    ) => {
        impl $contract {
            /// Every function the extension program routes, with its payability.
            pub const EXTENSION_ROUTES: &'static [$crate::router::Route] = &[$(
                (::stylus_sdk::function_selector!($sol $(, $ty)*), $crate::__router_payable!($($pay)?)),
            )*];
        }

        // A private module: the SDK's `user_entrypoint` export it generates carries no docs.
        #[cfg(not(feature = "contract-client-gen"))]
        mod __lsr_extension_router {
            #[allow(clippy::wildcard_imports)]
            use super::*;

            /// Routes one call of the extension program: delegate-called by the main program
            /// with calldata it does not route itself, on its storage.
            ///
            /// # Errors
            /// The method's revert data; no data for an unknown selector (the constructor's
            /// included), value sent to a non-payable function or invalid arguments.
            #[cfg_attr(all($($cond)*), ::stylus_sdk::prelude::entrypoint)]
            pub fn route_extension(
                input: ::alloc::vec::Vec<u8>,
                host: ::stylus_sdk::host::VM,
            ) -> ::stylus_sdk::ArbResult {
                $crate::__router_open!($contract, input, host => storage, selector, args);
                $crate::__router_dispatch!(storage, selector, args;
                    $($sol => $f [$($ty),*] [$($pay)?];)*);
                Err(::alloc::vec::Vec::new())
            }
        }
        #[cfg(not(feature = "contract-client-gen"))]
        pub use __lsr_extension_router::route_extension;
    };
}

/// The routing function's opening: the contract's storage at slot zero as `$storage`, the
/// selector as `$selector` and the argument reader as `$args`; calldata under four bytes
/// returns no data.
#[doc(hidden)]
#[macro_export]
macro_rules! __router_open {
    ($contract:ident, $input:ident, $host:ident => $storage:ident, $selector:ident, $args:ident) => {
        #[allow(unused_imports)]
        use ::stylus_sdk::stylus_core::ValueDenier as _;
        // SAFETY: slot zero of the top-level storage, as the SDK's router does.
        let $storage = &mut unsafe {
            <$contract as ::stylus_sdk::storage::StorageType>::new(
                ::alloy_primitives::U256::ZERO,
                0,
                $host,
            )
        };
        let Some($selector) = $input.first_chunk::<4>() else {
            return Err(::alloc::vec::Vec::new());
        };
        let $selector = u32::from_be_bytes(*$selector);
        let mut $args = $crate::router::Args::new(&$input[4..]);
    };
}

/// Returns from the routing function through the first route whose selector is `selector`.
#[doc(hidden)]
#[macro_export]
macro_rules! __router_dispatch {
    (
        $storage:ident, $selector:ident, $args:ident;
        $($sol:literal => $f:path [$($ty:ty),*] [$($pay:ident)?];)*
    ) => {
        $(
            if $selector == u32::from_be_bytes(::stylus_sdk::function_selector!($sol $(, $ty)*)) {
                $crate::__router_deny_value!($storage, $($pay)?);
                return $crate::router::Returns::returns($f($storage, $($args.read::<$ty>()?),*));
            }
        )*
    };
}

/// What a selector no route takes gets: no data, or the contract's fallback method.
#[doc(hidden)]
#[macro_export]
macro_rules! __router_fallback {
    ($storage:ident, $input:ident, $contract:ident,) => {
        Err(::alloc::vec::Vec::new())
    };
    ($storage:ident, $input:ident, $contract:ident, $fallback:ident) => {
        $contract::$fallback($storage, &$input)
    };
}

/// `true` for a `payable` route.
#[doc(hidden)]
#[macro_export]
macro_rules! __router_payable {
    () => {
        false
    };
    (payable) => {
        true
    };
}

/// Refuses value for a route not marked `payable`.
#[doc(hidden)]
#[macro_export]
macro_rules! __router_deny_value {
    ($storage:ident,) => {
        $storage.deny_value("")?;
    };
    ($storage:ident, payable) => {};
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{sol_data, SolType, SolValue};

    fn read<T: Arg>(data: &[u8]) -> Result<T, Vec<u8>> {
        Args::new(data).read::<T>()
    }

    mod guarded {
        use stylus_sdk::prelude::*;

        /// A storage struct, for the SDK's own constructor guard (`check_constructor_slot`).
        #[storage]
        pub struct Guarded {}
    }
    use guarded::Guarded;

    #[test]
    fn the_constructor_guard_is_the_sdks() {
        use stylus_sdk::{
            stylus_core::{ConstructorGuard, StorageAccess},
            testing::TestVM,
        };

        let slot = stylus_sdk::abi::internal::CONSTRUCTOR_EXECUTED_SLOT;
        let host = |vm: &TestVM| stylus_sdk::host::VM {
            host: alloc::boxed::Box::new(vm.clone()),
        };
        // Ours and the SDK's, each on a fresh chain: the same flag written.
        let (ours, sdks) = (TestVM::default(), TestVM::default());
        assert_eq!(constructor_guard(&host(&ours)), Ok(()));
        let guarded = Guarded::from(&sdks);
        assert_eq!(guarded.check_constructor_slot(), Ok(()));
        host(&ours).flush_cache(false);
        host(&sdks).flush_cache(false);
        assert_ne!(ours.storage_load_bytes32(slot), B256::ZERO);
        assert_eq!(
            ours.storage_load_bytes32(slot),
            sdks.storage_load_bytes32(slot)
        );
        // Each refuses a second run, whichever of the two ran first.
        assert_eq!(constructor_guard(&host(&ours)), Err(Vec::new()));
        assert_eq!(constructor_guard(&host(&sdks)), Err(Vec::new()));
        assert_eq!(
            Guarded::from(&ours).check_constructor_slot(),
            Err(Vec::new())
        );
    }

    #[test]
    fn words_read_like_alloys_validating_decoder() {
        let address = Address::repeat_byte(0xab);
        let data = (address, U256::MAX, true, 7u16).abi_encode_params();
        let mut args = Args::new(&data);
        assert_eq!(args.read::<Address>(), Ok(address));
        assert_eq!(args.read::<U256>(), Ok(U256::MAX));
        assert_eq!(args.read::<bool>(), Ok(true));
        assert_eq!(args.read::<u16>(), Ok(7));
        // Missing arguments revert.
        assert_eq!(args.read::<U256>(), Err(Vec::new()));
        assert_eq!(read::<U256>(&[0; 31]), Err(Vec::new()));
    }

    #[test]
    fn dirty_words_are_refused() {
        let mut word = [0u8; 32];
        word[11] = 1; // one bit above an address
        assert_eq!(read::<Address>(&word), Err(Vec::new()));
        assert!(<sol_data::Address as SolType>::abi_decode_validate(&word).is_err());
        let mut word = [0u8; 32];
        word[31] = 2;
        assert_eq!(read::<bool>(&word), Err(Vec::new()));
        let mut word = [0u8; 32];
        word[29] = 1; // 2^16 does not fit a uint16
        assert_eq!(read::<u16>(&word), Err(Vec::new()));
        assert_eq!(read::<u32>(&word), Ok(1 << 16));
        let mut word = [0u8; 32];
        word[31] = 0xff;
        assert_eq!(read::<u8>(&word), Ok(0xff));
        word[30] = 1;
        assert_eq!(read::<u8>(&word), Err(Vec::new()));
    }

    #[test]
    fn dynamic_arguments_read_like_alloys_decoder() {
        let operators = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
        let weights = vec![6_000u16, 4_000];
        let uri = String::from("ipfs://operator ☺");
        let data = (operators.clone(), weights.clone(), 500u16, uri.clone()).abi_encode_params();
        let mut args = Args::new(&data);
        assert_eq!(args.read::<Vec<Address>>(), Ok(operators));
        assert_eq!(args.read::<Vec<u16>>(), Ok(weights));
        assert_eq!(args.read::<u16>(), Ok(500));
        assert_eq!(args.read::<String>(), Ok(uri));
        // Trailing bytes are ignored, as Solidity does.
        let mut longer = data.clone();
        longer.extend_from_slice(&[0xff; 7]);
        assert!(Args::new(&longer).read::<Vec<Address>>().is_ok());
    }

    /// `is_utf8` against core's validator on every sequence of one to three bytes.
    #[test]
    fn utf8_is_cores_on_every_short_sequence() {
        for a in 0..=255u8 {
            assert_eq!(is_utf8(&[a]), core::str::from_utf8(&[a]).is_ok(), "{a:02x}");
            for b in 0..=255u8 {
                let two = [a, b];
                assert_eq!(
                    is_utf8(&two),
                    core::str::from_utf8(&two).is_ok(),
                    "{two:02x?}"
                );
                for c in 0..=255u8 {
                    let three = [a, b, c];
                    assert_eq!(
                        is_utf8(&three),
                        core::str::from_utf8(&three).is_ok(),
                        "{three:02x?}"
                    );
                }
            }
        }
    }

    /// Every four-byte lead with every second byte, the third and fourth at the edges of the
    /// continuation range and just outside it.
    #[test]
    fn utf8_is_cores_on_four_byte_sequences() {
        let edges = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xff];
        for a in 0xe0..=0xffu8 {
            for b in 0..=255u8 {
                for c in edges {
                    for d in edges {
                        let four = [a, b, c, d];
                        assert_eq!(
                            is_utf8(&four),
                            core::str::from_utf8(&four).is_ok(),
                            "{four:02x?}"
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Random byte strings, and valid strings with one byte changed.
        #[test]
        fn utf8_is_cores_on_random_strings(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..48),
            text in "\\PC{0,16}",
            at in 0usize..64,
            byte in proptest::prelude::any::<u8>(),
        ) {
            proptest::prop_assert_eq!(is_utf8(&bytes), core::str::from_utf8(&bytes).is_ok());
            let mut changed = text.into_bytes();
            if !changed.is_empty() {
                let at = at % changed.len();
                changed[at] = byte;
            }
            proptest::prop_assert_eq!(is_utf8(&changed), core::str::from_utf8(&changed).is_ok());
        }
    }

    #[test]
    fn dynamic_arguments_out_of_bounds_are_refused() {
        let data = (vec![Address::repeat_byte(1)],).abi_encode_params();
        // The length claims more elements than the calldata holds.
        let mut long = data.clone();
        long[63] = 2;
        assert_eq!(read::<Vec<Address>>(&long), Err(Vec::new()));
        long[32..64].copy_from_slice(&[0xff; 32]);
        assert_eq!(read::<Vec<Address>>(&long), Err(Vec::new()));
        // The offset points past the end.
        let mut far = data.clone();
        far[31] = 0xe0;
        assert_eq!(read::<Vec<Address>>(&far), Err(Vec::new()));
        far[..32].copy_from_slice(&[0xff; 32]);
        assert_eq!(read::<Vec<Address>>(&far), Err(Vec::new()));
        // An element that is not an address.
        let mut dirty = data;
        dirty[64] = 1;
        assert_eq!(read::<Vec<Address>>(&dirty), Err(Vec::new()));
        // A string that is not UTF-8, and one longer than the calldata.
        let mut text = ("ab",).abi_encode_params();
        text[64] = 0xff;
        assert_eq!(read::<String>(&text), Err(Vec::new()));
        text[63] = 33;
        assert_eq!(read::<String>(&text), Err(Vec::new()));
    }

    #[test]
    fn returns_encode_like_alloy() {
        let address = Address::repeat_byte(9);
        assert_eq!(U256::from(5).returns(), Ok(U256::from(5).abi_encode()));
        assert_eq!(address.returns(), Ok(address.abi_encode()));
        assert_eq!(true.returns(), Ok(true.abi_encode()));
        assert_eq!(18u8.returns(), Ok(U256::from(18).abi_encode()));
        assert_eq!(77u32.returns(), Ok(U256::from(77).abi_encode()));
        assert_eq!(().returns(), Ok(Vec::new()));
        let tuple = (address, U256::from(3), 4u64);
        assert_eq!(tuple.returns(), Ok(tuple.abi_encode_params()));
        for text in ["", "Stylus Staked Ether", &"x".repeat(32), &"y".repeat(33)] {
            assert_eq!(String::from(text).returns(), Ok(text.abi_encode()));
        }
        let targets = (vec![address, Address::ZERO], vec![6_000u16, 4_000], 500u16);
        assert_eq!(targets.clone().returns(), Ok(targets.abi_encode_params()));
        let mixed = (U256::from(1), String::from("uri"), vec![U256::MAX]);
        assert_eq!(mixed.clone().returns(), Ok(mixed.abi_encode_params()));
        let list = vec![address, Address::ZERO];
        assert_eq!(list.clone().returns(), Ok(list.abi_encode()));
        assert_eq!(
            Vec::<U256>::new().returns(),
            Ok(Vec::<U256>::new().abi_encode())
        );
        let failed: Result<U256, Vec<u8>> = Err(vec![1, 2]);
        assert_eq!(failed.returns(), Err(vec![1, 2]));
    }
}
