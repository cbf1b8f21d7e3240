//! Unit tests of every public function of the allocation manager (success paths with their
//! events, every error with the state left unchanged), the time rules at their exact
//! boundaries (one second before a delayed change and the second it applies), and proptests
//! of the allocation sum and of the delays against models written from the rules.
//!
//! AVS registries are in-process callees of a [`MockHost`]: each answers `isOptedIn(address)`
//! from a shared set of (registry, operator) pairs; one always reverts and one has no code.
//!
//! `TestVM` does not roll storage back when a call returns an error, while the host reverts
//! the whole transaction. [`Fixture::rejects`] demands that a call fails before writing anything;
//! [`Fixture::reverts`] restores the storage as the host's revert would, for the one path that
//! legitimately writes first (`allocate` settles a due decrease of the same registry before
//! it checks an increase).

use std::{cell::RefCell, collections::BTreeMap, collections::BTreeSet, rc::Rc};

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use lsr_common::{
    access::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, EnforcedPause,
        ExpectedPause, Paused, RoleGranted, RoleRevoked, Unpaused, PAUSER_ROLE,
    },
    interfaces::registry_selectors,
    testing::{nonzero_storage, Fixture, MockHost},
};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z, the deployment time of every fixture.
const T0: u64 = 1_767_225_600;
const HOUR: u64 = 3_600;
const DAY: u64 = 24 * HOUR;

/// Default parameters set by the constructor.
const FEE_CAP: u16 = 1_000;
const DELAY: u64 = 7 * DAY;

const MANAGER: Address = address!("a11ca11ca11ca11ca11ca11ca11ca11ca11ca11c");
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const PAUSER: Address = address!("00000000000000000000000000000000000a0006");
/// The operator most tests act as (fee 5%, opted into A, B, C and the unlisted registry).
const OPERATOR: Address = address!("00000000000000000000000000000000000c0001");
/// A second operator (fee 0, opted into A only).
const BOB: Address = address!("00000000000000000000000000000000000c0002");
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");

/// Whitelisted registries that answer `isOptedIn` from the opt-in set.
const AVS_A: Address = address!("0000000000000000000000000000000000a5a001");
const AVS_B: Address = address!("0000000000000000000000000000000000a5a002");
const AVS_C: Address = address!("0000000000000000000000000000000000a5a003");
/// Whitelisted, answers `isOptedIn` but nobody opted in.
const AVS_SILENT: Address = address!("0000000000000000000000000000000000a5a004");
/// Whitelisted, reverts on every call.
const AVS_REVERTING: Address = address!("0000000000000000000000000000000000a5a005");
/// Whitelisted, no code: a static call succeeds with no return data.
const AVS_EMPTY: Address = address!("0000000000000000000000000000000000a5a006");
/// Not whitelisted, though the operator opted in.
const AVS_UNLISTED: Address = address!("0000000000000000000000000000000000a5a007");

const REGISTRIES: [Address; 7] = [
    AVS_A,
    AVS_B,
    AVS_C,
    AVS_SILENT,
    AVS_REVERTING,
    AVS_EMPTY,
    AVS_UNLISTED,
];
const WHITELISTED: [Address; 6] = [AVS_A, AVS_B, AVS_C, AVS_SILENT, AVS_REVERTING, AVS_EMPTY];
const ACCOUNTS: [Address; 6] = [DEPLOYER, ADMIN, PAUSER, OPERATOR, BOB, STRANGER];

const OPERATOR_FEE: u16 = 500;
const OPERATOR_URI: &str = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

