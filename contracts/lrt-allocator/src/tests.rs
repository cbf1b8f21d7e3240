//! `TestVM` unit tests of every public function of the LRT allocator (success paths with their
//! events and the exact calls to the manager and the token, every error with the state left
//! unchanged) and a stateful proptest of its accounting against a model of the manager.
//!
//! The neighbours answer through [`MockHost`]: the LST is an [`Erc20Ledger`]; the restaking
//! manager is [`ManagerModel`], the manager's pool formulas written out (virtual offset 1e3,
//! payouts min(value at queue, value now), queued shares staying in the pool), pulling LST
//! from the allocator against its allowance and paying completed withdrawals back. Slashes and
//! gains happen in the model, as the manager's `slash` and `depositRewards` would make them.
//!
//! `TestVM` does not roll storage back when a call returns an error, while the host reverts
//! the whole transaction. [`Fixture::rejects`] demands that a call fails before writing anything;
//! [`Fixture::reverts`] restores storage, the token ledger and the manager model as the host's
//! revert would, for the paths that write before a call that fails.

use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
    rc::Rc,
};

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use lsr_common::{
    access::{
        AccessControlUnauthorizedAccount, EnforcedPause, RoleGranted, ALLOCATOR_ROLE, PAUSER_ROLE,
    },
    erc20::{Approval, ERC20InsufficientAllowance, Transfer},
    interfaces::{erc20_selectors, lrt_allocator_selectors, manager_selectors},
    math::WAD,
    testing::{nonzero_storage, Called, Erc20Ledger, Fixture, MockHost},
};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

sol! {
    /// The restaking manager's view the allocator prices its book with.
    function positionsValue(address staker, address[] operators, uint256[] withdrawalIds)
        external view returns (uint256);
}

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

