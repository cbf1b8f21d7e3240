//! Unit tests of every public function of the LST token (success paths with their events,
//! every error with the state left unchanged), EIP-2612 permit with real secp256k1
//! signatures, and a proptest of the supply invariant over random sequences of calls.
//!
//! `TestVM` does not roll storage back when a call returns an error, while the host reverts
//! the whole transaction. [`Fixture::rejects`] demands that a call fails before writing anything;
//! [`Fixture::reverts`] restores the storage as the host's revert would, for the two paths that
//! legitimately write first (the allowance spent before the receiver check, the nonce used
//! before the approval checks the spender).
//!
//! The tests shared with the other vault-bound token are in
//! `contracts/common/shared-tests/vault_token.rs`, included at the end.

use super::*;

type Token = LstToken;
type TokenError = LstError;
type NotVault = LstNotVault;
const NAME: &str = "Stylus Staked Ether";
/// The golden ABI the router must serve.
const ABI_JSON: &str = include_str!("../../../abi/lst-token.json");
const SYMBOL: &str = "ssETH";

/// `lock` of a holder's own shares, the call both tokens have.
trait LockOwn {
    fn lock_own(&mut self, owner: Address, shares: U256) -> Result<(), TokenError>;
}

impl LockOwn for Token {
    fn lock_own(&mut self, owner: Address, shares: U256) -> Result<(), TokenError> {
        self.lock(owner, shares)
    }
}

include!("../../common/shared-tests/vault_token.rs");
