//! Staking vault: takes ETH and mints the LST, an exchange-rate ERC-20 with EIP-2612 permit
//! that lives in its own contract (`lst-token`), which this vault creates as its first
//! creation (`createToken`).
//!
//! Rate: ETH per LST = (totalPooledEther + 1e3) / (totalShares + 1e3), where
//! totalPooledEther = bufferedEther + validatorBalance and totalShares is the token's supply
//! (the vault is its only minter and counts the shares it mints and burns). ETH reserved for finalized withdrawals
//! is outside the pool, and the contract never reads its own balance, so ETH sent uninvited
//! changes no rate.
//!
//! Who may call what:
//! - anyone: `deposit` (minimum, cap, not paused), `requestWithdrawal` (bounded, not paused;
//!   the token moves the shares into the vault), `claim` of their own finalized request (also
//!   while paused);
//! - allocator: `fundValidators` moves buffered ETH to the validator operator;
//! - validator operator: `returnExitedEth` brings exited ETH back into the buffer;
//! - oracle: `report` (bounded: interval, APR, loss) and `finalize` (FIFO, only requests made
//!   before the last report, paying min(value at request, value now));
//! - pauser: `pause`; admin: `createToken` (once), roles, parameters within hard bounds,
//!   `unpause`.
//!
//! The vault creates its LST as its first creation (`createToken`), so the token knows the
//! vault's calls by their sender with no storage read (`lsr_common::create`). One address,
//! two programs: this one runs deposits, reports, withdrawals and the views other contracts
//! read on chain; every other selector (roles, pause, `createToken`, the setters and the
//! vault's own views) it delegate-calls to its extension program
//! (`contracts/staking-vault-extension`, this crate with the `extension` feature), bound by
//! the constructor.
//!
//! On a gain, fee shares are minted to the treasury so that it receives `feeBps` of the gain.
//! Formulas, parameters and flows: `docs/staking-vault.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloy_primitives::{Address, B256, U128, U16, U256, U64};
use lsr_common::{
    access::{
        IAccessControl, IPausable, PauseFlag, ALLOCATOR_ROLE, DEFAULT_ADMIN_ROLE, ORACLE_ROLE,
    },
    calls::call_words,
    create::create_child,
    interfaces::lst_selectors,
    math::{self, Rounding, BPS, WAD},
};
use stylus_sdk::{abi::Bytes, call::transfer::transfer_eth, prelude::*};

/// One ether in wei.
const ETHER: u128 = 1_000_000_000_000_000_000;
/// Seconds in a (365-day) year, the period of `maxAprBps`.
pub const YEAR: u64 = 365 * 24 * 3600;
/// Hard upper bound of the protocol fee: 20% of each gain.
pub const MAX_FEE_BPS: u16 = 2_000;
/// Hard upper bound of the APR a report may show: 100%.
pub const MAX_APR_BOUND_BPS: u16 = 10_000;
/// Hard upper bound of the loss a report may show: 100% of the validator balance.
pub const MAX_LOSS_BOUND_BPS: u16 = 10_000;
/// Hard upper bound of the minimum interval between reports: 7 days.
pub const MAX_REPORT_INTERVAL: u64 = 7 * 24 * 3600;
/// Hard lower bound of the minimum interval between reports: one hour (with none, loss reports
/// could stack in one block).
pub const MIN_REPORT_INTERVAL: u64 = 3600;

/// Status of a withdrawal request that waits for finalization.
pub const STATUS_PENDING: u8 = 0;
/// Status of a finalized request whose ETH is reserved and can be claimed.
pub const STATUS_CLAIMABLE: u8 = 1;
/// Status of a request whose ETH was paid out.
pub const STATUS_CLAIMED: u8 = 2;

