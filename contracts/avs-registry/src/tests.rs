//! `TestVM` unit tests of every public function of the registry (success paths with their
//! events and the exact calls to the manager, every error with the state left unchanged), and a
//! proptest of the opted-in set against a model.
//!
//! The restaking manager is a model installed on [`MockHost`]: it answers the four calls the
//! registry makes, asserting for each the caller, the call kind (static or not), the value and
//! the argument words, and applies the documented rules (a slash takes `bps` of the stake
//! allocated to this registry, refused above `MAX_SLASH_BPS` as the manager refuses a slash
//! past what is left of its window). No registry path writes before its checks
//! or before its call to the manager, so [`Fixture::rejects`] (fails before writing or emitting
//! anything) covers every error.

use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
    rc::Rc,
};

use alloy_primitives::{address, b256, keccak256, Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use lsr_common::{
    access::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, EnforcedPause,
        ExpectedPause, Paused, RoleGranted, RoleRevoked, Unpaused, PAUSER_ROLE,
    },
    testing::{nonzero_storage, Answer, Called, Fixture, MockHost},
};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

const REGISTRY: Address = address!("a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5");
const MANAGER: Address = address!("3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c");
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const SLASHER: Address = address!("00000000000000000000000000000000000a0002");
const PAUSER: Address = address!("00000000000000000000000000000000000a0003");
/// Operators registered in the manager.
const OP_A: Address = address!("00000000000000000000000000000000000c0001");
const OP_B: Address = address!("00000000000000000000000000000000000c0002");
const OP_C: Address = address!("00000000000000000000000000000000000c0003");
const OP_D: Address = address!("00000000000000000000000000000000000c0004");
/// Not an operator in the manager.
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");

/// Every address whose membership and roles the state snapshot records.
const ACCOUNTS: [Address; 9] = [
    DEPLOYER, ADMIN, SLASHER, PAUSER, OP_A, OP_B, OP_C, OP_D, STRANGER,
];

/// What the model manager lets one slash take, in basis points (the real manager bounds each
/// registry's slashes of an operator per window of its withdrawal delay).
const MAX_SLASH_BPS: u64 = 5_000;
/// The window end the model manager reports in its refusal.
const WINDOW_END: u64 = 1_767_830_400;

const REASON: B256 = b256!("0000000000000000000000000000000000000000000000000000000000000bad");

fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(1_000_000_000_000_000_000_u128)
}

fn word(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
}

/// `selector ‖ words`, as the manager should receive it.
fn calldata(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    [selector.as_slice(), &words.concat()].concat()
}

