//! The whole-suite invariant test: random sequences of every user, keeper, oracle, operator, AVS
//! and admin action over the deployed suite (release wasm of all nine contracts on the node),
//! with the six invariants of DESIGN.md checked after every step against the chain's state and a
//! ghost ledger built from the events. Failing sequences shrink to a minimal case.
//!
//! `LSR_INVARIANT_CASES` sets the number of sequences (default [`DEFAULT_CASES`]); the run writes
//! its figures to `target/invariants-report.txt`.

use std::{
    cell::{Cell, RefCell},
    collections::BTreeMap,
    fmt::Write as _,
};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use devnode::Receipt;
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};

use crate::suite::{
    abi, Allocations, Allocator, Erc20, Lrt, Manager, Permit, Registry, Suite, Vault, ADMIN,
    KEEPER, OPERATORS, ORACLE, SLASHER, TREASURY, USERS, VALIDATORS,
};
use crate::support::ether;

/// Sequences per run unless `LSR_INVARIANT_CASES` says otherwise.
const DEFAULT_CASES: u32 = 1_000;
/// Steps per sequence.
const STEPS: std::ops::RangeInclusive<usize> = 50..=60;
/// The virtual shares and assets of the vault, the pools and the LRT.
const VIRTUAL: u64 = 1_000;
const BPS: u64 = 10_000;
const YEAR: u64 = 365 * 24 * 3_600;

/// Events the ghost ledger follows, from the golden ABIs.
mod events {
    pub use crate::suite::abi::{
        lrt::ILrt as lrt, lst::ILstToken as token, manager::IRestakingManager as manager,
        vault::IStakingVault as vault,
    };
}

/// One step. Amounts are fractions (bps) of what the actor holds at that moment, so every
/// sequence stays meaningful whatever came before; indices wrap.
#[derive(Debug, Clone)]
enum Action {
    Stake {
        user: usize,
        milli_eth: u64,
    },
    Zap {
        user: usize,
        milli_eth: u64,
    },
    Deposit {
        user: usize,
        bps: u64,
    },
    Mint {
        user: usize,
        bps: u64,
    },
    PermitDeposit {
        user: usize,
        bps: u64,
        front_run: bool,
        /// The LRT's `depositWithPermit` (one transaction) instead of `permit`, then `deposit`.
        one_call: bool,
    },
    TransferLst {
        from: usize,
        to: usize,
        bps: u64,
    },
    TransferLrt {
        from: usize,
        to: usize,
        bps: u64,
    },
    Donate {
        user: usize,
        target: usize,
        milli_eth: u64,
    },
    Report {
        gain: bool,
        bps: u64,
        hours: u64,
    },
    FundValidators {
        bps: u64,
    },
    ReturnExited {
        bps: u64,
    },
    VaultRequest {
        user: usize,
        bps: u64,
    },
    VaultFinalize {
        pick: usize,
    },
    VaultClaim {
        pick: usize,
    },
    Delegate {
        user: usize,
        operator: usize,
        bps: u64,
    },
    Undelegate {
        user: usize,
        operator: usize,
        bps: u64,
    },
    Complete {
        pick: usize,
    },
    AllocatorDelegate {
        bps: u64,
    },
    AllocatorUndelegate {
        operator: usize,
        bps: u64,
    },
    AllocatorComplete {
        pick: usize,
    },
    Allocate {
        operator: usize,
        registry: usize,
        bps: u16,
    },
    Rewards {
        operator: usize,
        registry: usize,
        milli_eth: u64,
    },
    Slash {
        operator: usize,
        registry: usize,
        bps: u64,
    },
    /// `by`: another user acting for `user` (an ERC-7540 operator, or refused).
    Request {
        user: usize,
        bps: u64,
        by: Option<usize>,
    },
    Fulfill {
        pick: usize,
    },
    Claim {
        user: usize,
        bps: u64,
        by_assets: bool,
        by: Option<usize>,
    },
    SetOperator {
        controller: usize,
        operator: usize,
        approved: bool,
    },
    /// Operator `who` (0, 1) or the treasury (2) claims its fees from the manager.
    ClaimFees {
        who: usize,
    },
    Pause {
        target: usize,
    },
    Warp {
        hours: u64,
    },
}

/// A fraction that is often everything (exact full amounts hit the edge cases).
fn fraction() -> impl Strategy<Value = u64> {
    prop_oneof![3 => 1..=BPS, 1 => Just(BPS)]
}

fn action() -> impl Strategy<Value = Action> {
    let user = 0..USERS;
    let op = 0..OPERATORS.len();
    prop_oneof![
        4 => (user.clone(), 1..=30_000_u64).prop_map(|(user, milli_eth)| Action::Stake { user, milli_eth }),
        4 => (user.clone(), 1..=30_000_u64).prop_map(|(user, milli_eth)| Action::Zap { user, milli_eth }),
        4 => (user.clone(), fraction()).prop_map(|(user, bps)| Action::Deposit { user, bps }),
        2 => (user.clone(), fraction()).prop_map(|(user, bps)| Action::Mint { user, bps }),
        2 => (user.clone(), fraction(), any::<bool>(), any::<bool>()).prop_map(
            |(user, bps, front_run, one_call)| Action::PermitDeposit { user, bps, front_run, one_call }
        ),
        2 => (user.clone(), user.clone(), fraction())
            .prop_map(|(from, to, bps)| Action::TransferLst { from, to, bps }),
        2 => (user.clone(), user.clone(), fraction())
            .prop_map(|(from, to, bps)| Action::TransferLrt { from, to, bps }),
        1 => (user.clone(), 0..4_usize, 1..=5_000_u64)
            .prop_map(|(user, target, milli_eth)| Action::Donate { user, target, milli_eth }),
        3 => (any::<bool>(), 0..=10_500_u64, 0..=48_u64)
            .prop_map(|(gain, bps, hours)| Action::Report { gain, bps, hours }),
        2 => fraction().prop_map(|bps| Action::FundValidators { bps }),
        1 => fraction().prop_map(|bps| Action::ReturnExited { bps }),
        3 => (user.clone(), fraction()).prop_map(|(user, bps)| Action::VaultRequest { user, bps }),
        2 => any::<usize>().prop_map(|pick| Action::VaultFinalize { pick }),
        2 => any::<usize>().prop_map(|pick| Action::VaultClaim { pick }),
        3 => (user.clone(), op.clone(), fraction())
            .prop_map(|(user, operator, bps)| Action::Delegate { user, operator, bps }),
        2 => (user.clone(), op.clone(), fraction())
            .prop_map(|(user, operator, bps)| Action::Undelegate { user, operator, bps }),
        2 => any::<usize>().prop_map(|pick| Action::Complete { pick }),
        3 => fraction().prop_map(|bps| Action::AllocatorDelegate { bps }),
        2 => (op.clone(), fraction()).prop_map(|(operator, bps)| Action::AllocatorUndelegate { operator, bps }),
        2 => any::<usize>().prop_map(|pick| Action::AllocatorComplete { pick }),
        1 => (op.clone(), 0..2_usize, 0..=10_000_u16)
            .prop_map(|(operator, registry, bps)| Action::Allocate { operator, registry, bps }),
        2 => (op.clone(), 0..2_usize, 1..=5_000_u64)
            .prop_map(|(operator, registry, milli_eth)| Action::Rewards { operator, registry, milli_eth }),
        2 => (op.clone(), 0..2_usize, 1..=1_200_u64)
            .prop_map(|(operator, registry, bps)| Action::Slash { operator, registry, bps }),
        3 => (user.clone(), fraction(), someone_else())
            .prop_map(|(user, bps, by)| Action::Request { user, bps, by }),
        2 => any::<usize>().prop_map(|pick| Action::Fulfill { pick }),
        2 => ((user, fraction(), any::<bool>()), someone_else())
            .prop_map(|((user, bps, by_assets), by)| Action::Claim { user, bps, by_assets, by }),
        1 => (0..USERS, 0..USERS, any::<bool>()).prop_map(|(controller, operator, approved)| {
            Action::SetOperator { controller, operator, approved }
        }),
        1 => (0..3_usize).prop_map(|who| Action::ClaimFees { who }),
        1 => (0..6_usize).prop_map(|target| Action::Pause { target }),
        2 => (1..=200_u64).prop_map(|hours| Action::Warp { hours }),
    ]
}