lsr_common::sol_abi! {
    /// `sender` deposited `assets` wei and `receiver` got `shares` LST.
    event Deposited(address indexed sender, address indexed receiver, uint256 assets, uint256 shares);
    /// ETH per LST changed (1e18 = 1:1), with the totals it follows from.
    event RateUpdated(uint256 rate, uint256 totalPooledEther, uint256 totalShares);
    /// `amount` of buffered ETH was sent to the validator operator.
    event ValidatorsFunded(address indexed operator, uint256 amount);
    /// The validator operator returned `amount` of exited ETH to the buffer.
    event ExitedEthReturned(address indexed operator, uint256 amount);
    /// The oracle reported the validator balance at `timestamp`; `feeShares` went to the
    /// treasury.
    event Reported(uint64 timestamp, uint256 previousValidatorBalance, uint256 validatorBalance, uint256 feeShares);
    /// `owner` locked `shares` LST worth `value` wei in request `id`.
    event WithdrawalRequested(uint256 indexed id, address indexed owner, uint256 shares, uint256 value);
    /// Requests `fromId..=toId` were finalized: `sharesBurned` LST burned, `etherReserved` set
    /// aside for their claims.
    event WithdrawalsFinalized(uint256 fromId, uint256 toId, uint256 sharesBurned, uint256 etherReserved);
    /// `owner` was paid `amount` wei for request `id`.
    event WithdrawalClaimed(uint256 indexed id, address indexed owner, uint256 amount);
    /// Deposit bounds changed.
    event DepositLimitsSet(uint256 minDeposit, uint256 depositCap);
    /// Withdrawal request bounds changed.
    event WithdrawalLimitsSet(uint256 minWithdrawal, uint256 maxWithdrawal);
    /// The protocol fee changed.
    event FeeSet(uint16 feeBps);
    /// Report bounds changed.
    event ReportBoundsSet(uint16 maxAprBps, uint16 maxLossBps, uint64 minReportInterval);
    /// The fee recipient changed.
    event TreasurySet(address treasury);
    /// The validator operator changed.
    event ValidatorOperatorSet(address operator);
    /// The vault created its LST token (once).
    event TokenSet(address token);

    /// An address parameter was zero.
    #[derive(Debug, PartialEq, Eq)]
    error VaultZeroAddress();
    /// An amount was zero.
    #[derive(Debug, PartialEq, Eq)]
    error VaultZeroAmount();
    /// The deposit would mint no shares.
    #[derive(Debug, PartialEq, Eq)]
    error VaultZeroShares();
    /// The deposit is below the minimum.
    #[derive(Debug, PartialEq, Eq)]
    error VaultDepositTooSmall(uint256 assets, uint256 minimum);
    /// The deposit would take the pool past its cap; `room` is what still fits.
    #[derive(Debug, PartialEq, Eq)]
    error VaultDepositCapExceeded(uint256 assets, uint256 room);
    /// The buffer holds less ETH than needed.
    #[derive(Debug, PartialEq, Eq)]
    error VaultInsufficientBuffer(uint256 needed, uint256 buffered);
    /// Only the validator operator may return exited ETH.
    #[derive(Debug, PartialEq, Eq)]
    error VaultNotValidatorOperator(address caller);
    /// More ETH returned than the validator balance holds; report the gain first.
    #[derive(Debug, PartialEq, Eq)]
    error VaultExitExceedsValidatorBalance(uint256 amount, uint256 validatorBalance);
    /// A report's timestamp must be after the last one.
    #[derive(Debug, PartialEq, Eq)]
    error VaultReportNotIncreasing(uint64 timestamp, uint64 lastReport);
    /// A report's timestamp must not be in the future.
    #[derive(Debug, PartialEq, Eq)]
    error VaultReportInFuture(uint64 timestamp, uint64 now);
    /// Less than the minimum interval passed since the last report, in the time it describes
    /// or on chain (`elapsed` is the shorter).
    #[derive(Debug, PartialEq, Eq)]
    error VaultReportTooSoon(uint64 elapsed, uint64 minInterval);
    /// The reported gain is above the APR bound for the elapsed time.
    #[derive(Debug, PartialEq, Eq)]
    error VaultGainTooLarge(uint256 gain, uint256 maxGain);
    /// The reported loss is above the per-report loss bound.
    #[derive(Debug, PartialEq, Eq)]
    error VaultLossTooLarge(uint256 loss, uint256 maxLoss);
    /// A withdrawal request's value must be within the bounds.
    #[derive(Debug, PartialEq, Eq)]
    error VaultWithdrawalOutOfBounds(uint256 value, uint256 minimum, uint256 maximum);
    /// No withdrawal request has this id.
    #[derive(Debug, PartialEq, Eq)]
    error VaultRequestNotFound(uint256 id);
    /// Every request up to `upToId` is already finalized.
    #[derive(Debug, PartialEq, Eq)]
    error VaultNothingToFinalize(uint256 upToId, uint256 nextToFinalize);
    /// The request was made at or after the last report's timestamp and cannot be finalized
    /// yet.
    #[derive(Debug, PartialEq, Eq)]
    error VaultRequestTooRecent(uint256 id, uint64 requestedAt, uint64 lastReport);
    /// The request is not finalized yet.
    #[derive(Debug, PartialEq, Eq)]
    error VaultRequestNotFinalized(uint256 id);
    /// The request was already paid.
    #[derive(Debug, PartialEq, Eq)]
    error VaultRequestAlreadyClaimed(uint256 id);
    /// Only the request's owner may claim it.
    #[derive(Debug, PartialEq, Eq)]
    error VaultNotRequestOwner(uint256 id, address caller);
    /// Sending ETH failed (the receiver reverted).
    #[derive(Debug, PartialEq, Eq)]
    error VaultEthTransferFailed(address to, uint256 amount);
    /// A parameter is above its hard bound.
    #[derive(Debug, PartialEq, Eq)]
    error VaultParameterAboveBound(uint256 value, uint256 bound);
    /// A parameter is below its hard lower bound.
    #[derive(Debug, PartialEq, Eq)]
    error VaultParameterBelowBound(uint256 value, uint256 bound);
    /// A (minimum, maximum) pair is empty, inverted or too large.
    #[derive(Debug, PartialEq, Eq)]
    error VaultInvalidLimits(uint256 minimum, uint256 maximum);
    /// The LST token is not set yet.
    #[derive(Debug, PartialEq, Eq)]
    error VaultTokenNotSet();
    /// The LST token is already set.
    #[derive(Debug, PartialEq, Eq)]
    error VaultTokenAlreadySet(address token);
    /// `createToken` got code that is not a Stylus program's (`EF F0 00`, at most 65,535
    /// bytes), the creation failed, or the token landed elsewhere than this vault's
    /// first-creation address.
    #[derive(Debug, PartialEq, Eq)]
    error VaultTokenCreationFailed();
    /// No code at the extension program's address.
    #[derive(Debug, PartialEq, Eq)]
    error VaultExtensionHasNoCode(address extension);
    /// Shares cannot be minted to the zero address, the vault or the token.
    #[derive(Debug, PartialEq, Eq)]
    error VaultInvalidReceiver(address receiver);
}

