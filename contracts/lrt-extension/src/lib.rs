//! The LRT vault's extension program.
//!
//! The LRT (`contracts/lrt`) runs every function a deposit, a redemption or a claim calls and
//! the prices integrators read on chain; every other selector it delegate-calls here, at the
//! address its constructor bound for good (`extension()`): roles and pause, `createShare`,
//! `setLimits`, the ERC-7540 operator functions, the redemption previews (which revert), the
//! ERC-4626 limits `maxDeposit` / `maxMint` and `previewMint`, and the LRT's own views. This program is the LRT's own crate built with the `extension` feature,
//! which makes that crate's second router (`lrt::route_extension`) the entrypoint: the same
//! storage layout, methods and checks, on the LRT's storage when delegate-called.
//!
//! Called directly, it runs on its own storage, where no account holds a role: every admin
//! function refuses and every view reads zero. It has no constructor. Why two programs and
//! what they cost: `docs/lrt.md` ("Two programs") and `docs/size.md`.
#![no_std]

// The LRT crate's `user_entrypoint`, which this program exports.
extern crate lrt;
