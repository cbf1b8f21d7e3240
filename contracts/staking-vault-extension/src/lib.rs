//! The staking vault's extension program.
//!
//! The staking vault (`contracts/staking-vault`) runs every function a stake, a report, a
//! withdrawal or another contract's pricing calls on chain; every other selector it
//! delegate-calls here, at the address its constructor bound for good (`extension()`): roles
//! and pause, `createToken`, the parameter setters and the vault's own views (buffer,
//! validator balance, reserve, parameters, queue and requests). This program is the vault's
//! own crate built with the `extension` feature, which makes that crate's second router
//! (`staking_vault::route_extension`) the entrypoint: the same storage layout, methods and
//! checks, on the vault's storage when delegate-called.
//!
//! Called directly, it runs on its own storage, where no account holds a role: every admin
//! function refuses and every view reads zero. It has no constructor. Why two programs and
//! what they cost: `docs/staking-vault.md` ("Two programs") and `docs/size.md`.
#![no_std]

// The vault crate's `user_entrypoint`, which this program exports.
extern crate staking_vault;
