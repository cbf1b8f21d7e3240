//! AVS registry: the front door of one AVS (actively validated service) to the restaking
//! manager. One deployment per AVS.
//!
//! Operators registered in the restaking manager opt in here; the AVS's admin may eject them.
//! The manager holds the stake: one pool of LST per operator, of which the operator allocates
//! basis points to each registry. The registry reads the stake allocated to it, forwards its
//! slasher's `slash(operator, bps)` to the manager, which enforces the bounds (at most
//! `maxSlashBps` per withdrawal delay from this AVS, never more than the allocation to this
//! AVS), and forwards ETH
//! rewards to the manager, which splits and stakes them for the operator's pool.
//!
//! Slashability outlives opt-in: leaving the registry (`optOut`, `eject`) does not lower the
//! operator's allocation here, which only decreases after the allocation manager's
//! deallocation delay, and
//! `slash` is bounded by that allocation, not by membership. So `slash` does not check
//! membership, and it is never paused.
//!
//! Who may call what:
//! - an operator of the manager: `optIn` (not paused), `optOut` (also while paused);
//! - anyone: `distributeRewards` for an opted-in operator (payable, not paused), the views;
//! - slasher: `slash`;
//! - pauser: `pause`; admin: `eject`, roles, `unpause`.
//!
//! Flows and the slashability decision: `docs/avs-registry.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256, U64};
use lsr_common::{
    access::{IAccessControl, IPausable, PauseFlag, DEFAULT_ADMIN_ROLE, SLASHER_ROLE},
    calls::{call_word, call_words, view_word},
    interfaces::manager_selectors,
};
use stylus_sdk::prelude::*;

lsr_common::sol_abi! {
    /// `operator` joined the AVS.
    event OperatorOptedIn(address indexed operator);
    /// `operator` left the AVS (it stays slashable up to its allocation here).
    event OperatorOptedOut(address indexed operator);
    /// The admin removed `operator` from the AVS (it stays slashable up to its allocation
    /// here).
    event OperatorEjected(address indexed operator);
    /// The slasher slashed `operator` by `bps` for `reason`; the manager took `amount` LST.
    event OperatorSlashed(address indexed operator, uint256 bps, uint256 amount, bytes32 reason);
    /// `sender` paid `amount` wei of rewards for `operator`'s pool, forwarded to the manager.
    event RewardsDistributed(address indexed operator, address indexed sender, uint256 amount);

    /// An address given to the constructor was zero.
    #[derive(Debug, PartialEq, Eq)]
    error RegistryZeroAddress();
    /// An amount (slash bps, reward value) was zero.
    #[derive(Debug, PartialEq, Eq)]
    error RegistryZeroAmount();
    /// `operator` is not registered in the restaking manager.
    #[derive(Debug, PartialEq, Eq)]
    error RegistryNotOperator(address operator);
    /// `operator` is already opted in.
    #[derive(Debug, PartialEq, Eq)]
    error RegistryAlreadyOptedIn(address operator);
    /// `operator` is not opted in.
    #[derive(Debug, PartialEq, Eq)]
    error RegistryNotOptedIn(address operator);
}

lsr_common::contract_error! {
    /// Every error the registry returns: its own, access and pause, and the manager's revert
    /// data passed on unchanged (empty when the manager answers with too little data).
    pub enum RegistryError uses(access, call) events(OperatorOptedIn, OperatorOptedOut, OperatorEjected, OperatorSlashed, RewardsDistributed) {
    /// See [`RegistryZeroAddress`].
    ZeroAddress(RegistryZeroAddress {}),
    /// See [`RegistryZeroAmount`].
    ZeroAmount(RegistryZeroAmount {}),
    /// See [`RegistryNotOperator`].
    NotOperator(RegistryNotOperator { operator }),
    /// See [`RegistryAlreadyOptedIn`].
    AlreadyOptedIn(RegistryAlreadyOptedIn { operator }),
    /// See [`RegistryNotOptedIn`].
    NotOptedIn(RegistryNotOptedIn { operator }),
    }
}

mod storage;

pub use storage::AvsRegistry;

lsr_common::access_public!(AvsRegistry, access, pausable);