const ALLOCATOR_ADDRESS: Address = address!("a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
const MANAGER: Address = address!("3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a");
const TOKEN: Address = address!("7070707070707070707070707070707070707070");
const VAULT: Address = address!("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
const LRT: Address = address!("1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e");
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const ALLOCATOR: Address = address!("00000000000000000000000000000000000a0002");
const PAUSER: Address = address!("00000000000000000000000000000000000a0003");
const SINK: Address = address!("00000000000000000000000000000000000a0004");
const DONOR: Address = address!("00000000000000000000000000000000000b0001");
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");
const OP1: Address = address!("0000000000000000000000000000000000001001");
const OP2: Address = address!("0000000000000000000000000000000000001002");
const OP3: Address = address!("0000000000000000000000000000000000001003");
/// Not registered in the manager.
const UNREGISTERED: Address = address!("0000000000000000000000000000000000001fff");

/// Every address that holds LST in these tests.
const HOLDERS: [Address; 5] = [ALLOCATOR_ADDRESS, MANAGER, LRT, SINK, DONOR];
/// The first withdrawal id the manager model hands out; ids then step by 3, so a test only
/// passes when the allocator records the manager's answer.
const FIRST_ID: u64 = 100;

fn eth(n: u64) -> U256 {
    U256::from(n) * WAD
}

fn wei(n: u128) -> U256 {
    U256::from(n)
}

fn word(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
}

/// Operator number `n` (1, 2, 3 are `OP1`, `OP2`, `OP3`).
fn operator(n: u8) -> Address {
    let mut bytes = [0; 20];
    bytes[18] = 0x10;
    bytes[19] = n;
    Address::from(bytes)
}

/// Pool shares for `assets`, with the manager's formula.
fn shares_for(assets: U256, stake: U256, shares: U256) -> U256 {
    assets * (shares + wei(1_000)) / (stake + wei(1_000))
}

/// What `held` pool shares pay out, with the manager's formula.
fn value_of(held: U256, stake: U256, shares: U256) -> U256 {
    held * stake / (shares + wei(1_000))
}

/// `amount × bps / 10,000`, rounded up.
fn bps_up(amount: U256, bps: u64) -> U256 {
    (amount * U256::from(bps)).div_ceil(U256::from(10_000))
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

fn credited(assets: U256, idle: U256) -> Log {
    log(&Credited { assets, idle })
}

fn delegated(operator: Address, assets: U256, shares: U256) -> Log {
    log(&Delegated {
        operator,
        assets,
        shares,
    })
}

// ---------------------------------------------------------------------------------------------
// The manager model
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pool {
    stake: U256,
    /// Pool shares, queued ones included.
    shares: U256,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Queued {
    staker: Address,
    operator: Address,
    shares: U256,
    value: U256,
    completed: bool,
}

/// The restaking manager as the allocator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ManagerModel {
    operators: BTreeSet<Address>,
    pools: BTreeMap<Address, Pool>,
    /// Shares by (staker, operator), queued ones excluded.
    held: BTreeMap<(Address, Address), U256>,
    withdrawals: BTreeMap<U256, Queued>,
    next_id: u64,
    /// `completeWithdrawal` reverts (the delay has not passed).
    not_ready: bool,
}

/// Revert data of the model's own checks.
fn model_revert(reason: &str) -> Vec<u8> {
    reason.as_bytes().to_vec()
}

impl ManagerModel {
    fn new() -> Self {
        Self {
            operators: (1..=40).map(operator).collect(),
            pools: BTreeMap::new(),
            held: BTreeMap::new(),
            withdrawals: BTreeMap::new(),
            next_id: FIRST_ID,
            not_ready: false,
        }
    }

    fn pool(&self, operator: Address) -> Pool {
        self.pools.get(&operator).copied().unwrap_or_default()
    }

    fn held(&self, staker: Address, operator: Address) -> U256 {
        self.held
            .get(&(staker, operator))
            .copied()
            .unwrap_or_default()
    }

    fn staker_value(&self, staker: Address, operator: Address) -> U256 {
        let pool = self.pool(operator);
        value_of(self.held(staker, operator), pool.stake, pool.shares)
    }

    /// What a queued withdrawal pays now.
    fn payout(&self, queued: &Queued) -> U256 {
        let pool = self.pool(queued.operator);
        queued
            .value
            .min(value_of(queued.shares, pool.stake, pool.shares))
    }

    /// Σ over `staker`'s positions and uncompleted withdrawals of what they are worth now.
    fn value_of_staker(&self, staker: Address) -> U256 {
        let positions: U256 = self
            .held
            .keys()
            .filter(|(s, _)| *s == staker)
            .map(|&(s, op)| self.staker_value(s, op))
            .sum();
        let queued: U256 = self
            .withdrawals
            .values()
            .filter(|w| w.staker == staker && !w.completed)
            .map(|w| self.payout(w))
            .sum();
        positions + queued
    }

    fn answer(&mut self, called: &Called, ledger: &mut Erc20Ledger) -> Result<Vec<u8>, Vec<u8>> {
        let selector = called.selector();
        let views = [
            manager_selectors::TOKEN,
            manager_selectors::IS_OPERATOR,
            manager_selectors::STAKER_SHARES,
            manager_selectors::POSITIONS_VALUE,
        ];
        assert_eq!(
            called.is_static,
            views.contains(&selector),
            "views are static calls, the rest mutating"
        );
        assert_eq!(called.value, U256::ZERO, "no ETH to the manager");
        match selector {
            manager_selectors::TOKEN => Ok(TOKEN.into_word().to_vec()),
            manager_selectors::IS_OPERATOR => Ok(word(U256::from(
                self.operators.contains(&called.address(0)),
            ))),
            manager_selectors::STAKER_SHARES => {
                Ok(word(self.held(called.address(0), called.address(1))))
            }
            manager_selectors::POSITIONS_VALUE => {
                // Decoded with alloy's validating decoder: the allocator's hand encoding
                // of the two arrays must be the ABI's.
                let call = positionsValueCall::abi_decode_validate(&called.data)
                    .expect("positionsValue calldata is valid ABI");
                let mut total: U256 = call
                    .operators
                    .iter()
                    .map(|&operator| self.staker_value(call.staker, operator))
                    .sum();
                for id in call.withdrawalIds {
                    let queued = self
                        .withdrawals
                        .get(&id)
                        .ok_or_else(|| model_revert("not found"))?;
                    if !queued.completed {
                        total += self.payout(queued);
                    }
                }
                Ok(word(total))
            }
            manager_selectors::DELEGATE => {
                self.delegate(called.from, called.address(0), called.amount(1), ledger)
            }
            manager_selectors::UNDELEGATE => {
                let (staker, operator, shares) = (called.from, called.address(0), called.amount(1));
                let held = self.held(staker, operator);
                if shares.is_zero() || shares > held {
                    return Err(model_revert("insufficient shares"));
                }
                let pool = self.pool(operator);
                let value = value_of(shares, pool.stake, pool.shares);
                if value.is_zero() {
                    return Err(model_revert("zero value"));
                }
                self.held.insert((staker, operator), held - shares);
                let id = U256::from(self.next_id);
                self.next_id += 3;
                self.withdrawals.insert(
                    id,
                    Queued {
                        staker,
                        operator,
                        shares,
                        value,
                        completed: false,
                    },
                );
                Ok(word(id))
            }
            manager_selectors::COMPLETE_WITHDRAWAL => {
                let id = called.amount(0);
                let queued = self
                    .withdrawals
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| model_revert("not found"))?;
                if queued.staker != called.from || queued.completed {
                    return Err(model_revert("not yours or completed"));
                }
                if self.not_ready {
                    return Err(model_revert("not ready"));
                }
                let paid = self.payout(&queued);
                let pool = self.pools.entry(queued.operator).or_default();
                pool.stake -= paid;
                pool.shares -= queued.shares;
                self.withdrawals.get_mut(&id).expect("read above").completed = true;
                shift(ledger, MANAGER, queued.staker, paid);
                Ok(word(paid))
            }
            other => panic!("manager model: unknown selector {other:02x?}"),
        }
    }

    fn delegate(
        &mut self,
        staker: Address,
        operator: Address,
        assets: U256,
        ledger: &mut Erc20Ledger,
    ) -> Result<Vec<u8>, Vec<u8>> {
        if !self.operators.contains(&operator) {
            return Err(model_revert("unknown operator"));
        }
        let pool = self.pool(operator);
        let shares = shares_for(assets, pool.stake, pool.shares);
        if shares.is_zero() {
            return Err(model_revert("zero shares"));
        }
        // transferFrom(staker, manager, assets), the manager being the spender.
        let allowance = ledger
            .allowances
            .get(&(staker, MANAGER))
            .copied()
            .unwrap_or_default();
        if allowance < assets {
            return Err(ERC20InsufficientAllowance {
                spender: MANAGER,
                allowance,
                needed: assets,
            }
            .abi_encode());
        }
        assert!(
            ledger.balance_of(staker) >= assets,
            "the allocator delegates only LST it holds"
        );
        if allowance != U256::MAX {
            ledger
                .allowances
                .insert((staker, MANAGER), allowance - assets);
        }
        shift(ledger, staker, MANAGER, assets);
        let pool = self.pools.entry(operator).or_default();
        pool.stake += assets;
        pool.shares += shares;
        *self.held.entry((staker, operator)).or_default() += shares;
        Ok(word(shares))
    }

    /// A slash of `bps` of the whole pool (the manager's `slash` with a 100% allocation):
    /// `ceil(stake × bps / 10,000)` LST go to the slash recipient.
    fn slash(&mut self, operator: Address, bps: u64, ledger: &mut Erc20Ledger) -> U256 {
        let pool = self.pools.entry(operator).or_default();
        let amount = bps_up(pool.stake, bps);
        pool.stake -= amount;
        shift(ledger, MANAGER, SINK, amount);
        amount
    }

    /// Rewards staked for the pool (the manager's `depositRewards`): new LST joins the stake.
    fn gain(&mut self, operator: Address, amount: U256, ledger: &mut Erc20Ledger) {
        self.pools.entry(operator).or_default().stake += amount;
        ledger.supply += amount;
        *ledger.balances.entry(MANAGER).or_default() += amount;
    }
}

/// Moves LST between holders in the ledger without a call (and without a `Transfer` log,
/// which would otherwise surface at the next call to the token).
fn shift(ledger: &mut Erc20Ledger, from: Address, to: Address, value: U256) {
    let balance = ledger.balance_of(from);
    assert!(balance >= value, "shift: {from} holds {balance} < {value}");
    ledger.balances.insert(from, balance - value);
    *ledger.balances.entry(to).or_default() += value;
}

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// Everything a call could touch: the public views, the token ledger, the manager model and
/// the raw storage.
#[derive(Debug, PartialEq, Eq)]
struct State {
    idle: U256,
    targets: (Vec<Address>, Vec<u16>, u16),
    pending: Vec<U256>,
    positions: Vec<Address>,
    paused: bool,
    total_assets: Result<U256, AllocatorError>,
    lst: Vec<U256>,
    allowance: U256,
    model: ManagerModel,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// A deployed allocator between its models: the LRT holds 10,000 LST, three operators are
/// registered (forty in all for the bounds), the allocator and pauser roles are granted.
struct Fx {
    vm: MockHost,
    ledger: Rc<RefCell<Erc20Ledger>>,
    model: Rc<RefCell<ManagerModel>>,
    allocator: LrtAllocator,
}

/// A host with the token ledger and the manager model answering; the LRT holds 10,000 LST.
fn host() -> (
    MockHost,
    Rc<RefCell<Erc20Ledger>>,
    Rc<RefCell<ManagerModel>>,
) {
    let vm = MockHost::default();
    vm.set_contract_address(ALLOCATOR_ADDRESS);
    vm.set_sender(DEPLOYER);
    let ledger = Erc20Ledger::install(&vm, TOKEN, VAULT);
    {
        let mut ledger = ledger.borrow_mut();
        ledger.supply = eth(10_000);
        ledger.balances.insert(LRT, eth(10_000));
    }
    let model = Rc::new(RefCell::new(ManagerModel::new()));
    let (answers, tokens) = (Rc::clone(&model), Rc::clone(&ledger));
    vm.on_call(MANAGER, move |called| {
        answers
            .borrow_mut()
            .answer(called, &mut tokens.borrow_mut())
    });
    (vm, ledger, model)
}

impl Fx {
    fn new() -> Self {
        let (vm, ledger, model) = host();
        let mut allocator = LrtAllocator::from(&vm);
        allocator
            .constructor(ADMIN, LRT, MANAGER)
            .expect("constructor with non-zero addresses and a manager with a token");
        vm.set_sender(ADMIN);
        allocator
            .grant_role(ALLOCATOR_ROLE, ALLOCATOR)
            .expect("the admin grants");
        allocator
            .grant_role(PAUSER_ROLE, PAUSER)
            .expect("the admin grants");
        vm.clear_mocks();
        vm.clear_calls();
        Self {
            vm,
            ledger,
            model,
            allocator,
        }
    }

    /// 1,000 LST credited; targets OP1 60%, OP2 30%, buffer 10%.
    fn funded() -> Self {
        let mut f = Self::new();
        f.credit(eth(1_000));
        f.set_targets(&[OP1, OP2], &[6_000, 3_000], 1_000);
        f.settle();
        f
    }

    /// [`Self::funded`], then 600 LST delegated: 400 to OP1, 200 to OP2.
    fn delegated() -> Self {
        let mut f = Self::funded();
        f.delegate(eth(600));
        f.settle();
        f
    }

    /// Forgets the logs and calls so far.
    fn settle(&self) {
        self.vm.clear_mocks();
        self.vm.clear_calls();
    }

    fn as_(&self, who: Address) {
        self.vm.set_sender(who);
    }

    /// The LRT moves `assets` LST here and credits them; the credit answers `totalAssets`
    /// before it.
    fn credit(&mut self, assets: U256) {
        shift(
            &mut self.ledger.borrow_mut(),
            LRT,
            ALLOCATOR_ADDRESS,
            assets,
        );
        self.as_(LRT);
        let before = self.allocator.total_assets().expect("totalAssets");
        assert_eq!(self.allocator.credit(assets), Ok(before));
    }

    fn set_targets(&mut self, operators: &[Address], weights: &[u16], buffer: u16) {
        self.as_(ALLOCATOR);
        self.allocator
            .set_targets(operators.to_vec(), weights.to_vec(), buffer)
            .expect("setTargets");
    }

    fn delegate(&mut self, assets: U256) {
        self.as_(ALLOCATOR);
        self.allocator.delegate(assets).expect("delegate");
    }

    fn undelegate(&mut self, operator: Address, shares: U256) -> U256 {
        self.as_(ALLOCATOR);
        self.allocator
            .undelegate(operator, shares)
            .expect("undelegate")
    }

    fn pause(&mut self) {
        self.as_(PAUSER);
        self.allocator.pause().expect("the pauser pauses");
    }

    fn donate(&self, assets: U256) {
        let mut ledger = self.ledger.borrow_mut();
        ledger.supply += assets;
        *ledger.balances.entry(ALLOCATOR_ADDRESS).or_default() += assets;
    }

    fn lst(&self, who: Address) -> U256 {
        self.ledger.borrow().balance_of(who)
    }

    fn held(&self, operator: Address) -> U256 {
        self.model.borrow().held(ALLOCATOR_ADDRESS, operator)
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }

    /// The calls made to `to`, in order.
    fn calls_to(&self, to: Address) -> Vec<Called> {
        self.vm.calls().into_iter().filter(|c| c.to == to).collect()
    }

    /// The mutating calls made to the manager, as (selector, first two words).
    fn manager_actions(&self) -> Vec<([u8; 4], B256, B256)> {
        self.calls_to(MANAGER)
            .into_iter()
            .filter(|c| !c.is_static)
            .map(|c| (c.selector(), c.word(0), c.word(1)))
            .collect()
    }
}

impl Fixture for Fx {
    type Contract = LrtAllocator;
    type Error = AllocatorError;
    type State = State;
    type Models = (Erc20Ledger, ManagerModel);

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut LrtAllocator {
        &mut self.allocator
    }

    fn state(&self) -> State {
        let a = &self.allocator;
        State {
            idle: a.idle(),
            targets: a.targets(),
            pending: a.pending_withdrawals(),
            positions: a.positions(),
            paused: a.paused(),
            total_assets: a.total_assets(),
            lst: HOLDERS.iter().map(|&h| self.lst(h)).collect(),
            allowance: self
                .ledger
                .borrow()
                .allowances
                .get(&(ALLOCATOR_ADDRESS, MANAGER))
                .copied()
                .unwrap_or_default(),
            model: self.model.borrow().clone(),
            storage: nonzero_storage(&self.vm),
        }
    }

    fn save_models(&self) -> (Erc20Ledger, ManagerModel) {
        (self.ledger.borrow().clone(), self.model.borrow().clone())
    }

    fn restore_models(&mut self, models: (Erc20Ledger, ManagerModel)) {
        let (ledger, model) = models;
        *self.ledger.borrow_mut() = ledger;
        *self.model.borrow_mut() = model;
    }
}

fn unauthorized(account: Address, role: B256) -> AllocatorError {
    AllocatorError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn not_lrt(caller: Address) -> AllocatorError {
    AllocatorError::NotLrt(AllocatorNotLrt { caller })
}

fn zero_amount() -> AllocatorError {
    AllocatorError::ZeroAmount(AllocatorZeroAmount {})
}

fn insufficient_idle(needed: U256, idle: U256) -> AllocatorError {
    AllocatorError::InsufficientIdle(AllocatorInsufficientIdle { needed, idle })
}

/// The parts [`Fx::delegated`] put in: 600 × 6,000 / 9,000 and 600 × 3,000 / 9,000.
const PART1: u64 = 400;
const PART2: u64 = 200;

// ---------------------------------------------------------------------------------------------
// Selectors and constructor
// ---------------------------------------------------------------------------------------------

#[test]
fn selectors_are_those_of_their_signatures() {
    let cases: [([u8; 4], &str); 9] = [
        (manager_selectors::TOKEN, "token()"),
        (manager_selectors::IS_OPERATOR, "isOperator(address)"),
        (manager_selectors::DELEGATE, "delegate(address,uint256)"),
        (manager_selectors::UNDELEGATE, "undelegate(address,uint256)"),
        (
            manager_selectors::COMPLETE_WITHDRAWAL,
            "completeWithdrawal(uint256)",
        ),
        (
            manager_selectors::STAKER_SHARES,
            "stakerShares(address,address)",
        ),
        (
            manager_selectors::POSITIONS_VALUE,
            "positionsValue(address,address[],uint256[])",
        ),
        (erc20_selectors::APPROVE, "approve(address,uint256)"),
        (erc20_selectors::TRANSFER, "transfer(address,uint256)"),
    ];
    for (selector, signature) in cases {
        assert_eq!(selector, keccak256(signature)[..4], "{signature}");
    }
    // What the LRT calls here is this contract's ABI.
    assert_eq!(
        lrt_allocator_selectors::CREDIT,
        keccak256("credit(uint256)")[..4]
    );
    assert_eq!(
        lrt_allocator_selectors::RELEASE,
        keccak256("release(uint256)")[..4]
    );
    assert_eq!(
        lrt_allocator_selectors::TOTAL_ASSETS,
        keccak256("totalAssets()")[..4]
    );
}

#[test]
fn constructor_binds_the_neighbours_approves_the_manager_and_keeps_everything_idle() {
    let (vm, ledger, _) = host();
    let mut allocator = LrtAllocator::from(&vm);
    assert_eq!(allocator.constructor(ADMIN, LRT, MANAGER), Ok(()));
    assert_eq!(allocator.lrt(), LRT);
    assert_eq!(allocator.manager(), MANAGER);
    assert_eq!(allocator.token(), TOKEN, "read from the manager's token()");
    assert_eq!(allocator.idle(), U256::ZERO);
    assert_eq!(allocator.targets(), (vec![], vec![], 10_000));
    assert_eq!(allocator.pending_withdrawals(), Vec::<U256>::new());
    assert_eq!(allocator.positions(), Vec::<Address>::new());
    assert_eq!(allocator.total_assets(), Ok(U256::ZERO));
    assert!(allocator.has_role(B256::ZERO, ADMIN));
    assert!(!allocator.has_role(B256::ZERO, DEPLOYER));
    assert!(!allocator.paused());
    assert_eq!(
        ledger
            .borrow()
            .allowances
            .get(&(ALLOCATOR_ADDRESS, MANAGER)),
        Some(&U256::MAX)
    );
    let calls = vm.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[0].to, calls[0].is_static), (MANAGER, true));
    assert_eq!(calls[0].data, manager_selectors::TOKEN.to_vec());
    assert_eq!((calls[1].to, calls[1].is_static), (TOKEN, false));
    assert_eq!(calls[1].selector(), erc20_selectors::APPROVE);
    assert_eq!(
        (calls[1].address(0), calls[1].amount(1)),
        (MANAGER, U256::MAX)
    );
    assert_logs(
        &vm.get_emitted_logs(),
        &[
            log(&RoleGranted {
                role: B256::ZERO,
                account: ADMIN,
                sender: DEPLOYER,
            }),
            log(&Approval {
                owner: ALLOCATOR_ADDRESS,
                spender: MANAGER,
                value: U256::MAX,
            }),
        ],
    );
}

#[test]
fn constructor_rejects_a_zero_address() {
    let addresses = [ADMIN, LRT, MANAGER];
    for zero in 0..addresses.len() {
        let (vm, _, _) = host();
        let mut args = addresses;
        args[zero] = Address::ZERO;
        let mut allocator = LrtAllocator::from(&vm);
        assert_eq!(
            allocator.constructor(args[0], args[1], args[2]),
            Err(AllocatorError::ZeroAddress(AllocatorZeroAddress {})),
            "argument {zero}"
        );
        assert!(vm.snapshot().storage.values().all(B256::is_zero));
        assert!(vm.calls().is_empty());
    }
}

#[test]
fn constructor_rejects_a_manager_without_a_token() {
    for answer in [Ok(B256::ZERO.to_vec()), Ok(Vec::new()), Err(b"no".to_vec())] {
        let vm = MockHost::default();
        vm.set_contract_address(ALLOCATOR_ADDRESS);
        vm.on_call(MANAGER, move |_| answer.clone());
        let mut allocator = LrtAllocator::from(&vm);
        assert_eq!(
            allocator.constructor(ADMIN, LRT, MANAGER),
            Err(AllocatorError::TokenNotSet(AllocatorTokenNotSet {
                manager: MANAGER
            }))
        );
        assert!(vm.snapshot().storage.values().all(B256::is_zero));
    }
}

#[test]
fn constructor_fails_when_the_token_refuses_the_approval() {
    let vm = MockHost::default();
    vm.set_contract_address(ALLOCATOR_ADDRESS);
    vm.on_call(MANAGER, |_| Ok(TOKEN.into_word().to_vec()));
    vm.on_call(TOKEN, |_| Err(b"approve refused".to_vec()));
    let mut allocator = LrtAllocator::from(&vm);
    assert_eq!(
        allocator.constructor(ADMIN, LRT, MANAGER),
        Err(AllocatorError::Reverted(b"approve refused".to_vec())),
        "the deployment reverts with the token's revert data"
    );
}

// ---------------------------------------------------------------------------------------------
// credit and release
// ---------------------------------------------------------------------------------------------

#[test]
fn credit_counts_the_lst_as_idle() {
    let mut f = Fx::new();
    shift(&mut f.ledger.borrow_mut(), LRT, ALLOCATOR_ADDRESS, eth(300));
    f.as_(LRT);
    assert_eq!(
        f.allocator.credit(eth(300)),
        Ok(U256::ZERO),
        "nothing managed before"
    );
    assert_eq!(f.allocator.idle(), eth(300));
    assert_eq!(f.allocator.total_assets(), Ok(eth(300)));
    assert!(f.vm.calls().is_empty(), "credit calls nothing");
    assert_logs(&f.take_logs(), &[credited(eth(300), eth(300))]);
    assert_eq!(f.allocator.credit(wei(7)), Ok(eth(300)));
    assert_eq!(f.allocator.idle(), eth(300) + wei(7));
    assert_logs(&f.take_logs(), &[credited(wei(7), eth(300) + wei(7))]);
    assert_eq!(
        f.allocator.credit(U256::ZERO),
        Ok(eth(300) + wei(7)),
        "zero credits nothing"
    );
    assert_eq!(f.allocator.idle(), eth(300) + wei(7));
}

#[test]
fn donations_change_neither_idle_nor_total_assets() {
    let mut f = Fx::delegated();
    let before = (f.allocator.idle(), f.allocator.total_assets());
    f.donate(eth(5_000));
    assert_eq!((f.allocator.idle(), f.allocator.total_assets()), before);
    // Nor can the donation be released: only counted idle LST leaves.
    f.as_(LRT);
    let idle = f.allocator.idle();
    f.rejects(insufficient_idle(idle + wei(1), idle), |a| {
        a.release(idle + wei(1))
    });
}

#[test]
fn release_sends_idle_lst_to_the_lrt() {
    let mut f = Fx::funded();
    f.as_(LRT);
    assert_eq!(f.allocator.release(eth(250)), Ok(()));
    assert_eq!(f.allocator.idle(), eth(750));
    assert_eq!(f.lst(LRT), eth(9_250));
    assert_eq!(f.lst(ALLOCATOR_ADDRESS), eth(750));
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!((calls[0].to, calls[0].is_static), (TOKEN, false));
    assert_eq!(calls[0].selector(), erc20_selectors::TRANSFER);
    assert_eq!((calls[0].address(0), calls[0].amount(1)), (LRT, eth(250)));
    assert_logs(
        &f.take_logs(),
        &[
            log(&Transfer {
                from: ALLOCATOR_ADDRESS,
                to: LRT,
                value: eth(250),
            }),
            log(&Released {
                assets: eth(250),
                idle: eth(750),
            }),
        ],
    );
    // All of it, then nothing more.
    assert_eq!(f.allocator.release(eth(750)), Ok(()));
    assert_eq!(f.allocator.idle(), U256::ZERO);
    f.settle();
    assert_eq!(f.allocator.release(U256::ZERO), Ok(()), "zero is a no-op");
    assert!(f.vm.calls().is_empty(), "no transfer of zero");
    assert_logs(
        &f.take_logs(),
        &[log(&Released {
            assets: U256::ZERO,
            idle: U256::ZERO,
        })],
    );
}

#[test]
fn release_never_takes_delegated_lst() {
    let mut f = Fx::delegated();
    // 400 idle, 600 delegated: the LRT may take the idle part only.
    assert_eq!(f.allocator.idle(), eth(400));
    f.as_(LRT);
    f.rejects(insufficient_idle(eth(401), eth(400)), |a| {
        a.release(eth(401))
    });
    assert_eq!(f.allocator.release(eth(400)), Ok(()));
}

#[test]
fn credit_and_release_are_for_the_lrt_only() {
    let mut f = Fx::funded();
    for caller in [STRANGER, ALLOCATOR, ADMIN, MANAGER] {
        f.as_(caller);
        f.rejects(not_lrt(caller), |a| a.credit(eth(1)));
        f.rejects(not_lrt(caller), |a| a.release(eth(1)));
    }
}

#[test]
fn the_lrt_can_credit_and_release_while_paused() {
    let mut f = Fx::funded();
    f.pause();
    f.as_(LRT);
    assert_eq!(f.allocator.release(eth(100)), Ok(()));
    f.credit(eth(100));
    assert_eq!(f.allocator.idle(), eth(1_000));
}

#[test]
fn credit_overflow_is_rejected() {
    let mut f = Fx::funded();
    f.as_(LRT);
    f.rejects(
        AllocatorError::Overflow(lsr_common::math::MathOverflow {}),
        |a| a.credit(U256::MAX),
    );
    // Idle is kept in 96 bits: up to 2^96 − 1 is counted, one wei more is refused.
    let room = (U256::from(1) << 96) - U256::from(1) - f.allocator.idle();
    f.rejects(
        AllocatorError::Overflow(lsr_common::math::MathOverflow {}),
        |a| a.credit(room + U256::from(1)),
    );
    let before = f.allocator.total_assets().expect("totalAssets");
    assert_eq!(f.allocator.credit(room), Ok(before));
    assert_eq!(f.allocator.idle(), (U256::from(1) << 96) - U256::from(1));
}

// ---------------------------------------------------------------------------------------------
// setTargets
// ---------------------------------------------------------------------------------------------

#[test]
fn set_targets_records_operators_weights_and_buffer() {
    let mut f = Fx::new();
    f.as_(ALLOCATOR);
    assert_eq!(
        f.allocator
            .set_targets(vec![OP2, OP1, OP3], vec![5_000, 2_500, 500], 2_000),
        Ok(())
    );
    assert_eq!(
        f.allocator.targets(),
        (vec![OP2, OP1, OP3], vec![5_000, 2_500, 500], 2_000)
    );
    let reads = f.calls_to(MANAGER);
    assert!(reads.iter().all(|c| c.is_static));
    assert_eq!(
        reads
            .iter()
            .map(|c| (c.selector(), c.address(0)))
            .collect::<Vec<_>>(),
        [OP2, OP1, OP3].map(|op| (manager_selectors::IS_OPERATOR, op))
    );
    assert_logs(
        &f.take_logs(),
        &[log(&TargetsSet {
            operators: vec![OP2, OP1, OP3],
            weightsBps: vec![5_000, 2_500, 500],
            bufferBps: 2_000,
        })],
    );
    // Replacing a longer list by a shorter one leaves nothing of the old one.
    assert_eq!(
        f.allocator.set_targets(vec![OP3], vec![9_000], 1_000),
        Ok(())
    );
    assert_eq!(f.allocator.targets(), (vec![OP3], vec![9_000], 1_000));
    // No targets and everything idle.
    assert_eq!(f.allocator.set_targets(vec![], vec![], 10_000), Ok(()));
    assert_eq!(f.allocator.targets(), (vec![], vec![], 10_000));
    assert_logs(
        &f.take_logs()[1..],
        &[log(&TargetsSet {
            operators: vec![],
            weightsBps: vec![],
            bufferBps: 10_000,
        })],
    );
}

#[test]
fn set_targets_with_the_most_operators() {
    let mut f = Fx::new();
    let operators: Vec<Address> = (1..=16).map(operator).collect();
    f.set_targets(&operators, &[625; 16], 0);
    assert_eq!(f.allocator.targets(), (operators, vec![625; 16], 0));
}

#[test]
fn set_targets_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, ALLOCATOR_ROLE), |a| {
        a.set_targets(vec![OP1], vec![9_000], 1_000)
    });
    f.as_(ADMIN);
    f.rejects(unauthorized(ADMIN, ALLOCATOR_ROLE), |a| {
        a.set_targets(vec![OP1], vec![9_000], 1_000)
    });
    f.as_(ALLOCATOR);
    f.rejects(
        AllocatorError::LengthMismatch(AllocatorLengthMismatch {
            operators: wei(2),
            weights: wei(1),
        }),
        |a| a.set_targets(vec![OP1, OP2], vec![9_000], 1_000),
    );
    f.rejects(
        AllocatorError::TooManyTargets(AllocatorTooManyTargets {
            count: wei(17),
            maximum: wei(16),
        }),
        |a| a.set_targets((1..=17).map(operator).collect(), vec![500; 17], 1_500),
    );
    f.rejects(
        AllocatorError::DuplicateOperator(AllocatorDuplicateOperator { operator: OP1 }),
        |a| a.set_targets(vec![OP1, OP2, OP1], vec![3_000; 3], 1_000),
    );
    f.rejects(
        AllocatorError::ZeroWeight(AllocatorZeroWeight { operator: OP2 }),
        |a| a.set_targets(vec![OP1, OP2], vec![9_000, 0], 1_000),
    );
    for (weights, buffer, sum) in [
        (vec![6_000, 3_000], 999, 9_999),
        (vec![6_000, 3_000], 1_001, 10_001),
        (vec![u16::MAX, u16::MAX], u16::MAX, 3 * 65_535),
    ] {
        f.rejects(
            AllocatorError::InvalidWeightSum(AllocatorInvalidWeightSum { sum: wei(sum) }),
            |a| a.set_targets(vec![OP1, OP2], weights, buffer),
        );
    }
    f.rejects(
        AllocatorError::InvalidWeightSum(AllocatorInvalidWeightSum { sum: wei(0) }),
        |a| a.set_targets(vec![], vec![], 0),
    );
    for unknown in [UNREGISTERED, Address::ZERO] {
        f.rejects(
            AllocatorError::UnknownOperator(AllocatorUnknownOperator { operator: unknown }),
            |a| a.set_targets(vec![OP1, unknown], vec![6_000, 3_000], 1_000),
        );
    }
    // An operator the manager deregistered can no longer be a target.
    f.model.borrow_mut().operators.remove(&OP2);
    f.rejects(
        AllocatorError::UnknownOperator(AllocatorUnknownOperator { operator: OP2 }),
        |a| a.set_targets(vec![OP2], vec![9_000], 1_000),
    );
}

