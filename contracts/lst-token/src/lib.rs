//! The LST, "Stylus Staked Ether" (ssETH): an exchange-rate ERC-20 with EIP-2612 permit.
//!
//! One share is a claim on the staking vault's pool: ETH per share = the vault's `getRate()`,
//! (totalPooledEther + 1e3) / (totalShares + 1e3). The vault is the only contract that
//! changes the supply, so the vault's share count always equals `totalSupply()` here.
//!
//! Who may call what:
//! - anyone: the ERC-20 and EIP-2612 ABI (never paused: holders can always move their
//!   shares), `vault()`, and `getRate()` (read from the vault, for rate providers);
//! - the vault: `mint` (deposits and fee shares), `burn` (finalized withdrawals, from the
//!   vault's own balance only) and `lock` (moves a holder's shares into the vault when they
//!   request a withdrawal, without an allowance, so a request is one transaction).
//!
//! The vault creates the token (`createToken`), as its first creation: the token knows its
//! vault's calls by the caller's address alone, with no storage read, and its creation code
//! records the vault in slot 0 for `vault()` and `getRate()`. Why a separate contract:
//! `docs/size.md`; the ABI and flows: `docs/lst-token.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloy_primitives::{Address, U256};
use lsr_common::{
    calls::view_word,
    create::parent_caller,
    erc20::{IErc20, IErc20Permit},
    interfaces::vault_selectors,
};
use stylus_sdk::prelude::*;

lsr_common::sol_abi! {
    /// Only the staking vault may mint, burn and lock.
    #[derive(Debug, PartialEq, Eq)]
    error LstNotVault(address caller);
}

lsr_common::contract_error! {
    /// Every error the token returns: its own, the ERC-20 / EIP-2612 errors, and the vault's
    /// revert data when `getRate()` fails there.
    pub enum LstError uses(erc20, call) {
    /// See [`LstNotVault`].
    NotVault(LstNotVault { caller }),
    }
}

mod storage;

pub use storage::LstToken;

lsr_common::erc20_public!(LstToken, erc20, vault, "Stylus Staked Ether", "ssETH");

lsr_common::router! {
    LstToken uses(erc20);
    "vault" => vault();
    "getRate" => get_rate();
    "mint" => mint(Address, U256);
    "burn" => burn(U256);
    "lock" => lock(Address, U256);
}

#[public]
#[implements(IErc20, IErc20Permit)]
impl LstToken {
    /// The staking vault, the only minter.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// ETH per share, scaled by 1e18, as the vault computes it (a Balancer-style rate
    /// provider on the token itself).
    ///
    /// # Errors
    /// The vault's revert data (it has none while its accounting holds).
    pub fn get_rate(&self) -> Result<U256, LstError> {
        let rate = view_word(self.vm(), self.vault.get(), vault_selectors::GET_RATE, &[])?;
        Ok(rate.into())
    }

    /// Creates `shares` for `to`. Vault only.
    ///
    /// # Errors
    /// `LstNotVault`, `ERC20InvalidReceiver` (zero, or this token).
    ///
    /// # Events
    /// `Transfer(0, to, shares)`.
    pub fn mint(&mut self, to: Address, shares: U256) -> Result<(), LstError> {
        self.only_vault()?;
        self.erc20.reject_token_receiver(to)?;
        Ok(self.erc20.mint(to, shares)?)
    }

    /// Destroys `shares` of the vault's own balance (shares locked by finalized withdrawal
    /// requests). Vault only.
    ///
    /// # Errors
    /// `LstNotVault`, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer(vault, 0, shares)`.
    pub fn burn(&mut self, shares: U256) -> Result<(), LstError> {
        let vault = self.only_vault()?;
        Ok(self.erc20.burn(vault, shares)?)
    }

    /// Moves `shares` of `owner` into the vault, for `owner`'s withdrawal request. Vault only.
    ///
    /// # Errors
    /// `LstNotVault`, `ERC20InsufficientBalance`, `ERC20InvalidSender` (zero owner).
    ///
    /// # Events
    /// `Transfer(owner, vault, shares)`.
    pub fn lock(&mut self, owner: Address, shares: U256) -> Result<(), LstError> {
        let vault = self.only_vault()?;
        Ok(self.erc20.transfer(owner, vault, shares)?)
    }
}

impl LstToken {
    /// The vault, when it is the caller: the contract whose first creation this token is
    /// (no storage read; [`lsr_common::create`]).
    fn only_vault(&self) -> Result<Address, LstError> {
        parent_caller(self.vm()).map_err(|caller| LstError::NotVault(LstNotVault { caller }))
    }
}

#[cfg(test)]
mod tests;
