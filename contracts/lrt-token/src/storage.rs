//! The token's storage layout.

use lsr_common::erc20::Erc20;
use stylus_sdk::{prelude::*, storage::StorageAddress};

/// The LRT share token.
#[storage]
pub struct LrtToken {
    pub(crate) erc20: Erc20,
    pub(crate) vault: StorageAddress,
}
