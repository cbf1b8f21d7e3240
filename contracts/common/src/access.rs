//! Role-based access control and pause, as storage components and public traits.
//!
//! Roles are `bytes32` ids as in `OpenZeppelin`'s `AccessControl`; the admin of every role is
//! [`DEFAULT_ADMIN_ROLE`] (one admin tier keeps the ABI and the audit surface small). Pause is
//! fast and narrow: holders of [`PAUSER_ROLE`] pause, only the admin unpauses. Each contract
//! decides which of its functions check [`PauseFlag::when_not_paused`].
//!
//! The pause flag is a `bool` field of the contract ([`Pausable`]), not a component of its
//! own: the contract places it in the spare bytes of a slot its pausable functions read anyway
//! (next to an address), so the check costs no cold storage read of its own.

use alloy_primitives::{b256, Address, B256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageMap},
};

crate::sol_abi! {
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

crate::contract_error! {
    /// Errors of access control and pause.
    pub enum AccessError events(RoleGranted, RoleRevoked, Paused, Unpaused) only {
    /// See [`AccessControlUnauthorizedAccount`].
    Unauthorized(AccessControlUnauthorizedAccount { account, neededRole }),
    /// See [`AccessControlBadConfirmation`].
    BadConfirmation(AccessControlBadConfirmation {}),
    /// See [`EnforcedPause`].
    EnforcedPause(EnforcedPause {}),
    /// See [`ExpectedPause`].
    ExpectedPause(ExpectedPause {}),
    }
}

/// Grants and revokes every role, sets parameters, unpauses.
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;
/// `keccak256("PAUSER_ROLE")`: pauses.
pub const PAUSER_ROLE: B256 =
    b256!("65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a");
/// `keccak256("ORACLE_ROLE")`: reports balances and finalizes withdrawals.
pub const ORACLE_ROLE: B256 =
    b256!("68e79a7bf1e0bc45d0a330c573bc367f9cf464fd326078812f301165fbda4ef1");
/// `keccak256("ALLOCATOR_ROLE")`: moves funds between the buffer and their productive use.
pub const ALLOCATOR_ROLE: B256 =
    b256!("68bf109b95a5c15fb2bb99041323c27d15f8675e11bf7420a1cd6ad64c394f46");
/// `keccak256("SLASHER_ROLE")`: slashes operators (AVS registries).
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
            crate::emit!(self.vm(), RoleGranted { role: role, account: account, sender: sender; });
        }
    }

    /// The caller gives up `role`; `confirmation` must be the caller's address (a guard
    /// against renouncing by mistake).
    ///
    /// # Errors
    /// `AccessControlBadConfirmation`.
    ///
    /// # Events
    /// `RoleRevoked` when the caller held the role.
    pub fn renounce(&mut self, role: B256, confirmation: Address) -> Result<(), AccessError> {
        if confirmation != self.vm().msg_sender() {
            return Err(AccessError::BadConfirmation(
                AccessControlBadConfirmation {},
            ));
        }
        self.revoke(role, confirmation);
        Ok(())
    }

    /// Revokes `role` from `account` without checking the caller. Emits `RoleRevoked` only
    /// when membership changes.
    pub fn revoke(&mut self, role: B256, account: Address) {
        if self.has_role(role, account) {
            self.members.setter(role).insert(account, false);
            let sender = self.vm().msg_sender();
            crate::emit!(self.vm(), RoleRevoked { role: role, account: account, sender: sender; });
        }
    }
}

/// The pause flag: a `bool` field the contract places next to a field its pausable functions
/// read (see the module documentation). Its checks are [`PauseFlag`]'s.
pub type Pausable = StorageBool;

/// The checks and the switch of a [`Pausable`] flag.
pub trait PauseFlag {
    /// Whether the contract is paused.
    fn paused(&self) -> bool;

    /// Succeeds when not paused.
    ///
    /// # Errors
    /// `EnforcedPause`.
    fn when_not_paused(&self) -> Result<(), AccessError>;

    /// Sets the flag (the `Paused` / `Unpaused` event is
    /// [`access_public!`](crate::access_public!)'s).
    ///
    /// # Errors
    /// `EnforcedPause` when pausing a paused contract, `ExpectedPause` when unpausing a
    /// running one.
    fn set_paused(&mut self, paused: bool) -> Result<(), AccessError>;
}

impl PauseFlag for StorageBool {
    fn paused(&self) -> bool {
        self.get()
    }

    fn when_not_paused(&self) -> Result<(), AccessError> {
        if self.get() {
            Err(AccessError::EnforcedPause(EnforcedPause {}))
        } else {
            Ok(())
        }
    }

    fn set_paused(&mut self, paused: bool) -> Result<(), AccessError> {
        if self.get() == paused {
            return Err(if paused {
                AccessError::EnforcedPause(EnforcedPause {})
            } else {
                AccessError::ExpectedPause(ExpectedPause {})
            });
        }
        self.set(paused);
        Ok(())
    }
}

