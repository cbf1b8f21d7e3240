//! Unit tests of every public function of the LRT share token (success paths with their events,
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

type Token = LrtToken;
type TokenError = LrtTokenError;
type NotVault = LrtTokenNotVault;
const NAME: &str = "Stylus Restaked Ether";
/// The golden ABI the router must serve.
const ABI_JSON: &str = include_str!("../../../abi/lrt-token.json");
const SYMBOL: &str = "srETH";

/// `lock` of a holder's own shares, the call both tokens have.
trait LockOwn {
    fn lock_own(&mut self, owner: Address, shares: U256) -> Result<(), TokenError>;
}

impl LockOwn for Token {
    fn lock_own(&mut self, owner: Address, shares: U256) -> Result<(), TokenError> {
        self.lock(owner, owner, shares)
    }
}

#[test]
fn lock_for_a_spender_spends_its_allowance() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.token.approve(CAROL, eth(30)).expect("approve");
    f.token.approve(BOB, U256::MAX).expect("approve");
    f.take_logs();
    f.as_(VAULT);
    assert_eq!(f.token.lock(ALICE, CAROL, eth(20)), Ok(()));
    assert_eq!(f.token.allowance(ALICE, CAROL), eth(10));
    assert_eq!(f.token.lock(ALICE, BOB, eth(5)), Ok(()));
    assert_eq!(
        f.token.allowance(ALICE, BOB),
        U256::MAX,
        "an infinite allowance stays"
    );
    assert_eq!(f.balance(ALICE), eth(75));
    assert_eq!(f.balance(VAULT), eth(25));
    assert_eq!(
        f.take_logs(),
        [
            transfer(ALICE, VAULT, eth(20)),
            transfer(ALICE, VAULT, eth(5))
        ],
        "no Approval event for a spent allowance"
    );
}

#[test]
fn lock_for_a_spender_without_enough_allowance_is_rejected() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.token.approve(CAROL, eth(3)).expect("approve");
    f.take_logs();
    f.as_(VAULT);
    f.rejects(
        TokenError::Erc20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: CAROL,
            allowance: eth(3),
            needed: eth(4),
        }),
        |t| t.lock(ALICE, CAROL, eth(4)),
    );
    // The allowance covers it but the balance does not: the spent allowance is rolled back.
    f.as_(ALICE);
    f.token.approve(CAROL, eth(500)).expect("approve");
    f.take_logs();
    f.as_(VAULT);
    f.reverts(insufficient_balance(ALICE, eth(100), eth(101)), |t| {
        t.lock(ALICE, CAROL, eth(101))
    });
}

include!("../../common/shared-tests/vault_token.rs");