fn unauthorized(account: Address, role: B256) -> AllocationError {
    AllocationError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn enforced_pause() -> AllocationError {
    AllocationError::EnforcedPause(EnforcedPause {})
}

fn unknown_operator(operator: Address) -> AllocationError {
    AllocationError::UnknownOperator(AllocationUnknownOperator { operator })
}

fn fee_above_cap(fee: u16, cap: u16) -> AllocationError {
    AllocationError::FeeAboveCap(AllocationFeeAboveCap {
        feeBps: fee,
        capBps: cap,
    })
}

fn not_whitelisted(registry: Address) -> AllocationError {
    AllocationError::RegistryNotWhitelisted(AllocationRegistryNotWhitelisted { registry })
}

fn not_opted_in(operator: Address, registry: Address) -> AllocationError {
    AllocationError::NotOptedIn(AllocationNotOptedIn { operator, registry })
}

fn over_limit(total: u64) -> AllocationError {
    AllocationError::OverLimit(AllocationOverLimit {
        totalBps: U256::from(total),
    })
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

type Log = (Vec<B256>, Vec<u8>);

/// The log an event encodes to (topic0 is the event's `SIGNATURE_HASH`; dynamic fields as
/// alloy's `encode_log_data` lays them out).
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

fn registered(operator: Address, fee: u16) -> Log {
    log(&OperatorRegistered {
        operator,
        feeBps: fee,
    })
}

fn metadata(operator: Address, uri: &str) -> Log {
    log(&OperatorMetadataURIUpdated {
        operator,
        metadataURI: uri.into(),
    })
}

fn fee_set(operator: Address, fee: u16, effective_at: u64) -> Log {
    log(&OperatorFeeSet {
        operator,
        feeBps: fee,
        effectiveAt: effective_at,
    })
}

fn allocation_set(operator: Address, registry: Address, bps: u16, effective_at: u64) -> Log {
    log(&AllocationSet {
        operator,
        registry,
        bps,
        effectiveAt: effective_at,
    })
}

fn registry_set(registry: Address, whitelisted: bool) -> Log {
    log(&RegistrySet {
        registry,
        whitelisted,
    })
}

fn parameters_set(cap: u16, delay: u64) -> Log {
    log(&ParametersSet {
        operatorFeeCapBps: cap,
        delay,
    })
}

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// `operatorInfo`: (registered, fee now before the cap, pending fee, its time, Σ allocations).
type Info = (bool, u16, u16, u64, u16);

/// (registry, operator) pairs for which the registry's `isOptedIn(operator)` answers true.
type OptIns = Rc<RefCell<BTreeSet<(Address, Address)>>>;

/// Everything a call could touch, through the public views plus the raw storage.
#[derive(Debug, PartialEq, Eq)]
struct State {
    paused: bool,
    fee_cap: u16,
    delay: u64,
    /// `hasRole` of the admin and pauser roles, for every account.
    roles: Vec<bool>,
    registries: Vec<bool>,
    /// Per account: `isOperator`, `operatorFeeBps`, `operatorInfo`.
    operators: Vec<(bool, u16, Info)>,
    /// Per account and registry: `allocation`, `slashableBps`.
    allocations: Vec<((u16, u16, u64), u16)>,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// A deployed manager with a pauser, six whitelisted registries (three that answer from the
/// opt-in set, one nobody opted into, one that reverts, one without code) and an unlisted one,
/// at a realistic time.
struct Fx {
    vm: MockHost,
    am: AllocationManager,
    opt_ins: OptIns,
    now: u64,
}

/// Makes `registry` answer `isOptedIn(address)` from `opt_ins` (and nothing else).
fn install_registry(vm: &MockHost, registry: Address, opt_ins: &OptIns) {
    let opt_ins = Rc::clone(opt_ins);
    vm.on_call(registry, move |called| {
        assert_eq!(called.selector(), registry_selectors::IS_OPTED_IN);
        assert!(called.is_static, "a view is called without state access");
        assert_eq!(called.data.len(), 4 + 32, "one address argument");
        let yes = opt_ins.borrow().contains(&(registry, called.address(0)));
        Ok(U256::from(u8::from(yes)).to_be_bytes::<32>().to_vec())
    });
}

impl Fx {
    fn new() -> Self {
        let vm = MockHost::default();
        vm.set_block_timestamp(T0);
        vm.set_contract_address(MANAGER);
        vm.set_sender(DEPLOYER);
        let opt_ins = OptIns::default();
        for registry in [AVS_A, AVS_B, AVS_C, AVS_SILENT, AVS_UNLISTED] {
            install_registry(&vm, registry, &opt_ins);
        }
        vm.on_call(AVS_REVERTING, |_| Err(b"registry says no".to_vec()));
        let mut am = AllocationManager::from(&vm);
        am.constructor(ADMIN).expect("a non-zero admin");
        vm.set_sender(ADMIN);
        am.grant_role(PAUSER_ROLE, PAUSER)
            .expect("the admin grants");
        for registry in WHITELISTED {
            am.set_registry(registry, true)
                .expect("the admin whitelists");
        }
        vm.clear_mocks();
        vm.clear_calls();
        Self {
            vm,
            am,
            opt_ins,
            now: T0,
        }
    }

    /// [`Self::new`] with `OPERATOR` registered at 5% and opted into A, B, C and the unlisted
    /// registry, and `BOB` registered at 0% and opted into A.
    fn operators() -> Self {
        let mut f = Self::new();
        f.register(OPERATOR, OPERATOR_FEE);
        f.register(BOB, 0);
        for registry in [AVS_A, AVS_B, AVS_C, AVS_UNLISTED] {
            f.opt_in(registry, OPERATOR);
        }
        f.opt_in(AVS_A, BOB);
        f.take_logs();
        f.vm.clear_calls();
        f
    }

    fn as_(&self, who: Address) {
        self.vm.set_sender(who);
    }

    fn register(&mut self, who: Address, fee: u16) {
        self.as_(who);
        self.am
            .register_operator(fee, OPERATOR_URI.into())
            .expect("registerOperator");
    }

    fn opt_in(&self, registry: Address, operator: Address) {
        self.opt_ins.borrow_mut().insert((registry, operator));
    }

    fn opt_out(&self, registry: Address, operator: Address) {
        self.opt_ins.borrow_mut().remove(&(registry, operator));
    }

    /// `OPERATOR` allocates `bps` to `registry`; the effective time its one event reports.
    fn allocate(&mut self, registry: Address, bps: u16) -> u64 {
        self.take_logs();
        self.as_(OPERATOR);
        self.am.allocate(registry, bps).expect("allocate");
        let logs = self.take_logs();
        assert_eq!(logs.len(), 1, "one event");
        AllocationSet::decode_raw_log(logs[0].0.iter().copied(), &logs[0].1)
            .expect("an AllocationSet event")
            .effectiveAt
    }

    /// `OPERATOR` sets its fee; the effective time its one event reports.
    fn set_fee(&mut self, fee: u16) -> u64 {
        self.take_logs();
        self.as_(OPERATOR);
        self.am.set_operator_fee(fee).expect("setOperatorFee");
        let logs = self.take_logs();
        assert_eq!(logs.len(), 1, "one event");
        OperatorFeeSet::decode_raw_log(logs[0].0.iter().copied(), &logs[0].1)
            .expect("an OperatorFeeSet event")
            .effectiveAt
    }

    fn set_parameters(&mut self, cap: u16, delay: u64) {
        self.as_(ADMIN);
        self.am.set_parameters(cap, delay).expect("setParameters");
        self.take_logs();
    }

    /// The pauser pauses the manager.
    fn pause(&mut self) {
        self.as_(PAUSER);
        self.am.pause().expect("the pauser pauses");
        self.take_logs();
    }

    fn advance(&mut self, seconds: u64) {
        self.warp(self.now + seconds);
    }

    fn warp(&mut self, to: u64) {
        assert!(to >= self.now, "time only moves forward");
        self.now = to;
        self.vm.set_block_timestamp(to);
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }

    fn info(&self, operator: Address) -> Info {
        self.am.operator_info(operator)
    }

    /// `OPERATOR`'s sum of allocations as stored (pending decreases included until settled).
    fn allocated(&self) -> u16 {
        self.info(OPERATOR).4
    }
}

impl Fixture for Fx {
    type Contract = AllocationManager;
    type Error = AllocationError;
    type State = State;
    type Models = ();

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut AllocationManager {
        &mut self.am
    }

    fn state(&self) -> State {
        let am = &self.am;
        State {
            paused: am.paused(),
            fee_cap: am.operator_fee_cap_bps(),
            delay: am.delay(),
            roles: ACCOUNTS
                .iter()
                .flat_map(|&a| {
                    [
                        am.has_role(DEFAULT_ADMIN_ROLE, a),
                        am.has_role(PAUSER_ROLE, a),
                    ]
                })
                .collect(),
            registries: REGISTRIES.iter().map(|&r| am.is_registry(r)).collect(),
            operators: ACCOUNTS
                .iter()
                .map(|&a| {
                    (
                        am.is_operator(a),
                        am.operator_fee_bps(a),
                        am.operator_info(a),
                    )
                })
                .collect(),
            allocations: ACCOUNTS
                .iter()
                .flat_map(|&a| REGISTRIES.iter().map(move |&r| (a, r)))
                .map(|(a, r)| (am.allocation(a, r), am.slashable_bps(a, r)))
                .collect(),
            storage: nonzero_storage(&self.vm),
        }
    }

    /// The opt-ins model is set by the tests, never by the contract: nothing to restore.
    fn save_models(&self) {}

    fn restore_models(&mut self, (): ()) {}
}

// ---------------------------------------------------------------------------------------------
// Constructor
// ---------------------------------------------------------------------------------------------

#[test]
fn constructor_grants_the_admin_and_sets_the_default_parameters() {
    let vm = MockHost::default();
    vm.set_block_timestamp(T0);
    vm.set_contract_address(MANAGER);
    vm.set_sender(DEPLOYER);
    let mut am = AllocationManager::from(&vm);
    assert_eq!(am.constructor(ADMIN), Ok(()));
    assert!(am.has_role(DEFAULT_ADMIN_ROLE, ADMIN));
    assert!(!am.has_role(DEFAULT_ADMIN_ROLE, DEPLOYER));
    assert!(!am.has_role(PAUSER_ROLE, ADMIN), "only the admin role");
    assert_eq!(am.operator_fee_cap_bps(), FEE_CAP);
    assert_eq!(am.delay(), DELAY);
    assert!(!am.paused());
    assert!(!am.is_registry(AVS_A));
    assert!(!am.is_operator(OPERATOR));
    assert_eq!(am.operator_info(OPERATOR), (false, 0, 0, 0, 0));
    assert_logs(
        &vm.get_emitted_logs(),
        &[log(&RoleGranted {
            role: DEFAULT_ADMIN_ROLE,
            account: ADMIN,
            sender: DEPLOYER,
        })],
    );
}

#[test]
fn constructor_rejects_a_zero_admin() {
    let vm = MockHost::default();
    vm.set_contract_address(MANAGER);
    let mut am = AllocationManager::from(&vm);
    assert_eq!(
        am.constructor(Address::ZERO),
        Err(AllocationError::ZeroAddress(AllocationZeroAddress {}))
    );
    assert!(
        vm.snapshot().storage.values().all(B256::is_zero),
        "nothing written"
    );
    assert!(vm.get_emitted_logs().is_empty());
}

// ---------------------------------------------------------------------------------------------
// registerOperator and updateMetadataURI
// ---------------------------------------------------------------------------------------------

#[test]
fn register_operator_records_the_fee_and_publishes_the_metadata() {
    let mut f = Fx::new();
    f.as_(OPERATOR);
    assert_eq!(
        f.am.register_operator(OPERATOR_FEE, OPERATOR_URI.into()),
        Ok(())
    );
    assert!(f.am.is_operator(OPERATOR));
    assert!(!f.am.is_operator(BOB));
    assert_eq!(f.info(OPERATOR), (true, OPERATOR_FEE, 0, 0, 0));
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    assert_logs(
        &f.take_logs(),
        &[
            registered(OPERATOR, OPERATOR_FEE),
            metadata(OPERATOR, OPERATOR_URI),
        ],
    );
}

#[test]
fn register_operator_accepts_a_fee_at_the_cap_and_rejects_one_above() {
    let mut f = Fx::new();
    f.as_(BOB);
    f.rejects(fee_above_cap(FEE_CAP + 1, FEE_CAP), |am| {
        am.register_operator(FEE_CAP + 1, String::new())
    });
    f.rejects(fee_above_cap(u16::MAX, FEE_CAP), |am| {
        am.register_operator(u16::MAX, String::new())
    });
    assert_eq!(f.am.register_operator(FEE_CAP, String::new()), Ok(()));
    assert_eq!(f.am.operator_fee_bps(BOB), FEE_CAP);
    assert_logs(
        &f.take_logs(),
        &[registered(BOB, FEE_CAP), metadata(BOB, "")],
    );
}

#[test]
fn register_operator_twice_is_rejected() {
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    let again = || {
        AllocationError::OperatorAlreadyRegistered(AllocationOperatorAlreadyRegistered {
            operator: OPERATOR,
        })
    };
    f.rejects(again(), |am| am.register_operator(0, "other".into()));
    // Registration is checked first: a second try with a fee above the cap says so too.
    f.rejects(again(), |am| {
        am.register_operator(FEE_CAP + 1, String::new())
    });
}

#[test]
fn register_operator_is_rejected_while_paused() {
    let mut f = Fx::new();
    f.pause();
    f.as_(OPERATOR);
    f.rejects(enforced_pause(), |am| {
        am.register_operator(0, OPERATOR_URI.into())
    });
}

#[test]
fn metadata_events_carry_strings_of_any_length_as_abi_encodes_them() {
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    let long = "https://operator.example/metadata.json?".repeat(5);
    for uri in [
        String::new(),
        "x".into(),
        "a".repeat(31),
        "b".repeat(32),
        "c".repeat(33),
        "https://operator.example/ü/λ/🦀.json".into(),
        long,
    ] {
        assert_eq!(f.am.update_metadata_uri(uri.clone()), Ok(()));
        let logs = f.take_logs();
        assert_logs(&logs, &[metadata(OPERATOR, &uri)]);
        // The data is the offset, the length and the padded bytes.
        assert_eq!(logs[0].1.len(), 64 + uri.len().div_ceil(32) * 32);
    }
}

#[test]
fn update_metadata_uri_by_an_operator_emits_and_changes_nothing_else() {
    let mut f = Fx::operators();
    f.pause();
    let before = f.state();
    f.as_(BOB);
    assert_eq!(f.am.update_metadata_uri("ipfs://bob".into()), Ok(()));
    assert_logs(&f.take_logs(), &[metadata(BOB, "ipfs://bob")]);
    assert_eq!(f.state(), before, "works while paused and writes nothing");
}

#[test]
fn update_metadata_uri_is_routed_under_its_documented_name() {
    use alloy_sol_types::SolValue;
    use stylus_sdk::abi::Router;
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    let selector = |signature: &str| {
        u32::from_be_bytes(
            alloy_primitives::keccak256(signature)[..4]
                .try_into()
                .expect("four bytes"),
        )
    };
    let input = ("ipfs://routed".to_string(),).abi_encode_params();
    let mut route = |signature: &str| {
        <AllocationManager as Router<AllocationManager>>::route(
            &mut f.am,
            selector(signature),
            &input,
        )
    };
    assert_eq!(route("updateMetadataURI(string)"), Some(Ok(Vec::new())));
    // Not the name the SDK derives from `update_metadata_uri`.
    assert_eq!(route("updateMetadataUri(string)"), None);
    assert_logs(&f.take_logs(), &[metadata(OPERATOR, "ipfs://routed")]);
}

#[test]
fn update_metadata_uri_by_a_non_operator_is_rejected() {
    let mut f = Fx::operators();
    for caller in [STRANGER, ADMIN] {
        f.as_(caller);
        f.rejects(unknown_operator(caller), |am| {
            am.update_metadata_uri("ipfs://me".into())
        });
    }
}

// ---------------------------------------------------------------------------------------------
// setOperatorFee
// ---------------------------------------------------------------------------------------------

#[test]
fn a_fee_decrease_applies_at_once() {
    let mut f = Fx::operators();
    f.advance(HOUR);
    f.as_(OPERATOR);
    assert_eq!(f.am.set_operator_fee(200), Ok(()));
    assert_logs(&f.take_logs(), &[fee_set(OPERATOR, 200, f.now)]);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 200);
    assert_eq!(f.info(OPERATOR), (true, 200, 0, 0, 0));
    // Down to zero as well.
    assert_eq!(f.am.set_operator_fee(0), Ok(()));
    assert_logs(&f.take_logs(), &[fee_set(OPERATOR, 0, f.now)]);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 0);
}

#[test]
fn a_fee_increase_applies_exactly_delay_later() {
    let mut f = Fx::operators();
    f.advance(HOUR);
    let at = f.now + DELAY;
    f.as_(OPERATOR);
    assert_eq!(f.am.set_operator_fee(800), Ok(()));
    assert_logs(&f.take_logs(), &[fee_set(OPERATOR, 800, at)]);
    assert_eq!(f.info(OPERATOR), (true, OPERATOR_FEE, 800, at, 0));
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);

    f.warp(at - 1);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    assert_eq!(f.info(OPERATOR), (true, OPERATOR_FEE, 800, at, 0));

    f.warp(at);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 800);
    assert_eq!(f.info(OPERATOR), (true, 800, 0, 0, 0));
    f.advance(30 * DAY);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 800);
}

