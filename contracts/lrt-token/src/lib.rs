//! The LRT's share token, "Stylus Restaked Ether" (srETH): an exchange-rate ERC-20 with
//! EIP-2612 permit, the ERC-7575 `share()` of the LRT vault (`lrt`).
//!
//! One share is a claim on the LRT vault's assets: LST per share = (totalAssets + 1e3) /
//! (totalSupply + 1e3), ETH per share = the vault's `getRate()`, forwarded here for rate
//! providers. The vault is the only contract that changes the supply, so the vault's share
//! count always equals `totalSupply()` here.
//!
//! Who may call what:
//! - anyone: the ERC-20 and EIP-2612 ABI (never paused: holders can always move their
//!   shares), `vault()`, and `getRate()`;
//! - the vault: `mint` (deposits), `burn` (fulfilled redemptions, from the vault's own
//!   balance only) and `lock` (moves a holder's shares into the vault for a redemption
//!   request, spending the requester's allowance when the vault names one, so a request is
//!   one transaction).
//!
//! The vault creates the token (`createShare`), as its first creation: the token knows its
//! vault's calls by the caller's address alone, with no storage read, and its creation code
//! records the vault in slot 0 for `vault()` and the reads it forwards. Why a separate
//! contract: `docs/size.md`; the ABI and flows: `docs/lrt.md`.
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
    /// Only the LRT vault may mint, burn and lock.
    #[derive(Debug, PartialEq, Eq)]
    error LrtTokenNotVault(address caller);
}

lsr_common::contract_error! {
    /// Every error the token returns: its own, the ERC-20 / EIP-2612 errors, and the vault's
    /// revert data when `getRate()` fails there.
    pub enum LrtTokenError uses(erc20, call) {
    /// See [`LrtTokenNotVault`].
    NotVault(LrtTokenNotVault { caller }),
    }
}

mod storage;

pub use storage::LrtToken;

lsr_common::erc20_public!(LrtToken, erc20, vault, "Stylus Restaked Ether", "srETH");

lsr_common::router! {
    LrtToken uses(erc20);
    "vault" => vault();
    "getRate" => get_rate();
    "mint" => mint(Address, U256);
    "burn" => burn(U256);
    "lock" => lock(Address, Address, U256);
}

#[public]
#[implements(IErc20, IErc20Permit)]
impl LrtToken {
    /// The LRT vault, the only minter.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// ETH per share, scaled by 1e18, as the LRT vault computes it (a Balancer rate provider
    /// on the token itself).
    ///
    /// # Errors
    /// The vault's revert data.
    pub fn get_rate(&self) -> Result<U256, LrtTokenError> {
        let rate = view_word(self.vm(), self.vault.get(), vault_selectors::GET_RATE, &[])?;
        Ok(rate.into())
    }

    /// Creates `shares` for `to`. Vault only.
    ///
    /// # Errors
    /// `LrtTokenNotVault`, `ERC20InvalidReceiver` (zero, or this token).
    ///
    /// # Events
    /// `Transfer(0, to, shares)`.
    pub fn mint(&mut self, to: Address, shares: U256) -> Result<(), LrtTokenError> {
        self.only_vault()?;
        self.erc20.reject_token_receiver(to)?;
        Ok(self.erc20.mint(to, shares)?)
    }

    /// Destroys `shares` of the vault's own balance (shares locked by fulfilled redemption
    /// requests). Vault only.
    ///
    /// # Errors
    /// `LrtTokenNotVault`, `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `Transfer(vault, 0, shares)`.
    pub fn burn(&mut self, shares: U256) -> Result<(), LrtTokenError> {
        let vault = self.only_vault()?;
        Ok(self.erc20.burn(vault, shares)?)
    }

    /// Moves `shares` of `owner` into the vault for a redemption request. When `spender`
    /// differs from `owner`, `spender`'s allowance over `owner`'s shares pays for it (the
    /// vault passes the owner itself for the owner and its ERC-7540 operators). Vault only.
    ///
    /// # Errors
    /// `LrtTokenNotVault`, `ERC20InsufficientAllowance`, `ERC20InsufficientBalance`,
    /// `ERC20InvalidSender` (zero owner).
    ///
    /// # Events
    /// `Transfer(owner, vault, shares)`.
    pub fn lock(
        &mut self,
        owner: Address,
        spender: Address,
        shares: U256,
    ) -> Result<(), LrtTokenError> {
        let vault = self.only_vault()?;
        if spender != owner {
            self.erc20.spend_allowance(owner, spender, shares)?;
        }
        Ok(self.erc20.transfer(owner, vault, shares)?)
    }
}

impl LrtToken {
    /// The vault, when it is the caller: the contract whose first creation this token is
    /// (no storage read; [`lsr_common::create`]).
    fn only_vault(&self) -> Result<Address, LrtTokenError> {
        parent_caller(self.vm())
            .map_err(|caller| LrtTokenError::NotVault(LrtTokenNotVault { caller }))
    }
}

#[cfg(test)]
mod tests;
