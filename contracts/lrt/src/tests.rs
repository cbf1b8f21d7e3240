//! `TestVM` unit tests of every public function of the LRT vault (success paths with their
//! events and calls, every error with the state left unchanged), the first-depositor donation
//! attack, and stateful proptests of the deposit / request / fulfil / claim accounting against
//! the suite's invariants.
//!
//! The vault's neighbours are models answering through [`MockHost`]: the LST is an
//! [`Erc20Ledger`], the share token (srETH) a ledger with the vault-only `mint` / `burn` /
//! `lock`, the staking vault mints LST for ETH at a fixed rate and reports a fixed ETH rate,
//! and the allocator holds the LRT's LST (idle), counts it in `totalAssets()`, takes `credit`
//! and pays `release` from its idle LST. Rewards, slashing and donations change the
//! allocator's LST and total.
//!
//! `TestVM` does not roll storage back when a call returns an error, while the host reverts the
//! whole transaction. [`Fixture::rejects`] demands that a call fails before writing anything;
//! [`Fixture::reverts`] restores storage and the models as the host's revert would.

use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent, SolValue};
use lsr_common::{
    access::{AccessControlUnauthorizedAccount, EnforcedPause, PAUSER_ROLE},
    create::child_init_code,
    erc20::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
        ERC2612InvalidSigner, Transfer,
    },
    interfaces::{erc20_selectors, lrt_allocator_selectors, lst_selectors, vault_selectors},
    math::WAD,
    testing::{calldata, nonzero_storage, Answer, Called, Erc20Ledger, Fixture, MockHost},
};
use proptest::prelude::*;
use stylus_sdk::{stylus_core::RawLogAccess, testing::TestVM};

use super::*;

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z, the deployment time of every fixture.
const T0: u64 = 1_767_225_600;

const LRT: Address = address!("1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e");
/// The LRT's first creation (`LRT.create(1)`, checked by
/// `the_share_token_is_the_lrts_first_creation`).
const SHARE: Address = address!("51d6216333e18a219eefd2aebdf144c42e9a68a3");
/// Stands for the `lrt-token` program's deployed code in `createShare`.
const SHARE_CODE: &[u8] = &[0xef, 0xf0, 0x00, 0x00, 0x5e];
const VAULT: Address = address!("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
const LST: Address = address!("7070707070707070707070707070707070707070");
const ALLOCATOR: Address = address!("a110ca7e0000000000000000000000000000a110");
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const EXTENSION: Address = address!("e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7");
/// Code at the extension's address (only its presence matters here).
const EXTENSION_CODE: &[u8] = &[0xef, 0xf0, 0x00, 0x00];
const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const PAUSER: Address = address!("00000000000000000000000000000000000a0006");
const KEEPER: Address = address!("00000000000000000000000000000000000a0007");
const ALICE: Address = address!("00000000000000000000000000000000000b0001");
const BOB: Address = address!("00000000000000000000000000000000000b0002");
const CAROL: Address = address!("00000000000000000000000000000000000b0003");
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");

const USERS: [Address; 3] = [ALICE, BOB, CAROL];
/// Every address that can hold shares or LST, control requests or be an operator here.
const HOLDERS: [Address; 6] = [LRT, ALLOCATOR, ALICE, BOB, CAROL, STRANGER];

/// LST the vault model mints per ETH, in 1e18: 0.8 (ETH per LST 1.25).
const LST_PER_ETH: u128 = 800_000_000_000_000_000;
/// The vault model's `getRate()`: ETH per LST, 1.25.
const VAULT_RATE: u128 = 1_250_000_000_000_000_000;

fn eth(n: u64) -> U256 {
    U256::from(n) * WAD
}

fn wei(n: u128) -> U256 {
    U256::from(n)
}

const OFFSET: u64 = 1_000;

/// Shares `assets` buy, with the documented formula (written out here).
fn shares_for(assets: U256, total: U256, supply: U256) -> U256 {
    assets * (supply + wei(1_000)) / (total + wei(1_000))
}

/// LST `shares` cost in `mint`: rounded up.
fn mint_cost(shares: U256, total: U256, supply: U256) -> U256 {
    let numerator = shares * (total + wei(1_000));
    let denominator = supply + wei(1_000);
    numerator.div_ceil(denominator)
}

/// Value of `shares`: rounded down, claims never exceed the assets.
fn value_of(shares: U256, total: U256, supply: U256) -> U256 {
    shares * total / (supply + U256::from(OFFSET))
}

/// LST per LRT in 1e18.
fn rate_of(total: U256, supply: U256) -> U256 {
    WAD * (total + wei(1_000)) / (supply + wei(1_000))
}

fn word(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
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

fn topic0s(logs: &[Log]) -> Vec<B256> {
    logs.iter().map(|(topics, _)| topics[0]).collect()
}

/// Exactly these events, in this order: first by signature (readable failures), then in full.
fn assert_logs(actual: &[Log], expected: &[Log]) {
    assert_eq!(topic0s(actual), topic0s(expected), "event signatures");
    assert_eq!(actual, expected, "event contents");
}

fn transfer(from: Address, to: Address, value: U256) -> Log {
    log(&Transfer { from, to, value })
}

fn deposit_log(sender: Address, owner: Address, assets: U256, shares: U256) -> Log {
    log(&Deposit {
        sender,
        owner,
        assets,
        shares,
    })
}

fn rate_log(total: U256, supply: U256) -> Log {
    log(&RateUpdated {
        assetsPerShare: rate_of(total, supply),
        totalAssets: total,
        totalSupply: supply,
    })
}

// ---------------------------------------------------------------------------------------------
// Neighbour models
// ---------------------------------------------------------------------------------------------

/// The share token (srETH): balances, allowances, supply, the vault-only calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ShareModel {
    balances: BTreeMap<Address, U256>,
    allowances: BTreeMap<(Address, Address), U256>,
    supply: U256,
}

impl ShareModel {
    fn balance(&self, account: Address) -> U256 {
        self.balances.get(&account).copied().unwrap_or_default()
    }

    fn debit(&mut self, from: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balance(from);
        if balance < value {
            return Err(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }
            .abi_encode());
        }
        self.balances.insert(from, balance - value);
        Ok(())
    }

    fn answer(&mut self, called: &Called, logs: &mut Vec<Log>) -> Answer {
        assert_eq!(called.from, LRT, "only the vault calls its share token");
        match called.selector() {
            lst_selectors::VAULT => return Ok(LRT.into_word().to_vec()),
            lst_selectors::MINT => {
                let (to, value) = (called.address(0), called.amount(1));
                if to.is_zero() || to == SHARE {
                    return Err(ERC20InvalidReceiver { receiver: to }.abi_encode());
                }
                self.supply += value;
                *self.balances.entry(to).or_default() += value;
                logs.push(transfer(Address::ZERO, to, value));
            }
            lst_selectors::BURN => {
                let value = called.amount(0);
                self.debit(LRT, value)?;
                self.supply -= value;
                logs.push(transfer(LRT, Address::ZERO, value));
            }
            SHARE_LOCK => {
                let (owner, spender, value) =
                    (called.address(0), called.address(1), called.amount(2));
                if spender != owner {
                    let allowance = self
                        .allowances
                        .get(&(owner, spender))
                        .copied()
                        .unwrap_or_default();
                    if allowance < value {
                        return Err(ERC20InsufficientAllowance {
                            spender,
                            allowance,
                            needed: value,
                        }
                        .abi_encode());
                    }
                    if allowance != U256::MAX {
                        self.allowances.insert((owner, spender), allowance - value);
                    }
                }
                self.debit(owner, value)?;
                *self.balances.entry(LRT).or_default() += value;
                logs.push(transfer(owner, LRT, value));
            }
            other => panic!("share token: unknown selector {other:02x?}"),
        }
        assert!(!called.is_static, "a vault-only call must not be static");
        Ok(Vec::new())
    }
}

/// The allocator: holds the LRT's LST (all idle here), counts it in `totalAssets()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct AllocatorModel {
    total: U256,
    /// LST delegated to operators: counted, but not idle, so `release` cannot pay it.
    delegated: U256,
    credits: Vec<U256>,
    releases: Vec<U256>,
    /// `totalAssets()` reverts (an allocator that cannot be read).
    broken: bool,
}

fn allocator_revert() -> Vec<u8> {
    b"allocator: not enough idle LST".to_vec()
}

/// The staking vault: `token()`, `getRate()`, and `deposit(receiver)` minting LST.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct VaultModel {
    min_deposit: U256,
    received: U256,
}

fn vault_revert() -> Vec<u8> {
    b"vault: deposit too small".to_vec()
}

