//! Allocation manager: the operators of the restaking suite (fee, metadata) and how much of
//! each operator's pool is at stake for which AVS.
//!
//! An operator allocates basis points of its pool (held by the restaking manager) to
//! whitelisted AVS registries it opted into, at most 100% in all. An increase applies at
//! once; a decrease applies only after `delay`, and until then the old allocation stays
//! slashable and counts towards the 100%, so stake never leaves an AVS's reach faster than
//! the AVS can react. An operator's fee on rewards is capped; a decrease applies at once, an
//! increase after `delay`, so delegators can leave first.
//!
//! The restaking manager reads `isOperator`, `isRegistry`, `slashableBps` and
//! `operatorFeeBps` from here. `EigenLayer` splits its `DelegationManager` and
//! `AllocationManager` the same way; here the split also keeps each contract under the 24 KiB
//! code limit.
//!
//! Who may call what:
//! - anyone: `registerOperator` (becomes an operator; not while paused);
//! - operators: `updateMetadataURI`, `setOperatorFee`, `allocate` (increases not while
//!   paused; decreases always);
//! - pauser: `pause`; admin: `setRegistry`, `setParameters`, `unpause`, roles.
//!
//! Formulas, parameters and flows: `docs/allocation-manager.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::string::String;

use alloy_primitives::{Address, U16, U256, U64};
use alloy_sol_types::SolEvent;
use lsr_common::{
    abi::emit_bytes,
    access::{IAccessControl, IPausable, PauseFlag, DEFAULT_ADMIN_ROLE},
    calls::view_word,
    interfaces::registry_selectors,
    math::BPS,
};
use stylus_sdk::prelude::*;

/// Hard upper bound of the operator fee cap: 20% of rewards.
pub const MAX_FEE_CAP_BPS: u16 = 2_000;
/// Shortest delay the admin may set: one hour.
pub const MIN_DELAY: u64 = 3_600;
/// Longest delay the admin may set: 30 days.
pub const MAX_DELAY: u64 = 30 * 24 * 3_600;

lsr_common::sol_abi! {
    /// `operator` registered with a fee of `feeBps` of its rewards.
    event OperatorRegistered(address indexed operator, uint16 feeBps);
    /// `operator` published metadata (name, website, keys) at `metadataURI`.
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    /// `operator`'s fee becomes `feeBps` at `effectiveAt` (now for a decrease).
    event OperatorFeeSet(address indexed operator, uint16 feeBps, uint64 effectiveAt);
    /// `registry` was added to (or removed from) the registries operators may allocate to and
    /// that may slash.
    event RegistrySet(address indexed registry, bool whitelisted);
    /// `operator`'s allocation to `registry` becomes `bps` at `effectiveAt` (now for an
    /// increase, after the delay for a decrease).
    event AllocationSet(address indexed operator, address indexed registry, uint16 bps, uint64 effectiveAt);
    /// The parameters changed.
    event ParametersSet(uint16 operatorFeeCapBps, uint64 delay);

    /// An address parameter was zero.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationZeroAddress();
    /// `operator` is not a registered operator.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationUnknownOperator(address operator);
    /// `operator` is already registered.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationOperatorAlreadyRegistered(address operator);
    /// An operator fee above the cap.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationFeeAboveCap(uint16 feeBps, uint16 capBps);
    /// Stake can only be allocated to a whitelisted registry.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationRegistryNotWhitelisted(address registry);
    /// The operator has not opted into the registry.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationNotOptedIn(address operator, address registry);
    /// The operator's allocations would sum to more than 100%.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationOverLimit(uint256 totalBps);
    /// The fee cap is above its hard bound.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationFeeCapAboveBound(uint16 capBps, uint16 bound);
    /// The delay must be within the bounds.
    #[derive(Debug, PartialEq, Eq)]
    error AllocationDelayOutOfBounds(uint64 delay, uint64 minimum, uint64 maximum);
}

