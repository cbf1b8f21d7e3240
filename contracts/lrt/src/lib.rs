//! The LRT vault: an ERC-4626 vault over the LST for deposits and an ERC-7540 vault for
//! asynchronous redemptions, with an ETH zap, ERC-165 and a Balancer rate provider. Its
//! shares are "Stylus Restaked Ether" (srETH), an ERC-20 with EIP-2612 permit in a contract of
//! its own (`lrt-token`, ERC-7575's `share()`), which this vault creates once with
//! `createShare` as its first creation (neither side stores the other's address:
//! `lsr_common::create`); this vault is the only contract that mints, locks and burns them,
//! and counts them itself.
//!
//! Assets: every LST of the LRT sits in the LRT allocator (idle, delegated to operators,
//! queued for undelegation) except what this contract holds reserved for fulfilled requests.
//! `totalAssets()` is the allocator's `totalAssets()`; reserved LST is outside it.
//!
//! Prices, with `A` = totalAssets and `S` = totalSupply (locked shares of pending requests
//! included) and a virtual offset of 1e3 on both:
//! - deposits: `shares = assets × (S + 1e3) / (A + 1e3)`, rounded down (`mint` charges
//!   `assets = shares × (A + 1e3) / (S + 1e3)`, rounded up);
//! - value of shares (`convertToAssets`, value at request, value at fulfilment):
//!   `shares × A / (S + 1e3)`, rounded down, so all claims together never exceed `A`;
//! - `getRate()`: ETH per LRT in 1e18 = `1e18 × (A + 1e3) / (S + 1e3)` (LST per LRT, rounded
//!   down) × the vault's `getRate()` / 1e18, rounded down.
//!
//! Redemptions: `requestRedeem` locks shares here and records their value; the fulfiller
//! (`ALLOCATOR_ROLE`) fulfils requests in FIFO order at min(value at request, value now),
//! burns their shares and pulls that LST from the allocator (`release`) into the reserve; the
//! controller (or its operator) claims with `redeem` / `withdraw`, pro rata of its claimable
//! shares and assets.
//!
//! Who may call what:
//! - anyone: `deposit` / `depositWithPermit` / `mint` / `depositEth` and `requestRedeem`
//!   (minimums, cap, not paused), claims (also while paused), `setOperator`, the views (the
//!   ERC-20 / EIP-2612 ABI is the share token's);
//! - allocator role: `fulfill`;
//! - pauser: `pause`; admin: `createShare` (once), `setLimits` within hard bounds, roles,
//!   `unpause`.
//!
//! Two programs run this code at the LRT's address: the LRT itself routes every function a
//! deposit, a redemption, a claim or an integrator's pricing calls on chain and delegate-calls
//! the extension program (`contracts/lrt-extension`, this crate with the `extension` feature,
//! bound by the constructor) with every other selector: roles, pause, `createShare`,
//! `setLimits`, the ERC-7540 operator functions, the redemption previews (which revert) and
//! its own views.
//!
//! Formulas, flows and errors: `docs/lrt.md`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// The ABI printer that `#[public]` generates for `export-abi` builds carries no docs.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloy_primitives::{Address, FixedBytes, B256, U128, U256, U64};
use lsr_common::{
    access::{IAccessControl, IPausable, PauseFlag, ALLOCATOR_ROLE, DEFAULT_ADMIN_ROLE},
    calls::{call_word, call_words, view_word},
    create::{create_child, first_created},
    interfaces::{
        erc20_selectors, lrt_allocator_selectors, lst_selectors, selector, vault_selectors,
    },
    math::{self, Rounding, WAD},
};
use stylus_sdk::{abi::Bytes, prelude::*};

/// One LST (1e18).
const ONE: u128 = 1_000_000_000_000_000_000;
/// Hard upper bound of the minimum deposit and of the minimum redemption request: 1 LST, so
/// no setting can shut small holders out of redemptions.
pub const MAX_MINIMUM: u128 = ONE;
/// Hard upper bound of the deposit cap: 2^96 − 1 wei (about 7.9e10 LST), the most the
/// allocator counts as idle, so a deposit past it is refused here by name.
pub const MAX_CAP: u128 = (1 << 96) - 1;

const fn xor(ids: &[[u8; 4]]) -> [u8; 4] {
    let mut id = [0; 4];
    let mut i = 0;
    while i < ids.len() {
        let mut b = 0;
        while b < 4 {
            id[b] ^= ids[i][b];
            b += 1;
        }
        i += 1;
    }
    id
}

/// `lock(address,address,uint256)` of the share token: moves an owner's shares into this
/// vault, spending the spender's allowance when it is not the owner.
pub const SHARE_LOCK: [u8; 4] = selector("lock(address,address,uint256)");

/// ERC-165 interface id of ERC-165 itself.
pub const ERC165_ID: [u8; 4] = selector("supportsInterface(bytes4)");
/// ERC-165 interface id of ERC-7540's asynchronous redemption functions.
pub const ERC7540_REDEEM_ID: [u8; 4] = xor(&[
    selector("requestRedeem(uint256,address,address)"),
    selector("pendingRedeemRequest(uint256,address)"),
    selector("claimableRedeemRequest(uint256,address)"),
]);
/// ERC-165 interface id of ERC-7540's operator functions.
pub const ERC7540_OPERATOR_ID: [u8; 4] = xor(&[
    selector("isOperator(address,address)"),
    selector("setOperator(address,bool)"),
]);
/// ERC-165 interface id of ERC-7575 (ERC-4626 without the ERC-20 functions, plus `share()`).
pub const ERC7575_ID: [u8; 4] = xor(&[
    selector("asset()"),
    selector("share()"),
    selector("convertToShares(uint256)"),
    selector("convertToAssets(uint256)"),
    selector("totalAssets()"),
    selector("maxDeposit(address)"),
    selector("previewDeposit(uint256)"),
    selector("deposit(uint256,address)"),
    selector("maxMint(address)"),
    selector("previewMint(uint256)"),
    selector("mint(uint256,address)"),
    selector("maxWithdraw(address)"),
    selector("previewWithdraw(uint256)"),
    selector("withdraw(uint256,address,address)"),
    selector("maxRedeem(address)"),
    selector("previewRedeem(uint256)"),
    selector("redeem(uint256,address,address)"),
]);