/// Mostly the actor itself; sometimes another user acting for it.
fn someone_else() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![3 => Just(None), 1 => (0..USERS).prop_map(Some)]
}

/// `amount × bps / 10,000`.
fn part(amount: U256, bps: u64) -> U256 {
    amount * U256::from(bps) / U256::from(BPS)
}

fn v() -> U256 {
    U256::from(VIRTUAL)
}

/// A manager withdrawal that is not completed yet.
#[derive(Debug, Clone)]
struct Queued {
    id: U256,
    staker: Address,
    operator: Address,
    shares: U256,
    value: U256,
    ready_at: u64,
}

/// A vault withdrawal request that is not claimed yet.
#[derive(Debug, Clone)]
struct VaultRequest {
    id: U256,
    owner: Address,
    shares: U256,
    value: U256,
    /// The block time of the request.
    requested_at: u64,
    payout: Option<U256>,
}

/// An LRT redemption request that is not fulfilled yet.
#[derive(Debug, Clone)]
struct LrtRequest {
    id: U256,
    controller: Address,
    shares: U256,
    value: U256,
}

/// What the events say the state should be.
#[derive(Debug, Default, Clone)]
struct Ghost {
    /// Token balances from `Transfer` logs: `[LST, srETH]`.
    balances: [BTreeMap<Address, U256>; 2],
    /// Accounts whose balance moved in this step.
    touched: [Vec<Address>; 2],
    /// ETH forced into the vault.
    donated_eth: U256,
    /// LST sent uninvited, by recipient.
    donated_lst: BTreeMap<Address, U256>,
    vault_requests: Vec<VaultRequest>,
    /// Manager pool shares per (staker, operator).
    pool_shares: BTreeMap<(Address, Address), U256>,
    queued: Vec<Queued>,
    lrt_pending: Vec<LrtRequest>,
    /// Claimable (shares, LST) per controller.
    claimable: BTreeMap<Address, (U256, U256)>,
    /// Per (operator, registry): the slashing window's start and the bps slashed in it.
    slash_windows: BTreeMap<(Address, Address), (u64, u64)>,
}

/// The state read after each step.
#[derive(Debug, Clone, Default)]
struct Reading {
    time: u64,
    lst_supply: U256,
    srt_supply: U256,
    vault_shares: U256,
    vault_rate: U256,
    pooled: U256,
    buffered: U256,
    reserved_eth: U256,
    vault_eth: U256,
    /// Per operator: (stake, shares, queued shares).
    pools: Vec<(U256, U256, U256)>,
    manager_lst: U256,
    manager_eth: U256,
    idle: U256,
    allocator_lst: U256,
    assets: U256,
    shares: U256,
    lrt_reserved: U256,
    lrt_lst: U256,
    lrt_locked: U256,
}

/// What this step may do to the rates: how much `A` may fall without a matching fall in `S`
/// (a slash's amount, a delegation's dust), whether the vault's rate may fall (a loss report),
/// and the gain a report added.
#[derive(Debug, Default)]
struct Allowance {
    lrt_assets_drop: U256,
    vault_loss: bool,
    vault_gain: U256,
    /// A finalization's (shares burned, ETH reserved): requests paid min(value at request,
    /// value now), and what they gave up stays with the holders.
    vault_finalized: Option<(U256, U256)>,
}

/// Counters for the report.
#[derive(Debug, Default)]
struct Stats {
    sequences: u64,
    steps: u64,
    transactions: u64,
    reverts: BTreeMap<&'static str, u64>,
    succeeded: BTreeMap<&'static str, u64>,
    /// Time in the actions and in the checks (reads included).
    acting: std::time::Duration,
    checking: std::time::Duration,
}

struct Run<'a> {
    suite: &'a Suite,
    ghost: Ghost,
    prev: Reading,
    stats: &'a RefCell<Stats>,
    /// Per operator: the pool's state and the ledger's shares and queue when its claims were
    /// last read, with (Σ claims, the allocator's part). Claims move only with these.
    claims: RefCell<Vec<Option<(PoolKey, U256, U256)>>>,
}

/// What a pool's claims depend on: (stake, shares, queued), every staker's shares, the open
/// withdrawals' ids.
type PoolKey = ((U256, U256, U256), Vec<U256>, Vec<U256>);

/// The name of a revert's custom error, from every committed ABI.
fn error_name(data: &[u8]) -> Option<&'static str> {
    let selector: [u8; 4] = data.get(..4)?.try_into().ok()?;
    if !(data.len() - 4).is_multiple_of(32) {
        return None;
    }
    abi::vault::IStakingVault::IStakingVaultErrors::name_by_selector(selector)
        .or_else(|| abi::lst::ILstToken::ILstTokenErrors::name_by_selector(selector))
        .or_else(|| abi::lrt_token::ILrtToken::ILrtTokenErrors::name_by_selector(selector))
        .or_else(|| abi::lrt::ILrt::ILrtErrors::name_by_selector(selector))
        .or_else(|| abi::allocator::ILrtAllocator::ILrtAllocatorErrors::name_by_selector(selector))
        .or_else(|| {
            abi::manager::IRestakingManager::IRestakingManagerErrors::name_by_selector(selector)
        })
        .or_else(|| abi::registry::IAvsRegistry::IAvsRegistryErrors::name_by_selector(selector))
        .or_else(|| {
            abi::allocations::IAllocationManager::IAllocationManagerErrors::name_by_selector(
                selector,
            )
        })
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Stake { .. } => "stake",
        Action::Zap { .. } => "zap",
        Action::Deposit { .. } => "deposit",
        Action::Mint { .. } => "mint",
        Action::PermitDeposit {
            one_call: false, ..
        } => "permit+deposit",
        Action::PermitDeposit { one_call: true, .. } => "depositWithPermit",
        Action::TransferLst { .. } => "transfer LST",
        Action::TransferLrt { .. } => "transfer srETH",
        Action::Donate { .. } => "donation",
        Action::Report { gain: true, .. } => "report (gain)",
        Action::Report { gain: false, .. } => "report (loss)",
        Action::FundValidators { .. } => "fund validators",
        Action::ReturnExited { .. } => "return exited ETH",
        Action::VaultRequest { .. } => "vault withdrawal request",
        Action::VaultFinalize { .. } => "vault finalize",
        Action::VaultClaim { .. } => "vault claim",
        Action::Delegate { .. } => "delegate",
        Action::Undelegate { .. } => "undelegate",
        Action::Complete { .. } => "complete withdrawal",
        Action::AllocatorDelegate { .. } => "allocator delegate",
        Action::AllocatorUndelegate { .. } => "allocator undelegate",
        Action::AllocatorComplete { .. } => "allocator complete",
        Action::Allocate { .. } => "allocate",
        Action::Rewards { .. } => "AVS rewards",
        Action::Slash { .. } => "slash",
        Action::Request { .. } => "redeem request",
        Action::Fulfill { .. } => "fulfil",
        Action::Claim { .. } => "claim",
        Action::SetOperator { .. } => "set ERC-7540 operator",
        Action::ClaimFees { .. } => "claim fees",
        Action::Pause { .. } => "pause / unpause",
        Action::Warp { .. } => "time jump",
    }
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(TestCaseError::fail(format!($($fmt)+)));
        }
    };
}

macro_rules! ensure_eq {
    ($left:expr, $right:expr, $what:expr) => {{
        let (left, right) = (&$left, &$right);
        ensure!(left == right, "{}: {:?} != {:?}", $what, left, right);
    }};
}

impl<'a> Run<'a> {
    fn new(suite: &'a Suite, stats: &'a RefCell<Stats>, ghost: Ghost) -> Self {
        let prev = read(suite);
        Self {
            suite,
            ghost,
            prev,
            stats,
            claims: RefCell::new(vec![None; OPERATORS.len()]),
        }
    }