#[test]
fn setting_the_current_fee_or_a_lower_one_cancels_a_pending_increase() {
    for fee in [OPERATOR_FEE, 100] {
        let mut f = Fx::operators();
        let at = f.set_fee(900);
        f.advance(DAY);
        f.as_(OPERATOR);
        assert_eq!(f.am.set_operator_fee(fee), Ok(()));
        assert_logs(&f.take_logs(), &[fee_set(OPERATOR, fee, f.now)]);
        assert_eq!(f.info(OPERATOR), (true, fee, 0, 0, 0));
        f.warp(at);
        assert_eq!(f.am.operator_fee_bps(OPERATOR), fee, "the increase is gone");
    }
}

#[test]
fn a_second_increase_restarts_the_delay() {
    let mut f = Fx::operators();
    let first = f.set_fee(700);
    f.advance(DAY);
    let second = f.set_fee(900);
    assert_eq!(second, f.now + DELAY);
    assert_eq!(f.info(OPERATOR), (true, OPERATOR_FEE, 900, second, 0));
    // Neither the first increase nor the second applies at the first's time.
    f.warp(first);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    f.warp(second - 1);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    f.warp(second);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 900);
}

#[test]
fn a_smaller_increase_while_one_is_pending_also_waits_the_full_delay() {
    let mut f = Fx::operators();
    f.set_fee(900);
    f.advance(DAY);
    let at = f.set_fee(600);
    assert_eq!(at, f.now + DELAY);
    assert_eq!(f.info(OPERATOR), (true, OPERATOR_FEE, 600, at, 0));
    f.warp(at - 1);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    f.warp(at);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 600);
}

#[test]
fn changes_after_a_due_increase_start_from_the_increased_fee() {
    let mut f = Fx::operators();
    let at = f.set_fee(800);
    f.warp(at + HOUR);
    // A decrease from 800 (the due fee), not from the stored 500.
    assert_eq!(f.set_fee(600), f.now);
    assert_eq!(f.info(OPERATOR), (true, 600, 0, 0, 0));
    let again = f.set_fee(1_000);
    assert_eq!(f.info(OPERATOR), (true, 600, 1_000, again, 0));
    f.warp(again);
    let at = f.set_fee(800);
    assert_eq!(at, f.now, "800 is below the due 1,000: a decrease");
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 800);
    // An increase on top of a due one keeps the due one in effect meanwhile.
    let mut f = Fx::operators();
    let first = f.set_fee(700);
    f.warp(first);
    let second = f.set_fee(900);
    assert_eq!(f.info(OPERATOR), (true, 700, 900, second, 0));
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 700);
    f.warp(second);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 900);
}

#[test]
fn a_fee_increase_uses_the_delay_in_force_when_requested() {
    let mut f = Fx::operators();
    let at = f.set_fee(800);
    f.set_parameters(FEE_CAP, HOUR);
    assert_eq!(f.info(OPERATOR).3, at, "a pending increase keeps its time");
    f.warp(at - 1);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    f.warp(at);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 800);
    let next = f.set_fee(900);
    assert_eq!(next, f.now + HOUR);
}

#[test]
fn set_operator_fee_above_the_cap_or_by_a_non_operator_is_rejected() {
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    f.rejects(fee_above_cap(FEE_CAP + 1, FEE_CAP), |am| {
        am.set_operator_fee(FEE_CAP + 1)
    });
    f.as_(STRANGER);
    f.rejects(unknown_operator(STRANGER), |am| am.set_operator_fee(0));
    // The operator check comes first.
    f.rejects(unknown_operator(STRANGER), |am| {
        am.set_operator_fee(u16::MAX)
    });
    // The fee at the cap is accepted.
    assert_eq!(f.set_fee(FEE_CAP), T0 + DELAY);
}

#[test]
fn set_operator_fee_works_while_paused() {
    let mut f = Fx::operators();
    f.pause();
    assert_eq!(f.set_fee(100), f.now);
    assert_eq!(f.set_fee(900), f.now + DELAY);
}

// ---------------------------------------------------------------------------------------------
// Fee cap
// ---------------------------------------------------------------------------------------------