#[test]
fn set_targets_bounds_the_operators_total_assets_reads() {
    let mut f = Fx::new();
    f.credit(eth(1_000));
    // Two rounds of sixteen targets, each delegated to: 32 positions.
    for round in 0..2_u8 {
        let operators: Vec<Address> = (1..=16).map(|n| operator(16 * round + n)).collect();
        f.set_targets(&operators, &[600; 16], 400);
        f.delegate(eth(100));
    }
    assert_eq!(f.allocator.positions().len(), MAX_POSITIONS);
    f.as_(ALLOCATOR);
    // Keeping within the 32 positions is fine; one operator more is not.
    assert_eq!(
        f.allocator
            .set_targets(vec![operator(1)], vec![9_000], 1_000),
        Ok(())
    );
    f.rejects(
        AllocatorError::TooManyPositions(AllocatorTooManyPositions {
            count: wei(33),
            maximum: wei(32),
        }),
        |a| a.set_targets(vec![operator(33)], vec![9_000], 1_000),
    );
    // Closing one position makes room.
    let held = f.held(operator(2));
    f.undelegate(operator(2), held);
    f.as_(ALLOCATOR);
    assert_eq!(
        f.allocator
            .set_targets(vec![operator(33)], vec![9_000], 1_000),
        Ok(())
    );
}