/// Writes `logs` as the callee's, where a receipt has them.
fn write_logs(vm: &TestVM, logs: Vec<Log>) {
    for (topics, data) in logs {
        vm.raw_log(&topics, &data)
            .expect("the TestVM takes any log");
    }
}

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// Everything a call could touch, through the public views plus the models and raw storage.
#[derive(Debug, PartialEq, Eq)]
struct State {
    share: Address,
    total_shares: U256,
    reserved: U256,
    limits: (U256, U256, U256),
    queue: (U256, U256),
    paused: bool,
    controllers: Vec<(U256, U256, U256)>,
    operators: Vec<bool>,
    requests: Vec<(Address, U256, U256, u64, bool)>,
    shares: ShareModel,
    lst: Vec<U256>,
    allocator: AllocatorModel,
    vault: VaultModel,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// A deployed LRT vault between its models with the share token bound, a pauser and a
/// fulfiller (keeper), users holding 1,000 LST each with an infinite approval, at a
/// realistic time.
struct Fx {
    vm: MockHost,
    ledger: Rc<RefCell<Erc20Ledger>>,
    shares: Rc<RefCell<ShareModel>>,
    allocator: Rc<RefCell<AllocatorModel>>,
    vault: Rc<RefCell<VaultModel>>,
    lrt: Lrt,
}

impl Fx {
    /// Deployed, the share token not yet created.
    #[allow(clippy::too_many_lines)] // the four neighbour models, each in one place
    fn deployed() -> Self {
        let vm = MockHost::default();
        vm.set_block_timestamp(T0);
        vm.set_contract_address(LRT);
        vm.set_sender(DEPLOYER);
        let ledger = Erc20Ledger::install(&vm, LST, VAULT);
        let shares = Rc::new(RefCell::new(ShareModel::default()));
        let (model, log_vm) = (Rc::clone(&shares), (*vm).clone());
        vm.on_call(SHARE, move |called| {
            let mut logs = Vec::new();
            let answer = model.borrow_mut().answer(called, &mut logs);
            if answer.is_ok() {
                write_logs(&log_vm, logs);
            }
            answer
        });
        let allocator = Rc::new(RefCell::new(AllocatorModel::default()));
        let (model, tokens, log_vm) = (Rc::clone(&allocator), Rc::clone(&ledger), (*vm).clone());
        vm.on_call(ALLOCATOR, move |called| {
            let mut allocator = model.borrow_mut();
            match called.selector() {
                lrt_allocator_selectors::TOTAL_ASSETS => {
                    assert!(called.is_static, "totalAssets is read with a static call");
                    if allocator.broken {
                        return Err(b"allocator: broken".to_vec());
                    }
                    Ok(word(allocator.total))
                }
                lrt_allocator_selectors::CREDIT => {
                    assert!(!called.is_static && called.from == LRT);
                    // Like the allocator, credit prices what it managed before.
                    if allocator.broken {
                        return Err(b"allocator: broken".to_vec());
                    }
                    let assets = called.amount(0);
                    let before = allocator.total;
                    allocator.total += assets;
                    assert!(
                        tokens.borrow().balance_of(ALLOCATOR) >= allocator.total,
                        "credited LST arrived first"
                    );
                    allocator.credits.push(assets);
                    Ok(word(before))
                }
                lrt_allocator_selectors::RELEASE => {
                    assert!(!called.is_static && called.from == LRT);
                    let assets = called.amount(0);
                    if assets > allocator.total - allocator.delegated {
                        return Err(allocator_revert());
                    }
                    allocator.total -= assets;
                    let mut ledger = tokens.borrow_mut();
                    *ledger.balances.entry(ALLOCATOR).or_default() -= assets;
                    *ledger.balances.entry(LRT).or_default() += assets;
                    allocator.releases.push(assets);
                    write_logs(&log_vm, vec![transfer(ALLOCATOR, LRT, assets)]);
                    Ok(Vec::new())
                }
                other => panic!("allocator: unknown selector {other:02x?}"),
            }
        });
        let vault = Rc::new(RefCell::new(VaultModel::default()));
        let (model, tokens, log_vm) = (Rc::clone(&vault), Rc::clone(&ledger), (*vm).clone());
        vm.on_call(VAULT, move |called| match called.selector() {
            vault_selectors::TOKEN => Ok(LST.into_word().to_vec()),
            vault_selectors::GET_RATE => {
                assert!(called.is_static);
                Ok(word(U256::from(VAULT_RATE)))
            }
            vault_selectors::DEPOSIT => {
                let mut vault = model.borrow_mut();
                if called.value < vault.min_deposit {
                    return Err(vault_revert());
                }
                vault.received += called.value;
                let minted = called.value * U256::from(LST_PER_ETH) / WAD;
                let receiver = called.address(0);
                let mut ledger = tokens.borrow_mut();
                ledger.supply += minted;
                *ledger.balances.entry(receiver).or_default() += minted;
                write_logs(&log_vm, vec![transfer(Address::ZERO, receiver, minted)]);
                Ok(word(minted))
            }
            other => panic!("vault: unknown selector {other:02x?}"),
        });
        {
            let mut ledger = ledger.borrow_mut();
            for user in USERS {
                ledger.supply += eth(1_000);
                ledger.balances.insert(user, eth(1_000));
                ledger.allowances.insert((user, LRT), U256::MAX);
            }
        }
        vm.set_code(EXTENSION, EXTENSION_CODE.to_vec());
        let mut lrt = Lrt::from(&vm);
        lrt.constructor(ADMIN, VAULT, ALLOCATOR, EXTENSION)
            .expect("constructor with non-zero addresses and a vault with a token");
        vm.set_sender(ADMIN);
        lrt.grant_role(PAUSER_ROLE, PAUSER)
            .expect("the admin grants");
        lrt.grant_role(ALLOCATOR_ROLE, KEEPER)
            .expect("the admin grants");
        vm.clear_mocks();
        vm.clear_calls();
        Self {
            vm,
            ledger,
            shares,
            allocator,
            vault,
            lrt,
        }
    }

    /// Deployed, with the share token created.
    fn new() -> Self {
        let mut f = Self::deployed();
        f.as_(ADMIN);
        f.vm.mock_deploy(
            child_init_code(SHARE_CODE).expect("short code"),
            None,
            Ok(SHARE),
        );
        f.lrt
            .create_share(SHARE_CODE.to_vec().into())
            .expect("create the share token");
        f.take_logs();
        f.vm.clear_calls();
        f
    }

    /// Alice deposited 100 LST and Bob 50.
    fn funded() -> Self {
        let mut f = Self::new();
        f.deposit(ALICE, eth(100));
        f.deposit(BOB, eth(50));
        f.take_logs();
        f.vm.clear_calls();
        f
    }

    fn as_(&self, who: Address) {
        self.vm.set_sender(who);
        self.vm.set_value(U256::ZERO);
    }

    fn paying(&self, who: Address, value: U256) {
        self.vm.set_sender(who);
        self.vm.set_value(value);
    }

    fn advance(&self, seconds: u64) {
        self.vm.set_block_timestamp(T0 + seconds);
    }

    fn deposit(&mut self, who: Address, assets: U256) -> U256 {
        self.as_(who);
        self.lrt.deposit(assets, who).expect("deposit")
    }

    fn request(&mut self, who: Address, shares: U256) -> U256 {
        self.as_(who);
        self.lrt
            .request_redeem(shares, who, who)
            .expect("requestRedeem")
    }

    fn fulfill(&mut self, up_to: U256) -> U256 {
        self.as_(KEEPER);
        self.lrt.fulfill(up_to).expect("fulfill")
    }

    fn pause(&mut self) {
        self.as_(PAUSER);
        self.lrt.pause().expect("the pauser pauses");
    }

    /// Rewards (or a donation credited to the allocator): `amount` LST more under management.
    fn gain(&self, amount: U256) {
        let mut ledger = self.ledger.borrow_mut();
        ledger.supply += amount;
        *ledger.balances.entry(ALLOCATOR).or_default() += amount;
        self.allocator.borrow_mut().total += amount;
    }

    /// A slash: `amount` LST less under management.
    fn slash(&self, amount: U256) {
        let mut ledger = self.ledger.borrow_mut();
        ledger.supply -= amount;
        *ledger.balances.entry(ALLOCATOR).or_default() -= amount;
        self.allocator.borrow_mut().total -= amount;
    }

    fn total(&self) -> U256 {
        self.allocator.borrow().total
    }

    fn supply(&self) -> U256 {
        self.lrt.total_shares()
    }

    fn lst(&self, who: Address) -> U256 {
        self.ledger.borrow().balance_of(who)
    }

    fn shares_of(&self, who: Address) -> U256 {
        self.shares.borrow().balance(who)
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }
}

impl Fixture for Fx {
    type Contract = Lrt;
    type Error = LrtError;
    type State = State;
    type Models = (Erc20Ledger, ShareModel, AllocatorModel, VaultModel);

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut Lrt {
        &mut self.lrt
    }

    fn state(&self) -> State {
        let l = &self.lrt;
        let (next, _) = l.queue_state();
        State {
            share: l.share(),
            total_shares: l.total_shares(),
            reserved: l.reserved_assets(),
            limits: (l.min_deposit(), l.deposit_cap(), l.min_redeem()),
            queue: l.queue_state(),
            paused: l.paused(),
            controllers: HOLDERS
                .iter()
                .map(|&c| {
                    (
                        l.pending_redeem_request(U256::ZERO, c),
                        l.max_redeem(c),
                        l.max_withdraw(c),
                    )
                })
                .collect(),
            operators: HOLDERS
                .iter()
                .flat_map(|&c| HOLDERS.iter().map(move |&o| l.is_operator(c, o)))
                .collect(),
            requests: (1..next.to::<u64>())
                .map(|id| l.redeem_request(U256::from(id)).expect("exists"))
                .collect(),
            shares: self.shares.borrow().clone(),
            lst: HOLDERS.iter().map(|&a| self.lst(a)).collect(),
            allocator: self.allocator.borrow().clone(),
            vault: self.vault.borrow().clone(),
            storage: nonzero_storage(&self.vm),
        }
    }

    fn save_models(&self) -> (Erc20Ledger, ShareModel, AllocatorModel, VaultModel) {
        (
            self.ledger.borrow().clone(),
            self.shares.borrow().clone(),
            self.allocator.borrow().clone(),
            self.vault.borrow().clone(),
        )
    }