lsr_common::contract_error! {
    /// Every error the allocation manager returns: its own and the shared components'.
    pub enum AllocationError uses(access) events(OperatorRegistered, OperatorMetadataURIUpdated, OperatorFeeSet, RegistrySet, AllocationSet, ParametersSet) {
    /// See [`AllocationZeroAddress`].
    ZeroAddress(AllocationZeroAddress {}),
    /// See [`AllocationUnknownOperator`].
    UnknownOperator(AllocationUnknownOperator { operator }),
    /// See [`AllocationOperatorAlreadyRegistered`].
    OperatorAlreadyRegistered(AllocationOperatorAlreadyRegistered { operator }),
    /// See [`AllocationFeeAboveCap`].
    FeeAboveCap(AllocationFeeAboveCap { feeBps, capBps }),
    /// See [`AllocationRegistryNotWhitelisted`].
    RegistryNotWhitelisted(AllocationRegistryNotWhitelisted { registry }),
    /// See [`AllocationNotOptedIn`].
    NotOptedIn(AllocationNotOptedIn { operator, registry }),
    /// See [`AllocationOverLimit`].
    OverLimit(AllocationOverLimit { totalBps }),
    /// See [`AllocationFeeCapAboveBound`].
    FeeCapAboveBound(AllocationFeeCapAboveBound { capBps, bound }),
    /// See [`AllocationDelayOutOfBounds`].
    DelayOutOfBounds(AllocationDelayOutOfBounds { delay, minimum, maximum }),
    }
}

mod storage;

pub use storage::{Allocation, AllocationManager, Operator};

lsr_common::access_public!(AllocationManager, access, pausable);

lsr_common::router! {
    AllocationManager uses(access);
    constructor(Address);
    "registerOperator" => register_operator(u16, String);
    "updateMetadataURI" => update_metadata_uri(String);
    "setOperatorFee" => set_operator_fee(u16);
    "allocate" => allocate(Address, u16);
    "setRegistry" => set_registry(Address, bool);
    "setParameters" => set_parameters(u16, u64);
    "operatorFeeCapBps" => operator_fee_cap_bps();
    "delay" => delay();
    "isRegistry" => is_registry(Address);
    "isOperator" => is_operator(Address);
    "operatorFeeBps" => operator_fee_bps(Address);
    "operatorInfo" => operator_info(Address);
    "allocation" => allocation(Address, Address);
    "slashableBps" => slashable_bps(Address, Address);
}

#[public]
#[implements(IAccessControl, IPausable)]
impl AllocationManager {
    /// Sets the admin and default parameters: operator fees capped at 10%, a 7-day delay for
    /// allocation decreases and fee increases.
    ///
    /// # Errors
    /// `AllocationZeroAddress`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address) -> Result<(), AllocationError> {
        Self::non_zero(admin)?;
        self.access.grant(DEFAULT_ADMIN_ROLE, admin);
        self.operator_fee_cap_bps.set(U16::from(1_000));
        self.delay.set(U64::from(7 * 24 * 3_600));
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Operators
    // -----------------------------------------------------------------------------------------

    /// Registers the caller as an operator taking `feeBps` of its pool's rewards (at most the
    /// cap) and publishes its metadata URI.
    ///
    /// # Errors
    /// `EnforcedPause`, `AllocationOperatorAlreadyRegistered`, `AllocationFeeAboveCap`.
    ///
    /// # Events
    /// `OperatorRegistered`, `OperatorMetadataURIUpdated`.
    #[allow(clippy::needless_pass_by_value)] // the router hands over an owned `String`
    pub fn register_operator(
        &mut self,
        fee_bps: u16,
        metadata_uri: String,
    ) -> Result<(), AllocationError> {
        self.pausable.when_not_paused()?;
        let operator = self.vm().msg_sender();
        if self.is_operator(operator) {
            return Err(AllocationError::OperatorAlreadyRegistered(
                AllocationOperatorAlreadyRegistered { operator },
            ));
        }
        self.within_fee_cap(fee_bps)?;
        let mut entry = self.operators.setter(operator);
        entry.registered.set(true);
        entry.fee_bps.set(U16::from(fee_bps));
        lsr_common::emit!(self.vm(), OperatorRegistered { operator: operator; feeBps: fee_bps });
        self.log_metadata(operator, &metadata_uri);
        Ok(())
    }

