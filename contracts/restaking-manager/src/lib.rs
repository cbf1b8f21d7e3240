//! Restaking manager: holds LST for stakers in one pool per operator, applies bounded
//! slashing of what operators allocated to AVS registries, and stakes ETH rewards into the
//! vault for the pool. Operators, their fees and their allocations live in the allocation
//! manager (`allocation-manager`), which this contract reads.
//!
//! Pool value: a pool of `stake` LST backing `shares` pool shares (queued ones included)
//! prices deposits at `assets × (shares + 1e3) / (stake + 1e3)` (rounded down) and pays out at
//! `shares × stake / (shares + 1e3)` (rounded down), so the claims of all stakers together
//! never exceed the pool, also after a slash.
//!
//! Who may call what:
//! - anyone: `delegate` / `undelegate` with any number of operators, `completeWithdrawal` of
//!   their own queued withdrawal after the delay (paying min(value at queue, value now)),
//!   `depositRewards` for an operator, `claimFees` (operators and the treasury);
//! - registries whitelisted in the allocation manager: `slash` (at most `maxSlashBps` of the
//!   stake the operator allocated to the calling registry, per window of the withdrawal
//!   delay; never paused);
//! - pauser: `pause`; admin: parameters within hard bounds, recipients, `unpause`, roles.
//!
//! Formulas, parameters and flows: `docs/restaking-manager.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloy_primitives::{Address, B256, U16, U256, U64};
use lsr_common::{
    access::{IAccessControl, IPausable, PauseFlag, DEFAULT_ADMIN_ROLE},
    calls::{call_word, call_words, view_word},
    interfaces::{allocation_selectors, erc20_selectors, vault_selectors},
    math::{self, Rounding, BPS},
};
use stylus_sdk::{call::transfer::transfer_eth, prelude::*};

/// Hard upper bound of the protocol fee and of the operator fee: 20% of rewards each.
pub const MAX_FEE_BPS: u16 = 2_000;
/// Shortest withdrawal (and deallocation) delay the admin may set: one hour.
pub const MIN_WITHDRAWAL_DELAY: u64 = 3_600;
/// Longest withdrawal (and deallocation) delay the admin may set: 30 days.
pub const MAX_WITHDRAWAL_DELAY: u64 = 30 * 24 * 3_600;

lsr_common::sol_abi! {
    /// `staker` delegated `assets` LST to `operator`'s pool for `shares` pool shares.
    event Delegated(address indexed staker, address indexed operator, uint256 assets, uint256 shares);
    /// `staker` queued withdrawal `id` of `shares` pool shares of `operator` worth `value`
    /// LST, completable at `readyAt`.
    event WithdrawalQueued(uint256 indexed id, address indexed staker, address indexed operator, uint256 shares, uint256 value, uint64 readyAt);
    /// Withdrawal `id` paid `amount` LST to `staker`.
    event WithdrawalCompleted(uint256 indexed id, address indexed staker, uint256 amount);
    /// `registry` slashed `operator` by `bps` of its allocated stake: `amount` LST went to the
    /// slash recipient.
    event OperatorSlashed(address indexed operator, address indexed registry, uint256 bps, uint256 amount);
    /// `sender` paid `amount` wei of rewards for `operator`: fees set aside in ETH, the rest
    /// staked in the vault for `staked` LST added to the pool.
    event RewardsDeposited(address indexed operator, address indexed sender, uint256 amount, uint256 operatorFee, uint256 protocolFee, uint256 staked);
    /// `account` was paid `amount` wei of fees.
    event FeesClaimed(address indexed account, uint256 amount);
    /// `operator`'s pool now holds `stake` LST for `shares` pool shares.
    event PoolUpdated(address indexed operator, uint256 stake, uint256 shares);
    /// The parameters changed.
    event ParametersSet(uint16 protocolFeeBps, uint16 maxSlashBps, uint64 withdrawalDelay);
    /// The fee and slash recipients changed.
    event RecipientsSet(address treasury, address slashRecipient);

    /// An address parameter was zero.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerZeroAddress();
    /// An amount was zero.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerZeroAmount();
    /// The delegation would mint no pool shares.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerZeroShares();
    /// The shares to undelegate are worth nothing.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerZeroValue(uint256 shares);
    /// `operator` is not a registered operator.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerUnknownOperator(address operator);
    /// Only a whitelisted registry may slash.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerNotRegistry(address caller);
    /// The operator has no stake allocated to the slashing registry.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerNotAllocated(address operator, address registry);
    /// A slash above what is left of the bound: `maxSlashBps` per registry and operator in
    /// a window of `withdrawalDelay`, which ends at `windowEndsAt`.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerSlashAboveBound(uint256 bps, uint256 leftBps, uint64 windowEndsAt);
    /// More pool shares than the staker holds.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerInsufficientShares(uint256 shares, uint256 held);
    /// No withdrawal has this id.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerWithdrawalNotFound(uint256 id);
    /// Only the staker who queued a withdrawal may complete it.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerNotWithdrawalOwner(uint256 id, address caller);
    /// The withdrawal was already completed.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerWithdrawalCompleted(uint256 id);
    /// The withdrawal delay has not passed.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerWithdrawalNotReady(uint256 id, uint64 readyAt);
    /// Rewards need delegators to go to.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerEmptyPool(address operator);
    /// Sending ETH failed (the receiver reverted).
    #[derive(Debug, PartialEq, Eq)]
    error ManagerEthTransferFailed(address to, uint256 amount);
    /// A parameter is above its hard bound.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerParameterAboveBound(uint256 value, uint256 bound);
    /// The withdrawal delay must be within the bounds.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerDelayOutOfBounds(uint64 delay, uint64 minimum, uint64 maximum);
    /// The vault has no LST token bound yet.
    #[derive(Debug, PartialEq, Eq)]
    error ManagerTokenNotSet(address vault);
    /// Slashed LST cannot go to the LST token (which refuses it, so every slash would revert)
    /// or to this contract (where it would sit outside every pool).
    #[derive(Debug, PartialEq, Eq)]
    error ManagerInvalidSlashRecipient(address recipient);
}

