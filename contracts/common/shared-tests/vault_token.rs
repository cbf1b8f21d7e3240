// The tests both vault-bound share tokens share (`lst-token`: ssETH, `lrt-token`: srETH):
// every public function's success path with its events, every error with the state left
// unchanged, EIP-2612 permit with real secp256k1 signatures, and a proptest of the supply
// invariant over random sequences of calls. Each token's `src/tests.rs` includes this file
// after naming its types (`Token`, `TokenError`, `NotVault`), its `NAME` and `SYMBOL`, the
// `LockOwn` adapter (`lock` of a holder's own shares), next to its own tests. Both tokens are
// their vault's first creation (`lsr_common::create`): the vault's creation code records the
// vault in slot 0 (`bind_to_vault`), and the token knows the vault's calls by their sender.
use std::collections::BTreeMap;

use alloy_primitives::{address, b256, keccak256, Address, Signature, B256, U256};
use alloy_sol_types::{SolError, SolEvent, SolValue};
use k256::ecdsa::SigningKey;
use lsr_common::{
    erc20::{
        Approval, ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
        ERC20InvalidSender, ERC20InvalidSpender, ERC2612ExpiredSignature, ERC2612InvalidSigner,
        Transfer,
    },
    interfaces::vault_selectors,
    testing::{
        assert_routes_match_abi, call_route, calldata, nonzero_storage, Fixture, MockHost,
    },
};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z.
const T0: u64 = 1_767_225_600;
const DAY: u64 = 24 * 3600;

/// The vault's first creation (`VAULT.create(1)`: the token must be there).
const TOKEN: Address = address!("70b6d7b14dfe962cd25033db888fd956d7e37073");
const VAULT: Address = address!("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const ALICE: Address = address!("00000000000000000000000000000000000b0001");
const BOB: Address = address!("00000000000000000000000000000000000b0002");
const CAROL: Address = address!("00000000000000000000000000000000000b0003");
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");
const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// Every address that can hold shares or allowances in these tests.
const HOLDERS: [Address; 6] = [VAULT, ALICE, BOB, CAROL, STRANGER, TOKEN];

/// secp256k1's group order n.
const SECP256K1_N: B256 = b256!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(1_000_000_000_000_000_000_u128)
}