/// The role ABI (`hasRole`, `getRoleAdmin`, `grantRole`, `revokeRole`, `renounceRole`).
/// Implemented for a contract by [`crate::access_public!`].
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IAccessControl {
    /// Whether `account` holds `role`.
    fn has_role(&self, role: B256, account: Address) -> bool;
    /// The role that administers `role`: always the default admin role.
    fn get_role_admin(&self, role: B256) -> B256;
    /// Grants `role` to `account`. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    fn grant_role(&mut self, role: B256, account: Address) -> Result<(), AccessError>;
    /// Revokes `role` from `account`. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), AccessError>;
    /// Gives up `role`; `caller_confirmation` must be the caller.
    ///
    /// # Errors
    /// `AccessControlBadConfirmation`.
    fn renounce_role(
        &mut self,
        role: B256,
        caller_confirmation: Address,
    ) -> Result<(), AccessError>;
}

/// The pause ABI (`paused`, `pause` by the pauser, `unpause` by the admin). Implemented for a
/// contract by [`access_public!`](crate::access_public!).
#[allow(missing_docs)]
#[public]
pub trait IPausable {
    /// Whether the contract is paused.
    fn paused(&self) -> bool;
    /// Pauses. Pauser only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `EnforcedPause`.
    fn pause(&mut self) -> Result<(), AccessError>;
    /// Unpauses. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ExpectedPause`.
    fn unpause(&mut self) -> Result<(), AccessError>;
}

/// Exports [`IAccessControl`] and [`IPausable`] for a contract whose [`AccessControl`] and
/// [`Pausable`] components are the fields `$access` and `$pausable`. List both traits in the
/// contract's `#[implements(..)]`.
#[macro_export]
macro_rules! access_public {
    ($contract:ident, $access:ident, $pausable:ident) => {
        // In a module of its own: with `export-abi`, `#[public]` adds undocumented structs.
        #[allow(missing_docs)]
        mod __lsr_access_abi {
            use super::*;

            #[::stylus_sdk::prelude::public]
            impl $crate::access::IAccessControl for $contract {
                fn has_role(
                    &self,
                    role: ::alloy_primitives::B256,
                    account: ::alloy_primitives::Address,
                ) -> bool {
                    self.$access.has_role(role, account)
                }

                fn get_role_admin(
                    &self,
                    _role: ::alloy_primitives::B256,
                ) -> ::alloy_primitives::B256 {
                    $crate::access::DEFAULT_ADMIN_ROLE
                }

                fn grant_role(
                    &mut self,
                    role: ::alloy_primitives::B256,
                    account: ::alloy_primitives::Address,
                ) -> Result<(), $crate::access::AccessError> {
                    self.$access.only_role($crate::access::DEFAULT_ADMIN_ROLE)?;
                    self.$access.grant(role, account);
                    Ok(())
                }

                fn revoke_role(
                    &mut self,
                    role: ::alloy_primitives::B256,
                    account: ::alloy_primitives::Address,
                ) -> Result<(), $crate::access::AccessError> {
                    self.$access.only_role($crate::access::DEFAULT_ADMIN_ROLE)?;
                    self.$access.revoke(role, account);
                    Ok(())
                }

                fn renounce_role(
                    &mut self,
                    role: ::alloy_primitives::B256,
                    caller_confirmation: ::alloy_primitives::Address,
                ) -> Result<(), $crate::access::AccessError> {
                    self.$access.renounce(role, caller_confirmation)
                }
            }

            #[::stylus_sdk::prelude::public]
            impl $crate::access::IPausable for $contract {
                fn paused(&self) -> bool {
                    $crate::access::PauseFlag::paused(&self.$pausable)
                }

                fn pause(&mut self) -> Result<(), $crate::access::AccessError> {
                    self.$access.only_role($crate::word!($crate::access::PAUSER_ROLE))?;
                    $crate::access::PauseFlag::set_paused(&mut self.$pausable, true)?;
                    let account = self.vm().msg_sender();
                    $crate::emit!(self.vm(), $crate::access::Paused { ; account: account });
                    Ok(())
                }

                fn unpause(&mut self) -> Result<(), $crate::access::AccessError> {
                    self.$access.only_role($crate::access::DEFAULT_ADMIN_ROLE)?;
                    $crate::access::PauseFlag::set_paused(&mut self.$pausable, false)?;
                    let account = self.vm().msg_sender();
                    $crate::emit!(self.vm(), $crate::access::Unpaused { ; account: account });
                    Ok(())
                }
            }
        }
        #[cfg(feature = "export-abi")]
        pub use __lsr_access_abi::*;
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn role_ids_are_the_keccak_of_their_names() {
        assert_eq!(PAUSER_ROLE, keccak256("PAUSER_ROLE"));
        assert_eq!(ORACLE_ROLE, keccak256("ORACLE_ROLE"));
        assert_eq!(ALLOCATOR_ROLE, keccak256("ALLOCATOR_ROLE"));
        assert_eq!(SLASHER_ROLE, keccak256("SLASHER_ROLE"));
    }
}
