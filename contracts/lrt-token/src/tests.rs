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

/// What the LRT's `createShare` leaves: the creation code stored the LRT in slot 0.
fn bind_to_vault(vm: &MockHost, _token: &mut Token) {
    vm.set_storage(U256::ZERO, VAULT.into_word());
}

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

#[test]
fn the_token_is_its_vaults_first_creation() {
    assert_eq!(TOKEN, VAULT.create(1));
}

#[test]
fn the_creation_code_records_the_creator_in_slot_0_and_deploys_the_code() {
    let code = [0xef, 0xf0, 0x00, 0x00, 0xaa, 0xbb];
    let init = lsr_common::create::child_init_code(&code).expect("short code");
    assert_eq!(
        init,
        [
            0x33, 0x5f, 0x55, 0x61, 0x00, 0x06, 0x80, 0x60, 0x0d, 0x5f, 0x39, 0x5f, 0xf3, 0xef,
            0xf0, 0x00, 0x00, 0xaa, 0xbb
        ]
    );
    assert_eq!(
        lsr_common::create::child_init_code(&vec![0; 65_536]),
        None,
        "past two bytes of length"
    );
}

#[test]
fn the_token_has_no_constructor() {
    let f = Fx::new();
    let before = f.state();
    let construct = [
        &stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes()[..],
        &STRANGER.abi_encode()[..],
    ]
    .concat();
    assert_eq!(route_as(&f, STRANGER, U256::ZERO, construct), Err(vec![]));
    assert_eq!(f.state(), before, "the vault stays the creator");
}

#[test]
fn the_vault_field_is_slot_0_where_the_creation_code_writes() {
    let f = Fx::new();
    assert_eq!(f.token.vault(), VAULT);
    assert_eq!(
        f.vm.snapshot().storage.get(&U256::ZERO),
        Some(&VAULT.into_word())
    );
}

include!("../../common/shared-tests/vault_token.rs");