    fn restore_models(&mut self, models: (Erc20Ledger, ShareModel, AllocatorModel, VaultModel)) {
        let (ledger, shares, allocator, vault) = models;
        *self.ledger.borrow_mut() = ledger;
        *self.shares.borrow_mut() = shares;
        *self.allocator.borrow_mut() = allocator;
        *self.vault.borrow_mut() = vault;
    }
}

fn unauthorized(account: Address, role: B256) -> LrtError {
    LrtError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn enforced_pause() -> LrtError {
    LrtError::EnforcedPause(EnforcedPause {})
}

fn zero_amount() -> LrtError {
    LrtError::ZeroAmount(LrtZeroAmount {})
}

fn lst_allowance(spender: Address, allowance: U256, needed: U256) -> LrtError {
    LrtError::Reverted(
        ERC20InsufficientAllowance {
            spender,
            allowance,
            needed,
        }
        .abi_encode(),
    )
}

// ---------------------------------------------------------------------------------------------
// Constructor and share binding
// ---------------------------------------------------------------------------------------------

#[test]
fn constructor_binds_the_neighbours_grants_the_admin_and_sets_defaults() {
    let f = Fx::deployed();
    let l = &f.lrt;
    assert_eq!(l.vault(), VAULT);
    assert_eq!(l.asset(), LST, "read from the vault's token()");
    assert_eq!(l.allocator(), ALLOCATOR);
    assert_eq!(l.extension(), EXTENSION);
    assert_eq!(l.share(), Address::ZERO, "created later by createShare");
    assert_eq!(l.min_deposit(), eth(1) / wei(100));
    assert_eq!(l.deposit_cap(), eth(100_000));
    assert_eq!(l.min_redeem(), eth(1) / wei(1_000));
    assert_eq!(l.queue_state(), (wei(1), wei(1)), "request ids start at 1");
    assert!(l.has_role(B256::ZERO, ADMIN));
    assert!(!l.has_role(B256::ZERO, DEPLOYER));
    assert!(!l.paused());
    assert_eq!(l.total_shares(), U256::ZERO);
}

#[test]
fn constructor_rejects_a_zero_address() {
    let addresses = [ADMIN, VAULT, ALLOCATOR, EXTENSION];
    for zero in 0..addresses.len() {
        let vm = MockHost::default();
        vm.set_contract_address(LRT);
        let mut args = addresses;
        args[zero] = Address::ZERO;
        let mut lrt = Lrt::from(&vm);
        assert_eq!(
            lrt.constructor(args[0], args[1], args[2], args[3]),
            Err(LrtError::ZeroAddress(LrtZeroAddress {})),
            "argument {zero}"
        );
        assert!(vm.snapshot().storage.values().all(B256::is_zero));
    }
}

#[test]
fn constructor_rejects_an_extension_without_code() {
    let vm = MockHost::default();
    vm.set_contract_address(LRT);
    vm.on_call(VAULT, |_| Ok(LST.into_word().to_vec()));
    let mut lrt = Lrt::from(&vm);
    assert_eq!(
        lrt.constructor(ADMIN, VAULT, ALLOCATOR, EXTENSION),
        Err(LrtError::ExtensionHasNoCode(LrtExtensionHasNoCode {
            extension: EXTENSION
        }))
    );
    assert!(vm.snapshot().storage.values().all(B256::is_zero));
    assert!(vm.calls().is_empty(), "refused before asking the vault");
}

#[test]
fn constructor_rejects_a_vault_without_a_token() {
    for answer in [Ok(B256::ZERO.to_vec()), Ok(Vec::new()), Err(b"no".to_vec())] {
        let vm = MockHost::default();
        vm.set_contract_address(LRT);
        vm.on_call(VAULT, move |_| answer.clone());
        vm.set_code(EXTENSION, EXTENSION_CODE.to_vec());
        let mut lrt = Lrt::from(&vm);
        assert_eq!(
            lrt.constructor(ADMIN, VAULT, ALLOCATOR, EXTENSION),
            Err(LrtError::TokenNotSet(LrtTokenNotSet { vault: VAULT }))
        );
        assert!(vm.snapshot().storage.values().all(B256::is_zero));
    }
}

#[test]
fn the_share_token_is_the_lrts_first_creation() {
    assert_eq!(SHARE, LRT.create(1));
}

#[test]
fn create_share_creates_the_token_once_and_emits() {
    let mut f = Fx::deployed();
    f.as_(ADMIN);
    // The mocked creation answers only the exact creation code.
    f.vm.mock_deploy(
        child_init_code(SHARE_CODE).expect("short code"),
        None,
        Ok(SHARE),
    );
    assert_eq!(f.lrt.create_share(SHARE_CODE.to_vec().into()), Ok(()));
    assert_eq!(f.lrt.share(), SHARE, "derived: the LRT's first creation");
    assert_logs(&f.take_logs(), &[log(&ShareSet { share: SHARE })]);
    assert!(f.vm.calls().is_empty(), "nothing is called");
    f.rejects(
        LrtError::ShareAlreadySet(LrtShareAlreadySet { share: SHARE }),
        |l| l.create_share(SHARE_CODE.to_vec().into()),
    );
}

#[test]
fn create_share_refuses_a_stranger_and_a_failed_creation() {
    let mut f = Fx::deployed();
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, B256::ZERO), |l| {
        l.create_share(SHARE_CODE.to_vec().into())
    });
    f.as_(ADMIN);
    // No mock: the creation returns the zero address, as a refused code or no gas does.
    f.rejects(
        LrtError::ShareCreationFailed(LrtShareCreationFailed {}),
        |l| l.create_share(SHARE_CODE.to_vec().into()),
    );
    // Not a Stylus program's code: refused before any creation (the mock would answer it).
    let evm = vec![0x60, 0x00, 0x60, 0x00, 0xf3];
    f.vm.mock_deploy(child_init_code(&evm).expect("short code"), None, Ok(SHARE));
    f.rejects(
        LrtError::ShareCreationFailed(LrtShareCreationFailed {}),
        |l| l.create_share(evm.clone().into()),
    );
    // A creation that lands elsewhere than the LRT's first creation: refused.
    f.vm.mock_deploy(
        child_init_code(SHARE_CODE).expect("short code"),
        None,
        Ok(LRT.create(2)),
    );
    f.rejects(
        LrtError::ShareCreationFailed(LrtShareCreationFailed {}),
        |l| l.create_share(SHARE_CODE.to_vec().into()),
    );
    assert_eq!(f.lrt.share(), Address::ZERO);
}

#[test]
fn deposits_and_requests_wait_for_the_share_token() {
    let mut f = Fx::deployed();
    let not_set = || LrtError::ShareNotSet(LrtShareNotSet {});
    f.as_(ALICE);
    f.rejects(not_set(), |l| l.deposit(eth(1), ALICE));
    f.rejects(not_set(), |l| l.mint(eth(1), ALICE));
    f.rejects(not_set(), |l| l.request_redeem(eth(1), ALICE, ALICE));
    f.vm.clear_calls();
    f.paying(ALICE, eth(1));
    f.rejects(not_set(), |l| l.deposit_eth(ALICE));
    assert!(
        f.vm.calls().is_empty(),
        "nothing is called before the share token is created"
    );
}

// ---------------------------------------------------------------------------------------------
// ERC-165
// ---------------------------------------------------------------------------------------------

#[test]
fn interface_ids_are_the_standard_ones() {
    assert_eq!(ERC165_ID, [0x01, 0xff, 0xc9, 0xa7]);
    assert_eq!(ERC7540_REDEEM_ID, [0x62, 0x0e, 0xe8, 0xe4]);
    assert_eq!(ERC7540_OPERATOR_ID, [0xe3, 0xbc, 0x4e, 0x65]);
    assert_eq!(ERC7575_ID, [0x2f, 0x0a, 0x18, 0xc5]);
    assert_eq!(SHARE_LOCK, selector("lock(address,address,uint256)"));
}

#[test]
fn supports_interface_answers_for_exactly_the_four_ids() {
    let f = Fx::new();
    for id in [
        ERC165_ID,
        ERC7540_REDEEM_ID,
        ERC7540_OPERATOR_ID,
        ERC7575_ID,
    ] {
        assert!(f.lrt.supports_interface(FixedBytes(id)), "{id:02x?}");
    }
    for id in [
        [0xff; 4],
        [0; 4],
        [0xce, 0x3b, 0xbe, 0x50], // ERC-7540 asynchronous deposits: not supported
        [0x36, 0x37, 0x2b, 0x07], // ERC-20: on the share token
    ] {
        assert!(!f.lrt.supports_interface(FixedBytes(id)), "{id:02x?}");
    }
}

// ---------------------------------------------------------------------------------------------
// deposit and mint
// ---------------------------------------------------------------------------------------------

#[test]
fn deposit_mints_at_the_current_price_and_moves_the_lst_to_the_allocator() {
    let mut f = Fx::funded();
    f.gain(eth(15)); // rewards since: 165 LST for 150 shares
    let (total, supply) = (f.total(), f.supply());
    let assets = eth(33);
    let expected = shares_for(assets, total, supply);
    assert_eq!(f.lrt.preview_deposit(assets), Ok(expected));
    f.vm.clear_calls();
    f.as_(CAROL);
    assert_eq!(f.lrt.deposit(assets, BOB), Ok(expected));
    assert_eq!(f.shares_of(BOB), eth(50) + expected);
    assert_eq!(f.supply(), supply + expected);
    assert_eq!(f.lst(CAROL), eth(1_000) - assets);
    assert_eq!(f.lst(ALLOCATOR), total + assets);
    assert_eq!(f.total(), total + assets);
    assert_eq!(f.allocator.borrow().credits.last(), Some(&assets));
    assert_logs(
        &f.take_logs(),
        &[
            transfer(CAROL, ALLOCATOR, assets),
            deposit_log(CAROL, BOB, assets, expected),
            rate_log(total + assets, supply + expected),
            transfer(Address::ZERO, BOB, expected),
        ],
    );
    let calls = f.vm.calls();
    let summary: Vec<_> = calls
        .iter()
        .map(|c| (c.to, c.selector(), c.is_static))
        .collect();
    // The LST first; `credit` counts it and answers the price before it; then the shares.
    assert_eq!(
        summary,
        [
            (LST, erc20_selectors::TRANSFER_FROM, false),
            (ALLOCATOR, lrt_allocator_selectors::CREDIT, false),
            (SHARE, lst_selectors::MINT, false),
        ]
    );
    assert_eq!(
        (calls[0].address(0), calls[0].address(1), calls[0].amount(2)),
        (CAROL, ALLOCATOR, assets)
    );
    assert_eq!(calls[1].amount(0), assets);
    assert_eq!((calls[2].address(0), calls[2].amount(1)), (BOB, expected));
}

#[test]
fn the_first_deposit_is_one_to_one_and_reports_the_rate() {
    let mut f = Fx::new();
    f.as_(ALICE);
    assert_eq!(f.lrt.deposit(eth(10), ALICE), Ok(eth(10)));
    assert_logs(
        &f.take_logs(),
        &[
            transfer(ALICE, ALLOCATOR, eth(10)),
            deposit_log(ALICE, ALICE, eth(10), eth(10)),
            rate_log(eth(10), eth(10)),
            transfer(Address::ZERO, ALICE, eth(10)),
        ],
    );
    // Same price again: no second RateUpdated.
    f.as_(BOB);
    assert_eq!(f.lrt.deposit(eth(5), BOB), Ok(eth(5)));
    assert_eq!(
        topic0s(&f.take_logs()),
        [
            Transfer::SIGNATURE_HASH,
            Deposit::SIGNATURE_HASH,
            Transfer::SIGNATURE_HASH
        ]
    );
}

#[test]
fn previews_equal_the_actions_after_gains_and_losses() {
    let mut f = Fx::funded();
    for (step, assets) in [(0, eth(7) + wei(3)), (1, eth(1) / wei(3)), (2, eth(2))] {
        match step {
            0 => f.gain(eth(12) + wei(7)),
            1 => f.slash(eth(30) + wei(11)),
            _ => f.gain(wei(999)),
        }
        let preview = f.lrt.preview_deposit(assets).expect("preview");
        assert_eq!(f.lrt.convert_to_shares(assets), Ok(preview));
        f.as_(CAROL);
        assert_eq!(f.lrt.deposit(assets, CAROL), Ok(preview));
        let shares = preview / wei(2) + wei(1);
        let cost = f.lrt.preview_mint(shares).expect("preview");
        assert_eq!(cost, mint_cost(shares, f.total(), f.supply()));
        let before = f.lst(CAROL);
        assert_eq!(f.lrt.mint(shares, CAROL), Ok(cost));
        assert_eq!(before - f.lst(CAROL), cost);
    }
}

#[test]
fn mint_charges_the_assets_rounded_up_and_mints_exactly_the_shares() {
    let mut f = Fx::funded();
    f.gain(eth(1) / wei(3)); // an awkward price
    let (total, supply) = (f.total(), f.supply());
    let shares = eth(10);
    let cost = mint_cost(shares, total, supply);
    assert!(
        cost * (supply + wei(1_000)) > shares * (total + wei(1_000)),
        "rounded up"
    );
    f.as_(CAROL);
    assert_eq!(f.lrt.mint(shares, ALICE), Ok(cost));
    assert_eq!(f.shares_of(ALICE), eth(100) + shares);
    assert_logs(
        &f.take_logs(),
        &[
            deposit_log(CAROL, ALICE, cost, shares),
            rate_log(total + cost, supply + shares),
            transfer(Address::ZERO, ALICE, shares),
            transfer(CAROL, ALLOCATOR, cost),
        ],
    );
}

/// Funded, with a minimum deposit of 1 LST and a cap of 200 (room for 50).
fn limited() -> Fx {
    let mut f = Fx::funded();
    f.as_(ADMIN);
    f.lrt
        .set_limits(eth(1), eth(200), wei(1))
        .expect("admin sets limits");
    f.take_logs();
    f.vm.clear_calls();
    f
}

/// A deposit of `who` just under the minimum of [`limited`].
fn too_small(f: &mut Fx, who: Address) {
    f.rejects(
        LrtError::DepositTooSmall(LrtDepositTooSmall {
            assets: eth(1) - wei(1),
            minimum: eth(1),
        }),
        |l| l.deposit(eth(1) - wei(1), who),
    );
}