    fn view<C: SolCall>(&self, to: Address, call: &C) -> C::Return {
        self.suite.view(to, call)
    }

    fn user(&self, i: usize) -> Address {
        self.suite.user(i % USERS)
    }

    /// Sends a transaction, checks a revert names a known error, and applies the logs of a
    /// success to the ghost ledger.
    fn send<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<Receipt, TestCaseError> {
        let receipt = self.suite.send(from, to, value, call);
        let mut stats = self.stats.borrow_mut();
        stats.transactions += 1;
        if receipt.success {
            drop(stats);
            self.apply(&receipt);
        } else {
            let name = error_name(&receipt.output).ok_or_else(|| {
                TestCaseError::fail(format!(
                    "{} reverted without a named error: 0x{} ({:?})",
                    C::SIGNATURE,
                    alloy_primitives::hex::encode(&receipt.output),
                    receipt.halt_reason
                ))
            })?;
            *stats.reverts.entry(name).or_default() += 1;
        }
        Ok(receipt)
    }

    fn apply(&mut self, receipt: &Receipt) {
        let s = self.suite;
        for log in &receipt.logs {
            let Some(topic) = log.topics().first() else {
                continue;
            };
            if *topic == events::token::Transfer::SIGNATURE_HASH {
                let token = if log.address == s.lst {
                    0
                } else if log.address == s.lrt_token {
                    1
                } else {
                    continue;
                };
                let t =
                    events::token::Transfer::decode_log_data(&log.data).expect("Transfer decodes");
                let book = &mut self.ghost.balances[token];
                if !t.from.is_zero() {
                    let from = book.entry(t.from).or_default();
                    *from -= t.value;
                }
                if !t.to.is_zero() {
                    *book.entry(t.to).or_default() += t.value;
                }
                self.ghost.touched[token].extend([t.from, t.to]);
            } else if log.address == s.vault {
                self.apply_vault(log);
            } else if log.address == s.manager {
                self.apply_manager(log);
            } else if log.address == s.lrt {
                self.apply_lrt(log);
            }
        }
    }

    fn apply_vault(&mut self, log: &alloy_primitives::Log) {
        use events::vault::{WithdrawalClaimed, WithdrawalRequested};
        if let Ok(e) = WithdrawalRequested::decode_log(log) {
            self.ghost.vault_requests.push(VaultRequest {
                id: e.id,
                owner: e.owner,
                shares: e.shares,
                value: e.value,
                requested_at: self.suite.node.timestamp(),
                payout: None,
            });
        } else if let Ok(e) = WithdrawalClaimed::decode_log(log) {
            self.ghost.vault_requests.retain(|r| r.id != e.id);
        }
    }

    fn apply_manager(&mut self, log: &alloy_primitives::Log) {
        use events::manager::{Delegated, WithdrawalCompleted, WithdrawalQueued};
        if let Ok(e) = Delegated::decode_log(log) {
            *self
                .ghost
                .pool_shares
                .entry((e.staker, e.operator))
                .or_default() += e.shares;
        } else if let Ok(e) = WithdrawalQueued::decode_log(log) {
            *self
                .ghost
                .pool_shares
                .entry((e.staker, e.operator))
                .or_default() -= e.shares;
            self.ghost.queued.push(Queued {
                id: e.id,
                staker: e.staker,
                operator: e.operator,
                shares: e.shares,
                value: e.value,
                ready_at: e.readyAt,
            });
        } else if let Ok(e) = WithdrawalCompleted::decode_log(log) {
            self.ghost.queued.retain(|q| q.id != e.id);
        }
    }

    fn apply_lrt(&mut self, log: &alloy_primitives::Log) {
        use events::lrt::{RedeemFulfilled, RedeemRequest, Withdraw};
        if let Ok(e) = RedeemRequest::decode_log(log) {
            let value = self
                .view(
                    self.suite.lrt,
                    &Lrt::redeemRequestCall {
                        request_id: e.requestId,
                    },
                )
                ._2;
            self.ghost.lrt_pending.push(LrtRequest {
                id: e.requestId,
                controller: e.controller,
                shares: e.shares,
                value,
            });
        } else if let Ok(e) = RedeemFulfilled::decode_log(log) {
            self.ghost.lrt_pending.retain(|r| r.id != e.requestId);
            let entry = self.ghost.claimable.entry(e.controller).or_default();
            entry.0 += e.shares;
            entry.1 += e.assets;
        } else if let Ok(e) = Withdraw::decode_log(log) {
            let entry = self.ghost.claimable.entry(e.owner).or_default();
            entry.0 -= e.shares;
            entry.1 -= e.assets;
        }
    }

    /// One step: the action, then every invariant.
    fn step(&mut self, action: &Action) -> Result<(), TestCaseError> {
        self.ghost.touched = [Vec::new(), Vec::new()];
        let started = std::time::Instant::now();
        let allowance = self.act(action)?;
        let acted = std::time::Instant::now();
        let now = read(self.suite);
        self.check(&now, &allowance)
            .map_err(|e| TestCaseError::fail(format!("after {action:?}: {e}")))?;
        self.prev = now;
        let mut stats = self.stats.borrow_mut();
        stats.steps += 1;
        stats.acting += acted - started;
        stats.checking += acted.elapsed();
        Ok(())
    }