fn wei(n: u64) -> U256 {
    U256::from(n)
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

type Log = (Vec<B256>, Vec<u8>);

/// The log an event encodes to (topic0 is the event's `SIGNATURE_HASH`).
fn log<E: SolEvent>(event: &E) -> Log {
    let data = event.encode_log_data();
    (data.topics().to_vec(), data.data.to_vec())
}

fn transfer(from: Address, to: Address, value: U256) -> Log {
    log(&Transfer { from, to, value })
}

fn approval(owner: Address, spender: Address, value: U256) -> Log {
    log(&Approval {
        owner,
        spender,
        value,
    })
}

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// Everything a call could touch, through the public views plus the raw storage.
#[derive(Debug, PartialEq, Eq)]
struct State {
    balances: Vec<U256>,
    allowances: Vec<U256>,
    nonces: Vec<U256>,
    vault: Address,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// What the vault's `createToken` / `createShare` leaves: the creation code stored the vault
/// in slot 0.
fn bind_to_vault(vm: &MockHost) {
    vm.set_storage(U256::ZERO, VAULT.into_word());
}

/// The token bound to `VAULT` (`bind_to_vault`: as its creation binds it), at a realistic
/// time.
struct Fx {
    vm: MockHost,
    token: Token,
    now: u64,
}

impl Fx {
    fn new() -> Self {
        let vm = MockHost::default();
        vm.set_block_timestamp(T0);
        vm.set_contract_address(TOKEN);
        vm.set_sender(DEPLOYER);
        bind_to_vault(&vm);
        let token = Token::from(&vm);
        Self { vm, token, now: T0 }
    }

    /// The vault minted 100 shares to Alice and 50 to Bob.
    fn minted() -> Self {
        let mut f = Self::new();
        f.as_(VAULT);
        f.token.mint(ALICE, eth(100)).expect("mint to Alice");
        f.token.mint(BOB, eth(50)).expect("mint to Bob");
        f.take_logs();
        f
    }

    fn as_(&self, who: Address) {
        self.vm.set_sender(who);
    }

    fn balance(&self, who: Address) -> U256 {
        self.token.balance_of(who)
    }

    /// Σ balances of every holder the tests use: the supply the vault must count.
    fn held(&self) -> U256 {
        HOLDERS.iter().map(|&a| self.balance(a)).sum()
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }
}

impl Fixture for Fx {
    type Contract = Token;
    type Error = TokenError;
    type State = State;
    type Models = ();

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut Token {
        &mut self.token
    }

    fn state(&self) -> State {
        let t = &self.token;
        State {
            balances: HOLDERS.iter().map(|&a| t.balance_of(a)).collect(),
            allowances: HOLDERS
                .iter()
                .flat_map(|&owner| HOLDERS.iter().map(move |&spender| (owner, spender)))
                .map(|(owner, spender)| t.allowance(owner, spender))
                .collect(),
            nonces: HOLDERS.iter().map(|&a| t.nonces(a)).collect(),
            vault: t.vault(),
            storage: nonzero_storage(&self.vm),
        }
    }

    /// A token calls nothing: nothing but its storage to restore.
    fn save_models(&self) {}

    fn restore_models(&mut self, (): ()) {}
}


fn not_vault(caller: Address) -> TokenError {
    TokenError::NotVault(NotVault { caller })
}

fn invalid_receiver(receiver: Address) -> TokenError {
    TokenError::Erc20InvalidReceiver(ERC20InvalidReceiver { receiver })
}

fn insufficient_balance(sender: Address, balance: U256, needed: U256) -> TokenError {
    TokenError::Erc20InsufficientBalance(ERC20InsufficientBalance {
        sender,
        balance,
        needed,
    })
}

// ---------------------------------------------------------------------------------------------
// Constructor and metadata
// ---------------------------------------------------------------------------------------------

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
fn a_vaults_later_creation_is_not_the_vault() {
    // The vault's second creation is not this token's creator, nor is the token itself.
    let later = VAULT.create(2);
    let mut f = Fx::new();
    f.as_(later);
    f.rejects(not_vault(later), |t| t.mint(ALICE, eth(1)));
    f.as_(TOKEN);
    f.rejects(not_vault(TOKEN), |t| t.mint(ALICE, eth(1)));
}

#[test]
fn a_bound_token_names_its_vault_and_starts_empty() {
    let f = Fx::new();
    assert_eq!(f.token.vault(), VAULT);
    assert_eq!(f.held(), U256::ZERO);
    assert_eq!(f.token.name(), NAME);
    assert_eq!(f.token.symbol(), SYMBOL);
    assert_eq!(f.token.decimals(), 18);
    assert!(f.take_logs().is_empty(), "binding emits nothing");
}

// ---------------------------------------------------------------------------------------------
// mint
// ---------------------------------------------------------------------------------------------

#[test]
fn mint_by_the_vault_creates_shares_and_emits_transfer_from_zero() {
    let mut f = Fx::new();
    f.as_(VAULT);
    assert_eq!(f.token.mint(ALICE, eth(3)), Ok(()));
    assert_eq!(f.token.mint(ALICE, wei(1)), Ok(()));
    assert_eq!(f.balance(ALICE), eth(3) + wei(1));
    assert_eq!(f.held(), eth(3) + wei(1));
    assert_eq!(
        f.take_logs(),
        [
            transfer(Address::ZERO, ALICE, eth(3)),
            transfer(Address::ZERO, ALICE, wei(1)),
        ]
    );
}

#[test]
fn mint_by_anyone_but_the_vault_is_rejected() {
    let mut f = Fx::minted();
    for caller in [ALICE, DEPLOYER, TOKEN] {
        f.as_(caller);
        f.rejects(not_vault(caller), |t| t.mint(caller, eth(1)));
    }
}

#[test]
fn mint_to_the_zero_address_or_the_token_is_rejected() {
    let mut f = Fx::minted();
    f.as_(VAULT);
    f.rejects(invalid_receiver(Address::ZERO), |t| {
        t.mint(Address::ZERO, eth(1))
    });
    f.rejects(invalid_receiver(TOKEN), |t| t.mint(TOKEN, eth(1)));
}

// ---------------------------------------------------------------------------------------------
// lock and burn
// ---------------------------------------------------------------------------------------------

#[test]
fn lock_moves_a_holders_shares_into_the_vault_without_an_allowance() {
    let mut f = Fx::minted();
    f.as_(VAULT);
    assert_eq!(f.token.lock_own(ALICE, eth(40)), Ok(()));
    assert_eq!(f.balance(ALICE), eth(60));
    assert_eq!(f.balance(VAULT), eth(40));
    assert_eq!(f.held(), eth(150));
    assert_eq!(f.token.allowance(ALICE, VAULT), U256::ZERO);
    assert_eq!(f.take_logs(), [transfer(ALICE, VAULT, eth(40))]);
}

#[test]
fn lock_by_anyone_but_the_vault_is_rejected() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.rejects(not_vault(ALICE), |t| t.lock_own(ALICE, eth(1)));
    f.as_(BOB);
    f.rejects(not_vault(BOB), |t| t.lock_own(ALICE, eth(1)));
}

#[test]
fn lock_beyond_the_balance_or_from_zero_is_rejected() {
    let mut f = Fx::minted();
    f.as_(VAULT);
    f.rejects(insufficient_balance(BOB, eth(50), eth(50) + wei(1)), |t| {
        t.lock_own(BOB, eth(50) + wei(1))
    });
    f.rejects(
        TokenError::Erc20InvalidSender(ERC20InvalidSender {
            sender: Address::ZERO,
        }),
        |t| t.lock_own(Address::ZERO, U256::ZERO),
    );
}

#[test]
fn burn_destroys_shares_from_the_vaults_own_balance() {
    let mut f = Fx::minted();
    f.as_(VAULT);
    f.token.lock_own(ALICE, eth(40)).expect("lock");
    f.take_logs();
    assert_eq!(f.token.burn(eth(15)), Ok(()));
    assert_eq!(f.balance(VAULT), eth(25));
    assert_eq!(f.balance(ALICE), eth(60));
    assert_eq!(f.held(), eth(135));
    assert_eq!(f.take_logs(), [transfer(VAULT, Address::ZERO, eth(15))]);
}

#[test]
fn burn_beyond_the_vaults_balance_is_rejected() {
    let mut f = Fx::minted();
    f.as_(VAULT);
    // Holders' shares are out of reach: the vault burns only what it holds.
    f.rejects(insufficient_balance(VAULT, U256::ZERO, wei(1)), |t| {
        t.burn(wei(1))
    });
}

#[test]
fn burn_by_anyone_but_the_vault_is_rejected() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.rejects(not_vault(ALICE), |t| t.burn(wei(1)));
}