#[test]
fn deposit_below_the_minimum_or_beyond_the_cap_is_rejected() {
    let mut f = limited();
    f.as_(CAROL);
    too_small(&mut f, CAROL);
    // The cap needs the price, which `credit` answers after the LST moved: rolled back.
    f.reverts(
        LrtError::ExceededMaxDeposit(LrtExceededMaxDeposit {
            receiver: CAROL,
            assets: eth(50) + wei(1),
            max: eth(50),
        }),
        |l| l.deposit(eth(50) + wei(1), CAROL),
    );
    // mint: checked on the LST the shares cost.
    let cost = f.lrt.preview_mint(eth(51)).expect("preview");
    f.rejects(
        LrtError::ExceededMaxDeposit(LrtExceededMaxDeposit {
            receiver: CAROL,
            assets: cost,
            max: eth(50),
        }),
        |l| l.mint(eth(51), CAROL),
    );
    f.rejects(
        LrtError::DepositTooSmall(LrtDepositTooSmall {
            assets: U256::ZERO,
            minimum: eth(1),
        }),
        |l| l.mint(U256::ZERO, CAROL),
    );
    // Exactly the room is fine.
    assert_eq!(f.lrt.deposit(eth(50), CAROL), Ok(eth(50)));
    assert_eq!(f.lrt.max_deposit(CAROL), U256::ZERO);
}

#[test]
fn deposit_to_zero_to_the_vault_or_to_the_share_token_is_rejected_before_anything_moves() {
    let mut f = Fx::funded();
    f.as_(CAROL);
    for receiver in [Address::ZERO, LRT, SHARE] {
        f.rejects(
            LrtError::InvalidReceiver(LrtInvalidReceiver { receiver }),
            |l| l.deposit(eth(1), receiver),
        );
        f.rejects(
            LrtError::InvalidReceiver(LrtInvalidReceiver { receiver }),
            |l| l.mint(eth(1), receiver),
        );
    }
}

#[test]
fn deposit_that_would_mint_no_shares_is_rejected() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    f.lrt
        .set_limits(wei(1), eth(100_000), wei(1))
        .expect("admin sets limits");
    f.gain(eth(10)); // LST credited to the allocator before any share exists
    f.as_(CAROL);
    f.reverts(LrtError::ZeroShares(LrtZeroShares {}), |l| {
        l.deposit(wei(1), CAROL)
    });
}

#[test]
fn deposit_checks_the_receiver_and_the_minimum_before_the_lst_moves_and_the_cap_after() {
    let mut f = limited();
    // STRANGER holds no LST and approved nothing.
    f.as_(STRANGER);
    f.rejects(
        LrtError::InvalidReceiver(LrtInvalidReceiver {
            receiver: Address::ZERO,
        }),
        |l| l.deposit(eth(2), Address::ZERO),
    );
    too_small(&mut f, STRANGER);
    assert!(
        f.vm.calls().is_empty(),
        "nothing called before these checks"
    );
    f.reverts(lst_allowance(LRT, U256::ZERO, eth(51)), |l| {
        l.deposit(eth(51), STRANGER)
    });
}

#[test]
fn deposit_without_an_lst_allowance_or_balance_reverts_with_the_tokens_error() {
    let mut f = Fx::funded();
    f.ledger
        .borrow_mut()
        .allowances
        .insert((CAROL, LRT), eth(2));
    f.as_(CAROL);
    f.reverts(lst_allowance(LRT, eth(2), eth(3)), |l| {
        l.deposit(eth(3), CAROL)
    });
    f.as_(STRANGER);
    f.reverts(lst_allowance(LRT, U256::ZERO, eth(1)), |l| {
        l.deposit(eth(1), STRANGER)
    });
}

#[test]
fn deposit_with_permit_approves_and_deposits_in_one_call() {
    let mut f = Fx::funded();
    let (total, supply) = (f.total(), f.supply());
    let assets = eth(3);
    let expected = shares_for(assets, total, supply);
    let (r, s) = (B256::repeat_byte(7), B256::repeat_byte(8));
    f.as_(CAROL);
    assert_eq!(
        f.lrt.deposit_with_permit(assets, BOB, U256::MAX, 27, r, s),
        Ok(expected)
    );
    assert_eq!(f.shares_of(BOB), eth(50) + expected);
    assert_eq!(f.lst(CAROL), eth(1_000) - assets);
    // The permit's allowance is exactly what the deposit spent.
    assert_eq!(
        f.ledger.borrow().allowances.get(&(CAROL, LRT)),
        Some(&U256::ZERO)
    );
    let calls = f.vm.calls();
    let permit = &calls[0];
    assert_eq!(
        (permit.to, permit.selector()),
        (LST, erc20_selectors::PERMIT)
    );
    assert_eq!(
        (
            permit.address(0),
            permit.address(1),
            permit.amount(2),
            permit.amount(3),
            permit.amount(4),
            permit.word(5),
            permit.word(6),
        ),
        (CAROL, LRT, assets, U256::MAX, U256::from(27), r, s)
    );
    let rest: Vec<_> = calls[1..].iter().map(|c| (c.to, c.selector())).collect();
    assert_eq!(
        rest,
        [
            (LST, erc20_selectors::TRANSFER_FROM),
            (ALLOCATOR, lrt_allocator_selectors::CREDIT),
            (SHARE, lst_selectors::MINT),
        ]
    );
}

#[test]
fn a_used_permit_is_ignored_when_the_allowance_covers_the_deposit() {
    let mut f = Fx::funded();
    let r = B256::repeat_byte(7);
    // Someone submitted CAROL's permit before her deposit: the allowance is there.
    f.ledger.borrow_mut().used_permits.insert(r);
    f.ledger
        .borrow_mut()
        .allowances
        .insert((CAROL, LRT), eth(3));
    let expected = shares_for(eth(3), f.total(), f.supply());
    f.as_(CAROL);
    assert_eq!(
        f.lrt
            .deposit_with_permit(eth(3), CAROL, U256::MAX, 27, r, r),
        Ok(expected)
    );
    assert_eq!(f.shares_of(CAROL), expected);
}

#[test]
fn a_failing_permit_without_the_allowance_reverts_with_the_tokens_error() {
    let mut f = Fx::funded();
    let refused = ERC2612InvalidSigner {
        signer: Address::ZERO,
        owner: CAROL,
    }
    .abi_encode();
    f.ledger.borrow_mut().allowances.remove(&(CAROL, LRT));
    f.as_(CAROL);
    // A bad signature, no allowance.
    f.rejects(LrtError::Reverted(refused.clone()), |l| {
        l.deposit_with_permit(eth(3), CAROL, U256::MAX, 27, B256::ZERO, B256::ZERO)
    });
    // A replayed permit and an allowance short of the deposit.
    let r = B256::repeat_byte(7);
    f.ledger.borrow_mut().used_permits.insert(r);
    f.ledger
        .borrow_mut()
        .allowances
        .insert((CAROL, LRT), eth(2));
    f.rejects(LrtError::Reverted(refused), |l| {
        l.deposit_with_permit(eth(3), CAROL, U256::MAX, 27, r, r)
    });
    // Paused: refused before the token is called.
    f.pause();
    f.take_logs();
    f.vm.clear_calls();
    f.as_(CAROL);
    f.rejects(enforced_pause(), |l| {
        l.deposit_with_permit(eth(3), CAROL, U256::MAX, 27, r, r)
    });
    assert!(f.vm.calls().is_empty());
}

#[test]
fn deposit_while_paused_or_with_an_unreadable_allocator_is_rejected() {
    let mut f = Fx::funded();
    f.allocator.borrow_mut().broken = true;
    f.as_(CAROL);
    // The LST moves first; credit, which prices the deposit, fails: rolled back.
    f.reverts(LrtError::Reverted(b"allocator: broken".to_vec()), |l| {
        l.deposit(eth(1), CAROL)
    });
    assert_eq!(
        f.lrt.max_deposit(CAROL),
        U256::ZERO,
        "maxDeposit never reverts"
    );
    assert_eq!(f.lrt.max_mint(CAROL), U256::ZERO);
    f.allocator.borrow_mut().broken = false;
    f.pause();
    f.take_logs();
    f.as_(CAROL);
    f.rejects(enforced_pause(), |l| l.deposit(eth(1), CAROL));
    f.rejects(enforced_pause(), |l| l.mint(eth(1), CAROL));
}

#[test]
fn max_deposit_and_max_mint_are_the_room_under_the_cap_and_zero_while_paused() {
    let mut f = Fx::funded();
    f.as_(ADMIN);
    f.lrt
        .set_limits(wei(1), eth(400), wei(1))
        .expect("admin sets limits");
    f.gain(eth(1) / wei(7));
    let (total, supply) = (f.total(), f.supply());
    let room = eth(400) - total;
    assert_eq!(f.lrt.max_deposit(ALICE), room);
    let max_mint = shares_for(room, total, supply);
    assert_eq!(f.lrt.max_mint(ALICE), max_mint);
    // Minting the most costs at most the room.
    f.as_(CAROL);
    let cost = f.lrt.mint(max_mint, CAROL).expect("mint the most");
    assert!(cost <= room);
    assert_eq!(f.lrt.max_deposit(ALICE), room - cost);
    // Past the cap (a donation): no room, no underflow.
    f.gain(eth(1_000));
    assert_eq!(f.lrt.max_deposit(ALICE), U256::ZERO);
    assert_eq!(f.lrt.max_mint(ALICE), U256::ZERO);
    f.slash(eth(1_000));
    assert_eq!(f.lrt.max_deposit(ALICE), room - cost);
    f.pause();
    assert_eq!(f.lrt.max_deposit(ALICE), U256::ZERO);
}

#[test]
fn max_deposit_and_max_mint_are_zero_when_no_deposit_could_succeed() {
    // Before the share token exists.
    let f = Fx::deployed();
    assert_eq!(f.lrt.max_deposit(ALICE), U256::ZERO);
    assert_eq!(f.lrt.max_mint(ALICE), U256::ZERO);
    // For a receiver the deposit refuses.
    let mut f = Fx::funded();
    // About 2 LST per LRT, at a price where the shares 1 LST buys (rounded down) cost less.
    f.gain(eth(149) + eth(1) / wei(9));
    for receiver in [Address::ZERO, LRT, SHARE] {
        assert_eq!(f.lrt.max_deposit(receiver), U256::ZERO);
        assert_eq!(f.lrt.max_mint(receiver), U256::ZERO);
    }
    assert!(f.lrt.max_deposit(ALICE) > U256::ZERO);
    // When the room buys no share (1 wei at about 2 LST per LRT).
    f.as_(ADMIN);
    f.lrt
        .set_limits(wei(1), f.total() + wei(1), wei(1))
        .expect("admin sets limits");
    assert_eq!(f.lrt.max_deposit(ALICE), U256::ZERO);
    assert_eq!(f.lrt.max_mint(ALICE), U256::ZERO);
    // When the room under the cap is below the minimum deposit.
    let minimum = eth(1);
    f.as_(ADMIN);
    f.lrt
        .set_limits(minimum, f.total() + minimum - wei(1), wei(1))
        .expect("admin sets limits");
    assert_eq!(f.lrt.max_deposit(ALICE), U256::ZERO);
    assert_eq!(f.lrt.max_mint(ALICE), U256::ZERO);
    f.as_(ADMIN);
    f.lrt
        .set_limits(minimum, f.total() + minimum, wei(1))
        .expect("admin sets limits");
    assert_eq!(f.lrt.max_deposit(ALICE), minimum);
    // The most shares the room buys cost less than the minimum: no mint can succeed.
    let shares = shares_for(minimum, f.total(), f.supply());
    assert!(f.lrt.preview_mint(shares).expect("preview") < minimum);
    assert_eq!(f.lrt.max_mint(ALICE), U256::ZERO);
    f.as_(CAROL);
    assert!(f.lrt.deposit(minimum, CAROL).is_ok());
}