// ---------------------------------------------------------------------------------------------
// delegate
// ---------------------------------------------------------------------------------------------

#[test]
fn delegate_splits_by_weight_through_the_manager() {
    let mut f = Fx::funded();
    f.as_(ALLOCATOR);
    assert_eq!(f.allocator.delegate(eth(600)), Ok(()));
    assert_eq!(f.allocator.idle(), eth(400));
    assert_eq!(f.lst(ALLOCATOR_ADDRESS), eth(400));
    assert_eq!(f.lst(MANAGER), eth(600));
    assert_eq!(f.allocator.positions(), vec![OP1, OP2]);
    assert_eq!(
        f.manager_actions(),
        vec![
            (
                manager_selectors::DELEGATE,
                OP1.into_word(),
                eth(PART1).into()
            ),
            (
                manager_selectors::DELEGATE,
                OP2.into_word(),
                eth(PART2).into()
            ),
        ]
    );
    // Empty pools: one share per LST.
    assert_eq!((f.held(OP1), f.held(OP2)), (eth(PART1), eth(PART2)));
    assert_logs(
        &f.take_logs(),
        &[
            delegated(OP1, eth(PART1), eth(PART1)),
            delegated(OP2, eth(PART2), eth(PART2)),
        ],
    );
    // The pools pay out `held × stake / (shares + 1e3)`: about 1e3 wei below what went in
    // per pool (the virtual shares' part).
    let value =
        value_of(eth(PART1), eth(PART1), eth(PART1)) + value_of(eth(PART2), eth(PART2), eth(PART2));
    assert_eq!(f.allocator.total_assets(), Ok(eth(400) + value));
    assert_eq!(eth(600) - value, wei(2_000));
}