#[test]
fn lowering_the_cap_lowers_the_reported_fee_at_once_and_raising_it_restores_it() {
    let mut f = Fx::operators();
    f.set_parameters(300, DELAY);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 300, "min(fee, cap)");
    assert_eq!(f.info(OPERATOR).1, OPERATOR_FEE, "the fee before the cap");
    assert_eq!(f.am.operator_fee_bps(BOB), 0, "a fee under the cap stays");
    f.set_parameters(0, DELAY);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 0);
    // A documented limit: raising the cap again brings the stored fee back at once.
    f.set_parameters(2_000, DELAY);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
}

#[test]
fn a_pending_increase_above_a_lowered_cap_reports_the_cap() {
    let mut f = Fx::operators();
    let at = f.set_fee(900);
    f.set_parameters(700, DELAY);
    f.warp(at - 1);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    f.warp(at);
    assert_eq!(f.info(OPERATOR).1, 900);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), 700);
}

#[test]
fn below_a_lowered_cap_the_operator_can_only_set_fees_up_to_the_cap() {
    let mut f = Fx::operators();
    f.set_parameters(300, DELAY);
    f.as_(OPERATOR);
    f.rejects(fee_above_cap(400, 300), |am| am.set_operator_fee(400));
    assert_eq!(f.set_fee(300), f.now, "300 < 500: a decrease");
    assert_eq!(f.info(OPERATOR).1, 300);
    f.as_(STRANGER);
    f.rejects(fee_above_cap(301, 300), |am| {
        am.register_operator(301, String::new())
    });
}

#[test]
fn raising_the_cap_allows_higher_fees_still_after_the_delay() {
    let mut f = Fx::operators();
    f.set_parameters(MAX_FEE_CAP_BPS, DELAY);
    let at = f.set_fee(MAX_FEE_CAP_BPS);
    assert_eq!(at, f.now + DELAY);
    f.warp(at - 1);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), OPERATOR_FEE);
    f.warp(at);
    assert_eq!(f.am.operator_fee_bps(OPERATOR), MAX_FEE_CAP_BPS);
}

// ---------------------------------------------------------------------------------------------
// allocate: increases
// ---------------------------------------------------------------------------------------------

#[test]
fn an_allocation_increase_applies_at_once_after_checking_the_opt_in() {
    let mut f = Fx::operators();
    f.advance(HOUR);
    f.as_(OPERATOR);
    assert_eq!(f.am.allocate(AVS_A, 2_500), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[allocation_set(OPERATOR, AVS_A, 2_500, f.now)],
    );
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 2_500);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (2_500, 0, 0));
    assert_eq!(f.allocated(), 2_500);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_B), 0);
    assert_eq!(f.am.slashable_bps(BOB, AVS_A), 0);
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].from, MANAGER);
    assert_eq!(calls[0].to, AVS_A);
    assert!(calls[0].is_static);
    let mut data = registry_selectors::IS_OPTED_IN.to_vec();
    data.extend_from_slice(OPERATOR.into_word().as_slice());
    assert_eq!(calls[0].data, data, "isOptedIn(operator)");
    assert_eq!(
        registry_selectors::IS_OPTED_IN,
        alloy_primitives::keccak256("isOptedIn(address)")[..4]
    );

    // A further increase adds only the difference to the sum.
    f.advance(HOUR);
    assert_eq!(f.allocate(AVS_A, 4_000), f.now);
    assert_eq!(f.allocated(), 4_000);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000);
}

#[test]
fn allocations_sum_to_exactly_one_hundred_percent_and_no_more() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 5_000);
    f.allocate(AVS_B, 3_000);
    f.as_(OPERATOR);
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_C, 2_001));
    f.rejects(over_limit(8_000 + u64::from(u16::MAX)), |am| {
        am.allocate(AVS_C, u16::MAX)
    });
    // Raising one allocation counts it once.
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_A, 7_001));
    assert_eq!(f.allocate(AVS_C, 2_000), f.now);
    assert_eq!(f.allocated(), 10_000);
    f.as_(OPERATOR);
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_C, 2_001));
    // One registry alone: at most 100%.
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_A, 10_001));
    assert_eq!(f.allocate(AVS_A, 10_000), f.now);
}

#[test]
fn operators_allocate_independently() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 10_000);
    f.as_(BOB);
    assert_eq!(f.am.allocate(AVS_A, 10_000), Ok(()));
    assert_logs(&f.take_logs(), &[allocation_set(BOB, AVS_A, 10_000, f.now)]);
    assert_eq!(f.info(BOB).4, 10_000);
    assert_eq!(f.allocated(), 10_000);
    // Bob did not opt into B.
    f.rejects(not_opted_in(BOB, AVS_B), |am| am.allocate(AVS_B, 1));
}

#[test]
fn an_increase_to_a_registry_that_is_not_whitelisted_is_rejected() {
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    f.rejects(not_whitelisted(AVS_UNLISTED), |am| {
        am.allocate(AVS_UNLISTED, 1)
    });
    f.rejects(not_whitelisted(Address::ZERO), |am| {
        am.allocate(Address::ZERO, 1)
    });
    assert!(f.vm.calls().is_empty(), "no registry asked");
}

#[test]
fn an_increase_to_a_registry_the_operator_did_not_opt_into_is_rejected() {
    let mut f = Fx::operators();
    f.as_(OPERATOR);
    // Answers false; reverts; has no code (empty return data): all read as not opted in.
    for registry in [AVS_SILENT, AVS_REVERTING, AVS_EMPTY] {
        f.rejects(not_opted_in(OPERATOR, registry), |am| {
            am.allocate(registry, 100)
        });
    }
    assert_eq!(
        f.vm.calls().iter().map(|c| c.to).collect::<Vec<_>>(),
        [AVS_SILENT, AVS_REVERTING, AVS_EMPTY]
    );
}

#[test]
fn a_registry_answering_malformed_data_is_not_an_opt_in() {
    let mut f = Fx::operators();
    // Fewer than 32 bytes of return data.
    f.vm.on_call(AVS_SILENT, |_| Ok(vec![1; 31]));
    f.as_(OPERATOR);
    f.rejects(not_opted_in(OPERATOR, AVS_SILENT), |am| {
        am.allocate(AVS_SILENT, 100)
    });
    // A zero word followed by more data.
    f.vm.on_call(AVS_SILENT, |_| {
        let mut data = vec![0; 32];
        data.extend_from_slice(&[1; 32]);
        Ok(data)
    });
    f.rejects(not_opted_in(OPERATOR, AVS_SILENT), |am| {
        am.allocate(AVS_SILENT, 100)
    });
}

#[test]
fn opting_out_blocks_increases_but_not_decreases() {
    let mut f = Fx::operators();
    f.allocate(AVS_B, 3_000);
    f.opt_out(AVS_B, OPERATOR);
    f.as_(OPERATOR);
    f.rejects(not_opted_in(OPERATOR, AVS_B), |am| {
        am.allocate(AVS_B, 3_001)
    });
    assert_eq!(
        f.am.slashable_bps(OPERATOR, AVS_B),
        3_000,
        "still slashable"
    );
    f.vm.clear_calls();
    let at = f.allocate(AVS_B, 0);
    assert_eq!(at, f.now + DELAY);
    assert!(f.vm.calls().is_empty(), "a decrease asks no registry");
}

#[test]
fn removing_a_registry_from_the_whitelist_blocks_increases_but_not_decreases() {
    let mut f = Fx::operators();
    f.allocate(AVS_B, 3_000);
    f.as_(ADMIN);
    f.am.set_registry(AVS_B, false).expect("setRegistry");
    f.take_logs();
    f.as_(OPERATOR);
    f.rejects(not_whitelisted(AVS_B), |am| am.allocate(AVS_B, 3_001));
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_B), 3_000);
    assert_eq!(f.allocate(AVS_B, 1_000), f.now + DELAY);
    assert_eq!(
        f.allocate(AVS_B, 3_000),
        f.now,
        "setting the current value is allowed"
    );
}

#[test]
fn allocate_by_a_non_operator_is_rejected_for_any_value() {
    let mut f = Fx::operators();
    f.as_(STRANGER);
    f.opt_in(AVS_A, STRANGER);
    for bps in [0, 1, 10_000] {
        f.rejects(unknown_operator(STRANGER), |am| am.allocate(AVS_A, bps));
    }
    assert!(f.vm.calls().is_empty());
}

