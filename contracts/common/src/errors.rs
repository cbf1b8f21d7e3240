//! One error enum per contract, with the shared components' errors folded in, and a compact
//! encoding.
//!
//! A contract's error enum lists its own Solidity errors and then the components' flat, so `?`
//! works on component calls and every contract exports the same component errors in its ABI.
//! [`contract_error!`](crate::contract_error!) writes the enum, the `From` conversions (from
//! each Solidity error and from each component's enum), the revert-data encoding and, with
//! `export-abi`, the error list of the ABI. It replaces the SDK's `SolidityError` derive
//! because that derive inlines a full ABI encoder per variant (~640 bytes of wasm each); here
//! every variant is a selector plus its fields' words ([`start`], then one out-of-line writer
//! per field type, [`crate::abi::Word::put`], given a pointer to the field): the suite's errors
//! have static fields only.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};

/// The start of a Solidity error's revert data: its selector, with room for `fields` words
/// ([`crate::abi::Word::put`] appends them).
#[inline(never)]
#[must_use]
pub fn start(selector: [u8; 4], fields: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(4 + 32 * fields);
    data.extend_from_slice(&selector);
    data
}

/// The revert data of a failed call: the callee's own, or none when its answer could not be
/// decoded (the SDK would encode a `Panic` there, at the cost of an encoder in every contract).
#[must_use]
pub fn revert_data(error: stylus_sdk::stylus_core::calls::errors::Error) -> Vec<u8> {
    match error {
        stylus_sdk::stylus_core::calls::errors::Error::Revert(data) => data,
        stylus_sdk::stylus_core::calls::errors::Error::AbiDecodingFailed(_) => Vec::new(),
    }
}

/// `error Name(type name, …);` for the exported ABI: alloy's JSON ABI has a full signature for
/// events but not for errors, whose parameter names integrators also want.
#[cfg(feature = "export-abi")]
#[doc(hidden)]
#[must_use]
pub fn error_declaration(error: &alloy_json_abi::Error) -> alloc::string::String {
    let params: Vec<_> = error
        .inputs
        .iter()
        .map(|p| alloc::format!("{} {}", p.ty, p.name).trim_end().into())
        .collect::<Vec<alloc::string::String>>();
    alloc::format!("error {}({});", error.name, params.join(", "))
}

/// Distinct sample values for the encoding test [`contract_error!`] writes: field `n` of a
/// sample error gets `sample(n)`, so fields written out of order show up.
#[doc(hidden)]
pub trait Sample {
    /// The sample for field number `n` (from 1).
    fn sample(n: u8) -> Self;
}

impl Sample for U256 {
    fn sample(n: u8) -> Self {
        U256::from(n) << 200 | U256::from(n)
    }
}

impl Sample for Address {
    fn sample(n: u8) -> Self {
        Address::repeat_byte(n)
    }
}

impl Sample for B256 {
    fn sample(n: u8) -> Self {
        B256::repeat_byte(n)
    }
}

impl Sample for u64 {
    fn sample(n: u8) -> Self {
        u64::from(n) << 40 | u64::from(n)
    }
}

impl Sample for u16 {
    fn sample(n: u8) -> Self {
        u16::from(n) << 8 | u16::from(n)
    }
}

impl Sample for u8 {
    fn sample(n: u8) -> Self {
        n
    }
}