lsr_common::sol_abi! {
    /// ERC-4626: `sender` deposited `assets` LST for `shares` minted to `owner`.
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// ERC-4626 / ERC-7540: `sender` claimed `assets` LST for `receiver` from `owner`'s
    /// (the controller's) claimable `shares`.
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    /// ERC-7540: `sender` requested the redemption of `owner`'s `shares` for `controller`.
    event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);
    /// ERC-7540: `controller` (un)approved `operator`.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// Request `requestId` of `controller` was fulfilled: its `shares` were burned and `assets`
    /// LST reserved for the controller's claims.
    event RedeemFulfilled(address indexed controller, uint256 indexed requestId, uint256 shares, uint256 assets);
    /// LST per LRT (1e18, `assetsPerShare`) differs from the last one reported; it is computed
    /// from `totalAssets` and `totalSupply` at the end of the action that emits it.
    event RateUpdated(uint256 assetsPerShare, uint256 totalAssets, uint256 totalSupply);
    /// The limits changed.
    event LimitsSet(uint256 minDeposit, uint256 depositCap, uint256 minRedeem);
    /// The LRT created its share token (once).
    event ShareSet(address share);

    /// An address parameter was zero.
    #[derive(Debug, PartialEq, Eq)]
    error LrtZeroAddress();
    /// The vault has no LST token bound.
    #[derive(Debug, PartialEq, Eq)]
    error LrtTokenNotSet(address vault);
    /// No code at the extension program's address.
    #[derive(Debug, PartialEq, Eq)]
    error LrtExtensionHasNoCode(address extension);
    /// The share token is not created yet.
    #[derive(Debug, PartialEq, Eq)]
    error LrtShareNotSet();
    /// The share token is already created.
    #[derive(Debug, PartialEq, Eq)]
    error LrtShareAlreadySet(address share);
    /// Creating the share token failed: the code is not a Stylus program's deployed code
    /// (`EF F0 00` + brotli), the creation refused it or ran out of gas, or the token landed
    /// elsewhere than this vault's first-creation address.
    #[derive(Debug, PartialEq, Eq)]
    error LrtShareCreationFailed();
    /// An amount was zero.
    #[derive(Debug, PartialEq, Eq)]
    error LrtZeroAmount();
    /// The deposit would mint no shares.
    #[derive(Debug, PartialEq, Eq)]
    error LrtZeroShares();
    /// A deposit below the minimum (in LST).
    #[derive(Debug, PartialEq, Eq)]
    error LrtDepositTooSmall(uint256 assets, uint256 minimum);
    /// A deposit beyond the room under the cap on total assets (`mint`: the LST it costs).
    #[derive(Debug, PartialEq, Eq)]
    error LrtExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    /// A redemption request worth less than the minimum (in LST).
    #[derive(Debug, PartialEq, Eq)]
    error LrtRedeemTooSmall(uint256 assets, uint256 minimum);
    /// The caller is neither the controller nor one of its operators.
    #[derive(Debug, PartialEq, Eq)]
    error LrtNotControllerOrOperator(address caller, address controller);
    /// More shares than the controller can claim.
    #[derive(Debug, PartialEq, Eq)]
    error LrtExceededMaxRedeem(address controller, uint256 shares, uint256 max);
    /// More LST than the controller can claim.
    #[derive(Debug, PartialEq, Eq)]
    error LrtExceededMaxWithdraw(address controller, uint256 assets, uint256 max);
    /// Shares or claimed LST cannot go to the zero address or to this contract (nor shares to
    /// the share token).
    #[derive(Debug, PartialEq, Eq)]
    error LrtInvalidReceiver(address receiver);
    /// No request has this id.
    #[derive(Debug, PartialEq, Eq)]
    error LrtRequestNotFound(uint256 requestId);
    /// Every request up to `upToId` is already fulfilled.
    #[derive(Debug, PartialEq, Eq)]
    error LrtNothingToFulfill(uint256 upToId, uint256 nextToFulfill);
    /// Redemptions are asynchronous (ERC-7540): `previewRedeem` / `previewWithdraw` revert.
    #[derive(Debug, PartialEq, Eq)]
    error LrtAsyncRedeem();
    /// An account cannot be its own operator.
    #[derive(Debug, PartialEq, Eq)]
    error LrtSelfOperator(address account);
    /// A parameter outside its bounds.
    #[derive(Debug, PartialEq, Eq)]
    error LrtParameterOutOfBounds(uint256 value, uint256 minimum, uint256 maximum);
}

lsr_common::contract_error! {
    /// Every error the LRT vault returns: its own, the shared components', and the revert
    /// data of the LST, the share token, the staking vault or the allocator passed on
    /// (`ERC20InsufficientAllowance` from a deposit without approval or a request without
    /// allowance, the staking vault's deposit errors from the zap, the allocator's errors from
    /// `fulfill`).
    pub enum LrtError uses(access, math, call) events(Deposit, Withdraw, RedeemRequest, OperatorSet, RedeemFulfilled, RateUpdated, LimitsSet, ShareSet) {
    /// See [`LrtZeroAddress`].
    ZeroAddress(LrtZeroAddress {}),
    /// See [`LrtTokenNotSet`].
    TokenNotSet(LrtTokenNotSet { vault }),
    /// See [`LrtExtensionHasNoCode`].
    ExtensionHasNoCode(LrtExtensionHasNoCode { extension }),
    /// See [`LrtShareNotSet`].
    ShareNotSet(LrtShareNotSet {}),
    /// See [`LrtShareAlreadySet`].
    ShareAlreadySet(LrtShareAlreadySet { share }),
    /// See [`LrtShareCreationFailed`].
    ShareCreationFailed(LrtShareCreationFailed {}),
    /// See [`LrtZeroAmount`].
    ZeroAmount(LrtZeroAmount {}),
    /// See [`LrtZeroShares`].
    ZeroShares(LrtZeroShares {}),
    /// See [`LrtDepositTooSmall`].
    DepositTooSmall(LrtDepositTooSmall { assets, minimum }),
    /// See [`LrtExceededMaxDeposit`].
    ExceededMaxDeposit(LrtExceededMaxDeposit { receiver, assets, max }),
    /// See [`LrtRedeemTooSmall`].
    RedeemTooSmall(LrtRedeemTooSmall { assets, minimum }),
    /// See [`LrtNotControllerOrOperator`].
    NotControllerOrOperator(LrtNotControllerOrOperator { caller, controller }),
    /// See [`LrtExceededMaxRedeem`].
    ExceededMaxRedeem(LrtExceededMaxRedeem { controller, shares, max }),
    /// See [`LrtExceededMaxWithdraw`].
    ExceededMaxWithdraw(LrtExceededMaxWithdraw { controller, assets, max }),
    /// See [`LrtInvalidReceiver`].
    InvalidReceiver(LrtInvalidReceiver { receiver }),
    /// See [`LrtRequestNotFound`].
    RequestNotFound(LrtRequestNotFound { requestId }),
    /// See [`LrtNothingToFulfill`].
    NothingToFulfill(LrtNothingToFulfill { upToId, nextToFulfill }),
    /// See [`LrtAsyncRedeem`].
    AsyncRedeem(LrtAsyncRedeem {}),
    /// See [`LrtSelfOperator`].
    SelfOperator(LrtSelfOperator { account }),
    /// See [`LrtParameterOutOfBounds`].
    ParameterOutOfBounds(LrtParameterOutOfBounds { value, minimum, maximum }),
    }
}

mod storage;

pub use storage::{ControllerBalances, Lrt, Request};

lsr_common::access_public!(Lrt, access, pausable);

