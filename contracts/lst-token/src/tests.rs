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
type ZeroAddress = LstZeroAddress;
const NAME: &str = "Stylus Staked Ether";
/// The golden ABI the router must serve.
const ABI_JSON: &str = include_str!("../../../abi/lst-token.json");
const SYMBOL: &str = "ssETH";

/// The deployment's binding: the constructor.
fn bind_to_vault(_vm: &MockHost, token: &mut Token) {
    token.constructor(VAULT).expect("a non-zero vault");
}

/// `lock` of a holder's own shares, the call both tokens have.
trait LockOwn {
    fn lock_own(&mut self, owner: Address, shares: U256) -> Result<(), TokenError>;
}

impl LockOwn for Token {
    fn lock_own(&mut self, owner: Address, shares: U256) -> Result<(), TokenError> {
        self.lock(owner, shares)
    }
}

#[test]
fn constructor_rejects_a_zero_vault() {
    let vm = MockHost::default();
    vm.set_contract_address(TOKEN);
    let mut token = Token::from(&vm);
    assert_eq!(
        token.constructor(Address::ZERO),
        Err(TokenError::ZeroAddress(ZeroAddress {}))
    );
    assert_eq!(token.vault(), Address::ZERO);
    assert!(vm.snapshot().storage.values().all(B256::is_zero));
    let encoded: Vec<u8> = TokenError::ZeroAddress(ZeroAddress {}).into();
    assert_eq!(encoded, ZeroAddress {}.abi_encode());
}

#[test]
fn the_constructor_runs_once_through_the_router() {
    let vm = MockHost::default();
    vm.set_contract_address(TOKEN);
    let f = Fx {
        vm,
        token: Token::from(&MockHost::default()),
        now: T0,
    };
    let construct = || {
        [
            &stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes()[..],
            &VAULT.abi_encode()[..],
        ]
        .concat()
    };
    assert_eq!(route_as(&f, DEPLOYER, U256::ZERO, construct()), Ok(vec![]));
    assert_eq!(Token::from(&f.vm).vault(), VAULT);
    assert_eq!(route_as(&f, DEPLOYER, U256::ZERO, construct()), Err(vec![]));
}

include!("../../common/shared-tests/vault_token.rs");