lsr_common::contract_error! {
    /// Every error the manager returns: its own, the shared components', and the revert data
    /// of the token or the vault passed on (`ERC20InsufficientAllowance` from a delegation
    /// without approval, the vault's deposit errors from rewards).
    pub enum ManagerError uses(access, math, call) events(Delegated, WithdrawalQueued, WithdrawalCompleted, OperatorSlashed, RewardsDeposited, FeesClaimed, PoolUpdated, ParametersSet, RecipientsSet) {
    /// See [`ManagerZeroAddress`].
    ZeroAddress(ManagerZeroAddress {}),
    /// See [`ManagerZeroAmount`].
    ZeroAmount(ManagerZeroAmount {}),
    /// See [`ManagerZeroShares`].
    ZeroShares(ManagerZeroShares {}),
    /// See [`ManagerZeroValue`].
    ZeroValue(ManagerZeroValue { shares }),
    /// See [`ManagerUnknownOperator`].
    UnknownOperator(ManagerUnknownOperator { operator }),
    /// See [`ManagerNotRegistry`].
    NotRegistry(ManagerNotRegistry { caller }),
    /// See [`ManagerNotAllocated`].
    NotAllocated(ManagerNotAllocated { operator, registry }),
    /// See [`ManagerSlashAboveBound`].
    SlashAboveBound(ManagerSlashAboveBound { bps, leftBps, windowEndsAt }),
    /// See [`ManagerInsufficientShares`].
    InsufficientShares(ManagerInsufficientShares { shares, held }),
    /// See [`ManagerWithdrawalNotFound`].
    WithdrawalNotFound(ManagerWithdrawalNotFound { id }),
    /// See [`ManagerNotWithdrawalOwner`].
    NotWithdrawalOwner(ManagerNotWithdrawalOwner { id, caller }),
    /// See [`ManagerWithdrawalCompleted`].
    WithdrawalCompleted(ManagerWithdrawalCompleted { id }),
    /// See [`ManagerWithdrawalNotReady`].
    WithdrawalNotReady(ManagerWithdrawalNotReady { id, readyAt }),
    /// See [`ManagerEmptyPool`].
    EmptyPool(ManagerEmptyPool { operator }),
    /// See [`ManagerEthTransferFailed`].
    EthTransferFailed(ManagerEthTransferFailed { to, amount }),
    /// See [`ManagerParameterAboveBound`].
    ParameterAboveBound(ManagerParameterAboveBound { value, bound }),
    /// See [`ManagerDelayOutOfBounds`].
    DelayOutOfBounds(ManagerDelayOutOfBounds { delay, minimum, maximum }),
    /// See [`ManagerInvalidSlashRecipient`].
    InvalidSlashRecipient(ManagerInvalidSlashRecipient { recipient }),
    /// See [`ManagerTokenNotSet`].
    TokenNotSet(ManagerTokenNotSet { vault }),
    }
}

mod storage;

pub use storage::{Pool, RestakingManager, Withdrawal};

lsr_common::access_public!(RestakingManager, access, pausable);