// ---------------------------------------------------------------------------------------------
// depositEth
// ---------------------------------------------------------------------------------------------

#[test]
fn deposit_eth_stakes_for_the_allocator_and_mints_at_the_pre_deposit_price() {
    let mut f = Fx::funded();
    f.gain(eth(9));
    let (total, supply) = (f.total(), f.supply());
    let lst = eth(4) * U256::from(LST_PER_ETH) / WAD;
    let expected = shares_for(lst, total, supply);
    f.paying(CAROL, eth(4));
    assert_eq!(f.lrt.deposit_eth(ALICE), Ok(expected));
    assert_eq!(f.vault.borrow().received, eth(4));
    assert_eq!(f.shares_of(ALICE), eth(100) + expected);
    assert_eq!(f.total(), total + lst);
    assert_eq!(f.lst(ALLOCATOR), total + lst);
    assert_logs(
        &f.take_logs(),
        &[
            transfer(Address::ZERO, ALLOCATOR, lst),
            deposit_log(CAROL, ALICE, lst, expected),
            rate_log(total + lst, supply + expected),
            transfer(Address::ZERO, ALICE, expected),
        ],
    );
    let calls = f.vm.calls();
    let summary: Vec<_> = calls
        .iter()
        .map(|c| (c.to, c.selector(), c.value))
        .collect();
    assert_eq!(
        summary,
        [
            (VAULT, vault_selectors::DEPOSIT, eth(4)),
            (ALLOCATOR, lrt_allocator_selectors::CREDIT, U256::ZERO),
            (SHARE, lst_selectors::MINT, U256::ZERO),
        ],
        "the vault first; then the credit, which answers the price before it; then the shares"
    );
    assert_eq!(
        calls[0].address(0),
        ALLOCATOR,
        "the LST is minted to the allocator"
    );
    assert_eq!(calls[1].amount(0), lst);
}

#[test]
fn deposit_eth_passes_the_vaults_errors_and_applies_the_lrt_limits_to_the_lst() {
    let mut f = Fx::funded();
    f.vault.borrow_mut().min_deposit = eth(1);
    f.paying(CAROL, eth(1) - wei(1));
    f.reverts(LrtError::Reverted(vault_revert()), |l| l.deposit_eth(CAROL));
    f.vault.borrow_mut().min_deposit = U256::ZERO;
    // 0.01 ETH mints 0.008 LST, below the LRT's minimum of 0.01 LST.
    f.paying(CAROL, eth(1) / wei(100));
    f.reverts(
        LrtError::DepositTooSmall(LrtDepositTooSmall {
            assets: eth(8) / wei(1_000),
            minimum: eth(1) / wei(100),
        }),
        |l| l.deposit_eth(CAROL),
    );
    f.paying(CAROL, eth(1));
    f.reverts(
        LrtError::InvalidReceiver(LrtInvalidReceiver {
            receiver: Address::ZERO,
        }),
        |l| l.deposit_eth(Address::ZERO),
    );
    // The cap, on the price the allocator's credit answers: 150 LST managed, room for 1.
    f.as_(ADMIN);
    f.lrt
        .set_limits(wei(1), eth(151), wei(1))
        .expect("admin sets limits");
    f.take_logs();
    f.paying(CAROL, eth(2));
    f.reverts(
        LrtError::ExceededMaxDeposit(LrtExceededMaxDeposit {
            receiver: CAROL,
            assets: eth(2) * U256::from(LST_PER_ETH) / WAD,
            max: eth(1),
        }),
        |l| l.deposit_eth(CAROL),
    );
    f.pause();
    f.paying(CAROL, eth(1));
    f.rejects(enforced_pause(), |l| l.deposit_eth(CAROL));
}

// ---------------------------------------------------------------------------------------------
// requestRedeem and the request views
// ---------------------------------------------------------------------------------------------

#[test]
fn request_redeem_by_the_owner_locks_the_shares_and_records_their_value() {
    let mut f = Fx::funded();
    f.gain(eth(6));
    let (total, supply) = (f.total(), f.supply());
    let value = value_of(eth(30), total, supply);
    f.advance(100);
    f.as_(ALICE);
    assert_eq!(f.lrt.request_redeem(eth(30), CAROL, ALICE), Ok(wei(1)));
    assert_eq!(f.shares_of(ALICE), eth(70));
    assert_eq!(f.shares_of(LRT), eth(30));
    assert_eq!(f.supply(), supply, "locked shares stay in the supply");
    assert_eq!(
        f.lrt.redeem_request(wei(1)),
        Ok((CAROL, eth(30), value, T0 + 100, false))
    );
    assert_eq!(f.lrt.pending_redeem_request(wei(1), CAROL), eth(30));
    assert_eq!(f.lrt.pending_redeem_request(U256::ZERO, CAROL), eth(30));
    assert_eq!(f.lrt.pending_redeem_request(wei(1), ALICE), U256::ZERO);
    assert_eq!(f.lrt.claimable_redeem_request(wei(1), CAROL), U256::ZERO);
    assert_eq!(f.lrt.queue_state(), (wei(2), wei(1)));
    assert_logs(
        &f.take_logs(),
        &[
            transfer(ALICE, LRT, eth(30)),
            log(&RedeemRequest {
                controller: CAROL,
                owner: ALICE,
                requestId: wei(1),
                sender: ALICE,
                shares: eth(30),
            }),
        ],
    );
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].selector(), SHARE_LOCK);
    assert_eq!(
        (calls[1].address(0), calls[1].address(1), calls[1].amount(2)),
        (ALICE, ALICE, eth(30)),
        "the owner locks without an allowance"
    );
}

#[test]
fn request_redeem_by_an_operator_needs_no_allowance() {
    let mut f = Fx::funded();
    f.as_(ALICE);
    f.lrt.set_operator(BOB, true).expect("approve an operator");
    f.take_logs();
    f.as_(BOB);
    assert_eq!(f.lrt.request_redeem(eth(10), ALICE, ALICE), Ok(wei(1)));
    let calls = f.vm.calls();
    assert_eq!(calls.last().map(|c| c.address(1)), Some(ALICE));
    assert_eq!(f.shares_of(ALICE), eth(90));
    assert_eq!(
        f.take_logs()[1],
        log(&RedeemRequest {
            controller: ALICE,
            owner: ALICE,
            requestId: wei(1),
            sender: BOB,
            shares: eth(10),
        })
    );
}

#[test]
fn request_redeem_by_anyone_else_spends_their_allowance() {
    let mut f = Fx::funded();
    f.shares
        .borrow_mut()
        .allowances
        .insert((ALICE, CAROL), eth(15));
    f.as_(CAROL);
    assert_eq!(f.lrt.request_redeem(eth(10), CAROL, ALICE), Ok(wei(1)));
    assert_eq!(
        f.shares.borrow().allowances.get(&(ALICE, CAROL)),
        Some(&eth(5))
    );
    assert_eq!(f.lrt.pending_redeem_request(wei(1), CAROL), eth(10));
    f.reverts(
        LrtError::Reverted(
            ERC20InsufficientAllowance {
                spender: CAROL,
                allowance: eth(5),
                needed: eth(6),
            }
            .abi_encode(),
        ),
        |l| l.request_redeem(eth(6), CAROL, ALICE),
    );
}

#[test]
fn request_redeem_rejections_leave_the_state_unchanged() {
    let mut f = Fx::funded();
    f.as_(ALICE);
    f.rejects(LrtError::ZeroAddress(LrtZeroAddress {}), |l| {
        l.request_redeem(eth(1), Address::ZERO, ALICE)
    });
    f.rejects(zero_amount(), |l| {
        l.request_redeem(U256::ZERO, ALICE, ALICE)
    });
    // 0.001 LST is the default minimum; one share is worth just under one LST wei.
    f.rejects(
        LrtError::RedeemTooSmall(LrtRedeemTooSmall {
            assets: value_of(wei(1_000), f.total(), f.supply()),
            minimum: eth(1) / wei(1_000),
        }),
        |l| l.request_redeem(wei(1_000), ALICE, ALICE),
    );
    f.reverts(
        LrtError::Reverted(
            ERC20InsufficientBalance {
                sender: ALICE,
                balance: eth(100),
                needed: eth(101),
            }
            .abi_encode(),
        ),
        |l| l.request_redeem(eth(101), ALICE, ALICE),
    );
    f.pause();
    f.as_(ALICE);
    f.rejects(enforced_pause(), |l| l.request_redeem(eth(1), ALICE, ALICE));
}

// ---------------------------------------------------------------------------------------------
// fulfill
// ---------------------------------------------------------------------------------------------

#[test]
fn fulfill_after_a_gain_pays_the_value_at_request_and_reserves_it() {
    let mut f = Fx::funded();
    f.request(ALICE, eth(40));
    let (_, _, value, _, _) = f.lrt.redeem_request(wei(1)).expect("exists");
    f.gain(eth(30));
    let (total, supply) = (f.total(), f.supply());
    assert!(value_of(eth(40), total, supply) > value);
    f.take_logs();
    f.vm.clear_calls();
    assert_eq!(f.fulfill(wei(1)), value);
    assert_eq!(f.lrt.reserved_assets(), value);
    assert_eq!(f.lst(LRT), value);
    assert_eq!(f.total(), total - value);
    assert_eq!(f.supply(), supply - eth(40));
    assert_eq!(f.shares_of(LRT), U256::ZERO, "the locked shares are burned");
    assert_eq!(f.lrt.max_redeem(ALICE), eth(40));
    assert_eq!(f.lrt.max_withdraw(ALICE), value);
    assert_eq!(f.lrt.pending_redeem_request(wei(1), ALICE), U256::ZERO);
    assert_eq!(f.lrt.claimable_redeem_request(wei(1), ALICE), eth(40));
    assert_eq!(f.lrt.claimable_redeem_request(U256::ZERO, ALICE), eth(40));
    assert_eq!(f.lrt.claimable_redeem_request(wei(1), BOB), U256::ZERO);
    assert_eq!(
        f.lrt.redeem_request(wei(1)),
        Ok((ALICE, eth(40), value, T0, true))
    );
    assert_logs(
        &f.take_logs(),
        &[
            log(&RedeemFulfilled {
                controller: ALICE,
                requestId: wei(1),
                shares: eth(40),
                assets: value,
            }),
            rate_log(total - value, supply - eth(40)),
            transfer(LRT, Address::ZERO, eth(40)),
            transfer(ALLOCATOR, LRT, value),
        ],
    );
    let calls = f.vm.calls();
    let summary: Vec<_> = calls.iter().map(|c| (c.to, c.selector())).collect();
    assert_eq!(
        summary,
        [
            (ALLOCATOR, lrt_allocator_selectors::TOTAL_ASSETS),
            (SHARE, lst_selectors::BURN),
            (ALLOCATOR, lrt_allocator_selectors::RELEASE),
        ]
    );
    assert_eq!(calls[1].amount(0), eth(40));
    assert_eq!(calls[2].amount(0), value);
}

