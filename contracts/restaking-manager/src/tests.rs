//! `TestVM` unit tests of every public function of the restaking manager (success paths with
//! their events, every error with the state left unchanged) and a stateful proptest of the
//! pool accounting against the suite's invariants.
//!
//! The manager's neighbours are models answering through [`MockHost`]: the LST is an
//! [`Erc20Ledger`], the vault mints LST for ETH at a fixed rate, and the allocation manager is a
//! table of operators, registries, slashable allocations and fees.
//!
//! `TestVM` does not roll storage back when a call returns an error, while the host reverts the
//! whole transaction. [`Fixture::rejects`] demands that a call fails before writing anything;
//! [`Fixture::reverts`] restores storage and the token ledger as the host's revert would, for the
//! paths that write before a call that fails (the pull of LST, the vault deposit, the ETH
//! send).

use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
    rc::Rc,
};

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use lsr_common::{
    access::{AccessControlUnauthorizedAccount, EnforcedPause, PAUSER_ROLE},
    erc20::{ERC20InsufficientAllowance, Transfer},
    interfaces::{allocation_selectors, erc20_selectors, vault_selectors},
    math::WAD,
    testing::{nonzero_storage, Called, Erc20Ledger, Fixture, MockHost},
};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z, the deployment time of every fixture.
const T0: u64 = 1_767_225_600;
const DAY: u64 = 24 * 3600;
const DELAY: u64 = 7 * DAY;