// ---------------------------------------------------------------------------------------------
// getRate
// ---------------------------------------------------------------------------------------------

#[test]
fn get_rate_reads_the_vaults_rate_with_a_static_call() {
    let f = Fx::minted();
    let rate = U256::from(1_050_000_000_000_000_000_u128);
    f.vm.on_call(VAULT, move |_| Ok(rate.to_be_bytes::<32>().to_vec()));
    assert_eq!(f.token.get_rate(), Ok(rate));
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].from, TOKEN);
    assert_eq!(calls[0].to, VAULT);
    assert_eq!(calls[0].data, vault_selectors::GET_RATE.to_vec());
    assert!(
        calls[0].is_static,
        "a view reads the vault without state access"
    );
}

#[test]
fn get_rate_passes_the_vaults_revert_data_on() {
    let f = Fx::minted();
    let data = b"\x08\xc3\x79\xa0vault says no".to_vec();
    let answer = data.clone();
    f.vm.on_call(VAULT, move |_| Err(answer.clone()));
    assert_eq!(f.token.get_rate(), Err(TokenError::Reverted(data)));
}

// ---------------------------------------------------------------------------------------------
// totalSupply
// ---------------------------------------------------------------------------------------------

#[test]
fn total_supply_is_the_vaults_share_count_read_with_a_static_call() {
    let f = Fx::minted();
    // The token stores no supply: whatever the vault counts is the answer.
    let counted = eth(150);
    f.vm.on_call(VAULT, move |_| Ok(counted.to_be_bytes::<32>().to_vec()));
    assert_eq!(f.token.total_supply(), Ok(counted));
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].to, VAULT);
    assert_eq!(calls[0].data, vault_selectors::TOTAL_SHARES.to_vec());
    assert!(calls[0].is_static);
    assert_eq!(vault_selectors::TOTAL_SHARES, keccak256("totalShares()")[..4]);
}

#[test]
fn total_supply_passes_the_vaults_revert_data_on() {
    let f = Fx::minted();
    let data = b"vault says no".to_vec();
    let answer = data.clone();
    f.vm.on_call(VAULT, move |_| Err(answer.clone()));
    assert_eq!(f.token.total_supply(), Err(data));
    // An account without code answers with nothing: no supply, and no silent zero.
    f.vm.on_call(VAULT, |_| Ok(Vec::new()));
    assert_eq!(f.token.total_supply(), Err(Vec::new()));
}

// ---------------------------------------------------------------------------------------------
// ERC-20
// ---------------------------------------------------------------------------------------------

#[test]
fn transfer_moves_shares_and_emits_transfer() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    assert_eq!(f.token.transfer(CAROL, eth(30)), Ok(true));
    assert_eq!(f.balance(ALICE), eth(70));
    assert_eq!(f.balance(CAROL), eth(30));
    assert_eq!(f.held(), eth(150));
    assert_eq!(f.take_logs(), [transfer(ALICE, CAROL, eth(30))]);
}