    #[allow(clippy::too_many_lines)]
    fn act(&mut self, action: &Action) -> Result<Allowance, TestCaseError> {
        let s = self.suite;
        let mut allowance = Allowance::default();
        let ok = match *action {
            Action::Stake { user, milli_eth } => {
                let user = self.user(user);
                let value = U256::from(milli_eth) * U256::from(10).pow(U256::from(15));
                self.send(user, s.vault, value, &Vault::depositCall { receiver: user })?
                    .success
            }
            Action::Zap { user, milli_eth } => {
                let user = self.user(user);
                let value = U256::from(milli_eth) * U256::from(10).pow(U256::from(15));
                self.send(user, s.lrt, value, &Lrt::depositEthCall { receiver: user })?
                    .success
            }
            Action::Deposit { user, bps } => {
                let user = self.user(user);
                let assets = part(s.lst_of(user), bps);
                self.send(
                    user,
                    s.lrt,
                    U256::ZERO,
                    &Lrt::depositCall {
                        assets,
                        receiver: user,
                    },
                )?
                .success
            }
            Action::Mint { user, bps } => {
                let user = self.user(user);
                let shares = self.view(
                    s.lrt,
                    &Lrt::previewDepositCall {
                        assets: part(s.lst_of(user), bps),
                    },
                );
                self.send(
                    user,
                    s.lrt,
                    U256::ZERO,
                    &Lrt::mintCall {
                        shares,
                        receiver: user,
                    },
                )?
                .success
            }
            Action::PermitDeposit {
                user,
                bps,
                front_run,
                one_call,
            } => self.permit_deposit(user, bps, front_run, one_call)?,
            Action::TransferLst { from, to, bps } => {
                let (from, to) = (self.user(from), self.user(to));
                let value = part(s.lst_of(from), bps);
                self.send(from, s.lst, U256::ZERO, &Erc20::transferCall { to, value })?
                    .success
            }
            Action::TransferLrt { from, to, bps } => {
                let (from, to) = (self.user(from), self.user(to));
                let value = part(s.lrt_of(from), bps);
                self.send(
                    from,
                    s.lrt_token,
                    U256::ZERO,
                    &Erc20::transferCall { to, value },
                )?
                .success
            }
            Action::Donate {
                user,
                target,
                milli_eth,
            } => {
                let value = U256::from(milli_eth) * U256::from(10).pow(U256::from(15));
                if target == 0 {
                    // Forced ETH (self-destruct, coinbase): the vault must not count it.
                    s.node.fund(s.vault, value);
                    self.ghost.donated_eth += value;
                    true
                } else {
                    let user = self.user(user);
                    let to = [s.lrt, s.allocator, s.manager][target - 1];
                    let value = value.min(s.lst_of(user));
                    let ok = self
                        .send(user, s.lst, U256::ZERO, &Erc20::transferCall { to, value })?
                        .success;
                    if ok {
                        *self.ghost.donated_lst.entry(to).or_default() += value;
                    }
                    ok
                }
            }
            Action::Report { gain, bps, hours } => {
                s.node.warp(hours * 3_600);
                let now = s.node.timestamp();
                let before = self.view(s.vault, &Vault::validatorBalanceCall {});
                let elapsed =
                    now.saturating_sub(self.view(s.vault, &Vault::lastReportTimestampCall {}));
                let apr = U256::from(self.view(s.vault, &Vault::maxAprBpsCall {}));
                let max_gain = before * apr * U256::from(elapsed) / U256::from(BPS * YEAR);
                let max_loss = before * U256::from(self.view(s.vault, &Vault::maxLossBpsCall {}))
                    / U256::from(BPS);
                let balance = if gain {
                    before + part(max_gain, bps)
                } else {
                    before - part(max_loss, bps).min(before)
                };
                let receipt = self.send(
                    ORACLE,
                    s.vault,
                    U256::ZERO,
                    &Vault::reportCall {
                        timestamp: now,
                        validator_balance: balance,
                    },
                )?;
                if receipt.success {
                    let reported = receipt.events::<events::vault::Reported>();
                    ensure_eq!(reported.len(), 1, "one Reported event");
                    let r = &reported[0];
                    if r.validatorBalance >= r.previousValidatorBalance {
                        let g = r.validatorBalance - r.previousValidatorBalance;
                        ensure!(g <= max_gain, "gain {g} above the APR bound {max_gain}");
                        allowance.vault_gain = g;
                    } else {
                        let l = r.previousValidatorBalance - r.validatorBalance;
                        ensure!(l <= max_loss, "loss {l} above the bound {max_loss}");
                        allowance.vault_loss = true;
                    }
                } else {
                    let interval = self.view(s.vault, &Vault::minReportIntervalCall {});
                    ensure!(
                        bps > BPS || elapsed < interval,
                        "an in-bounds report was refused: {:?}",
                        error_name(&receipt.output)
                    );
                }
                receipt.success
            }
            Action::FundValidators { bps } => {
                let amount = part(self.prev.buffered, bps);
                self.send(
                    KEEPER,
                    s.vault,
                    U256::ZERO,
                    &Vault::fundValidatorsCall { amount },
                )?
                .success
            }
            Action::ReturnExited { bps } => {
                let balance = self.view(s.vault, &Vault::validatorBalanceCall {});
                let value = part(balance, bps);
                s.node.fund(VALIDATORS, value);
                self.send(VALIDATORS, s.vault, value, &Vault::returnExitedEthCall {})?
                    .success
            }
            Action::VaultRequest { user, bps } => {
                let user = self.user(user);
                let shares = part(s.lst_of(user), bps);
                self.send(
                    user,
                    s.vault,
                    U256::ZERO,
                    &Vault::requestWithdrawalCall { shares },
                )?
                .success
            }
            Action::VaultFinalize { pick } => {
                let finalized = self.vault_finalize(pick)?;
                allowance.vault_finalized = finalized;
                finalized.is_some()
            }
            Action::VaultClaim { pick } => {
                let Some(request) = pick_from(&self.ghost.vault_requests, pick).cloned() else {
                    return Ok(allowance);
                };
                let receipt = self.send(
                    request.owner,
                    s.vault,
                    U256::ZERO,
                    &Vault::claimCall { id: request.id },
                )?;
                match request.payout {
                    Some(payout) => {
                        ensure!(
                            receipt.success,
                            "claim of finalized request {} refused",
                            request.id
                        );
                        let claimed = receipt.events::<events::vault::WithdrawalClaimed>();
                        ensure_eq!(claimed[0].amount, payout, "vault claim pays the payout");
                    }
                    None => ensure!(!receipt.success, "claim of a pending request succeeded"),
                }
                receipt.success
            }
            Action::Delegate {
                user,
                operator,
                bps,
            } => {
                let user = self.user(user);
                let assets = part(s.lst_of(user), bps);
                let operator = OPERATORS[operator];
                self.send(
                    user,
                    s.manager,
                    U256::ZERO,
                    &Manager::delegateCall { operator, assets },
                )?
                .success
            }
            Action::Undelegate {
                user,
                operator,
                bps,
            } => {
                let staker = self.user(user);
                let operator = OPERATORS[operator];
                let held = self.view(s.manager, &Manager::stakerSharesCall { staker, operator });
                let shares = part(held, bps);
                self.send(
                    staker,
                    s.manager,
                    U256::ZERO,
                    &Manager::undelegateCall { operator, shares },
                )?
                .success
            }
            Action::Complete { pick } => self.complete(pick, false)?,
            Action::AllocatorDelegate { bps } => {
                let assets = part(self.prev.idle, bps);
                allowance.lrt_assets_drop = self.delegation_dust();
                self.send(
                    KEEPER,
                    s.allocator,
                    U256::ZERO,
                    &Allocator::delegateCall { assets },
                )?
                .success
            }
            Action::AllocatorUndelegate { operator, bps } => {
                let operator = OPERATORS[operator];
                let held = self.view(
                    s.manager,
                    &Manager::stakerSharesCall {
                        staker: s.allocator,
                        operator,
                    },
                );
                allowance.lrt_assets_drop = U256::from(2);
                let shares = part(held, bps);
                self.send(
                    KEEPER,
                    s.allocator,
                    U256::ZERO,
                    &Allocator::undelegateCall { operator, shares },
                )?
                .success
            }
            Action::AllocatorComplete { pick } => {
                allowance.lrt_assets_drop = U256::from(2);
                self.complete(pick, true)?
            }
            Action::Allocate {
                operator,
                registry,
                bps,
            } => {
                let registry = s.registries[registry];
                self.send(
                    OPERATORS[operator],
                    s.allocations,
                    U256::ZERO,
                    &Allocations::allocateCall { registry, bps },
                )?
                .success
            }
            Action::Rewards {
                operator,
                registry,
                milli_eth,
            } => {
                let value = U256::from(milli_eth) * U256::from(10).pow(U256::from(15));
                s.node.fund(ADMIN, value);
                let operator = OPERATORS[operator];
                self.send(
                    ADMIN,
                    s.registries[registry],
                    value,
                    &Registry::distributeRewardsCall { operator },
                )?
                .success
            }
            Action::Slash {
                operator,
                registry,
                bps,
            } => {
                let (ok, taken) = self.slash(OPERATORS[operator], s.registries[registry], bps)?;
                allowance.lrt_assets_drop = taken;
                ok
            }
            Action::Request { user, bps, by } => {
                let owner = self.user(user);
                let caller = by.map_or(owner, |by| self.user(by));
                let shares = part(s.lrt_of(owner), bps);
                let allowed = self.acts_for(owner, caller);
                let receipt = self.send(
                    caller,
                    s.lrt,
                    U256::ZERO,
                    &Lrt::requestRedeemCall {
                        shares,
                        controller: owner,
                        owner,
                    },
                )?;
                ensure!(
                    allowed || !receipt.success,
                    "{caller} requested redemption of {owner}'s shares without being its operator"
                );
                receipt.success
            }
            Action::Fulfill { pick } => self.fulfill(pick)?,
            Action::Claim {
                user,
                bps,
                by_assets,
                by,
            } => self.claim(self.user(user), bps, by_assets, by.map(|by| self.user(by)))?,
            Action::SetOperator {
                controller,
                operator,
                approved,
            } => {
                let (controller, operator) = (self.user(controller), self.user(operator));
                let receipt = self.send(
                    controller,
                    s.lrt,
                    U256::ZERO,
                    &Lrt::setOperatorCall { operator, approved },
                )?;
                ensure_eq!(
                    receipt.success,
                    controller != operator,
                    "setOperator succeeds unless it names the caller"
                );
                receipt.success
            }
            Action::ClaimFees { who } => {
                let account = [OPERATORS[0], OPERATORS[1], TREASURY][who];
                let due = s.view(s.manager, &Manager::claimableFeesCall { account });
                let held = s.node.balance(account);
                let receipt =
                    self.send(account, s.manager, U256::ZERO, &Manager::claimFeesCall {})?;
                ensure_eq!(
                    receipt.success,
                    !due.is_zero(),
                    "fees are claimable exactly when due"
                );
                if receipt.success {
                    let gas = U256::from(receipt.gas_used) * U256::from(s.node.config().basefee);
                    let paid = s.node.balance(account) + gas - held;
                    ensure_eq!(paid, due, "the fee claim pays what was due");
                }
                receipt.success
            }
            Action::Pause { target } => {
                let contract = [
                    s.vault,
                    s.lrt,
                    s.manager,
                    s.allocator,
                    s.allocations,
                    s.registries[0],
                ][target];
                let paused = self.view(contract, &abi::vault::IStakingVault::pausedCall {});
                let receipt = if paused {
                    self.send(
                        ADMIN,
                        contract,
                        U256::ZERO,
                        &abi::vault::IStakingVault::unpauseCall {},
                    )?
                } else {
                    self.send(
                        ADMIN,
                        contract,
                        U256::ZERO,
                        &abi::vault::IStakingVault::pauseCall {},
                    )?
                };
                ensure!(
                    receipt.success,
                    "the admin's pause toggle on {contract} failed"
                );
                true
            }
            Action::Warp { hours } => {
                s.node.warp(hours * 3_600);
                true
            }
        };
        if ok {
            *self
                .stats
                .borrow_mut()
                .succeeded
                .entry(action_name(action))
                .or_default() += 1;
        }
        Ok(allowance)
    }