const MANAGER: Address = address!("3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a");
const VAULT: Address = address!("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
const TOKEN: Address = address!("7070707070707070707070707070707070707070");
const ALLOCATIONS: Address = address!("a110ca7e0000000000000000000000000000a110");
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const TREASURY: Address = address!("00000000000000000000000000000000000a0002");
const SINK: Address = address!("00000000000000000000000000000000000a0003");
const PAUSER: Address = address!("00000000000000000000000000000000000a0006");
const OP1: Address = address!("0000000000000000000000000000000000001001");
const OP2: Address = address!("0000000000000000000000000000000000001002");
const REG1: Address = address!("0000000000000000000000000000000000002001");
const REG2: Address = address!("0000000000000000000000000000000000002002");
const ALICE: Address = address!("00000000000000000000000000000000000b0001");
const BOB: Address = address!("00000000000000000000000000000000000b0002");
const CAROL: Address = address!("00000000000000000000000000000000000b0003");
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");

const OPERATORS: [Address; 3] = [OP1, OP2, STRANGER];
const STAKERS: [Address; 3] = [ALICE, BOB, CAROL];
/// Every address that can hold LST or claim fees in these tests.
const HOLDERS: [Address; 9] = [MANAGER, ALICE, BOB, CAROL, TREASURY, SINK, OP1, OP2, VAULT];

/// LST the vault model mints per ETH, in 1e18: 0.8 (ETH per LST 1.25).
const LST_PER_ETH: u128 = 800_000_000_000_000_000;
/// Operator 1's fee on rewards in the allocation-manager model.
const OP1_FEE_BPS: u16 = 1_000;
/// The manager's default protocol fee.
const PROTOCOL_FEE_BPS: u16 = 500;
/// The manager's default bound on what one registry slashes per withdrawal delay.
const MAX_SLASH_BPS: u16 = 1_000;

fn eth(n: u64) -> U256 {
    U256::from(n) * WAD
}

fn wei(n: u128) -> U256 {
    U256::from(n)
}

/// `amount × bps / 10,000`, rounded down or up.
fn bps(amount: U256, bps: u64, up: bool) -> U256 {
    let product = amount * U256::from(bps);
    let quotient = product / U256::from(10_000);
    if up && quotient * U256::from(10_000) != product {
        quotient + wei(1)
    } else {
        quotient
    }
}

/// Pool shares for `assets`, with the documented formula (written out here).
fn shares_for(assets: U256, stake: U256, shares: U256) -> U256 {
    assets * (shares + wei(1_000)) / (stake + wei(1_000))
}

/// What `held` pool shares pay out, with the documented formula.
fn value_of(held: U256, stake: U256, shares: U256) -> U256 {
    held * stake / (shares + wei(1_000))
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

fn pool_updated(operator: Address, stake: U256, shares: U256) -> Log {
    log(&PoolUpdated {
        operator,
        stake,
        shares,
    })
}

// ---------------------------------------------------------------------------------------------
// Neighbour models
// ---------------------------------------------------------------------------------------------

/// The allocation manager: registered operators, whitelisted registries, allocations and fees.
#[derive(Debug, Clone, Default)]
struct Directory {
    operators: BTreeSet<Address>,
    registries: BTreeSet<Address>,
    slashable_bps: BTreeMap<(Address, Address), u16>,
    fee_bps: BTreeMap<Address, u16>,
}

impl Directory {
    fn answer(&self, called: &Called) -> Vec<u8> {
        assert!(
            called.is_static,
            "the manager only reads the allocation manager"
        );
        let value = match called.selector() {
            allocation_selectors::IS_OPERATOR => {
                U256::from(self.operators.contains(&called.address(0)))
            }
            allocation_selectors::IS_REGISTRY => {
                U256::from(self.registries.contains(&called.address(0)))
            }
            allocation_selectors::SLASHABLE_BPS => U256::from(
                self.slashable_bps
                    .get(&(called.address(0), called.address(1)))
                    .copied()
                    .unwrap_or_default(),
            ),
            allocation_selectors::OPERATOR_FEE_BPS => U256::from(
                self.fee_bps
                    .get(&called.address(0))
                    .copied()
                    .unwrap_or_default(),
            ),
            other => panic!("allocation manager: unknown selector {other:02x?}"),
        };
        word(value)
    }
}

/// The staking vault: `token()`, and `deposit(receiver)` minting LST at [`LST_PER_ETH`].
#[derive(Debug, Clone)]
struct VaultModel {
    /// Deposits below this revert with this revert data.
    min_deposit: U256,
    /// ETH received through deposits.
    received: U256,
}

/// Revert data of the vault model's minimum-deposit check.
fn vault_revert() -> Vec<u8> {
    b"vault: deposit too small".to_vec()
}

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// Everything a call could touch, through the public views plus the token ledger, the vault
/// model and the raw storage.
#[derive(Debug, PartialEq, Eq)]
struct State {
    pools: Vec<(U256, U256, U256)>,
    staker_shares: Vec<U256>,
    withdrawals: Vec<(Address, Address, U256, U256, u64, bool)>,
    claimable: Vec<U256>,
    parameters: (u16, u16, u64, Address, Address),
    paused: bool,
    lst: Vec<U256>,
    vault_received: U256,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// A deployed manager between its models, with two registered operators, two whitelisted
/// registries, stakers holding 1,000 LST each with an infinite approval, at a realistic time.
struct Fx {
    vm: MockHost,
    ledger: Rc<RefCell<Erc20Ledger>>,
    directory: Rc<RefCell<Directory>>,
    vault: Rc<RefCell<VaultModel>>,
    manager: RestakingManager,
    now: u64,
}

impl Fx {
    fn new() -> Self {
        let vm = MockHost::default();
        vm.set_block_timestamp(T0);
        vm.set_contract_address(MANAGER);
        vm.set_sender(DEPLOYER);
        let ledger = Erc20Ledger::install(&vm, TOKEN, VAULT);
        let directory = Rc::new(RefCell::new(Directory {
            operators: [OP1, OP2].into(),
            registries: [REG1, REG2].into(),
            slashable_bps: BTreeMap::new(),
            fee_bps: [(OP1, OP1_FEE_BPS)].into(),
        }));
        let answers = Rc::clone(&directory);
        vm.on_call(ALLOCATIONS, move |called| {
            Ok(answers.borrow().answer(called))
        });
        let vault = Rc::new(RefCell::new(VaultModel {
            min_deposit: U256::ZERO,
            received: U256::ZERO,
        }));
        let (model, tokens) = (Rc::clone(&vault), Rc::clone(&ledger));
        vm.on_call(VAULT, move |called| match called.selector() {
            vault_selectors::TOKEN => Ok(TOKEN.into_word().to_vec()),
            vault_selectors::DEPOSIT => {
                let mut vault = model.borrow_mut();
                if called.value < vault.min_deposit {
                    return Err(vault_revert());
                }
                vault.received += called.value;
                let minted = called.value * U256::from(LST_PER_ETH) / WAD;
                let mut ledger = tokens.borrow_mut();
                ledger.supply += minted;
                *ledger.balances.entry(called.address(0)).or_default() += minted;
                Ok(word(minted))
            }
            other => panic!("vault: unknown selector {other:02x?}"),
        });
        {
            let mut ledger = ledger.borrow_mut();
            for staker in STAKERS {
                ledger.supply += eth(1_000);
                ledger.balances.insert(staker, eth(1_000));
                ledger.allowances.insert((staker, MANAGER), U256::MAX);
            }
        }
        let mut manager = RestakingManager::from(&vm);
        manager
            .constructor(ADMIN, VAULT, ALLOCATIONS, TREASURY, SINK)
            .expect("constructor with non-zero addresses and a vault with a token");
        vm.set_sender(ADMIN);
        manager
            .grant_role(PAUSER_ROLE, PAUSER)
            .expect("the admin grants");
        vm.clear_mocks();
        vm.clear_calls();
        Self {
            vm,
            ledger,
            directory,
            vault,
            manager,
            now: T0,
        }
    }

    /// Alice delegated 100 LST and Bob 50 to operator 1, Carol 40 to operator 2; operator 1
    /// allocated 50% to registry 1 and 20% to registry 2, operator 2 100% to registry 1.
    fn delegated() -> Self {
        let mut f = Self::new();
        f.delegate(ALICE, OP1, eth(100));
        f.delegate(BOB, OP1, eth(50));
        f.delegate(CAROL, OP2, eth(40));
        f.allocate(OP1, REG1, 5_000);
        f.allocate(OP1, REG2, 2_000);
        f.allocate(OP2, REG1, 10_000);
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

    fn advance(&mut self, seconds: u64) {
        self.now += seconds;
        self.vm.set_block_timestamp(self.now);
    }

    fn allocate(&self, operator: Address, registry: Address, bps: u16) {
        self.directory
            .borrow_mut()
            .slashable_bps
            .insert((operator, registry), bps);
    }

    fn delegate(&mut self, staker: Address, operator: Address, assets: U256) -> U256 {
        self.as_(staker);
        self.manager.delegate(operator, assets).expect("delegate")
    }

    fn undelegate(&mut self, staker: Address, operator: Address, shares: U256) -> U256 {
        self.as_(staker);
        self.manager
            .undelegate(operator, shares)
            .expect("undelegate")
    }

    fn slash(&mut self, registry: Address, operator: Address, bps: u64) -> U256 {
        self.as_(registry);
        self.manager
            .slash(operator, U256::from(bps))
            .expect("slash")
    }

    fn rewards(&mut self, operator: Address, amount: U256) {
        self.paying(STRANGER, amount);
        self.manager
            .deposit_rewards(operator)
            .expect("depositRewards");
    }

    fn pause(&mut self) {
        self.as_(PAUSER);
        self.manager.pause().expect("the pauser pauses");
    }

    fn lst(&self, who: Address) -> U256 {
        self.ledger.borrow().balance_of(who)
    }

    fn pool(&self, operator: Address) -> (U256, U256, U256) {
        self.manager.pool(operator)
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }
}

impl Fixture for Fx {
    type Contract = RestakingManager;
    type Error = ManagerError;
    type State = State;
    type Models = (Erc20Ledger, VaultModel);

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut RestakingManager {
        &mut self.manager
    }

    fn state(&self) -> State {
        let m = &self.manager;
        let next = m.next_withdrawal_id().to::<u64>();
        State {
            pools: OPERATORS.iter().map(|&op| m.pool(op)).collect(),
            staker_shares: STAKERS
                .iter()
                .flat_map(|&s| OPERATORS.iter().map(move |&op| m.staker_shares(s, op)))
                .collect(),
            withdrawals: (0..next)
                .map(|id| {
                    m.withdrawal(U256::from(id))
                        .expect("an existing withdrawal")
                })
                .collect(),
            claimable: HOLDERS.iter().map(|&a| m.claimable_fees(a)).collect(),
            parameters: (
                m.protocol_fee_bps(),
                m.max_slash_bps(),
                m.withdrawal_delay(),
                m.treasury(),
                m.slash_recipient(),
            ),
            paused: m.paused(),
            lst: HOLDERS.iter().map(|&a| self.lst(a)).collect(),
            vault_received: self.vault.borrow().received,
            storage: nonzero_storage(&self.vm),
        }
    }

    fn save_models(&self) -> (Erc20Ledger, VaultModel) {
        (self.ledger.borrow().clone(), self.vault.borrow().clone())
    }

    fn restore_models(&mut self, models: (Erc20Ledger, VaultModel)) {
        let (ledger, vault) = models;
        *self.ledger.borrow_mut() = ledger;
        *self.vault.borrow_mut() = vault;
    }
}

fn unauthorized(account: Address, role: B256) -> ManagerError {
    ManagerError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn enforced_pause() -> ManagerError {
    ManagerError::EnforcedPause(EnforcedPause {})
}

fn zero_amount() -> ManagerError {
    ManagerError::ZeroAmount(ManagerZeroAmount {})
}

// ---------------------------------------------------------------------------------------------
// Constructor
// ---------------------------------------------------------------------------------------------

#[test]
fn constructor_binds_the_neighbours_grants_the_admin_and_sets_defaults() {
    let f = Fx::new();
    let m = &f.manager;
    assert_eq!(m.vault(), VAULT);
    assert_eq!(m.token(), TOKEN, "read from the vault's token()");
    assert_eq!(m.allocation_manager(), ALLOCATIONS);
    assert_eq!(m.treasury(), TREASURY);
    assert_eq!(m.slash_recipient(), SINK);
    assert_eq!(m.protocol_fee_bps(), PROTOCOL_FEE_BPS);
    assert_eq!(m.max_slash_bps(), 1_000);
    assert_eq!(m.withdrawal_delay(), DELAY);
    assert!(m.has_role(B256::ZERO, ADMIN));
    assert!(!m.has_role(B256::ZERO, DEPLOYER));
    assert!(!m.paused());
    assert_eq!(m.next_withdrawal_id(), U256::ZERO);
}

#[test]
fn constructor_rejects_a_zero_address() {
    let addresses = [ADMIN, VAULT, ALLOCATIONS, TREASURY, SINK];
    for zero in 0..addresses.len() {
        let vm = MockHost::default();
        vm.set_contract_address(MANAGER);
        let mut args = addresses;
        args[zero] = Address::ZERO;
        let mut manager = RestakingManager::from(&vm);
        assert_eq!(
            manager.constructor(args[0], args[1], args[2], args[3], args[4]),
            Err(ManagerError::ZeroAddress(ManagerZeroAddress {})),
            "argument {zero}"
        );
        assert!(vm.snapshot().storage.values().all(B256::is_zero));
    }
}

#[test]
fn constructor_rejects_the_token_or_the_manager_as_slash_recipient() {
    for recipient in [TOKEN, MANAGER] {
        let vm = MockHost::default();
        vm.set_contract_address(MANAGER);
        vm.on_call(VAULT, |_| Ok(TOKEN.into_word().to_vec()));
        let mut manager = RestakingManager::from(&vm);
        assert_eq!(
            manager.constructor(ADMIN, VAULT, ALLOCATIONS, TREASURY, recipient),
            Err(ManagerError::InvalidSlashRecipient(
                ManagerInvalidSlashRecipient { recipient }
            ))
        );
    }
}

#[test]
fn constructor_rejects_a_vault_without_a_token() {
    for answer in [Ok(B256::ZERO.to_vec()), Ok(Vec::new()), Err(b"no".to_vec())] {
        let vm = MockHost::default();
        vm.set_contract_address(MANAGER);
        vm.on_call(VAULT, move |_| answer.clone());
        let mut manager = RestakingManager::from(&vm);
        assert_eq!(
            manager.constructor(ADMIN, VAULT, ALLOCATIONS, TREASURY, SINK),
            Err(ManagerError::TokenNotSet(ManagerTokenNotSet {
                vault: VAULT
            }))
        );
        assert!(vm.snapshot().storage.values().all(B256::is_zero));
    }
}

// ---------------------------------------------------------------------------------------------
// delegate
// ---------------------------------------------------------------------------------------------

#[test]
fn delegate_into_an_empty_pool_gives_one_share_per_lst_and_pulls_the_lst() {
    let mut f = Fx::new();
    f.as_(ALICE);
    assert_eq!(f.manager.delegate(OP1, eth(100)), Ok(eth(100)));
    assert_eq!(f.pool(OP1), (eth(100), eth(100), U256::ZERO));
    assert_eq!(f.manager.staker_shares(ALICE, OP1), eth(100));
    assert_eq!(f.lst(ALICE), eth(900));
    assert_eq!(f.lst(MANAGER), eth(100));
    let calls = f.vm.calls();
    let pull = calls
        .iter()
        .find(|c| c.to == TOKEN)
        .expect("a call to the token");
    assert_eq!(pull.selector(), erc20_selectors::TRANSFER_FROM);
    assert_eq!(
        (pull.address(0), pull.address(1), pull.amount(2)),
        (ALICE, MANAGER, eth(100))
    );
    assert_logs(
        &f.take_logs(),
        &[
            transfer(ALICE, MANAGER, eth(100)),
            log(&Delegated {
                staker: ALICE,
                operator: OP1,
                assets: eth(100),
                shares: eth(100),
            }),
            pool_updated(OP1, eth(100), eth(100)),
        ],
    );
}

#[test]
fn delegate_after_rewards_prices_shares_rounded_down_and_matches_the_preview() {
    let mut f = Fx::delegated();
    f.rewards(OP1, eth(10));
    let (stake, shares, _) = f.pool(OP1);
    let assets = eth(7) + wei(3);
    let expected = shares_for(assets, stake, shares);
    assert_eq!(f.manager.preview_delegate(OP1, assets), Ok(expected));
    f.as_(CAROL);
    assert_eq!(f.manager.delegate(OP1, assets), Ok(expected));
    assert!(expected < assets, "a pool worth more than its shares");
    assert_eq!(f.pool(OP1), (stake + assets, shares + expected, U256::ZERO));
}

#[test]
fn one_staker_may_delegate_to_several_operators() {
    let mut f = Fx::new();
    f.delegate(ALICE, OP1, eth(10));
    f.delegate(ALICE, OP2, eth(20));
    f.delegate(ALICE, OP1, eth(5));
    assert_eq!(f.manager.staker_shares(ALICE, OP1), eth(15));
    assert_eq!(f.manager.staker_shares(ALICE, OP2), eth(20));
    assert_eq!(f.lst(MANAGER), eth(35));
}

#[test]
fn delegate_is_rejected_while_paused_for_zero_or_to_an_unknown_operator() {
    let mut f = Fx::delegated();
    f.as_(ALICE);
    f.rejects(zero_amount(), |m| m.delegate(OP1, U256::ZERO));
    f.rejects(
        ManagerError::UnknownOperator(ManagerUnknownOperator { operator: STRANGER }),
        |m| m.delegate(STRANGER, eth(1)),
    );
    f.pause();
    f.as_(ALICE);
    f.rejects(enforced_pause(), |m| m.delegate(OP1, eth(1)));
}

#[test]
fn delegate_that_would_give_no_shares_is_rejected() {
    let mut f = Fx::new();
    f.delegate(ALICE, OP1, wei(1));
    // 1,000 ETH of rewards on a 1-wei pool: one share is worth far more than a wei.
    f.rewards(OP1, eth(1_000));
    f.as_(BOB);
    f.rejects(ManagerError::ZeroShares(ManagerZeroShares {}), |m| {
        m.delegate(OP1, wei(1))
    });
}

#[test]
fn a_pool_past_two_to_the_128_is_refused() {
    let mut f = Fx::new();
    f.delegate(ALICE, OP1, eth(1));
    f.as_(BOB);
    f.rejects(
        ManagerError::Overflow(lsr_common::math::MathOverflow {}),
        |m| m.delegate(OP1, U256::from(u128::MAX)),
    );
}

#[test]
fn delegate_without_allowance_reverts_with_the_tokens_error() {
    let mut f = Fx::delegated();
    f.ledger
        .borrow_mut()
        .allowances
        .insert((BOB, MANAGER), eth(1));
    f.as_(BOB);
    f.reverts(
        ManagerError::Reverted(
            ERC20InsufficientAllowance {
                spender: MANAGER,
                allowance: eth(1),
                needed: eth(2),
            }
            .abi_encode(),
        ),
        |m| m.delegate(OP1, eth(2)),
    );
}

// ---------------------------------------------------------------------------------------------
// undelegate
// ---------------------------------------------------------------------------------------------

#[test]
fn undelegate_queues_the_value_and_keeps_the_shares_in_the_pool() {
    let mut f = Fx::delegated();
    f.rewards(OP1, eth(3));
    let (stake, shares, _) = f.pool(OP1);
    let held = f.manager.staker_shares(ALICE, OP1);
    let part = held / U256::from(4);
    let value = value_of(part, stake, shares);
    assert_eq!(
        f.manager.staker_value(ALICE, OP1),
        Ok(value_of(held, stake, shares))
    );
    f.take_logs();
    f.as_(ALICE);
    assert_eq!(f.manager.undelegate(OP1, part), Ok(U256::ZERO));
    assert_eq!(f.manager.staker_shares(ALICE, OP1), held - part);
    assert_eq!(
        f.pool(OP1),
        (stake, shares, part),
        "queued shares stay in the pool"
    );
    assert_eq!(
        f.manager.withdrawal(U256::ZERO),
        Ok((ALICE, OP1, part, value, f.now + DELAY, false))
    );
    assert_eq!(f.manager.queued_value(U256::ZERO), Ok(value));
    assert_eq!(f.manager.next_withdrawal_id(), wei(1));
    assert_eq!(f.lst(ALICE), eth(900), "nothing is paid before completion");
    assert_logs(
        &f.take_logs(),
        &[log(&WithdrawalQueued {
            id: U256::ZERO,
            staker: ALICE,
            operator: OP1,
            shares: part,
            value,
            readyAt: f.now + DELAY,
        })],
    );
    f.as_(BOB);
    assert_eq!(
        f.manager.undelegate(OP1, eth(1)),
        Ok(wei(1)),
        "ids count up"
    );
}

#[test]
fn undelegate_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    f.as_(ALICE);
    f.rejects(zero_amount(), |m| m.undelegate(OP1, U256::ZERO));
    f.rejects(
        ManagerError::InsufficientShares(ManagerInsufficientShares {
            shares: eth(100) + wei(1),
            held: eth(100),
        }),
        |m| m.undelegate(OP1, eth(100) + wei(1)),
    );
    f.rejects(
        ManagerError::InsufficientShares(ManagerInsufficientShares {
            shares: wei(1),
            held: U256::ZERO,
        }),
        |m| m.undelegate(OP2, wei(1)),
    );
    // One share of a pool worth about one LST per share rounds down to nothing.
    f.rejects(
        ManagerError::ZeroValue(ManagerZeroValue { shares: wei(1) }),
        |m| m.undelegate(OP1, wei(1)),
    );
    f.pause();
    f.as_(ALICE);
    f.rejects(enforced_pause(), |m| m.undelegate(OP1, eth(1)));
}

// ---------------------------------------------------------------------------------------------
// completeWithdrawal
// ---------------------------------------------------------------------------------------------

#[test]
fn complete_withdrawal_pays_the_queued_value_exactly_at_the_ready_time() {
    let mut f = Fx::delegated();
    let id = f.undelegate(ALICE, OP1, eth(40));
    let (_, _, _, value, ready_at, _) = f.manager.withdrawal(id).expect("queued");
    let (stake, shares, _) = f.pool(OP1);
    f.advance(DELAY - 1);
    f.as_(ALICE);
    f.rejects(
        ManagerError::WithdrawalNotReady(ManagerWithdrawalNotReady {
            id,
            readyAt: ready_at,
        }),
        |m| m.complete_withdrawal(id),
    );
    f.advance(1);
    f.take_logs();
    f.as_(ALICE);
    assert_eq!(f.manager.complete_withdrawal(id), Ok(value));
    assert_eq!(f.lst(ALICE), eth(900) + value);
    assert_eq!(f.pool(OP1), (stake - value, shares - eth(40), U256::ZERO));
    assert_eq!(f.manager.queued_value(id), Ok(U256::ZERO));
    assert!(f.manager.withdrawal(id).expect("exists").5, "completed");
    assert_logs(
        &f.take_logs(),
        &[
            transfer(MANAGER, ALICE, value),
            log(&WithdrawalCompleted {
                id,
                staker: ALICE,
                amount: value,
            }),
            pool_updated(OP1, stake - value, shares - eth(40)),
        ],
    );
}

#[test]
fn a_slash_while_queued_is_borne_by_the_withdrawal() {
    let mut f = Fx::delegated();
    let id = f.undelegate(ALICE, OP1, eth(100));
    let at_queue = f.manager.queued_value(id).expect("queued");
    let taken = f.slash(REG1, OP1, 1_000);
    assert!(taken > U256::ZERO);
    let (stake, shares, _) = f.pool(OP1);
    let now_value = value_of(eth(100), stake, shares);
    assert!(now_value < at_queue);
    assert_eq!(f.manager.queued_value(id), Ok(now_value));
    f.advance(DELAY);
    f.as_(ALICE);
    assert_eq!(f.manager.complete_withdrawal(id), Ok(now_value));
}

#[test]
fn a_gain_while_queued_stays_with_the_pool() {
    let mut f = Fx::delegated();
    let id = f.undelegate(ALICE, OP1, eth(100));
    let at_queue = f.manager.queued_value(id).expect("queued");
    let bob_before = f.manager.staker_value(BOB, OP1).expect("value");
    f.rewards(OP1, eth(15));
    assert_eq!(
        f.manager.queued_value(id),
        Ok(at_queue),
        "min(value at queue, value now)"
    );
    f.advance(DELAY);
    f.as_(ALICE);
    assert_eq!(f.manager.complete_withdrawal(id), Ok(at_queue));
    let bob_after = f.manager.staker_value(BOB, OP1).expect("value");
    assert!(
        bob_after > bob_before,
        "the queued staker's part of the gain went to Bob"
    );
}

#[test]
fn complete_withdrawal_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    let id = f.undelegate(ALICE, OP1, eth(10));
    f.advance(DELAY);
    f.as_(ALICE);
    f.rejects(
        ManagerError::WithdrawalNotFound(ManagerWithdrawalNotFound { id: wei(1) }),
        |m| m.complete_withdrawal(wei(1)),
    );
    f.as_(BOB);
    f.rejects(
        ManagerError::NotWithdrawalOwner(ManagerNotWithdrawalOwner { id, caller: BOB }),
        |m| m.complete_withdrawal(id),
    );
    f.pause();
    f.as_(ALICE);
    f.rejects(enforced_pause(), |m| m.complete_withdrawal(id));
    f.as_(ADMIN);
    f.manager.unpause().expect("the admin unpauses");
    f.as_(ALICE);
    f.manager.complete_withdrawal(id).expect("first completion");
    f.rejects(
        ManagerError::WithdrawalCompleted(ManagerWithdrawalCompleted { id }),
        |m| m.complete_withdrawal(id),
    );
    f.rejects(
        ManagerError::WithdrawalNotFound(ManagerWithdrawalNotFound { id: wei(1) }),
        |m| m.queued_value(wei(1)),
    );
}

#[test]
fn positions_value_sums_the_positions_and_the_queued_withdrawals() {
    let mut f = Fx::delegated();
    f.rewards(OP1, eth(3));
    let held = f.manager.staker_shares(ALICE, OP1);
    f.as_(ALICE);
    f.manager
        .undelegate(OP1, held / U256::from(4))
        .expect("queued");
    let op1 = f.manager.staker_value(ALICE, OP1).expect("value");
    let op2 = f.manager.staker_value(ALICE, OP2).expect("value");
    let queued = f.manager.queued_value(U256::ZERO).expect("value");
    assert!(!op1.is_zero() && !queued.is_zero());
    assert_eq!(
        f.manager
            .positions_value(ALICE, vec![OP1, OP2], vec![U256::ZERO]),
        Ok(op1 + op2 + queued)
    );
    assert_eq!(
        f.manager.positions_value(ALICE, vec![], vec![]),
        Ok(U256::ZERO),
        "nothing asked, nothing counted"
    );
    assert_eq!(
        f.manager.positions_value(ALICE, vec![STRANGER], vec![]),
        Ok(U256::ZERO),
        "no shares with an operator: worth nothing"
    );
    assert_eq!(
        f.manager.positions_value(ALICE, vec![OP1], vec![wei(7)]),
        Err(ManagerError::WithdrawalNotFound(
            ManagerWithdrawalNotFound { id: wei(7) }
        )),
        "an unknown id fails rather than count as zero"
    );
}

#[test]
fn a_later_delay_change_does_not_move_a_queued_withdrawal() {
    let mut f = Fx::delegated();
    let id = f.undelegate(ALICE, OP1, eth(10));
    f.as_(ADMIN);
    f.manager
        .set_parameters(PROTOCOL_FEE_BPS, 1_000, 30 * DAY)
        .expect("parameters");
    f.advance(DELAY);
    f.as_(ALICE);
    assert!(f.manager.complete_withdrawal(id).is_ok());
}

// ---------------------------------------------------------------------------------------------
// slash
// ---------------------------------------------------------------------------------------------

#[test]
fn slash_takes_the_bps_of_the_allocated_stake_rounded_up_and_sends_it_away() {
    let mut f = Fx::delegated();
    let (stake, shares, _) = f.pool(OP1);
    let allocated = bps(stake, 5_000, false);
    assert_eq!(f.manager.allocated_stake(OP1, REG1), Ok(allocated));
    let amount = bps(allocated, 333, true);
    f.as_(REG1);
    assert_eq!(f.manager.slash(OP1, wei(333)), Ok(amount));
    assert_eq!(f.pool(OP1), (stake - amount, shares, U256::ZERO));
    assert_eq!(f.lst(SINK), amount);
    assert_eq!(f.lst(MANAGER), eth(190) - amount);
    assert_logs(
        &f.take_logs(),
        &[
            transfer(MANAGER, SINK, amount),
            log(&OperatorSlashed {
                operator: OP1,
                registry: REG1,
                bps: wei(333),
                amount,
            }),
            pool_updated(OP1, stake - amount, shares),
        ],
    );
    // Pro rata: Alice and Bob lose the same fraction.
    let alice = f.manager.staker_value(ALICE, OP1).expect("value");
    let bob = f.manager.staker_value(BOB, OP1).expect("value");
    assert!(alice.abs_diff(bob * U256::from(2)) <= wei(2));
}

#[test]
fn slash_never_takes_more_than_the_allocation() {
    let mut f = Fx::delegated();
    f.as_(ADMIN);
    f.manager
        .set_parameters(PROTOCOL_FEE_BPS, 10_000, DELAY)
        .expect("parameters");
    let (stake, _, _) = f.pool(OP1);
    let allocated = bps(stake, 2_000, false);
    assert_eq!(f.slash(REG2, OP1, 10_000), allocated);
    assert_eq!(
        f.pool(OP1).0,
        stake - allocated,
        "80% of the pool was not at stake there"
    );
}

#[test]
fn slashes_of_one_registry_add_up_to_at_most_the_bound_per_withdrawal_delay() {
    let mut f = Fx::delegated();
    let opened = f.now;
    assert_eq!(
        f.manager.slash_bound_left(OP1, REG1),
        (1_000, opened + DELAY)
    );
    f.slash(REG1, OP1, 600);
    f.advance(DAY);
    f.slash(REG1, OP1, 300);
    assert_eq!(f.manager.slash_bound_left(OP1, REG1), (100, opened + DELAY));
    // Another registry, or another operator, has a window of its own.
    assert_eq!(
        f.manager.slash_bound_left(OP1, REG2),
        (1_000, f.now + DELAY)
    );
    assert_eq!(
        f.manager.slash_bound_left(OP2, REG1),
        (1_000, f.now + DELAY)
    );
    f.as_(REG1);
    f.rejects(
        ManagerError::SlashAboveBound(ManagerSlashAboveBound {
            bps: wei(101),
            leftBps: wei(100),
            windowEndsAt: opened + DELAY,
        }),
        |m| m.slash(OP1, wei(101)),
    );
    f.slash(REG1, OP1, 100);
    f.as_(REG1);
    f.rejects(
        ManagerError::SlashAboveBound(ManagerSlashAboveBound {
            bps: wei(1),
            leftBps: U256::ZERO,
            windowEndsAt: opened + DELAY,
        }),
        |m| m.slash(OP1, wei(1)),
    );
    // The window ends a withdrawal delay after its first slash; the next slash opens another.
    f.advance(DELAY - DAY - 1);
    assert_eq!(f.manager.slash_bound_left(OP1, REG1), (0, opened + DELAY));
    f.advance(1);
    assert_eq!(
        f.manager.slash_bound_left(OP1, REG1),
        (1_000, f.now + DELAY)
    );
    f.slash(REG1, OP1, 1_000);
    assert_eq!(f.manager.slash_bound_left(OP1, REG1), (0, f.now + DELAY));
}

#[test]
fn a_delay_change_leaves_the_open_window_and_times_the_next() {
    let mut f = Fx::delegated();
    let opened = f.now;
    f.slash(REG1, OP1, 1_000);
    f.as_(ADMIN);
    f.manager
        .set_parameters(PROTOCOL_FEE_BPS, MAX_SLASH_BPS, 2 * DELAY)
        .expect("parameters");
    // A longer delay does not stretch the window a slash already opened …
    f.advance(DELAY);
    assert_eq!(
        f.manager.slash_bound_left(OP1, REG1),
        (1_000, f.now + 2 * DELAY)
    );
    f.slash(REG1, OP1, 400);
    f.as_(ADMIN);
    f.manager
        .set_parameters(PROTOCOL_FEE_BPS, MAX_SLASH_BPS, DELAY / 7)
        .expect("parameters");
    // … nor does a shorter one end the one it opens now early.
    f.advance(DELAY);
    assert_eq!(
        f.manager.slash_bound_left(OP1, REG1),
        (600, opened + 3 * DELAY)
    );
    f.advance(DELAY);
    assert_eq!(
        f.manager.slash_bound_left(OP1, REG1),
        (1_000, f.now + DELAY / 7)
    );
}

#[test]
fn a_lowered_bound_applies_to_the_open_window() {
    let mut f = Fx::delegated();
    f.slash(REG1, OP1, 600);
    f.as_(ADMIN);
    f.manager
        .set_parameters(PROTOCOL_FEE_BPS, 500, DELAY)
        .expect("parameters");
    assert_eq!(f.manager.slash_bound_left(OP1, REG1), (0, f.now + DELAY));
    f.as_(REG1);
    f.rejects(
        ManagerError::SlashAboveBound(ManagerSlashAboveBound {
            bps: wei(1),
            leftBps: U256::ZERO,
            windowEndsAt: f.now + DELAY,
        }),
        |m| m.slash(OP1, wei(1)),
    );
}

#[test]
fn slash_works_while_paused() {
    let mut f = Fx::delegated();
    f.pause();
    assert!(f.slash(REG1, OP2, 100) > U256::ZERO);
}

#[test]
fn slash_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    f.as_(STRANGER);
    f.rejects(
        ManagerError::NotRegistry(ManagerNotRegistry { caller: STRANGER }),
        |m| m.slash(OP1, wei(100)),
    );
    f.as_(REG1);
    f.rejects(zero_amount(), |m| m.slash(OP1, U256::ZERO));
    f.rejects(
        ManagerError::SlashAboveBound(ManagerSlashAboveBound {
            bps: wei(1_001),
            leftBps: wei(1_000),
            windowEndsAt: T0 + DELAY,
        }),
        |m| m.slash(OP1, wei(1_001)),
    );
    f.as_(REG2);
    f.rejects(
        ManagerError::NotAllocated(ManagerNotAllocated {
            operator: OP2,
            registry: REG2,
        }),
        |m| m.slash(OP2, wei(100)),
    );
    // A registry the allocation manager dropped from the whitelist can no longer slash.
    f.directory.borrow_mut().registries.remove(&REG1);
    f.as_(REG1);
    f.rejects(
        ManagerError::NotRegistry(ManagerNotRegistry { caller: REG1 }),
        |m| m.slash(OP1, wei(100)),
    );
}

// ---------------------------------------------------------------------------------------------
// depositRewards and claimFees
// ---------------------------------------------------------------------------------------------

#[test]
fn rewards_set_fees_aside_in_eth_and_stake_the_rest_for_the_pool() {
    let mut f = Fx::delegated();
    let (stake, shares, _) = f.pool(OP1);
    let amount = eth(10);
    let operator_fee = bps(amount, OP1_FEE_BPS.into(), false);
    let protocol_fee = bps(amount, PROTOCOL_FEE_BPS.into(), false);
    let rest = amount - operator_fee - protocol_fee;
    let staked = rest * U256::from(LST_PER_ETH) / WAD;
    f.paying(STRANGER, amount);
    assert_eq!(f.manager.deposit_rewards(OP1), Ok(()));
    assert_eq!(f.pool(OP1), (stake + staked, shares, U256::ZERO));
    assert_eq!(f.manager.claimable_fees(OP1), operator_fee);
    assert_eq!(f.manager.claimable_fees(TREASURY), protocol_fee);
    assert_eq!(f.lst(MANAGER), eth(190) + staked);
    let deposit =
        f.vm.calls()
            .into_iter()
            .find(|c| c.to == VAULT)
            .expect("a call to the vault");
    assert_eq!(deposit.selector(), vault_selectors::DEPOSIT);
    assert_eq!((deposit.address(0), deposit.value), (MANAGER, rest));
    assert_logs(
        &f.take_logs(),
        &[
            log(&RewardsDeposited {
                operator: OP1,
                sender: STRANGER,
                amount,
                operatorFee: operator_fee,
                protocolFee: protocol_fee,
                staked,
            }),
            pool_updated(OP1, stake + staked, shares),
        ],
    );
}

#[test]
fn rewards_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    f.paying(STRANGER, U256::ZERO);
    f.rejects(zero_amount(), |m| m.deposit_rewards(OP1));
    f.paying(STRANGER, eth(1));
    f.rejects(
        ManagerError::UnknownOperator(ManagerUnknownOperator { operator: STRANGER }),
        |m| m.deposit_rewards(STRANGER),
    );
    f.directory.borrow_mut().operators.insert(STRANGER);
    f.rejects(
        ManagerError::EmptyPool(ManagerEmptyPool { operator: STRANGER }),
        |m| m.deposit_rewards(STRANGER),
    );
    // The vault refuses the deposit: its revert data passes through and the fees set aside
    // before the call are rolled back.
    f.vault.borrow_mut().min_deposit = eth(100);
    f.reverts(ManagerError::Reverted(vault_revert()), |m| {
        m.deposit_rewards(OP1)
    });
    f.vault.borrow_mut().min_deposit = U256::ZERO;
    f.pause();
    f.paying(STRANGER, eth(1));
    f.rejects(enforced_pause(), |m| m.deposit_rewards(OP1));
}

#[test]
fn rewards_revert_when_the_vault_answers_without_shares() {
    let mut f = Fx::delegated();
    // An address without code answers a call with nothing: never count that as zero LST.
    f.vm.on_call(VAULT, |_| Ok(Vec::new()));
    f.paying(STRANGER, eth(1));
    f.reverts(ManagerError::Reverted(Vec::new()), |m| {
        m.deposit_rewards(OP1)
    });
}

#[test]
fn an_operator_fee_above_the_hard_bound_is_clamped() {
    let mut f = Fx::delegated();
    f.directory.borrow_mut().fee_bps.insert(OP1, 9_000);
    f.rewards(OP1, eth(10));
    assert_eq!(
        f.manager.claimable_fees(OP1),
        bps(eth(10), MAX_FEE_BPS.into(), false)
    );
}

#[test]
fn claim_fees_pays_the_caller_once_and_works_while_paused() {
    let mut f = Fx::delegated();
    f.rewards(OP1, eth(10));
    let due = f.manager.claimable_fees(OP1);
    f.pause();
    f.take_logs();
    f.vm.clear_calls();
    f.as_(OP1);
    assert_eq!(f.manager.claim_fees(), Ok(due));
    assert_eq!(f.manager.claimable_fees(OP1), U256::ZERO);
    assert_logs(
        &f.take_logs(),
        &[log(&FeesClaimed {
            account: OP1,
            amount: due,
        })],
    );
    f.rejects(zero_amount(), RestakingManager::claim_fees);
}

#[test]
fn claim_fees_to_a_receiver_that_reverts_fails_and_keeps_the_fees() {
    let mut f = Fx::delegated();
    f.rewards(OP1, eth(10));
    let due = f.manager.claimable_fees(OP1);
    f.vm.on_call(OP1, |_| Err(Vec::new()));
    f.as_(OP1);
    f.reverts(
        ManagerError::EthTransferFailed(ManagerEthTransferFailed {
            to: OP1,
            amount: due,
        }),
        RestakingManager::claim_fees,
    );
    assert_eq!(f.manager.claimable_fees(OP1), due);
}

// ---------------------------------------------------------------------------------------------
// Admin and views
// ---------------------------------------------------------------------------------------------

#[test]
fn set_parameters_within_bounds_by_the_admin() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    assert_eq!(f.manager.set_parameters(2_000, 10_000, 3_600), Ok(()));
    assert_eq!(f.manager.protocol_fee_bps(), 2_000);
    assert_eq!(f.manager.max_slash_bps(), 10_000);
    assert_eq!(f.manager.withdrawal_delay(), 3_600);
    assert_logs(
        &f.take_logs(),
        &[log(&ParametersSet {
            protocolFeeBps: 2_000,
            maxSlashBps: 10_000,
            withdrawalDelay: 3_600,
        })],
    );
    assert_eq!(
        f.manager.set_parameters(0, 0, 30 * DAY),
        Ok(()),
        "zero turns slashing off"
    );
}