#[test]
fn the_checks_of_an_increase_run_in_order() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 10_000);
    f.pause();
    f.as_(OPERATOR);
    // Paused, unlisted, not opted in and over the limit: the pause is reported.
    f.rejects(enforced_pause(), |am| am.allocate(AVS_UNLISTED, 1));
    f.as_(ADMIN);
    f.am.unpause().expect("unpause");
    f.take_logs();
    f.as_(OPERATOR);
    // Unlisted and over the limit: the whitelist.
    f.rejects(not_whitelisted(AVS_UNLISTED), |am| {
        am.allocate(AVS_UNLISTED, 1)
    });
    // Not opted in and over the limit: the opt-in.
    f.rejects(not_opted_in(OPERATOR, AVS_SILENT), |am| {
        am.allocate(AVS_SILENT, 1)
    });
    // Only over the limit.
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_B, 1));
}

// ---------------------------------------------------------------------------------------------
// allocate: decreases
// ---------------------------------------------------------------------------------------------

#[test]
fn an_allocation_decrease_applies_exactly_delay_later_and_stays_slashable_until_then() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    f.advance(HOUR);
    let at = f.now + DELAY;
    f.as_(OPERATOR);
    assert_eq!(f.am.allocate(AVS_A, 1_000), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[allocation_set(OPERATOR, AVS_A, 1_000, at)],
    );
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_000, 1_000, at));
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000);
    assert_eq!(f.allocated(), 4_000, "the old value counts until settled");

    f.warp(at - 1);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_000, 1_000, at));

    f.warp(at);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 1_000);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (1_000, 0, 0));
    assert_eq!(f.allocated(), 4_000, "settled lazily");
    // Touching the allocation settles it.
    assert_eq!(f.allocate(AVS_A, 1_000), f.now);
    assert_eq!(f.allocated(), 1_000);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (1_000, 0, 0));
}

#[test]
fn a_decrease_while_the_sum_is_full_does_not_free_room_until_settled() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 6_000);
    f.allocate(AVS_B, 4_000);
    let at = f.allocate(AVS_A, 0);
    f.as_(OPERATOR);
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_C, 1));
    f.warp(at - 1);
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_C, 1));
    f.warp(at);
    // A known limit: due, but not yet settled, so A still counts towards the sum.
    f.rejects(over_limit(10_001), |am| am.allocate(AVS_C, 1));
    f.rejects(over_limit(14_000), |am| am.allocate(AVS_B, 8_000));
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 0);
    // Re-sending the decrease settles it and frees the room.
    assert_eq!(f.allocate(AVS_A, 0), f.now);
    assert_eq!(f.allocated(), 4_000);
    assert_eq!(f.allocate(AVS_C, 6_000), f.now);
    assert_eq!(f.allocated(), 10_000);
}

#[test]
fn an_increase_after_a_due_decrease_of_the_same_registry_settles_it_first() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 5_000);
    f.allocate(AVS_B, 5_000);
    let at = f.allocate(AVS_A, 1_000);
    f.warp(at);
    // 3,000 is above the settled 1,000: an increase, applied now (not a delayed decrease
    // from the stored 5,000).
    assert_eq!(f.allocate(AVS_A, 3_000), f.now);
    assert_eq!(f.allocated(), 8_000);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (3_000, 0, 0));
    let at = f.allocate(AVS_A, 1_000);
    f.warp(at);
    assert_eq!(f.allocated(), 8_000);
    f.as_(OPERATOR);
    // Over the limit once settled (6,000 − 1,000 + 5,001): the settlement written before
    // the check is reverted with the call.
    f.reverts(over_limit(10_001), |am| am.allocate(AVS_A, 5_001));
    assert_eq!(f.allocated(), 8_000);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 1_000);
    assert_eq!(f.allocate(AVS_A, 5_000), f.now);
    assert_eq!(f.allocated(), 10_000);
}

#[test]
fn the_same_decrease_again_keeps_its_time_and_another_one_restarts_the_delay() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    let at = f.allocate(AVS_A, 1_000);
    f.advance(DAY);
    f.as_(OPERATOR);
    assert_eq!(f.am.allocate(AVS_A, 1_000), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[allocation_set(OPERATOR, AVS_A, 1_000, at)],
    );
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_000, 1_000, at));
    f.warp(at - 1);
    assert_eq!(
        f.allocate(AVS_A, 1_000),
        at,
        "still the first time, one second before"
    );

    // Another value (lower or higher) restarts the delay from now.
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    let first = f.allocate(AVS_A, 1_000);
    f.advance(DAY);
    let lower = f.allocate(AVS_A, 500);
    assert_eq!(lower, f.now + DELAY);
    f.advance(DAY);
    let higher = f.allocate(AVS_A, 2_000);
    assert_eq!(higher, f.now + DELAY);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_000, 2_000, higher));
    f.warp(first);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000);
    f.warp(lower);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000);
    f.warp(higher - 1);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000);
    f.warp(higher);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 2_000);
}

#[test]
fn setting_the_current_value_cancels_a_pending_decrease() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    let at = f.allocate(AVS_A, 1_000);
    f.advance(DAY);
    f.as_(OPERATOR);
    assert_eq!(f.am.allocate(AVS_A, 4_000), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[allocation_set(OPERATOR, AVS_A, 4_000, f.now)],
    );
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_000, 0, 0));
    f.warp(at);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_000, "cancelled");
    assert_eq!(f.allocated(), 4_000);
    // After cancelling, the same decrease is a new one with a new time.
    assert_eq!(f.allocate(AVS_A, 1_000), f.now + DELAY);
}

#[test]
fn an_increase_while_a_decrease_is_pending_replaces_it() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    let at = f.allocate(AVS_A, 1_000);
    f.advance(DAY);
    assert_eq!(f.allocate(AVS_A, 4_500), f.now);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_500, 0, 0));
    assert_eq!(f.allocated(), 4_500);
    f.warp(at);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 4_500);
}

#[test]
fn a_pending_decrease_keeps_its_time_when_the_delay_changes() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    let at = f.allocate(AVS_A, 1_000);
    f.set_parameters(FEE_CAP, 30 * DAY);
    assert_eq!(f.am.allocation(OPERATOR, AVS_A), (4_000, 1_000, at));
    assert_eq!(f.allocate(AVS_B, 100), f.now);
    assert_eq!(
        f.allocate(AVS_B, 0),
        f.now + 30 * DAY,
        "new requests use the new delay"
    );
    f.warp(at);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 1_000);
}

#[test]
fn setting_a_never_used_allocation_to_zero_only_emits_the_event() {
    let mut f = Fx::operators();
    let before = f.state();
    // Allowed for any registry: nothing is allocated, so nothing is checked.
    for registry in [AVS_A, AVS_UNLISTED, Address::ZERO] {
        f.as_(OPERATOR);
        assert_eq!(f.am.allocate(registry, 0), Ok(()));
        assert_logs(
            &f.take_logs(),
            &[allocation_set(OPERATOR, registry, 0, f.now)],
        );
    }
    assert!(f.vm.calls().is_empty());
    assert_eq!(f.state(), before);
}

// ---------------------------------------------------------------------------------------------
// allocate and pause
// ---------------------------------------------------------------------------------------------

#[test]
fn while_paused_increases_are_rejected_and_decreases_and_cancellations_go_through() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 4_000);
    f.allocate(AVS_B, 2_000);
    let pending = f.allocate(AVS_B, 500);
    f.pause();
    f.as_(OPERATOR);
    f.rejects(enforced_pause(), |am| am.allocate(AVS_A, 4_001));
    f.rejects(enforced_pause(), |am| am.allocate(AVS_C, 1));
    f.vm.clear_calls();
    // A decrease.
    let at = f.allocate(AVS_A, 1_000);
    assert_eq!(at, f.now + DELAY);
    // The same decrease again, and a cancellation (the current value).
    assert_eq!(f.allocate(AVS_A, 1_000), at);
    assert_eq!(f.allocate(AVS_B, 2_000), f.now);
    assert_eq!(f.am.allocation(OPERATOR, AVS_B), (2_000, 0, 0));
    assert!(pending > f.now);
    // Settling a due decrease while paused.
    f.warp(at);
    assert_eq!(f.allocate(AVS_A, 1_000), f.now);
    assert_eq!(f.allocated(), 3_000);
    assert!(f.vm.calls().is_empty());
    // After the pause, increases again.
    f.as_(ADMIN);
    f.am.unpause().expect("unpause");
    assert_eq!(f.allocate(AVS_A, 8_000), f.now);
    assert_eq!(f.allocated(), 10_000);
}

#[test]
fn a_due_decrease_settled_by_a_paused_increase_is_reverted_with_it() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 5_000);
    let at = f.allocate(AVS_A, 1_000);
    f.warp(at);
    f.pause();
    f.as_(OPERATOR);
    f.reverts(enforced_pause(), |am| am.allocate(AVS_A, 2_000));
    assert_eq!(f.allocated(), 5_000);
    assert_eq!(f.am.slashable_bps(OPERATOR, AVS_A), 1_000);
}