lsr_common::contract_error! {
    /// Every error the vault returns: its own, the shared components', and the token's revert
    /// data passed on (`ERC20InsufficientBalance` from a request beyond the caller's shares).
    pub enum VaultError uses(access, math, call) events(Deposited, RateUpdated, ValidatorsFunded, ExitedEthReturned, Reported, WithdrawalRequested, WithdrawalsFinalized, WithdrawalClaimed, DepositLimitsSet, WithdrawalLimitsSet, FeeSet, ReportBoundsSet, TreasurySet, ValidatorOperatorSet, TokenSet) {
    /// See [`VaultZeroAddress`].
    ZeroAddress(VaultZeroAddress {}),
    /// See [`VaultZeroAmount`].
    ZeroAmount(VaultZeroAmount {}),
    /// See [`VaultZeroShares`].
    ZeroShares(VaultZeroShares {}),
    /// See [`VaultDepositTooSmall`].
    DepositTooSmall(VaultDepositTooSmall { assets, minimum }),
    /// See [`VaultDepositCapExceeded`].
    DepositCapExceeded(VaultDepositCapExceeded { assets, room }),
    /// See [`VaultInsufficientBuffer`].
    InsufficientBuffer(VaultInsufficientBuffer { needed, buffered }),
    /// See [`VaultNotValidatorOperator`].
    NotValidatorOperator(VaultNotValidatorOperator { caller }),
    /// See [`VaultExitExceedsValidatorBalance`].
    ExitExceedsValidatorBalance(VaultExitExceedsValidatorBalance { amount, validatorBalance }),
    /// See [`VaultReportNotIncreasing`].
    ReportNotIncreasing(VaultReportNotIncreasing { timestamp, lastReport }),
    /// See [`VaultReportInFuture`].
    ReportInFuture(VaultReportInFuture { timestamp, now }),
    /// See [`VaultReportTooSoon`].
    ReportTooSoon(VaultReportTooSoon { elapsed, minInterval }),
    /// See [`VaultGainTooLarge`].
    GainTooLarge(VaultGainTooLarge { gain, maxGain }),
    /// See [`VaultLossTooLarge`].
    LossTooLarge(VaultLossTooLarge { loss, maxLoss }),
    /// See [`VaultWithdrawalOutOfBounds`].
    WithdrawalOutOfBounds(VaultWithdrawalOutOfBounds { value, minimum, maximum }),
    /// See [`VaultRequestNotFound`].
    RequestNotFound(VaultRequestNotFound { id }),
    /// See [`VaultNothingToFinalize`].
    NothingToFinalize(VaultNothingToFinalize { upToId, nextToFinalize }),
    /// See [`VaultRequestTooRecent`].
    RequestTooRecent(VaultRequestTooRecent { id, requestedAt, lastReport }),
    /// See [`VaultRequestNotFinalized`].
    RequestNotFinalized(VaultRequestNotFinalized { id }),
    /// See [`VaultRequestAlreadyClaimed`].
    RequestAlreadyClaimed(VaultRequestAlreadyClaimed { id }),
    /// See [`VaultNotRequestOwner`].
    NotRequestOwner(VaultNotRequestOwner { id, caller }),
    /// See [`VaultEthTransferFailed`].
    EthTransferFailed(VaultEthTransferFailed { to, amount }),
    /// See [`VaultParameterAboveBound`].
    ParameterAboveBound(VaultParameterAboveBound { value, bound }),
    /// See [`VaultParameterBelowBound`].
    ParameterBelowBound(VaultParameterBelowBound { value, bound }),
    /// See [`VaultInvalidLimits`].
    InvalidLimits(VaultInvalidLimits { minimum, maximum }),
    /// See [`VaultTokenNotSet`].
    TokenNotSet(VaultTokenNotSet {}),
    /// See [`VaultTokenAlreadySet`].
    TokenAlreadySet(VaultTokenAlreadySet { token }),
    /// See [`VaultTokenCreationFailed`].
    TokenCreationFailed(VaultTokenCreationFailed {}),
    /// See [`VaultExtensionHasNoCode`].
    ExtensionHasNoCode(VaultExtensionHasNoCode { extension }),
    /// See [`VaultInvalidReceiver`].
    InvalidReceiver(VaultInvalidReceiver { receiver }),
    }
}

mod storage;

pub use storage::{StakingVault, WithdrawalRequest};

lsr_common::access_public!(StakingVault, access, pausable);

// Two programs run this crate's code on the vault's storage: the vault itself, with every
// function a stake, a report, a withdrawal or another contract's pricing calls on chain, and
// its extension, which the vault delegate-calls with every selector it does not route (roles,
// pause, `createToken`, the setters, the vault's own views). The `extension` feature
// (`contracts/staking-vault-extension`) makes the extension's router the program's entrypoint.
lsr_common::router! {
    #[entrypoint(not(feature = "extension"))]
    StakingVault;
    constructor(Address, Address, Address, Address);
    "deposit" => deposit(Address) payable;
    "fundValidators" => fund_validators(U256);
    "returnExitedEth" => return_exited_eth() payable;
    "report" => report(u64, U256);
    "requestWithdrawal" => request_withdrawal(U256);
    "finalize" => finalize(U256);
    "claim" => claim(U256);
    "getRate" => get_rate();
    "totalAssets" => total_assets();
    "totalShares" => total_shares();
    "token" => token();
    "convertToShares" => convert_to_shares(U256);
    "convertToAssets" => convert_to_assets(U256);
    "previewDeposit" => preview_deposit(U256);
    "maxDeposit" => max_deposit(Address);
    "extension" => extension();
    _ => extended;
}

lsr_common::router! {
    #[entrypoint(feature = "extension")]
    extension StakingVault uses(access);
    "createToken" => create_token(Bytes);
    "setDepositLimits" => set_deposit_limits(U256, U256);
    "setWithdrawalLimits" => set_withdrawal_limits(U256, U256);
    "setFee" => set_fee(u16);
    "setReportBounds" => set_report_bounds(u16, u16, u64);
    "setTreasury" => set_treasury(Address);
    "setValidatorOperator" => set_validator_operator(Address);
    "bufferedEther" => buffered_ether();
    "validatorBalance" => validator_balance();
    "reservedEther" => reserved_ether();
    "lastReportTimestamp" => last_report_timestamp();
    "treasury" => treasury();
    "validatorOperator" => validator_operator();
    "minDeposit" => min_deposit();
    "depositCap" => deposit_cap();
    "minWithdrawal" => min_withdrawal();
    "maxWithdrawal" => max_withdrawal();
    "feeBps" => fee_bps();
    "maxAprBps" => max_apr_bps();
    "maxLossBps" => max_loss_bps();
    "minReportInterval" => min_report_interval();
    "queueState" => queue_state();
    "withdrawalRequest" => withdrawal_request(U256);
}