// Two programs run this crate's code on the LRT's storage (docs/lrt.md, "Two programs"): the
// LRT itself, with every function a deposit, a redemption or a claim calls and the prices
// integrators read on chain (and ERC-165, which EIP-165 bounds to 30,000 gas), and its
// extension, which the LRT delegate-calls with every selector it does not route (roles,
// pause, admin setters, ERC-7540 operators, the previews that revert, the limits `maxDeposit`
// and `maxMint`, `previewMint`, the LRT's own views). The `extension` feature
// (`contracts/lrt-extension`) makes the extension's router the program's entrypoint.
lsr_common::router! {
    #[entrypoint(not(feature = "extension"))]
    Lrt;
    constructor(Address, Address, Address, Address);
    "asset" => asset();
    "totalShares" => total_shares();
    "totalAssets" => total_assets();
    "convertToShares" => convert_to_shares(U256);
    "convertToAssets" => convert_to_assets(U256);
    "previewDeposit" => preview_deposit(U256);
    "maxRedeem" => max_redeem(Address);
    "maxWithdraw" => max_withdraw(Address);
    "deposit" => deposit(U256, Address);
    "depositWithPermit" => deposit_with_permit(U256, Address, U256, u8, B256, B256);
    "mint" => mint(U256, Address);
    "depositEth" => deposit_eth(Address) payable;
    "requestRedeem" => request_redeem(U256, Address, Address);
    "pendingRedeemRequest" => pending_redeem_request(U256, Address);
    "claimableRedeemRequest" => claimable_redeem_request(U256, Address);
    "fulfill" => fulfill(U256);
    "redeem" => redeem(U256, Address, Address);
    "withdraw" => withdraw(U256, Address, Address);
    "getRate" => get_rate();
    "supportsInterface" => supports_interface(FixedBytes<4>);
    "extension" => extension();
    _ => extended;
}

lsr_common::router! {
    #[entrypoint(feature = "extension")]
    extension Lrt uses(access);
    "createShare" => create_share(Bytes);
    "share" => share();
    "setLimits" => set_limits(U256, U256, U256);
    "vault" => vault();
    "allocator" => allocator();
    "minDeposit" => min_deposit();
    "depositCap" => deposit_cap();
    "minRedeem" => min_redeem();
    "reservedAssets" => reserved_assets();
    "redeemRequest" => redeem_request(U256);
    "queueState" => queue_state();
    "setOperator" => set_operator(Address, bool);
    "isOperator" => is_operator(Address, Address);
    "previewRedeem" => preview_redeem(U256);
    "previewWithdraw" => preview_withdraw(U256);
    "maxDeposit" => max_deposit(Address);
    "maxMint" => max_mint(Address);
    "previewMint" => preview_mint(U256);
}

