//! One error enum per contract, with the shared components' errors folded in, and a compact
//! encoding.
//!
//! A contract's error enum lists its own Solidity errors and then the components' flat, so `?`
//! works on component calls and every contract exports the same component errors in its ABI.
//! [`contract_error!`] writes the enum, the `From` conversions (from each Solidity error and
//! from each component's enum), the revert-data encoding and, with `export-abi`, the error list
//! of the ABI. It replaces the SDK's `SolidityError` derive because that derive inlines a full
//! ABI encoder per variant (~640 bytes of wasm each); here every variant is a selector plus its
//! words, encoded by one shared function per field layout ([`encode`]).

use alloc::vec::Vec;

use alloy_sol_types::abi::{encode_sequence, TokenSeq};

/// Revert data of a Solidity error: its selector, then its ABI-encoded fields.
#[inline(never)]
pub fn encode<'a, T: TokenSeq<'a>>(selector: [u8; 4], fields: &T) -> Vec<u8> {
    let body = encode_sequence(fields);
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&selector);
    out.extend_from_slice(&body);
    out
}

/// Declares an error enum whose variants each wrap one Solidity error (`sol!` error struct).
///
/// - `contract_error! { pub enum E { A(ErrA), … } }`: the contract's own variants, then access
///   control, pause and math errors, with `From` conversions from
///   [`crate::access::AccessError`] and [`crate::math::MathError`];
/// - `contract_error! { pub enum E token { … } }`: the same plus the ERC-20 / EIP-2612 errors
///   and `From<`[`crate::erc20::Erc20Error`]`>`;
/// - `contract_error! { pub enum E only { … } }`: just the listed variants (a component's enum).
#[macro_export]
macro_rules! contract_error {
    ($(#[$meta:meta])* $vis:vis enum $name:ident token {
        $($(#[$vmeta:meta])* $var:ident($ty:ty)),* $(,)?
    }) => {
        $crate::contract_error!($(#[$meta])* $vis enum $name {
            $($(#[$vmeta])* $var($ty),)*
            /// ERC-6093 `ERC20InsufficientBalance`.
            Erc20InsufficientBalance($crate::erc20::ERC20InsufficientBalance),
            /// ERC-6093 `ERC20InvalidSender`.
            Erc20InvalidSender($crate::erc20::ERC20InvalidSender),
            /// ERC-6093 `ERC20InvalidReceiver`.
            Erc20InvalidReceiver($crate::erc20::ERC20InvalidReceiver),
            /// ERC-6093 `ERC20InsufficientAllowance`.
            Erc20InsufficientAllowance($crate::erc20::ERC20InsufficientAllowance),
            /// ERC-6093 `ERC20InvalidApprover`.
            Erc20InvalidApprover($crate::erc20::ERC20InvalidApprover),
            /// ERC-6093 `ERC20InvalidSpender`.
            Erc20InvalidSpender($crate::erc20::ERC20InvalidSpender),
            /// EIP-2612 `ERC2612ExpiredSignature`.
            ExpiredSignature($crate::erc20::ERC2612ExpiredSignature),
            /// EIP-2612 `ERC2612InvalidSigner`.
            InvalidSigner($crate::erc20::ERC2612InvalidSigner),
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
    ($(#[$meta:meta])* $vis:vis enum $name:ident only {
        $($(#[$vmeta:meta])* $var:ident($ty:ty)),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vmeta])* $var($ty),)*
        }
        $(
            impl From<$ty> for $name {
                fn from(e: $ty) -> Self {
                    Self::$var(e)
                }
            }
        )*
        impl From<$name> for ::alloc::vec::Vec<u8> {
            fn from(e: $name) -> Self {
                use ::alloy_sol_types::SolError;
                match e {
                    $($name::$var(e) => $crate::errors::encode(<$ty>::SELECTOR, &e.tokenize()),)*
                }
            }
        }
        #[cfg(feature = "export-abi")]
        impl ::stylus_sdk::abi::export::internal::InnerTypes for $name {
            fn inner_types() -> ::alloc::vec::Vec<::stylus_sdk::abi::export::internal::InnerType> {
                use ::alloy_sol_types::SolError;
                ::alloc::vec![$(
                    ::stylus_sdk::abi::export::internal::InnerType {
                        name: ::alloc::format!(
                            "error {};",
                            <$ty>::SIGNATURE.replace(',', ", ")
                        ),
                        id: ::core::any::TypeId::of::<$ty>(),
                    },
                )*]
            }
        }
    };
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $var:ident($ty:ty)),* $(,)?
    }) => {
        $crate::contract_error!($(#[$meta])* $vis enum $name only {
            $($(#[$vmeta])* $var($ty),)*
            /// `AccessControlUnauthorizedAccount`: the caller lacks the role.
            Unauthorized($crate::access::AccessControlUnauthorizedAccount),
            /// `AccessControlBadConfirmation`.
            BadConfirmation($crate::access::AccessControlBadConfirmation),
            /// `EnforcedPause`: disabled while paused.
            EnforcedPause($crate::access::EnforcedPause),
            /// `ExpectedPause`: needs the contract to be paused.
            ExpectedPause($crate::access::ExpectedPause),
            /// `MathOverflow`.
            Overflow($crate::math::MathOverflow),
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
        impl From<$crate::math::MathError> for $name {
            fn from(e: $crate::math::MathError) -> Self {
                let $crate::math::MathError::Overflow(e) = e;
                Self::Overflow(e)
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