#[public]
#[implements(IAccessControl, IPausable)]
impl StakingVault {
    /// Sets the admin, treasury and validator operator, binds the extension program (which
    /// runs every function this program does not route) for good, and sets default
    /// parameters: minimum deposit 0.01 ETH, cap 100,000 ETH, fee 10%, APR bound 10%, loss
    /// bound 5% per report, reports at least 12 h apart, withdrawals of 0.001–1,000 ETH. The
    /// admin then creates the LST token with `createToken`; deposits wait for it.
    ///
    /// # Errors
    /// `VaultZeroAddress`, `VaultExtensionHasNoCode`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        treasury: Address,
        validator_operator: Address,
        extension: Address,
    ) -> Result<(), VaultError> {
        if admin.is_zero()
            || treasury.is_zero()
            || validator_operator.is_zero()
            || extension.is_zero()
        {
            return Err(VaultError::ZeroAddress(VaultZeroAddress {}));
        }
        // A delegate call to an address without code succeeds and does nothing: every
        // extension function would then report success.
        if self.vm().code_size(extension) == 0 {
            return Err(VaultError::ExtensionHasNoCode(VaultExtensionHasNoCode {
                extension,
            }));
        }
        self.extension.set(extension);
        self.access.grant(DEFAULT_ADMIN_ROLE, admin);
        self.treasury.set(treasury);
        self.validator_operator.set(validator_operator);
        self.min_deposit.set(U128::from(ETHER / 100));
        self.deposit_cap.set(U128::from(100_000 * ETHER));
        self.min_withdrawal.set(U128::from(ETHER / 1_000));
        self.max_withdrawal.set(U128::from(1_000 * ETHER));
        self.fee_bps.set(U16::from(1_000));
        self.max_apr_bps.set(U16::from(1_000));
        self.max_loss_bps.set(U16::from(500));
        self.min_report_interval.set(U64::from(12 * 3600));
        let now = U64::from(self.vm().block_timestamp());
        self.last_report_at.set(now);
        self.last_report_landed_at.set(now);
        Ok(())
    }

    /// Creates the LST token from its deployed `code` (the `lst-token` program, `EF F0 00`
    /// and the compressed wasm), once, as this vault's first creation: the token then knows
    /// this vault's calls by their sender, with no storage read (`lsr_common::create`). Its
    /// creation code records this vault in the token's slot 0. The token runs once its code
    /// is activated (`ArbWasm`), which the deployment does next unless the same code is
    /// already active. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultTokenAlreadySet`, `VaultTokenCreationFailed`.
    ///
    /// # Events
    /// `TokenSet`.
    #[allow(clippy::needless_pass_by_value)] // the router hands over owned `Bytes`
    pub fn create_token(&mut self, code: Bytes) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        let current = self.token.get();
        if !current.is_zero() {
            return Err(VaultError::TokenAlreadySet(VaultTokenAlreadySet {
                token: current,
            }));
        }
        let token = create_child(self.vm(), &code)
            .ok_or(VaultError::TokenCreationFailed(VaultTokenCreationFailed {}))?;
        self.token.set(token);
        lsr_common::emit!(self.vm(), TokenSet { ; token: token });
        Ok(())
    }

    /// Stakes the attached ETH and mints LST to `receiver` at the current rate (rounded down).
    ///
    /// # Errors
    /// `EnforcedPause`, `VaultTokenNotSet`, `VaultInvalidReceiver` (zero, the vault or the
    /// token, where shares would be stuck), `VaultDepositTooSmall`, `VaultDepositCapExceeded`,
    /// `VaultZeroShares`.
    ///
    /// # Events
    /// `Deposited`, `RateUpdated` when the rate moves; the token emits `Transfer`.
    #[payable]
    pub fn deposit(&mut self, receiver: Address) -> Result<U256, VaultError> {
        self.pausable.when_not_paused()?;
        let token = self.bound_token()?;
        if receiver.is_zero() || receiver == token || receiver == self.vm().contract_address() {
            return Err(VaultError::InvalidReceiver(VaultInvalidReceiver {
                receiver,
            }));
        }
        let assets = self.vm().msg_value();
        let minimum = U256::from(self.min_deposit.get());
        if assets < minimum {
            return Err(VaultError::DepositTooSmall(VaultDepositTooSmall {
                assets,
                minimum,
            }));
        }
        let (pooled, supply) = self.totals();
        let room = U256::from(self.deposit_cap.get()).saturating_sub(pooled);
        if assets > room {
            return Err(VaultError::DepositCapExceeded(VaultDepositCapExceeded {
                assets,
                room,
            }));
        }
        let shares = math::to_shares(assets, pooled, supply, Rounding::Down)?;
        if shares.is_zero() {
            return Err(VaultError::ZeroShares(VaultZeroShares {}));
        }
        let old_rate = Self::rate(pooled, supply)?;
        self.buffered_ether
            .set(math::to_u128(math::add(self.buffered_ether(), assets)?)?);
        let sender = self.vm().msg_sender();
        lsr_common::emit!(self.vm(), Deposited { sender: sender, receiver: receiver; assets: assets, shares: shares });
        self.log_rate(old_rate, pooled + assets, supply + shares)?;
        self.mint(receiver, shares)?;
        Ok(shares)
    }

    /// Sends `amount` of buffered ETH to the validator operator. Allocator only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `EnforcedPause`, `VaultZeroAmount`,
    /// `VaultInsufficientBuffer`, `VaultEthTransferFailed`.
    ///
    /// # Events
    /// `ValidatorsFunded`.
    pub fn fund_validators(&mut self, amount: U256) -> Result<(), VaultError> {
        self.access.only_role(lsr_common::word!(ALLOCATOR_ROLE))?;
        self.pausable.when_not_paused()?;
        if amount.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        let buffered = self.buffered_ether();
        if amount > buffered {
            return Err(VaultError::InsufficientBuffer(VaultInsufficientBuffer {
                needed: amount,
                buffered,
            }));
        }
        // Both are ETH held or staked by the vault: each fits.
        self.buffered_ether
            .set(U128::saturating_from(buffered - amount));
        self.validator_balance
            .set(math::to_u128(math::add(self.validator_balance(), amount)?)?);
        let operator = self.validator_operator.get();
        lsr_common::emit!(self.vm(), ValidatorsFunded { operator: operator; amount: amount });
        self.send_eth(operator, amount)
    }

    /// Brings the attached exited ETH back from the validator balance into the buffer.
    /// Validator operator only; not paused, so funds can always come home.
    ///
    /// # Errors
    /// `VaultNotValidatorOperator`, `VaultZeroAmount`, `VaultExitExceedsValidatorBalance`.
    ///
    /// # Events
    /// `ExitedEthReturned`.
    #[payable]
    pub fn return_exited_eth(&mut self) -> Result<(), VaultError> {
        let caller = self.vm().msg_sender();
        if caller != self.validator_operator.get() {
            return Err(VaultError::NotValidatorOperator(
                VaultNotValidatorOperator { caller },
            ));
        }
        let amount = self.vm().msg_value();
        if amount.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        let validator_balance = self.validator_balance();
        if amount > validator_balance {
            return Err(VaultError::ExitExceedsValidatorBalance(
                VaultExitExceedsValidatorBalance {
                    amount,
                    validatorBalance: validator_balance,
                },
            ));
        }
        self.validator_balance
            .set(U128::saturating_from(validator_balance - amount));
        self.buffered_ether
            .set(math::to_u128(math::add(self.buffered_ether(), amount)?)?);
        lsr_common::emit!(self.vm(), ExitedEthReturned { operator: caller; amount: amount });
        Ok(())
    }

    /// Oracle report of the validators' balance at `timestamp`. Bounded: the timestamp is
    /// after the last report by at least `minReportInterval` and not in the future, and the
    /// last report landed at least `minReportInterval` ago (so each loss bound holds per
    /// interval of chain time, not per back-dated report); a gain is
    /// at most `validatorBalance × maxAprBps × elapsed / (10,000 × year)`; a loss at most
    /// `validatorBalance × maxLossBps / 10,000`. On a gain the treasury is minted shares worth
    /// `feeBps` of it. Oracle only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultReportNotIncreasing`, `VaultReportInFuture`,
    /// `VaultReportTooSoon`, `VaultGainTooLarge`, `VaultLossTooLarge`.
    ///
    /// # Events
    /// `Reported`, `RateUpdated` when the rate moves; the token emits `Transfer` for fee
    /// shares.
    pub fn report(&mut self, timestamp: u64, validator_balance: U256) -> Result<(), VaultError> {
        self.access.only_role(lsr_common::word!(ORACLE_ROLE))?;
        let last_report = self.last_report_at.get().saturating_to::<u64>();
        if timestamp <= last_report {
            return Err(VaultError::ReportNotIncreasing(VaultReportNotIncreasing {
                timestamp,
                lastReport: last_report,
            }));
        }
        let now = self.vm().block_timestamp();
        if timestamp > now {
            return Err(VaultError::ReportInFuture(VaultReportInFuture {
                timestamp,
                now,
            }));
        }
        let elapsed = timestamp - last_report;
        let min_interval = self.min_report_interval.get().saturating_to::<u64>();
        // Spaced both in the time the reports describe and on chain: otherwise reports
        // back-dated one interval apart could stack several losses in one block.
        let landed = now.saturating_sub(self.last_report_landed_at.get().saturating_to::<u64>());
        if elapsed.min(landed) < min_interval {
            return Err(VaultError::ReportTooSoon(VaultReportTooSoon {
                elapsed: elapsed.min(landed),
                minInterval: min_interval,
            }));
        }
        let previous = self.validator_balance();
        let gain = validator_balance.saturating_sub(previous);
        if gain > U256::ZERO {
            let max_gain = math::mul_div(
                previous,
                U256::from(self.max_apr_bps.get()) * U256::from(elapsed),
                U256::from(BPS) * U256::from(YEAR),
                Rounding::Down,
            )?;
            if gain > max_gain {
                return Err(VaultError::GainTooLarge(VaultGainTooLarge {
                    gain,
                    maxGain: max_gain,
                }));
            }
        } else {
            let loss = previous - validator_balance;
            let max_loss = math::bps_of(
                previous,
                self.max_loss_bps.get().saturating_to::<u64>(),
                Rounding::Down,
            )?;
            if loss > max_loss {
                return Err(VaultError::LossTooLarge(VaultLossTooLarge {
                    loss,
                    maxLoss: max_loss,
                }));
            }
        }
        let (pooled, supply) = self.totals();
        let old_rate = Self::rate(pooled, supply)?;
        self.validator_balance
            .set(math::to_u128(validator_balance)?);
        self.last_report_at.set(U64::from(timestamp));
        self.last_report_landed_at.set(U64::from(now));
        let fee = math::bps_of(
            gain,
            self.fee_bps.get().saturating_to::<u64>(),
            Rounding::Down,
        )?;
        // The previous balance is part of `pooled`: the new one replaces it.
        let pooled = pooled - previous + validator_balance;
        let fee_shares = if fee.is_zero() {
            U256::ZERO
        } else {
            math::fee_shares(fee, pooled, supply)?
        };
        lsr_common::emit!(self.vm(), Reported { ; timestamp: timestamp, previousValidatorBalance: previous, validatorBalance: validator_balance, feeShares: fee_shares });
        self.log_rate(old_rate, pooled, supply + fee_shares)?;
        if !fee_shares.is_zero() {
            self.mint(self.treasury.get(), fee_shares)?;
        }
        Ok(())
    }

    /// Locks `shares` of the caller's LST in the vault and queues a request for their value,
    /// to be paid in ETH after finalization at min(value now, value at finalization).
    /// Returns the request id.
    ///
    /// # Errors
    /// `EnforcedPause`, `VaultZeroAmount`, `VaultWithdrawalOutOfBounds`, `VaultTokenNotSet`,
    /// and the token's `ERC20InsufficientBalance`.
    ///
    /// # Events
    /// `WithdrawalRequested`; the token emits `Transfer` (to the vault).
    pub fn request_withdrawal(&mut self, shares: U256) -> Result<U256, VaultError> {
        self.pausable.when_not_paused()?;
        if shares.is_zero() {
            return Err(VaultError::ZeroAmount(VaultZeroAmount {}));
        }
        let (pooled, supply) = self.totals();
        let value = math::to_assets(shares, pooled, supply, Rounding::Down)?;
        let minimum = U256::from(self.min_withdrawal.get());
        let maximum = U256::from(self.max_withdrawal.get());
        if value < minimum || value > maximum {
            return Err(VaultError::WithdrawalOutOfBounds(
                VaultWithdrawalOutOfBounds {
                    value,
                    minimum,
                    maximum,
                },
            ));
        }
        let owner = self.vm().msg_sender();
        let id = self.next_request_id.get();
        self.next_request_id.set(id + U64::from(1));
        let now = self.vm().block_timestamp();
        let mut request = self.requests.setter(id.saturating_to::<u64>());
        request.owner.set(owner);
        request.requested_at.set(U64::from(now));
        request.shares.set(math::to_u128(shares)?);
        // value ≤ the maximum withdrawal, a u128.
        request.amount.set(math::to_u128(value)?);
        self.token_call(lst_selectors::LOCK, &[owner.into_word(), shares.into()])?;
        let id = U256::from(id);
        lsr_common::emit!(self.vm(), WithdrawalRequested { id: id, owner: owner; shares: shares, value: value });
        Ok(id)
    }

    /// Finalizes requests in FIFO order up to and including `up_to_id`: each is paid
    /// min(value at request, value at the current rate), its shares are burned and the ETH
    /// moves from the buffer to the reserve. Only requests made before the last report's
    /// timestamp can be finalized (strictly: several blocks share a second), so every request
    /// bears at least one report. Oracle only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultRequestNotFound`, `VaultNothingToFinalize`,
    /// `VaultRequestTooRecent`, `VaultInsufficientBuffer`.
    ///
    /// # Events
    /// `WithdrawalsFinalized`, `RateUpdated` when the rate moves; the token emits `Transfer`
    /// (burn).
    pub fn finalize(&mut self, up_to_id: U256) -> Result<(), VaultError> {
        self.access.only_role(lsr_common::word!(ORACLE_ROLE))?;
        let up_to = self.existing_request(up_to_id)?;
        let first = self.next_to_finalize.get().saturating_to::<u64>();
        if up_to < first {
            return Err(VaultError::NothingToFinalize(VaultNothingToFinalize {
                upToId: up_to_id,
                nextToFinalize: U256::from(first),
            }));
        }
        let last_report = self.last_report_at.get().saturating_to::<u64>();
        let (pooled, supply) = self.totals();
        let old_rate = Self::rate(pooled, supply)?;
        let mut shares_burned = U256::ZERO;
        let mut payout_total = U256::ZERO;
        for id in first..=up_to {
            let mut request = self.requests.setter(id);
            let requested_at = request.requested_at.get().saturating_to::<u64>();
            if requested_at >= last_report {
                return Err(VaultError::RequestTooRecent(VaultRequestTooRecent {
                    id: U256::from(id),
                    requestedAt: requested_at,
                    lastReport: last_report,
                }));
            }
            let shares = U256::from(request.shares.get());
            let value_now = math::to_assets(shares, pooled, supply, Rounding::Down)?;
            let payout = value_now.min(U256::from(request.amount.get()));
            request.amount.set(math::to_u128(payout)?);
            shares_burned += shares;
            payout_total += payout;
        }
        let buffered = self.buffered_ether();
        if payout_total > buffered {
            return Err(VaultError::InsufficientBuffer(VaultInsufficientBuffer {
                needed: payout_total,
                buffered,
            }));
        }
        self.buffered_ether
            .set(U128::saturating_from(buffered - payout_total));
        self.reserved_ether.set(math::to_u128(math::add(
            self.reserved_ether(),
            payout_total,
        )?)?);
        self.next_to_finalize.set(U64::from(up_to + 1));
        // The burned shares were counted at request time and are at most the supply.
        self.total_shares
            .set(U128::saturating_from(supply - shares_burned));
        lsr_common::emit!(self.vm(), WithdrawalsFinalized { ; fromId: U256::from(first), toId: up_to_id, sharesBurned: shares_burned, etherReserved: payout_total });
        // The payouts left the pooled ETH for the reserve.
        self.log_rate(old_rate, pooled - payout_total, supply - shares_burned)?;
        self.token_call(lst_selectors::BURN, &[shares_burned.into()])
    }

    /// Pays the caller the reserved ETH of their finalized request `id`. Works while paused.
    ///
    /// # Errors
    /// `VaultRequestNotFound`, `VaultNotRequestOwner`, `VaultRequestNotFinalized`,
    /// `VaultRequestAlreadyClaimed`, `VaultEthTransferFailed`.
    ///
    /// # Events
    /// `WithdrawalClaimed`.
    pub fn claim(&mut self, id: U256) -> Result<(), VaultError> {
        let key = self.existing_request(id)?;
        let caller = self.vm().msg_sender();
        let next_to_finalize = self.next_to_finalize.get().saturating_to::<u64>();
        let mut request = self.requests.setter(key);
        if request.owner.get() != caller {
            return Err(VaultError::NotRequestOwner(VaultNotRequestOwner {
                id,
                caller,
            }));
        }
        if key >= next_to_finalize {
            return Err(VaultError::RequestNotFinalized(VaultRequestNotFinalized {
                id,
            }));
        }
        if request.claimed.get() {
            return Err(VaultError::RequestAlreadyClaimed(
                VaultRequestAlreadyClaimed { id },
            ));
        }
        request.claimed.set(true);
        let amount = U256::from(request.amount.get());
        self.reserved_ether
            .set(math::to_u128(math::sub(self.reserved_ether(), amount)?)?);
        lsr_common::emit!(self.vm(), WithdrawalClaimed { id: id, owner: caller; amount: amount });
        self.send_eth(caller, amount)
    }

    /// Sets the minimum deposit and the cap on total pooled ETH. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultInvalidLimits` (zero minimum, minimum above
    /// cap, or cap above 2^128).
    ///
    /// # Events
    /// `DepositLimitsSet`.
    pub fn set_deposit_limits(
        &mut self,
        min_deposit: U256,
        deposit_cap: U256,
    ) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        let (minimum, maximum) = Self::limits(min_deposit, deposit_cap)?;
        self.min_deposit.set(minimum);
        self.deposit_cap.set(maximum);
        lsr_common::emit!(self.vm(), DepositLimitsSet { ; minDeposit: min_deposit, depositCap: deposit_cap });
        Ok(())
    }

    /// Sets the bounds on a withdrawal request's value. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultInvalidLimits`.
    ///
    /// # Events
    /// `WithdrawalLimitsSet`.
    pub fn set_withdrawal_limits(
        &mut self,
        min_withdrawal: U256,
        max_withdrawal: U256,
    ) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        let (minimum, maximum) = Self::limits(min_withdrawal, max_withdrawal)?;
        self.min_withdrawal.set(minimum);
        self.max_withdrawal.set(maximum);
        lsr_common::emit!(self.vm(), WithdrawalLimitsSet { ; minWithdrawal: min_withdrawal, maxWithdrawal: max_withdrawal });
        Ok(())
    }

    /// Sets the protocol fee on gains, at most 20%. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultParameterAboveBound`.
    ///
    /// # Events
    /// `FeeSet`.
    pub fn set_fee(&mut self, fee_bps: u16) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::at_most(u64::from(fee_bps), u64::from(MAX_FEE_BPS))?;
        self.fee_bps.set(U16::from(fee_bps));
        lsr_common::emit!(self.vm(), FeeSet { ; feeBps: fee_bps });
        Ok(())
    }

    /// Sets the report bounds: APR ≤ 100%, loss per report ≤ 100%, interval from one hour to 7
    /// days. Admin only (raising the loss bound is how a large, real loss gets reported).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultParameterAboveBound`,
    /// `VaultParameterBelowBound`.
    ///
    /// # Events
    /// `ReportBoundsSet`.
    pub fn set_report_bounds(
        &mut self,
        max_apr_bps: u16,
        max_loss_bps: u16,
        min_report_interval: u64,
    ) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::at_most(u64::from(max_apr_bps), u64::from(MAX_APR_BOUND_BPS))?;
        Self::at_most(u64::from(max_loss_bps), u64::from(MAX_LOSS_BOUND_BPS))?;
        Self::at_most(min_report_interval, MAX_REPORT_INTERVAL)?;
        if min_report_interval < MIN_REPORT_INTERVAL {
            return Err(VaultError::ParameterBelowBound(VaultParameterBelowBound {
                value: U256::from(min_report_interval),
                bound: U256::from(MIN_REPORT_INTERVAL),
            }));
        }
        self.max_apr_bps.set(U16::from(max_apr_bps));
        self.max_loss_bps.set(U16::from(max_loss_bps));
        self.min_report_interval.set(U64::from(min_report_interval));
        lsr_common::emit!(self.vm(), ReportBoundsSet { ; maxAprBps: max_apr_bps, maxLossBps: max_loss_bps, minReportInterval: min_report_interval });
        Ok(())
    }

    /// Sets the recipient of fee shares. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultZeroAddress`.
    ///
    /// # Events
    /// `TreasurySet`.
    pub fn set_treasury(&mut self, treasury: Address) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::non_zero(treasury)?;
        self.treasury.set(treasury);
        lsr_common::emit!(self.vm(), TreasurySet { ; treasury: treasury });
        Ok(())
    }

    /// Sets the validator operator that receives funding and returns exited ETH. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `VaultZeroAddress`.
    ///
    /// # Events
    /// `ValidatorOperatorSet`.
    pub fn set_validator_operator(&mut self, operator: Address) -> Result<(), VaultError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        Self::non_zero(operator)?;
        self.validator_operator.set(operator);
        lsr_common::emit!(self.vm(), ValidatorOperatorSet { ; operator: operator });
        Ok(())
    }

    /// ETH per LST, scaled by 1e18 (a Balancer rate provider).
    ///
    /// # Errors
    /// `MathOverflow` (unreachable while accounting holds).
    pub fn get_rate(&self) -> Result<U256, VaultError> {
        let (pooled, supply) = self.totals();
        Self::rate(pooled, supply)
    }

    /// Total pooled ETH: buffered plus validator balance (reserved ETH excluded).
    pub fn total_assets(&self) -> U256 {
        self.totals().0
    }

    /// Shares in existence: the LST token's total supply, counted here.
    pub fn total_shares(&self) -> U256 {
        U256::from(self.total_shares.get())
    }

    /// The LST token (zero until `createToken`).
    pub fn token(&self) -> Address {
        self.token.get()
    }

    /// The extension program: the code this vault delegate-calls with every function it does
    /// not run itself. Bound by the constructor, for good.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// LST minted for `assets` wei at the current rate (rounded down).
    ///
    /// # Errors
    /// `MathOverflow` for absurd inputs.
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, VaultError> {
        let (pooled, supply) = self.totals();
        Ok(math::to_shares(assets, pooled, supply, Rounding::Down)?)
    }

    /// ETH value of `shares` LST at the current rate (rounded down).
    ///
    /// # Errors
    /// `MathOverflow` for absurd inputs.
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, VaultError> {
        let (pooled, supply) = self.totals();
        Ok(math::to_assets(shares, pooled, supply, Rounding::Down)?)
    }

    /// Exactly the LST `deposit` would mint for `assets` now (limits aside).
    ///
    /// # Errors
    /// `MathOverflow` for absurd inputs.
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, VaultError> {
        self.convert_to_shares(assets)
    }

    /// The most ETH `deposit` accepts now: the room under the cap, or 0 while paused.
    pub fn max_deposit(&self, _receiver: Address) -> U256 {
        if self.pausable.paused() {
            return U256::ZERO;
        }
        U256::from(self.deposit_cap.get()).saturating_sub(self.totals().0)
    }

    /// ETH in the buffer, available for funding validators and finalizing withdrawals.
    pub fn buffered_ether(&self) -> U256 {
        U256::from(self.buffered_ether.get())
    }

    /// ETH at the validators, as of the last report plus funding minus returns.
    pub fn validator_balance(&self) -> U256 {
        U256::from(self.validator_balance.get())
    }

    /// ETH reserved for finalized, unclaimed withdrawals.
    pub fn reserved_ether(&self) -> U256 {
        U256::from(self.reserved_ether.get())
    }

    /// Timestamp of the last report (deployment time before the first).
    pub fn last_report_timestamp(&self) -> u64 {
        self.last_report_at.get().saturating_to::<u64>()
    }

    /// Recipient of fee shares.
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// Receiver of validator funding.
    pub fn validator_operator(&self) -> Address {
        self.validator_operator.get()
    }

    /// Smallest deposit, in wei.
    pub fn min_deposit(&self) -> U256 {
        U256::from(self.min_deposit.get())
    }

    /// Cap on total pooled ETH, in wei.
    pub fn deposit_cap(&self) -> U256 {
        U256::from(self.deposit_cap.get())
    }

    /// Smallest withdrawal request value, in wei.
    pub fn min_withdrawal(&self) -> U256 {
        U256::from(self.min_withdrawal.get())
    }

    /// Largest withdrawal request value, in wei.
    pub fn max_withdrawal(&self) -> U256 {
        U256::from(self.max_withdrawal.get())
    }

    /// Protocol fee on gains, in basis points.
    pub fn fee_bps(&self) -> u16 {
        self.fee_bps.get().saturating_to()
    }

    /// APR bound of a report, in basis points.
    pub fn max_apr_bps(&self) -> u16 {
        self.max_apr_bps.get().saturating_to()
    }

    /// Loss bound of a report, in basis points of the validator balance.
    pub fn max_loss_bps(&self) -> u16 {
        self.max_loss_bps.get().saturating_to()
    }

    /// Minimum seconds between reports.
    pub fn min_report_interval(&self) -> u64 {
        self.min_report_interval.get().saturating_to()
    }

    /// `(nextRequestId, nextToFinalize)`: ids below the second are finalized.
    pub fn queue_state(&self) -> (U256, U256) {
        (
            U256::from(self.next_request_id.get()),
            U256::from(self.next_to_finalize.get()),
        )
    }

    /// Request `id` as `(owner, shares, amount, requestedAt, status)`: `amount` is the value at
    /// request while pending and the payout once finalized; status 0 pending, 1 claimable,
    /// 2 claimed.
    ///
    /// # Errors
    /// `VaultRequestNotFound`.
    pub fn withdrawal_request(
        &self,
        id: U256,
    ) -> Result<(Address, U256, U256, u64, u8), VaultError> {
        let key = self.existing_request(id)?;
        let request = self.requests.getter(key);
        let status = if request.claimed.get() {
            STATUS_CLAIMED
        } else if key < self.next_to_finalize.get().saturating_to::<u64>() {
            STATUS_CLAIMABLE
        } else {
            STATUS_PENDING
        };
        Ok((
            request.owner.get(),
            U256::from(request.shares.get()),
            U256::from(request.amount.get()),
            request.requested_at.get().saturating_to::<u64>(),
            status,
        ))
    }
}