lsr_common::router! {
    RestakingManager uses(access);
    constructor(Address, Address, Address, Address, Address);
    "delegate" => delegate(Address, U256);
    "undelegate" => undelegate(Address, U256);
    "completeWithdrawal" => complete_withdrawal(U256);
    "slash" => slash(Address, U256);
    "depositRewards" => deposit_rewards(Address) payable;
    "claimFees" => claim_fees();
    "setParameters" => set_parameters(u16, u16, u64);
    "setRecipients" => set_recipients(Address, Address);
    "vault" => vault();
    "token" => token();
    "treasury" => treasury();
    "slashRecipient" => slash_recipient();
    "protocolFeeBps" => protocol_fee_bps();
    "allocationManager" => allocation_manager();
    "isOperator" => is_operator(Address);
    "maxSlashBps" => max_slash_bps();
    "withdrawalDelay" => withdrawal_delay();
    "pool" => pool(Address);
    "allocatedStake" => allocated_stake(Address, Address);
    "stakerShares" => staker_shares(Address, Address);
    "stakerValue" => staker_value(Address, Address);
    "previewDelegate" => preview_delegate(Address, U256);
    "withdrawal" => withdrawal(U256);
    "queuedValue" => queued_value(U256);
    "positionsValue" => positions_value(Address, Vec<Address>, Vec<U256>);
    "nextWithdrawalId" => next_withdrawal_id();
    "claimableFees" => claimable_fees(Address);
    "slashBoundLeft" => slash_bound_left(Address, Address);
}

