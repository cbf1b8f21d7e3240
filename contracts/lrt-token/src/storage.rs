//! The token's storage layout. Its own module because the SDK's `#[entrypoint]` generates an
//! undocumented `user_entrypoint` export next to the struct it marks.

use lsr_common::erc20::Erc20;
use stylus_sdk::{prelude::*, storage::StorageAddress};

/// The LRT share token.
#[storage]
#[entrypoint]
pub struct LrtToken {
    pub(crate) erc20: Erc20,
    pub(crate) vault: StorageAddress,
}