    /// Whether `caller` may request or claim for `owner`: itself, or its ERC-7540 operator.
    fn acts_for(&self, owner: Address, caller: Address) -> bool {
        caller == owner
            || self.view(
                self.suite.lrt,
                &Lrt::isOperatorCall {
                    controller: owner,
                    operator: caller,
                },
            )
    }

    /// A claim of `bps` of the controller's claimable shares (`redeem`) or LST (`withdraw`), by
    /// the controller or someone else (paid to the caller; refused unless it is an operator).
    fn claim(
        &mut self,
        controller: Address,
        bps: u64,
        by_assets: bool,
        by: Option<Address>,
    ) -> Result<bool, TestCaseError> {
        let s = self.suite;
        let caller = by.unwrap_or(controller);
        let allowed = self.acts_for(controller, caller);
        let (shares, assets) = self
            .ghost
            .claimable
            .get(&controller)
            .copied()
            .unwrap_or_default();
        let receipt = if by_assets {
            let assets = part(assets, bps);
            self.send(
                caller,
                s.lrt,
                U256::ZERO,
                &Lrt::withdrawCall {
                    assets,
                    receiver: caller,
                    controller,
                },
            )?
        } else {
            let shares = part(shares, bps);
            self.send(
                caller,
                s.lrt,
                U256::ZERO,
                &Lrt::redeemCall {
                    shares,
                    receiver: caller,
                    controller,
                },
            )?
        };
        ensure!(
            allowed || !receipt.success,
            "{caller} claimed for {controller} without being its operator"
        );
        if receipt.success && bps == BPS {
            ensure_eq!(
                self.ghost
                    .claimable
                    .get(&controller)
                    .copied()
                    .unwrap_or_default(),
                (U256::ZERO, U256::ZERO),
                "claiming everything leaves nothing claimable"
            );
        }
        Ok(receipt.success)
    }

    /// A permit signed by the user for the LRT, optionally submitted first by someone else
    /// (front-running it), then either the user's own permit (refused when reused) and the
    /// deposit, or the LRT's `depositWithPermit` with it; neither may be blocked by the reuse.
    fn permit_deposit(
        &mut self,
        user: usize,
        bps: u64,
        front_run: bool,
        one_call: bool,
    ) -> Result<bool, TestCaseError> {
        let s = self.suite;
        let owner = self.user(user);
        let value = part(s.lst_of(owner), bps);
        let deadline = U256::from(s.node.timestamp() + 3_600);
        let (v, r, sig_s) =
            s.users[user % USERS].sign_permit(&s.node, s.lst, s.lrt, value, deadline);
        let permit = Permit::permitCall {
            owner,
            spender: s.lrt,
            value,
            deadline,
            v,
            r,
            s: sig_s,
        };
        if front_run {
            let thief = self.user(user + 1);
            let receipt = self.send(thief, s.lst, U256::ZERO, &permit)?;
            ensure!(
                receipt.success,
                "a valid permit submitted by anyone is accepted"
            );
        }
        let deposit = if one_call {
            self.send(
                owner,
                s.lrt,
                U256::ZERO,
                &Lrt::depositWithPermitCall {
                    assets: value,
                    receiver: owner,
                    deadline,
                    v,
                    r,
                    s: sig_s,
                },
            )?
        } else {
            let own = self.send(owner, s.lst, U256::ZERO, &permit)?;
            ensure_eq!(own.success, !front_run, "a permit works once");
            self.send(
                owner,
                s.lrt,
                U256::ZERO,
                &Lrt::depositCall {
                    assets: value,
                    receiver: owner,
                },
            )?
        };
        self.send(
            owner,
            s.lst,
            U256::ZERO,
            &Erc20::approveCall {
                spender: s.lrt,
                value: U256::MAX,
            },
        )?;
        Ok(deposit.success)
    }

    fn vault_finalize(&mut self, pick: usize) -> Result<Option<(U256, U256)>, TestCaseError> {
        let s = self.suite;
        let pending: Vec<VaultRequest> = self
            .ghost
            .vault_requests
            .iter()
            .filter(|r| r.payout.is_none())
            .cloned()
            .collect();
        let Some(last) = pick_from(&pending, pick) else {
            return Ok(None);
        };
        let up_to = last.id;
        // Each request must bear a report: only those made strictly before the last report's
        // timestamp can be finalized.
        let last_report = s.view(s.vault, &Vault::lastReportTimestampCall {});
        let too_recent = pending
            .iter()
            .any(|r| r.id <= up_to && r.requested_at >= last_report);
        let receipt = self.send(
            ORACLE,
            s.vault,
            U256::ZERO,
            &Vault::finalizeCall { up_to_id: up_to },
        )?;
        if !receipt.success {
            let error = error_name(&receipt.output);
            ensure!(
                (error == Some("VaultRequestTooRecent")) == too_recent,
                "finalize refused with {error:?} (a request too recent: {too_recent})"
            );
            return Ok(None);
        }
        ensure!(
            !too_recent,
            "a request made at or after the last report ({last_report}) was finalized"
        );
        let finalized = receipt.events::<events::vault::WithdrawalsFinalized>();
        ensure_eq!(finalized.len(), 1, "one WithdrawalsFinalized");
        let (mut total, mut burned) = (U256::ZERO, U256::ZERO);
        {
            for request in self
                .ghost
                .vault_requests
                .iter_mut()
                .filter(|r| r.payout.is_none() && r.id <= up_to)
            {
                let on_chain = s.view(s.vault, &Vault::withdrawalRequestCall { id: request.id });
                let (payout, status) = (on_chain._2, on_chain._4);
                ensure_eq!(status, 1, "a finalized request is claimable");
                ensure!(
                    payout <= request.value,
                    "request {} pays {payout} above its value at request {}",
                    request.id,
                    request.value
                );
                request.payout = Some(payout);
                total += payout;
                burned += request.shares;
            }
        }
        ensure_eq!(
            total,
            finalized[0].etherReserved,
            "reserved ETH = Σ payouts"
        );
        ensure_eq!(
            burned,
            finalized[0].sharesBurned,
            "burned = Σ requests' shares"
        );
        Ok(Some((burned, total)))
    }