fn unauthorized(account: Address, role: B256) -> RegistryError {
    RegistryError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn enforced_pause() -> RegistryError {
    RegistryError::EnforcedPause(EnforcedPause {})
}

fn not_opted_in(operator: Address) -> RegistryError {
    RegistryError::NotOptedIn(RegistryNotOptedIn { operator })
}

fn zero_amount() -> RegistryError {
    RegistryError::ZeroAmount(RegistryZeroAmount {})
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

// ---------------------------------------------------------------------------------------------
// The manager model
// ---------------------------------------------------------------------------------------------

alloy_sol_types::sol! {
    /// A manager error, for the pass-through tests (the registry never decodes it).
    #[derive(Debug, PartialEq, Eq)]
    error ManagerSlashAboveBound(uint256 bps, uint256 leftBps, uint64 windowEndsAt);
}

/// The restaking manager as the registry sees it, from the manager's documented rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Manager {
    operators: BTreeSet<Address>,
    /// Each operator's stake allocated to [`REGISTRY`].
    allocations: BTreeMap<Address, U256>,
    /// ETH received as rewards, per operator.
    rewards: BTreeMap<Address, U256>,
    /// When set, every call is answered with this revert data.
    revert: Option<Vec<u8>>,
}

impl Manager {
    fn allocation(&self, operator: Address) -> U256 {
        self.allocations.get(&operator).copied().unwrap_or_default()
    }

    fn answer(&mut self, called: &Called) -> Answer {
        assert_eq!(called.from, REGISTRY, "only the registry calls here");
        if let Some(data) = &self.revert {
            return Err(data.clone());
        }
        match called.selector() {
            manager_selectors::IS_OPERATOR => {
                assert!(called.is_static, "isOperator is read with a static call");
                assert_eq!(called.data.len(), 4 + 32, "isOperator(address)");
                let known = self.operators.contains(&called.address(0));
                Ok(word(U256::from(u8::from(known))))
            }
            manager_selectors::ALLOCATED_STAKE => {
                assert!(
                    called.is_static,
                    "allocatedStake is read with a static call"
                );
                assert_eq!(called.data.len(), 4 + 64, "allocatedStake(address,address)");
                assert_eq!(called.address(1), REGISTRY, "the allocation to this AVS");
                Ok(word(self.allocation(called.address(0))))
            }
            manager_selectors::SLASH => {
                assert!(!called.is_static, "slash changes the manager's state");
                assert_eq!(called.value, U256::ZERO, "slash carries no ETH");
                assert_eq!(called.data.len(), 4 + 64, "slash(address,uint256)");
                let (operator, bps) = (called.address(0), called.amount(1));
                let left = U256::from(MAX_SLASH_BPS);
                if bps > left {
                    return Err(ManagerSlashAboveBound {
                        bps,
                        leftBps: left,
                        windowEndsAt: WINDOW_END,
                    }
                    .abi_encode());
                }
                let allocated = self.allocation(operator);
                let amount = allocated * bps / U256::from(10_000);
                self.allocations.insert(operator, allocated - amount);
                Ok(word(amount))
            }
            manager_selectors::DEPOSIT_REWARDS => {
                assert!(!called.is_static, "depositRewards is payable");
                assert_eq!(called.data.len(), 4 + 32, "depositRewards(address)");
                assert!(!called.value.is_zero(), "rewards carry ETH");
                *self.rewards.entry(called.address(0)).or_default() += called.value;
                Ok(Vec::new())
            }
            other => panic!("manager model: unknown selector {other:02x?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// Everything a call could touch, through the public views plus the raw storage and the
/// manager model.
#[derive(Debug, PartialEq, Eq)]
struct State {
    manager: Address,
    count: U256,
    members: Vec<Address>,
    opted_in: Vec<bool>,
    paused: bool,
    roles: Vec<bool>,
    model: Manager,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// A registry bound to a model manager that knows operators A–D (A 100 ETH, B 40 ETH, C 10
/// ETH allocated here, D nothing), with the slasher and pauser roles granted.
struct Fx {
    vm: MockHost,
    manager: Rc<RefCell<Manager>>,
    registry: AvsRegistry,
}

impl Fx {
    fn new() -> Self {
        let vm = MockHost::default();
        vm.set_contract_address(REGISTRY);
        vm.set_sender(DEPLOYER);
        let manager = Rc::new(RefCell::new(Manager {
            operators: [OP_A, OP_B, OP_C, OP_D].into(),
            allocations: [(OP_A, eth(100)), (OP_B, eth(40)), (OP_C, eth(10))].into(),
            ..Manager::default()
        }));
        let handle = Rc::clone(&manager);
        vm.on_call(MANAGER, move |called| handle.borrow_mut().answer(called));
        let mut registry = AvsRegistry::from(&vm);
        registry
            .constructor(MANAGER, ADMIN)
            .expect("constructor with non-zero addresses");
        vm.set_sender(ADMIN);
        for (role, account) in [(SLASHER_ROLE, SLASHER), (PAUSER_ROLE, PAUSER)] {
            registry
                .grant_role(role, account)
                .expect("the admin grants");
        }
        vm.clear_mocks();
        vm.clear_calls();
        Self {
            vm,
            manager,
            registry,
        }
    }

    /// [`Self::new`] with A, B and C opted in, in that order.
    fn opted() -> Self {
        let mut f = Self::new();
        for operator in [OP_A, OP_B, OP_C] {
            f.opt_in(operator);
        }
        f.take_logs();
        f.vm.clear_calls();
        f
    }

    /// Caller `who`, no value attached.
    fn as_(&self, who: Address) {
        self.vm.set_sender(who);
        self.vm.set_value(U256::ZERO);
    }

    /// Caller `who`, attaching `value` wei.
    fn paying(&self, who: Address, value: U256) {
        self.vm.set_sender(who);
        self.vm.set_value(value);
    }

    /// The pauser pauses the registry.
    fn pause(&mut self) {
        self.as_(PAUSER);
        self.registry
            .pause()
            .expect("the pauser pauses a running registry");
        self.take_logs();
    }

    fn opt_in(&mut self, operator: Address) {
        self.as_(operator);
        self.registry.opt_in().expect("optIn");
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }

    /// Every member, through one page.
    fn members(&self) -> Vec<Address> {
        self.registry.operators(U256::ZERO, U256::MAX)
    }
}

impl Fixture for Fx {
    type Contract = AvsRegistry;
    type Error = RegistryError;
    type State = State;
    type Models = Manager;

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut AvsRegistry {
        &mut self.registry
    }

    fn state(&self) -> State {
        let r = &self.registry;
        State {
            manager: r.manager(),
            count: r.operator_count(),
            members: self.members(),
            opted_in: ACCOUNTS.iter().map(|&a| r.is_opted_in(a)).collect(),
            paused: r.paused(),
            roles: [DEFAULT_ADMIN_ROLE, SLASHER_ROLE, PAUSER_ROLE]
                .iter()
                .flat_map(|&role| ACCOUNTS.iter().map(move |&a| r.has_role(role, a)))
                .collect(),
            model: self.manager.borrow().clone(),
            storage: nonzero_storage(&self.vm),
        }
    }

    fn save_models(&self) -> Manager {
        self.manager.borrow().clone()
    }

    fn restore_models(&mut self, models: Manager) {
        *self.manager.borrow_mut() = models;
    }
}

// ---------------------------------------------------------------------------------------------
// Constructor
// ---------------------------------------------------------------------------------------------

#[test]
fn constructor_binds_the_manager_and_grants_only_the_admin_role() {
    let vm = MockHost::default();
    vm.set_contract_address(REGISTRY);
    vm.set_sender(DEPLOYER);
    let mut registry = AvsRegistry::from(&vm);
    assert_eq!(registry.constructor(MANAGER, ADMIN), Ok(()));
    assert_eq!(registry.manager(), MANAGER);
    assert!(registry.has_role(DEFAULT_ADMIN_ROLE, ADMIN));
    assert!(!registry.has_role(DEFAULT_ADMIN_ROLE, DEPLOYER));
    for role in [SLASHER_ROLE, PAUSER_ROLE] {
        assert!(
            !registry.has_role(role, ADMIN),
            "granted by the admin later"
        );
    }
    assert_eq!(registry.operator_count(), U256::ZERO);
    assert!(registry.operators(U256::ZERO, U256::MAX).is_empty());
    assert!(!registry.paused());
    assert_logs(
        &vm.get_emitted_logs(),
        &[log(&RoleGranted {
            role: DEFAULT_ADMIN_ROLE,
            account: ADMIN,
            sender: DEPLOYER,
        })],
    );
    assert!(vm.calls().is_empty(), "deployment calls nothing");
}

#[test]
fn constructor_rejects_a_zero_manager_or_admin() {
    for (manager, admin) in [(Address::ZERO, ADMIN), (MANAGER, Address::ZERO)] {
        let vm = MockHost::default();
        let mut registry = AvsRegistry::from(&vm);
        assert_eq!(
            registry.constructor(manager, admin),
            Err(RegistryError::ZeroAddress(RegistryZeroAddress {}))
        );
        assert!(
            vm.snapshot().storage.values().all(B256::is_zero),
            "nothing written"
        );
        assert!(vm.get_emitted_logs().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// optIn
// ---------------------------------------------------------------------------------------------

#[test]
fn opt_in_adds_an_operator_of_the_manager_and_emits_an_event() {
    let mut f = Fx::new();
    f.as_(OP_B);
    assert_eq!(f.registry.opt_in(), Ok(()));
    assert!(f.registry.is_opted_in(OP_B));
    assert!(!f.registry.is_opted_in(OP_A));
    assert_eq!(f.registry.operator_count(), U256::from(1));
    assert_eq!(f.members(), [OP_B]);
    assert_logs(&f.take_logs(), &[log(&OperatorOptedIn { operator: OP_B })]);
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0].to, calls[0].data.clone(), calls[0].is_static),
        (
            MANAGER,
            calldata(manager_selectors::IS_OPERATOR, &[OP_B.into_word()]),
            true
        ),
        "one static call of isOperator(caller)"
    );
}

#[test]
fn opt_in_appends_in_order() {
    let mut f = Fx::new();
    for operator in [OP_C, OP_A, OP_D] {
        f.opt_in(operator);
    }
    assert_eq!(f.members(), [OP_C, OP_A, OP_D]);
    assert_eq!(f.registry.operator_count(), U256::from(3));
    assert_logs(
        &f.take_logs(),
        &[
            log(&OperatorOptedIn { operator: OP_C }),
            log(&OperatorOptedIn { operator: OP_A }),
            log(&OperatorOptedIn { operator: OP_D }),
        ],
    );
}

#[test]
fn opt_in_by_an_address_that_is_no_operator_of_the_manager_is_rejected() {
    let mut f = Fx::opted();
    f.as_(STRANGER);
    f.rejects(
        RegistryError::NotOperator(RegistryNotOperator { operator: STRANGER }),
        AvsRegistry::opt_in,
    );
}

#[test]
fn opt_in_takes_only_the_word_one_as_true() {
    for answer in [U256::from(2), U256::MAX, U256::from(1) << 8] {
        let mut f = Fx::new();
        f.vm.on_call(MANAGER, move |_| Ok(word(answer)));
        f.as_(OP_A);
        f.rejects(
            RegistryError::NotOperator(RegistryNotOperator { operator: OP_A }),
            AvsRegistry::opt_in,
        );
    }
}

#[test]
fn opt_in_twice_is_rejected_without_asking_the_manager() {
    let mut f = Fx::opted();
    f.as_(OP_B);
    f.rejects(
        RegistryError::AlreadyOptedIn(RegistryAlreadyOptedIn { operator: OP_B }),
        AvsRegistry::opt_in,
    );
    assert!(f.vm.calls().is_empty());
}

#[test]
fn opt_in_is_rejected_while_paused() {
    let mut f = Fx::opted();
    f.pause();
    f.as_(OP_D);
    f.rejects(enforced_pause(), AvsRegistry::opt_in);
}

#[test]
fn opt_in_passes_the_managers_revert_data_on() {
    let mut f = Fx::new();
    let data = b"\x08\xc3\x79\xa0manager says no".to_vec();
    f.manager.borrow_mut().revert = Some(data.clone());
    f.as_(OP_A);
    f.rejects(RegistryError::Reverted(data), AvsRegistry::opt_in);
}

#[test]
fn opt_in_with_a_manager_that_answers_nothing_is_rejected() {
    let mut f = Fx::new();
    // An address without code answers a call with no data.
    f.vm.on_call(MANAGER, |_| Ok(Vec::new()));
    f.as_(OP_A);
    f.rejects(RegistryError::Reverted(Vec::new()), AvsRegistry::opt_in);
}

// ---------------------------------------------------------------------------------------------
// optOut and eject
// ---------------------------------------------------------------------------------------------

#[test]
fn opt_out_of_a_middle_member_moves_the_last_into_its_place() {
    let mut f = Fx::opted();
    f.as_(OP_A);
    assert_eq!(f.registry.opt_out(), Ok(()));
    assert!(!f.registry.is_opted_in(OP_A));
    assert_eq!(f.members(), [OP_C, OP_B]);
    assert_eq!(f.registry.operator_count(), U256::from(2));
    assert_logs(&f.take_logs(), &[log(&OperatorOptedOut { operator: OP_A })]);
    assert!(f.vm.calls().is_empty(), "leaving asks the manager nothing");
}

#[test]
fn opt_out_of_the_last_member_and_then_of_the_only_one() {
    let mut f = Fx::opted();
    f.as_(OP_C);
    assert_eq!(f.registry.opt_out(), Ok(()));
    assert_eq!(f.members(), [OP_A, OP_B]);
    f.as_(OP_A);
    assert_eq!(f.registry.opt_out(), Ok(()));
    assert_eq!(f.members(), [OP_B]);
    f.as_(OP_B);
    assert_eq!(f.registry.opt_out(), Ok(()));
    assert!(f.members().is_empty());
    assert_eq!(f.registry.operator_count(), U256::ZERO);
    assert_logs(
        &f.take_logs(),
        &[
            log(&OperatorOptedOut { operator: OP_C }),
            log(&OperatorOptedOut { operator: OP_A }),
            log(&OperatorOptedOut { operator: OP_B }),
        ],
    );
    assert_eq!(
        f.state().storage,
        Fx::new().state().storage,
        "an emptied set leaves no storage behind"
    );
}

#[test]
fn opt_out_by_an_address_not_opted_in_is_rejected() {
    let mut f = Fx::opted();
    for caller in [OP_D, STRANGER, ADMIN] {
        f.as_(caller);
        f.rejects(not_opted_in(caller), AvsRegistry::opt_out);
    }
}

#[test]
fn opt_out_works_while_paused() {
    let mut f = Fx::opted();
    f.pause();
    f.as_(OP_B);
    assert_eq!(f.registry.opt_out(), Ok(()));
    assert_eq!(f.members(), [OP_A, OP_C]);
}

#[test]
fn an_operator_that_left_can_opt_in_again_at_the_end() {
    let mut f = Fx::opted();
    f.as_(OP_A);
    f.registry.opt_out().expect("optOut");
    f.opt_in(OP_A);
    assert_eq!(f.members(), [OP_C, OP_B, OP_A]);
    assert!(f.registry.is_opted_in(OP_A));
    assert_eq!(f.registry.operator_count(), U256::from(3));
}

#[test]
fn eject_by_the_admin_removes_the_operator_and_emits_an_event() {
    let mut f = Fx::opted();
    f.as_(ADMIN);
    assert_eq!(f.registry.eject(OP_B), Ok(()));
    assert!(!f.registry.is_opted_in(OP_B));
    assert_eq!(f.members(), [OP_A, OP_C]);
    assert_logs(&f.take_logs(), &[log(&OperatorEjected { operator: OP_B })]);
    assert!(f.vm.calls().is_empty());
    // The ejected operator may opt in again; ejection is no ban (the AVS's admin ejects again).
    f.opt_in(OP_B);
    assert_eq!(f.members(), [OP_A, OP_C, OP_B]);
}

#[test]
fn eject_requires_the_admin_role() {
    let mut f = Fx::opted();
    for caller in [SLASHER, PAUSER, OP_A, STRANGER] {
        f.as_(caller);
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |r| r.eject(OP_B));
    }
}

#[test]
fn eject_of_an_operator_not_opted_in_is_rejected() {
    let mut f = Fx::opted();
    f.as_(ADMIN);
    for operator in [OP_D, STRANGER, Address::ZERO] {
        f.rejects(not_opted_in(operator), |r| r.eject(operator));
    }
}

#[test]
fn eject_works_while_paused() {
    let mut f = Fx::opted();
    f.pause();
    f.as_(ADMIN);
    assert_eq!(f.registry.eject(OP_A), Ok(()));
    assert_eq!(f.members(), [OP_C, OP_B]);
}

// ---------------------------------------------------------------------------------------------
// slash
// ---------------------------------------------------------------------------------------------

#[test]
fn slash_forwards_to_the_manager_and_returns_and_logs_the_amount_taken() {
    let mut f = Fx::opted();
    f.as_(SLASHER);
    let bps = U256::from(2_500);
    assert_eq!(f.registry.slash(OP_A, bps, REASON), Ok(eth(25)));
    assert_eq!(f.manager.borrow().allocation(OP_A), eth(75));
    assert_logs(
        &f.take_logs(),
        &[log(&OperatorSlashed {
            operator: OP_A,
            bps,
            amount: eth(25),
            reason: REASON,
        })],
    );
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (
            calls[0].to,
            calls[0].data.clone(),
            calls[0].value,
            calls[0].is_static
        ),
        (
            MANAGER,
            calldata(manager_selectors::SLASH, &[OP_A.into_word(), bps.into()]),
            U256::ZERO,
            false
        ),
        "one mutating call of slash(operator, bps) without ETH"
    );
    assert!(
        f.registry.is_opted_in(OP_A),
        "membership is not the registry's penalty"
    );
}

#[test]
fn slash_returns_what_the_manager_took_even_when_it_is_nothing() {
    let mut f = Fx::opted();
    f.opt_in(OP_D);
    f.take_logs();
    f.as_(SLASHER);
    assert_eq!(
        f.registry.slash(OP_D, U256::from(1), B256::ZERO),
        Ok(U256::ZERO)
    );
    assert_logs(
        &f.take_logs(),
        &[log(&OperatorSlashed {
            operator: OP_D,
            bps: U256::from(1),
            amount: U256::ZERO,
            reason: B256::ZERO,
        })],
    );
}

#[test]
fn an_operator_that_left_stays_slashable_up_to_its_allocation() {
    let mut f = Fx::opted();
    f.as_(OP_A);
    f.registry.opt_out().expect("optOut");
    f.as_(ADMIN);
    f.registry.eject(OP_B).expect("eject");
    // Never opted in at all: the manager's allocation is what counts.
    f.manager.borrow_mut().allocations.insert(OP_D, eth(8));
    f.take_logs();
    f.as_(SLASHER);
    let bps = U256::from(MAX_SLASH_BPS);
    assert_eq!(f.registry.slash(OP_A, bps, REASON), Ok(eth(50)));
    assert_eq!(f.registry.slash(OP_B, bps, REASON), Ok(eth(20)));
    assert_eq!(f.registry.slash(OP_D, bps, REASON), Ok(eth(4)));
    assert_eq!(
        topic0s(&f.take_logs()),
        [OperatorSlashed::SIGNATURE_HASH; 3]
    );
    assert_eq!(f.registry.allocated_stake(OP_A), Ok(eth(50)));
}

#[test]
fn slash_works_while_paused() {
    let mut f = Fx::opted();
    f.pause();
    f.as_(SLASHER);
    assert_eq!(
        f.registry.slash(OP_C, U256::from(1_000), REASON),
        Ok(eth(1))
    );
}

#[test]
fn slash_requires_the_slasher_role() {
    let mut f = Fx::opted();
    for caller in [ADMIN, PAUSER, OP_A, STRANGER] {
        f.as_(caller);
        f.rejects(unauthorized(caller, SLASHER_ROLE), |r| {
            r.slash(OP_A, U256::from(100), REASON)
        });
    }
    assert!(f.vm.calls().is_empty());
}

#[test]
fn slash_rejects_zero_bps_without_calling_the_manager() {
    let mut f = Fx::opted();
    f.as_(SLASHER);
    f.rejects(zero_amount(), |r| r.slash(OP_A, U256::ZERO, REASON));
    assert!(f.vm.calls().is_empty());
}

#[test]
fn slash_passes_the_managers_revert_data_on_unchanged() {
    let mut f = Fx::opted();
    f.as_(SLASHER);
    let bps = U256::from(MAX_SLASH_BPS + 1);
    let data = ManagerSlashAboveBound {
        bps,
        leftBps: U256::from(MAX_SLASH_BPS),
        windowEndsAt: WINDOW_END,
    }
    .abi_encode();
    f.rejects(RegistryError::Reverted(data), |r| {
        r.slash(OP_A, bps, REASON)
    });
    // Above 100% too: the bound is the manager's to enforce.
    f.rejects(
        RegistryError::Reverted(
            ManagerSlashAboveBound {
                bps: U256::MAX,
                leftBps: U256::from(MAX_SLASH_BPS),
                windowEndsAt: WINDOW_END,
            }
            .abi_encode(),
        ),
        |r| r.slash(OP_A, U256::MAX, REASON),
    );
}

#[test]
fn slash_with_a_manager_that_returns_no_amount_is_rejected() {
    // An address without code answers with no data: that must not pass for a slash.
    for answer in [Vec::new(), vec![0; 31]] {
        let mut f = Fx::opted();
        f.vm.on_call(MANAGER, move |_| Ok(answer.clone()));
        f.as_(SLASHER);
        f.rejects(RegistryError::Reverted(Vec::new()), |r| {
            r.slash(OP_A, U256::from(100), REASON)
        });
    }
}

// ---------------------------------------------------------------------------------------------
// distributeRewards
// ---------------------------------------------------------------------------------------------

#[test]
fn distribute_rewards_forwards_the_value_to_the_manager_and_emits_an_event() {
    let mut f = Fx::opted();
    f.paying(STRANGER, eth(3));
    assert_eq!(f.registry.distribute_rewards(OP_B), Ok(()));
    assert_eq!(f.manager.borrow().rewards, [(OP_B, eth(3))].into());
    assert_logs(
        &f.take_logs(),
        &[log(&RewardsDistributed {
            operator: OP_B,
            sender: STRANGER,
            amount: eth(3),
        })],
    );
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (
            calls[0].to,
            calls[0].data.clone(),
            calls[0].value,
            calls[0].is_static
        ),
        (
            MANAGER,
            calldata(manager_selectors::DEPOSIT_REWARDS, &[OP_B.into_word()]),
            eth(3),
            false
        ),
        "one call of depositRewards(operator) carrying the whole value"
    );
}

#[test]
fn distribute_rewards_rejects_zero_value() {
    let mut f = Fx::opted();
    f.paying(STRANGER, U256::ZERO);
    f.rejects(zero_amount(), |r| r.distribute_rewards(OP_A));
}

#[test]
fn distribute_rewards_for_an_operator_not_opted_in_is_rejected() {
    let mut f = Fx::opted();
    f.as_(OP_A);
    f.registry.opt_out().expect("optOut");
    f.take_logs();
    for operator in [OP_A, OP_D, STRANGER, Address::ZERO] {
        f.paying(STRANGER, eth(1));
        f.rejects(not_opted_in(operator), |r| r.distribute_rewards(operator));
    }
    assert!(f.vm.calls().is_empty());
}

#[test]
fn distribute_rewards_is_rejected_while_paused() {
    let mut f = Fx::opted();
    f.pause();
    f.paying(STRANGER, eth(1));
    f.rejects(enforced_pause(), |r| r.distribute_rewards(OP_A));
}

#[test]
fn distribute_rewards_passes_the_managers_revert_data_on() {
    let mut f = Fx::opted();
    let data = vec![0xde, 0xad, 0xbe, 0xef];
    f.manager.borrow_mut().revert = Some(data.clone());
    f.paying(STRANGER, eth(1));
    f.rejects(RegistryError::Reverted(data), |r| {
        r.distribute_rewards(OP_A)
    });
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

fn page(f: &Fx, offset: U256, limit: U256) -> Vec<Address> {
    f.registry.operators(offset, limit)
}

#[test]
fn operators_pages_through_the_set_and_clips_the_last_page() {
    let mut f = Fx::opted();
    f.opt_in(OP_D);
    let all = [OP_A, OP_B, OP_C, OP_D];
    let n = U256::from;
    assert_eq!(page(&f, n(0), n(4)), all);
    assert_eq!(page(&f, n(0), n(2)), [OP_A, OP_B]);
    assert_eq!(page(&f, n(2), n(2)), [OP_C, OP_D]);
    assert_eq!(page(&f, n(3), n(2)), [OP_D], "the last page is clipped");
    assert_eq!(page(&f, n(1), U256::MAX), [OP_B, OP_C, OP_D]);
    for (offset, limit) in [
        (n(4), n(1)),
        (n(5), n(10)),
        (U256::MAX, U256::MAX),
        (n(0), n(0)),
        (n(2), n(0)),
    ] {
        assert!(
            page(&f, offset, limit).is_empty(),
            "offset {offset}, limit {limit}"
        );
    }
}

#[test]
fn operators_of_an_empty_registry_is_empty() {
    let f = Fx::new();
    assert!(page(&f, U256::ZERO, U256::MAX).is_empty());
    assert!(page(&f, U256::MAX, U256::from(1)).is_empty());
    assert_eq!(f.registry.operator_count(), U256::ZERO);
}

#[test]
fn is_opted_in_follows_opt_in_opt_out_and_eject() {
    let mut f = Fx::new();
    assert!(!f.registry.is_opted_in(OP_A));
    f.opt_in(OP_A);
    assert!(f.registry.is_opted_in(OP_A));
    f.as_(OP_A);
    f.registry.opt_out().expect("optOut");
    assert!(!f.registry.is_opted_in(OP_A));
    f.opt_in(OP_A);
    f.as_(ADMIN);
    f.registry.eject(OP_A).expect("eject");
    assert!(!f.registry.is_opted_in(OP_A));
    assert!(!f.registry.is_opted_in(Address::ZERO));
}

#[test]
fn allocated_stake_reads_the_managers_allocation_to_this_registry() {
    let f = Fx::opted();
    assert_eq!(f.registry.allocated_stake(OP_A), Ok(eth(100)));
    assert_eq!(f.registry.allocated_stake(OP_D), Ok(U256::ZERO));
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        (calls[0].to, calls[0].data.clone(), calls[0].is_static),
        (
            MANAGER,
            calldata(
                manager_selectors::ALLOCATED_STAKE,
                &[OP_A.into_word(), REGISTRY.into_word()]
            ),
            true
        ),
        "a static call of allocatedStake(operator, this registry)"
    );
}

#[test]
fn allocated_stake_passes_the_managers_revert_data_on() {
    let f = Fx::opted();
    let data = vec![1, 2, 3];
    f.manager.borrow_mut().revert = Some(data.clone());
    assert_eq!(
        f.registry.allocated_stake(OP_A),
        Err(RegistryError::Reverted(data))
    );
}

#[test]
fn the_registry_calls_the_manager_with_the_documented_selectors() {
    for (selector, signature) in [
        (manager_selectors::IS_OPERATOR, "isOperator(address)"),
        (manager_selectors::SLASH, "slash(address,uint256)"),
        (
            manager_selectors::DEPOSIT_REWARDS,
            "depositRewards(address)",
        ),
        (
            manager_selectors::ALLOCATED_STAKE,
            "allocatedStake(address,address)",
        ),
    ] {
        assert_eq!(selector, keccak256(signature)[..4], "{signature}");
    }
}

// ---------------------------------------------------------------------------------------------
// Access control and pause
// ---------------------------------------------------------------------------------------------

#[test]
fn the_admin_grants_and_revokes_the_slasher_role_with_events_only_on_change() {
    let mut f = Fx::opted();
    f.as_(ADMIN);
    assert_eq!(f.registry.grant_role(SLASHER_ROLE, STRANGER), Ok(()));
    assert_eq!(f.registry.grant_role(SLASHER_ROLE, STRANGER), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleGranted {
            role: SLASHER_ROLE,
            account: STRANGER,
            sender: ADMIN,
        })],
    );
    f.as_(STRANGER);
    assert_eq!(
        f.registry.slash(OP_C, U256::from(100), REASON),
        Ok(eth(1) / U256::from(10))
    );
    f.take_logs();
    f.as_(ADMIN);
    assert_eq!(f.registry.revoke_role(SLASHER_ROLE, STRANGER), Ok(()));
    assert_eq!(f.registry.revoke_role(SLASHER_ROLE, STRANGER), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleRevoked {
            role: SLASHER_ROLE,
            account: STRANGER,
            sender: ADMIN,
        })],
    );
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, SLASHER_ROLE), |r| {
        r.slash(OP_C, U256::from(100), REASON)
    });
}

