//! The token's storage layout.

use lsr_common::erc20::Erc20;
use stylus_sdk::{prelude::*, storage::StorageAddress};

/// The LST token.
#[storage]
pub struct LstToken {
    /// Slot 0, written by the creation code (`lsr_common::create::child_init_code`).
    pub(crate) vault: StorageAddress,
    pub(crate) erc20: Erc20,
}