#[test]
fn fulfill_after_a_loss_pays_the_lower_value_now() {
    let mut f = Fx::funded();
    f.request(BOB, eth(50));
    let (_, _, at_request, _, _) = f.lrt.redeem_request(wei(1)).expect("exists");
    f.slash(eth(15));
    let now = value_of(eth(50), f.total(), f.supply());
    assert!(now < at_request);
    assert_eq!(f.fulfill(wei(1)), now);
    assert_eq!(f.lrt.max_withdraw(BOB), now);
}

#[test]
fn fulfill_runs_in_fifo_order_up_to_the_given_id() {
    let mut f = Fx::funded();
    f.request(ALICE, eth(10));
    f.request(BOB, eth(20));
    f.request(ALICE, eth(5));
    let (total, supply) = (f.total(), f.supply());
    let first = value_of(eth(10), total, supply);
    let second = value_of(eth(20), total, supply);
    assert_eq!(f.fulfill(wei(2)), first + second);
    assert_eq!(f.lrt.queue_state(), (wei(4), wei(3)));
    assert_eq!(f.lrt.claimable_redeem_request(wei(1), ALICE), eth(10));
    assert_eq!(f.lrt.claimable_redeem_request(wei(3), ALICE), U256::ZERO);
    assert_eq!(f.lrt.pending_redeem_request(wei(3), ALICE), eth(5));
    assert_eq!(f.lrt.pending_redeem_request(U256::ZERO, ALICE), eth(5));
    assert_eq!(f.lrt.max_withdraw(BOB), second);
    assert_eq!(f.allocator.borrow().releases, [first + second]);
    let third = value_of(eth(5), f.total(), f.supply());
    assert_eq!(f.fulfill(wei(3)), third);
    assert_eq!(f.lrt.max_redeem(ALICE), eth(15));
    assert_eq!(f.lrt.max_withdraw(ALICE), first + third);
    assert_eq!(f.lrt.reserved_assets(), first + second + third);
}

#[test]
fn fulfill_rejections_leave_the_state_unchanged() {
    let mut f = Fx::funded();
    f.request(ALICE, eth(10));
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, ALLOCATOR_ROLE), |l| {
        l.fulfill(wei(1))
    });
    f.as_(KEEPER);
    for id in [U256::ZERO, wei(2)] {
        f.rejects(
            LrtError::RequestNotFound(LrtRequestNotFound { requestId: id }),
            |l| l.fulfill(id),
        );
    }
    f.fulfill(wei(1));
    f.as_(KEEPER);
    f.rejects(
        LrtError::NothingToFulfill(LrtNothingToFulfill {
            upToId: wei(1),
            nextToFulfill: wei(2),
        }),
        |l| l.fulfill(wei(1)),
    );
    f.request(ALICE, eth(10));
    f.pause();
    f.as_(KEEPER);
    f.rejects(enforced_pause(), |l| l.fulfill(wei(2)));
}

#[test]
fn fulfill_without_enough_idle_lst_reverts_with_the_allocators_error() {
    let mut f = Fx::funded();
    f.request(ALICE, eth(10));
    // The allocator's LST is delegated (here: gone from its idle balance).
    f.allocator.borrow_mut().delegated = eth(145);
    f.as_(KEEPER);
    f.reverts(LrtError::Reverted(allocator_revert()), |l| {
        l.fulfill(wei(1))
    });
}

#[test]
fn a_reserve_of_exactly_96_bits_is_kept() {
    // Alice's 100 of 150 shares worth exactly 2^96 − 1 wei: the least total that gets there
    // (one wei more of total moves her value by less than one wei).
    let mut f = Fx::funded();
    let most = U256::from(u128::MAX >> 32); // 2^96 − 1
    let (shares, supply) = (eth(100), f.supply());
    let total = (most * (supply + U256::from(OFFSET))).div_ceil(shares);
    f.gain(total - f.total());
    assert_eq!(value_of(shares, f.total(), supply), most);
    f.request(ALICE, shares);
    assert_eq!(f.fulfill(wei(1)), most);
    assert_eq!(f.lrt.reserved_assets(), most);
}

#[test]
fn a_reserve_past_96_bits_reverts_by_name() {
    // The reserve shares a slot with the LST's address. A gain no real LST supply reaches
    // makes Alice's 100 of 150 shares worth more than 2^96 − 1 wei. The reserve is summed
    // after the requests are settled, so the call reverts (rolled back) rather than rejects.
    let mut f = Fx::funded();
    f.gain(U256::from(1_u128 << 97));
    f.request(ALICE, eth(100));
    f.as_(KEEPER);
    f.reverts(LrtError::Overflow(lsr_common::math::MathOverflow {}), |l| {
        l.fulfill(wei(1))
    });
}

// ---------------------------------------------------------------------------------------------
// Claims: redeem and withdraw
// ---------------------------------------------------------------------------------------------

/// Alice requested 30 shares after a gain of 1/3 LST and was fulfilled.
fn fulfilled() -> (Fx, U256) {
    let mut f = Fx::funded();
    f.gain(eth(1) / wei(3));
    f.request(ALICE, eth(30));
    let assets = f.fulfill(wei(1));
    f.take_logs();
    f.vm.clear_calls();
    (f, assets)
}

#[test]
fn redeem_pays_the_pro_rata_assets_rounded_down() {
    let (mut f, assets) = fulfilled();
    f.as_(ALICE);
    let part = assets * eth(7) / eth(30);
    assert_eq!(f.lrt.redeem(eth(7), BOB, ALICE), Ok(part));
    assert_eq!(f.lst(BOB), eth(950) + part);
    assert_eq!(f.lrt.max_redeem(ALICE), eth(23));
    assert_eq!(f.lrt.max_withdraw(ALICE), assets - part);
    assert_eq!(f.lrt.reserved_assets(), assets - part);
    assert_logs(
        &f.take_logs(),
        &[
            log(&Withdraw {
                sender: ALICE,
                receiver: BOB,
                owner: ALICE,
                assets: part,
                shares: eth(7),
            }),
            transfer(LRT, BOB, part),
        ],
    );
    // The rest pays exactly what is left.
    assert_eq!(f.lrt.redeem(eth(23), ALICE, ALICE), Ok(assets - part));
    assert_eq!(f.lrt.reserved_assets(), U256::ZERO);
    assert_eq!(f.lst(LRT), U256::ZERO);
}

#[test]
fn withdraw_uses_the_pro_rata_shares_rounded_up() {
    let (mut f, assets) = fulfilled();
    f.as_(ALICE);
    let want = eth(2);
    let shares = (eth(30) * want).div_ceil(assets);
    assert_eq!(f.lrt.withdraw(want, ALICE, ALICE), Ok(shares));
    assert_eq!(f.lrt.max_redeem(ALICE), eth(30) - shares);
    assert_eq!(f.lrt.max_withdraw(ALICE), assets - want);
    assert_eq!(f.lst(ALICE), eth(900) + want);
    assert_logs(
        &f.take_logs(),
        &[
            log(&Withdraw {
                sender: ALICE,
                receiver: ALICE,
                owner: ALICE,
                assets: want,
                shares,
            }),
            transfer(LRT, ALICE, want),
        ],
    );
    let rest = f.lrt.max_withdraw(ALICE);
    assert_eq!(f.lrt.withdraw(rest, ALICE, ALICE), Ok(eth(30) - shares));
    assert_eq!(f.lrt.max_redeem(ALICE), U256::ZERO);
}

#[test]
fn withdraw_never_uses_every_claimable_share_while_lst_is_left() {
    // 30 shares claim more than 30 LST: every wei is less than a share, so the rounded-up
    // shares for all but one wei would be all 30, stranding that wei with no share to redeem.
    let (mut f, assets) = fulfilled();
    assert!(assets > eth(30));
    assert_eq!((eth(30) * (assets - wei(1))).div_ceil(assets), eth(30));
    f.as_(ALICE);
    assert_eq!(
        f.lrt.withdraw(assets - wei(1), ALICE, ALICE),
        Ok(eth(30) - wei(1))
    );
    assert_eq!(f.lrt.max_redeem(ALICE), wei(1));
    assert_eq!(f.lrt.max_withdraw(ALICE), wei(1));
    assert_eq!(f.lrt.redeem(wei(1), ALICE, ALICE), Ok(wei(1)));
    assert_eq!(
        (f.lrt.max_redeem(ALICE), f.lrt.max_withdraw(ALICE)),
        (U256::ZERO, U256::ZERO)
    );
    assert_eq!(f.lrt.reserved_assets(), U256::ZERO);
    assert_eq!(f.lst(ALICE), eth(900) + assets);
}

#[test]
fn claims_work_for_operators_and_while_paused() {
    let (mut f, assets) = fulfilled();
    f.as_(ALICE);
    f.lrt.set_operator(CAROL, true).expect("operator");
    f.pause();
    f.as_(CAROL);
    let half = assets * eth(15) / eth(30);
    assert_eq!(f.lrt.redeem(eth(15), CAROL, ALICE), Ok(half));
    assert_eq!(f.lst(CAROL), eth(1_000) + half);
    assert!(f.lrt.withdraw(wei(1), CAROL, ALICE).is_ok());
}

#[test]
fn claim_rejections_leave_the_state_unchanged() {
    let (mut f, assets) = fulfilled();
    f.as_(BOB);
    let not_allowed = || {
        LrtError::NotControllerOrOperator(LrtNotControllerOrOperator {
            caller: BOB,
            controller: ALICE,
        })
    };
    f.rejects(not_allowed(), |l| l.redeem(eth(1), BOB, ALICE));
    f.rejects(not_allowed(), |l| l.withdraw(eth(1), BOB, ALICE));
    f.as_(ALICE);
    for receiver in [Address::ZERO, LRT] {
        f.rejects(
            LrtError::InvalidReceiver(LrtInvalidReceiver { receiver }),
            |l| l.redeem(eth(1), receiver, ALICE),
        );
        f.rejects(
            LrtError::InvalidReceiver(LrtInvalidReceiver { receiver }),
            |l| l.withdraw(eth(1), receiver, ALICE),
        );
    }
    f.rejects(zero_amount(), |l| l.redeem(U256::ZERO, ALICE, ALICE));
    f.rejects(zero_amount(), |l| l.withdraw(U256::ZERO, ALICE, ALICE));
    f.rejects(
        LrtError::ExceededMaxRedeem(LrtExceededMaxRedeem {
            controller: ALICE,
            shares: eth(30) + wei(1),
            max: eth(30),
        }),
        |l| l.redeem(eth(30) + wei(1), ALICE, ALICE),
    );
    f.rejects(
        LrtError::ExceededMaxWithdraw(LrtExceededMaxWithdraw {
            controller: ALICE,
            assets: assets + wei(1),
            max: assets,
        }),
        |l| l.withdraw(assets + wei(1), ALICE, ALICE),
    );
    // A pending request is not claimable.
    f.request(BOB, eth(10));
    f.as_(BOB);
    f.rejects(
        LrtError::ExceededMaxRedeem(LrtExceededMaxRedeem {
            controller: BOB,
            shares: eth(1),
            max: U256::ZERO,
        }),
        |l| l.redeem(eth(1), BOB, BOB),
    );
}