// ---------------------------------------------------------------------------------------------
// setRegistry and setParameters
// ---------------------------------------------------------------------------------------------

#[test]
fn set_registry_whitelists_and_removes_with_an_event() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    assert_eq!(f.am.set_registry(AVS_UNLISTED, true), Ok(()));
    assert!(f.am.is_registry(AVS_UNLISTED));
    assert_eq!(f.am.set_registry(AVS_A, false), Ok(()));
    assert!(!f.am.is_registry(AVS_A));
    // Idempotent, and still logged.
    assert_eq!(f.am.set_registry(AVS_A, false), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[
            registry_set(AVS_UNLISTED, true),
            registry_set(AVS_A, false),
            registry_set(AVS_A, false),
        ],
    );
    f.rejects(
        AllocationError::ZeroAddress(AllocationZeroAddress {}),
        |am| am.set_registry(Address::ZERO, true),
    );
}

#[test]
fn a_newly_whitelisted_registry_accepts_allocations() {
    let mut f = Fx::operators();
    f.as_(ADMIN);
    f.am.set_registry(AVS_UNLISTED, true).expect("setRegistry");
    assert_eq!(f.allocate(AVS_UNLISTED, 100), f.now);
}

#[test]
fn set_parameters_accepts_the_bounds_and_emits_an_event() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    for (cap, delay) in [(MAX_FEE_CAP_BPS, MIN_DELAY), (0, MAX_DELAY), (1_234, DAY)] {
        assert_eq!(f.am.set_parameters(cap, delay), Ok(()));
        assert_eq!(f.am.operator_fee_cap_bps(), cap);
        assert_eq!(f.am.delay(), delay);
        assert_logs(&f.take_logs(), &[parameters_set(cap, delay)]);
    }
}

#[test]
fn set_parameters_outside_the_bounds_is_rejected() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    let cap_error = |cap| {
        AllocationError::FeeCapAboveBound(AllocationFeeCapAboveBound {
            capBps: cap,
            bound: MAX_FEE_CAP_BPS,
        })
    };
    let delay_error = |delay| {
        AllocationError::DelayOutOfBounds(AllocationDelayOutOfBounds {
            delay,
            minimum: MIN_DELAY,
            maximum: MAX_DELAY,
        })
    };
    f.rejects(cap_error(MAX_FEE_CAP_BPS + 1), |am| {
        am.set_parameters(MAX_FEE_CAP_BPS + 1, DELAY)
    });
    f.rejects(cap_error(u16::MAX), |am| am.set_parameters(u16::MAX, DELAY));
    for delay in [0, MIN_DELAY - 1, MAX_DELAY + 1, u64::MAX] {
        f.rejects(delay_error(delay), |am| am.set_parameters(FEE_CAP, delay));
    }
    // The cap is checked first.
    f.rejects(cap_error(MAX_FEE_CAP_BPS + 1), |am| {
        am.set_parameters(MAX_FEE_CAP_BPS + 1, 0)
    });
}

#[test]
fn admin_setters_require_the_admin_role() {
    let mut f = Fx::operators();
    for caller in [STRANGER, PAUSER, OPERATOR, DEPLOYER] {
        f.as_(caller);
        let denied = || unauthorized(caller, DEFAULT_ADMIN_ROLE);
        f.rejects(denied(), |am| am.set_registry(AVS_UNLISTED, true));
        f.rejects(denied(), |am| am.set_registry(Address::ZERO, true));
        f.rejects(denied(), |am| am.set_parameters(FEE_CAP, DELAY));
        f.rejects(denied(), |am| am.set_parameters(u16::MAX, 0));
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

#[test]
fn views_of_unknown_operators_and_registries_are_zero() {
    let f = Fx::operators();
    assert!(!f.am.is_operator(STRANGER));
    assert_eq!(f.am.operator_fee_bps(STRANGER), 0);
    assert_eq!(f.info(STRANGER), (false, 0, 0, 0, 0));
    assert_eq!(f.am.allocation(STRANGER, AVS_A), (0, 0, 0));
    assert_eq!(f.am.slashable_bps(STRANGER, AVS_A), 0);
    assert_eq!(f.am.allocation(OPERATOR, STRANGER), (0, 0, 0));
    assert!(!f.am.is_registry(STRANGER));
    assert!(!f.am.is_registry(AVS_UNLISTED));
    assert!(f.am.is_registry(AVS_A));
}

#[test]
fn views_are_the_selectors_the_restaking_manager_calls() {
    use alloy_sol_types::SolValue;
    use lsr_common::interfaces::allocation_selectors;
    use stylus_sdk::abi::Router;
    let mut f = Fx::operators();
    f.allocate(AVS_B, 1_234);
    let answers = [
        (
            allocation_selectors::IS_OPERATOR,
            OPERATOR.abi_encode(),
            true.abi_encode(),
        ),
        (
            allocation_selectors::IS_REGISTRY,
            AVS_B.abi_encode(),
            true.abi_encode(),
        ),
        (
            allocation_selectors::SLASHABLE_BPS,
            (OPERATOR, AVS_B).abi_encode_params(),
            U256::from(1_234).abi_encode(),
        ),
        (
            allocation_selectors::OPERATOR_FEE_BPS,
            OPERATOR.abi_encode(),
            U256::from(OPERATOR_FEE).abi_encode(),
        ),
    ];
    for (selector, input, output) in answers {
        let routed = <AllocationManager as Router<AllocationManager>>::route(
            &mut f.am,
            u32::from_be_bytes(selector),
            &input,
        );
        assert_eq!(routed, Some(Ok(output)), "{selector:?}");
    }
    for (selector, signature) in [
        (allocation_selectors::IS_OPERATOR, "isOperator(address)"),
        (allocation_selectors::IS_REGISTRY, "isRegistry(address)"),
        (
            allocation_selectors::SLASHABLE_BPS,
            "slashableBps(address,address)",
        ),
        (
            allocation_selectors::OPERATOR_FEE_BPS,
            "operatorFeeBps(address)",
        ),
    ] {
        assert_eq!(
            selector,
            alloy_primitives::keccak256(signature)[..4],
            "{signature}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Access control and pause
// ---------------------------------------------------------------------------------------------

#[test]
fn grant_and_revoke_role_by_the_admin_emit_events_only_on_change() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    assert_eq!(f.am.grant_role(PAUSER_ROLE, STRANGER), Ok(()));
    assert!(f.am.has_role(PAUSER_ROLE, STRANGER));
    assert_eq!(f.am.grant_role(PAUSER_ROLE, STRANGER), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleGranted {
            role: PAUSER_ROLE,
            account: STRANGER,
            sender: ADMIN,
        })],
    );
    assert_eq!(f.am.revoke_role(PAUSER_ROLE, STRANGER), Ok(()));
    assert!(!f.am.has_role(PAUSER_ROLE, STRANGER));
    assert_eq!(f.am.revoke_role(PAUSER_ROLE, STRANGER), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleRevoked {
            role: PAUSER_ROLE,
            account: STRANGER,
            sender: ADMIN,
        })],
    );
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, PAUSER_ROLE), IPausable::pause);
}

#[test]
fn grant_and_revoke_role_require_the_admin_role() {
    let mut f = Fx::new();
    for caller in [STRANGER, PAUSER, DEPLOYER] {
        f.as_(caller);
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |am| {
            am.grant_role(DEFAULT_ADMIN_ROLE, caller)
        });
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |am| {
            am.revoke_role(PAUSER_ROLE, PAUSER)
        });
    }
}

#[test]
fn renounce_role_needs_the_callers_own_address() {
    let mut f = Fx::new();
    f.as_(PAUSER);
    f.rejects(
        AllocationError::BadConfirmation(AccessControlBadConfirmation {}),
        |am| am.renounce_role(PAUSER_ROLE, ADMIN),
    );
    assert_eq!(f.am.renounce_role(PAUSER_ROLE, PAUSER), Ok(()));
    assert!(!f.am.has_role(PAUSER_ROLE, PAUSER));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleRevoked {
            role: PAUSER_ROLE,
            account: PAUSER,
            sender: PAUSER,
        })],
    );
}

#[test]
fn every_role_is_administered_by_the_default_admin_role() {
    let f = Fx::new();
    for role in [DEFAULT_ADMIN_ROLE, PAUSER_ROLE] {
        assert_eq!(f.am.get_role_admin(role), DEFAULT_ADMIN_ROLE);
    }
    assert!(f.am.has_role(PAUSER_ROLE, PAUSER));
}

