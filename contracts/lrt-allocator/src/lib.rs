//! LRT allocator: holds the LRT's LST that is not reserved for claims — an idle part, and
//! positions delegated to operators in the restaking manager (pool shares owned by this
//! contract) together with its queued undelegations there. One contract for every operator
//! (the role of Renzo's `OperatorDelegator` or Kelp's `NodeDelegator`, without a proxy per
//! operator).
//!
//! `totalAssets = idle + Σ stakerValue(this, operator) + Σ queuedValue(id)`, over the
//! operators this contract holds shares with (its positions: added before every delegation,
//! removed when every share is undelegated; only this contract's own `delegate` gives it
//! shares, so an operator outside the positions holds none of them) and over the manager
//! withdrawals it queued and has not completed. `idle` is a counter (credits by the LRT and completed withdrawals in,
//! releases and delegations out): LST sent here uninvited changes nothing. It is kept in 96
//! bits (7.9e28 wei, about 600 times all the ether there is); a credit past that is refused
//! with `MathOverflow`.
//!
//! Who may call what:
//! - the LRT (fixed at deployment): `credit` (it moved LST here), `release` (idle LST back to it
//!   for fulfilled redemptions); never paused;
//! - allocator role: `setTargets` (operators, weights, idle buffer), `delegate` idle LST by the
//!   target weights without taking idle below the buffer (paused by `pause`), `undelegate`,
//!   `complete` (not paused: money must be able to come home);
//! - pauser: `pause`; admin: `unpause`, roles.
//!
//! Formulas, parameters and flows: `docs/lrt-allocator.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{aliases::U96, Address, B256, U16, U256, U32, U64};
use alloy_sol_types::SolEvent;
use lsr_common::{
    abi::{u256_word, u64_word},
    access::{IAccessControl, IPausable, PauseFlag, ALLOCATOR_ROLE, DEFAULT_ADMIN_ROLE},
    calls::{call_word, call_words, view_word},
    interfaces::{erc20_selectors, manager_selectors},
    math::{self, Rounding, BPS},
};
use stylus_sdk::prelude::*;

/// Most target operators at a time.
pub const MAX_TARGETS: usize = 16;
/// Most operators whose shares `totalAssets` reads: the targets and the positions outside them.
pub const MAX_POSITIONS: usize = 32;
/// Most manager withdrawals queued here at a time.
pub const MAX_PENDING: usize = 32;

lsr_common::sol_abi! {
    /// The LRT moved `assets` LST here; `idle` is the idle LST now.
    event Credited(uint256 assets, uint256 idle);
    /// `assets` idle LST went to the LRT; `idle` is the idle LST now.
    event Released(uint256 assets, uint256 idle);
    /// New target operators and weights (basis points), and the idle buffer (basis points of
    /// `totalAssets`).
    event TargetsSet(address[] operators, uint16[] weightsBps, uint16 bufferBps);
    /// `assets` idle LST went into `operator`'s pool for `shares` pool shares.
    event Delegated(address indexed operator, uint256 assets, uint256 shares);
    /// Manager withdrawal `id` of `shares` pool shares of `operator` was queued.
    event UndelegationQueued(uint256 indexed id, address indexed operator, uint256 shares);
    /// Manager withdrawal `id` paid `assets` LST, now idle (`idle` in total).
    event UndelegationCompleted(uint256 indexed id, uint256 assets, uint256 idle);

    /// An address parameter was zero.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorZeroAddress();
    /// The manager's `token()` is zero or missing.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorTokenNotSet(address manager);
    /// Only the LRT may credit and release.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorNotLrt(address caller);
    /// An amount was zero.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorZeroAmount();
    /// More LST than is idle.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorInsufficientIdle(uint256 needed, uint256 idle);
    /// Operators and weights differ in length.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorLengthMismatch(uint256 operators, uint256 weights);
    /// More target operators than allowed.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorTooManyTargets(uint256 count, uint256 maximum);
    /// An operator appears twice in the targets.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorDuplicateOperator(address operator);
    /// A target operator with a zero weight.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorZeroWeight(address operator);
    /// The weights and the buffer do not add up to 10,000 basis points.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorInvalidWeightSum(uint256 sum);
    /// `operator` is not registered in the restaking manager.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorUnknownOperator(address operator);
    /// The targets and the positions outside them would be more operators than allowed.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorTooManyPositions(uint256 count, uint256 maximum);
    /// No target operators are set.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorNoTargets();
    /// The delegation would leave less idle LST than the buffer.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorBufferBreached(uint256 idleAfter, uint256 buffer);
    /// No shares are held with `operator`.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorNoPosition(address operator);
    /// More pool shares than held with the operator.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorInsufficientShares(uint256 shares, uint256 held);
    /// Too many withdrawals queued; complete some first.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorTooManyPending(uint256 maximum);
    /// No pending withdrawal of this allocator has this id.
    #[derive(Debug, PartialEq, Eq)]
    error AllocatorUnknownWithdrawal(uint256 id);
}