#[test]
fn preview_redeem_and_preview_withdraw_revert_as_erc_7540_requires() {
    let (f, _) = fulfilled();
    let asynchronous = Err(LrtError::AsyncRedeem(LrtAsyncRedeem {}));
    assert_eq!(f.lrt.preview_redeem(eth(1)), asynchronous);
    assert_eq!(f.lrt.preview_withdraw(eth(1)), asynchronous);
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

#[test]
fn set_operator_approves_and_revokes_with_an_event() {
    let mut f = Fx::funded();
    f.as_(ALICE);
    assert_eq!(f.lrt.set_operator(BOB, true), Ok(true));
    assert!(f.lrt.is_operator(ALICE, BOB));
    assert!(!f.lrt.is_operator(BOB, ALICE), "one direction only");
    assert_eq!(f.lrt.set_operator(BOB, false), Ok(true));
    assert!(!f.lrt.is_operator(ALICE, BOB));
    assert_logs(
        &f.take_logs(),
        &[
            log(&OperatorSet {
                controller: ALICE,
                operator: BOB,
                approved: true,
            }),
            log(&OperatorSet {
                controller: ALICE,
                operator: BOB,
                approved: false,
            }),
        ],
    );
    // A revoked operator can no longer request for Alice.
    f.as_(BOB);
    f.reverts(
        LrtError::Reverted(
            ERC20InsufficientAllowance {
                spender: BOB,
                allowance: U256::ZERO,
                needed: eth(1),
            }
            .abi_encode(),
        ),
        |l| l.request_redeem(eth(1), BOB, ALICE),
    );
}

#[test]
fn set_operator_rejects_oneself_and_works_while_paused() {
    let mut f = Fx::funded();
    f.as_(ALICE);
    f.rejects(
        LrtError::SelfOperator(LrtSelfOperator { account: ALICE }),
        |l| l.set_operator(ALICE, true),
    );
    f.pause();
    f.as_(ALICE);
    assert_eq!(f.lrt.set_operator(BOB, true), Ok(true));
}

// ---------------------------------------------------------------------------------------------
// Rate
// ---------------------------------------------------------------------------------------------

#[test]
fn get_rate_is_lst_per_share_times_the_vault_rate() {
    let mut f = Fx::new();
    assert_eq!(
        f.lrt.get_rate(),
        Ok(U256::from(VAULT_RATE)),
        "1:1 when empty"
    );
    f.deposit(ALICE, eth(100));
    f.gain(eth(10));
    let expected = rate_of(eth(110), eth(100)) * U256::from(VAULT_RATE) / WAD;
    f.vm.clear_calls();
    assert_eq!(f.lrt.get_rate(), Ok(expected));
    let calls = f.vm.calls();
    assert!(calls.iter().all(|c| c.is_static), "reads only");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].to, VAULT);
    assert_eq!(calls[1].data, vault_selectors::GET_RATE.to_vec());
}

#[test]
fn rate_changes_made_elsewhere_are_reported_at_the_next_lrt_action() {
    let mut f = Fx::funded();
    f.gain(eth(15)); // rewards in the allocator: no LRT action, no event
    assert!(f.take_logs().is_empty());
    f.request(ALICE, eth(10)); // requests move neither assets nor supply
    assert!(!topic0s(&f.take_logs()).contains(&RateUpdated::SIGNATURE_HASH));
    let (total, supply) = (f.total(), f.supply());
    let shares = f.deposit(CAROL, eth(11));
    let logs = f.take_logs();
    assert_eq!(logs[2], rate_log(total + eth(11), supply + shares));
}

// ---------------------------------------------------------------------------------------------
// Admin
// ---------------------------------------------------------------------------------------------

#[test]
fn set_limits_sets_the_three_limits_and_emits() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    let cap = U256::from(MAX_CAP);
    assert_eq!(f.lrt.set_limits(eth(1), cap, eth(1)), Ok(()));
    assert_eq!(
        (f.lrt.min_deposit(), f.lrt.deposit_cap(), f.lrt.min_redeem()),
        (eth(1), cap, eth(1))
    );
    assert_logs(
        &f.take_logs(),
        &[log(&LimitsSet {
            minDeposit: eth(1),
            depositCap: cap,
            minRedeem: eth(1),
        })],
    );
    assert_eq!(f.lrt.set_limits(wei(1), wei(1), wei(1)), Ok(()));
}

#[test]
fn set_limits_rejects_values_out_of_bounds_and_strangers() {
    let mut f = Fx::new();
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, B256::ZERO), |l| {
        l.set_limits(eth(1), eth(10), eth(1))
    });
    f.as_(ADMIN);
    let one = eth(1);
    let out = |value, minimum, maximum| {
        LrtError::ParameterOutOfBounds(LrtParameterOutOfBounds {
            value,
            minimum,
            maximum,
        })
    };
    let max_cap = U256::from(MAX_CAP);
    f.rejects(out(U256::ZERO, wei(1), one), |l| {
        l.set_limits(U256::ZERO, eth(10), one)
    });
    f.rejects(out(one + wei(1), wei(1), one), |l| {
        l.set_limits(one + wei(1), eth(10), one)
    });
    f.rejects(out(one - wei(1), one, max_cap), |l| {
        l.set_limits(one, one - wei(1), one)
    });
    f.rejects(out(max_cap + wei(1), one, max_cap), |l| {
        l.set_limits(one, max_cap + wei(1), one)
    });
    f.rejects(out(U256::ZERO, wei(1), one), |l| {
        l.set_limits(one, eth(10), U256::ZERO)
    });
    f.rejects(out(one + wei(1), wei(1), one), |l| {
        l.set_limits(one, eth(10), one + wei(1))
    });
}

#[test]
fn only_the_pauser_pauses_and_only_the_admin_unpauses() {
    let mut f = Fx::funded();
    f.as_(ADMIN);
    f.rejects(unauthorized(ADMIN, PAUSER_ROLE), IPausable::pause);
    f.pause();
    assert!(f.lrt.paused());
    f.as_(PAUSER);
    f.rejects(unauthorized(PAUSER, B256::ZERO), IPausable::unpause);
    f.as_(ADMIN);
    assert_eq!(f.lrt.unpause(), Ok(()));
    assert_eq!(f.deposit(CAROL, eth(1)), eth(1));
}

#[test]
fn every_error_encodes_as_its_solidity_error() {
    let encoded: Vec<u8> = LrtError::Reverted(vec![1, 2, 3]).into();
    assert_eq!(encoded, [1, 2, 3], "revert data passes through unchanged");
    let encoded: Vec<u8> = LrtError::AsyncRedeem(LrtAsyncRedeem {}).into();
    assert_eq!(encoded, LrtAsyncRedeem {}.abi_encode());
}

// ---------------------------------------------------------------------------------------------
// Attacks
// ---------------------------------------------------------------------------------------------

/// ANCHORS.md failure 1: an attacker deposits 1 wei of LST, donates a large amount to the
/// allocator (credited, so it counts in totalAssets), and a victim deposits. The virtual
/// offset makes the attack cost the attacker far more than the victim loses, and the victim's
/// loss is at most about donation / 1,000.
#[test]
fn first_depositor_donation_attack_costs_the_attacker_more_than_the_victim_loses() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    f.lrt
        .set_limits(wei(1), U256::from(MAX_CAP), wei(1))
        .expect("limits down to one wei");
    let donation = eth(100);
    let victim_deposit = eth(10);
    {
        let mut ledger = f.ledger.borrow_mut();
        ledger.supply += wei(1);
        ledger.balances.insert(STRANGER, wei(1));
        ledger.allowances.insert((STRANGER, LRT), U256::MAX);
    }
    let attacker_shares = f.deposit(STRANGER, wei(1));
    assert_eq!(attacker_shares, wei(1));
    // The attacker's donation: LST sent to the allocator and credited there.
    f.gain(donation);
    let victim_shares = f.deposit(ALICE, victim_deposit);
    assert!(!victim_shares.is_zero(), "the victim gets shares");
    let (total, supply) = (f.total(), f.supply());
    let victim_value = value_of(victim_shares, total, supply);
    let attacker_value = value_of(attacker_shares, total, supply);
    let victim_loss = victim_deposit - victim_value;
    let attacker_spent = donation + wei(1);
    assert!(
        victim_loss <= donation / wei(1_000) + wei(1),
        "victim loses at most donation / 1e3: {victim_loss}"
    );
    assert!(
        attacker_value < attacker_spent / wei(100),
        "the attacker keeps under 1% of what it put in: {attacker_value}"
    );
    assert!(
        attacker_spent - attacker_value > victim_loss * wei(100),
        "the attack costs the attacker over 100× what the victim loses"
    );
    // And the full round trip: the victim's request pays exactly its value.
    f.request(ALICE, victim_shares);
    assert_eq!(f.fulfill(wei(1)), victim_value);
}

/// ANCHORS.md failure 2: a deposit right before a gain, redeemed right after, earns exactly
/// its pro-rata share of the gain and nothing more, and `min()` caps the payout at the value at
/// request when a loss follows the request.
#[test]
fn a_deposit_around_a_gain_earns_its_pro_rata_share_and_no_more() {
    let mut f = Fx::funded();
    let shares = f.deposit(CAROL, eth(150));
    f.gain(eth(30)); // 300 LST → 330: Carol holds half the shares
    f.request(CAROL, shares);
    let paid = f.fulfill(wei(1));
    assert!(paid <= eth(150) + eth(15));
    assert!(paid + wei(2) >= eth(150) + eth(15) - eth(15) / wei(1_000));
    // A second sandwich: the request then a gain; the gain stays with holders.
    let shares = f.deposit(CAROL, eth(50));
    f.request(CAROL, shares);
    let (_, _, at_request, _, _) = f.lrt.redeem_request(wei(2)).expect("exists");
    f.gain(eth(100));
    assert_eq!(f.fulfill(wei(2)), at_request);
    assert!(at_request <= eth(50));
}

// ---------------------------------------------------------------------------------------------
// Stateful properties
// ---------------------------------------------------------------------------------------------