#[test]
fn the_pauser_pauses_and_only_the_admin_unpauses() {
    let mut f = Fx::operators();
    f.as_(PAUSER);
    assert_eq!(f.am.pause(), Ok(()));
    assert!(f.am.paused());
    assert_logs(&f.take_logs(), &[log(&Paused { account: PAUSER })]);
    f.rejects(unauthorized(PAUSER, DEFAULT_ADMIN_ROLE), IPausable::unpause);
    f.as_(OPERATOR);
    f.rejects(
        unauthorized(OPERATOR, DEFAULT_ADMIN_ROLE),
        IPausable::unpause,
    );
    f.as_(ADMIN);
    assert_eq!(f.am.unpause(), Ok(()));
    assert!(!f.am.paused());
    assert_logs(&f.take_logs(), &[log(&Unpaused { account: ADMIN })]);
}

#[test]
fn pause_requires_the_pauser_role() {
    let mut f = Fx::operators();
    for caller in [STRANGER, ADMIN, OPERATOR] {
        f.as_(caller);
        f.rejects(unauthorized(caller, PAUSER_ROLE), IPausable::pause);
    }
}

#[test]
fn pausing_twice_or_unpausing_a_running_manager_is_rejected() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    f.rejects(
        AllocationError::ExpectedPause(ExpectedPause {}),
        IPausable::unpause,
    );
    f.pause();
    f.rejects(enforced_pause(), IPausable::pause);
}