impl StakingVault {
    /// Every selector the vault does not route: runs the extension program on this vault's
    /// storage, with the caller's calldata, sender and value, and returns what it returns
    /// (nothing, as before, for a selector neither program routes).
    ///
    /// # Errors
    /// The extension's revert data.
    #[inline(never)]
    fn extended(&mut self, input: &[u8]) -> stylus_sdk::ArbResult {
        let extension = self.extension.get();
        let vm = self.vm().clone();
        // SAFETY: the extension is this crate's own code (`contracts/staking-vault-extension`),
        // bound once by the constructor: it runs the same storage layout and the same checks
        // as this program. Programs cannot self-destruct, so it stays what it was.
        #[allow(unsafe_code)]
        let result = unsafe {
            stylus_sdk::call::delegate_call(&vm, Call::new_mutating(self), extension, input)
        };
        result.map_err(Into::into)
    }

    /// (total pooled ETH, total LST supply).
    fn totals(&self) -> (U256, U256) {
        (
            self.buffered_ether() + self.validator_balance(),
            self.total_shares(),
        )
    }

    /// The LST token, once bound.
    fn bound_token(&self) -> Result<Address, VaultError> {
        let token = self.token.get();
        if token.is_zero() {
            return Err(VaultError::TokenNotSet(VaultTokenNotSet {}));
        }
        Ok(token)
    }