#[test]
fn set_parameters_errors_leave_everything_unchanged() {
    let mut f = Fx::new();
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, B256::ZERO), |m| {
        m.set_parameters(500, 1_000, DELAY)
    });
    f.as_(ADMIN);
    f.rejects(
        ManagerError::ParameterAboveBound(ManagerParameterAboveBound {
            value: wei(2_001),
            bound: wei(2_000),
        }),
        |m| m.set_parameters(2_001, 1_000, DELAY),
    );
    f.rejects(
        ManagerError::ParameterAboveBound(ManagerParameterAboveBound {
            value: wei(10_001),
            bound: wei(10_000),
        }),
        |m| m.set_parameters(500, 10_001, DELAY),
    );
    for delay in [3_599, 30 * DAY + 1] {
        f.rejects(
            ManagerError::DelayOutOfBounds(ManagerDelayOutOfBounds {
                delay,
                minimum: MIN_WITHDRAWAL_DELAY,
                maximum: MAX_WITHDRAWAL_DELAY,
            }),
            |m| m.set_parameters(500, 1_000, delay),
        );
    }
}

#[test]
fn set_recipients_by_the_admin_and_its_errors() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    assert_eq!(f.manager.set_recipients(BOB, CAROL), Ok(()));
    assert_eq!(
        (f.manager.treasury(), f.manager.slash_recipient()),
        (BOB, CAROL)
    );
    assert_logs(
        &f.take_logs(),
        &[log(&RecipientsSet {
            treasury: BOB,
            slashRecipient: CAROL,
        })],
    );
    let zero = ManagerError::ZeroAddress(ManagerZeroAddress {});
    f.rejects(zero, |m| m.set_recipients(Address::ZERO, CAROL));
    let zero = ManagerError::ZeroAddress(ManagerZeroAddress {});
    f.rejects(zero, |m| m.set_recipients(BOB, Address::ZERO));
    // The token refuses transfers to itself (every slash would revert); LST sent to the
    // manager would sit outside every pool.
    for recipient in [TOKEN, MANAGER] {
        f.rejects(
            ManagerError::InvalidSlashRecipient(ManagerInvalidSlashRecipient { recipient }),
            |m| m.set_recipients(BOB, recipient),
        );
    }
    f.as_(BOB);
    f.rejects(unauthorized(BOB, B256::ZERO), |m| {
        m.set_recipients(BOB, BOB)
    });
}

