//! The token's storage layout.

use lsr_common::erc20::Erc20;
use stylus_sdk::{prelude::*, storage::StorageAddress};

/// The LST token.
#[storage]
pub struct LstToken {
    pub(crate) erc20: Erc20,
    pub(crate) vault: StorageAddress,
}