#[test]
fn transfer_of_zero_and_to_oneself_keep_balances() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    assert_eq!(f.token.transfer(BOB, U256::ZERO), Ok(true));
    assert_eq!(f.token.transfer(ALICE, eth(100)), Ok(true));
    assert_eq!(f.balance(ALICE), eth(100));
    assert_eq!(f.balance(BOB), eth(50));
    assert_eq!(
        f.take_logs(),
        [
            transfer(ALICE, BOB, U256::ZERO),
            transfer(ALICE, ALICE, eth(100)),
        ]
    );
}

#[test]
fn transfer_to_the_token_itself_is_rejected() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.rejects(invalid_receiver(TOKEN), |t| t.transfer(TOKEN, eth(1)));
}

#[test]
fn transfer_to_the_zero_address_or_beyond_the_balance_is_rejected() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.rejects(invalid_receiver(Address::ZERO), |t| {
        t.transfer(Address::ZERO, eth(1))
    });
    f.rejects(
        insufficient_balance(ALICE, eth(100), eth(100) + wei(1)),
        |t| t.transfer(BOB, eth(100) + wei(1)),
    );
}

#[test]
fn approve_sets_the_allowance_and_rejects_the_zero_spender() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    assert_eq!(f.token.approve(BOB, eth(5)), Ok(true));
    assert_eq!(f.token.allowance(ALICE, BOB), eth(5));
    assert_eq!(f.token.approve(BOB, eth(2)), Ok(true), "approve overwrites");
    assert_eq!(f.token.allowance(ALICE, BOB), eth(2));
    assert_eq!(
        f.take_logs(),
        [approval(ALICE, BOB, eth(5)), approval(ALICE, BOB, eth(2))]
    );
    f.rejects(
        TokenError::Erc20InvalidSpender(ERC20InvalidSpender {
            spender: Address::ZERO,
        }),
        |t| t.approve(Address::ZERO, eth(1)),
    );
}

#[test]
fn transfer_from_spends_the_allowance() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.token.approve(BOB, eth(5)).expect("approve");
    f.take_logs();
    f.as_(BOB);
    assert_eq!(f.token.transfer_from(ALICE, CAROL, eth(2)), Ok(true));
    assert_eq!(f.token.allowance(ALICE, BOB), eth(3));
    assert_eq!(f.balance(ALICE), eth(98));
    assert_eq!(f.balance(CAROL), eth(2));
    assert_eq!(f.take_logs(), [transfer(ALICE, CAROL, eth(2))]);
    f.rejects(
        TokenError::Erc20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: BOB,
            allowance: eth(3),
            needed: eth(3) + wei(1),
        }),
        |t| t.transfer_from(ALICE, CAROL, eth(3) + wei(1)),
    );
    f.as_(CAROL);
    f.rejects(
        TokenError::Erc20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: CAROL,
            allowance: U256::ZERO,
            needed: wei(1),
        }),
        |t| t.transfer_from(ALICE, CAROL, wei(1)),
    );
}

#[test]
fn transfer_from_beyond_the_owners_balance_is_rejected_and_keeps_the_allowance() {
    let mut f = Fx::minted();
    f.as_(BOB);
    f.token.approve(CAROL, eth(80)).expect("approve");
    f.as_(CAROL);
    f.reverts(insufficient_balance(BOB, eth(50), eth(60)), |t| {
        t.transfer_from(BOB, CAROL, eth(60))
    });
    assert_eq!(f.token.allowance(BOB, CAROL), eth(80));
}

#[test]
fn transfer_from_to_the_token_itself_is_rejected() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.token.approve(BOB, eth(5)).expect("approve");
    f.as_(BOB);
    // The allowance is spent before the receiver check: the revert restores it.
    f.reverts(invalid_receiver(TOKEN), |t| {
        t.transfer_from(ALICE, TOKEN, eth(1))
    });
    assert_eq!(f.token.allowance(ALICE, BOB), eth(5));
}

#[test]
fn an_infinite_allowance_is_not_decreased() {
    let mut f = Fx::minted();
    f.as_(ALICE);
    f.token.approve(BOB, U256::MAX).expect("approve");
    f.as_(BOB);
    assert_eq!(f.token.transfer_from(ALICE, BOB, eth(60)), Ok(true));
    assert_eq!(f.token.allowance(ALICE, BOB), U256::MAX);
    assert_eq!(f.balance(BOB), eth(110));
}

#[test]
fn locked_shares_cannot_be_moved_out_of_the_vault_by_others() {
    let mut f = Fx::minted();
    f.as_(VAULT);
    f.token.lock_own(ALICE, eth(10)).expect("lock");
    f.as_(ALICE);
    f.rejects(
        TokenError::Erc20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: ALICE,
            allowance: U256::ZERO,
            needed: eth(10),
        }),
        |t| t.transfer_from(VAULT, ALICE, eth(10)),
    );
}