lsr_common::router! {
    AvsRegistry uses(access);
    constructor(Address, Address);
    "optIn" => opt_in();
    "optOut" => opt_out();
    "eject" => eject(Address);
    "slash" => slash(Address, U256, B256);
    "distributeRewards" => distribute_rewards(Address) payable;
    "manager" => manager();
    "isOptedIn" => is_opted_in(Address);
    "operatorCount" => operator_count();
    "operators" => operators(U256, U256);
    "allocatedStake" => allocated_stake(Address);
}

#[public]
#[implements(IAccessControl, IPausable)]
impl AvsRegistry {
    /// Binds the registry to the restaking manager, for good, and grants `admin` the admin
    /// role. The admin then grants the slasher and pauser roles.
    ///
    /// # Errors
    /// `RegistryZeroAddress`.
    ///
    /// # Events
    /// `RoleGranted` for the admin.
    #[constructor]
    pub fn constructor(&mut self, manager: Address, admin: Address) -> Result<(), RegistryError> {
        if manager.is_zero() || admin.is_zero() {
            return Err(RegistryError::ZeroAddress(RegistryZeroAddress {}));
        }
        self.manager.set(manager);
        self.access.grant(DEFAULT_ADMIN_ROLE, admin);
        Ok(())
    }

    /// The caller, an operator registered in the manager, joins the AVS.
    ///
    /// # Errors
    /// `EnforcedPause`, `RegistryAlreadyOptedIn`, `RegistryNotOperator`; the manager's revert
    /// data if its `isOperator` fails.
    ///
    /// # Events
    /// `OperatorOptedIn`.
    pub fn opt_in(&mut self) -> Result<(), RegistryError> {
        self.pausable.when_not_paused()?;
        let operator = self.vm().msg_sender();
        if self.is_opted_in(operator) {
            return Err(RegistryError::AlreadyOptedIn(RegistryAlreadyOptedIn {
                operator,
            }));
        }
        let answer = view_word(
            self.vm(),
            self.manager.get(),
            manager_selectors::IS_OPERATOR,
            &[operator.into_word()],
        )?;
        // A strict `bool`: anything but the word 1 is no.
        if U256::from_be_bytes(answer.0) != U256::from(1) {
            return Err(RegistryError::NotOperator(RegistryNotOperator { operator }));
        }
        self.members.push(operator);
        self.positions
            .setter(operator)
            .set(U64::from(self.members.len()));
        lsr_common::emit!(self.vm(), OperatorOptedIn { operator: operator; });
        Ok(())
    }

    /// The caller leaves the AVS; works while paused. Its allocation to this AVS, and with it
    /// its slashability here, only ends through the manager's delayed deallocation.
    ///
    /// # Errors
    /// `RegistryNotOptedIn`.
    ///
    /// # Events
    /// `OperatorOptedOut`.
    pub fn opt_out(&mut self) -> Result<(), RegistryError> {
        let operator = self.vm().msg_sender();
        self.remove(operator)?;
        lsr_common::emit!(self.vm(), OperatorOptedOut { operator: operator; });
        Ok(())
    }