#[test]
fn delegate_gives_the_rounding_remainder_to_the_first_operator() {
    let mut f = Fx::new();
    f.credit(eth(10));
    f.set_targets(&[OP1, OP2, OP3], &[3_000, 3_000, 3_000], 1_000);
    f.settle();
    // 100 wei in thirds: 33 each, and the remainder 1 to the first.
    f.delegate(wei(100));
    assert_eq!(
        f.manager_actions()
            .into_iter()
            .map(|(_, op, amount)| (Address::from_word(op), U256::from_be_bytes(amount.0)))
            .collect::<Vec<_>>(),
        vec![(OP1, wei(34)), (OP2, wei(33)), (OP3, wei(33))]
    );
    assert_eq!(f.allocator.idle(), eth(10) - wei(100));
}

#[test]
fn delegate_skips_operators_whose_part_is_zero() {
    let mut f = Fx::new();
    f.credit(eth(10));
    f.set_targets(&[OP1, OP2], &[9_999, 1], 0);
    f.settle();
    // 5 × 9,999 / 10,000 = 4 and 5 × 1 / 10,000 = 0; the remainder 1 goes to OP1.
    f.delegate(wei(5));
    assert_eq!(
        f.manager_actions(),
        vec![(manager_selectors::DELEGATE, OP1.into_word(), wei(5).into())]
    );
    assert_eq!(
        f.allocator.positions(),
        vec![OP1],
        "no position without shares"
    );
    assert_logs(&f.take_logs(), &[delegated(OP1, wei(5), wei(5))]);
}

#[test]
fn delegate_keeps_the_buffer_idle() {
    let mut f = Fx::funded();
    // totalAssets 1,000 and a 10% buffer: 900 may go, not a wei more.
    f.as_(ALLOCATOR);
    f.rejects(
        AllocatorError::BufferBreached(AllocatorBufferBreached {
            idleAfter: eth(100) - wei(1),
            buffer: eth(100),
        }),
        |a| a.delegate(eth(900) + wei(1)),
    );
    assert_eq!(f.allocator.delegate(eth(900)), Ok(()));
    assert_eq!(f.allocator.idle(), eth(100));
    // The buffer is measured on totalAssets now, which counts the delegated value (2e3 wei
    // below 900 after the pools' rounding), rounded up: 200 wei more may go, not 201.
    let total = f.allocator.total_assets().expect("view");
    assert_eq!(total, eth(1_000) - wei(2_000));
    let buffer = bps_up(total, 1_000);
    assert_eq!(buffer, eth(100) - wei(200));
    f.rejects(
        AllocatorError::BufferBreached(AllocatorBufferBreached {
            idleAfter: buffer - wei(1),
            buffer,
        }),
        |a| a.delegate(wei(201)),
    );
    assert_eq!(f.allocator.delegate(wei(200)), Ok(()));
}

#[test]
fn the_buffer_counts_positions_and_pending_withdrawals() {
    let mut f = Fx::delegated();
    let id = f.undelegate(OP2, f.held(OP2));
    f.credit(eth(100));
    let total = f.allocator.total_assets().expect("view");
    let queued = value_of(eth(PART2), eth(PART2), eth(PART2));
    assert_eq!(
        total,
        eth(500) + value_of(eth(PART1), eth(PART1), eth(PART1)) + queued
    );
    assert_eq!(f.allocator.pending_withdrawals(), vec![id]);
    let buffer = bps_up(total, 1_000);
    let most = eth(500) - buffer;
    f.as_(ALLOCATOR);
    f.rejects(
        AllocatorError::BufferBreached(AllocatorBufferBreached {
            idleAfter: buffer - wei(1),
            buffer,
        }),
        |a| a.delegate(most + wei(1)),
    );
    assert_eq!(f.allocator.delegate(most), Ok(()));
}