    /// Completes a manager withdrawal (of a user, or of the allocator through it).
    fn complete(&mut self, pick: usize, allocator: bool) -> Result<bool, TestCaseError> {
        let s = self.suite;
        let open: Vec<Queued> = self
            .ghost
            .queued
            .iter()
            .filter(|q| (q.staker == s.allocator) == allocator)
            .cloned()
            .collect();
        let Some(q) = pick_from(&open, pick).cloned() else {
            return Ok(false);
        };
        let due = s.view(s.manager, &Manager::queuedValueCall { id: q.id });
        let receipt = if allocator {
            self.send(
                KEEPER,
                s.allocator,
                U256::ZERO,
                &Allocator::completeCall { id: q.id },
            )?
        } else {
            self.send(
                q.staker,
                s.manager,
                U256::ZERO,
                &Manager::completeWithdrawalCall { id: q.id },
            )?
        };
        let now = s.node.timestamp();
        if now < q.ready_at {
            ensure!(
                !receipt.success,
                "withdrawal {} completed before its delay ({now} < {})",
                q.id,
                q.ready_at
            );
        } else if s.view(s.manager, &abi::vault::IStakingVault::pausedCall {}) {
            ensure!(
                !receipt.success,
                "a completion went through the manager's pause"
            );
        } else {
            ensure!(
                receipt.success,
                "a ready withdrawal {} could not complete: {:?}",
                q.id,
                error_name(&receipt.output)
            );
            let done = receipt.events::<events::manager::WithdrawalCompleted>();
            ensure_eq!(done[0].amount, due, "completion pays queuedValue");
            ensure!(
                due <= q.value,
                "completion pays {due} above the value at queueing {}",
                q.value
            );
        }
        Ok(receipt.success)
    }

    /// The most LST per LRT an allocator delegation may lose to the pools' virtual shares.
    fn delegation_dust(&self) -> U256 {
        self.prev
            .pools
            .iter()
            .map(|&(stake, shares, _)| {
                let per_share = (stake + v()).div_ceil(shares + v());
                per_share * (v() + U256::from(2)) + U256::from(2)
            })
            .fold(U256::ZERO, |a, b| a + b)
    }

    /// A slash through a registry: the exact amount, the bound, and queued stake taking its part.
    fn slash(
        &mut self,
        operator: Address,
        registry: Address,
        bps: u64,
    ) -> Result<(bool, U256), TestCaseError> {
        let s = self.suite;
        let allocated = s.view(
            s.manager,
            &Manager::allocatedStakeCall { operator, registry },
        );
        let receipt = self.send(
            SLASHER,
            registry,
            U256::ZERO,
            &Registry::slashCall {
                operator,
                bps: U256::from(bps),
                reason: alloy_primitives::B256::repeat_byte(0x5A),
            },
        )?;
        // The window model: a registry's slashes of an operator add up to at most maxSlashBps
        // per withdrawal delay, from the window's first slash.
        let max_slash = U256::from(s.view(s.manager, &Manager::maxSlashBpsCall {}));
        let now = s.node.timestamp();
        let delay = s.view(s.manager, &Manager::withdrawalDelayCall {});
        let (start, spent) = match self.ghost.slash_windows.get(&(operator, registry)) {
            Some(&(start, spent)) if now < start + delay => (start, spent),
            _ => (now, 0),
        };
        let within = U256::from(spent + bps) <= max_slash;
        if !receipt.success {
            ensure!(
                !within || allocated.is_zero(),
                "a slash within the window's bound was refused: {:?}",
                error_name(&receipt.output)
            );
            return Ok((false, U256::ZERO));
        }
        ensure!(
            within,
            "slashes of {operator} by {registry} passed maxSlashBps in one window"
        );
        self.ghost
            .slash_windows
            .insert((operator, registry), (start, spent + bps));
        let slashed = receipt.events::<events::manager::OperatorSlashed>();
        ensure_eq!(slashed.len(), 1, "one OperatorSlashed");
        let amount = slashed[0].amount;
        ensure!(
            U256::from(bps) <= max_slash,
            "a slash of {bps} bps above the bound went through"
        );
        ensure_eq!(
            amount,
            (allocated * U256::from(bps)).div_ceil(U256::from(BPS)),
            "slash = ceil(allocated × bps / 10,000)"
        );
        ensure!(
            amount <= allocated,
            "overslash: {amount} > allocated {allocated}"
        );
        // Queued stake stays slashable: each open withdrawal of the operator is worth at most
        // its shares at the pool's new price.
        let (stake, shares, _) = pool(s, operator);
        for q in self.ghost.queued.iter().filter(|q| q.operator == operator) {
            let due = s.view(s.manager, &Manager::queuedValueCall { id: q.id });
            let at_price = q.shares * stake / (shares + v());
            ensure_eq!(
                due,
                q.value.min(at_price),
                "queued withdrawal bears the slash"
            );
        }
        Ok((true, amount))
    }

    fn fulfill(&mut self, pick: usize) -> Result<bool, TestCaseError> {
        let s = self.suite;
        let Some(last) = pick_from(&self.ghost.lrt_pending, pick).cloned() else {
            return Ok(false);
        };
        let expected: Vec<(U256, Address, U256)> = self
            .ghost
            .lrt_pending
            .iter()
            .filter(|r| r.id <= last.id)
            .map(|r| {
                let now = r.shares * self.prev.assets / (self.prev.shares + v());
                (r.id, r.controller, r.value.min(now))
            })
            .collect();
        let receipt = self.send(
            KEEPER,
            s.lrt,
            U256::ZERO,
            &Lrt::fulfillCall { up_to_id: last.id },
        )?;
        if receipt.success {
            let fulfilled = receipt.events::<events::lrt::RedeemFulfilled>();
            ensure_eq!(
                fulfilled.len(),
                expected.len(),
                "every request up to the id is fulfilled"
            );
            for (event, (id, controller, pay)) in fulfilled.iter().zip(expected) {
                ensure_eq!(event.requestId, id, "FIFO order");
                ensure_eq!(event.controller, controller, "the request's controller");
                ensure_eq!(
                    event.assets,
                    pay,
                    "payout = min(value at request, value now)"
                );
            }
        }
        Ok(receipt.success)
    }

    /// Σ claims on `operator`'s pool (every staker's value and every open withdrawal's) and the
    /// allocator's part of them, read from the chain when anything they depend on moved; each
    /// staker's shares are compared with the ledger then.
    fn pool_claims(
        &self,
        i: usize,
        operator: Address,
        stakers: &[Address],
        open: &[&Queued],
        pool: (U256, U256, U256),
    ) -> Result<(U256, U256), TestCaseError> {
        let s = self.suite;
        let g = &self.ghost;
        let held = |staker: Address| {
            g.pool_shares
                .get(&(staker, operator))
                .copied()
                .unwrap_or_default()
        };
        let key: PoolKey = (
            pool,
            stakers.iter().map(|&st| held(st)).collect(),
            open.iter().map(|q| q.id).collect(),
        );
        if let Some((cached, claims, allocator)) = &self.claims.borrow()[i] {
            if *cached == key {
                return Ok((*claims, *allocator));
            }
        }
        let (mut claims, mut allocator) = (U256::ZERO, U256::ZERO);
        for &staker in stakers {
            let on_chain = s.view(s.manager, &Manager::stakerSharesCall { staker, operator });
            ensure_eq!(
                on_chain,
                held(staker),
                format!("shares of {staker} with {operator}")
            );
            let value = s.view(s.manager, &Manager::stakerValueCall { staker, operator });
            claims += value;
            if staker == s.allocator {
                allocator += value;
            }
        }
        for q in open {
            let value = s.view(s.manager, &Manager::queuedValueCall { id: q.id });
            claims += value;
            if q.staker == s.allocator {
                allocator += value;
            }
        }
        self.claims.borrow_mut()[i] = Some((key, claims, allocator));
        Ok((claims, allocator))
    }