    /// Publishes new metadata for the calling operator.
    ///
    /// # Errors
    /// `AllocationUnknownOperator`.
    ///
    /// # Events
    /// `OperatorMetadataURIUpdated`.
    // The SDK would export `updateMetadataUri`; the documented name matches the event's.
    #[selector(name = "updateMetadataURI")]
    #[allow(clippy::needless_pass_by_value)] // the router hands over an owned `String`
    pub fn update_metadata_uri(&mut self, metadata_uri: String) -> Result<(), AllocationError> {
        let operator = self.caller_operator()?;
        self.log_metadata(operator, &metadata_uri);
        Ok(())
    }

    /// Sets the calling operator's fee (at most the cap). A decrease applies now; an increase
    /// applies after the delay, so delegators can leave before it bites.
    ///
    /// # Errors
    /// `AllocationUnknownOperator`, `AllocationFeeAboveCap`.
    ///
    /// # Events
    /// `OperatorFeeSet`.
    pub fn set_operator_fee(&mut self, fee_bps: u16) -> Result<(), AllocationError> {
        let operator = self.caller_operator()?;
        self.within_fee_cap(fee_bps)?;
        let now = self.now();
        let later = now + self.delay();
        let mut entry = self.operators.setter(operator);
        let current = Self::fee_at(&entry, now);
        // The fee in effect now stays (or becomes) the fee until a pending increase is due.
        entry.fee_bps.set(U16::from(current.min(fee_bps)));
        let effective_at = if fee_bps <= current {
            entry.fee_effective_at.set(U64::ZERO);
            now
        } else {
            entry.pending_fee_bps.set(U16::from(fee_bps));
            entry.fee_effective_at.set(U64::from(later));
            later
        };
        lsr_common::emit!(self.vm(), OperatorFeeSet { operator: operator; feeBps: fee_bps, effectiveAt: effective_at });
        Ok(())
    }

    /// Sets the calling operator's allocation to `registry` to `bps` of its pool. Increases
    /// need a whitelisted registry the operator opted into, keep the sum of allocations at
    /// most 100% and apply now; decreases apply after the delay (until then the old
    /// allocation stays slashable and counts towards the sum). Setting the current value
    /// cancels a pending decrease.
    ///
    /// # Errors
    /// `AllocationUnknownOperator`, `EnforcedPause` (increases), `AllocationRegistryNotWhitelisted`,
    /// `AllocationNotOptedIn`, `AllocationOverLimit`.
    ///
    /// # Events
    /// `AllocationSet`.
    pub fn allocate(&mut self, registry: Address, bps: u16) -> Result<(), AllocationError> {
        let operator = self.caller_operator()?;
        let now = self.now();
        let later = now + self.delay();
        let (current, total) = self.settle(operator, registry, now);
        let effective_at = if bps >= current {
            let new_total = u64::from(total - current) + u64::from(bps);
            if bps > current {
                self.pausable.when_not_paused()?;
                if !self.is_registry(registry) {
                    return Err(AllocationError::RegistryNotWhitelisted(
                        AllocationRegistryNotWhitelisted { registry },
                    ));
                }
                let opted_in = view_word(
                    self.vm(),
                    registry,
                    registry_selectors::IS_OPTED_IN,
                    &[operator.into_word()],
                )
                .is_ok_and(|word| !word.is_zero());
                if !opted_in {
                    return Err(AllocationError::NotOptedIn(AllocationNotOptedIn {
                        operator,
                        registry,
                    }));
                }
                if new_total > BPS {
                    return Err(AllocationError::OverLimit(AllocationOverLimit {
                        totalBps: U256::from(new_total),
                    }));
                }
            }
            let mut entry = self.operators.setter(operator);
            entry.allocated_bps.set(U16::from(new_total));
            let mut allocation = entry.allocations.setter(registry);
            allocation.bps.set(U16::from(bps));
            allocation.effective_at.set(U64::ZERO);
            now
        } else {
            let mut entry = self.operators.setter(operator);
            let mut allocation = entry.allocations.setter(registry);
            let pending_at = allocation.effective_at.get().saturating_to::<u64>();
            if pending_at != 0 && allocation.pending_bps.get() == U16::from(bps) {
                // The same decrease again: it keeps its time.
                pending_at
            } else {
                allocation.pending_bps.set(U16::from(bps));
                allocation.effective_at.set(U64::from(later));
                later
            }
        };
        lsr_common::emit!(self.vm(), AllocationSet { operator: operator, registry: registry; bps: bps, effectiveAt: effective_at });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Admin
    // -----------------------------------------------------------------------------------------

    /// Adds `registry` to (or removes it from) the registries operators may allocate to and
    /// that may slash through the restaking manager. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocationZeroAddress`.
    ///
    /// # Events
    /// `RegistrySet`.
    pub fn set_registry(
        &mut self,
        registry: Address,
        whitelisted: bool,
    ) -> Result<(), AllocationError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::non_zero(registry)?;
        self.registries.setter(registry).set(whitelisted);
        lsr_common::emit!(self.vm(), RegistrySet { registry: registry; whitelisted: whitelisted });
        Ok(())
    }