    /// Counts `shares` new shares and has the token mint them to `to`. `deposit`, `report`
    /// and `finalize` call the token last, after their events: a call flushes and clears the
    /// storage cache, so a read of the vault's storage after it would be a storage load again.
    fn mint(&mut self, to: Address, shares: U256) -> Result<(), VaultError> {
        self.total_shares
            .set(math::to_u128(math::add(self.total_shares(), shares)?)?);
        self.token_call(lst_selectors::MINT, &[to.into_word(), shares.into()])
    }

    /// Calls the bound token's vault-only `selector` with `words` as arguments.
    fn token_call(&mut self, selector: [u8; 4], words: &[B256]) -> Result<(), VaultError> {
        let token = self.bound_token()?;
        let context = Call::new_mutating(self);
        call_words(self.vm(), context, token, selector, words)?;
        Ok(())
    }

    fn rate(pooled: U256, supply: U256) -> Result<U256, VaultError> {
        Ok(math::to_assets(WAD, pooled, supply, Rounding::Down)?)
    }

    /// Emits `RateUpdated` when the rate at `pooled` and `supply` (the totals after the
    /// function's changes) differs from `old_rate`.
    fn log_rate(&self, old_rate: U256, pooled: U256, supply: U256) -> Result<(), VaultError> {
        let rate = Self::rate(pooled, supply)?;
        if rate != old_rate {
            lsr_common::emit!(self.vm(), RateUpdated { ; rate: rate, totalPooledEther: pooled, totalShares: supply });
        }
        Ok(())
    }