/// Declares an error enum whose variants each wrap one Solidity error (`sol!` error struct
/// with static fields), written with its field names in declaration order:
/// `DepositTooSmall(VaultDepositTooSmall { assets, minimum })`.
///
/// - `contract_error! { pub enum E uses(erc20, access, math, call) { … } }`: the contract's
///   own variants, then the errors of each listed component, flat, with a `From` conversion
///   from the component's enum: `erc20` ([`crate::erc20::Erc20Error`], ERC-6093 and
///   EIP-2612), `access` ([`crate::access::AccessError`], roles and pause), `math`
///   ([`crate::math::MathError`]). `call` adds `Reverted(Vec<u8>)`, the revert data of a
///   failed call to another contract passed on unchanged, with `From` the SDK's call error.
/// - `contract_error! { pub enum E only { … } }`: just the listed variants (a component's enum).
///
/// Each variant encodes as its selector and one word per field ([`crate::abi::Word`]); the
/// struct pattern in the encoder fails to compile unless every field is listed, and the
/// generated test `contract_error_encodes_every_variant_as_the_abi` checks the order against
/// alloy's encoding in every crate that declares errors.
#[macro_export]
macro_rules! contract_error {
    ($(#[$meta:meta])* $vis:vis enum $name:ident uses($($component:ident),* $(,)?)
        $(events($($event:path),* $(,)?))? {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $crate::contract_error!(@with [$(#[$meta])* $vis enum $name $(events($($event),*))?]
            $name [$($component)*] [] {
            $($(#[$vmeta])* $var($ty { $($field),* }),)*
        });
    };
    (@with [$($head:tt)*] $name:ident [erc20 $($rest:ident)*] [$($raw:ident)?] {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $crate::contract_error!(@with [$($head)*] $name [$($rest)*] [$($raw)?] {
            $($(#[$vmeta])* $var($ty { $($field),* }),)*
            /// ERC-6093 `ERC20InsufficientBalance`.
            Erc20InsufficientBalance($crate::erc20::ERC20InsufficientBalance {
                sender, balance, needed
            }),
            /// ERC-6093 `ERC20InvalidSender`.
            Erc20InvalidSender($crate::erc20::ERC20InvalidSender { sender }),
            /// ERC-6093 `ERC20InvalidReceiver`.
            Erc20InvalidReceiver($crate::erc20::ERC20InvalidReceiver { receiver }),
            /// ERC-6093 `ERC20InsufficientAllowance`.
            Erc20InsufficientAllowance($crate::erc20::ERC20InsufficientAllowance {
                spender, allowance, needed
            }),
            /// ERC-6093 `ERC20InvalidApprover`.
            Erc20InvalidApprover($crate::erc20::ERC20InvalidApprover { approver }),
            /// ERC-6093 `ERC20InvalidSpender`.
            Erc20InvalidSpender($crate::erc20::ERC20InvalidSpender { spender }),
            /// EIP-2612 `ERC2612ExpiredSignature`.
            ExpiredSignature($crate::erc20::ERC2612ExpiredSignature { deadline }),
            /// EIP-2612 `ERC2612InvalidSigner`.
            InvalidSigner($crate::erc20::ERC2612InvalidSigner { signer, owner }),
        });
        impl From<$crate::erc20::Erc20Error> for $name {
            fn from(e: $crate::erc20::Erc20Error) -> Self {
                use $crate::erc20::Erc20Error as E;
                match e {
                    E::InsufficientBalance(e) => Self::Erc20InsufficientBalance(e),
                    E::InvalidSender(e) => Self::Erc20InvalidSender(e),
                    E::InvalidReceiver(e) => Self::Erc20InvalidReceiver(e),
                    E::InsufficientAllowance(e) => Self::Erc20InsufficientAllowance(e),
                    E::InvalidApprover(e) => Self::Erc20InvalidApprover(e),
                    E::InvalidSpender(e) => Self::Erc20InvalidSpender(e),
                    E::ExpiredSignature(e) => Self::ExpiredSignature(e),
                    E::InvalidSigner(e) => Self::InvalidSigner(e),
                }
            }
        }
    };
    (@with [$($head:tt)*] $name:ident [access $($rest:ident)*] [$($raw:ident)?] {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $crate::contract_error!(@with [$($head)*] $name [$($rest)*] [$($raw)?] {
            $($(#[$vmeta])* $var($ty { $($field),* }),)*
            /// `AccessControlUnauthorizedAccount`: the caller lacks the role.
            Unauthorized($crate::access::AccessControlUnauthorizedAccount {
                account, neededRole
            }),
            /// `AccessControlBadConfirmation`.
            BadConfirmation($crate::access::AccessControlBadConfirmation {}),
            /// `EnforcedPause`: disabled while paused.
            EnforcedPause($crate::access::EnforcedPause {}),
            /// `ExpectedPause`: needs the contract to be paused.
            ExpectedPause($crate::access::ExpectedPause {}),
        });
        impl From<$crate::access::AccessError> for $name {
            fn from(e: $crate::access::AccessError) -> Self {
                use $crate::access::AccessError as E;
                match e {
                    E::Unauthorized(e) => Self::Unauthorized(e),
                    E::BadConfirmation(e) => Self::BadConfirmation(e),
                    E::EnforcedPause(e) => Self::EnforcedPause(e),
                    E::ExpectedPause(e) => Self::ExpectedPause(e),
                }
            }
        }
    };
    (@with [$($head:tt)*] $name:ident [math $($rest:ident)*] [$($raw:ident)?] {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $crate::contract_error!(@with [$($head)*] $name [$($rest)*] [$($raw)?] {
            $($(#[$vmeta])* $var($ty { $($field),* }),)*
            /// `MathOverflow`.
            Overflow($crate::math::MathOverflow {}),
        });
        impl From<$crate::math::MathError> for $name {
            fn from(e: $crate::math::MathError) -> Self {
                let $crate::math::MathError::Overflow(e) = e;
                Self::Overflow(e)
            }
        }
    };
    (@with [$($head:tt)*] $name:ident [call $($rest:ident)*] [] {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $crate::contract_error!(@with [$($head)*] $name [$($rest)*] [Reverted] {
            $($(#[$vmeta])* $var($ty { $($field),* }),)*
        });
    };
    (@with [$($head:tt)*] $name:ident [] [$($raw:ident)?] {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $crate::contract_error!($($head)* only $([$raw])? {
            $($(#[$vmeta])* $var($ty { $($field),* }),)*
        });
    };
    ($(#[$meta:meta])* $vis:vis enum $name:ident $(events($($event:path),* $(,)?))?
        only $([$raw:ident])? {
        $($(#[$vmeta:meta])* $var:ident($ty:path { $($field:ident),* })),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vmeta])* $var($ty),)*
            $(
                /// A call to another contract failed; its revert data, passed on unchanged.
                $raw(::alloc::vec::Vec<u8>),
            )?
        }
        $(
            impl From<$ty> for $name {
                fn from(e: $ty) -> Self {
                    Self::$var(e)
                }
            }
        )*
        $(
            impl From<::stylus_sdk::stylus_core::calls::errors::Error> for $name {
                fn from(e: ::stylus_sdk::stylus_core::calls::errors::Error) -> Self {
                    Self::$raw($crate::errors::revert_data(e))
                }
            }
        )?
        impl From<$name> for ::alloc::vec::Vec<u8> {
            #[allow(non_snake_case)] // field names are the Solidity ones
            fn from(e: $name) -> Self {
                use ::alloy_sol_types::SolError;
                match e {
                    $($name::$var(ref error) => {
                        let $ty { $($field),* } = error;
                        #[allow(unused_mut)] // errors without fields
                        let mut data = $crate::errors::start(
                            <$ty>::SELECTOR,
                            <[&str]>::len(&[$(stringify!($field)),*]),
                        );
                        $($crate::abi::Word::put($field, &mut data);)*
                        data
                    })*
                    $($name::$raw(data) => data,)?
                }
            }
        }
        #[cfg(test)]
        #[test]
        #[allow(non_snake_case, unused_assignments, unused_mut, unused_variables)]
        fn contract_error_encodes_every_variant_as_the_abi() {
            use ::alloy_sol_types::SolError;
            $({
                type Error = $ty;
                let mut n: u8 = 0;
                let error = Error {
                    $($field: {
                        n += 1;
                        $crate::errors::Sample::sample(n)
                    },)*
                };
                let expected = error.abi_encode();
                let encoded: ::alloc::vec::Vec<u8> = $name::$var(error).into();
                assert_eq!(encoded, expected, "{}", stringify!($var));
            })*
        }
        #[cfg(feature = "export-abi")]
        impl ::stylus_sdk::abi::export::internal::InnerTypes for $name {
            fn inner_types() -> ::alloc::vec::Vec<::stylus_sdk::abi::export::internal::InnerType> {
                use ::alloy_sol_types::JsonAbiExt;
                ::alloc::vec![$(
                    ::stylus_sdk::abi::export::internal::InnerType {
                        name: $crate::errors::error_declaration(&<$ty>::abi()),
                        id: ::core::any::TypeId::of::<$ty>(),
                    },
                )* $($(
                    ::stylus_sdk::abi::export::internal::InnerType {
                        name: ::alloc::format!("{};", <$event>::abi().full_signature()),
                        id: ::core::any::TypeId::of::<$event>(),
                    },
                )*)?]
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolError;

    use crate::{
        access::{AccessError, EnforcedPause},
        erc20::{ERC20InsufficientBalance, Erc20Error},
    };

    #[test]
    fn compact_encoding_equals_the_abi_encoding() {
        let error = ERC20InsufficientBalance {
            sender: Address::repeat_byte(7),
            balance: U256::from(1),
            needed: U256::from(2),
        };
        let expected = error.abi_encode();
        let encoded: alloc::vec::Vec<u8> = Erc20Error::InsufficientBalance(error).into();
        assert_eq!(encoded, expected);
    }

    #[test]
    fn an_error_without_fields_is_just_its_selector() {
        let encoded: alloc::vec::Vec<u8> = AccessError::EnforcedPause(EnforcedPause {}).into();
        assert_eq!(encoded, EnforcedPause::SELECTOR.to_vec());
        assert_eq!(encoded, EnforcedPause {}.abi_encode());
    }
}