#[test]
fn admin_and_operator_functions_other_than_increases_work_while_paused() {
    let mut f = Fx::operators();
    f.allocate(AVS_A, 1_000);
    f.pause();
    f.as_(ADMIN);
    assert_eq!(f.am.set_registry(AVS_UNLISTED, true), Ok(()));
    assert_eq!(f.am.set_parameters(500, DAY), Ok(()));
    f.as_(OPERATOR);
    assert_eq!(f.am.update_metadata_uri("ipfs://new".into()), Ok(()));
    assert_eq!(f.am.set_operator_fee(100), Ok(()));
    assert_eq!(f.am.allocate(AVS_A, 0), Ok(()));
    f.as_(STRANGER);
    f.rejects(enforced_pause(), |am| {
        am.register_operator(0, String::new())
    });
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn errors_encode_as_their_solidity_definitions() {
    let cases: Vec<(AllocationError, Vec<u8>)> = vec![
        (
            AllocationError::ZeroAddress(AllocationZeroAddress {}),
            AllocationZeroAddress {}.abi_encode(),
        ),
        (
            unknown_operator(BOB),
            AllocationUnknownOperator { operator: BOB }.abi_encode(),
        ),
        (
            over_limit(10_001),
            AllocationOverLimit {
                totalBps: U256::from(10_001),
            }
            .abi_encode(),
        ),
        (
            not_opted_in(BOB, AVS_A),
            AllocationNotOptedIn {
                operator: BOB,
                registry: AVS_A,
            }
            .abi_encode(),
        ),
        (enforced_pause(), EnforcedPause {}.abi_encode()),
    ];
    for (error, expected) in cases {
        let encoded: Vec<u8> = error.into();
        assert_eq!(encoded, expected);
    }
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

/// The three registries of the allocation property.
const AVS: [Address; 3] = [AVS_A, AVS_B, AVS_C];

/// One step of an operator's allocation history.
#[derive(Clone, Debug)]
enum AllocOp {
    /// `allocate(AVS[registry], bps)`.
    Allocate {
        registry: usize,
        bps: u16,
    },
    /// `allocate` of the value pending for the registry if any (the same decrease again),
    /// else of its current value (a settlement or a no-op).
    Repeat {
        registry: usize,
    },
    Advance {
        seconds: u64,
    },
    /// To the time the registry's pending decrease applies, or one second before.
    ToPending {
        registry: usize,
        early: bool,
    },
    /// The pauser pauses, or the admin unpauses.
    TogglePause,
}

fn alloc_op(delay: u64) -> impl Strategy<Value = AllocOp> {
    let registry = 0..AVS.len();
    prop_oneof![
        6 => (registry.clone(), prop_oneof![0_u16..=10_000, 0_u16..=4_000, Just(0_u16)])
            .prop_map(|(registry, bps)| AllocOp::Allocate { registry, bps }),
        2 => registry.clone().prop_map(|registry| AllocOp::Repeat { registry }),
        3 => prop_oneof![
            1..=HOUR,
            Just(delay - 1),
            Just(delay),
            Just(delay + 1),
            0..=2 * delay,
        ]
        .prop_map(|seconds| AllocOp::Advance { seconds }),
        2 => (registry, any::<bool>())
            .prop_map(|(registry, early)| AllocOp::ToPending { registry, early }),
        1 => Just(AllocOp::TogglePause),
    ]
}

/// One registry in the model: the value that counts towards the sum until settled, and a
/// pending decrease (`at` zero when none).
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    settled: u16,
    pending: u16,
    at: u64,
}

impl Slot {
    fn slashable(&self, now: u64) -> u16 {
        if self.at != 0 && now >= self.at {
            self.pending
        } else {
            self.settled
        }
    }

    /// What `allocation(operator, registry)` should answer.
    fn view(&self, now: u64) -> (u16, u16, u64) {
        if self.at > now {
            (self.settled, self.pending, self.at)
        } else {
            (self.slashable(now), 0, 0)
        }
    }
}

/// The allocation rules, written from the specification.
#[derive(Debug)]
struct AllocModel {
    slots: [Slot; 3],
    paused: bool,
    delay: u64,
    /// (registry, level, until): the registry's slashable value may not be below `level`
    /// before `until`.
    floors: Vec<(usize, u16, u64)>,
}

impl AllocModel {
    fn new(delay: u64) -> Self {
        Self {
            slots: [Slot::default(); 3],
            paused: false,
            delay,
            floors: Vec::new(),
        }
    }

    fn sum(&self) -> u64 {
        self.slots.iter().map(|s| u64::from(s.settled)).sum()
    }

    /// Applies `allocate(registry, bps)` at `now`: the effective time it reports, or its error.
    fn allocate(&mut self, registry: usize, bps: u16, now: u64) -> Result<u64, AllocationError> {
        let delay = self.delay;
        let mut slot = self.slots[registry];
        if slot.at != 0 && now >= slot.at {
            slot = Slot {
                settled: slot.pending,
                pending: 0,
                at: 0,
            };
        }
        let before = slot.slashable(now);
        let effective_at = if bps > slot.settled {
            if self.paused {
                return Err(enforced_pause());
            }
            let sum = self.sum() - u64::from(self.slots[registry].settled) + u64::from(bps);
            if sum > 10_000 {
                return Err(over_limit(sum));
            }
            slot = Slot {
                settled: bps,
                pending: 0,
                at: 0,
            };
            now
        } else if bps == slot.settled {
            slot.at = 0;
            now
        } else if slot.at != 0 && slot.pending == bps {
            slot.at
        } else {
            slot.pending = bps;
            slot.at = now + delay;
            slot.at
        };
        self.slots[registry] = slot;
        if effective_at == now {
            // Any later decrease is requested from now on: at least `delay` away.
            self.floors.push((registry, bps, now + delay));
        } else {
            // The value before the decrease stays slashable until it applies.
            self.floors.push((registry, before, effective_at));
        }
        Ok(effective_at)
    }
}

impl Fx {
    /// Runs `op` against the contract and the model; checks the outcome and the event.
    fn apply_alloc(&mut self, op: &AllocOp, model: &mut AllocModel) {
        let (registry, bps) = match *op {
            AllocOp::Allocate { registry, bps } => (registry, bps),
            AllocOp::Repeat { registry } => {
                let (current, pending, at) = self.am.allocation(OPERATOR, AVS[registry]);
                (registry, if at == 0 { current } else { pending })
            }
            AllocOp::Advance { seconds } => {
                self.advance(seconds);
                return;
            }
            AllocOp::ToPending { registry, early } => {
                let at = model.slots[registry].at;
                let target = if early { at.saturating_sub(1) } else { at };
                if target > self.now {
                    self.warp(target);
                }
                return;
            }
            AllocOp::TogglePause => {
                if model.paused {
                    self.as_(ADMIN);
                    self.am.unpause().expect("unpause");
                } else {
                    self.as_(PAUSER);
                    self.am.pause().expect("pause");
                }
                model.paused = !model.paused;
                self.take_logs();
                return;
            }
        };
        let now = self.now;
        let expected = model.allocate(registry, bps, now);
        self.as_(OPERATOR);
        let actual = self.attempt(|am| am.allocate(AVS[registry], bps));
        let logs = self.take_logs();
        match expected {
            Ok(effective_at) => {
                assert_eq!(actual, Ok(()), "{op:?}");
                assert_logs(
                    &logs,
                    &[allocation_set(OPERATOR, AVS[registry], bps, effective_at)],
                );
                assert!(effective_at >= now, "never in the past");
            }
            Err(error) => {
                assert_eq!(actual, Err(error), "{op:?}");
                assert!(logs.is_empty());
            }
        }
    }

    fn check_alloc(&self, model: &mut AllocModel) {
        let now = self.now;
        let (_, _, _, _, allocated) = self.info(OPERATOR);
        assert_eq!(
            u64::from(allocated),
            model.sum(),
            "Σ not-yet-settled values"
        );
        assert!(allocated <= 10_000);
        for (i, &registry) in AVS.iter().enumerate() {
            let slot = model.slots[i];
            assert_eq!(self.am.allocation(OPERATOR, registry), slot.view(now));
            assert_eq!(
                self.am.slashable_bps(OPERATOR, registry),
                slot.slashable(now)
            );
        }
        model.floors.retain(|&(_, _, until)| until > now);
        for &(i, level, until) in &model.floors {
            let slashable = self.am.slashable_bps(OPERATOR, AVS[i]);
            assert!(
                slashable >= level,
                "registry {i} slashable {slashable} below {level} before {until} (now {now})"
            );
        }
    }
}

/// One step of an operator's fee history.
#[derive(Clone, Debug)]
enum FeeOp {
    Set(u16),
    Advance(u64),
    /// To the time the pending increase applies, or one second before.
    ToPending {
        early: bool,
    },
    /// The admin sets the cap (the delay unchanged).
    Cap(u16),
    /// The admin sets the delay (the cap unchanged).
    Delay(u64),
}

fn fee_op() -> impl Strategy<Value = FeeOp> {
    prop_oneof![
        6 => prop_oneof![0_u16..=MAX_FEE_CAP_BPS, 0_u16..=1_000].prop_map(FeeOp::Set),
        3 => prop_oneof![1..=DAY, Just(DELAY - 1), Just(DELAY), 0..=40 * DAY].prop_map(FeeOp::Advance),
        2 => any::<bool>().prop_map(|early| FeeOp::ToPending { early }),
        1 => (0_u16..=MAX_FEE_CAP_BPS).prop_map(FeeOp::Cap),
        1 => prop_oneof![Just(MIN_DELAY), Just(MAX_DELAY), MIN_DELAY..=MAX_DELAY].prop_map(FeeOp::Delay),
    ]
}

/// The fee rules, written from the specification.
#[derive(Debug)]
struct FeeModel {
    fee: u16,
    pending: u16,
    /// When `pending` applies; zero when none.
    at: u64,
    cap: u16,
    delay: u64,
    /// The last accepted request: (time, fee, delay then).
    last_request: (u64, u16, u64),
}

impl FeeModel {
    fn fee(&self, now: u64) -> u16 {
        if self.at != 0 && now >= self.at {
            self.pending
        } else {
            self.fee
        }
    }

    fn set(&mut self, fee: u16, now: u64) -> Result<u64, AllocationError> {
        if fee > self.cap {
            return Err(fee_above_cap(fee, self.cap));
        }
        let current = self.fee(now);
        self.last_request = (now, fee, self.delay);
        if fee <= current {
            (self.fee, self.at) = (fee, 0);
            Ok(now)
        } else {
            (self.fee, self.pending, self.at) = (current, fee, now + self.delay);
            Ok(self.at)
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// (a) Over random allocations to three registries and time moves, the contract agrees
    /// with the model call by call (outcome, event, views); `allocatedBps` is Σ of the
    /// not-yet-settled values and at most 10,000; and no registry's slashable value ever falls
    /// below a value it was promised (an increase: for `delay` after it; a decrease: the
    /// previous value, until the decrease's effective time).
    #[test]
    fn allocations_keep_the_sum_and_stay_slashable_until_decreases_apply(
        (delay, ops) in prop_oneof![Just(MIN_DELAY), Just(DELAY), MIN_DELAY..=MAX_DELAY]
            .prop_flat_map(|delay| (Just(delay), prop::collection::vec(alloc_op(delay), 1..60))),
    ) {
        let mut f = Fx::operators();
        f.set_parameters(FEE_CAP, delay);
        let mut model = AllocModel::new(delay);
        for op in &ops {
            f.apply_alloc(op, &mut model);
            f.check_alloc(&mut model);
        }
        // Whatever happened, a settlement of every registry brings the sum to Σ slashable.
        f.advance(MAX_DELAY);
        for (i, &registry) in AVS.iter().enumerate() {
            let value = f.am.slashable_bps(OPERATOR, registry);
            prop_assert_eq!(f.allocate(registry, value), f.now);
            model.slots[i] = Slot { settled: value, pending: 0, at: 0 };
        }
        let slashable: u64 = AVS.iter().map(|&r| u64::from(f.am.slashable_bps(OPERATOR, r))).sum();
        prop_assert_eq!(u64::from(f.allocated()), slashable);
    }

    /// (b) Over random fee changes, cap and delay changes and time moves, the operator's fee
    /// (before the cap) never rises except to the value of the last request, and only once
    /// the delay in force at that request has passed; the reported fee is min(fee, cap) and
    /// rises only with the fee or with the cap.
    #[test]
    fn a_fee_never_rises_before_the_delay_after_its_request(ops in prop::collection::vec(fee_op(), 1..60)) {
        let mut f = Fx::operators();
        let mut model = FeeModel {
            fee: OPERATOR_FEE,
            pending: 0,
            at: 0,
            cap: FEE_CAP,
            delay: DELAY,
            last_request: (T0, OPERATOR_FEE, 0),
        };
        let mut fee = f.info(OPERATOR).1;
        let mut reported = f.am.operator_fee_bps(OPERATOR);
        for op in &ops {
            let mut cap_raised = false;
            match *op {
                FeeOp::Set(value) => {
                    let now = f.now;
                    let expected = model.set(value, now);
                    f.as_(OPERATOR);
                    let actual = f.am.set_operator_fee(value);
                    let logs = f.take_logs();
                    match expected {
                        Ok(at) => {
                            prop_assert_eq!(actual, Ok(()));
                            assert_logs(&logs, &[fee_set(OPERATOR, value, at)]);
                        }
                        Err(error) => {
                            prop_assert_eq!(actual, Err(error));
                            prop_assert!(logs.is_empty());
                        }
                    }
                }
                FeeOp::Advance(seconds) => f.advance(seconds),
                FeeOp::ToPending { early } => {
                    let target = if early { model.at.saturating_sub(1) } else { model.at };
                    if target > f.now {
                        f.warp(target);
                    }
                }
                FeeOp::Cap(cap) => {
                    cap_raised = cap > model.cap;
                    f.set_parameters(cap, model.delay);
                    model.cap = cap;
                }
                FeeOp::Delay(delay) => {
                    f.set_parameters(model.cap, delay);
                    model.delay = delay;
                }
            }
            let now = f.now;
            let info = f.info(OPERATOR);
            let (pending, at) = if model.at > now { (model.pending, model.at) } else { (0, 0) };
            prop_assert_eq!(info, (true, model.fee(now), pending, at, 0), "after {:?}", op);
            let new_fee = info.1;
            let (requested_at, requested, delay_then) = model.last_request;
            prop_assert!(new_fee <= requested, "fee {} above the last request {}", new_fee, requested);
            if new_fee > fee {
                prop_assert_eq!(new_fee, requested);
                prop_assert!(
                    now >= requested_at + delay_then,
                    "rose to {} at {}, requested at {} with delay {}", new_fee, now, requested_at, delay_then
                );
            }
            let new_reported = f.am.operator_fee_bps(OPERATOR);
            prop_assert_eq!(new_reported, new_fee.min(model.cap));
            if new_reported > reported {
                prop_assert!(new_fee > fee || cap_raised);
            }
            fee = new_fee;
            reported = new_reported;
        }
    }
}

/// Every function of the golden ABI is routed on chain, at its selector, payable where the ABI
/// says so (the SDK's `#[public]` declares the ABI; `lsr_common::router!` routes the calls).
#[test]
fn routes_are_the_golden_abi() {
    lsr_common::testing::assert_routes_match_abi(
        AllocationManager::ROUTES,
        include_str!("../../../abi/allocation-manager.json"),
    );
}