#[test]
fn views_forward_to_the_allocation_manager() {
    let f = Fx::delegated();
    assert!(f.manager.is_operator(OP1));
    assert!(!f.manager.is_operator(STRANGER));
    let (stake, _, _) = f.pool(OP2);
    assert_eq!(f.manager.allocated_stake(OP2, REG1), Ok(stake));
    assert_eq!(f.manager.allocated_stake(OP2, REG2), Ok(U256::ZERO));
    let static_reads =
        f.vm.calls()
            .iter()
            .filter(|c| c.to == ALLOCATIONS && c.is_static)
            .count();
    assert_eq!(static_reads, 4);
}

// ---------------------------------------------------------------------------------------------
// Stateful properties
// ---------------------------------------------------------------------------------------------

/// One step of the stateful test.
#[derive(Debug, Clone)]
enum Step {
    Delegate {
        staker: usize,
        operator: usize,
        assets: u64,
    },
    Undelegate {
        staker: usize,
        operator: usize,
        fraction: u8,
    },
    Complete {
        id: u8,
    },
    Slash {
        registry: usize,
        operator: usize,
        bps: u16,
    },
    Rewards {
        operator: usize,
        milli_eth: u64,
    },
    Wait {
        hours: u16,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3_usize, 0..2_usize, 1..300_u64).prop_map(|(staker, operator, assets)| {
            Step::Delegate {
                staker,
                operator,
                assets,
            }
        }),
        (0..3_usize, 0..2_usize, 1..=100_u8).prop_map(|(staker, operator, fraction)| {
            Step::Undelegate {
                staker,
                operator,
                fraction,
            }
        }),
        (0..12_u8).prop_map(|id| Step::Complete { id }),
        (0..2_usize, 0..2_usize, 1..=1_000_u16).prop_map(|(registry, operator, bps)| Step::Slash {
            registry,
            operator,
            bps
        }),
        (0..2_usize, 1..20_000_u64).prop_map(|(operator, milli_eth)| Step::Rewards {
            operator,
            milli_eth
        }),
        (1..400_u16).prop_map(|hours| Step::Wait { hours }),
    ]
}