#[test]
fn grant_and_revoke_role_require_the_admin_role() {
    let mut f = Fx::new();
    for caller in [SLASHER, PAUSER, STRANGER] {
        f.as_(caller);
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |r| {
            r.grant_role(SLASHER_ROLE, caller)
        });
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |r| {
            r.revoke_role(SLASHER_ROLE, SLASHER)
        });
    }
}

#[test]
fn renounce_role_needs_the_callers_own_address() {
    let mut f = Fx::new();
    f.as_(SLASHER);
    f.rejects(
        RegistryError::BadConfirmation(AccessControlBadConfirmation {}),
        |r| r.renounce_role(SLASHER_ROLE, ADMIN),
    );
    assert_eq!(f.registry.renounce_role(SLASHER_ROLE, SLASHER), Ok(()));
    assert!(!f.registry.has_role(SLASHER_ROLE, SLASHER));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleRevoked {
            role: SLASHER_ROLE,
            account: SLASHER,
            sender: SLASHER,
        })],
    );
}

#[test]
fn every_role_is_administered_by_the_default_admin_role() {
    let f = Fx::new();
    for role in [DEFAULT_ADMIN_ROLE, SLASHER_ROLE, PAUSER_ROLE] {
        assert_eq!(f.registry.get_role_admin(role), DEFAULT_ADMIN_ROLE);
    }
    assert!(f.registry.has_role(SLASHER_ROLE, SLASHER));
    assert!(f.registry.has_role(PAUSER_ROLE, PAUSER));
}