    /// The six invariants, against the previous reading.
    #[allow(clippy::too_many_lines)]
    fn check(&self, now: &Reading, allowance: &Allowance) -> Result<(), TestCaseError> {
        let s = self.suite;
        let prev = &self.prev;
        let g = &self.ghost;

        // 1. Σ balances = totalSupply (the ghost ledger follows every Transfer), and each account
        //    that moved reads what the ledger says.
        let sum = |book: &BTreeMap<Address, U256>| book.values().fold(U256::ZERO, |a, b| a + b);
        ensure_eq!(
            sum(&g.balances[0]),
            now.lst_supply,
            "Σ LST balances = totalSupply"
        );
        ensure_eq!(
            sum(&g.balances[1]),
            now.srt_supply,
            "Σ srETH balances = totalSupply"
        );
        ensure_eq!(
            now.lst_supply,
            now.vault_shares,
            "LST supply = the vault's shares"
        );
        ensure_eq!(
            now.srt_supply,
            now.shares,
            "srETH supply = the LRT's shares"
        );
        for (token, book, touched) in [
            (s.lst, &g.balances[0], &g.touched[0]),
            (s.lrt_token, &g.balances[1], &g.touched[1]),
        ] {
            for &account in touched.iter().filter(|a| !a.is_zero()) {
                let on_chain = s.view(token, &Erc20::balanceOfCall { account });
                let ledger = book.get(&account).copied().unwrap_or_default();
                ensure_eq!(on_chain, ledger, format!("balance of {account} on {token}"));
            }
        }

        // 2. Vault ETH: buffered + reserved = held − donations; reserved = Σ unclaimed payouts;
        //    the LST locked in the vault = Σ pending requests' shares.
        ensure_eq!(
            now.vault_eth,
            now.buffered + now.reserved_eth + g.donated_eth,
            "vault ETH = buffered + reserved + forced ETH"
        );
        let payouts = g
            .vault_requests
            .iter()
            .filter_map(|r| r.payout)
            .fold(U256::ZERO, |a, b| a + b);
        ensure_eq!(
            now.reserved_eth,
            payouts,
            "reservedEther = Σ finalized unclaimed payouts"
        );
        let locked = g
            .vault_requests
            .iter()
            .filter(|r| r.payout.is_none())
            .fold(U256::ZERO, |a, r| a + r.shares);
        ensure_eq!(
            g.balances[0].get(&s.vault).copied().unwrap_or_default(),
            locked,
            "LST held by the vault = Σ pending requests' shares"
        );

        // 3. Manager: Σ stakers' shares + queued = pool shares; Σ claims ≤ stake; LST held =
        //    Σ stakes + donations.
        let mut total_stake = U256::ZERO;
        let stakers: Vec<Address> = s
            .users
            .iter()
            .map(|u| u.address)
            .chain([s.allocator])
            .collect();
        for (i, (&operator, &(stake, shares, queued))) in
            OPERATORS.iter().zip(&now.pools).enumerate()
        {
            total_stake += stake;
            let open: Vec<&Queued> = g.queued.iter().filter(|q| q.operator == operator).collect();
            let queued_shares = open.iter().fold(U256::ZERO, |a, q| a + q.shares);
            let held = stakers
                .iter()
                .map(|&st| {
                    g.pool_shares
                        .get(&(st, operator))
                        .copied()
                        .unwrap_or_default()
                })
                .fold(U256::ZERO, |a, b| a + b);
            ensure_eq!(
                queued,
                queued_shares,
                format!("queued shares of {operator}")
            );
            ensure_eq!(
                shares,
                held + queued_shares,
                format!("pool shares of {operator}")
            );
            let (claims, _) = self.pool_claims(i, operator, &stakers, &open, now.pools[i])?;
            ensure!(
                claims <= stake,
                "claims {claims} on {operator} exceed its stake {stake}"
            );
        }
        ensure_eq!(
            now.manager_lst,
            total_stake + g.donated_lst.get(&s.manager).copied().unwrap_or_default(),
            "manager LST = Σ pool stakes + donations"
        );
        if now.manager_eth != prev.manager_eth {
            let fees = [OPERATORS[0], OPERATORS[1], TREASURY]
                .into_iter()
                .map(|account| s.view(s.manager, &Manager::claimableFeesCall { account }))
                .fold(U256::ZERO, |a, b| a + b);
            ensure_eq!(now.manager_eth, fees, "manager ETH = Σ claimable fees");
        }

        // 4. LRT: reserved LST held; the allocator's idle held and its total = idle + positions +
        //    queued; Σ value of all shares ≤ A; no deposit → value round trip gains.
        let donated = |to: Address| g.donated_lst.get(&to).copied().unwrap_or_default();
        let claimable = g.claimable.values().fold(U256::ZERO, |a, c| a + c.1);
        ensure_eq!(
            now.lrt_reserved,
            claimable,
            "reservedAssets = Σ claimable LST"
        );
        ensure_eq!(
            now.lrt_lst,
            now.lrt_reserved + donated(s.lrt),
            "LRT LST = reserved + donations"
        );
        let pending = g.lrt_pending.iter().fold(U256::ZERO, |a, r| a + r.shares);
        ensure_eq!(
            now.lrt_locked,
            pending,
            "srETH locked in the LRT = Σ pending requests"
        );
        ensure_eq!(
            now.allocator_lst,
            now.idle + donated(s.allocator),
            "allocator LST = idle + donations"
        );
        let mut positions = now.idle;
        for (i, &operator) in OPERATORS.iter().enumerate() {
            let open: Vec<&Queued> = g.queued.iter().filter(|q| q.operator == operator).collect();
            positions += self
                .pool_claims(i, operator, &stakers, &open, now.pools[i])?
                .1;
        }
        ensure_eq!(
            now.assets,
            positions,
            "LRT totalAssets = the allocator's idle + positions + queued"
        );
        // The conversions and the rate move only with A, S and the vault's rate (each of these
        // views reads the allocator and the manager, so they are skipped when nothing moved).
        if (now.assets, now.shares) != (prev.assets, prev.shares) {
            let all = s.view(s.lrt, &Lrt::convertToAssetsCall { shares: now.shares });
            ensure!(all <= now.assets, "Σ share value {all} > A {}", now.assets);
            let probe = ether(1) + U256::from(now.time);
            let minted = s.view(s.lrt, &Lrt::previewDepositCall { assets: probe });
            let back = s.view(s.lrt, &Lrt::convertToAssetsCall { shares: minted });
            ensure!(
                back <= probe,
                "deposit {probe} → shares {minted} → {back} LST"
            );
        }
        if (now.assets, now.shares, now.vault_rate) != (prev.assets, prev.shares, prev.vault_rate) {
            let e18 = U256::from(10).pow(U256::from(18));
            let per_share = e18 * (now.assets + v()) / (now.shares + v());
            ensure_eq!(
                s.view(s.lrt, &Lrt::getRateCall {}),
                per_share * now.vault_rate / e18,
                "getRate = LST per LRT × the vault's rate"
            );
        }

        // 5. Rates: the vault's falls only on a loss report and rises at most by the reported
        //    gain; LST per LRT falls only by a slash's amount or a delegation's dust.
        if !allowance.vault_loss {
            ensure!(
                now.vault_rate >= prev.vault_rate,
                "vault rate fell {} → {}",
                prev.vault_rate,
                now.vault_rate
            );
        }
        let most = if let Some((burned, reserved)) = allowance.vault_finalized {
            // The payouts left the pool and the shares were burned, nothing else moved.
            let e18 = U256::from(10).pow(U256::from(18));
            let exact = e18 * (prev.pooled - reserved + v()) / (prev.vault_shares - burned + v());
            ensure_eq!(
                now.vault_rate,
                exact,
                "the vault's rate after a finalization"
            );
            exact
        } else {
            prev.vault_rate
                + allowance.vault_gain * U256::from(10).pow(U256::from(18))
                    / (prev.vault_shares + v())
                + U256::from(1)
        };
        ensure!(
            now.vault_rate <= most,
            "vault rate jumped {} → {} (bound {most})",
            prev.vault_rate,
            now.vault_rate
        );
        let floor = (prev.assets + v()).saturating_sub(allowance.lrt_assets_drop);
        ensure!(
            (now.assets + v()) * (prev.shares + v()) >= floor * (now.shares + v()),
            "LST per LRT fell: ({} + 1e3)/({} + 1e3) → ({} + 1e3)/({} + 1e3), allowed drop {}",
            prev.assets,
            prev.shares,
            now.assets,
            now.shares,
            allowance.lrt_assets_drop
        );
        Ok(())
    }
}