#[public]
#[implements(IAccessControl, IPausable)]
impl Lrt {
    /// Binds the staking vault, its LST (read from the vault's `token()`), the allocator and
    /// the extension program (which runs every function this program does not route), for
    /// good; grants `admin` the admin role; default limits: minimum deposit 0.01 LST, cap
    /// 100,000 LST of total assets, minimum redemption 0.001 LST. The admin then creates the
    /// share token with `createShare`; deposits and requests wait for it.
    ///
    /// # Errors
    /// `LrtZeroAddress`, `LrtExtensionHasNoCode`, `LrtTokenNotSet` (the vault's `token()` is
    /// zero or missing).
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        vault: Address,
        allocator: Address,
        extension: Address,
    ) -> Result<(), LrtError> {
        if admin.is_zero() || vault.is_zero() || allocator.is_zero() || extension.is_zero() {
            return Err(LrtError::ZeroAddress(LrtZeroAddress {}));
        }
        // A delegate call to an address without code succeeds and does nothing: every
        // extension function would then report success.
        if self.vm().code_size(extension) == 0 {
            return Err(LrtError::ExtensionHasNoCode(LrtExtensionHasNoCode {
                extension,
            }));
        }
        let token = view_word(self.vm(), vault, vault_selectors::TOKEN, &[])
            .map_or(Address::ZERO, Address::from_word);
        if token.is_zero() {
            return Err(LrtError::TokenNotSet(LrtTokenNotSet { vault }));
        }
        self.access.grant(DEFAULT_ADMIN_ROLE, admin);
        self.vault.set(vault);
        self.token.set(token);
        self.allocator.set(allocator);
        self.extension.set(extension);
        self.min_deposit.set(U64::from(ONE / 100));
        self.deposit_cap.set(U128::from(100_000 * ONE));
        self.min_redeem.set(U64::from(ONE / 1_000));
        self.next_request_id.set(U64::from(1));
        self.next_to_fulfill.set(U64::from(1));
        Ok(())
    }

    /// Creates the share token from its deployed `code` (the `lrt-token` program, `EF F0 00`
    /// and the compressed wasm), once, as this vault's first creation: the token then knows
    /// this vault's calls by their sender, and this vault the token by its own address, with
    /// no storage read on either side (`lsr_common::create`). Its creation code records this
    /// vault in the token's slot 0. The token runs once its code is activated (`ArbWasm`),
    /// which the deployment does next unless the same code is already active. Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `LrtShareAlreadySet`, `LrtShareCreationFailed`.
    ///
    /// # Events
    /// `ShareSet`.
    #[allow(clippy::needless_pass_by_value)] // the router hands over owned `Bytes`
    pub fn create_share(&mut self, code: Bytes) -> Result<(), LrtError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        if self.share_created.get() {
            return Err(LrtError::ShareAlreadySet(LrtShareAlreadySet {
                share: self.share(),
            }));
        }
        let share = create_child(self.vm(), &code)
            .ok_or(LrtError::ShareCreationFailed(LrtShareCreationFailed {}))?;
        self.share_created.set(true);
        lsr_common::emit!(self.vm(), ShareSet { ; share: share });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // ERC-4626 / ERC-7575 views
    // -----------------------------------------------------------------------------------------

    /// The LST, the asset of this vault.
    pub fn asset(&self) -> Address {
        self.token.get()
    }

    /// ERC-7575: the share token (srETH), this vault's first creation; zero until
    /// `createShare`.
    pub fn share(&self) -> Address {
        if self.share_created.get() {
            first_created(self.vm(), self.vm().contract_address())
        } else {
            Address::ZERO
        }
    }

    /// Shares in existence (the share token's supply, locked shares of pending requests
    /// included).
    pub fn total_shares(&self) -> U256 {
        U256::from(self.total_shares.get())
    }

    /// LST managed for holders: the allocator's `totalAssets()` (LST reserved here for
    /// fulfilled requests is outside it).
    ///
    /// # Errors
    /// The allocator's revert data.
    pub fn total_assets(&self) -> Result<U256, LrtError> {
        let word = view_word(
            self.vm(),
            self.allocator.get(),
            lrt_allocator_selectors::TOTAL_ASSETS,
            &[],
        )?;
        Ok(word.into())
    }

    /// Shares `assets` LST buy now: `assets × (S + 1e3) / (A + 1e3)`, rounded down.
    ///
    /// # Errors
    /// The allocator's revert data; `MathOverflow` beyond any supply.
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, LrtError> {
        let (total, supply) = self.totals()?;
        Ok(math::to_shares(assets, total, supply, Rounding::Down)?)
    }

    /// LST `shares` are worth now: `shares × A / (S + 1e3)`, rounded down (what a request
    /// records).
    ///
    /// # Errors
    /// The allocator's revert data; `MathOverflow` beyond any supply.
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, LrtError> {
        let (total, supply) = self.totals()?;
        Ok(math::to_backed_assets(shares, total, supply)?)
    }

    /// LST `receiver` may deposit now: the room under the cap on total assets; zero when no
    /// deposit to `receiver` could succeed (paused, no share token yet, `receiver` refused,
    /// the room below the minimum deposit or buying no share, the allocator unreadable). Never
    /// reverts.
    pub fn max_deposit(&self, receiver: Address) -> U256 {
        self.room(receiver)
            .and_then(|(room, total, supply)| {
                // A room that buys no share would fail with `LrtZeroShares`.
                let shares = math::to_shares(room, total, supply, Rounding::Down)?;
                Ok(if shares.is_zero() { shares } else { room })
            })
            .unwrap_or_default()
    }

    /// Shares `receiver` may mint now: the shares the room under the cap buys (rounded down,
    /// so minting them costs at most the room); zero when no mint to `receiver` could succeed
    /// (as `maxDeposit`, and when those shares cost less than the minimum deposit). Never
    /// reverts.
    pub fn max_mint(&self, receiver: Address) -> U256 {
        self.room(receiver)
            .and_then(|(room, total, supply)| {
                let shares = math::to_shares(room, total, supply, Rounding::Down)?;
                self.admit(
                    receiver,
                    math::to_assets(shares, total, supply, Rounding::Up)?,
                )?;
                Ok(shares)
            })
            .unwrap_or_default()
    }

    /// Shares `deposit(assets)` mints now (rounded down).
    ///
    /// # Errors
    /// The allocator's revert data; `MathOverflow` beyond any supply.
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, LrtError> {
        self.convert_to_shares(assets)
    }

    /// LST `mint(shares)` costs now: `shares × (A + 1e3) / (S + 1e3)`, rounded up.
    ///
    /// # Errors
    /// The allocator's revert data; `MathOverflow` beyond any supply.
    pub fn preview_mint(&self, shares: U256) -> Result<U256, LrtError> {
        let (total, supply) = self.totals()?;
        Ok(math::to_assets(shares, total, supply, Rounding::Up)?)
    }

    /// Claimable shares of `controller` (fulfilled, not yet claimed).
    pub fn max_redeem(&self, controller: Address) -> U256 {
        U256::from(self.controllers.get(controller).claimable_shares.get())
    }

    /// Claimable LST of `controller`.
    pub fn max_withdraw(&self, controller: Address) -> U256 {
        U256::from(self.controllers.get(controller).claimable_assets.get())
    }

    /// Always reverts: redemptions are asynchronous (ERC-7540).
    ///
    /// # Errors
    /// `LrtAsyncRedeem`.
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, LrtError> {
        let _ = shares;
        Err(LrtError::AsyncRedeem(LrtAsyncRedeem {}))
    }

    /// Always reverts: redemptions are asynchronous (ERC-7540).
    ///
    /// # Errors
    /// `LrtAsyncRedeem`.
    pub fn preview_withdraw(&self, assets: U256) -> Result<U256, LrtError> {
        let _ = assets;
        Err(LrtError::AsyncRedeem(LrtAsyncRedeem {}))
    }

    // -----------------------------------------------------------------------------------------
    // Deposits
    // -----------------------------------------------------------------------------------------

    /// Deposits `assets` LST of the caller (who approved this contract) for shares minted to
    /// `receiver` at the current price, rounded down: the LST goes straight to the allocator,
    /// which is credited with it and answers what it managed before (the price). Returns the
    /// shares.
    ///
    /// # Errors
    /// In this order: `EnforcedPause`, `LrtShareNotSet`, `LrtInvalidReceiver` (zero, this
    /// vault or the share token), `LrtDepositTooSmall`; the LST's `ERC20InsufficientAllowance`
    /// / `ERC20InsufficientBalance`, the allocator's revert data; `MathOverflow`,
    /// `LrtExceededMaxDeposit`, `LrtZeroShares`.
    ///
    /// # Events
    /// `Deposit`, `RateUpdated` when LST per LRT moves; the share token emits
    /// `Transfer(0, receiver, shares)`, the LST `Transfer(caller, allocator, assets)`.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, LrtError> {
        self.pausable.when_not_paused()?;
        let share = self.admit(receiver, assets)?;
        let allocator = self.allocator.get();
        // One call prices the deposit and counts its LST: `credit` answers the allocator's
        // `totalAssets` before it.
        let total = self.pull(allocator, assets)?;
        let supply = U256::from(self.total_shares.get());
        let shares = math::to_shares(assets, total, supply, Rounding::Down)?;
        self.enter(share, receiver, assets, shares, total, supply)?;
        Ok(shares)
    }

    /// `deposit` with an EIP-2612 permit of the LST, in one transaction: the LST's
    /// `permit(caller, this vault, assets, deadline, v, r, s)`, then `deposit(assets,
    /// receiver)`. A wallet deposits without a separate `approve`. When the permit fails but
    /// the allowance already covers `assets` (someone submitted the same permit first, as
    /// anyone who saw it may), the deposit goes ahead on that allowance.
    ///
    /// # Errors
    /// `EnforcedPause`; the LST's revert data from `permit` (`ERC2612ExpiredSignature`,
    /// `ERC2612InvalidSigner`, …) when the allowance does not cover `assets`; then as
    /// `deposit`.
    ///
    /// # Events
    /// As `deposit`; the LST emits `Approval(caller, this vault, assets)`.
    #[allow(clippy::many_single_char_names)] // EIP-2612's v, r, s
    pub fn deposit_with_permit(
        &mut self,
        assets: U256,
        receiver: Address,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<U256, LrtError> {
        self.pausable.when_not_paused()?;
        let owner = self.vm().msg_sender();
        let this = self.vm().contract_address();
        let token = self.token.get();
        let context = Call::new_mutating(self);
        let permitted = call_words(
            self.vm(),
            context,
            token,
            erc20_selectors::PERMIT,
            &[
                owner.into_word(),
                this.into_word(),
                assets.into(),
                deadline.into(),
                U256::from(v).into(),
                r,
                s,
            ],
        );
        if let Err(refused) = permitted {
            let allowance = view_word(
                self.vm(),
                token,
                erc20_selectors::ALLOWANCE,
                &[owner.into_word(), this.into_word()],
            )?;
            if U256::from_be_bytes(allowance.0) < assets {
                return Err(refused.into());
            }
        }
        self.deposit(assets, receiver)
    }

    /// Mints exactly `shares` to `receiver` for the LST they cost now (rounded up), taken from
    /// the caller as in `deposit`. Returns the LST taken.
    ///
    /// # Errors
    /// As `deposit` (the minimum and the cap apply to the LST the shares cost), with the
    /// price read first (`totalAssets`) and the LST moved last.
    ///
    /// # Events
    /// As `deposit`.
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, LrtError> {
        self.pausable.when_not_paused()?;
        let (total, supply) = self.totals()?;
        let assets = math::to_assets(shares, total, supply, Rounding::Up)?;
        let share = self.admit(receiver, assets)?;
        let allocator = self.allocator.get();
        self.enter(share, receiver, assets, shares, total, supply)?;
        self.pull(allocator, assets)?;
        Ok(assets)
    }

    /// ETH zap: stakes the attached ETH in the vault for LST minted to the allocator, credits
    /// the allocator (which answers what it managed before), and mints shares to `receiver`
    /// for that LST at that price (rounded down). The minimum and the cap apply to the LST.
    /// Returns the shares.
    ///
    /// # Errors
    /// In this order: `EnforcedPause`, `LrtShareNotSet`; the vault's deposit errors (minimum,
    /// cap, pause); `LrtInvalidReceiver`, `LrtDepositTooSmall` (on the LST); the allocator's
    /// revert data; `MathOverflow`, `LrtExceededMaxDeposit`, `LrtZeroShares`.
    ///
    /// # Events
    /// As `deposit` (`assets` is the LST); the vault emits `Deposited`, the LST `Transfer`.
    #[payable]
    pub fn deposit_eth(&mut self, receiver: Address) -> Result<U256, LrtError> {
        // Nothing is called while paused or unbound. Then the vault, before the price and the
        // limits are read: a call clears the storage cache, so what is read after it is read
        // once. The new LST is not in the price: `credit` answers what the allocator managed
        // before it.
        self.pausable.when_not_paused()?;
        let share = self.bound_share()?;
        let value = self.vm().msg_value();
        let vault = self.vault.get();
        let allocator = self.allocator.get();
        let context = Call::new_payable(self, value);
        let assets: U256 = call_word(
            self.vm(),
            context,
            vault,
            vault_selectors::DEPOSIT,
            &[allocator.into_word()],
        )?
        .into();
        self.admit(receiver, assets)?;
        let total = self.credit(allocator, assets)?;
        let supply = U256::from(self.total_shares.get());
        let shares = math::to_shares(assets, total, supply, Rounding::Down)?;
        self.enter(share, receiver, assets, shares, total, supply)?;
        Ok(shares)
    }

    // -----------------------------------------------------------------------------------------
    // ERC-7540 redemptions
    // -----------------------------------------------------------------------------------------

    /// Requests the redemption of `shares` of `owner` for `controller`: locks them in this
    /// contract and records their value now (rounded down), the most the request pays. The
    /// caller is `owner`, an operator of `owner`, or spends `owner`'s allowance. Returns the
    /// request id (from 1, in FIFO order).
    ///
    /// # Errors
    /// `EnforcedPause`, `LrtShareNotSet`, `LrtZeroAddress` (controller), `LrtZeroAmount`,
    /// `LrtRedeemTooSmall`, the share token's `ERC20InsufficientAllowance`,
    /// `ERC20InsufficientBalance`, `ERC20InvalidSender`.
    ///
    /// # Events
    /// `RedeemRequest`; the share token emits `Transfer(owner, this, shares)`.
    pub fn request_redeem(
        &mut self,
        shares: U256,
        controller: Address,
        owner: Address,
    ) -> Result<U256, LrtError> {
        self.pausable.when_not_paused()?;
        let share = self.bound_share()?;
        if controller.is_zero() {
            return Err(LrtError::ZeroAddress(LrtZeroAddress {}));
        }
        if shares.is_zero() {
            return Err(LrtError::ZeroAmount(LrtZeroAmount {}));
        }
        let (total, supply) = self.totals()?;
        let assets = math::to_backed_assets(shares, total, supply)?;
        let minimum = U256::from(self.min_redeem.get());
        if assets < minimum {
            return Err(LrtError::RedeemTooSmall(LrtRedeemTooSmall {
                assets,
                minimum,
            }));
        }
        let shares_u128 = math::to_u128(shares)?;
        let assets_u128 = math::to_u128(assets)?;
        let caller = self.vm().msg_sender();
        // The owner and its operators need no allowance; anyone else spends theirs.
        let spender = if self.acts_for(owner, caller) {
            owner
        } else {
            caller
        };
        let now = self.vm().block_timestamp();
        let id = self.next_request_id.get().saturating_to::<u64>();
        self.next_request_id.set(U64::from(id + 1));
        let mut request = self.requests.setter(id);
        request.controller.set(controller);
        request.requested_at.set(U64::from(now));
        request.shares.set(shares_u128);
        request.assets.set(assets_u128);
        let mut balances = self.controllers.setter(controller);
        let pending = math::add(balances.pending_shares.get(), shares)?;
        balances.pending_shares.set(pending);
        self.share_call(
            share,
            SHARE_LOCK,
            &[owner.into_word(), spender.into_word(), shares.into()],
        )?;
        let id = U256::from(id);
        lsr_common::emit!(self.vm(), RedeemRequest { controller: controller, owner: owner, requestId: id; sender: caller, shares: shares });
        Ok(id)
    }

    /// ERC-7540: shares of request `request_id` of `controller` that wait for fulfilment;
    /// for id 0, every pending share of `controller`. Zero for another controller's request.
    pub fn pending_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        if request_id.is_zero() {
            return self.controllers.get(controller).pending_shares.get();
        }
        match self.request_of(request_id, controller) {
            Some((id, shares)) if id >= self.next_to_fulfill() => shares,
            _ => U256::ZERO,
        }
    }

    /// ERC-7540: claimable shares of `controller`. Fulfilled requests of a controller pool
    /// into one claimable balance (claims name the controller, not a request), so for any
    /// fulfilled request of `controller`, and for id 0, this is that whole balance; zero for a
    /// pending request or another controller's.
    pub fn claimable_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        let claimable = self.max_redeem(controller);
        if request_id.is_zero() {
            return claimable;
        }
        match self.request_of(request_id, controller) {
            Some((id, _)) if id < self.next_to_fulfill() => claimable,
            _ => U256::ZERO,
        }
    }

    /// Fulfils requests in FIFO order up to and including `up_to_id`: each pays
    /// min(value at request, value now), its shares are burned, and the total LST is pulled
    /// from the allocator (`release`) and reserved here for the controllers' claims. Returns
    /// the LST reserved. Allocator role, not while paused.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `EnforcedPause`, `LrtRequestNotFound`,
    /// `LrtNothingToFulfill`, the allocator's revert data (not enough idle LST).
    ///
    /// # Events
    /// `RedeemFulfilled` per request, `RateUpdated` when LST per LRT moves; the share token
    /// emits `Transfer(this, 0, shares)`, the LST `Transfer(allocator, this, assets)`.
    pub fn fulfill(&mut self, up_to_id: U256) -> Result<U256, LrtError> {
        self.access.only_role(lsr_common::word!(ALLOCATOR_ROLE))?;
        self.pausable.when_not_paused()?;
        let up_to = self.existing_request(up_to_id)?;
        let first = self.next_to_fulfill();
        if up_to < first {
            return Err(LrtError::NothingToFulfill(LrtNothingToFulfill {
                upToId: up_to_id,
                nextToFulfill: U256::from(first),
            }));
        }
        let (total, supply) = self.totals()?;
        let mut burned = U256::ZERO;
        let mut reserved = U256::ZERO;
        for id in first..=up_to {
            let mut request = self.requests.setter(id);
            let shares = U256::from(request.shares.get());
            let value = math::to_backed_assets(shares, total, supply)?;
            let assets = value.min(U256::from(request.assets.get()));
            // At most the value at request, which fitted.
            request.assets.set(U128::saturating_from(assets));
            let controller = request.controller.get();
            let mut balances = self.controllers.setter(controller);
            // The request's shares were added to the pending ones and are still there.
            let pending = balances.pending_shares.get() - shares;
            balances.pending_shares.set(pending);
            let claimable_shares = math::add(U256::from(balances.claimable_shares.get()), shares)?;
            balances
                .claimable_shares
                .set(math::to_u128(claimable_shares)?);
            let claimable_assets = math::add(U256::from(balances.claimable_assets.get()), assets)?;
            balances
                .claimable_assets
                .set(math::to_u128(claimable_assets)?);
            burned += shares;
            reserved += assets;
            let id = U256::from(id);
            lsr_common::emit!(self.vm(), RedeemFulfilled { controller: controller, requestId: id; shares: shares, assets: assets });
        }
        self.next_to_fulfill.set(U64::from(up_to + 1));
        let reserve = math::add(U256::from(self.reserved_assets.get()), reserved)?;
        self.reserved_assets.set(math::to_u96(reserve)?);
        // Σ of values rounded down is at most `total`; the burned shares are in the supply,
        // which fits.
        self.total_shares
            .set(U128::saturating_from(supply - burned));
        self.log_rate(total - reserved, supply - burned)?;
        let (share, allocator) = (self.share(), self.allocator.get());
        self.share_call(share, lst_selectors::BURN, &[burned.into()])?;
        if !reserved.is_zero() {
            self.release(allocator, reserved)?;
        }
        Ok(reserved)
    }

    /// Claims `shares` of `controller`'s claimable shares: pays `receiver` their pro-rata
    /// part of the controller's claimable LST, rounded down. Caller: the controller or its
    /// operator. Works while paused. Returns the LST paid.
    ///
    /// # Errors
    /// `LrtNotControllerOrOperator`, `LrtInvalidReceiver`, `LrtZeroAmount`,
    /// `LrtExceededMaxRedeem`.
    ///
    /// # Events
    /// `Withdraw(caller, receiver, controller, assets, shares)`; the LST emits `Transfer`.
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, LrtError> {
        let (claimable_shares, claimable_assets) = self.claimable(controller, receiver, shares)?;
        if shares > claimable_shares {
            return Err(LrtError::ExceededMaxRedeem(LrtExceededMaxRedeem {
                controller,
                shares,
                max: claimable_shares,
            }));
        }
        let assets = math::mul_div(claimable_assets, shares, claimable_shares, Rounding::Down)?;
        self.pay(controller, receiver, assets, shares)?;
        Ok(assets)
    }

    /// Claims `assets` LST of `controller`'s claimable LST for `receiver`, using the
    /// controller's claimable shares pro rata, rounded up, but never all of them while LST
    /// would be left. Caller: the controller or its operator. Works while paused. Returns the
    /// shares used.
    ///
    /// # Errors
    /// `LrtNotControllerOrOperator`, `LrtInvalidReceiver`, `LrtZeroAmount`,
    /// `LrtExceededMaxWithdraw`.
    ///
    /// # Events
    /// `Withdraw(caller, receiver, controller, assets, shares)`; the LST emits `Transfer`.
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, LrtError> {
        let (claimable_shares, claimable_assets) = self.claimable(controller, receiver, assets)?;
        if assets > claimable_assets {
            return Err(LrtError::ExceededMaxWithdraw(LrtExceededMaxWithdraw {
                controller,
                assets,
                max: claimable_assets,
            }));
        }
        let mut shares = math::mul_div(claimable_shares, assets, claimable_assets, Rounding::Up)?;
        // Rounding up must not use every claimable share while LST is left: that LST would
        // have no share to claim it by `redeem` (`maxRedeem` 0, `maxWithdraw` > 0).
        if shares == claimable_shares && assets < claimable_assets {
            shares = shares.saturating_sub(U256::from(1));
        }
        self.pay(controller, receiver, assets, shares)?;
        Ok(shares)
    }

    /// ERC-7540: lets `operator` request redemptions of the caller's shares and claim for the
    /// caller as controller (or stops it). Works while paused. Returns `true`.
    ///
    /// # Errors
    /// `LrtSelfOperator`.
    ///
    /// # Events
    /// `OperatorSet(caller, operator, approved)`.
    pub fn set_operator(&mut self, operator: Address, approved: bool) -> Result<bool, LrtError> {
        let controller = self.vm().msg_sender();
        if operator == controller {
            return Err(LrtError::SelfOperator(LrtSelfOperator {
                account: operator,
            }));
        }
        self.operators.setter(controller).insert(operator, approved);
        lsr_common::emit!(self.vm(), OperatorSet { controller: controller, operator: operator; approved: approved });
        Ok(true)
    }

    /// ERC-7540: whether `operator` acts for `controller`.
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.operators.getter(controller).get(operator)
    }

    /// ERC-165: ERC-165, ERC-7540 asynchronous redemption, ERC-7540 operators, ERC-7575.
    pub fn supports_interface(&self, interface_id: FixedBytes<4>) -> bool {
        // Four integer comparisons with immediates (an array of the ids would sit in the data
        // segment, priced on every call).
        const ERC165: u32 = u32::from_be_bytes(ERC165_ID);
        const ERC7540_REDEEM: u32 = u32::from_be_bytes(ERC7540_REDEEM_ID);
        const ERC7540_OPERATOR: u32 = u32::from_be_bytes(ERC7540_OPERATOR_ID);
        const ERC7575: u32 = u32::from_be_bytes(ERC7575_ID);
        matches!(
            u32::from_be_bytes(interface_id.0),
            ERC165 | ERC7540_REDEEM | ERC7540_OPERATOR | ERC7575
        )
    }

    // -----------------------------------------------------------------------------------------
    // Rate
    // -----------------------------------------------------------------------------------------

    /// ETH per LRT in 1e18 (a Balancer rate provider): LST per LRT, `1e18 × (A + 1e3) /
    /// (S + 1e3)` rounded down, times the vault's `getRate()` / 1e18, rounded down.
    ///
    /// # Errors
    /// The allocator's or the vault's revert data.
    pub fn get_rate(&self) -> Result<U256, LrtError> {
        let (total, supply) = self.totals()?;
        let vault_rate: U256 =
            view_word(self.vm(), self.vault.get(), vault_selectors::GET_RATE, &[])?.into();
        Ok(math::mul_div(
            Self::rate(total, supply)?,
            vault_rate,
            WAD,
            Rounding::Down,
        )?)
    }

    // -----------------------------------------------------------------------------------------
    // Admin
    // -----------------------------------------------------------------------------------------

    /// Sets the minimum deposit (1 wei to 1 LST), the cap on total assets (from the minimum
    /// deposit to [`MAX_CAP`], 2^96 − 1; deposits that would pass it are refused, nothing
    /// else) and the minimum value of a redemption request (1 wei to 1 LST). Admin only.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`, `LrtParameterOutOfBounds`.
    ///
    /// # Events
    /// `LimitsSet`.
    pub fn set_limits(
        &mut self,
        min_deposit: U256,
        deposit_cap: U256,
        min_redeem: U256,
    ) -> Result<(), LrtError> {
        self.access.only_role(DEFAULT_ADMIN_ROLE)?;
        let one = U256::from(1);
        Self::within(min_deposit, one, U256::from(MAX_MINIMUM))?;
        Self::within(deposit_cap, min_deposit, U256::from(MAX_CAP))?;
        Self::within(min_redeem, one, U256::from(MAX_MINIMUM))?;
        // Each fits its field: the bounds just checked.
        self.min_deposit.set(U64::saturating_from(min_deposit));
        self.deposit_cap.set(U128::saturating_from(deposit_cap));
        self.min_redeem.set(U64::saturating_from(min_redeem));
        lsr_common::emit!(self.vm(), LimitsSet { ; minDeposit: min_deposit, depositCap: deposit_cap, minRedeem: min_redeem });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Views
    // -----------------------------------------------------------------------------------------

    /// The staking vault.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// The LRT allocator.
    pub fn allocator(&self) -> Address {
        self.allocator.get()
    }

    /// The extension program: the code this vault delegate-calls with every function it does
    /// not run itself (docs/lrt.md, "Two programs"). Bound by the constructor, for good.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// The minimum deposit, in LST.
    pub fn min_deposit(&self) -> U256 {
        U256::from(self.min_deposit.get())
    }

    /// The cap on total assets, in LST.
    pub fn deposit_cap(&self) -> U256 {
        U256::from(self.deposit_cap.get())
    }

    /// The minimum value of a redemption request, in LST.
    pub fn min_redeem(&self) -> U256 {
        U256::from(self.min_redeem.get())
    }

    /// LST held here for fulfilled requests (Σ of the controllers' claimable LST).
    pub fn reserved_assets(&self) -> U256 {
        U256::from(self.reserved_assets.get())
    }

    /// Request `request_id`: controller, shares, LST (value at request while pending, the
    /// payout once fulfilled), request time, and whether it is fulfilled.
    ///
    /// # Errors
    /// `LrtRequestNotFound`.
    pub fn redeem_request(
        &self,
        request_id: U256,
    ) -> Result<(Address, U256, U256, u64, bool), LrtError> {
        let id = self.existing_request(request_id)?;
        let request = self.requests.get(id);
        Ok((
            request.controller.get(),
            U256::from(request.shares.get()),
            U256::from(request.assets.get()),
            request.requested_at.get().saturating_to(),
            id < self.next_to_fulfill(),
        ))
    }

    /// The queue: the id the next request gets, and the next request to fulfil.
    pub fn queue_state(&self) -> (U256, U256) {
        (
            U256::from(self.next_request_id.get()),
            U256::from(self.next_to_fulfill.get()),
        )
    }
}