#[test]
fn delegate_errors_leave_everything_unchanged() {
    let mut f = Fx::funded();
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, ALLOCATOR_ROLE), |a| {
        a.delegate(eth(1))
    });
    f.as_(LRT);
    f.rejects(unauthorized(LRT, ALLOCATOR_ROLE), |a| a.delegate(eth(1)));
    f.as_(ALLOCATOR);
    f.rejects(zero_amount(), |a| a.delegate(U256::ZERO));
    f.rejects(insufficient_idle(eth(1_001), eth(1_000)), |a| {
        a.delegate(eth(1_001))
    });
    // A donation does not make more idle.
    f.donate(eth(1));
    f.rejects(insufficient_idle(eth(1_001), eth(1_000)), |a| {
        a.delegate(eth(1_001))
    });
    f.set_targets(&[], &[], 10_000);
    f.as_(ALLOCATOR);
    f.rejects(AllocatorError::NoTargets(AllocatorNoTargets {}), |a| {
        a.delegate(eth(1))
    });
    f.set_targets(&[OP1, OP2], &[6_000, 3_000], 1_000);
    f.pause();
    f.as_(ALLOCATOR);
    f.rejects(AllocatorError::EnforcedPause(EnforcedPause {}), |a| {
        a.delegate(eth(1))
    });
}

#[test]
fn delegate_reverts_with_the_managers_revert_data() {
    let mut f = Fx::funded();
    // The manager deregistered a target since `setTargets`: its revert passes through, and
    // the idle decrement and the first operator's delegation are rolled back.
    f.model.borrow_mut().operators.remove(&OP2);
    f.as_(ALLOCATOR);
    f.reverts(
        AllocatorError::Reverted(model_revert("unknown operator")),
        |a| a.delegate(eth(600)),
    );
    f.model.borrow_mut().operators.insert(OP2);
    // Without the approval the manager cannot pull: the token's revert data passes through.
    f.ledger
        .borrow_mut()
        .allowances
        .insert((ALLOCATOR_ADDRESS, MANAGER), U256::ZERO);
    f.reverts(
        AllocatorError::Reverted(
            ERC20InsufficientAllowance {
                spender: MANAGER,
                allowance: U256::ZERO,
                needed: eth(PART1),
            }
            .abi_encode(),
        ),
        |a| a.delegate(eth(600)),
    );
}

#[test]
fn delegate_reverts_when_the_manager_answers_without_shares() {
    let mut f = Fx::funded();
    // An address without code answers a call with nothing: never count that as zero shares.
    f.vm.on_call(MANAGER, |called| {
        if called.is_static {
            Ok(word(U256::ZERO))
        } else {
            Ok(Vec::new())
        }
    });
    f.as_(ALLOCATOR);
    f.reverts(AllocatorError::Reverted(Vec::new()), |a| {
        a.delegate(eth(600))
    });
}

// ---------------------------------------------------------------------------------------------
// undelegate and complete
// ---------------------------------------------------------------------------------------------

#[test]
fn undelegate_queues_a_withdrawal_and_records_its_id() {
    let mut f = Fx::delegated();
    let total = f.allocator.total_assets().expect("view");
    f.settle();
    f.as_(ALLOCATOR);
    let shares = eth(100);
    assert_eq!(
        f.allocator.undelegate(OP1, shares),
        Ok(U256::from(FIRST_ID))
    );
    assert_eq!(
        f.allocator.pending_withdrawals(),
        vec![U256::from(FIRST_ID)]
    );
    assert_eq!(
        f.allocator.positions(),
        vec![OP1, OP2],
        "OP1 still has shares"
    );
    assert_eq!(f.held(OP1), eth(PART1) - shares);
    assert_eq!(f.allocator.idle(), eth(400), "nothing comes home yet");
    assert_eq!(
        f.manager_actions(),
        vec![(
            manager_selectors::UNDELEGATE,
            OP1.into_word(),
            shares.into()
        )]
    );
    let reads = f.calls_to(MANAGER);
    assert_eq!(reads[0].selector(), manager_selectors::STAKER_SHARES);
    assert_eq!(
        (reads[0].address(0), reads[0].address(1)),
        (ALLOCATOR_ADDRESS, OP1)
    );
    assert_logs(
        &f.take_logs(),
        &[log(&UndelegationQueued {
            id: U256::from(FIRST_ID),
            operator: OP1,
            shares,
        })],
    );
    // The queued value stays counted: totalAssets moves by rounding only.
    let after = f.allocator.total_assets().expect("view");
    assert!(after <= total && total - after < wei(2));
}

#[test]
fn undelegating_every_share_closes_the_position() {
    let mut f = Fx::delegated();
    let first = f.undelegate(OP1, f.held(OP1));
    assert_eq!(f.allocator.positions(), vec![OP2]);
    let second = f.undelegate(OP2, eth(50));
    let third = f.undelegate(OP2, f.held(OP2));
    assert_eq!(f.allocator.positions(), Vec::<Address>::new());
    assert_eq!(
        f.allocator.pending_withdrawals(),
        vec![first, second, third]
    );
    assert_eq!(
        [first, second, third],
        [FIRST_ID, FIRST_ID + 3, FIRST_ID + 6].map(U256::from)
    );
    // OP1 and OP2 are still targets: totalAssets reads them anyway (zero shares).
    let value = f.model.borrow().value_of_staker(ALLOCATOR_ADDRESS);
    assert_eq!(f.allocator.total_assets(), Ok(eth(400) + value));
    // Delegating again reopens positions.
    f.delegate(eth(30));
    assert_eq!(f.allocator.positions(), vec![OP1, OP2]);
}

#[test]
fn undelegate_works_while_paused() {
    let mut f = Fx::delegated();
    f.pause();
    let id = f.undelegate(OP1, eth(1));
    assert_eq!(f.allocator.pending_withdrawals(), vec![id]);
}

#[test]
fn undelegate_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, ALLOCATOR_ROLE), |a| {
        a.undelegate(OP1, eth(1))
    });
    f.as_(ALLOCATOR);
    f.rejects(zero_amount(), |a| a.undelegate(OP1, U256::ZERO));
    f.rejects(
        AllocatorError::NoPosition(AllocatorNoPosition { operator: OP3 }),
        |a| a.undelegate(OP3, eth(1)),
    );
    f.rejects(
        AllocatorError::InsufficientShares(AllocatorInsufficientShares {
            shares: eth(PART1) + wei(1),
            held: eth(PART1),
        }),
        |a| a.undelegate(OP1, eth(PART1) + wei(1)),
    );
    // A pool slashed to nothing: the manager refuses a worthless withdrawal.
    let mut model = f.model.borrow_mut();
    let slashed = model.slash(OP2, 10_000, &mut f.ledger.borrow_mut());
    drop(model);
    assert_eq!(slashed, eth(PART2));
    f.as_(ALLOCATOR);
    f.reverts(AllocatorError::Reverted(model_revert("zero value")), |a| {
        a.undelegate(OP2, eth(PART2))
    });
}

#[test]
fn undelegate_stops_at_the_most_pending_withdrawals() {
    let mut f = Fx::delegated();
    for _ in 0..MAX_PENDING {
        f.undelegate(OP1, wei(1_000));
    }
    f.as_(ALLOCATOR);
    f.rejects(
        AllocatorError::TooManyPending(AllocatorTooManyPending { maximum: wei(32) }),
        |a| a.undelegate(OP1, wei(1_000)),
    );
    let first = f.allocator.pending_withdrawals()[0];
    assert_eq!(
        f.allocator.complete(first).map(|paid| paid > U256::ZERO),
        Ok(true)
    );
    f.undelegate(OP1, wei(1_000));
}

#[test]
fn complete_counts_what_the_manager_pays_as_idle() {
    let mut f = Fx::delegated();
    let id = f.undelegate(OP2, eth(PART2));
    let paid = value_of(eth(PART2), eth(PART2), eth(PART2));
    f.settle();
    f.as_(ALLOCATOR);
    assert_eq!(f.allocator.complete(id), Ok(paid));
    assert_eq!(f.allocator.idle(), eth(400) + paid);
    assert_eq!(f.lst(ALLOCATOR_ADDRESS), eth(400) + paid);
    assert_eq!(f.allocator.pending_withdrawals(), Vec::<U256>::new());
    assert_eq!(
        f.manager_actions(),
        vec![(
            manager_selectors::COMPLETE_WITHDRAWAL,
            id.into(),
            B256::ZERO
        )]
    );
    assert_logs(
        &f.take_logs(),
        &[log(&UndelegationCompleted {
            id,
            assets: paid,
            idle: eth(400) + paid,
        })],
    );
    f.rejects(
        AllocatorError::UnknownWithdrawal(AllocatorUnknownWithdrawal { id }),
        |a| a.complete(id),
    );
}

