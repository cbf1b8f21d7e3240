//! Role-based access control and pause, as storage components and public traits.
//!
//! Roles are `bytes32` ids as in OpenZeppelin's `AccessControl`; the admin of every role is
//! [`DEFAULT_ADMIN_ROLE`] (one admin tier keeps the ABI and the audit surface small). Pause is
//! fast and narrow: holders of [`PAUSER_ROLE`] pause, only the admin unpauses. Each contract
//! decides which of its functions check [`Pausable::when_not_paused`].

use alloy_primitives::{b256, Address, B256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageMap},
};

sol! {
    /// `account` was granted `role` by `sender`.
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// `account` lost `role`, taken by `sender`.
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    /// The contract was paused by `account`.
    event Paused(address account);
    /// The contract was unpaused by `account`.
    event Unpaused(address account);

    /// The caller lacks `neededRole`.
    #[derive(Debug, PartialEq, Eq)]
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// `renounceRole` must be confirmed with the caller's own address.
    #[derive(Debug, PartialEq, Eq)]
    error AccessControlBadConfirmation();
    /// The function is disabled while paused.
    #[derive(Debug, PartialEq, Eq)]
    error EnforcedPause();
    /// The function needs the contract to be paused.
    #[derive(Debug, PartialEq, Eq)]
    error ExpectedPause();
}

/// Errors of access control and pause.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum AccessError {
    /// See [`AccessControlUnauthorizedAccount`].
    Unauthorized(AccessControlUnauthorizedAccount),
    /// See [`AccessControlBadConfirmation`].
    BadConfirmation(AccessControlBadConfirmation),
    /// See [`EnforcedPause`].
    EnforcedPause(EnforcedPause),
    /// See [`ExpectedPause`].
    ExpectedPause(ExpectedPause),
}

/// Grants and revokes every role, sets parameters, unpauses.
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;
/// keccak256("PAUSER_ROLE"): pauses.
pub const PAUSER_ROLE: B256 =
    b256!("65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a");
/// keccak256("ORACLE_ROLE"): reports balances and finalizes withdrawals.
pub const ORACLE_ROLE: B256 =
    b256!("68e79a7bf1e0bc45d0a330c573bc367f9cf464fd326078812f301165fbda4ef1");
/// keccak256("ALLOCATOR_ROLE"): moves funds between the buffer and their productive use.
pub const ALLOCATOR_ROLE: B256 =
    b256!("a8c7ec4eb4ab4af1ac0b5b2d9a1e2ebf5c0b4d5e2e8c6d2b1f7e3f8d6c5b4a39");
/// keccak256("SLASHER_ROLE"): slashes operators (AVS registries).
pub const SLASHER_ROLE: B256 =
    b256!("12b42e8a160f6064dc959c6f251e3af0750ad213dbecf573b4710d67d6c28e39");

/// Role membership.
#[storage]
pub struct AccessControl {
    members: StorageMap<B256, StorageMap<Address, StorageBool>>,
}

impl AccessControl {
    /// Whether `account` holds `role`.
    #[must_use]
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.members.getter(role).get(account)
    }

    /// Succeeds when the caller holds `role`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount(caller, role)`.
    pub fn only_role(&self, role: B256) -> Result<(), AccessError> {
        let account = self.vm().msg_sender();
        if self.has_role(role, account) {
            Ok(())
        } else {
            Err(AccessError::Unauthorized(
                AccessControlUnauthorizedAccount {
                    account,
                    neededRole: role,
                },
            ))
        }
    }

    /// Grants `role` to `account` without checking the caller (constructors, and the
    /// checked public path). Emits `RoleGranted` only when membership changes.
    pub fn grant(&mut self, role: B256, account: Address) {
        if !self.has_role(role, account) {
            self.members.setter(role).insert(account, true);
            let sender = self.vm().msg_sender();
            self.vm().log(RoleGranted {
                role,
                account,
                sender,
            });
        }
    }

    /// Revokes `role` from `account` without checking the caller. Emits `RoleRevoked` only
    /// when membership changes.
    pub fn revoke(&mut self, role: B256, account: Address) {
        if self.has_role(role, account) {
            self.members.setter(role).insert(account, false);
            let sender = self.vm().msg_sender();
            self.vm().log(RoleRevoked {
                role,
                account,
                sender,
            });
        }
    }
}