impl Lrt {
    /// Every selector the LRT does not route: runs the extension program on this vault's
    /// storage, with the caller's calldata, sender and value, and returns what it returns
    /// (nothing, as before, for a selector neither program routes).
    ///
    /// # Errors
    /// The extension's revert data.
    #[inline(never)]
    fn extended(&mut self, input: &[u8]) -> stylus_sdk::ArbResult {
        let extension = self.extension.get();
        let vm = self.vm().clone();
        // SAFETY: the extension is this crate's own code (`contracts/lrt-extension`), bound
        // once by the constructor: it runs the same storage layout and the same checks as
        // this program. Programs cannot self-destruct, so it stays what it was.
        #[allow(unsafe_code)]
        let result = unsafe {
            stylus_sdk::call::delegate_call(&vm, Call::new_mutating(self), extension, input)
        };
        result.map_err(Into::into)
    }

    /// (total assets, total supply).
    fn totals(&self) -> Result<(U256, U256), LrtError> {
        Ok((self.total_assets()?, U256::from(self.total_shares.get())))
    }

    /// (room under the cap, total assets, supply) for a deposit to `receiver`; the error a
    /// deposit of the whole room would meet first (`EnforcedPause`, `LrtShareNotSet`,
    /// `LrtInvalidReceiver`, `LrtDepositTooSmall`).
    fn room(&self, receiver: Address) -> Result<(U256, U256, U256), LrtError> {
        self.pausable.when_not_paused()?;
        let (total, supply) = self.totals()?;
        let room = U256::from(self.deposit_cap.get()).saturating_sub(total);
        self.admit(receiver, room)?;
        Ok((room, total, supply))
    }