#[public]
#[implements(IAccessControl, IPausable)]
impl RestakingManager {
    /// Binds the staking vault and its LST and the allocation manager, sets the admin and the
    /// fee and slash recipients, and default parameters: protocol fee 5%, at most 10% of an
    /// allocation slashed per registry and window of the withdrawal delay, a 7-day withdrawal
    /// delay.
    ///
    /// # Errors
    /// `ManagerZeroAddress`, `ManagerTokenNotSet` (the vault's `token()` is zero or missing),
    /// `ManagerInvalidSlashRecipient`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        vault: Address,
        allocation_manager: Address,
        treasury: Address,
        slash_recipient: Address,
    ) -> Result<(), ManagerError> {
        for address in [admin, vault, allocation_manager, treasury, slash_recipient] {
            Self::non_zero(address)?;
        }
        let token = view_word(self.vm(), vault, vault_selectors::TOKEN, &[])
            .map_or(Address::ZERO, Address::from_word);
        if token.is_zero() {
            return Err(ManagerError::TokenNotSet(ManagerTokenNotSet { vault }));
        }
        self.valid_slash_recipient(token, slash_recipient)?;
        self.access.grant(DEFAULT_ADMIN_ROLE, admin);
        self.vault.set(vault);
        self.token.set(token);
        self.allocation_manager.set(allocation_manager);
        self.treasury.set(treasury);
        self.slash_recipient.set(slash_recipient);
        self.protocol_fee_bps.set(U16::from(500));
        self.max_slash_bps.set(U16::from(1_000));
        self.withdrawal_delay.set(U64::from(7 * 24 * 3_600));
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Stakers
    // -----------------------------------------------------------------------------------------

    /// Moves `assets` LST from the caller (who approved this contract) into `operator`'s pool
    /// for pool shares at the pool's price, rounded down. Returns the shares.
    ///
    /// # Errors
    /// `EnforcedPause`, `ManagerZeroAmount`, `ManagerUnknownOperator`, `ManagerZeroShares`,
    /// and the token's `ERC20InsufficientAllowance` / `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `Delegated`, `PoolUpdated`; the token emits `Transfer`.
    pub fn delegate(&mut self, operator: Address, assets: U256) -> Result<U256, ManagerError> {
        self.pausable.when_not_paused()?;
        if assets.is_zero() {
            return Err(ManagerError::ZeroAmount(ManagerZeroAmount {}));
        }
        self.registered(operator)?;
        let staker = self.vm().msg_sender();
        let (stake, total) = self.pool_totals(operator);
        let shares = math::to_shares(assets, stake, total, Rounding::Down)?;
        if shares.is_zero() {
            return Err(ManagerError::ZeroShares(ManagerZeroShares {}));
        }
        self.set_pool(
            operator,
            math::add(stake, assets)?,
            math::add(total, shares)?,
        )?;
        let mut entry = self.pools.setter(operator);
        let mut held = entry.staker_shares.setter(staker);
        let now_held = math::add(held.get(), shares)?;
        held.set(now_held);
        let this = self.vm().contract_address();
        self.token_call(
            erc20_selectors::TRANSFER_FROM,
            &[staker.into_word(), this.into_word(), assets.into()],
        )?;
        lsr_common::emit!(self.vm(), Delegated { staker: staker, operator: operator; assets: assets, shares: shares });
        self.log_pool(operator);
        Ok(shares)
    }

    /// Queues a withdrawal of `shares` of the caller's pool shares with `operator`, worth
    /// their value now (rounded down); the shares stay in the pool and stay slashable until
    /// completion. Returns the withdrawal id.
    ///
    /// # Errors
    /// `EnforcedPause`, `ManagerZeroAmount`, `ManagerInsufficientShares`, `ManagerZeroValue`.
    ///
    /// # Events
    /// `WithdrawalQueued`.
    pub fn undelegate(&mut self, operator: Address, shares: U256) -> Result<U256, ManagerError> {
        self.pausable.when_not_paused()?;
        if shares.is_zero() {
            return Err(ManagerError::ZeroAmount(ManagerZeroAmount {}));
        }
        let staker = self.vm().msg_sender();
        let held = self.staker_shares(staker, operator);
        if shares > held {
            return Err(ManagerError::InsufficientShares(
                ManagerInsufficientShares { shares, held },
            ));
        }
        let (stake, total) = self.pool_totals(operator);
        let value = math::to_backed_assets(shares, stake, total)?;
        if value.is_zero() {
            return Err(ManagerError::ZeroValue(ManagerZeroValue { shares }));
        }
        let ready_at = self.now() + self.withdrawal_delay.get().saturating_to::<u64>();
        let mut entry = self.pools.setter(operator);
        entry.staker_shares.setter(staker).set(held - shares);
        let queued = math::add(entry.queued_shares.get(), shares)?;
        entry.queued_shares.set(queued);
        let id = self.next_withdrawal_id.get().saturating_to::<u64>();
        self.next_withdrawal_id.set(U64::from(id + 1));
        let mut withdrawal = self.withdrawals.setter(id);
        withdrawal.staker.set(staker);
        withdrawal.ready_at.set(U64::from(ready_at));
        withdrawal.operator.set(operator);
        withdrawal.shares.set(shares);
        withdrawal.value.set(value);
        let id = U256::from(id);
        lsr_common::emit!(self.vm(), WithdrawalQueued { id: id, staker: staker, operator: operator; shares: shares, value: value, readyAt: ready_at });
        Ok(id)
    }

    /// Pays the caller's queued withdrawal `id` after its delay: min(value at queue, value
    /// now) in LST. What a slash took since the queueing is borne; a gain stays in the pool.
    /// Returns the LST paid.
    ///
    /// # Errors
    /// `EnforcedPause`, `ManagerWithdrawalNotFound`, `ManagerNotWithdrawalOwner`,
    /// `ManagerWithdrawalCompleted`, `ManagerWithdrawalNotReady`.
    ///
    /// # Events
    /// `WithdrawalCompleted`, `PoolUpdated`; the token emits `Transfer`.
    pub fn complete_withdrawal(&mut self, id: U256) -> Result<U256, ManagerError> {
        self.pausable.when_not_paused()?;
        let key = self.existing_withdrawal(id)?;
        let caller = self.vm().msg_sender();
        let now = self.now();
        let withdrawal = self.withdrawals.get(key);
        let staker = withdrawal.staker.get();
        if caller != staker {
            return Err(ManagerError::NotWithdrawalOwner(
                ManagerNotWithdrawalOwner { id, caller },
            ));
        }
        if withdrawal.completed.get() {
            return Err(ManagerError::WithdrawalCompleted(
                ManagerWithdrawalCompleted { id },
            ));
        }
        let ready_at = withdrawal.ready_at.get().saturating_to::<u64>();
        if now < ready_at {
            return Err(ManagerError::WithdrawalNotReady(
                ManagerWithdrawalNotReady {
                    id,
                    readyAt: ready_at,
                },
            ));
        }
        let operator = withdrawal.operator.get();
        let shares = withdrawal.shares.get();
        let paid = self.payout(key)?;
        self.withdrawals.setter(key).completed.set(true);
        let (stake, total) = self.pool_totals(operator);
        self.set_pool(operator, math::sub(stake, paid)?, math::sub(total, shares)?)?;
        let mut entry = self.pools.setter(operator);
        let queued = math::sub(entry.queued_shares.get(), shares)?;
        entry.queued_shares.set(queued);
        if !paid.is_zero() {
            self.token_call(
                erc20_selectors::TRANSFER,
                &[staker.into_word(), paid.into()],
            )?;
        }
        lsr_common::emit!(self.vm(), WithdrawalCompleted { id: id, staker: staker; amount: paid });
        self.log_pool(operator);
        Ok(paid)
    }

    // -----------------------------------------------------------------------------------------
    // Slashing and rewards
    // -----------------------------------------------------------------------------------------

    /// Slashes `operator` by `bps` of its stake allocated to the calling registry: takes
    /// ceil(allocated × bps / 10,000) LST from the pool (never more than the allocation) and
    /// sends it to the slash recipient. Every share of the pool, queued ones included, loses
    /// the same fraction. The slashes of one registry on one operator add up to at most
    /// `maxSlashBps` per window, which the first slash opens for the withdrawal delay then in
    /// force; windows follow one another, so a withdrawal queued for that delay overlaps at
    /// most two and loses at most twice `maxSlashBps` of the allocation to each registry.
    /// Whitelisted registries only; works while paused. Returns the LST taken.
    ///
    /// # Errors
    /// `ManagerNotRegistry`, `ManagerZeroAmount`, `ManagerSlashAboveBound`,
    /// `ManagerNotAllocated`.
    ///
    /// # Events
    /// `OperatorSlashed`, `PoolUpdated`; the token emits `Transfer`.
    pub fn slash(&mut self, operator: Address, bps: U256) -> Result<U256, ManagerError> {
        let registry = self.vm().msg_sender();
        if !self.allocation_flag(allocation_selectors::IS_REGISTRY, &[registry.into_word()]) {
            return Err(ManagerError::NotRegistry(ManagerNotRegistry {
                caller: registry,
            }));
        }
        if bps.is_zero() {
            return Err(ManagerError::ZeroAmount(ManagerZeroAmount {}));
        }
        let (left, spent, ends) = self.slash_window(operator, registry);
        if bps > U256::from(left) {
            return Err(ManagerError::SlashAboveBound(ManagerSlashAboveBound {
                bps,
                leftBps: U256::from(left),
                windowEndsAt: ends,
            }));
        }
        let allocated = self.allocated_stake(operator, registry)?;
        if allocated.is_zero() {
            return Err(ManagerError::NotAllocated(ManagerNotAllocated {
                operator,
                registry,
            }));
        }
        let mut pool = self.pools.setter(operator);
        let mut window = pool.slashes.setter(registry);
        window.ends_at.set(U64::from(ends));
        // bps ≤ left ≤ maxSlashBps ≤ 10,000.
        window
            .bps
            .set(spent + U16::from(bps.saturating_to::<u16>()));
        let amount = math::bps_of(allocated, bps.saturating_to::<u64>(), Rounding::Up)?;
        let (stake, total) = self.pool_totals(operator);
        self.set_pool(operator, math::sub(stake, amount)?, total)?;
        let recipient = self.slash_recipient.get();
        self.token_call(
            erc20_selectors::TRANSFER,
            &[recipient.into_word(), amount.into()],
        )?;
        lsr_common::emit!(self.vm(), OperatorSlashed { operator: operator, registry: registry; bps: bps, amount: amount });
        self.log_pool(operator);
        Ok(amount)
    }

    /// Pays the attached ETH as rewards of `operator`'s pool: the operator's fee and the
    /// protocol fee are set aside in ETH (claimed with `claimFees`), the rest is staked in the
    /// vault and the LST it mints joins the pool, raising its share value.
    ///
    /// # Errors
    /// `EnforcedPause`, `ManagerZeroAmount`, `ManagerUnknownOperator`, `ManagerEmptyPool`,
    /// and the vault's deposit errors (minimum deposit, cap, pause).
    ///
    /// # Events
    /// `RewardsDeposited`, `PoolUpdated`; the vault emits `Deposited`.
    #[payable]
    pub fn deposit_rewards(&mut self, operator: Address) -> Result<(), ManagerError> {
        self.pausable.when_not_paused()?;
        let amount = self.vm().msg_value();
        if amount.is_zero() {
            return Err(ManagerError::ZeroAmount(ManagerZeroAmount {}));
        }
        self.registered(operator)?;
        let (_, total) = self.pool_totals(operator);
        if total.is_zero() {
            return Err(ManagerError::EmptyPool(ManagerEmptyPool { operator }));
        }
        // The allocation manager caps fees at 20%; the bound here keeps the split sound anyway.
        let fee_bps = self
            .allocation_view(
                allocation_selectors::OPERATOR_FEE_BPS,
                &[operator.into_word()],
            )
            .min(U256::from(MAX_FEE_BPS));
        let operator_fee = math::bps_of(amount, fee_bps.saturating_to::<u64>(), Rounding::Down)?;
        let protocol_fee = math::bps_of(
            amount,
            self.protocol_fee_bps.get().saturating_to::<u64>(),
            Rounding::Down,
        )?;
        let treasury = self.treasury.get();
        self.credit(operator, operator_fee)?;
        self.credit(treasury, protocol_fee)?;
        let rest = amount - operator_fee - protocol_fee;
        let this = self.vm().contract_address();
        let vault = self.vault.get();
        let context = Call::new_payable(self, rest);
        let staked: U256 = call_word(
            self.vm(),
            context,
            vault,
            vault_selectors::DEPOSIT,
            &[this.into_word()],
        )?
        .into();
        // Read again after the vault's call, which cannot change the pool.
        let (stake, total) = self.pool_totals(operator);
        self.set_pool(operator, math::add(stake, staked)?, total)?;
        let sender = self.vm().msg_sender();
        lsr_common::emit!(self.vm(), RewardsDeposited { operator: operator, sender: sender; amount: amount, operatorFee: operator_fee, protocolFee: protocol_fee, staked: staked });
        self.log_pool(operator);
        Ok(())
    }

    /// Pays the caller the ETH fees set aside for it (as an operator or the treasury).
    /// Works while paused.
    ///
    /// # Errors
    /// `ManagerZeroAmount` when nothing is due, `ManagerEthTransferFailed`.
    ///
    /// # Events
    /// `FeesClaimed`.
    pub fn claim_fees(&mut self) -> Result<U256, ManagerError> {
        let account = self.vm().msg_sender();
        let amount = self.claimable.get(account);
        if amount.is_zero() {
            return Err(ManagerError::ZeroAmount(ManagerZeroAmount {}));
        }
        self.claimable.setter(account).set(U256::ZERO);
        lsr_common::emit!(self.vm(), FeesClaimed { account: account; amount: amount });
        transfer_eth(self.vm(), account, amount).map_err(|_| {
            ManagerError::EthTransferFailed(ManagerEthTransferFailed {
                to: account,
                amount,
            })
        })?;
        Ok(amount)
    }

    // -----------------------------------------------------------------------------------------
    // Admin
    // -----------------------------------------------------------------------------------------

    /// Sets the parameters: the protocol fee on rewards (at most 20%), the most one registry's
    /// slashes of one operator take per window, in basis points of the allocated stake (at
    /// most 100%; zero turns slashing off; applies to open windows at once), and the withdrawal
    /// delay (one hour to 30 days; applies to what is queued, and to slashing windows opened,
    /// from now on). Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ManagerParameterAboveBound`,
    /// `ManagerDelayOutOfBounds`.
    ///
    /// # Events
    /// `ParametersSet`.
    pub fn set_parameters(
        &mut self,
        protocol_fee_bps: u16,
        max_slash_bps: u16,
        withdrawal_delay: u64,
    ) -> Result<(), ManagerError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::at_most(u64::from(protocol_fee_bps), u64::from(MAX_FEE_BPS))?;
        Self::at_most(u64::from(max_slash_bps), BPS)?;
        if !(MIN_WITHDRAWAL_DELAY..=MAX_WITHDRAWAL_DELAY).contains(&withdrawal_delay) {
            return Err(ManagerError::DelayOutOfBounds(ManagerDelayOutOfBounds {
                delay: withdrawal_delay,
                minimum: MIN_WITHDRAWAL_DELAY,
                maximum: MAX_WITHDRAWAL_DELAY,
            }));
        }
        self.protocol_fee_bps.set(U16::from(protocol_fee_bps));
        self.max_slash_bps.set(U16::from(max_slash_bps));
        self.withdrawal_delay.set(U64::from(withdrawal_delay));
        lsr_common::emit!(self.vm(), ParametersSet { ; protocolFeeBps: protocol_fee_bps, maxSlashBps: max_slash_bps, withdrawalDelay: withdrawal_delay });
        Ok(())
    }

    /// Sets the recipient of the protocol fee (fees already set aside stay claimable by the
    /// old one) and the recipient of slashed LST. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `ManagerZeroAddress`, `ManagerInvalidSlashRecipient`.
    ///
    /// # Events
    /// `RecipientsSet`.
    pub fn set_recipients(
        &mut self,
        treasury: Address,
        slash_recipient: Address,
    ) -> Result<(), ManagerError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::non_zero(treasury)?;
        Self::non_zero(slash_recipient)?;
        self.valid_slash_recipient(self.token.get(), slash_recipient)?;
        self.treasury.set(treasury);
        self.slash_recipient.set(slash_recipient);
        lsr_common::emit!(self.vm(), RecipientsSet { ; treasury: treasury, slashRecipient: slash_recipient });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Views
    // -----------------------------------------------------------------------------------------

    /// The staking vault.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// The LST held in the pools.
    pub fn token(&self) -> Address {
        self.token.get()
    }

    /// The protocol fee recipient.
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// The recipient of slashed LST.
    pub fn slash_recipient(&self) -> Address {
        self.slash_recipient.get()
    }

    /// The protocol fee on rewards, in basis points.
    pub fn protocol_fee_bps(&self) -> u16 {
        self.protocol_fee_bps.get().saturating_to()
    }

    /// The allocation manager, which holds the operators and their allocations.
    pub fn allocation_manager(&self) -> Address {
        self.allocation_manager.get()
    }

    /// Whether `operator` is registered (in the allocation manager).
    pub fn is_operator(&self, operator: Address) -> bool {
        self.allocation_flag(allocation_selectors::IS_OPERATOR, &[operator.into_word()])
    }

    /// The most one registry's slashes of one operator take per window of the withdrawal
    /// delay, in basis points of the allocated stake.
    pub fn max_slash_bps(&self) -> u16 {
        self.max_slash_bps.get().saturating_to()
    }

    /// The withdrawal delay in seconds.
    pub fn withdrawal_delay(&self) -> u64 {
        self.withdrawal_delay.get().saturating_to()
    }

    /// `operator`'s pool: LST staked, pool shares (queued ones included), queued shares.
    pub fn pool(&self, operator: Address) -> (U256, U256, U256) {
        let entry = self.pools.get(operator);
        (
            U256::from(entry.stake.get()),
            U256::from(entry.shares.get()),
            entry.queued_shares.get(),
        )
    }

    /// LST of `operator`'s pool allocated to `registry` now: stake × allocation / 10,000,
    /// rounded down.
    ///
    /// # Errors
    /// `MathOverflow` (unreachable while accounting holds).
    pub fn allocated_stake(
        &self,
        operator: Address,
        registry: Address,
    ) -> Result<U256, ManagerError> {
        let bps = self.allocation_view(
            allocation_selectors::SLASHABLE_BPS,
            &[operator.into_word(), registry.into_word()],
        );
        let (stake, _) = self.pool_totals(operator);
        Ok(math::bps_of(
            stake,
            bps.saturating_to::<u64>(),
            Rounding::Down,
        )?)
    }

    /// `staker`'s pool shares with `operator` (queued ones excluded).
    pub fn staker_shares(&self, staker: Address, operator: Address) -> U256 {
        self.pools.get(operator).staker_shares.get(staker)
    }

    /// LST that `staker`'s shares with `operator` would be worth if queued now.
    ///
    /// # Errors
    /// `MathOverflow` (unreachable while accounting holds).
    pub fn staker_value(&self, staker: Address, operator: Address) -> Result<U256, ManagerError> {
        let (stake, total) = self.pool_totals(operator);
        Ok(math::to_backed_assets(
            self.staker_shares(staker, operator),
            stake,
            total,
        )?)
    }

    /// Pool shares that delegating `assets` LST to `operator` would give now.
    ///
    /// # Errors
    /// `MathOverflow` for amounts beyond any supply.
    pub fn preview_delegate(&self, operator: Address, assets: U256) -> Result<U256, ManagerError> {
        let (stake, total) = self.pool_totals(operator);
        Ok(math::to_shares(assets, stake, total, Rounding::Down)?)
    }

    /// Withdrawal `id`: staker, operator, pool shares, value at queue, completion time, and
    /// whether it was completed.
    ///
    /// # Errors
    /// `ManagerWithdrawalNotFound`.
    pub fn withdrawal(
        &self,
        id: U256,
    ) -> Result<(Address, Address, U256, U256, u64, bool), ManagerError> {
        let withdrawal = self.withdrawals.get(self.existing_withdrawal(id)?);
        Ok((
            withdrawal.staker.get(),
            withdrawal.operator.get(),
            withdrawal.shares.get(),
            withdrawal.value.get(),
            withdrawal.ready_at.get().saturating_to(),
            withdrawal.completed.get(),
        ))
    }

    /// What withdrawal `id` would pay if completed now: min(value at queue, value now);
    /// zero once completed.
    ///
    /// # Errors
    /// `ManagerWithdrawalNotFound`.
    pub fn queued_value(&self, id: U256) -> Result<U256, ManagerError> {
        let key = self.existing_withdrawal(id)?;
        if self.withdrawals.get(key).completed.get() {
            return Ok(U256::ZERO);
        }
        self.payout(key)
    }

    /// A staker's whole book in one call: what its pool shares with each of `operators` are
    /// worth (`stakerValue`) plus what each of the queued withdrawals `withdrawal_ids` would
    /// pay now (`queuedValue`). The LRT allocator values its positions with it on every
    /// price. The ids are not checked to be `staker`'s, nor the operators to be distinct:
    /// the sum is of what is asked.
    ///
    /// # Errors
    /// `ManagerWithdrawalNotFound`, `MathOverflow` (unreachable while accounting holds).
    #[allow(clippy::needless_pass_by_value)] // the router hands over the decoded arrays
    pub fn positions_value(
        &self,
        staker: Address,
        operators: Vec<Address>,
        withdrawal_ids: Vec<U256>,
    ) -> Result<U256, ManagerError> {
        let mut total = U256::ZERO;
        for &operator in &operators {
            total = math::add(total, self.staker_value(staker, operator)?)?;
        }
        for &id in &withdrawal_ids {
            total = math::add(total, self.queued_value(id)?)?;
        }
        Ok(total)
    }

    /// The id the next queued withdrawal gets (the number queued so far).
    pub fn next_withdrawal_id(&self) -> U256 {
        U256::from(self.next_withdrawal_id.get())
    }

    /// `(leftBps, windowEndsAt)`: the basis points of its allocation `registry` may still
    /// slash of `operator` now, and when its current window ends (the end a window opened now
    /// would have, when none is open).
    pub fn slash_bound_left(&self, operator: Address, registry: Address) -> (u16, u64) {
        let (left, _, ends) = self.slash_window(operator, registry);
        (left.saturating_to(), ends)
    }

    /// ETH fees `account` can claim.
    pub fn claimable_fees(&self, account: Address) -> U256 {
        self.claimable.get(account)
    }
}