/// The pause flag.
#[storage]
pub struct Pausable {
    paused: StorageBool,
}

impl Pausable {
    /// Whether the contract is paused.
    #[must_use]
    pub fn paused(&self) -> bool {
        self.paused.get()
    }

    /// Succeeds when not paused.
    ///
    /// # Errors
    /// `EnforcedPause`.
    pub fn when_not_paused(&self) -> Result<(), AccessError> {
        if self.paused.get() {
            Err(AccessError::EnforcedPause(EnforcedPause {}))
        } else {
            Ok(())
        }
    }

    /// Sets the flag.
    ///
    /// # Errors
    /// `EnforcedPause` when pausing a paused contract, `ExpectedPause` when unpausing a
    /// running one.
    ///
    /// # Events
    /// `Paused(caller)` or `Unpaused(caller)`.
    pub fn set_paused(&mut self, paused: bool) -> Result<(), AccessError> {
        if self.paused.get() == paused {
            return Err(if paused {
                AccessError::EnforcedPause(EnforcedPause {})
            } else {
                AccessError::ExpectedPause(ExpectedPause {})
            });
        }
        self.paused.set(paused);
        let account = self.vm().msg_sender();
        if paused {
            self.vm().log(Paused { account });
        } else {
            self.vm().log(Unpaused { account });
        }
        Ok(())
    }
}

/// What a contract tells the shared access traits: where its components live.
pub trait Guarded {
    /// The contract's role registry.
    fn access(&self) -> &AccessControl;
    /// The contract's role registry, mutably.
    fn access_mut(&mut self) -> &mut AccessControl;
    /// The contract's pause flag.
    fn pausable(&self) -> &Pausable;
    /// The contract's pause flag, mutably.
    fn pausable_mut(&mut self) -> &mut Pausable;
}

/// The role ABI (`hasRole`, `getRoleAdmin`, `grantRole`, `revokeRole`, `renounceRole`).
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IAccessControl: Guarded {
    /// Whether `account` holds `role`.
    fn has_role(&self, role: B256, account: Address) -> bool {
        self.access().has_role(role, account)
    }

    /// The role that administers `role`: always the default admin role.
    fn get_role_admin(&self, _role: B256) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    /// Grants `role` to `account`. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    fn grant_role(&mut self, role: B256, account: Address) -> Result<(), AccessError> {
        self.access().only_role(DEFAULT_ADMIN_ROLE)?;
        self.access_mut().grant(role, account);
        Ok(())
    }

    /// Revokes `role` from `account`. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), AccessError> {
        self.access().only_role(DEFAULT_ADMIN_ROLE)?;
        self.access_mut().revoke(role, account);
        Ok(())
    }

    /// Gives up `role`; `caller_confirmation` must be the caller.
    ///
    /// # Errors
    /// `AccessControlBadConfirmation`.
    fn renounce_role(
        &mut self,
        role: B256,
        caller_confirmation: Address,
    ) -> Result<(), AccessError> {
        if caller_confirmation != self.access().vm().msg_sender() {
            return Err(AccessError::BadConfirmation(
                AccessControlBadConfirmation {},
            ));
        }
        self.access_mut().revoke(role, caller_confirmation);
        Ok(())
    }
}

/// The pause ABI (`paused`, `pause`, `unpause`).
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IPausable: Guarded {
    /// Whether the contract is paused.
    fn paused(&self) -> bool {
        self.pausable().paused()
    }

    /// Pauses. Pauser only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `EnforcedPause`.
    fn pause(&mut self) -> Result<(), AccessError> {
        self.access().only_role(PAUSER_ROLE)?;
        self.pausable_mut().set_paused(true)
    }

    /// Unpauses. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ExpectedPause`.
    fn unpause(&mut self) -> Result<(), AccessError> {
        self.access().only_role(DEFAULT_ADMIN_ROLE)?;
        self.pausable_mut().set_paused(false)
    }
}