    /// Removes `operator` from the AVS. Admin only; works while paused. Like `optOut`, it does
    /// not end the operator's slashability here.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `RegistryNotOptedIn`.
    ///
    /// # Events
    /// `OperatorEjected`.
    pub fn eject(&mut self, operator: Address) -> Result<(), RegistryError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        self.remove(operator)?;
        lsr_common::emit!(self.vm(), OperatorEjected { operator: operator; });
        Ok(())
    }

    /// Slashes `operator` by `bps` basis points of its stake allocated to this AVS, for
    /// `reason`: forwards `slash(operator, bps)` to the manager, which enforces its bound (at
    /// most `maxSlashBps` of the allocation per withdrawal delay from this registry) and takes
    /// at most the allocation; returns the LST it took. Slasher only; neither
    /// gated on current opt-in (the allocation is what bounds it) nor paused (slashing must
    /// work in an emergency).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `RegistryZeroAmount`; the manager's revert data
    /// unchanged (empty when it returns no amount).
    ///
    /// # Events
    /// `OperatorSlashed`, after the manager's own events.
    pub fn slash(
        &mut self,
        operator: Address,
        bps: U256,
        reason: B256,
    ) -> Result<U256, RegistryError> {
        self.access.only_role(lsr_common::word!(SLASHER_ROLE))?;
        if bps.is_zero() {
            return Err(RegistryError::ZeroAmount(RegistryZeroAmount {}));
        }
        let manager = self.manager.get();
        let context = Call::new_mutating(self);
        let amount: U256 = call_word(
            self.vm(),
            context,
            manager,
            manager_selectors::SLASH,
            &[operator.into_word(), bps.into()],
        )?
        .into();
        lsr_common::emit!(self.vm(), OperatorSlashed { operator: operator; bps: bps, amount: amount, reason: reason });
        Ok(amount)
    }

    /// Forwards the attached ETH to the manager as rewards for `operator`'s pool
    /// (`depositRewards(operator)`), which pays the operator's and the protocol's fees and
    /// stakes the rest for the pool. Anyone may pay; not paused.
    ///
    /// # Errors
    /// `EnforcedPause`, `RegistryZeroAmount`, `RegistryNotOptedIn`; the manager's revert data
    /// unchanged.
    ///
    /// # Events
    /// `RewardsDistributed`, after the manager's own events.
    #[payable]
    pub fn distribute_rewards(&mut self, operator: Address) -> Result<(), RegistryError> {
        self.pausable.when_not_paused()?;
        let amount = self.vm().msg_value();
        if amount.is_zero() {
            return Err(RegistryError::ZeroAmount(RegistryZeroAmount {}));
        }
        self.only_opted_in(operator)?;
        let manager = self.manager.get();
        let context = Call::new_payable(self, amount);
        call_words(
            self.vm(),
            context,
            manager,
            manager_selectors::DEPOSIT_REWARDS,
            &[operator.into_word()],
        )?;
        let sender = self.vm().msg_sender();
        lsr_common::emit!(self.vm(), RewardsDistributed { operator: operator, sender: sender; amount: amount });
        Ok(())
    }

    /// The restaking manager.
    pub fn manager(&self) -> Address {
        self.manager.get()
    }

    /// Whether `operator` is opted in.
    pub fn is_opted_in(&self, operator: Address) -> bool {
        !self.positions.get(operator).is_zero()
    }

    /// Number of opted-in operators.
    pub fn operator_count(&self) -> U256 {
        U256::from(self.members.len())
    }

    /// Up to `limit` opted-in operators from position `offset` (empty past the end). The order
    /// is stable between opt-ins and removals only: a removal moves the last operator into the
    /// freed position.
    pub fn operators(&self, offset: U256, limit: U256) -> Vec<Address> {
        let count = self.members.len();
        let start = offset.saturating_to::<usize>().min(count);
        let end = start + limit.saturating_to::<usize>().min(count - start);
        (start..end).filter_map(|i| self.members.get(i)).collect()
    }

    /// `operator`'s stake (LST) allocated to this AVS, read from the manager: the most a
    /// slash here can take, whether or not the operator is opted in.
    ///
    /// # Errors
    /// The manager's revert data.
    pub fn allocated_stake(&self, operator: Address) -> Result<U256, RegistryError> {
        let registry = self.vm().contract_address();
        let stake = view_word(
            self.vm(),
            self.manager.get(),
            manager_selectors::ALLOCATED_STAKE,
            &[operator.into_word(), registry.into_word()],
        )?;
        Ok(stake.into())
    }
}

impl AvsRegistry {
    /// Succeeds when `operator` is opted in; returns its index in `members`.
    fn only_opted_in(&self, operator: Address) -> Result<usize, RegistryError> {
        let position = self.positions.get(operator).saturating_to::<usize>();
        if position == 0 {
            return Err(RegistryError::NotOptedIn(RegistryNotOptedIn { operator }));
        }
        Ok(position - 1)
    }

    /// Takes `operator` out of the set: the last member moves into its place.
    fn remove(&mut self, operator: Address) -> Result<(), RegistryError> {
        let index = self.only_opted_in(operator)?;
        let last = self.members.len() - 1;
        if index != last {
            let moved = self.members.get(last).unwrap_or_default();
            if let Some(mut slot) = self.members.setter(index) {
                slot.set(moved);
            }
            self.positions.setter(moved).set(U64::from(index + 1));
        }
        self.members.erase_last();
        self.positions.delete(operator);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