    fn existing_request(&self, id: U256) -> Result<u64, VaultError> {
        if id >= U256::from(self.next_request_id.get()) {
            return Err(VaultError::RequestNotFound(VaultRequestNotFound { id }));
        }
        Ok(id.saturating_to::<u64>())
    }

    fn send_eth(&self, to: Address, amount: U256) -> Result<(), VaultError> {
        transfer_eth(self.vm(), to, amount)
            .map_err(|_| VaultError::EthTransferFailed(VaultEthTransferFailed { to, amount }))
    }

    fn limits(minimum: U256, maximum: U256) -> Result<(U128, U128), VaultError> {
        if minimum.is_zero() || minimum > maximum || maximum > U256::from(u128::MAX) {
            return Err(VaultError::InvalidLimits(VaultInvalidLimits {
                minimum,
                maximum,
            }));
        }
        Ok((
            U128::saturating_from(minimum),
            U128::saturating_from(maximum),
        ))
    }

    fn at_most(value: u64, bound: u64) -> Result<(), VaultError> {
        if value > bound {
            return Err(VaultError::ParameterAboveBound(VaultParameterAboveBound {
                value: U256::from(value),
                bound: U256::from(bound),
            }));
        }
        Ok(())
    }

    fn non_zero(address: Address) -> Result<(), VaultError> {
        if address.is_zero() {
            return Err(VaultError::ZeroAddress(VaultZeroAddress {}));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