    /// Sets the cap on operator fees (at most 20%; lowering it lowers every fee above it at
    /// once, as `operatorFeeBps` reports min(fee, cap)) and the delay of allocation decreases
    /// and fee increases (one hour to 30 days; applies to changes made from now on). Admin
    /// only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `AllocationFeeCapAboveBound`,
    /// `AllocationDelayOutOfBounds`.
    ///
    /// # Events
    /// `ParametersSet`.
    pub fn set_parameters(
        &mut self,
        operator_fee_cap_bps: u16,
        delay: u64,
    ) -> Result<(), AllocationError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        if operator_fee_cap_bps > MAX_FEE_CAP_BPS {
            return Err(AllocationError::FeeCapAboveBound(
                AllocationFeeCapAboveBound {
                    capBps: operator_fee_cap_bps,
                    bound: MAX_FEE_CAP_BPS,
                },
            ));
        }
        if !(MIN_DELAY..=MAX_DELAY).contains(&delay) {
            return Err(AllocationError::DelayOutOfBounds(
                AllocationDelayOutOfBounds {
                    delay,
                    minimum: MIN_DELAY,
                    maximum: MAX_DELAY,
                },
            ));
        }
        self.operator_fee_cap_bps
            .set(U16::from(operator_fee_cap_bps));
        self.delay.set(U64::from(delay));
        lsr_common::emit!(self.vm(), ParametersSet { ; operatorFeeCapBps: operator_fee_cap_bps, delay: delay });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Views
    // -----------------------------------------------------------------------------------------

    /// The cap on operator fees, in basis points.
    pub fn operator_fee_cap_bps(&self) -> u16 {
        self.operator_fee_cap_bps.get().saturating_to()
    }

    /// The delay of allocation decreases and fee increases, in seconds.
    pub fn delay(&self) -> u64 {
        self.delay.get().saturating_to()
    }

    /// Whether `registry` is whitelisted.
    pub fn is_registry(&self, registry: Address) -> bool {
        self.registries.get(registry)
    }

    /// Whether `operator` is registered.
    pub fn is_operator(&self, operator: Address) -> bool {
        self.operators.get(operator).registered.get()
    }

    /// The fee `operator` takes of its pool's rewards now, in basis points: min(fee in
    /// effect, cap).
    pub fn operator_fee_bps(&self, operator: Address) -> u16 {
        Self::fee_at(&self.operators.get(operator), self.now()).min(self.operator_fee_cap_bps())
    }

    /// `operator`'s registration, fee in effect now (before the cap), its pending increase
    /// with the time it takes effect (zeros when none), and the sum of its allocations in
    /// basis points (pending decreases included until settled).
    pub fn operator_info(&self, operator: Address) -> (bool, u16, u16, u64, u16) {
        let entry = self.operators.get(operator);
        let now = self.now();
        let effective_at = entry.fee_effective_at.get().saturating_to::<u64>();
        let (pending, at) = if effective_at > now {
            (
                entry.pending_fee_bps.get().saturating_to::<u16>(),
                effective_at,
            )
        } else {
            (0, 0)
        };
        (
            entry.registered.get(),
            Self::fee_at(&entry, now),
            pending,
            at,
            entry.allocated_bps.get().saturating_to(),
        )
    }