#[test]
fn a_slash_while_queued_is_borne_by_the_allocator() {
    let mut f = Fx::delegated();
    let id = f.undelegate(OP1, eth(200));
    let before = f.allocator.total_assets().expect("view");
    let taken = f
        .model
        .borrow_mut()
        .slash(OP1, 1_000, &mut f.ledger.borrow_mut());
    let after = f.allocator.total_assets().expect("view");
    assert!(after < before && before - after <= taken);
    let pool = f.model.borrow().pool(OP1);
    let paid = value_of(eth(200), pool.stake, pool.shares);
    f.as_(ALLOCATOR);
    assert_eq!(f.allocator.complete(id), Ok(paid));
    assert!(paid < eth(200) * U256::from(9) / U256::from(10) + wei(1));
}

#[test]
fn complete_works_while_paused_and_keeps_the_other_ids() {
    let mut f = Fx::delegated();
    let ids: Vec<U256> = (0..3).map(|_| f.undelegate(OP1, eth(10))).collect();
    f.pause();
    f.as_(ALLOCATOR);
    let mut paid = U256::ZERO;
    let mut complete = |f: &mut Fx, id: U256| {
        let expected = {
            let model = f.model.borrow();
            model.payout(&model.withdrawals[&id])
        };
        assert_eq!(f.allocator.complete(id), Ok(expected));
        paid += expected;
    };
    complete(&mut f, ids[0]);
    // The last id moved into the freed place.
    assert_eq!(f.allocator.pending_withdrawals(), vec![ids[2], ids[1]]);
    complete(&mut f, ids[1]);
    assert_eq!(f.allocator.pending_withdrawals(), vec![ids[2]]);
    complete(&mut f, ids[2]);
    assert_eq!(f.allocator.pending_withdrawals(), Vec::<U256>::new());
    assert_eq!(f.allocator.idle(), eth(400) + paid);
    assert!(
        eth(30) - paid < wei(4_000),
        "30 LST of shares, less the pool's rounding"
    );
}

#[test]
fn complete_errors_leave_everything_unchanged() {
    let mut f = Fx::delegated();
    let id = f.undelegate(OP1, eth(10));
    f.as_(STRANGER);
    f.rejects(unauthorized(STRANGER, ALLOCATOR_ROLE), |a| a.complete(id));
    f.as_(ALLOCATOR);
    for unknown in [U256::ZERO, id + wei(1), U256::MAX] {
        f.rejects(
            AllocatorError::UnknownWithdrawal(AllocatorUnknownWithdrawal { id: unknown }),
            |a| a.complete(unknown),
        );
    }
    // The manager's delay has not passed: its revert passes through, the id stays pending.
    f.model.borrow_mut().not_ready = true;
    f.reverts(AllocatorError::Reverted(model_revert("not ready")), |a| {
        a.complete(id)
    });
    assert_eq!(f.allocator.pending_withdrawals(), vec![id]);
}

// ---------------------------------------------------------------------------------------------
// totalAssets, pause and views
// ---------------------------------------------------------------------------------------------

#[test]
fn total_assets_counts_idle_positions_and_pending_withdrawals() {
    let mut f = Fx::delegated();
    f.undelegate(OP1, eth(100));
    // OP2 leaves the targets but keeps its position; OP3 is a target without shares.
    f.set_targets(&[OP1, OP3], &[5_000, 4_000], 1_000);
    f.model
        .borrow_mut()
        .gain(OP2, eth(20), &mut f.ledger.borrow_mut());
    f.settle();
    let expected = eth(400) + f.model.borrow().value_of_staker(ALLOCATOR_ADDRESS);
    assert_eq!(f.allocator.total_assets(), Ok(expected));
    // One static call reads the positions and the pending withdrawal; OP3, a target without
    // a position, holds none of this contract's shares and is not asked for.
    let reads = f.calls_to(MANAGER);
    assert_eq!(reads.len(), 1);
    assert!(reads[0].is_static);
    let call = positionsValueCall::abi_decode_validate(&reads[0].data).expect("valid");
    assert_eq!(call.staker, ALLOCATOR_ADDRESS);
    assert_eq!(call.operators, vec![OP1, OP2]);
    assert_eq!(call.withdrawalIds, vec![U256::from(FIRST_ID)]);
}

#[test]
fn credit_answers_total_assets_before_it_with_one_manager_read() {
    let mut f = Fx::delegated();
    f.undelegate(OP1, eth(100));
    f.settle();
    let before = f.allocator.total_assets().expect("totalAssets");
    let idle = f.allocator.idle();
    shift(&mut f.ledger.borrow_mut(), LRT, ALLOCATOR_ADDRESS, eth(3));
    f.vm.clear_calls();
    f.as_(LRT);
    assert_eq!(f.allocator.credit(eth(3)), Ok(before));
    assert_eq!(f.allocator.idle(), idle + eth(3));
    assert_eq!(f.allocator.total_assets(), Ok(before + eth(3)));
    let reads = f.calls_to(MANAGER);
    assert_eq!(reads.len(), 2, "credit's read, then the view's");
    assert!(reads[0].is_static);
    let call = positionsValueCall::abi_decode_validate(&reads[0].data).expect("valid");
    assert_eq!(call.operators, vec![OP1, OP2]);
    assert_eq!(call.withdrawalIds, vec![U256::from(FIRST_ID)]);
}

#[test]
fn a_credit_the_manager_cannot_price_is_refused_and_counts_nothing() {
    let mut f = Fx::delegated();
    let idle = f.allocator.idle();
    f.vm.on_call(MANAGER, |_| Err(b"manager down".to_vec()));
    f.as_(LRT);
    f.rejects(AllocatorError::Reverted(b"manager down".to_vec()), |a| {
        a.credit(eth(1))
    });
    assert_eq!(f.allocator.idle(), idle);
}

#[test]
fn total_assets_with_nothing_delegated_is_idle_without_a_manager_call() {
    let f = Fx::funded();
    f.settle();
    assert_eq!(f.allocator.total_assets(), Ok(f.allocator.idle()));
    assert!(f.calls_to(MANAGER).is_empty());
}

#[test]
fn total_assets_fails_rather_than_undercount() {
    let mut f = Fx::delegated();
    f.vm.on_call(MANAGER, |_| Err(b"manager down".to_vec()));
    assert_eq!(
        f.allocator.total_assets(),
        Err(AllocatorError::Reverted(b"manager down".to_vec()))
    );
    f.vm.on_call(MANAGER, |_| Ok(Vec::new()));
    assert_eq!(
        f.allocator.total_assets(),
        Err(AllocatorError::Reverted(Vec::new()))
    );
    // And so does a delegation, which measures the buffer on it.
    f.as_(ALLOCATOR);
    f.rejects(AllocatorError::Reverted(Vec::new()), |a| a.delegate(eth(1)));
}

#[test]
fn pause_is_for_the_pauser_and_unpause_for_the_admin() {
    let mut f = Fx::funded();
    f.as_(ALLOCATOR);
    f.rejects(unauthorized(ALLOCATOR, PAUSER_ROLE), LrtAllocator::pause);
    f.pause();
    assert!(f.allocator.paused());
    f.as_(PAUSER);
    f.rejects(unauthorized(PAUSER, B256::ZERO), LrtAllocator::unpause);
    f.as_(ADMIN);
    assert_eq!(f.allocator.unpause(), Ok(()));
    f.delegate(eth(9));
}

// ---------------------------------------------------------------------------------------------
// Stateful properties
// ---------------------------------------------------------------------------------------------

/// One step of the stateful test.
#[derive(Debug, Clone)]
enum Step {
    Credit {
        milli: u64,
    },
    Donate {
        milli: u64,
    },
    /// Release `percent` of idle (above 100: more than idle).
    Release {
        percent: u16,
    },
    /// Delegate `percent` of idle.
    Delegate {
        percent: u16,
    },
    Undelegate {
        operator: usize,
        percent: u16,
    },
    Complete {
        index: usize,
    },
    Slash {
        operator: usize,
        bps: u16,
    },
    Gain {
        operator: usize,
        milli: u64,
    },
    Targets {
        choice: usize,
    },
}