lsr_common::contract_error! {
    /// Every error the allocator returns: its own, the shared components', and the revert data
    /// of the restaking manager or the token passed on (the manager's `ManagerZeroShares`,
    /// `ManagerWithdrawalNotReady`, `EnforcedPause`, …).
    pub enum AllocatorError uses(access, math, call) events(Credited, Released, TargetsSet, Delegated, UndelegationQueued, UndelegationCompleted) {
    /// See [`AllocatorZeroAddress`].
    ZeroAddress(AllocatorZeroAddress {}),
    /// See [`AllocatorTokenNotSet`].
    TokenNotSet(AllocatorTokenNotSet { manager }),
    /// See [`AllocatorNotLrt`].
    NotLrt(AllocatorNotLrt { caller }),
    /// See [`AllocatorZeroAmount`].
    ZeroAmount(AllocatorZeroAmount {}),
    /// See [`AllocatorInsufficientIdle`].
    InsufficientIdle(AllocatorInsufficientIdle { needed, idle }),
    /// See [`AllocatorLengthMismatch`].
    LengthMismatch(AllocatorLengthMismatch { operators, weights }),
    /// See [`AllocatorTooManyTargets`].
    TooManyTargets(AllocatorTooManyTargets { count, maximum }),
    /// See [`AllocatorDuplicateOperator`].
    DuplicateOperator(AllocatorDuplicateOperator { operator }),
    /// See [`AllocatorZeroWeight`].
    ZeroWeight(AllocatorZeroWeight { operator }),
    /// See [`AllocatorInvalidWeightSum`].
    InvalidWeightSum(AllocatorInvalidWeightSum { sum }),
    /// See [`AllocatorUnknownOperator`].
    UnknownOperator(AllocatorUnknownOperator { operator }),
    /// See [`AllocatorTooManyPositions`].
    TooManyPositions(AllocatorTooManyPositions { count, maximum }),
    /// See [`AllocatorNoTargets`].
    NoTargets(AllocatorNoTargets {}),
    /// See [`AllocatorBufferBreached`].
    BufferBreached(AllocatorBufferBreached { idleAfter, buffer }),
    /// See [`AllocatorNoPosition`].
    NoPosition(AllocatorNoPosition { operator }),
    /// See [`AllocatorInsufficientShares`].
    InsufficientShares(AllocatorInsufficientShares { shares, held }),
    /// See [`AllocatorTooManyPending`].
    TooManyPending(AllocatorTooManyPending { maximum }),
    /// See [`AllocatorUnknownWithdrawal`].
    UnknownWithdrawal(AllocatorUnknownWithdrawal { id }),
    }
}

mod storage;

pub use storage::{LrtAllocator, Target};

lsr_common::access_public!(LrtAllocator, access, pausable);

lsr_common::router! {
    LrtAllocator uses(access);
    constructor(Address, Address, Address);
    "credit" => credit(U256);
    "release" => release(U256);
    "setTargets" => set_targets(Vec<Address>, Vec<u16>, u16);
    "delegate" => delegate(U256);
    "undelegate" => undelegate(Address, U256);
    "complete" => complete(U256);
    "totalAssets" => total_assets();
    "lrt" => lrt();
    "manager" => manager();
    "token" => token();
    "idle" => idle();
    "targets" => targets();
    "pendingWithdrawals" => pending_withdrawals();
    "positions" => positions();
}