#[test]
fn the_pauser_pauses_and_only_the_admin_unpauses() {
    let mut f = Fx::opted();
    f.as_(PAUSER);
    assert_eq!(f.registry.pause(), Ok(()));
    assert!(f.registry.paused());
    assert_logs(&f.take_logs(), &[log(&Paused { account: PAUSER })]);
    f.rejects(unauthorized(PAUSER, DEFAULT_ADMIN_ROLE), IPausable::unpause);
    f.as_(ADMIN);
    assert_eq!(f.registry.unpause(), Ok(()));
    assert!(!f.registry.paused());
    assert_logs(&f.take_logs(), &[log(&Unpaused { account: ADMIN })]);
    f.opt_in(OP_D);
}

#[test]
fn pause_requires_the_pauser_role() {
    let mut f = Fx::opted();
    for caller in [ADMIN, SLASHER, OP_A, STRANGER] {
        f.as_(caller);
        f.rejects(unauthorized(caller, PAUSER_ROLE), IPausable::pause);
    }
}

#[test]
fn pausing_twice_or_unpausing_a_running_registry_is_rejected() {
    let mut f = Fx::opted();
    f.as_(ADMIN);
    f.rejects(
        RegistryError::ExpectedPause(ExpectedPause {}),
        IPausable::unpause,
    );
    f.pause();
    f.as_(PAUSER);
    f.rejects(enforced_pause(), IPausable::pause);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn errors_encode_as_their_solidity_definitions() {
    let encoded: Vec<u8> = not_opted_in(OP_A).into();
    assert_eq!(encoded, RegistryNotOptedIn { operator: OP_A }.abi_encode());
    let encoded: Vec<u8> = zero_amount().into();
    assert_eq!(encoded, RegistryZeroAmount {}.abi_encode());
    let encoded: Vec<u8> = RegistryError::Reverted(vec![1, 2, 3]).into();
    assert_eq!(
        encoded,
        [1, 2, 3],
        "the manager's revert data passes on unchanged"
    );
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// `default_cases` unless `PROPTEST_CASES` says otherwise; never writes regression files.
fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Who acts in the property: the four operators of the manager and a stranger.
const ACTORS: [Address; 5] = [OP_A, OP_B, OP_C, OP_D, STRANGER];

#[derive(Debug, Clone)]
enum Op {
    OptIn(usize),
    OptOut(usize),
    Eject(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACTORS.len();
    prop_oneof![
        2 => who.clone().prop_map(Op::OptIn),
        1 => who.clone().prop_map(Op::OptOut),
        1 => who.prop_map(Op::Eject),
    ]
}

/// Applies `op` to the model set; whether it succeeds.
fn apply(model: &mut BTreeSet<Address>, op: &Op) -> bool {
    match *op {
        Op::OptIn(who) => ACTORS[who] != STRANGER && model.insert(ACTORS[who]),
        Op::OptOut(who) | Op::Eject(who) => model.remove(&ACTORS[who]),
    }
}

/// Runs `op` against the registry as its caller would send it.
fn run(f: &mut Fx, op: &Op) -> bool {
    let result = match *op {
        Op::OptIn(who) => {
            f.as_(ACTORS[who]);
            f.registry.opt_in()
        }
        Op::OptOut(who) => {
            f.as_(ACTORS[who]);
            f.registry.opt_out()
        }
        Op::Eject(who) => {
            f.as_(ADMIN);
            f.registry.eject(ACTORS[who])
        }
    };
    result.is_ok()
}

proptest! {
    #![proptest_config(config(256))]

    /// Under any sequence of opt-ins, opt-outs and ejections the registry agrees with a model
    /// set call by call: the same successes, the same count and membership, pages of any size
    /// that list each member exactly once, and a rejected call that writes nothing. An emptied
    /// set leaves no storage behind.
    #[test]
    fn the_opted_in_set_follows_the_model(
        ops in prop::collection::vec(op(), 1..40),
        page_size in 1_usize..6,
    ) {
        let mut f = Fx::new();
        let empty = f.state().storage;
        let mut model = BTreeSet::new();
        for op in &ops {
            let before = f.vm.snapshot().storage;
            let ok = run(&mut f, op);
            prop_assert_eq!(ok, apply(&mut model, op), "outcome of {:?}", op);
            if !ok {
                prop_assert_eq!(f.vm.snapshot().storage, before, "{:?} wrote", op);
            }
            prop_assert_eq!(f.registry.operator_count(), U256::from(model.len()));
            for &who in &ACTORS {
                prop_assert_eq!(f.registry.is_opted_in(who), model.contains(&who));
            }
            let mut listed = Vec::new();
            let mut offset = 0;
            loop {
                let page = f.registry.operators(U256::from(offset), U256::from(page_size));
                prop_assert!(page.len() <= page_size);
                if page.is_empty() {
                    break;
                }
                offset += page.len();
                listed.extend(page);
            }
            prop_assert_eq!(listed.len(), model.len(), "each member once");
            let listed: BTreeSet<Address> = listed.into_iter().collect();
            prop_assert_eq!(&listed, &model);
            if model.is_empty() {
                prop_assert_eq!(&f.state().storage, &empty);
            }
        }
    }
}

/// Every function of the golden ABI is routed on chain, at its selector, payable where the ABI
/// says so (the SDK's `#[public]` declares the ABI; `lsr_common::router!` routes the calls).
#[test]
fn routes_are_the_golden_abi() {
    lsr_common::testing::assert_routes_match_abi(
        AvsRegistry::ROUTES,
        include_str!("../../../abi/avs-registry.json"),
    );
}