/// One step of the stateful test.
#[derive(Debug, Clone)]
enum Step {
    Deposit {
        user: usize,
        milli: u64,
    },
    Mint {
        user: usize,
        milli: u64,
    },
    DepositEth {
        user: usize,
        milli: u64,
    },
    Request {
        user: usize,
        controller: usize,
        percent: u8,
    },
    Fulfill {
        ahead: u8,
    },
    Redeem {
        user: usize,
        percent: u8,
    },
    Withdraw {
        user: usize,
        percent: u8,
    },
    Gain {
        milli: u64,
    },
    Slash {
        permille: u16,
    },
}

fn step(gains: bool) -> impl Strategy<Value = Step> {
    let gain_weight = u32::from(gains);
    prop_oneof![
        3 => (0..3_usize, 1..100_000_u64).prop_map(|(user, milli)| Step::Deposit { user, milli }),
        1 => (0..3_usize, 1..50_000_u64).prop_map(|(user, milli)| Step::Mint { user, milli }),
        1 => (0..3_usize, 1..50_000_u64).prop_map(|(user, milli)| Step::DepositEth { user, milli }),
        // Without gains every user is their own controller, so flows are per user.
        3 => (0..3_usize, 0..3_usize, 1..=100_u8).prop_map(move |(user, controller, percent)| {
            Step::Request { user, controller: if gains { controller } else { user }, percent }
        }),
        2 => (0..4_u8).prop_map(|ahead| Step::Fulfill { ahead }),
        2 => (0..3_usize, 1..=100_u8).prop_map(|(user, percent)| Step::Redeem { user, percent }),
        2 => (0..3_usize, 1..=100_u8).prop_map(|(user, percent)| Step::Withdraw { user, percent }),
        gain_weight => (1..20_000_u64).prop_map(|milli| Step::Gain { milli }),
        1 => (1..=100_u16).prop_map(|permille| Step::Slash { permille }),
    ]
}

/// Per user: LST put in (deposits; ETH zaps counted at the LST they minted) and taken out.
#[derive(Debug, Default)]
struct Flows {
    lst_in: BTreeMap<Address, U256>,
    lst_out: BTreeMap<Address, U256>,
}

fn milli(n: u64) -> U256 {
    U256::from(n) * WAD / U256::from(1_000)
}

/// Runs one step as a transaction; checks what the step itself promises.
fn run(f: &mut Fx, step: &Step, flows: &mut Flows) {
    match *step {
        Step::Deposit { user, milli: m } => {
            let user = USERS[user];
            f.as_(user);
            let preview = f.lrt.preview_deposit(milli(m));
            if let Ok(shares) = f.attempt(|l| l.deposit(milli(m), user)) {
                assert_eq!(preview, Ok(shares), "previewDeposit == deposit");
                *flows.lst_in.entry(user).or_default() += milli(m);
            }
        }
        Step::Mint { user, milli: m } => {
            let user = USERS[user];
            f.as_(user);
            let preview = f.lrt.preview_mint(milli(m));
            let before = f.lst(user);
            if let Ok(assets) = f.attempt(|l| l.mint(milli(m), user)) {
                assert_eq!(preview, Ok(assets), "previewMint == mint");
                assert_eq!(before - f.lst(user), assets);
                *flows.lst_in.entry(user).or_default() += assets;
            }
        }
        Step::DepositEth { user, milli: m } => {
            let user = USERS[user];
            let lst = milli(m) * U256::from(LST_PER_ETH) / WAD;
            let preview = f.lrt.preview_deposit(lst);
            f.paying(user, milli(m));
            if let Ok(shares) = f.attempt(|l| l.deposit_eth(user)) {
                assert_eq!(
                    preview,
                    Ok(shares),
                    "the zap prices at the pre-deposit rate"
                );
                *flows.lst_in.entry(user).or_default() += lst;
            }
        }
        Step::Request {
            user,
            controller,
            percent,
        } => {
            let (user, controller) = (USERS[user], USERS[controller]);
            let shares = f.shares_of(user) * U256::from(percent) / U256::from(100);
            f.as_(user);
            let _ = f.attempt(|l| l.request_redeem(shares, controller, user));
        }
        Step::Fulfill { ahead } => {
            let (next, first) = f.lrt.queue_state();
            if next <= first {
                return;
            }
            let up_to = (first + U256::from(ahead)).min(next - wei(1));
            let (total, supply) = (f.total(), f.supply());
            let expected: Vec<U256> = (first.to::<u64>()..=up_to.to::<u64>())
                .map(|id| {
                    let (_, shares, at_request, _, _) =
                        f.lrt.redeem_request(U256::from(id)).expect("exists");
                    at_request.min(value_of(shares, total, supply))
                })
                .collect();
            f.as_(KEEPER);
            let reserved = f.attempt(|l| l.fulfill(up_to)).expect("idle LST covers it");
            assert_eq!(reserved, expected.iter().copied().sum::<U256>());
            for (offset, payout) in expected.into_iter().enumerate() {
                let id = first + U256::from(offset);
                let (_, _, paid, _, done) = f.lrt.redeem_request(id).expect("exists");
                assert!(done);
                assert_eq!(paid, payout, "FIFO min(value at request, value now)");
            }
        }
        Step::Redeem { user, percent } => {
            let user = USERS[user];
            let shares = f.lrt.max_redeem(user) * U256::from(percent) / U256::from(100);
            f.as_(user);
            if let Ok(assets) = f.attempt(|l| l.redeem(shares, user, user)) {
                *flows.lst_out.entry(user).or_default() += assets;
            }
        }
        Step::Withdraw { user, percent } => {
            let user = USERS[user];
            let assets = f.lrt.max_withdraw(user) * U256::from(percent) / U256::from(100);
            f.as_(user);
            if f.attempt(|l| l.withdraw(assets, user, user)).is_ok() {
                *flows.lst_out.entry(user).or_default() += assets;
            }
        }
        Step::Gain { milli: m } => f.gain(milli(m)),
        Step::Slash { permille } => {
            f.slash(f.total() * U256::from(permille) / U256::from(1_000));
        }
    }
}

/// The LRT's invariants (DESIGN.md, "Invariants", 1 and 4, and the queue's).
fn check_invariants(f: &Fx) {
    let shares = f.shares.borrow();
    let held: U256 = HOLDERS.iter().map(|&a| shares.balance(a)).sum();
    assert_eq!(held, shares.supply, "Σ balances = supply");
    assert_eq!(shares.supply, f.supply(), "the vault counts every share");
    let pending: U256 = HOLDERS
        .iter()
        .map(|&c| f.lrt.pending_redeem_request(U256::ZERO, c))
        .sum();
    assert_eq!(shares.balance(LRT), pending, "locked shares = Σ pending");
    let claimable: U256 = HOLDERS.iter().map(|&c| f.lrt.max_withdraw(c)).sum();
    assert_eq!(f.lrt.reserved_assets(), claimable, "reserved = Σ claimable");
    assert_eq!(
        f.lst(LRT),
        f.lrt.reserved_assets(),
        "reserved LST is held here"
    );
    let claims: U256 = HOLDERS
        .iter()
        .map(|&a| value_of(shares.balance(a), f.total(), f.supply()))
        .sum();
    assert!(claims <= f.total(), "Σ claims ≤ total assets");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of deposits, mints, zaps, requests, fulfilments, claims, gains and
    /// slashes keeps the accounting sound after every step.
    #[test]
    fn accounting_holds_under_any_sequence(steps in prop::collection::vec(step(true), 1..40)) {
        let mut f = Fx::new();
        let mut flows = Flows::default();
        for step in &steps {
            run(&mut f, step, &mut flows);
            check_invariants(&f);
        }
    }

    /// Without gains, no user takes out more LST than they put in, whatever the sequence.
    #[test]
    fn round_trips_never_gain(steps in prop::collection::vec(step(false), 1..40)) {
        let mut f = Fx::new();
        let mut flows = Flows::default();
        for step in &steps {
            run(&mut f, step, &mut flows);
            check_invariants(&f);
        }
        let total_out: U256 = flows.lst_out.values().copied().sum();
        let total_in: U256 = flows.lst_in.values().copied().sum();
        prop_assert!(total_out <= total_in, "paid {total_out} for {total_in}");
        // A holder may pick up the rounding dust (≤ 1 wei per action) that others' deposits
        // leave behind; nothing more.
        let dust = U256::from(steps.len());
        for user in USERS {
            let out = flows.lst_out.get(&user).copied().unwrap_or_default();
            let put = flows.lst_in.get(&user).copied().unwrap_or_default();
            prop_assert!(out <= put + dust, "{user} took out {out} for {put}");
        }
    }
}

/// Every function of the golden ABI is routed on chain, at its selector, payable where the ABI
/// says so, by exactly one of the two programs (the SDK's `#[public]` declares the ABI;
/// `lsr_common::router!` routes the calls).
#[test]
fn routes_are_the_golden_abi() {
    lsr_common::testing::assert_routes_match_abi(
        &[Lrt::ROUTES, Lrt::EXTENSION_ROUTES].concat(),
        include_str!("../../../abi/lrt.json"),
    );
}

// ---------------------------------------------------------------------------------------------
// Two programs: the LRT's router and its extension's
// ---------------------------------------------------------------------------------------------

/// The LRT's router called by `who` with `value`, its extension modelled as the chain runs a
/// delegate call: the extension's router on the LRT's own host (storage, sender, value).
fn route_as(f: &Fx, who: Address, value: U256, data: Vec<u8>) -> Answer {
    lsr_common::testing::call_route_with_extension(
        route,
        route_extension,
        &f.vm,
        EXTENSION,
        who,
        value,
        data,
    )
}

#[test]
fn the_two_programs_route_as_one_contract() {
    let f = Fx::funded();
    lsr_common::testing::TwoPrograms {
        routes: (route, route_extension),
        addresses: (LRT, EXTENSION),
        admin: ADMIN,
        stranger: STRANGER,
        admin_only: calldata(
            "setLimits(uint256,uint256,uint256)",
            &(wei(1), eth(1), wei(1)).abi_encode_params(),
        ),
        view: (calldata("vault()", &[]), VAULT.abi_encode()),
        own: vec![
            calldata("asset()", &[]),
            calldata("extension()", &[]),
            calldata("totalAssets()", &[]),
            calldata("maxRedeem(address)", &ALICE.abi_encode()),
        ],
        constructor_args: (ADMIN, VAULT, ALLOCATOR, EXTENSION).abi_encode_params(),
    }
    .check(&f.vm);
}

#[test]
fn erc165_stays_in_the_lrt() {
    // EIP-165 bounds `supportsInterface` to 30,000 gas; an uncached delegate call would pass it.
    let f = Fx::new();
    f.vm.clear_calls();
    let erc165 = calldata(
        "supportsInterface(bytes4)",
        &alloy_primitives::FixedBytes::<4>(ERC165_ID).abi_encode(),
    );
    assert_eq!(
        route_as(&f, STRANGER, U256::ZERO, erc165),
        Ok(true.abi_encode())
    );
    assert!(lsr_common::testing::delegated(&f.vm).is_empty());
}