const POOL_OPERATORS: [Address; 3] = [OP1, OP2, OP3];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1..5_000_000_u64).prop_map(|milli| Step::Credit { milli }),
        (1..1_000_000_u64).prop_map(|milli| Step::Donate { milli }),
        (0..=120_u16).prop_map(|percent| Step::Release { percent }),
        (1..=100_u16).prop_map(|percent| Step::Delegate { percent }),
        (0..3_usize, 1..=100_u16)
            .prop_map(|(operator, percent)| Step::Undelegate { operator, percent }),
        (0..8_usize).prop_map(|index| Step::Complete { index }),
        (0..3_usize, 1..=10_000_u16).prop_map(|(operator, bps)| Step::Slash { operator, bps }),
        (0..3_usize, 1..100_000_u64).prop_map(|(operator, milli)| Step::Gain { operator, milli }),
        (0..4_usize).prop_map(|choice| Step::Targets { choice }),
    ]
}

/// LST movements the test made, to check `idle` against.
#[derive(Debug, Default)]
struct Tracked {
    credited: U256,
    released: U256,
    delegated: U256,
    completed: U256,
    donated: U256,
}

fn milli(n: u64) -> U256 {
    U256::from(n) * WAD / U256::from(1_000)
}

fn percent_of(amount: U256, percent: u16) -> U256 {
    amount * U256::from(percent) / U256::from(100)
}

/// Runs one step as a transaction; checks what the step itself promises.
fn run(f: &mut Fx, step: &Step, t: &mut Tracked) {
    match *step {
        Step::Credit { milli: n } => {
            // A deposit into the LRT brings the LST it credits here.
            {
                let mut ledger = f.ledger.borrow_mut();
                ledger.supply += milli(n);
                *ledger.balances.entry(LRT).or_default() += milli(n);
            }
            f.credit(milli(n));
            t.credited += milli(n);
        }
        Step::Donate { milli: n } => {
            f.donate(milli(n));
            t.donated += milli(n);
        }
        Step::Release { percent } => {
            let idle = f.allocator.idle();
            let amount = percent_of(idle, percent);
            let lrt = f.lst(LRT);
            f.as_(LRT);
            match f.attempt(|a| a.release(amount)) {
                Ok(()) => {
                    assert!(amount <= idle, "release never exceeds idle");
                    assert_eq!(f.lst(LRT), lrt + amount);
                    t.released += amount;
                }
                Err(error) => {
                    assert!(amount > idle);
                    assert_eq!(error, insufficient_idle(amount, idle));
                }
            }
        }
        Step::Delegate { percent } => run_delegate(f, percent, t),
        Step::Undelegate { operator, percent } => run_undelegate(f, operator, percent),
        Step::Complete { index } => {
            let pending = f.allocator.pending_withdrawals();
            let Some(&id) = pending.get(index) else {
                return;
            };
            let expected = {
                let model = f.model.borrow();
                model.payout(&model.withdrawals[&id])
            };
            f.as_(ALLOCATOR);
            let paid = f.attempt(|a| a.complete(id)).expect("complete");
            assert_eq!(paid, expected, "min(value at queue, value now)");
            t.completed += paid;
        }
        Step::Slash { operator, bps } => {
            let mut model = f.model.borrow_mut();
            model.slash(
                POOL_OPERATORS[operator],
                u64::from(bps),
                &mut f.ledger.borrow_mut(),
            );
        }
        Step::Gain { operator, milli: n } => {
            let mut model = f.model.borrow_mut();
            model.gain(
                POOL_OPERATORS[operator],
                milli(n),
                &mut f.ledger.borrow_mut(),
            );
        }
        Step::Targets { choice } => {
            let (operators, weights, buffer): (&[Address], &[u16], u16) = match choice {
                0 => (&[OP1, OP2], &[6_000, 3_000], 1_000),
                1 => (&[OP3], &[7_500], 2_500),
                2 => (&[OP2, OP3, OP1], &[100, 4_900, 5_000], 0),
                _ => (&[], &[], 10_000),
            };
            f.set_targets(operators, weights, buffer);
        }
    }
}

/// A delegation of `percent` of idle: it succeeds unless it would breach the buffer.
fn run_delegate(f: &mut Fx, percent: u16, t: &mut Tracked) {
    let idle = f.allocator.idle();
    let amount = percent_of(idle, percent);
    let total = f.allocator.total_assets().expect("view");
    let buffer = bps_up(total, u64::from(f.allocator.targets().2));
    f.as_(ALLOCATOR);
    match f.attempt(|a| a.delegate(amount)) {
        Ok(()) => {
            assert!(idle - amount >= buffer, "the buffer stays idle");
            t.delegated += amount;
        }
        Err(AllocatorError::BufferBreached(_)) => assert!(idle - amount < buffer),
        Err(AllocatorError::ZeroAmount(_)) => assert!(amount.is_zero()),
        Err(AllocatorError::NoTargets(_)) => assert!(f.allocator.targets().0.is_empty()),
        // A part too small for one share of a pool whose shares are worth more.
        Err(AllocatorError::Reverted(data)) => {
            assert_eq!(data, model_revert("zero shares"));
        }
        Err(other) => panic!("unexpected {other:?}"),
    }
}

/// An undelegation of `percent` of the shares held with pool operator `operator`.
fn run_undelegate(f: &mut Fx, operator: usize, percent: u16) {
    let operator = POOL_OPERATORS[operator];
    let shares = percent_of(f.held(operator), percent);
    f.as_(ALLOCATOR);
    match f.attempt(|a| a.undelegate(operator, shares)) {
        Ok(id) => assert!(f.allocator.pending_withdrawals().contains(&id)),
        Err(AllocatorError::ZeroAmount(_)) => assert!(shares.is_zero()),
        Err(AllocatorError::NoPosition(_)) => assert!(f.held(operator).is_zero()),
        Err(AllocatorError::TooManyPending(_)) => {
            assert_eq!(f.allocator.pending_withdrawals().len(), MAX_PENDING);
        }
        Err(AllocatorError::Reverted(data)) => {
            assert_eq!(data, model_revert("zero value"));
        }
        Err(other) => panic!("unexpected {other:?}"),
    }
}

/// The allocator's accounting against the model and the tracked movements.
fn check_invariants(f: &Fx, t: &Tracked) {
    let idle = f.allocator.idle();
    assert_eq!(
        idle,
        t.credited + t.completed - t.released - t.delegated,
        "idle = credited + completed − released − delegated"
    );
    assert_eq!(
        f.lst(ALLOCATOR_ADDRESS),
        idle + t.donated,
        "LST held = idle + donations"
    );
    let value = f.model.borrow().value_of_staker(ALLOCATOR_ADDRESS);
    assert_eq!(
        f.allocator.total_assets(),
        Ok(idle + value),
        "totalAssets = idle + Σ positions + Σ queued"
    );
    let model = f.model.borrow();
    let pending: BTreeSet<U256> = f.allocator.pending_withdrawals().into_iter().collect();
    let queued: BTreeSet<U256> = model
        .withdrawals
        .iter()
        .filter(|(_, w)| w.staker == ALLOCATOR_ADDRESS && !w.completed)
        .map(|(&id, _)| id)
        .collect();
    assert_eq!(
        pending, queued,
        "pending = the manager's uncompleted withdrawals"
    );
    let positions: BTreeSet<Address> = f.allocator.positions().into_iter().collect();
    let holding: BTreeSet<Address> = model
        .held
        .iter()
        .filter(|&(&(staker, _), held)| staker == ALLOCATOR_ADDRESS && !held.is_zero())
        .map(|(&(_, operator), _)| operator)
        .collect();
    assert_eq!(
        positions, holding,
        "positions = operators holding our shares"
    );
    let (operators, weights, buffer) = f.allocator.targets();
    assert_eq!(operators.len(), weights.len());
    assert_eq!(
        weights.iter().map(|&w| u64::from(w)).sum::<u64>() + u64::from(buffer),
        10_000
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any sequence of credits, donations, releases, delegations, undelegations, completions,
    /// slashes, gains and target changes keeps the allocator's accounting exact after every
    /// step.
    #[test]
    fn accounting_holds_under_any_sequence(steps in prop::collection::vec(step(), 1..40)) {
        let mut f = Fx::funded();
        let mut t = Tracked {
            credited: eth(1_000),
            ..Tracked::default()
        };
        for step in &steps {
            run(&mut f, step, &mut t);
            check_invariants(&f, &t);
        }
    }
}

/// Every function of the golden ABI is routed on chain, at its selector, payable where the ABI
/// says so (the SDK's `#[public]` declares the ABI; `lsr_common::router!` routes the calls).
#[test]
fn routes_are_the_golden_abi() {
    lsr_common::testing::assert_routes_match_abi(
        LrtAllocator::ROUTES,
        include_str!("../../../abi/lrt-allocator.json"),
    );
}