    /// LST per LRT in 1e18, rounded down.
    fn rate(total: U256, supply: U256) -> Result<U256, LrtError> {
        Ok(math::to_assets(WAD, total, supply, Rounding::Down)?)
    }

    /// Emits `RateUpdated` when LST per LRT with these totals differs from the last one
    /// reported.
    fn log_rate(&mut self, total: U256, supply: U256) -> Result<(), LrtError> {
        let rate = Self::rate(total, supply)?;
        let stored = U128::saturating_from(rate);
        if stored != self.last_rate.get() {
            self.last_rate.set(stored);
            lsr_common::emit!(self.vm(), RateUpdated { ; assetsPerShare: rate, totalAssets: total, totalSupply: supply });
        }
        Ok(())
    }

    /// Checks what a deposit of `assets` for `receiver` can be checked for before the price:
    /// the share token is bound, the receiver, the minimum. Returns the share token.
    fn admit(&self, receiver: Address, assets: U256) -> Result<Address, LrtError> {
        let share = self.bound_share()?;
        if receiver.is_zero() || receiver == self.vm().contract_address() || receiver == share {
            return Err(LrtError::InvalidReceiver(LrtInvalidReceiver { receiver }));
        }
        let minimum = U256::from(self.min_deposit.get());
        if assets < minimum {
            return Err(LrtError::DepositTooSmall(LrtDepositTooSmall {
                assets,
                minimum,
            }));
        }
        Ok(share)
    }