/// Runs one step as a transaction; checks what the step itself promises.
/// What the sequence so far paid and slashed: withdrawal payouts by id, and each (operator,
/// registry)'s slashing window (opened at, bps spent).
#[derive(Default)]
struct Record {
    paid: BTreeMap<u64, U256>,
    windows: BTreeMap<(Address, Address), (u64, u16)>,
}

fn run(f: &mut Fx, step: &Step, record: &mut Record) {
    let paid = &mut record.paid;
    let operators = [OP1, OP2];
    let registries = [REG1, REG2];
    match *step {
        Step::Delegate {
            staker,
            operator,
            assets,
        } => {
            f.as_(STAKERS[staker]);
            let _ = f.attempt(|m| m.delegate(operators[operator], eth(assets) / U256::from(3)));
        }
        Step::Undelegate {
            staker,
            operator,
            fraction,
        } => {
            let held = f
                .manager
                .staker_shares(STAKERS[staker], operators[operator]);
            f.as_(STAKERS[staker]);
            let _ = f.attempt(|m| {
                m.undelegate(
                    operators[operator],
                    held * U256::from(fraction) / U256::from(100),
                )
            });
        }
        Step::Complete { id } => {
            let id = u64::from(id);
            if U256::from(id) >= f.manager.next_withdrawal_id() {
                return;
            }
            let (staker, operator, shares, value, ready_at, _) =
                f.manager.withdrawal(U256::from(id)).expect("exists");
            let (stake, total, _) = f.pool(operator);
            let before = f.lst(staker);
            f.as_(staker);
            match f.attempt(|m| m.complete_withdrawal(U256::from(id))) {
                Ok(amount) => {
                    assert!(f.now >= ready_at, "the delay always holds");
                    assert_eq!(amount, value.min(value_of(shares, stake, total)));
                    assert_eq!(f.lst(staker), before + amount);
                    assert!(paid.insert(id, amount).is_none(), "paid once");
                }
                Err(ManagerError::WithdrawalNotReady(_)) => assert!(f.now < ready_at),
                Err(ManagerError::WithdrawalCompleted(_)) => assert!(paid.contains_key(&id)),
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        Step::Slash {
            registry,
            operator,
            bps: slash_bps,
        } => {
            let (operator, registry) = (operators[operator], registries[registry]);
            let allocated = f.manager.allocated_stake(operator, registry).expect("view");
            let (stake, _, _) = f.pool(operator);
            // The window model: at most MAX_SLASH_BPS per DELAY, from the window's first slash.
            let (start, spent) = match record.windows.get(&(operator, registry)) {
                Some(&(start, spent)) if f.now < start + DELAY => (start, spent),
                _ => (f.now, 0),
            };
            f.as_(registry);
            match f.attempt(|m| m.slash(operator, U256::from(slash_bps))) {
                Ok(amount) => {
                    assert!(
                        spent + slash_bps <= MAX_SLASH_BPS,
                        "the window's bound holds"
                    );
                    assert!(amount <= allocated, "no overslashing");
                    assert_eq!(amount, bps(allocated, slash_bps.into(), true));
                    assert_eq!(f.pool(operator).0, stake - amount);
                    record
                        .windows
                        .insert((operator, registry), (start, spent + slash_bps));
                }
                Err(ManagerError::SlashAboveBound(e)) => {
                    assert!(
                        spent + slash_bps > MAX_SLASH_BPS,
                        "refused within the bound"
                    );
                    assert_eq!(e.leftBps, U256::from(MAX_SLASH_BPS - spent));
                    assert_eq!(e.windowEndsAt, start + DELAY);
                }
                Err(ManagerError::NotAllocated(_)) => {
                    assert!(allocated.is_zero() && spent + slash_bps <= MAX_SLASH_BPS);
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        Step::Rewards {
            operator,
            milli_eth,
        } => {
            f.paying(STRANGER, eth(milli_eth) / U256::from(1_000));
            let _ = f.attempt(|m| m.deposit_rewards(operators[operator]));
        }
        Step::Wait { hours } => f.advance(u64::from(hours) * 3_600),
    }
}

/// The manager's invariants (DESIGN.md, "Invariants", 3 and 6).
fn check_invariants(f: &Fx) {
    let next = f.manager.next_withdrawal_id().to::<u64>();
    let mut total_stake = U256::ZERO;
    for operator in [OP1, OP2] {
        let (stake, shares, queued) = f.pool(operator);
        total_stake += stake;
        let held: U256 = STAKERS
            .iter()
            .map(|&s| f.manager.staker_shares(s, operator))
            .sum();
        let mut pending_shares = U256::ZERO;
        let mut claims: U256 = STAKERS
            .iter()
            .map(|&s| f.manager.staker_value(s, operator).expect("value"))
            .sum();
        for id in 0..next {
            let (_, op, w_shares, _, _, completed) =
                f.manager.withdrawal(U256::from(id)).expect("exists");
            if op == operator && !completed {
                pending_shares += w_shares;
                claims += f.manager.queued_value(U256::from(id)).expect("value");
            }
        }
        assert_eq!(
            queued, pending_shares,
            "queued shares are the pending withdrawals'"
        );
        assert_eq!(
            held + queued,
            shares,
            "Σ stakers' shares + queued = pool shares"
        );
        assert!(claims <= stake, "Σ withdrawable ≤ pool stake");
    }
    assert_eq!(f.lst(MANAGER), total_stake, "LST held = Σ pool stakes");
    // positionsValue is each staker's stakerValue and queuedValue summed, in one call.
    for staker in STAKERS {
        let ids: Vec<U256> = (0..next)
            .map(U256::from)
            .filter(|&id| f.manager.withdrawal(id).expect("exists").0 == staker)
            .collect();
        let book: U256 = [OP1, OP2]
            .iter()
            .map(|&op| f.manager.staker_value(staker, op).expect("value"))
            .chain(
                ids.iter()
                    .map(|&id| f.manager.queued_value(id).expect("value")),
            )
            .sum();
        assert_eq!(
            f.manager.positions_value(staker, vec![OP1, OP2], ids),
            Ok(book),
            "positionsValue = Σ stakerValue + Σ queuedValue"
        );
    }
    let fees: U256 = HOLDERS.iter().map(|&a| f.manager.claimable_fees(a)).sum();
    let received = f.vault.borrow().received;
    assert!(
        fees <= received * U256::from(4) / U256::from(6),
        "fees ≤ 40% of rewards"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any sequence of delegations, undelegations, completions, slashes, rewards and waits
    /// keeps the pools' accounting sound after every step.
    #[test]
    fn pool_accounting_holds_under_any_sequence(steps in prop::collection::vec(step(), 1..40)) {
        let mut f = Fx::delegated();
        let mut record = Record::default();
        for step in &steps {
            run(&mut f, step, &mut record);
            check_invariants(&f);
        }
    }
}

/// Every function of the golden ABI is routed on chain, at its selector, payable where the ABI
/// says so (the SDK's `#[public]` declares the ABI; `lsr_common::router!` routes the calls).
#[test]
fn routes_are_the_golden_abi() {
    lsr_common::testing::assert_routes_match_abi(
        RestakingManager::ROUTES,
        include_str!("../../../abi/restaking-manager.json"),
    );
}