impl RestakingManager {
    fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    fn registered(&self, operator: Address) -> Result<(), ManagerError> {
        if !self.is_operator(operator) {
            return Err(ManagerError::UnknownOperator(ManagerUnknownOperator {
                operator,
            }));
        }
        Ok(())
    }

    /// A `uint` view of the allocation manager; zero when the call fails.
    fn allocation_view(&self, selector: [u8; 4], words: &[B256]) -> U256 {
        view_word(self.vm(), self.allocation_manager.get(), selector, words)
            .map_or(U256::ZERO, |word| U256::from_be_bytes(word.0))
    }

    /// A `bool` view of the allocation manager; false when the call fails.
    fn allocation_flag(&self, selector: [u8; 4], words: &[B256]) -> bool {
        !self.allocation_view(selector, words).is_zero()
    }

    /// `(left, spent, window end)`: what `registry` may still slash of `operator` in its
    /// current window, what the window spent, and when it ends. A window that ended counts as
    /// a new one opening now, for the withdrawal delay in force now. At most `maxSlashBps` per
    /// window.
    fn slash_window(&self, operator: Address, registry: Address) -> (U16, U16, u64) {
        let now = self.now();
        let pool = self.pools.get(operator);
        let window = pool.slashes.get(registry);
        let ends = window.ends_at.get().saturating_to::<u64>();
        let (spent, ends) = if now < ends {
            (window.bps.get(), ends)
        } else {
            let delay = self.withdrawal_delay.get().saturating_to::<u64>();
            (U16::ZERO, now.saturating_add(delay))
        };
        (self.max_slash_bps.get().saturating_sub(spent), spent, ends)
    }