    /// Checks a deposit of `assets` for `shares` at `total` against the cap, counts the shares,
    /// logs the deposit and has the share token mint them to `receiver`.
    fn enter(
        &mut self,
        share: Address,
        receiver: Address,
        assets: U256,
        shares: U256,
        total: U256,
        supply: U256,
    ) -> Result<(), LrtError> {
        let room = U256::from(self.deposit_cap.get()).saturating_sub(total);
        if assets > room {
            return Err(LrtError::ExceededMaxDeposit(LrtExceededMaxDeposit {
                receiver,
                assets,
                max: room,
            }));
        }
        if shares.is_zero() {
            return Err(LrtError::ZeroShares(LrtZeroShares {}));
        }
        let supply = math::add(supply, shares)?;
        self.total_shares.set(math::to_u128(supply)?);
        let sender = self.vm().msg_sender();
        lsr_common::emit!(self.vm(), Deposit { sender: sender, owner: receiver; assets: assets, shares: shares });
        self.log_rate(math::add(total, assets)?, supply)?;
        self.share_call(
            share,
            lst_selectors::MINT,
            &[receiver.into_word(), shares.into()],
        )
    }

    /// The share token, once created.
    fn bound_share(&self) -> Result<Address, LrtError> {
        let share = self.share();
        if share.is_zero() {
            return Err(LrtError::ShareNotSet(LrtShareNotSet {}));
        }
        Ok(share)
    }

