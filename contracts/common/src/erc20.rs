//! ERC-20 with EIP-2612 permit, as a storage component and two public traits.
//!
//! A token contract embeds [`Erc20`] and exports the standard ABI with
//! [`erc20_public!`](crate::erc20_public!) (its name, symbol, and where the component and the
//! vault's address live) and `#[implements(IErc20, IErc20Permit)]`: every token in the suite
//! shares one implementation.
//! Errors follow ERC-6093; permits follow EIP-2612 with the EIP-712 domain
//! `(name, "1", chainid, address(this))` and reject malleable (high-s) signatures.
//!
//! The supply is not stored here: each token of the suite is minted and burned only by its
//! vault, which counts every share anyway (its `totalShares()`), and `totalSupply()` is that
//! count, read with a static call. A mint or a burn thus changes one slot here (the balance),
//! not two.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{address, b256, Address, B256, U256};
use stylus_sdk::{
    call::static_call,
    prelude::*,
    storage::{StorageMap, StorageU256},
};

crate::sol_abi! {
    /// ERC-20 transfer (and mint / burn, with the zero address on one side).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20 allowance set.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// ERC-6093: `sender` holds `balance`, less than `needed`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// ERC-6093: transfers from the zero address are not allowed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidSender(address sender);
    /// ERC-6093: transfers to the zero address are not allowed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidReceiver(address receiver);
    /// ERC-6093: `spender` may spend `allowance`, less than `needed`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// ERC-6093: approvals from the zero address are not allowed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidApprover(address approver);
    /// ERC-6093: approvals to the zero address are not allowed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidSpender(address spender);
    /// EIP-2612: the permit's deadline has passed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2612ExpiredSignature(uint256 deadline);
    /// EIP-2612: the signature was made by `signer`, not by `owner`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2612InvalidSigner(address signer, address owner);
}

crate::contract_error! {
    /// Errors of the ERC-20 component.
    pub enum Erc20Error events(Transfer, Approval) only {
    /// See [`ERC20InsufficientBalance`].
    InsufficientBalance(ERC20InsufficientBalance { sender, balance, needed }),
    /// See [`ERC20InvalidSender`].
    InvalidSender(ERC20InvalidSender { sender }),
    /// See [`ERC20InvalidReceiver`].
    InvalidReceiver(ERC20InvalidReceiver { receiver }),
    /// See [`ERC20InsufficientAllowance`].
    InsufficientAllowance(ERC20InsufficientAllowance { spender, allowance, needed }),
    /// See [`ERC20InvalidApprover`].
    InvalidApprover(ERC20InvalidApprover { approver }),
    /// See [`ERC20InvalidSpender`].
    InvalidSpender(ERC20InvalidSpender { spender }),
    /// See [`ERC2612ExpiredSignature`].
    ExpiredSignature(ERC2612ExpiredSignature { deadline }),
    /// See [`ERC2612InvalidSigner`].
    InvalidSigner(ERC2612InvalidSigner { signer, owner }),
    }
}

/// keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
pub const DOMAIN_TYPEHASH: B256 =
    b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
/// keccak256("1"), the EIP-712 domain version of every token in the suite.
pub const VERSION_HASH: B256 =
    b256!("c89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc6");
/// keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
pub const PERMIT_TYPEHASH: B256 =
    b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");
/// The ecrecover precompile.
const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");
/// secp256k1 n / 2: signatures with a larger `s` are malleable twins and rejected
/// ([`above_half_order`] compares against it).
#[cfg(test)]
const HALF_ORDER: U256 = U256::from_be_bytes(
    b256!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0").0,
);

/// `s > HALF_ORDER`, compared limb by limb against immediates: a `U256` constant would sit
/// in the data segment, which every call to the token pays for (0.75 gas per byte).
fn above_half_order(s: &U256) -> bool {
    let [l0, l1, l2, l3] = *s.as_limbs();
    (l3, l2, l1, l0)
        > (
            0x7fff_ffff_ffff_ffff,
            0xffff_ffff_ffff_ffff,
            0x5d57_6e73_57a4_501d,
            0xdfe9_2f46_681b_20a0,
        )
}