// ---------------------------------------------------------------------------------------------
// EIP-2612 permit
// ---------------------------------------------------------------------------------------------

fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).expect("a valid secp256k1 scalar")
}

/// The EIP-712 domain separator, built here from the type strings (not from the contract's
/// constants). `TestVM`'s chain id is Arbitrum One's, 42161.
fn domain() -> B256 {
    keccak256(
        (
            keccak256(
                "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
            ),
            keccak256(NAME),
            keccak256("1"),
            U256::from(42_161_u64),
            TOKEN,
        )
            .abi_encode(),
    )
}

/// The EIP-712 digest of a permit.
fn permit_digest(
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let permit = keccak256(
        (
            keccak256(
                "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
            ),
            owner,
            spender,
            value,
            nonce,
            deadline,
        )
            .abi_encode(),
    );
    keccak256([&[0x19_u8, 0x01][..], domain().as_slice(), permit.as_slice()].concat())
}

/// A low-s signature `(v, r, s)` of `digest`.
fn sign(signer: &SigningKey, digest: B256) -> (u8, B256, B256) {
    let (signature, recovery) = signer
        .sign_prehash_recoverable(digest.as_slice())
        .expect("signing a 32-byte prehash");
    let signature = Signature::from_signature_and_parity(signature, recovery.is_y_odd());
    assert!(signature.normalize_s().is_none(), "k256 signs with a low s");
    (
        27 + u8::from(signature.v()),
        B256::from(signature.r().to_be_bytes::<32>()),
        B256::from(signature.s().to_be_bytes::<32>()),
    )
}

/// Registers what the ecrecover precompile returns for this input (it accepts high s), so the
/// contract's static call sees the real recovery. Call right before `permit`: `TestVM` answers
/// with the data of the most recently registered mock.
fn mock_ecrecover(vm: &MockHost, digest: B256, v: u8, r: B256, s: B256) -> Address {
    let recovered = Signature::from_scalars_and_parity(r, s, v == 28)
        .normalized_s()
        .recover_address_from_prehash(&digest)
        .expect("a recoverable signature");
    let input = (digest, U256::from(v), r, s).abi_encode();
    vm.mock_static_call(ECRECOVER, input, Ok(recovered.into_word().to_vec()));
    recovered
}

/// Alice's key and address, a deadline a day away, and her signature of a permit for Bob.
struct Signed {
    owner: Address,
    deadline: U256,
    v: u8,
    r: B256,
    s: B256,
}

fn signed(f: &Fx, spender: Address, value: U256, nonce: U256, deadline: U256) -> Signed {
    let owner_key = key(7);
    let owner = Address::from_private_key(&owner_key);
    let digest = permit_digest(owner, spender, value, nonce, deadline);
    let (v, r, s) = sign(&owner_key, digest);
    assert_eq!(mock_ecrecover(&f.vm, digest, v, r, s), owner);
    Signed {
        owner,
        deadline,
        v,
        r,
        s,
    }
}

#[test]
fn domain_separator_follows_eip712() {
    let f = Fx::new();
    assert_eq!(f.token.domain_separator(), domain());
}

#[test]
fn permit_with_a_valid_signature_sets_the_allowance_and_bumps_the_nonce() {
    let mut f = Fx::minted();
    // The deadline itself is still valid.
    let p = signed(&f, BOB, eth(42), U256::ZERO, U256::from(f.now));
    f.as_(STRANGER); // anyone may submit it
    assert_eq!(
        f.token
            .permit(p.owner, BOB, eth(42), p.deadline, p.v, p.r, p.s),
        Ok(())
    );
    assert_eq!(f.token.allowance(p.owner, BOB), eth(42));
    assert_eq!(f.token.nonces(p.owner), wei(1));
    assert_eq!(f.take_logs(), [approval(p.owner, BOB, eth(42))]);
}

#[test]
fn permit_past_the_deadline_is_rejected() {
    let mut f = Fx::minted();
    let deadline = U256::from(f.now - 1);
    let p = signed(&f, BOB, eth(1), U256::ZERO, deadline);
    f.rejects(
        TokenError::ExpiredSignature(ERC2612ExpiredSignature { deadline }),
        |t| t.permit(p.owner, BOB, eth(1), p.deadline, p.v, p.r, p.s),
    );
}