    /// Refuses the LST token and this contract as the slash recipient.
    ///
    /// # Errors
    /// `ManagerInvalidSlashRecipient`.
    fn valid_slash_recipient(
        &self,
        token: Address,
        recipient: Address,
    ) -> Result<(), ManagerError> {
        if recipient == token || recipient == self.vm().contract_address() {
            return Err(ManagerError::InvalidSlashRecipient(
                ManagerInvalidSlashRecipient { recipient },
            ));
        }
        Ok(())
    }

    /// `(stake, shares)` of `operator`'s pool.
    fn pool_totals(&self, operator: Address) -> (U256, U256) {
        let entry = self.pools.get(operator);
        (
            U256::from(entry.stake.get()),
            U256::from(entry.shares.get()),
        )
    }

    /// Sets `operator`'s pool stake and shares (one slot).
    ///
    /// # Errors
    /// `MathOverflow` when either is 2^128 or more.
    fn set_pool(
        &mut self,
        operator: Address,
        stake: U256,
        shares: U256,
    ) -> Result<(), ManagerError> {
        let mut entry = self.pools.setter(operator);
        entry.stake.set(math::to_u128(stake)?);
        entry.shares.set(math::to_u128(shares)?);
        Ok(())
    }

    /// What withdrawal `key` pays now: min(value at queue, value of its shares now).
    fn payout(&self, key: u64) -> Result<U256, ManagerError> {
        let withdrawal = self.withdrawals.get(key);
        let (stake, total) = self.pool_totals(withdrawal.operator.get());
        let now_value = math::to_backed_assets(withdrawal.shares.get(), stake, total)?;
        Ok(now_value.min(withdrawal.value.get()))
    }