/// ERC-20 balances, allowances and EIP-2612 nonces (the supply is the minting vault's count).
#[storage]
pub struct Erc20 {
    balances: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    nonces: StorageMap<Address, StorageU256>,
}

impl Erc20 {
    /// Balance of `owner`.
    #[must_use]
    pub fn balance_of(&self, owner: Address) -> U256 {
        self.balances.get(owner)
    }

    /// Allowance of `spender` over `owner`'s tokens.
    #[must_use]
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Next permit nonce of `owner`.
    #[must_use]
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// Moves `value` from `from` to `to`.
    ///
    /// # Errors
    /// `ERC20InvalidSender` / `ERC20InvalidReceiver` for the zero address,
    /// `ERC20InsufficientBalance` when `from` holds less than `value`.
    ///
    /// # Events
    /// `Transfer(from, to, value)`.
    pub fn transfer(&mut self, from: Address, to: Address, value: U256) -> Result<(), Erc20Error> {
        if from.is_zero() {
            return Err(Erc20Error::InvalidSender(ERC20InvalidSender {
                sender: from,
            }));
        }
        if to.is_zero() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        self.debit(from, value)?;
        self.credit(to, value);
        crate::emit!(self.vm(), Transfer { from: from, to: to; value: value });
        Ok(())
    }