#[public]
#[implements(IAccessControl, IPausable)]
impl LrtAllocator {
    /// Binds the LRT and the restaking manager, reads the LST from the manager's `token()`,
    /// grants the admin, and approves the manager to pull LST from here without limit (its
    /// `delegate` pulls with `transferFrom`). No targets: everything stays idle (buffer 100%).
    ///
    /// # Errors
    /// `AllocatorZeroAddress`, `AllocatorTokenNotSet` (the manager's `token()` is zero or the
    /// call fails), the token's revert data from `approve`.
    ///
    /// # Events
    /// `RoleGranted`; the token emits `Approval`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        lrt: Address,
        manager: Address,
    ) -> Result<(), AllocatorError> {
        for address in [admin, lrt, manager] {
            if address.is_zero() {
                return Err(AllocatorError::ZeroAddress(AllocatorZeroAddress {}));
            }
        }
        let token = view_word(self.vm(), manager, manager_selectors::TOKEN, &[])
            .map_or(Address::ZERO, Address::from_word);
        if token.is_zero() {
            return Err(AllocatorError::TokenNotSet(AllocatorTokenNotSet {
                manager,
            }));
        }
        self.access.grant(DEFAULT_ADMIN_ROLE, admin);
        self.lrt.set(lrt);
        self.manager.set(manager);
        self.token.set(token);
        self.buffer_bps.set(U16::from(BPS));
        self.token_call(
            erc20_selectors::APPROVE,
            &[manager.into_word(), u256_word(&U256::MAX)],
        )?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // The LRT
    // -----------------------------------------------------------------------------------------

    /// Counts `assets` LST that the LRT moved here (deposits, zaps) as idle, and returns what
    /// this contract managed before them (`totalAssets` before the credit): the LRT prices the
    /// deposit with it, one call instead of two. LRT only; works while paused. Zero credits
    /// nothing (the LRT's own minimums apply).
    ///
    /// # Errors
    /// `AllocatorNotLrt`, `MathOverflow` (beyond any supply), the manager's revert data as
    /// `totalAssets`.
    ///
    /// # Events
    /// `Credited`.
    pub fn credit(&mut self, assets: U256) -> Result<U256, AllocatorError> {
        self.only_lrt()?;
        let (idle, before) = self.managed()?;
        let idle = math::add(idle, assets)?;
        self.idle.set(math::to_u96(idle)?);
        lsr_common::emit!(self.vm(), Credited { ; assets: assets, idle: idle });
        Ok(before)
    }

    /// Sends `assets` idle LST to the LRT for fulfilled redemptions. LRT only; works while
    /// paused. Zero is a no-op.
    ///
    /// # Errors
    /// `AllocatorNotLrt`, `AllocatorInsufficientIdle`.
    ///
    /// # Events
    /// `Released`; the token emits `Transfer`.
    pub fn release(&mut self, assets: U256) -> Result<(), AllocatorError> {
        let lrt = self.only_lrt()?;
        let idle = self.idle();
        if assets > idle {
            return Err(AllocatorError::InsufficientIdle(
                AllocatorInsufficientIdle {
                    needed: assets,
                    idle,
                },
            ));
        }
        let idle = idle - assets;
        // Less than it was.
        self.idle.set(U96::saturating_from(idle));
        if !assets.is_zero() {
            self.token_call(
                erc20_selectors::TRANSFER,
                &[lrt.into_word(), u256_word(&assets)],
            )?;
        }
        lsr_common::emit!(self.vm(), Released { ; assets: assets, idle: idle });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Allocator
    // -----------------------------------------------------------------------------------------

    /// Sets the target operators with their weights and the idle buffer, all in basis points:
    /// Σ weights + buffer = 10,000 exactly. Operators must be registered in the manager,
    /// distinct, with non-zero weights, at most [`MAX_TARGETS`]; together with the positions
    /// held outside them at most [`MAX_POSITIONS`]. An empty list with a 100% buffer keeps
    /// everything idle. Existing positions are not moved. Allocator only; works while paused.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocatorLengthMismatch`,
    /// `AllocatorTooManyTargets`, `AllocatorDuplicateOperator`, `AllocatorZeroWeight`,
    /// `AllocatorInvalidWeightSum`, `AllocatorUnknownOperator`, `AllocatorTooManyPositions`.
    ///
    /// # Events
    /// `TargetsSet`.
    #[allow(clippy::needless_pass_by_value)] // the router hands over owned arrays
    pub fn set_targets(
        &mut self,
        operators: Vec<Address>,
        weights_bps: Vec<u16>,
        buffer_bps: u16,
    ) -> Result<(), AllocatorError> {
        self.access.only_role(lsr_common::word!(ALLOCATOR_ROLE))?;
        let count = operators.len();
        if count != weights_bps.len() {
            return Err(AllocatorError::LengthMismatch(AllocatorLengthMismatch {
                operators: U256::from(count),
                weights: U256::from(weights_bps.len()),
            }));
        }
        if count > MAX_TARGETS {
            return Err(AllocatorError::TooManyTargets(AllocatorTooManyTargets {
                count: U256::from(count),
                maximum: U256::from(MAX_TARGETS),
            }));
        }
        let mut sum = u64::from(buffer_bps);
        for (i, (&operator, &weight)) in operators.iter().zip(&weights_bps).enumerate() {
            if operators.iter().take(i).any(|&seen| seen == operator) {
                return Err(AllocatorError::DuplicateOperator(
                    AllocatorDuplicateOperator { operator },
                ));
            }
            if weight == 0 {
                return Err(AllocatorError::ZeroWeight(AllocatorZeroWeight { operator }));
            }
            sum += u64::from(weight);
        }
        if sum != BPS {
            return Err(AllocatorError::InvalidWeightSum(
                AllocatorInvalidWeightSum {
                    sum: U256::from(sum),
                },
            ));
        }
        for &operator in &operators {
            let registered = self
                .manager_view(manager_selectors::IS_OPERATOR, &[operator.into_word()])
                .unwrap_or_default();
            if registered.is_zero() {
                return Err(AllocatorError::UnknownOperator(AllocatorUnknownOperator {
                    operator,
                }));
            }
        }
        let mut tracked = count;
        for position in self.positions() {
            if !operators.contains(&position) {
                tracked += 1;
            }
        }
        if tracked > MAX_POSITIONS {
            return Err(AllocatorError::TooManyPositions(
                AllocatorTooManyPositions {
                    count: U256::from(tracked),
                    maximum: U256::from(MAX_POSITIONS),
                },
            ));
        }
        let old_count = self.target_count.get().saturating_to::<u64>();
        let mut index = 0;
        for (&operator, &weight) in operators.iter().zip(&weights_bps) {
            let mut target = self.targets.setter(index);
            target.operator.set(operator);
            target.weight.set(U16::from(weight));
            index += 1;
        }
        self.target_count.set(U32::saturating_from(index));
        for stale in index..old_count {
            let mut target = self.targets.setter(stale);
            target.operator.set(Address::ZERO);
            target.weight.set(U16::ZERO);
        }
        self.buffer_bps.set(U16::from(buffer_bps));
        self.log_targets(&operators, &weights_bps, buffer_bps);
        Ok(())
    }

    /// Delegates `assets` idle LST to the target operators by weight: each gets
    /// `assets × weight / Σ weights` (rounded down), the first also the rounding remainder;
    /// operators whose part is zero are skipped. Idle must stay at or above the buffer,
    /// `ceil(totalAssets × bufferBps / 10,000)` with `totalAssets` before the delegation.
    /// Allocator only; stopped by `pause`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `EnforcedPause`, `AllocatorZeroAmount`,
    /// `AllocatorNoTargets`, `AllocatorInsufficientIdle`, `AllocatorBufferBreached`, and the
    /// manager's revert data (`ManagerZeroShares` for a part too small for one share,
    /// `EnforcedPause` when the manager is paused).
    ///
    /// # Events
    /// `Delegated` per operator; the manager emits `Delegated` and `PoolUpdated`, the token
    /// `Transfer`.
    pub fn delegate(&mut self, assets: U256) -> Result<(), AllocatorError> {
        self.access.only_role(lsr_common::word!(ALLOCATOR_ROLE))?;
        self.pausable.when_not_paused()?;
        if assets.is_zero() {
            return Err(AllocatorError::ZeroAmount(AllocatorZeroAmount {}));
        }
        let targets = self.target_list();
        if targets.is_empty() {
            return Err(AllocatorError::NoTargets(AllocatorNoTargets {}));
        }
        let idle = self.idle();
        if assets > idle {
            return Err(AllocatorError::InsufficientIdle(
                AllocatorInsufficientIdle {
                    needed: assets,
                    idle,
                },
            ));
        }
        let buffer = math::bps_of(
            self.total_assets()?,
            u64::from(self.buffer_bps()),
            Rounding::Up,
        )?;
        let idle_after = idle - assets;
        if idle_after < buffer {
            return Err(AllocatorError::BufferBreached(AllocatorBufferBreached {
                idleAfter: idle_after,
                buffer,
            }));
        }
        let weight_sum: u64 = targets.iter().map(|&(_, weight)| u64::from(weight)).sum();
        let mut parts = Vec::with_capacity(targets.len());
        let mut given = U256::ZERO;
        for &(operator, weight) in &targets {
            let part = math::mul_div(
                assets,
                U256::from(weight),
                U256::from(weight_sum),
                Rounding::Down,
            )?;
            given = math::add(given, part)?;
            parts.push((operator, part));
        }
        if let Some((_, first)) = parts.first_mut() {
            *first = math::add(*first, math::sub(assets, given)?)?;
        }
        parts.retain(|&(_, part)| !part.is_zero());
        self.idle.set(U96::saturating_from(idle_after));
        for &(operator, _) in &parts {
            self.add_position(operator);
        }
        for (operator, part) in parts {
            let shares = self.manager_call(
                manager_selectors::DELEGATE,
                &[operator.into_word(), u256_word(&part)],
            )?;
            lsr_common::emit!(self.vm(), Delegated { operator: operator; assets: part, shares: shares });
        }
        Ok(())
    }

    /// Queues a manager withdrawal of `shares` of this contract's pool shares with `operator`
    /// and records its id as pending; undelegating every share closes the position. The
    /// queued value stays in `totalAssets` (and slashable) until `complete`. Allocator only;
    /// works while paused. Returns the manager's withdrawal id.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocatorZeroAmount`, `AllocatorNoPosition`,
    /// `AllocatorTooManyPending`, `AllocatorInsufficientShares`, and the manager's revert
    /// data (`ManagerZeroValue`, `EnforcedPause` when the manager is paused).
    ///
    /// # Events
    /// `UndelegationQueued`; the manager emits `WithdrawalQueued`.
    pub fn undelegate(&mut self, operator: Address, shares: U256) -> Result<U256, AllocatorError> {
        self.access.only_role(lsr_common::word!(ALLOCATOR_ROLE))?;
        if shares.is_zero() {
            return Err(AllocatorError::ZeroAmount(AllocatorZeroAmount {}));
        }
        if self.position_slot.get(operator).is_zero() {
            return Err(AllocatorError::NoPosition(AllocatorNoPosition { operator }));
        }
        let pending = self.pending_count.get().saturating_to::<u64>();
        if pending >= MAX_PENDING as u64 {
            return Err(AllocatorError::TooManyPending(AllocatorTooManyPending {
                maximum: U256::from(MAX_PENDING),
            }));
        }
        let this = self.vm().contract_address();
        let held = self.manager_view(
            manager_selectors::STAKER_SHARES,
            &[this.into_word(), operator.into_word()],
        )?;
        if shares > held {
            return Err(AllocatorError::InsufficientShares(
                AllocatorInsufficientShares { shares, held },
            ));
        }
        if shares == held {
            self.remove_position(operator);
        }
        // The id is the manager's answer; its `undelegate` calls no other contract.
        let id = self.manager_call(
            manager_selectors::UNDELEGATE,
            &[operator.into_word(), u256_word(&shares)],
        )?;
        self.pending.setter(pending).set(id);
        self.pending_count.set(U32::saturating_from(pending + 1));
        self.pending_slot
            .setter(u256_word(&id))
            .set(U64::from(pending + 1));
        lsr_common::emit!(self.vm(), UndelegationQueued { id: id, operator: operator; shares: shares });
        Ok(id)
    }

    /// Completes pending withdrawal `id` in the manager (after its delay) and counts the LST
    /// it pays — min(value at queue, value now) — as idle. Allocator only; works while paused.
    /// Returns the LST paid.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocatorUnknownWithdrawal`, the manager's revert
    /// data (`ManagerWithdrawalNotReady`, `EnforcedPause` when the manager is paused).
    ///
    /// # Events
    /// `UndelegationCompleted`; the manager emits `WithdrawalCompleted` and `PoolUpdated`, the
    /// token `Transfer`.
    pub fn complete(&mut self, id: U256) -> Result<U256, AllocatorError> {
        self.access.only_role(lsr_common::word!(ALLOCATOR_ROLE))?;
        let key = u256_word(&id);
        let slot = self.pending_slot.get(key).saturating_to::<u64>();
        if slot == 0 {
            return Err(AllocatorError::UnknownWithdrawal(
                AllocatorUnknownWithdrawal { id },
            ));
        }
        // Swap-remove: the last id takes the freed place.
        let last = self.pending_count.get().saturating_to::<u64>() - 1;
        if slot - 1 != last {
            let moved = self.pending.get(last);
            self.pending.setter(slot - 1).set(moved);
            self.pending_slot
                .setter(u256_word(&moved))
                .set(U64::from(slot));
        }
        self.pending.delete(last);
        self.pending_count.set(U32::saturating_from(last));
        self.pending_slot.delete(key);
        // The LST paid is the manager's answer, read after the call.
        let paid = self.manager_call(manager_selectors::COMPLETE_WITHDRAWAL, &[u256_word(&id)])?;
        let idle = math::add(self.idle(), paid)?;
        self.idle.set(math::to_u96(idle)?);
        lsr_common::emit!(self.vm(), UndelegationCompleted { id: id; assets: paid, idle: idle });
        Ok(paid)
    }

    // -----------------------------------------------------------------------------------------
    // Views
    // -----------------------------------------------------------------------------------------

    /// LST managed for the LRT: idle, plus the value of this contract's shares with every
    /// operator it holds shares with, plus what its pending withdrawals would pay now (one
    /// static call of the manager, `positionsValue`, when there is any position or pending
    /// withdrawal).
    ///
    /// # Errors
    /// The manager's revert data when one of its views fails (never a silent zero),
    /// `MathOverflow`.
    pub fn total_assets(&self) -> Result<U256, AllocatorError> {
        Ok(self.managed()?.1)
    }

    /// The LRT, the only caller of `credit` and `release`.
    pub fn lrt(&self) -> Address {
        self.lrt.get()
    }

    /// The restaking manager.
    pub fn manager(&self) -> Address {
        self.manager.get()
    }

    /// The LST.
    pub fn token(&self) -> Address {
        self.token.get()
    }

    /// Idle LST (counted, not the token balance).
    pub fn idle(&self) -> U256 {
        U256::from(self.idle.get())
    }

    /// The target operators, their weights and the idle buffer, in basis points.
    pub fn targets(&self) -> (Vec<Address>, Vec<u16>, u16) {
        let (operators, weights) = self.target_list().into_iter().unzip();
        (operators, weights, self.buffer_bps())
    }

    /// Ids of the manager withdrawals queued here and not completed.
    pub fn pending_withdrawals(&self) -> Vec<U256> {
        (0..self.pending_count.get().saturating_to::<u64>())
            .map(|i| self.pending.get(i))
            .collect()
    }

    /// Operators this contract may hold pool shares with (delegated to, not fully
    /// undelegated since).
    pub fn positions(&self) -> Vec<Address> {
        (0..self.position_count.get().saturating_to::<u64>())
            .map(|i| self.positions.get(i))
            .collect()
    }
}

impl LrtAllocator {
    /// (idle, `totalAssets`): idle is read once, before the manager's call (a call flushes the
    /// storage cache).
    fn managed(&self) -> Result<(U256, U256), AllocatorError> {
        let idle = self.idle();
        let operators = self.positions();
        let ids = self.pending_withdrawals();
        if operators.is_empty() && ids.is_empty() {
            return Ok((idle, idle));
        }
        // positionsValue(this, operators, ids): the two arrays after a three-word head.
        let mut words = Vec::with_capacity(5 + operators.len() + ids.len());
        words.push(self.vm().contract_address().into_word());
        words.push(u64_word(0x60));
        words.push(u64_word(0x80 + 32 * operators.len() as u64));
        words.push(u64_word(operators.len() as u64));
        words.extend(operators.iter().map(Address::into_word));
        words.push(u64_word(ids.len() as u64));
        words.extend(ids.iter().map(u256_word));
        let value = self.manager_view(manager_selectors::POSITIONS_VALUE, &words)?;
        Ok((idle, math::add(idle, value)?))
    }

    fn only_lrt(&self) -> Result<Address, AllocatorError> {
        let caller = self.vm().msg_sender();
        let lrt = self.lrt.get();
        if caller != lrt {
            return Err(AllocatorError::NotLrt(AllocatorNotLrt { caller }));
        }
        Ok(lrt)
    }

    fn buffer_bps(&self) -> u16 {
        self.buffer_bps.get().saturating_to()
    }

    /// `(operator, weight)` of every target.
    fn target_list(&self) -> Vec<(Address, u16)> {
        (0..self.target_count.get().saturating_to::<u64>())
            .map(|i| {
                let target = self.targets.get(i);
                (target.operator.get(), target.weight.get().saturating_to())
            })
            .collect()
    }

    fn add_position(&mut self, operator: Address) {
        if self.position_slot.get(operator).is_zero() {
            let count = self.position_count.get().saturating_to::<u64>();
            self.positions.setter(count).set(operator);
            self.position_count.set(U32::saturating_from(count + 1));
            self.position_slot
                .setter(operator)
                .set(U64::from(count + 1));
        }
    }

    /// Swap-remove: the last position takes the freed place.
    fn remove_position(&mut self, operator: Address) {
        let slot = self.position_slot.get(operator).saturating_to::<u64>();
        if slot == 0 {
            return;
        }
        let last = self.position_count.get().saturating_to::<u64>() - 1;
        if slot - 1 != last {
            let moved = self.positions.get(last);
            self.positions.setter(slot - 1).set(moved);
            self.position_slot.setter(moved).set(U64::from(slot));
        }
        self.positions.delete(last);
        self.position_count.set(U32::saturating_from(last));
        self.position_slot.delete(operator);
    }

    /// A `uint` view of the manager.
    fn manager_view(&self, selector: [u8; 4], words: &[B256]) -> Result<U256, AllocatorError> {
        let word = view_word(self.vm(), self.manager.get(), selector, words)?;
        Ok(U256::from_be_bytes(word.0))
    }

    /// A mutating call of the manager that returns one `uint`.
    fn manager_call(&mut self, selector: [u8; 4], words: &[B256]) -> Result<U256, AllocatorError> {
        let manager = self.manager.get();
        let context = Call::new_mutating(self);
        let word = call_word(self.vm(), context, manager, selector, words)?;
        Ok(U256::from_be_bytes(word.0))
    }

    /// Calls the LST with `selector` and `words`.
    fn token_call(&mut self, selector: [u8; 4], words: &[B256]) -> Result<(), AllocatorError> {
        let token = self.token.get();
        let context = Call::new_mutating(self);
        call_words(self.vm(), context, token, selector, words)?;
        Ok(())
    }

    /// `TargetsSet`, ABI-encoded by hand: the two arrays' offsets, the buffer, then each
    /// array as its length and its elements.
    fn log_targets(&self, operators: &[Address], weights: &[u16], buffer_bps: u16) {
        let count = operators.len() as u64;
        let mut words = Vec::with_capacity(6 + 2 * operators.len());
        words.push(lsr_common::word!(TargetsSet::SIGNATURE_HASH));
        words.push(u64_word(0x60));
        words.push(u64_word(0x80 + 32 * count));
        words.push(u64_word(u64::from(buffer_bps)));
        words.push(u64_word(count));
        words.extend(operators.iter().map(Address::into_word));
        words.push(u64_word(count));
        words.extend(weights.iter().map(|&weight| u64_word(u64::from(weight))));
        lsr_common::abi::emit(self.vm(), 1, &words);
    }
}

#[cfg(test)]
mod tests;