fn pick_from<T>(items: &[T], pick: usize) -> Option<&T> {
    (!items.is_empty()).then(|| &items[pick % items.len()])
}

/// `operator`'s pool: (stake, shares, queued shares).
fn pool(s: &Suite, operator: Address) -> (U256, U256, U256) {
    let pool = s.view(s.manager, &Manager::poolCall { operator });
    (pool._0, pool._1, pool._2)
}

/// Everything the checks compare.
fn read(s: &Suite) -> Reading {
    let erc20 = |token, account| s.view(token, &Erc20::balanceOfCall { account });
    Reading {
        time: s.node.timestamp(),
        lst_supply: s.view(s.lst, &Erc20::totalSupplyCall {}),
        srt_supply: s.view(s.lrt_token, &Erc20::totalSupplyCall {}),
        vault_shares: s.view(s.vault, &Vault::totalSharesCall {}),
        vault_rate: s.view(s.vault, &Vault::getRateCall {}),
        pooled: s.view(s.vault, &Vault::totalAssetsCall {}),
        buffered: s.view(s.vault, &Vault::bufferedEtherCall {}),
        reserved_eth: s.view(s.vault, &Vault::reservedEtherCall {}),
        vault_eth: s.node.balance(s.vault),
        pools: OPERATORS
            .iter()
            .map(|&operator| pool(s, operator))
            .collect(),
        manager_lst: erc20(s.lst, s.manager),
        manager_eth: s.node.balance(s.manager),
        idle: s.view(s.allocator, &Allocator::idleCall {}),
        allocator_lst: erc20(s.lst, s.allocator),
        assets: s.view(s.lrt, &Lrt::totalAssetsCall {}),
        shares: s.view(s.lrt, &Lrt::totalSharesCall {}),
        lrt_reserved: s.view(s.lrt, &Lrt::reservedAssetsCall {}),
        lrt_lst: erc20(s.lst, s.lrt),
        lrt_locked: erc20(s.lrt_token, s.lrt),
    }
}

/// The deployed suite with some history: every user staked, zapped, approved the LRT and the
/// manager, two users delegated, the allocator delegated and the validators were funded.
fn bootstrap() -> (Suite, Ghost) {
    let suite = Suite::deploy();
    let s = &suite;
    let stats = RefCell::new(Stats::default());
    let mut run = Run::new(s, &stats, Ghost::default());
    for i in 0..USERS {
        let user = s.user(i);
        for spender in [s.lrt, s.manager] {
            s.must(
                user,
                s.lst,
                &Erc20::approveCall {
                    spender,
                    value: U256::MAX,
                },
            );
        }
        for action in [
            Action::Stake {
                user: i,
                milli_eth: 100_000,
            },
            Action::Zap {
                user: i,
                milli_eth: 50_000,
            },
            Action::Deposit {
                user: i,
                bps: 2_000,
            },
        ] {
            run.step(&action).expect("bootstrap step");
        }
    }
    for action in [
        Action::Delegate {
            user: 0,
            operator: 0,
            bps: 2_000,
        },
        Action::Delegate {
            user: 1,
            operator: 1,
            bps: 2_000,
        },
        Action::AllocatorDelegate { bps: 7_500 },
        Action::FundValidators { bps: 5_000 },
    ] {
        run.step(&action).expect("bootstrap step");
        assert_eq!(
            stats.borrow().reverts.len(),
            0,
            "bootstrap step {action:?} reverted"
        );
    }
    let ghost = std::mem::take(&mut run.ghost);
    (suite, ghost)
}

fn cases() -> u32 {
    std::env::var("LSR_INVARIANT_CASES")
        .ok()
        .map_or(DEFAULT_CASES, |n| {
            n.parse().expect("LSR_INVARIANT_CASES is a number")
        })
}

#[test]
fn every_invariant_holds_after_every_step_of_random_sequences() {
    let cases = cases();
    // One suite per core, each running its share of the cases from its own random seed.
    let shards = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let shards = u32::try_from(shards).expect("at most 4");
    let started = std::time::Instant::now();
    let outcomes: Vec<(Stats, Result<(), String>)> = std::thread::scope(|scope| {
        let shard_threads: Vec<_> = (0..shards)
            .map(|i| {
                let share = cases / shards + u32::from(i < cases % shards);
                std::thread::Builder::new()
                    .name(format!("invariants-{i}"))
                    .stack_size(64 << 20)
                    .spawn_scoped(scope, move || run_shard(share))
                    .expect("spawning a shard")
            })
            .collect();
        shard_threads
            .into_iter()
            .map(|shard| shard.join().expect("a shard finished without panicking"))
            .collect()
    });
    let mut stats = Stats::default();
    let mut failures = Vec::new();
    for (shard, outcome) in outcomes {
        stats.merge(shard);
        failures.extend(outcome.err());
    }
    let report = report(&stats, cases, shards, started.elapsed());
    let path = format!(
        "{}/../target/invariants-report.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::write(&path, &report).unwrap_or_else(|e| panic!("{path}: {e}"));
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(stats.sequences >= u64::from(cases), "every case ran");
}

/// `cases` sequences on a suite of its own; each starts from the bootstrapped state.
fn run_shard(cases: u32) -> (Stats, Result<(), String>) {
    let (suite, ghost) = bootstrap();
    let stats = RefCell::new(Stats::default());
    let base = Cell::new(suite.node.snapshot());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 300,
        ..Config::default()
    });
    let result = runner.run(&prop::collection::vec(action(), STEPS), |actions| {
        suite
            .node
            .revert(base.get())
            .expect("the base snapshot exists");
        base.set(suite.node.snapshot());
        stats.borrow_mut().sequences += 1;
        let mut run = Run::new(&suite, &stats, ghost.clone());
        for action in &actions {
            run.step(action)?;
        }
        Ok(())
    });
    (stats.into_inner(), result.map_err(|e| e.to_string()))
}

impl Stats {
    fn merge(&mut self, other: Self) {
        self.sequences += other.sequences;
        self.steps += other.steps;
        self.transactions += other.transactions;
        for (name, n) in other.reverts {
            *self.reverts.entry(name).or_default() += n;
        }
        for (name, n) in other.succeeded {
            *self.succeeded.entry(name).or_default() += n;
        }
        self.acting += other.acting;
        self.checking += other.checking;
    }
}

fn report(stats: &Stats, cases: u32, shards: u32, elapsed: std::time::Duration) -> String {
    let mut out = String::new();
    let reverts: u64 = stats.reverts.values().sum();
    let _ = writeln!(
        out,
        "invariant suite: {} sequences ({cases} cases requested), {} steps, {} transactions \
         ({reverts} reverted with a named error), {:.0} s on {shards} threads",
        stats.sequences,
        stats.steps,
        stats.transactions,
        elapsed.as_secs_f64()
    );
    let per_step = |d: std::time::Duration| {
        d.as_secs_f64() * 1e3 / f64::from(u32::try_from(stats.steps.max(1)).unwrap_or(u32::MAX))
    };
    let _ = writeln!(
        out,
        "per step: {:.1} ms acting, {:.1} ms reading and checking (sequences include shrinking runs)",
        per_step(stats.acting),
        per_step(stats.checking)
    );
    let _ = writeln!(out, "actions that succeeded:");
    for (name, n) in &stats.succeeded {
        let _ = writeln!(out, "  {name:<26} {n:>8}");
    }
    let _ = writeln!(out, "reverts by error:");
    for (name, n) in &stats.reverts {
        let _ = writeln!(out, "  {name:<34} {n:>8}");
    }
    out
}