    /// Calls the share token's vault-only `selector` with `words`.
    fn share_call(
        &mut self,
        share: Address,
        selector: [u8; 4],
        words: &[B256],
    ) -> Result<(), LrtError> {
        let context = Call::new_mutating(self);
        call_words(self.vm(), context, share, selector, words)?;
        Ok(())
    }

    /// Moves `assets` LST from the caller to the allocator and credits it; returns what the
    /// allocator managed before.
    fn pull(&mut self, allocator: Address, assets: U256) -> Result<U256, LrtError> {
        let sender = self.vm().msg_sender();
        let token = self.token.get();
        let context = Call::new_mutating(self);
        call_words(
            self.vm(),
            context,
            token,
            erc20_selectors::TRANSFER_FROM,
            &[sender.into_word(), allocator.into_word(), assets.into()],
        )?;
        self.credit(allocator, assets)
    }

    /// The allocator's `credit(assets)`: what it managed before them.
    fn credit(&mut self, allocator: Address, assets: U256) -> Result<U256, LrtError> {
        let context = Call::new_mutating(self);
        let before = call_word(
            self.vm(),
            context,
            allocator,
            lrt_allocator_selectors::CREDIT,
            &[assets.into()],
        )?;
        Ok(before.into())
    }

    /// The allocator's `release(assets)`: the LST comes here. The caller reads the allocator's
    /// address before its first call: a call clears the storage cache.
    fn release(&mut self, allocator: Address, assets: U256) -> Result<(), LrtError> {
        let context = Call::new_mutating(self);
        call_words(
            self.vm(),
            context,
            allocator,
            lrt_allocator_selectors::RELEASE,
            &[assets.into()],
        )?;
        Ok(())
    }

    /// Whether `caller` is `account` or one of its ERC-7540 operators. An account is never its
    /// own operator (`LrtSelfOperator`), so its own call reads no operator slot.
    fn acts_for(&self, account: Address, caller: Address) -> bool {
        caller == account || self.is_operator(account, caller)
    }

    /// Checks a claim's caller, receiver and amount; returns the controller's claimable
    /// (shares, assets).
    fn claimable(
        &self,
        controller: Address,
        receiver: Address,
        amount: U256,
    ) -> Result<(U256, U256), LrtError> {
        let caller = self.vm().msg_sender();
        if !self.acts_for(controller, caller) {
            return Err(LrtError::NotControllerOrOperator(
                LrtNotControllerOrOperator { caller, controller },
            ));
        }
        if receiver.is_zero() || receiver == self.vm().contract_address() {
            return Err(LrtError::InvalidReceiver(LrtInvalidReceiver { receiver }));
        }
        if amount.is_zero() {
            return Err(LrtError::ZeroAmount(LrtZeroAmount {}));
        }
        let balances = self.controllers.get(controller);
        Ok((
            U256::from(balances.claimable_shares.get()),
            U256::from(balances.claimable_assets.get()),
        ))
    }

    /// Takes `shares` and `assets` off `controller`'s claimable balances and the reserve, and
    /// sends the LST to `receiver`.
    fn pay(
        &mut self,
        controller: Address,
        receiver: Address,
        assets: U256,
        shares: U256,
    ) -> Result<(), LrtError> {
        let mut balances = self.controllers.setter(controller);
        // Both are at most the claimable balances (checked, or pro rata of them).
        let left_shares = balances.claimable_shares.get() - U128::saturating_from(shares);
        balances.claimable_shares.set(left_shares);
        let left_assets = balances.claimable_assets.get() - U128::saturating_from(assets);
        balances.claimable_assets.set(left_assets);
        // The reserve is the sum of the claimable assets.
        let left = U256::from(self.reserved_assets.get()) - assets;
        self.reserved_assets.set(math::to_u96(left)?);
        let sender = self.vm().msg_sender();
        lsr_common::emit!(self.vm(), Withdraw { sender: sender, receiver: receiver, owner: controller; assets: assets, shares: shares });
        let token = self.token.get();
        let context = Call::new_mutating(self);
        call_words(
            self.vm(),
            context,
            token,
            erc20_selectors::TRANSFER,
            &[receiver.into_word(), assets.into()],
        )?;
        Ok(())
    }

    /// `(id, shares)` of request `request_id` when it exists and belongs to `controller`.
    fn request_of(&self, request_id: U256, controller: Address) -> Option<(u64, U256)> {
        let id = self.existing_request(request_id).ok()?;
        let request = self.requests.get(id);
        (request.controller.get() == controller).then(|| (id, U256::from(request.shares.get())))
    }

    fn existing_request(&self, request_id: U256) -> Result<u64, LrtError> {
        if request_id.is_zero() || request_id >= U256::from(self.next_request_id.get()) {
            return Err(LrtError::RequestNotFound(LrtRequestNotFound {
                requestId: request_id,
            }));
        }
        Ok(request_id.saturating_to::<u64>())
    }

    fn next_to_fulfill(&self) -> u64 {
        self.next_to_fulfill.get().saturating_to()
    }

    /// Checks that `value` is within `[minimum, maximum]`.
    fn within(value: U256, minimum: U256, maximum: U256) -> Result<(), LrtError> {
        if value < minimum || value > maximum {
            return Err(LrtError::ParameterOutOfBounds(LrtParameterOutOfBounds {
                value,
                minimum,
                maximum,
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