#[test]
fn permit_signed_by_someone_else_is_rejected() {
    let mut f = Fx::minted();
    let owner = Address::from_private_key(&key(7));
    let deadline = U256::from(f.now + DAY);
    let digest = permit_digest(owner, BOB, eth(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&key(8), digest);
    let signer = mock_ecrecover(&f.vm, digest, v, r, s);
    assert_eq!(signer, Address::from_private_key(&key(8)));
    f.rejects(
        TokenError::InvalidSigner(ERC2612InvalidSigner { signer, owner }),
        |t| t.permit(owner, BOB, eth(1), deadline, v, r, s),
    );
}

#[test]
fn permit_with_a_different_value_or_spender_than_signed_is_rejected() {
    let mut f = Fx::minted();
    let p = signed(&f, BOB, eth(1), U256::ZERO, U256::from(f.now + DAY));
    for (spender, value) in [(BOB, eth(2)), (CAROL, eth(1))] {
        // What ecrecover returns for the digest the contract hashes from these arguments.
        let digest = permit_digest(p.owner, spender, value, U256::ZERO, p.deadline);
        let signer = mock_ecrecover(&f.vm, digest, p.v, p.r, p.s);
        assert_ne!(signer, p.owner);
        f.rejects(
            TokenError::InvalidSigner(ERC2612InvalidSigner {
                signer,
                owner: p.owner,
            }),
            |t| t.permit(p.owner, spender, value, p.deadline, p.v, p.r, p.s),
        );
    }
}

#[test]
fn permit_with_a_high_s_or_a_bad_v_is_rejected() {
    let mut f = Fx::minted();
    let p = signed(&f, BOB, eth(1), U256::ZERO, U256::from(f.now + DAY));
    let digest = permit_digest(p.owner, BOB, eth(1), U256::ZERO, p.deadline);
    // The malleable twin: s' = n − s with the other parity recovers the same owner.
    let high_s = B256::from(
        (U256::from_be_bytes(SECP256K1_N.0) - U256::from_be_bytes(p.s.0)).to_be_bytes::<32>(),
    );
    let flipped_v = if p.v == 27 { 28 } else { 27 };
    assert_eq!(
        mock_ecrecover(&f.vm, digest, flipped_v, p.r, high_s),
        p.owner
    );
    let rejected = || {
        TokenError::InvalidSigner(ERC2612InvalidSigner {
            signer: Address::ZERO,
            owner: p.owner,
        })
    };
    f.rejects(rejected(), |t| {
        t.permit(p.owner, BOB, eth(1), p.deadline, flipped_v, p.r, high_s)
    });
    f.rejects(rejected(), |t| {
        t.permit(p.owner, BOB, eth(1), p.deadline, p.v - 27, p.r, p.s)
    });
}

#[test]
fn permit_replayed_after_the_nonce_moved_is_rejected() {
    let mut f = Fx::minted();
    let p = signed(&f, BOB, eth(1), U256::ZERO, U256::from(f.now + DAY));
    f.token
        .permit(p.owner, BOB, eth(1), p.deadline, p.v, p.r, p.s)
        .expect("first use");
    f.take_logs();
    // The contract now hashes nonce 1: the same signature recovers someone else.
    let replayed = permit_digest(p.owner, BOB, eth(1), wei(1), p.deadline);
    let signer = mock_ecrecover(&f.vm, replayed, p.v, p.r, p.s);
    assert_ne!(signer, p.owner);
    f.rejects(
        TokenError::InvalidSigner(ERC2612InvalidSigner {
            signer,
            owner: p.owner,
        }),
        |t| t.permit(p.owner, BOB, eth(1), p.deadline, p.v, p.r, p.s),
    );
    assert_eq!(f.token.nonces(p.owner), wei(1));
}

#[test]
fn permit_for_the_zero_spender_is_rejected() {
    let mut f = Fx::minted();
    let p = signed(
        &f,
        Address::ZERO,
        eth(1),
        U256::ZERO,
        U256::from(f.now + DAY),
    );
    // The nonce is used before the approval refuses the spender: the revert restores it.
    f.reverts(
        TokenError::Erc20InvalidSpender(ERC20InvalidSpender {
            spender: Address::ZERO,
        }),
        |t| t.permit(p.owner, Address::ZERO, eth(1), p.deadline, p.v, p.r, p.s),
    );
    assert_eq!(f.token.nonces(p.owner), U256::ZERO);
}

#[test]
fn permit_for_the_zero_owner_is_rejected_even_if_ecrecover_fails() {
    let mut f = Fx::minted();
    let deadline = U256::from(f.now + DAY);
    // ecrecover answers nothing (an unrecoverable signature): the signer reads as zero.
    f.vm.mock_static_call(ECRECOVER, Vec::new(), Ok(Vec::new()));
    f.rejects(
        TokenError::InvalidSigner(ERC2612InvalidSigner {
            signer: Address::ZERO,
            owner: Address::ZERO,
        }),
        |t| {
            t.permit(
                Address::ZERO,
                BOB,
                eth(1),
                deadline,
                27,
                B256::ZERO,
                B256::ZERO,
            )
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn errors_encode_as_their_solidity_definitions() {
    let encoded: Vec<u8> = not_vault(ALICE).into();
    assert_eq!(encoded, NotVault { caller: ALICE }.abi_encode());
    let encoded: Vec<u8> = TokenError::Reverted(vec![1, 2, 3]).into();
    assert_eq!(
        encoded,
        [1, 2, 3],
        "a callee's revert data passes on unchanged"
    );
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// One call by one of the actors, amounts drawn around the balances they can reach.
#[derive(Debug, Clone)]
enum Op {
    Mint(usize, u64),
    Lock(usize, u64),
    Burn(u64),
    Transfer(usize, usize, u64),
    Approve(usize, usize, u64),
    TransferFrom(usize, usize, usize, u64),
}

/// The accounts that act: the vault, three holders and a stranger.
const ACTORS: [Address; 5] = [VAULT, ALICE, BOB, CAROL, STRANGER];

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACTORS.len();
    let amount = 0..200_u64;
    prop_oneof![
        (who.clone(), amount.clone()).prop_map(|(to, n)| Op::Mint(to, n)),
        (who.clone(), amount.clone()).prop_map(|(from, n)| Op::Lock(from, n)),
        amount.clone().prop_map(Op::Burn),
        (who.clone(), who.clone(), amount.clone()).prop_map(|(a, b, n)| Op::Transfer(a, b, n)),
        (who.clone(), who.clone(), amount.clone()).prop_map(|(a, b, n)| Op::Approve(a, b, n)),
        (who.clone(), who.clone(), who, amount)
            .prop_map(|(s, a, b, n)| Op::TransferFrom(s, a, b, n)),
    ]
}

/// A model of the ledger, written from the ERC-20 rules rather than from the contract.
#[derive(Default)]
struct Model {
    balances: BTreeMap<Address, U256>,
    allowances: BTreeMap<(Address, Address), U256>,
    supply: U256,
}

impl Model {
    fn balance(&self, who: Address) -> U256 {
        self.balances.get(&who).copied().unwrap_or_default()
    }

    fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances
            .get(&(owner, spender))
            .copied()
            .unwrap_or_default()
    }

    /// Moves `value` if `from` holds it; whether it did.
    fn transfer(&mut self, from: Address, to: Address, value: U256) -> bool {
        if self.balance(from) < value {
            return false;
        }
        *self.balances.entry(from).or_default() -= value;
        *self.balances.entry(to).or_default() += value;
        true
    }

    /// Applies `op` as the contract should; whether it succeeds.
    fn apply(&mut self, op: &Op) -> bool {
        match *op {
            Op::Mint(to, n) => {
                *self.balances.entry(ACTORS[to]).or_default() += eth(n);
                self.supply += eth(n);
                true
            }
            Op::Lock(from, n) => self.transfer(ACTORS[from], VAULT, eth(n)),
            Op::Burn(n) => {
                let burned = self.balance(VAULT) >= eth(n);
                if burned {
                    *self.balances.entry(VAULT).or_default() -= eth(n);
                    self.supply -= eth(n);
                }
                burned
            }
            Op::Transfer(from, to, n) => self.transfer(ACTORS[from], ACTORS[to], eth(n)),
            Op::Approve(owner, spender, n) => {
                self.allowances
                    .insert((ACTORS[owner], ACTORS[spender]), eth(n));
                true
            }
            Op::TransferFrom(spender, from, to, n) => {
                let (spender, from, to) = (ACTORS[spender], ACTORS[from], ACTORS[to]);
                let allowance = self.allowance(from, spender);
                if allowance < eth(n) || !self.transfer(from, to, eth(n)) {
                    return false;
                }
                self.allowances.insert((from, spender), allowance - eth(n));
                true
            }
        }
    }
}

/// Runs `op` against the token as its caller would send it.
fn run(f: &mut Fx, op: &Op) -> bool {
    let result = match *op {
        Op::Mint(to, n) => {
            f.as_(VAULT);
            f.attempt(|t| t.mint(ACTORS[to], eth(n)))
        }
        Op::Lock(from, n) => {
            f.as_(VAULT);
            f.attempt(|t| t.lock_own(ACTORS[from], eth(n)))
        }
        Op::Burn(n) => {
            f.as_(VAULT);
            f.attempt(|t| t.burn(eth(n)))
        }
        Op::Transfer(from, to, n) => {
            f.as_(ACTORS[from]);
            f.attempt(|t| t.transfer(ACTORS[to], eth(n))).map(drop)
        }
        Op::Approve(owner, spender, n) => {
            f.as_(ACTORS[owner]);
            f.attempt(|t| t.approve(ACTORS[spender], eth(n))).map(drop)
        }
        Op::TransferFrom(spender, from, to, n) => {
            f.as_(ACTORS[spender]);
            f.attempt(|t| {
                t.transfer_from(ACTORS[from], ACTORS[to], eth(n))
            })
            .map(drop)
        }
    };
    result.is_ok()
}

// ---------------------------------------------------------------------------------------------
// The router (what runs on chain: calldata in, return or revert data out)
// ---------------------------------------------------------------------------------------------

/// Calls the router as `who` with `value` attached.
fn route_as(f: &Fx, who: Address, value: U256, data: Vec<u8>) -> Result<Vec<u8>, Vec<u8>> {
    f.as_(who);
    f.vm.set_value(value);
    let result = call_route(route, &f.vm, data);
    f.vm.set_value(U256::ZERO);
    result
}

#[test]
fn routes_are_the_golden_abi() {
    assert_routes_match_abi(Token::ROUTES, ABI_JSON);
}

#[test]
fn the_router_calls_the_methods_and_encodes_their_results() {
    let f = Fx::minted();
    let balance = calldata("balanceOf(address)", &ALICE.abi_encode());
    assert_eq!(route_as(&f, BOB, U256::ZERO, balance), Ok(eth(100).abi_encode()));
    let moved = calldata("transfer(address,uint256)", &(CAROL, eth(30)).abi_encode_params());
    assert_eq!(route_as(&f, ALICE, U256::ZERO, moved), Ok(true.abi_encode()));
    assert_eq!(f.balance(CAROL), eth(30));
    assert_eq!(
        route_as(&f, BOB, U256::ZERO, calldata("name()", &[])),
        Ok(NAME.abi_encode())
    );
    assert_eq!(
        route_as(&f, BOB, U256::ZERO, calldata("decimals()", &[])),
        Ok(U256::from(18).abi_encode())
    );
    // A method's error comes back as its revert data.
    let too_much = calldata("transfer(address,uint256)", &(CAROL, eth(71)).abi_encode_params());
    let expected: Vec<u8> = insufficient_balance(ALICE, eth(70), eth(71)).into();
    assert_eq!(route_as(&f, ALICE, U256::ZERO, too_much), Err(expected));
}

#[test]
fn the_router_refuses_what_the_sdks_router_refuses_and_changes_nothing() {
    let f = Fx::minted();
    let before = f.state();
    let transfer = |args: &[u8]| calldata("transfer(address,uint256)", args);
    let good = (CAROL, eth(1)).abi_encode_params();
    // Value sent to a function that is not payable.
    assert_eq!(route_as(&f, ALICE, wei(1), transfer(&good)), Err(vec![]));
    // An address word with a high bit set, a missing argument, trailing bytes cut short.
    let mut dirty = good.clone();
    dirty[0] = 1;
    assert_eq!(route_as(&f, ALICE, U256::ZERO, transfer(&dirty)), Err(vec![]));
    assert_eq!(route_as(&f, ALICE, U256::ZERO, transfer(&good[..63])), Err(vec![]));
    // An unknown selector, and calldata shorter than a selector.
    assert_eq!(route_as(&f, ALICE, U256::ZERO, calldata("steal()", &[])), Err(vec![]));
    assert_eq!(route_as(&f, ALICE, U256::ZERO, vec![0xa9, 0x05, 0x9c]), Err(vec![]));
    assert_eq!(route_as(&f, ALICE, U256::ZERO, vec![]), Err(vec![]));
    assert_eq!(f.state(), before);
    // Bytes after the arguments are ignored, as Solidity does.
    let mut longer = good;
    longer.extend_from_slice(&[0xee; 5]);
    assert_eq!(route_as(&f, ALICE, U256::ZERO, transfer(&longer)), Ok(true.abi_encode()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Under any sequence of calls the token agrees with the model call by call (same
    /// successes, same balances and allowances), and the balances add up to the model's
    /// supply (minted less burned: what the vault counts).
    #[test]
    fn balances_allowances_and_supply_follow_the_model(ops in prop::collection::vec(op(), 1..40)) {
        let mut f = Fx::new();
        let mut model = Model::default();
        for op in &ops {
            prop_assert_eq!(run(&mut f, op), model.apply(op), "outcome of {:?}", op);
            let balances: Vec<U256> = ACTORS.iter().map(|&a| f.balance(a)).collect();
            let expected: Vec<U256> = ACTORS.iter().map(|&a| model.balance(a)).collect();
            prop_assert_eq!(&balances, &expected, "balances after {:?}", op);
            prop_assert_eq!(balances.iter().copied().sum::<U256>(), model.supply);
            for &owner in &ACTORS {
                for &spender in &ACTORS {
                    prop_assert_eq!(
                        f.token.allowance(owner, spender),
                        model.allowance(owner, spender)
                    );
                }
            }
        }
    }
}