    /// [`Self::transfer`] for the public ABI: also refuses the token contract itself as the
    /// receiver, where nothing could ever move the tokens again. Returns `true`.
    ///
    /// # Errors
    /// As [`Self::transfer`].
    pub fn transfer_public(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Erc20Error> {
        self.reject_token_receiver(to)?;
        self.transfer(from, to, value)?;
        Ok(true)
    }

    /// Refuses the token contract itself as a receiver of transfers or mints that a user asks
    /// for: nothing could ever move tokens held there.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver(token)`.
    pub fn reject_token_receiver(&self, to: Address) -> Result<(), Erc20Error> {
        if to == self.vm().contract_address() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        Ok(())
    }

    /// Creates `value` tokens for `to`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` for the zero address.
    ///
    /// # Events
    /// `Transfer(0, to, value)`.
    ///
    /// # Panics
    /// If the balance would pass 2^256 (the vault counts the supply in 128 bits, so this
    /// cannot happen while the accounting holds).
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), Erc20Error> {
        if to.is_zero() {
            return Err(Erc20Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let mut slot = self.balances.setter(to);
        let balance = slot
            .get()
            .checked_add(value)
            .expect("Erc20::mint: balance overflow");
        slot.set(balance);
        crate::emit!(self.vm(), Transfer { from: Address::ZERO, to: to; value: value });
        Ok(())
    }

    /// Destroys `value` of `from`'s tokens.
    ///
    /// # Errors
    /// `ERC20InsufficientBalance` when `from` holds less than `value`.
    ///
    /// # Events
    /// `Transfer(from, 0, value)`.
    pub fn burn(&mut self, from: Address, value: U256) -> Result<(), Erc20Error> {
        self.debit(from, value)?;
        crate::emit!(self.vm(), Transfer { from: from, to: Address::ZERO; value: value });
        Ok(())
    }

    /// Sets `spender`'s allowance over `owner`'s tokens.
    ///
    /// # Errors
    /// `ERC20InvalidApprover` / `ERC20InvalidSpender` for the zero address.
    ///
    /// # Events
    /// `Approval(owner, spender, value)`.
    pub fn approve(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        if owner.is_zero() {
            return Err(Erc20Error::InvalidApprover(ERC20InvalidApprover {
                approver: owner,
            }));
        }
        if spender.is_zero() {
            return Err(Erc20Error::InvalidSpender(ERC20InvalidSpender { spender }));
        }
        self.allowances.setter(owner).insert(spender, value);
        crate::emit!(self.vm(), Approval { owner: owner, spender: spender; value: value });
        Ok(())
    }

    /// Uses `value` of `spender`'s allowance over `owner`'s tokens (an infinite allowance,
    /// `U256::MAX`, is not decreased).
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance` when the allowance is below `value`.
    pub fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        let mut owner_allowances = self.allowances.setter(owner);
        let mut slot = owner_allowances.setter(spender);
        let allowance = slot.get();
        if allowance == U256::MAX {
            return Ok(());
        }
        if allowance < value {
            return Err(Erc20Error::InsufficientAllowance(
                ERC20InsufficientAllowance {
                    spender,
                    allowance,
                    needed: value,
                },
            ));
        }
        slot.set(allowance - value);
        Ok(())
    }

    /// EIP-712 domain separator for a token named `name` at this address and chain.
    #[must_use]
    pub fn domain_separator(&self, name: &str) -> B256 {
        let vm = self.vm();
        let encoded = crate::abi::concat(&[
            crate::word!(DOMAIN_TYPEHASH),
            vm.native_keccak256(name.as_bytes()),
            crate::word!(VERSION_HASH),
            U256::from(vm.chain_id()).into(),
            vm.contract_address().into_word(),
        ]);
        vm.native_keccak256(&encoded)
    }

    /// EIP-2612 permit: checks the deadline and `owner`'s signature, uses the nonce and
    /// approves `spender` for `value`.
    ///
    /// # Errors
    /// `ERC2612ExpiredSignature` past the deadline, `ERC2612InvalidSigner` when the signature
    /// does not recover to `owner` (or is malformed), and the errors of [`Self::approve`].
    ///
    /// # Events
    /// `Approval(owner, spender, value)`.
    #[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
    pub fn permit(
        &mut self,
        name: &str,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Erc20Error> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(Erc20Error::ExpiredSignature(ERC2612ExpiredSignature {
                deadline,
            }));
        }
        let nonce = self.nonces.get(owner);
        let struct_hash = self.vm().native_keccak256(&crate::abi::concat(&[
            crate::word!(PERMIT_TYPEHASH),
            owner.into_word(),
            spender.into_word(),
            value.into(),
            nonce.into(),
            deadline.into(),
        ]));
        let mut digest_input = Vec::with_capacity(66);
        digest_input.extend_from_slice(&[0x19, 0x01]);
        digest_input.extend_from_slice(self.domain_separator(name).as_slice());
        digest_input.extend_from_slice(struct_hash.as_slice());
        let digest = self.vm().native_keccak256(&digest_input);
        let signer = self.recover(digest, v, r, s);
        if signer.is_zero() || signer != owner {
            return Err(Erc20Error::InvalidSigner(ERC2612InvalidSigner {
                signer,
                owner,
            }));
        }
        // Cannot overflow: a nonce grows by one per signature.
        self.nonces.insert(owner, nonce + U256::from(1));
        self.approve(owner, spender, value)
    }

    /// The address that signed `digest`, or zero for a malformed or malleable signature.
    fn recover(&self, digest: B256, v: u8, r: B256, s: B256) -> Address {
        if above_half_order(&U256::from_be_bytes(s.0)) || !(v == 27 || v == 28) {
            return Address::ZERO;
        }
        let input = crate::abi::concat(&[digest, U256::from(v).into(), r, s]);
        match static_call(self.vm(), Call::new(), ECRECOVER, &input) {
            Ok(out) if out.len() == 32 => Address::from_slice(&out[12..]),
            _ => Address::ZERO,
        }
    }

    fn debit(&mut self, from: Address, value: U256) -> Result<(), Erc20Error> {
        let mut slot = self.balances.setter(from);
        let balance = slot.get();
        if balance < value {
            return Err(Erc20Error::InsufficientBalance(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }));
        }
        slot.set(balance - value);
        Ok(())
    }

    fn credit(&mut self, to: Address, value: U256) {
        let mut slot = self.balances.setter(to);
        // Cannot overflow: a balance is at most the supply, which the vault keeps in 128 bits.
        let balance = slot.get() + value;
        slot.set(balance);
    }
}

/// The ERC-20 ABI (`name`, `symbol`, `decimals` = 18, `totalSupply`, `balanceOf`, `transfer`,
/// `transferFrom`, `approve`, `allowance`). Implemented for a contract by
/// [`erc20_public!`](crate::erc20_public!).
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IErc20 {
    /// Token name.
    fn name(&self) -> String;
    /// Token symbol.
    fn symbol(&self) -> String;
    /// Always 18.
    fn decimals(&self) -> u8;
    /// Total supply: the vault's `totalShares()` (a static call; the vault is the only minter
    /// and counts every share).
    ///
    /// # Errors
    /// The vault's revert data (none while it exists).
    fn total_supply(&self) -> Result<U256, Vec<u8>>;
    /// Balance of `account`.
    fn balance_of(&self, account: Address) -> U256;
    /// Moves `value` of the caller's tokens to `to`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` (also for the token contract itself, where tokens would be
    /// stuck), `ERC20InsufficientBalance`.
    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Erc20Error>;
    /// Moves `value` of `from`'s tokens to `to` using the caller's allowance.
    ///
    /// # Errors
    /// `ERC20InsufficientAllowance`, `ERC20InvalidSender`, `ERC20InvalidReceiver` (also for the
    /// token contract itself), `ERC20InsufficientBalance`.
    fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Erc20Error>;
    /// Lets `spender` move up to `value` of the caller's tokens.
    ///
    /// # Errors
    /// `ERC20InvalidSpender`.
    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Erc20Error>;
    /// Allowance of `spender` over `owner`'s tokens.
    fn allowance(&self, owner: Address, spender: Address) -> U256;
}

/// The EIP-2612 ABI (`permit`, `nonces`, `DOMAIN_SEPARATOR`). Implemented for a contract by
/// [`erc20_public!`](crate::erc20_public!).
#[allow(missing_docs)]
#[public]
pub trait IErc20Permit {
    /// Approves `spender` for `value` of `owner`'s tokens with `owner`'s signature.
    ///
    /// # Errors
    /// `ERC2612ExpiredSignature`, `ERC2612InvalidSigner`, `ERC20InvalidSpender`.
    #[allow(clippy::too_many_arguments, clippy::many_single_char_names)] // the EIP-2612 ABI
    fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Erc20Error>;
    /// Next permit nonce of `owner`.
    fn nonces(&self, owner: Address) -> U256;
    /// The EIP-712 domain separator.
    #[selector(name = "DOMAIN_SEPARATOR")]
    fn domain_separator(&self) -> B256;
}

/// Exports [`IErc20`] and [`IErc20Permit`] for a token contract whose [`Erc20`] component is
/// the field `$field` and whose minting vault's address is the field `$vault` (its
/// `totalShares()` is the supply), with the given name (also the EIP-712 domain name) and
/// symbol. List both traits in the contract's `#[implements(..)]`.
#[macro_export]
macro_rules! erc20_public {
    ($contract:ident, $field:ident, $vault:ident, $name:literal, $symbol:literal) => {
        // In a module of its own: with `export-abi`, `#[public]` adds undocumented structs.
        #[allow(missing_docs)]
        mod __lsr_erc20_abi {
            use super::*;

            #[::stylus_sdk::prelude::public]
            impl $crate::erc20::IErc20 for $contract {
                fn name(&self) -> String {
                    $name.into()
                }

                fn symbol(&self) -> String {
                    $symbol.into()
                }

                fn decimals(&self) -> u8 {
                    18
                }

                fn total_supply(&self) -> Result<::alloy_primitives::U256, Vec<u8>> {
                    $crate::calls::view_word(
                        self.vm(),
                        self.$vault.get(),
                        $crate::interfaces::vault_selectors::TOTAL_SHARES,
                        &[],
                    )
                    .map(|word| ::alloy_primitives::U256::from_be_bytes(word.0))
                    .map_err($crate::errors::revert_data)
                }

                fn balance_of(
                    &self,
                    account: ::alloy_primitives::Address,
                ) -> ::alloy_primitives::U256 {
                    self.$field.balance_of(account)
                }

                fn transfer(
                    &mut self,
                    to: ::alloy_primitives::Address,
                    value: ::alloy_primitives::U256,
                ) -> Result<bool, $crate::erc20::Erc20Error> {
                    let from = self.vm().msg_sender();
                    self.$field.transfer_public(from, to, value)
                }

                fn transfer_from(
                    &mut self,
                    from: ::alloy_primitives::Address,
                    to: ::alloy_primitives::Address,
                    value: ::alloy_primitives::U256,
                ) -> Result<bool, $crate::erc20::Erc20Error> {
                    let spender = self.vm().msg_sender();
                    self.$field.spend_allowance(from, spender, value)?;
                    self.$field.transfer_public(from, to, value)
                }

                fn approve(
                    &mut self,
                    spender: ::alloy_primitives::Address,
                    value: ::alloy_primitives::U256,
                ) -> Result<bool, $crate::erc20::Erc20Error> {
                    let owner = self.vm().msg_sender();
                    self.$field.approve(owner, spender, value)?;
                    Ok(true)
                }

                fn allowance(
                    &self,
                    owner: ::alloy_primitives::Address,
                    spender: ::alloy_primitives::Address,
                ) -> ::alloy_primitives::U256 {
                    self.$field.allowance(owner, spender)
                }
            }

            #[::stylus_sdk::prelude::public]
            impl $crate::erc20::IErc20Permit for $contract {
                fn permit(
                    &mut self,
                    owner: ::alloy_primitives::Address,
                    spender: ::alloy_primitives::Address,
                    value: ::alloy_primitives::U256,
                    deadline: ::alloy_primitives::U256,
                    v: u8,
                    r: ::alloy_primitives::B256,
                    s: ::alloy_primitives::B256,
                ) -> Result<(), $crate::erc20::Erc20Error> {
                    self.$field
                        .permit($name, owner, spender, value, deadline, v, r, s)
                }

                fn nonces(&self, owner: ::alloy_primitives::Address) -> ::alloy_primitives::U256 {
                    self.$field.nonce(owner)
                }

                #[selector(name = "DOMAIN_SEPARATOR")]
                fn domain_separator(&self) -> ::alloy_primitives::B256 {
                    self.$field.domain_separator($name)
                }
            }
        }
        #[cfg(feature = "export-abi")]
        pub use __lsr_erc20_abi::*;
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn eip712_constants_are_the_keccak_of_their_type_strings() {
        assert_eq!(
            DOMAIN_TYPEHASH,
            keccak256(
                "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
            )
        );
        assert_eq!(VERSION_HASH, keccak256("1"));
        assert_eq!(
            PERMIT_TYPEHASH,
            keccak256(
                "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
            )
        );
    }

    #[test]
    fn half_order_is_half_the_secp256k1_group_order() {
        let n = U256::from_be_bytes(
            b256!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").0,
        );
        assert_eq!(HALF_ORDER, n >> 1);
        for s in [
            U256::ZERO,
            HALF_ORDER - U256::from(1),
            HALF_ORDER,
            HALF_ORDER + U256::from(1),
            HALF_ORDER << 1,
            U256::MAX,
        ] {
            assert_eq!(above_half_order(&s), s > HALF_ORDER, "{s}");
        }
    }
}