    fn existing_withdrawal(&self, id: U256) -> Result<u64, ManagerError> {
        if id >= U256::from(self.next_withdrawal_id.get()) {
            return Err(ManagerError::WithdrawalNotFound(
                ManagerWithdrawalNotFound { id },
            ));
        }
        Ok(id.saturating_to::<u64>())
    }

    fn credit(&mut self, account: Address, amount: U256) -> Result<(), ManagerError> {
        let mut slot = self.claimable.setter(account);
        let balance = math::add(slot.get(), amount)?;
        slot.set(balance);
        Ok(())
    }

    /// Calls the LST with `selector` and `words`.
    fn token_call(&mut self, selector: [u8; 4], words: &[B256]) -> Result<(), ManagerError> {
        let token = self.token.get();
        let context = Call::new_mutating(self);
        call_words(self.vm(), context, token, selector, words)?;
        Ok(())
    }

    fn log_pool(&self, operator: Address) {
        let (stake, shares) = self.pool_totals(operator);
        lsr_common::emit!(self.vm(), PoolUpdated { operator: operator; stake: stake, shares: shares });
    }

    fn at_most(value: u64, bound: u64) -> Result<(), ManagerError> {
        if value > bound {
            return Err(ManagerError::ParameterAboveBound(
                ManagerParameterAboveBound {
                    value: U256::from(value),
                    bound: U256::from(bound),
                },
            ));
        }
        Ok(())
    }

    fn non_zero(address: Address) -> Result<(), ManagerError> {
        if address.is_zero() {
            return Err(ManagerError::ZeroAddress(ManagerZeroAddress {}));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
