//! One error enum per contract, with the shared components' errors folded in.
//!
//! The SDK's `SolidityError` derive needs every variant to wrap one Solidity error, so a
//! contract's enum lists the component errors flat. [`contract_error!`] writes that enum and
//! the explicit `From` conversions from each component's enum, so `?` works on component calls
//! and every contract exports the same component errors in its ABI.

/// Declares a contract's error enum: its own variants, then the component errors
/// (ERC-20 + EIP-2612 with `token`; access control, pause and math always), with `From`
/// conversions from [`crate::erc20::Erc20Error`], [`crate::access::AccessError`] and
/// [`crate::math::MathError`].
#[macro_export]
macro_rules! contract_error {
    ($(#[$meta:meta])* $vis:vis enum $name:ident token { $($own:tt)* }) => {
        $crate::contract_error!(@enum $(#[$meta])* $vis enum $name {
            $($own)*
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
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($own:tt)* }) => {
        $crate::contract_error!(@enum $(#[$meta])* $vis enum $name { $($own)* });
    };
    (@enum $(#[$meta:meta])* $vis:vis enum $name:ident { $($variants:tt)* }) => {
        $(#[$meta])*
        #[derive(::stylus_sdk::prelude::SolidityError, Debug, PartialEq, Eq)]
        $vis enum $name {
            $($variants)*
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
        }
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