    /// `operator`'s allocation to `registry` in basis points as slashable now, and a pending
    /// decrease (its new value and the time it takes effect; zeros when none).
    pub fn allocation(&self, operator: Address, registry: Address) -> (u16, u16, u64) {
        let entry = self.operators.get(operator);
        let allocation = entry.allocations.get(registry);
        let now = self.now();
        let current = Self::allocation_at(&allocation, now);
        let effective_at = allocation.effective_at.get().saturating_to::<u64>();
        if effective_at > now {
            (
                current,
                allocation.pending_bps.get().saturating_to(),
                effective_at,
            )
        } else {
            (current, 0, 0)
        }
    }

    /// The basis points of `operator`'s pool that `registry` may slash now.
    pub fn slashable_bps(&self, operator: Address, registry: Address) -> u16 {
        Self::allocation_at(
            &self.operators.get(operator).allocations.get(registry),
            self.now(),
        )
    }
}

impl AllocationManager {
    fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    /// The caller, when it is a registered operator.
    fn caller_operator(&self) -> Result<Address, AllocationError> {
        let operator = self.vm().msg_sender();
        if !self.is_operator(operator) {
            return Err(AllocationError::UnknownOperator(
                AllocationUnknownOperator { operator },
            ));
        }
        Ok(operator)
    }

    fn within_fee_cap(&self, fee_bps: u16) -> Result<(), AllocationError> {
        let cap = self.operator_fee_cap_bps();
        if fee_bps > cap {
            return Err(AllocationError::FeeAboveCap(AllocationFeeAboveCap {
                feeBps: fee_bps,
                capBps: cap,
            }));
        }
        Ok(())
    }

    /// The operator's fee at `now`: the pending increase once its time has come.
    fn fee_at(entry: &Operator, now: u64) -> u16 {
        let effective_at = entry.fee_effective_at.get().saturating_to::<u64>();
        if effective_at != 0 && now >= effective_at {
            entry.pending_fee_bps.get().saturating_to()
        } else {
            entry.fee_bps.get().saturating_to()
        }
    }

    /// The allocation slashable at `now`: the pending decrease once its time has come.
    fn allocation_at(allocation: &Allocation, now: u64) -> u16 {
        let effective_at = allocation.effective_at.get().saturating_to::<u64>();
        if effective_at != 0 && now >= effective_at {
            allocation.pending_bps.get().saturating_to()
        } else {
            allocation.bps.get().saturating_to()
        }
    }

    /// Applies a due decrease of `operator`'s allocation to `registry`; returns the
    /// allocation and the operator's sum of allocations afterwards.
    fn settle(&mut self, operator: Address, registry: Address, now: u64) -> (u16, u16) {
        let mut entry = self.operators.setter(operator);
        let total = entry.allocated_bps.get().saturating_to::<u16>();
        let mut allocation = entry.allocations.setter(registry);
        let bps = allocation.bps.get().saturating_to::<u16>();
        let current = Self::allocation_at(&allocation, now);
        if current == bps {
            return (bps, total);
        }
        allocation.bps.set(U16::from(current));
        allocation.effective_at.set(U64::ZERO);
        // A due decrease is below the allocation it replaces, which is part of the sum.
        let total = total - (bps - current);
        entry.allocated_bps.set(U16::from(total));
        (current, total)
    }

    fn log_metadata(&self, operator: Address, metadata_uri: &str) {
        emit_bytes(
            self.vm(),
            &[
                lsr_common::word!(OperatorMetadataURIUpdated::SIGNATURE_HASH),
                operator.into_word(),
            ],
            metadata_uri.as_bytes(),
        );
    }

    fn non_zero(address: Address) -> Result<(), AllocationError> {
        if address.is_zero() {
            return Err(AllocationError::ZeroAddress(AllocationZeroAddress {}));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
