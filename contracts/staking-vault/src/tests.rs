//! `TestVM` unit tests of every public function of the vault (success paths with their events,
//! every error with the state left unchanged) and proptest properties of its accounting.
//!
//! `TestVM` does not roll storage back when a call returns an error, while the host reverts the
//! whole transaction. Two helpers reflect that: [`Fixture::rejects`] demands that a call fails
//! *before* writing anything (the usual checks-first paths), and [`Fixture::reverts`] restores the
//! storage as the host's revert would, for the paths that legitimately write first (effects
//! before the ETH send, the mint after the buffer update, the allowance spent before the
//! receiver check, the payouts written while finalizing).

use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent, SolValue};
use lsr_common::{
    access::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, EnforcedPause,
        ExpectedPause, Paused, RoleGranted, RoleRevoked, Unpaused, PAUSER_ROLE,
    },
    erc20::{ERC20InsufficientBalance, Transfer},
    interfaces::lst_selectors,
    testing::{calldata, nonzero_storage, Erc20Ledger, Fixture, MockHost},
};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

// ---------------------------------------------------------------------------------------------
// Actors and constants
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z, the deployment time of every fixture.
const T0: u64 = 1_767_225_600;
const DAY: u64 = 24 * 3600;
const HOUR: u64 = 3600;

const VAULT: Address = address!("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
/// The vault's first creation (`VAULT.create(1)`, checked by
/// `the_token_is_the_vaults_first_creation`).
const TOKEN: Address = address!("70b6d7b14dfe962cd25033db888fd956d7e37073");
/// Stands for the `lst-token` program's deployed code in `createToken`.
const TOKEN_CODE: &[u8] = &[0xef, 0xf0, 0x00, 0x00, 0x70];
const EXTENSION: Address = address!("e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7");
/// Code at the extension's address (only its presence matters here).
const EXTENSION_CODE: &[u8] = &[0xef, 0xf0, 0x00, 0x00];
const DEPLOYER: Address = address!("00000000000000000000000000000000000d0001");
const ADMIN: Address = address!("00000000000000000000000000000000000a0001");
const TREASURY: Address = address!("00000000000000000000000000000000000a0002");
const OPERATOR: Address = address!("00000000000000000000000000000000000a0003");
const ORACLE: Address = address!("00000000000000000000000000000000000a0004");
const ALLOCATOR: Address = address!("00000000000000000000000000000000000a0005");
const PAUSER: Address = address!("00000000000000000000000000000000000a0006");
const ALICE: Address = address!("00000000000000000000000000000000000b0001");
const BOB: Address = address!("00000000000000000000000000000000000b0002");
const CAROL: Address = address!("00000000000000000000000000000000000b0003");
const STRANGER: Address = address!("00000000000000000000000000000000000e0001");

/// Every address that can ever hold shares in these tests (the vault holds queued shares).
const HOLDERS: [Address; 11] = [
    ADMIN, TREASURY, OPERATOR, ORACLE, ALLOCATOR, PAUSER, ALICE, BOB, CAROL, STRANGER, VAULT,
];

/// Default parameters set by the constructor.
const MIN_DEPOSIT: u128 = 10_000_000_000_000_000; // 0.01 ETH
const MIN_WITHDRAWAL: u128 = 1_000_000_000_000_000; // 0.001 ETH
const FEE_BPS: u16 = 1_000;
const APR_BPS: u16 = 1_000;
const LOSS_BPS: u16 = 500;
const REPORT_INTERVAL: u64 = 12 * HOUR;

fn eth(n: u64) -> U256 {
    U256::from(n) * WAD
}

fn wei(n: u128) -> U256 {
    U256::from(n)
}

/// `amount × bps / 10,000`, rounded down.
fn bps(amount: U256, bps: u16) -> U256 {
    amount * U256::from(bps) / U256::from(10_000_u64)
}

/// The largest gain the APR bound allows on `balance` over `elapsed` seconds.
fn max_gain(balance: U256, elapsed: u64, apr_bps: u16) -> U256 {
    balance * U256::from(apr_bps) * U256::from(elapsed)
        / (U256::from(10_000_u64) * U256::from(YEAR))
}

/// Value of `shares` with the documented formula `shares × (P + 1e3) / (S + 1e3)`, rounded
/// down (written out here rather than taken from the contract).
fn value_of(shares: U256, pooled: U256, supply: U256) -> U256 {
    shares * (pooled + wei(1_000)) / (supply + wei(1_000))
}

/// `(minDeposit, depositCap, minWithdrawal, maxWithdrawal, feeBps, maxAprBps, maxLossBps,
/// minReportInterval)`, read through the getters.
fn parameters(vault: &StakingVault) -> (U256, U256, U256, U256, u16, u16, u16, u64) {
    (
        vault.min_deposit(),
        vault.deposit_cap(),
        vault.min_withdrawal(),
        vault.max_withdrawal(),
        vault.fee_bps(),
        vault.max_apr_bps(),
        vault.max_loss_bps(),
        vault.min_report_interval(),
    )
}

fn unauthorized(account: Address, role: B256) -> VaultError {
    VaultError::Unauthorized(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn enforced_pause() -> VaultError {
    VaultError::EnforcedPause(EnforcedPause {})
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

// ---------------------------------------------------------------------------------------------
// Fixture and state snapshots
// ---------------------------------------------------------------------------------------------

/// Everything a call could touch, through the public views plus the raw storage.
#[derive(Debug, PartialEq, Eq)]
struct State {
    total_assets: U256,
    total_supply: U256,
    buffered: U256,
    validator_balance: U256,
    reserved: U256,
    rate: U256,
    queue: (U256, U256),
    last_report: u64,
    paused: bool,
    parameters: (U256, U256, U256, U256, u16, u16, u16, u64),
    treasury: Address,
    operator: Address,
    balances: Vec<U256>,
    requests: Vec<(Address, U256, U256, u64, u8)>,
    /// Non-zero slots only: `TestVM` records a zero written to an empty slot.
    storage: BTreeMap<U256, B256>,
}

/// The vault after its constructor (the extension's code in place), its token not created.
fn deployed(vm: &MockHost) -> StakingVault {
    vm.set_code(EXTENSION, EXTENSION_CODE.to_vec());
    let mut vault = StakingVault::from(vm);
    vault
        .constructor(ADMIN, TREASURY, OPERATOR, EXTENSION)
        .expect("constructor with non-zero addresses");
    vault
}

/// The host answers the creation of [`TOKEN_CODE`] (the exact creation code) with [`TOKEN`].
fn mock_token_creation(vm: &MockHost) {
    vm.mock_deploy(
        lsr_common::create::child_init_code(TOKEN_CODE).expect("short code"),
        None,
        Ok(TOKEN),
    );
}

/// A deployed vault bound to a model of its LST token, with roles granted to distinct
/// addresses, at a realistic time.
struct Fx {
    vm: MockHost,
    ledger: Rc<RefCell<Erc20Ledger>>,
    vault: StakingVault,
    now: u64,
}

impl Fx {
    fn new() -> Self {
        let vm = MockHost::default();
        vm.set_block_timestamp(T0);
        vm.set_contract_address(VAULT);
        vm.set_sender(DEPLOYER);
        let ledger = Erc20Ledger::install(&vm, TOKEN, VAULT);
        let mut vault = deployed(&vm);
        vm.set_sender(ADMIN);
        mock_token_creation(&vm);
        vault
            .create_token(TOKEN_CODE.to_vec().into())
            .expect("the vault creates its token");
        for (role, account) in [
            (ORACLE_ROLE, ORACLE),
            (ALLOCATOR_ROLE, ALLOCATOR),
            (PAUSER_ROLE, PAUSER),
        ] {
            vault.grant_role(role, account).expect("the admin grants");
        }
        vm.clear_mocks();
        vm.clear_calls();
        Self {
            vm,
            ledger,
            vault,
            now: T0,
        }
    }

    /// Alice staked 100 ETH, Bob 50 ETH; 120 ETH went to the validators (30 ETH buffered).
    fn staked() -> Self {
        let mut f = Self::new();
        f.deposit(ALICE, eth(100));
        f.deposit(BOB, eth(50));
        f.fund(eth(120));
        f.take_logs();
        f
    }

    /// [`Self::staked`] after one day and a report of the largest gain the APR bound allows.
    fn staked_with_gain() -> Self {
        let mut f = Self::staked();
        f.advance(DAY);
        let balance = f.vault.validator_balance();
        f.report(balance + max_gain(balance, DAY, APR_BPS));
        f.take_logs();
        f
    }

    /// Caller `who`, no value attached.
    fn as_(&self, who: Address) {
        self.vm.set_sender(who);
        self.vm.set_value(U256::ZERO);
    }

    /// The pauser pauses the vault.
    fn pause(&mut self) {
        self.as_(PAUSER);
        self.vault
            .pause()
            .expect("the pauser pauses a running vault");
    }

    /// Caller `who`, attaching `value` wei.
    fn paying(&self, who: Address, value: U256) {
        self.vm.set_sender(who);
        self.vm.set_value(value);
    }

    fn advance(&mut self, seconds: u64) {
        self.now += seconds;
        self.vm.set_block_timestamp(self.now);
    }

    fn take_logs(&self) -> Vec<Log> {
        let logs = self.vm.get_emitted_logs();
        self.vm.clear_mocks();
        logs
    }

    fn deposit(&mut self, who: Address, assets: U256) -> U256 {
        self.paying(who, assets);
        self.vault.deposit(who).expect("deposit")
    }

    fn fund(&mut self, amount: U256) {
        self.as_(ALLOCATOR);
        self.vault.fund_validators(amount).expect("fundValidators");
    }

    /// Oracle report at the current time.
    fn report(&mut self, validator_balance: U256) {
        self.as_(ORACLE);
        self.vault
            .report(self.now, validator_balance)
            .expect("report");
    }

    fn request(&mut self, who: Address, shares: U256) -> U256 {
        self.as_(who);
        self.vault
            .request_withdrawal(shares)
            .expect("requestWithdrawal")
    }

    fn finalize(&mut self, up_to: u64) {
        self.as_(ORACLE);
        self.vault.finalize(U256::from(up_to)).expect("finalize");
    }

    fn claim(&mut self, who: Address, id: u64) {
        self.as_(who);
        self.vault.claim(U256::from(id)).expect("claim");
    }

    fn balance(&self, who: Address) -> U256 {
        self.ledger.borrow().balance_of(who)
    }

    fn rate(&self) -> U256 {
        self.vault.get_rate().expect("rate")
    }

    /// (totalPooledEther, totalSupply).
    fn totals(&self) -> (U256, U256) {
        (self.vault.total_assets(), self.vault.total_shares())
    }

    fn request_at(&self, id: u64) -> (Address, U256, U256, u64, u8) {
        self.vault
            .withdrawal_request(U256::from(id))
            .expect("existing request")
    }
}

impl Fixture for Fx {
    type Contract = StakingVault;
    type Error = VaultError;
    type State = State;
    type Models = Erc20Ledger;

    fn vm(&self) -> &TestVM {
        &self.vm
    }

    fn contract(&mut self) -> &mut StakingVault {
        &mut self.vault
    }

    fn state(&self) -> State {
        assert_eq!(
            self.vault.total_shares(),
            self.ledger.borrow().supply,
            "the vault counts exactly the token's supply"
        );
        let (next_id, _) = self.vault.queue_state();
        State {
            total_assets: self.vault.total_assets(),
            total_supply: self.vault.total_shares(),
            buffered: self.vault.buffered_ether(),
            validator_balance: self.vault.validator_balance(),
            reserved: self.vault.reserved_ether(),
            rate: self.rate(),
            queue: self.vault.queue_state(),
            last_report: self.vault.last_report_timestamp(),
            paused: self.vault.paused(),
            parameters: parameters(&self.vault),
            treasury: self.vault.treasury(),
            operator: self.vault.validator_operator(),
            balances: HOLDERS.iter().map(|&a| self.balance(a)).collect(),
            requests: (0..next_id.to::<u64>())
                .map(|id| self.request_at(id))
                .collect(),
            storage: nonzero_storage(&self.vm),
        }
    }

    fn save_models(&self) -> Erc20Ledger {
        self.ledger.borrow().clone()
    }

    fn restore_models(&mut self, models: Erc20Ledger) {
        *self.ledger.borrow_mut() = models;
    }
}

// ---------------------------------------------------------------------------------------------
// Constructor
// ---------------------------------------------------------------------------------------------

#[test]
fn constructor_grants_the_admin_and_sets_addresses_and_default_parameters() {
    let vm = TestVM::default();
    vm.set_block_timestamp(T0);
    vm.set_contract_address(VAULT);
    vm.set_sender(DEPLOYER);
    vm.set_code(EXTENSION, EXTENSION_CODE.to_vec());
    let mut vault = StakingVault::from(&vm);
    assert_eq!(
        vault.constructor(ADMIN, TREASURY, OPERATOR, EXTENSION),
        Ok(())
    );

    assert!(vault.has_role(DEFAULT_ADMIN_ROLE, ADMIN));
    assert!(!vault.has_role(DEFAULT_ADMIN_ROLE, DEPLOYER));
    for role in [ORACLE_ROLE, ALLOCATOR_ROLE, PAUSER_ROLE] {
        assert!(
            !vault.has_role(role, ADMIN),
            "only the admin role is granted"
        );
    }
    assert_eq!(vault.treasury(), TREASURY);
    assert_eq!(vault.validator_operator(), OPERATOR);
    assert_eq!(
        parameters(&vault),
        (
            wei(MIN_DEPOSIT),
            eth(100_000),
            wei(MIN_WITHDRAWAL),
            eth(1_000),
            FEE_BPS,
            APR_BPS,
            LOSS_BPS,
            REPORT_INTERVAL
        )
    );
    assert_eq!(vault.last_report_timestamp(), T0);
    assert!(!vault.paused());
    assert_eq!(vault.get_rate(), Ok(WAD));
    assert_eq!(vault.total_assets(), U256::ZERO);
    assert_eq!(vault.total_shares(), U256::ZERO);
    assert_eq!(vault.queue_state(), (U256::ZERO, U256::ZERO));
    assert_eq!(vault.token(), Address::ZERO, "created later by createToken");
    assert_eq!(vault.extension(), EXTENSION);
    assert_logs(
        &vm.get_emitted_logs(),
        &[log(&RoleGranted {
            role: DEFAULT_ADMIN_ROLE,
            account: ADMIN,
            sender: DEPLOYER,
        })],
    );
}

#[test]
fn constructor_rejects_a_zero_address_and_an_extension_without_code() {
    let zero = || Err(VaultError::ZeroAddress(VaultZeroAddress {}));
    for (admin, treasury, operator, extension, error) in [
        (Address::ZERO, TREASURY, OPERATOR, EXTENSION, zero()),
        (ADMIN, Address::ZERO, OPERATOR, EXTENSION, zero()),
        (ADMIN, TREASURY, Address::ZERO, EXTENSION, zero()),
        (ADMIN, TREASURY, OPERATOR, Address::ZERO, zero()),
        (
            ADMIN,
            TREASURY,
            OPERATOR,
            STRANGER,
            Err(VaultError::ExtensionHasNoCode(VaultExtensionHasNoCode {
                extension: STRANGER,
            })),
        ),
    ] {
        let vm = TestVM::default();
        vm.set_block_timestamp(T0);
        vm.set_code(EXTENSION, EXTENSION_CODE.to_vec());
        let mut vault = StakingVault::from(&vm);
        assert_eq!(
            vault.constructor(admin, treasury, operator, extension),
            error
        );
        assert!(
            vm.snapshot().storage.values().all(B256::is_zero),
            "nothing written"
        );
        assert!(vm.get_emitted_logs().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// deposit
// ---------------------------------------------------------------------------------------------

#[test]
fn deposit_into_an_empty_pool_mints_one_share_per_wei_to_the_receiver() {
    let mut f = Fx::new();
    f.paying(BOB, eth(10));
    let shares = f.vault.deposit(ALICE).expect("deposit");

    assert_eq!(shares, eth(10));
    assert_eq!(f.balance(ALICE), eth(10));
    assert_eq!(f.balance(BOB), U256::ZERO);
    assert_eq!(f.vault.total_shares(), eth(10));
    assert_eq!(f.vault.buffered_ether(), eth(10));
    assert_eq!(f.vault.total_assets(), eth(10));
    assert_eq!(f.rate(), WAD);
    // The rate stays exactly 1: no RateUpdated.
    assert_logs(
        &f.take_logs(),
        &[
            log(&Deposited {
                sender: BOB,
                receiver: ALICE,
                assets: eth(10),
                shares: eth(10),
            }),
            log(&Transfer {
                from: Address::ZERO,
                to: ALICE,
                value: eth(10),
            }),
        ],
    );
}

#[test]
fn deposit_after_a_gain_mints_shares_rounded_down_at_the_rate() {
    let mut f = Fx::staked_with_gain();
    let (pooled, supply) = f.totals();
    assert!(f.rate() > WAD);
    let assets = eth(3) + wei(7);
    let expected = assets * (supply + wei(1_000)) / (pooled + wei(1_000));
    assert_eq!(f.vault.preview_deposit(assets), Ok(expected));

    let shares = f.deposit(CAROL, assets);
    assert_eq!(shares, expected);
    assert!(shares < assets, "fewer shares than wei above rate 1");
    assert_eq!(f.balance(CAROL), shares);
    assert_eq!(f.vault.total_shares(), supply + shares);
    assert_eq!(f.vault.total_assets(), pooled + assets);
    assert!(value_of(shares, pooled + assets, supply + shares) <= assets);
}

#[test]
fn deposit_emits_rate_updated_only_when_the_rate_moves() {
    // A small pool, where the rounding dust of a deposit shows in the 18-decimal rate.
    let mut f = Fx::new();
    f.deposit(ALICE, wei(MIN_DEPOSIT));
    // At rate 1 a deposit moves nothing.
    let rate = f.rate();
    f.take_logs();
    f.deposit(BOB, wei(MIN_DEPOSIT) + wei(1));
    assert_eq!(f.rate(), rate);
    assert!(!topic0s(&f.take_logs()).contains(&RateUpdated::SIGNATURE_HASH));

    f.fund(wei(MIN_DEPOSIT));
    f.advance(YEAR);
    let balance = f.vault.validator_balance();
    f.report(balance + max_gain(balance, YEAR, APR_BPS));
    f.take_logs();

    let mut moved = 0;
    for extra in 0..24_u128 {
        let before = f.rate();
        let shares = f.deposit(CAROL, wei(MIN_DEPOSIT + extra * 7_919));
        let after = f.rate();
        assert!(after >= before, "a deposit never lowers the rate");
        let (pooled, supply) = f.totals();
        let mut expected = vec![log(&Deposited {
            sender: CAROL,
            receiver: CAROL,
            assets: wei(MIN_DEPOSIT + extra * 7_919),
            shares,
        })];
        if after != before {
            moved += 1;
            expected.push(log(&RateUpdated {
                rate: after,
                totalPooledEther: pooled,
                totalShares: supply,
            }));
        }
        // The token's mint comes last: the vault calls it after its own events.
        expected.push(log(&Transfer {
            from: Address::ZERO,
            to: CAROL,
            value: shares,
        }));
        assert_logs(&f.take_logs(), &expected);
    }
    assert!(moved > 0, "some deposit moved the rate");
}

#[test]
fn deposit_is_rejected_while_paused() {
    let mut f = Fx::staked();
    f.pause();
    f.paying(ALICE, eth(1));
    f.rejects(enforced_pause(), |v| v.deposit(ALICE));
}

#[test]
fn deposit_below_the_minimum_is_rejected() {
    let mut f = Fx::staked();
    f.paying(ALICE, wei(MIN_DEPOSIT - 1));
    f.rejects(
        VaultError::DepositTooSmall(VaultDepositTooSmall {
            assets: wei(MIN_DEPOSIT - 1),
            minimum: wei(MIN_DEPOSIT),
        }),
        |v| v.deposit(ALICE),
    );
    // Exactly the minimum is fine.
    f.deposit(ALICE, wei(MIN_DEPOSIT));
}

#[test]
fn deposit_past_the_cap_is_rejected_and_the_room_still_fits() {
    let mut f = Fx::staked(); // 150 ETH pooled
    f.as_(ADMIN);
    f.vault
        .set_deposit_limits(wei(MIN_DEPOSIT), eth(200))
        .expect("limits");
    f.paying(CAROL, eth(50) + wei(1));
    f.rejects(
        VaultError::DepositCapExceeded(VaultDepositCapExceeded {
            assets: eth(50) + wei(1),
            room: eth(50),
        }),
        |v| v.deposit(CAROL),
    );
    f.deposit(CAROL, eth(50));
    assert_eq!(f.vault.total_assets(), eth(200));
    assert_eq!(f.vault.max_deposit(CAROL), U256::ZERO);
}

#[test]
fn deposit_that_would_mint_no_shares_is_rejected() {
    let mut f = Fx::staked_with_gain();
    f.as_(ADMIN);
    f.vault
        .set_deposit_limits(wei(1), eth(100_000))
        .expect("limits");
    assert_eq!(f.vault.preview_deposit(wei(1)), Ok(U256::ZERO));
    f.paying(ALICE, wei(1));
    f.rejects(VaultError::ZeroShares(VaultZeroShares {}), |v| {
        v.deposit(ALICE)
    });
}

#[test]
fn deposit_to_the_zero_address_the_vault_or_the_token_is_rejected() {
    let mut f = Fx::staked();
    for receiver in [Address::ZERO, VAULT, TOKEN] {
        f.paying(ALICE, eth(1));
        f.rejects(
            VaultError::InvalidReceiver(VaultInvalidReceiver { receiver }),
            |v| v.deposit(receiver),
        );
    }
}

#[test]
fn deposit_before_the_token_is_bound_is_rejected() {
    let vm = MockHost::default();
    vm.set_contract_address(VAULT);
    let mut vault = deployed(&vm);
    vm.set_sender(ALICE);
    vm.set_value(eth(1));
    let storage = vm.snapshot().storage;
    assert_eq!(
        vault.deposit(ALICE),
        Err(VaultError::TokenNotSet(VaultTokenNotSet {}))
    );
    assert_eq!(vm.snapshot().storage, storage, "nothing written");
    assert!(vm.calls().is_empty(), "no call to a token");
}

#[test]
fn deposit_has_the_token_mint_the_shares_and_nothing_else() {
    let mut f = Fx::staked();
    f.vm.clear_calls();
    let shares = f.deposit(CAROL, eth(2));
    let calls = f.vm.calls();
    assert_eq!(calls.len(), 1, "one call: the mint");
    let mint = &calls[0];
    assert_eq!(
        (
            mint.from,
            mint.to,
            mint.selector(),
            mint.value,
            mint.is_static
        ),
        (VAULT, TOKEN, lst_selectors::MINT, U256::ZERO, false)
    );
    assert_eq!((mint.address(0), mint.amount(1)), (CAROL, shares));
    assert_eq!(mint.data.len(), 4 + 2 * 32);
}

// ---------------------------------------------------------------------------------------------
// fundValidators
// ---------------------------------------------------------------------------------------------

#[test]
fn fund_validators_moves_buffered_eth_to_the_validator_balance() {
    let mut f = Fx::new();
    f.deposit(ALICE, eth(40));
    let rate = f.rate();
    f.take_logs();
    f.as_(ALLOCATOR);
    assert_eq!(f.vault.fund_validators(eth(32)), Ok(()));

    assert_eq!(f.vault.buffered_ether(), eth(8));
    assert_eq!(f.vault.validator_balance(), eth(32));
    assert_eq!(f.vault.total_assets(), eth(40));
    assert_eq!(f.rate(), rate);
    assert_logs(
        &f.take_logs(),
        &[log(&ValidatorsFunded {
            operator: OPERATOR,
            amount: eth(32),
        })],
    );
    // All of the buffer may go.
    f.fund(eth(8));
    assert_eq!(f.vault.buffered_ether(), U256::ZERO);
}

#[test]
fn fund_validators_requires_the_allocator_role() {
    let mut f = Fx::staked();
    for caller in [STRANGER, ADMIN, ORACLE, OPERATOR] {
        f.as_(caller);
        f.rejects(unauthorized(caller, ALLOCATOR_ROLE), |v| {
            v.fund_validators(eth(1))
        });
    }
}

#[test]
fn fund_validators_is_rejected_while_paused() {
    let mut f = Fx::staked();
    f.pause();
    f.as_(ALLOCATOR);
    f.rejects(enforced_pause(), |v| v.fund_validators(eth(1)));
}

#[test]
fn fund_validators_rejects_a_zero_amount() {
    let mut f = Fx::staked();
    f.as_(ALLOCATOR);
    f.rejects(VaultError::ZeroAmount(VaultZeroAmount {}), |v| {
        v.fund_validators(U256::ZERO)
    });
}

#[test]
fn fund_validators_rejects_more_than_the_buffer() {
    let mut f = Fx::staked(); // 30 ETH buffered
    f.as_(ALLOCATOR);
    f.rejects(
        VaultError::InsufficientBuffer(VaultInsufficientBuffer {
            needed: eth(30) + wei(1),
            buffered: eth(30),
        }),
        |v| v.fund_validators(eth(30) + wei(1)),
    );
}

#[test]
fn fund_validators_fails_when_the_operator_rejects_the_eth() {
    let mut f = Fx::staked();
    f.vm.mock_call(OPERATOR, vec![], eth(10), Err(vec![]));
    f.as_(ALLOCATOR);
    // Effects come before the send (checks-effects-interactions); the revert undoes them.
    f.reverts(
        VaultError::EthTransferFailed(VaultEthTransferFailed {
            to: OPERATOR,
            amount: eth(10),
        }),
        |v| v.fund_validators(eth(10)),
    );
    // The send went to the operator with exactly the amount: another amount is not refused.
    f.vm.mock_call(OPERATOR, vec![], eth(10), Err(vec![]));
    f.fund(eth(9));
    assert_eq!(f.vault.validator_balance(), eth(129));
}

// ---------------------------------------------------------------------------------------------
// returnExitedEth
// ---------------------------------------------------------------------------------------------

#[test]
fn return_exited_eth_moves_eth_from_the_validators_back_to_the_buffer() {
    let mut f = Fx::staked();
    let rate = f.rate();
    f.paying(OPERATOR, eth(20));
    assert_eq!(f.vault.return_exited_eth(), Ok(()));

    assert_eq!(f.vault.validator_balance(), eth(100));
    assert_eq!(f.vault.buffered_ether(), eth(50));
    assert_eq!(f.vault.total_assets(), eth(150));
    assert_eq!(f.rate(), rate);
    assert_logs(
        &f.take_logs(),
        &[log(&ExitedEthReturned {
            operator: OPERATOR,
            amount: eth(20),
        })],
    );
}

#[test]
fn return_exited_eth_works_while_paused() {
    let mut f = Fx::staked();
    f.pause();
    f.paying(OPERATOR, eth(120));
    assert_eq!(f.vault.return_exited_eth(), Ok(()));
    assert_eq!(f.vault.validator_balance(), U256::ZERO);
    assert_eq!(f.vault.buffered_ether(), eth(150));
}

#[test]
fn return_exited_eth_rejects_anyone_but_the_validator_operator() {
    let mut f = Fx::staked();
    for caller in [STRANGER, ADMIN, ALLOCATOR, ORACLE] {
        f.paying(caller, eth(1));
        f.rejects(
            VaultError::NotValidatorOperator(VaultNotValidatorOperator { caller }),
            StakingVault::return_exited_eth,
        );
    }
}

#[test]
fn return_exited_eth_rejects_zero() {
    let mut f = Fx::staked();
    f.paying(OPERATOR, U256::ZERO);
    f.rejects(
        VaultError::ZeroAmount(VaultZeroAmount {}),
        StakingVault::return_exited_eth,
    );
}

#[test]
fn return_exited_eth_rejects_more_than_the_validator_balance() {
    let mut f = Fx::staked();
    f.paying(OPERATOR, eth(120) + wei(1));
    f.rejects(
        VaultError::ExitExceedsValidatorBalance(VaultExitExceedsValidatorBalance {
            amount: eth(120) + wei(1),
            validatorBalance: eth(120),
        }),
        StakingVault::return_exited_eth,
    );
}

// ---------------------------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------------------------

#[test]
fn report_requires_the_oracle_role() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let now = f.now;
    for caller in [STRANGER, ADMIN, ALLOCATOR, OPERATOR] {
        f.as_(caller);
        f.rejects(unauthorized(caller, ORACLE_ROLE), |v| {
            v.report(now, eth(120))
        });
    }
}

#[test]
fn report_rejects_a_timestamp_not_after_the_last() {
    let mut f = Fx::staked();
    f.advance(DAY);
    f.report(eth(120));
    let last = f.now;
    f.advance(DAY);
    f.as_(ORACLE);
    for timestamp in [last, last - 1, T0] {
        f.rejects(
            VaultError::ReportNotIncreasing(VaultReportNotIncreasing {
                timestamp,
                lastReport: last,
            }),
            |v| v.report(timestamp, eth(120)),
        );
    }
}

#[test]
fn report_rejects_a_timestamp_in_the_future() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let now = f.now;
    f.as_(ORACLE);
    f.rejects(
        VaultError::ReportInFuture(VaultReportInFuture {
            timestamp: now + 1,
            now,
        }),
        |v| v.report(now + 1, eth(120)),
    );
}

#[test]
fn report_rejects_reports_closer_than_the_minimum_interval() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let now = f.now;
    f.as_(ORACLE);
    f.rejects(
        VaultError::ReportTooSoon(VaultReportTooSoon {
            elapsed: REPORT_INTERVAL - 1,
            minInterval: REPORT_INTERVAL,
        }),
        |v| v.report(T0 + REPORT_INTERVAL - 1, eth(120)),
    );
    // A report may describe the past: exactly the interval after the last one is accepted.
    assert_eq!(f.vault.report(T0 + REPORT_INTERVAL, eth(120)), Ok(()));
    assert_eq!(f.vault.last_report_timestamp(), T0 + REPORT_INTERVAL);
    assert!(now > T0 + REPORT_INTERVAL);
}

#[test]
fn report_rejects_a_gain_above_the_apr_bound() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let now = f.now;
    let bound = max_gain(eth(120), DAY, APR_BPS);
    f.as_(ORACLE);
    f.rejects(
        VaultError::GainTooLarge(VaultGainTooLarge {
            gain: bound + wei(1),
            maxGain: bound,
        }),
        |v| v.report(now, eth(120) + bound + wei(1)),
    );
    assert_eq!(f.vault.report(now, eth(120) + bound), Ok(()));
}

#[test]
fn report_rejects_any_gain_on_an_empty_validator_balance() {
    let mut f = Fx::new();
    f.deposit(ALICE, eth(10));
    f.advance(DAY);
    let now = f.now;
    f.as_(ORACLE);
    f.rejects(
        VaultError::GainTooLarge(VaultGainTooLarge {
            gain: wei(1),
            maxGain: U256::ZERO,
        }),
        |v| v.report(now, wei(1)),
    );
}

#[test]
fn report_rejects_a_loss_above_the_loss_bound() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let now = f.now;
    let bound = bps(eth(120), LOSS_BPS); // 6 ETH
    f.as_(ORACLE);
    f.rejects(
        VaultError::LossTooLarge(VaultLossTooLarge {
            loss: bound + wei(1),
            maxLoss: bound,
        }),
        |v| v.report(now, eth(120) - bound - wei(1)),
    );
    assert_eq!(f.vault.report(now, eth(120) - bound), Ok(()));
}

#[test]
fn report_of_a_gain_mints_the_treasury_shares_worth_the_fee() {
    let mut f = Fx::new();
    f.deposit(ALICE, eth(100));
    f.fund(eth(100));
    f.advance(YEAR);
    f.take_logs();
    let rate_before = f.rate();
    let gain = eth(10); // exactly 10% over a year
    f.as_(ORACLE);
    assert_eq!(f.vault.report(f.now, eth(110)), Ok(()));

    let fee = eth(1);
    // F × (S + 1e3) / (P' + 1e3 − F), written out.
    let fee_shares = fee * (eth(100) + wei(1_000)) / (eth(110) + wei(1_000) - fee);
    assert_eq!(f.balance(TREASURY), fee_shares);
    assert_eq!(f.vault.total_shares(), eth(100) + fee_shares);
    assert_eq!(f.vault.validator_balance(), eth(110));
    assert_eq!(f.vault.total_assets(), eth(110));
    assert_eq!(f.vault.last_report_timestamp(), f.now);
    let worth = f.vault.convert_to_assets(fee_shares).expect("value");
    assert!(
        worth <= fee && fee - worth <= wei(2),
        "worth {worth} of fee {fee}"
    );
    // Alice keeps the other 90% of the gain, less what the 1e3 virtual shares earn on it.
    let alice = f.vault.convert_to_assets(eth(100)).expect("value");
    let virtual_cut = gain * wei(1_000) / eth(100);
    assert!(alice <= eth(100) + gain - fee);
    assert!(
        eth(100) + gain - fee - alice <= virtual_cut + wei(2),
        "alice {alice}"
    );
    let rate = f.rate();
    assert!(rate > rate_before);
    assert_logs(
        &f.take_logs(),
        &[
            log(&Reported {
                timestamp: f.now,
                previousValidatorBalance: eth(100),
                validatorBalance: eth(110),
                feeShares: fee_shares,
            }),
            log(&RateUpdated {
                rate,
                totalPooledEther: eth(110),
                totalShares: eth(100) + fee_shares,
            }),
            log(&Transfer {
                from: Address::ZERO,
                to: TREASURY,
                value: fee_shares,
            }),
        ],
    );
}

#[test]
fn report_of_a_gain_with_a_zero_fee_mints_nothing() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    f.vault.set_fee(0).expect("fee");
    f.advance(DAY);
    f.take_logs();
    let gain = max_gain(eth(120), DAY, APR_BPS);
    f.report(eth(120) + gain);
    assert_eq!(f.balance(TREASURY), U256::ZERO);
    assert_eq!(f.vault.total_shares(), eth(150));
    let logs = f.take_logs();
    assert_eq!(
        topic0s(&logs),
        [Reported::SIGNATURE_HASH, RateUpdated::SIGNATURE_HASH]
    );
}

#[test]
fn report_of_a_loss_lowers_the_rate_and_mints_no_fee() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let loss = eth(3);
    f.as_(ORACLE);
    assert_eq!(f.vault.report(f.now, eth(117)), Ok(()));

    assert_eq!(f.balance(TREASURY), U256::ZERO);
    assert_eq!(f.vault.total_assets(), eth(147));
    assert_eq!(f.vault.total_shares(), eth(150));
    let rate = f.rate();
    assert_eq!(
        rate,
        WAD * (eth(147) + wei(1_000)) / (eth(150) + wei(1_000))
    );
    assert!(rate < WAD);
    // Holders lose pro rata.
    let alice = f.vault.convert_to_assets(eth(100)).expect("value");
    assert!(alice < eth(100) && eth(100) - alice <= loss * eth(100) / eth(150) + wei(1));
    assert_logs(
        &f.take_logs(),
        &[
            log(&Reported {
                timestamp: f.now,
                previousValidatorBalance: eth(120),
                validatorBalance: eth(117),
                feeShares: U256::ZERO,
            }),
            log(&RateUpdated {
                rate,
                totalPooledEther: eth(147),
                totalShares: eth(150),
            }),
        ],
    );
}

#[test]
fn report_without_change_moves_no_rate() {
    let mut f = Fx::staked();
    f.advance(DAY);
    f.report(eth(120));
    assert_eq!(f.rate(), WAD);
    assert_eq!(topic0s(&f.take_logs()), [Reported::SIGNATURE_HASH]);
}

#[test]
fn raising_the_loss_bound_lets_a_large_loss_through() {
    let mut f = Fx::staked();
    f.advance(DAY);
    let now = f.now;
    f.as_(ORACLE);
    f.rejects(
        VaultError::LossTooLarge(VaultLossTooLarge {
            loss: eth(60),
            maxLoss: eth(6),
        }),
        |v| v.report(now, eth(60)),
    );
    f.as_(ADMIN);
    f.vault
        .set_report_bounds(APR_BPS, 5_000, REPORT_INTERVAL)
        .expect("bounds");
    f.report(eth(60));
    assert_eq!(f.vault.total_assets(), eth(90));
    assert!(f.rate() < WAD * wei(61) / wei(100));
    // The admin lowers it again; the next large loss is refused.
    f.as_(ADMIN);
    f.vault
        .set_report_bounds(APR_BPS, LOSS_BPS, REPORT_INTERVAL)
        .expect("bounds");
    f.advance(DAY);
    let now = f.now;
    f.as_(ORACLE);
    f.rejects(
        VaultError::LossTooLarge(VaultLossTooLarge {
            loss: eth(30),
            maxLoss: eth(3),
        }),
        |v| v.report(now, eth(30)),
    );
}

// ---------------------------------------------------------------------------------------------
// requestWithdrawal
// ---------------------------------------------------------------------------------------------

#[test]
fn request_withdrawal_locks_the_shares_in_the_vault_and_records_the_value() {
    let mut f = Fx::staked_with_gain();
    let (pooled, supply) = f.totals();
    let rate = f.rate();
    let shares = eth(10);
    let value = value_of(shares, pooled, supply);
    f.as_(ALICE);
    assert_eq!(f.vault.request_withdrawal(shares), Ok(U256::ZERO));

    assert_eq!(f.balance(ALICE), eth(90));
    assert_eq!(f.balance(VAULT), shares);
    assert_eq!(f.totals(), (pooled, supply), "nothing leaves the pool yet");
    assert_eq!(f.rate(), rate);
    assert_eq!(f.vault.queue_state(), (wei(1), U256::ZERO));
    assert_eq!(
        f.request_at(0),
        (ALICE, shares, value, f.now, STATUS_PENDING)
    );
    assert_logs(
        &f.take_logs(),
        &[
            log(&Transfer {
                from: ALICE,
                to: VAULT,
                value: shares,
            }),
            log(&WithdrawalRequested {
                id: U256::ZERO,
                owner: ALICE,
                shares,
                value,
            }),
        ],
    );
    // Ids count up.
    assert_eq!(f.request(BOB, eth(1)), wei(1));
    assert_eq!(f.vault.queue_state(), (wei(2), U256::ZERO));
}

#[test]
fn request_withdrawal_is_rejected_while_paused() {
    let mut f = Fx::staked();
    f.pause();
    f.as_(ALICE);
    f.rejects(enforced_pause(), |v| v.request_withdrawal(eth(1)));
}

#[test]
fn request_withdrawal_rejects_zero_shares() {
    let mut f = Fx::staked();
    f.as_(ALICE);
    f.rejects(VaultError::ZeroAmount(VaultZeroAmount {}), |v| {
        v.request_withdrawal(U256::ZERO)
    });
}

#[test]
fn request_withdrawal_below_the_minimum_is_rejected() {
    let mut f = Fx::staked(); // rate 1
    f.as_(ALICE);
    f.rejects(
        VaultError::WithdrawalOutOfBounds(VaultWithdrawalOutOfBounds {
            value: wei(MIN_WITHDRAWAL - 1),
            minimum: wei(MIN_WITHDRAWAL),
            maximum: eth(1_000),
        }),
        |v| v.request_withdrawal(wei(MIN_WITHDRAWAL - 1)),
    );
    f.request(ALICE, wei(MIN_WITHDRAWAL));
}

#[test]
fn request_withdrawal_above_the_maximum_is_rejected() {
    let mut f = Fx::new();
    f.deposit(ALICE, eth(1_500));
    f.as_(ALICE);
    f.rejects(
        VaultError::WithdrawalOutOfBounds(VaultWithdrawalOutOfBounds {
            value: eth(1_000) + wei(1),
            minimum: wei(MIN_WITHDRAWAL),
            maximum: eth(1_000),
        }),
        |v| v.request_withdrawal(eth(1_000) + wei(1)),
    );
    f.request(ALICE, eth(1_000));
}

#[test]
fn request_withdrawal_beyond_the_balance_is_rejected() {
    let mut f = Fx::staked(); // Bob holds 50
    f.as_(BOB);
    // The request is written before the token refuses the lock; the revert undoes it, and the
    // token's error reaches the caller unchanged.
    f.reverts(
        VaultError::Reverted(
            ERC20InsufficientBalance {
                sender: BOB,
                balance: eth(50),
                needed: eth(50) + wei(1),
            }
            .abi_encode(),
        ),
        |v| v.request_withdrawal(eth(50) + wei(1)),
    );
}

// ---------------------------------------------------------------------------------------------
// finalize
// ---------------------------------------------------------------------------------------------

/// Alice and Bob each requested 10 shares (ids 0 and 1) one hour before the current time.
fn two_requests() -> Fx {
    let mut f = Fx::staked();
    f.request(ALICE, eth(10));
    f.request(BOB, eth(10));
    f.advance(HOUR);
    f.take_logs();
    f
}

#[test]
fn finalize_requires_the_oracle_role() {
    let mut f = two_requests();
    f.advance(DAY);
    f.report(eth(120));
    for caller in [STRANGER, ADMIN, ALLOCATOR, ALICE] {
        f.as_(caller);
        f.rejects(unauthorized(caller, ORACLE_ROLE), |v| {
            v.finalize(U256::ZERO)
        });
    }
}

#[test]
fn finalize_of_an_unknown_id_is_rejected() {
    let mut f = two_requests();
    f.advance(DAY);
    f.report(eth(120));
    f.as_(ORACLE);
    for id in [wei(2), U256::MAX] {
        f.rejects(
            VaultError::RequestNotFound(VaultRequestNotFound { id }),
            |v| v.finalize(id),
        );
    }
}

#[test]
fn finalize_of_already_finalized_requests_is_rejected() {
    let mut f = two_requests();
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(1);
    f.as_(ORACLE);
    for id in [0_u64, 1] {
        f.rejects(
            VaultError::NothingToFinalize(VaultNothingToFinalize {
                upToId: U256::from(id),
                nextToFinalize: wei(2),
            }),
            |v| v.finalize(U256::from(id)),
        );
    }
}

#[test]
fn finalize_of_a_request_made_after_the_last_report_is_rejected() {
    let mut f = two_requests();
    f.advance(DAY);
    let report_time = f.now;
    f.report(eth(120));
    f.advance(1);
    f.request(ALICE, eth(5)); // id 2, after the report
    let requested_at = f.now;
    f.as_(ORACLE);
    f.rejects(
        VaultError::RequestTooRecent(VaultRequestTooRecent {
            id: wei(2),
            requestedAt: requested_at,
            lastReport: report_time,
        }),
        |v| v.finalize(wei(2)),
    );
    // The older requests can still go.
    f.finalize(1);
    assert_eq!(f.vault.queue_state(), (wei(3), wei(2)));
}

#[test]
fn finalize_of_a_too_recent_request_after_a_loss_reverts_the_payouts_written_before_it() {
    let mut f = two_requests();
    f.advance(DAY);
    f.report(eth(117)); // a loss: the earlier payouts shrink while the loop runs
    f.advance(1);
    f.request(ALICE, eth(5));
    let requested_at = f.now;
    let last = f.vault.last_report_timestamp();
    f.as_(ORACLE);
    f.reverts(
        VaultError::RequestTooRecent(VaultRequestTooRecent {
            id: wei(2),
            requestedAt: requested_at,
            lastReport: last,
        }),
        |v| v.finalize(wei(2)),
    );
}

#[test]
fn a_request_made_in_the_report_second_waits_for_the_next_report() {
    // Several blocks share a second: a request in the report's second may come after it.
    let mut f = Fx::staked();
    f.advance(DAY);
    f.report(eth(120));
    let reported = f.now;
    f.request(ALICE, eth(1)); // same timestamp as the report
    f.as_(ORACLE);
    f.rejects(
        VaultError::RequestTooRecent(VaultRequestTooRecent {
            id: U256::ZERO,
            requestedAt: reported,
            lastReport: reported,
        }),
        |v| v.finalize(U256::ZERO),
    );
    f.advance(REPORT_INTERVAL);
    f.report(eth(120));
    f.finalize(0);
    assert_eq!(f.request_at(0).4, STATUS_CLAIMABLE);
}

#[test]
fn back_dated_reports_cannot_stack_losses_in_one_block() {
    // Three intervals without a report: three back-dated reports, each within the loss bound,
    // would compound to 14.3% in one block. The second is refused until an interval of chain
    // time has passed since the first landed.
    let mut f = Fx::staked();
    f.advance(3 * REPORT_INTERVAL);
    let first = T0 + REPORT_INTERVAL;
    let after_first = eth(120) - bps(eth(120), LOSS_BPS);
    f.as_(ORACLE);
    assert_eq!(f.vault.report(first, after_first), Ok(()));
    let second = first + REPORT_INTERVAL;
    let after_second = after_first - bps(after_first, LOSS_BPS);
    f.rejects(
        VaultError::ReportTooSoon(VaultReportTooSoon {
            elapsed: 0,
            minInterval: REPORT_INTERVAL,
        }),
        |v| v.report(second, after_second),
    );
    f.advance(REPORT_INTERVAL - 1);
    f.rejects(
        VaultError::ReportTooSoon(VaultReportTooSoon {
            elapsed: REPORT_INTERVAL - 1,
            minInterval: REPORT_INTERVAL,
        }),
        |v| v.report(second, after_second),
    );
    f.advance(1);
    assert_eq!(f.vault.report(second, after_second), Ok(()));
    assert_eq!(f.vault.validator_balance(), after_second);
}

#[test]
fn finalize_with_too_little_buffer_is_rejected() {
    let mut f = two_requests();
    f.fund(eth(25)); // 5 ETH left in the buffer, 20 ETH requested
    f.advance(DAY);
    f.report(eth(145));
    f.as_(ORACLE);
    f.rejects(
        VaultError::InsufficientBuffer(VaultInsufficientBuffer {
            needed: eth(20),
            buffered: eth(5),
        }),
        |v| v.finalize(wei(1)),
    );
}

#[test]
fn finalize_with_too_little_buffer_after_a_loss_reverts_the_payouts_written() {
    let mut f = two_requests();
    f.fund(eth(25));
    f.advance(DAY);
    f.report(eth(145) - eth(2));
    let (pooled, supply) = f.totals();
    let needed = value_of(eth(10), pooled, supply) * wei(2);
    f.as_(ORACLE);
    f.reverts(
        VaultError::InsufficientBuffer(VaultInsufficientBuffer {
            needed,
            buffered: eth(5),
        }),
        |v| v.finalize(wei(1)),
    );
}

#[test]
fn finalize_after_a_gain_pays_the_value_at_request_and_burns_the_shares() {
    let mut f = two_requests(); // at rate 1: each request worth 10 ETH
    f.advance(DAY);
    let gain = max_gain(eth(120), DAY + HOUR, APR_BPS);
    f.report(eth(120) + gain);
    let (pooled, supply) = f.totals();
    let rate = f.rate();
    assert!(value_of(eth(10), pooled, supply) > eth(10));
    f.take_logs();
    f.as_(ORACLE);
    assert_eq!(f.vault.finalize(wei(1)), Ok(()));

    let paid = eth(20);
    assert_eq!(
        f.request_at(0),
        (ALICE, eth(10), eth(10), T0, STATUS_CLAIMABLE)
    );
    assert_eq!(
        f.request_at(1),
        (BOB, eth(10), eth(10), T0, STATUS_CLAIMABLE)
    );
    assert_eq!(f.vault.reserved_ether(), paid);
    assert_eq!(f.vault.buffered_ether(), eth(10));
    assert_eq!(f.balance(VAULT), U256::ZERO);
    assert_eq!(f.totals(), (pooled - paid, supply - eth(20)));
    assert_eq!(f.vault.queue_state(), (wei(2), wei(2)));
    let new_rate = f.rate();
    assert!(
        new_rate > rate,
        "the gain left behind accrues to the holders"
    );
    assert_logs(
        &f.take_logs(),
        &[
            log(&WithdrawalsFinalized {
                fromId: U256::ZERO,
                toId: wei(1),
                sharesBurned: eth(20),
                etherReserved: paid,
            }),
            log(&RateUpdated {
                rate: new_rate,
                totalPooledEther: pooled - paid,
                totalShares: supply - eth(20),
            }),
            log(&Transfer {
                from: VAULT,
                to: Address::ZERO,
                value: eth(20),
            }),
        ],
    );
}

#[test]
fn finalize_after_a_loss_pays_the_lower_value_now() {
    let mut f = two_requests();
    f.advance(DAY);
    f.report(eth(114)); // −6 ETH, the bound
    let (pooled, supply) = f.totals();
    let rate = f.rate();
    let value_now = value_of(eth(10), pooled, supply);
    assert!(value_now < eth(10));
    f.finalize(0);

    assert_eq!(
        f.request_at(0),
        (ALICE, eth(10), value_now, T0, STATUS_CLAIMABLE)
    );
    assert_eq!(f.request_at(1).4, STATUS_PENDING);
    assert_eq!(
        f.request_at(1).2,
        eth(10),
        "a pending request keeps its value"
    );
    assert_eq!(f.vault.reserved_ether(), value_now);
    assert_eq!(f.totals(), (pooled - value_now, supply - eth(10)));
    assert_eq!(f.balance(VAULT), eth(10));
    assert!(f.rate() >= rate, "finalizing never lowers the rate");
    assert_eq!(f.vault.queue_state(), (wei(2), wei(1)));
}

#[test]
fn finalize_pays_requests_in_order_and_emits_the_range() {
    let mut f = two_requests();
    f.request(BOB, eth(5)); // id 2, one hour after the first two
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(0);
    f.take_logs();
    f.finalize(2);
    let logs = f.take_logs();
    assert_logs(
        &logs,
        &[
            log(&WithdrawalsFinalized {
                fromId: wei(1),
                toId: wei(2),
                sharesBurned: eth(15),
                etherReserved: eth(15),
            }),
            log(&Transfer {
                from: VAULT,
                to: Address::ZERO,
                value: eth(15),
            }),
        ],
    );
    assert_eq!(f.vault.reserved_ether(), eth(25));
    assert_eq!(f.vault.queue_state(), (wei(3), wei(3)));
}

// ---------------------------------------------------------------------------------------------
// claim
// ---------------------------------------------------------------------------------------------

/// [`two_requests`] after a report and the finalization of both.
fn finalized() -> Fx {
    let mut f = two_requests();
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(1);
    f.take_logs();
    f
}

#[test]
fn claim_pays_the_owner_and_releases_the_reserve() {
    let mut f = finalized();
    let before = f.state();
    f.as_(ALICE);
    assert_eq!(f.vault.claim(U256::ZERO), Ok(()));

    assert_eq!(f.vault.reserved_ether(), eth(10));
    assert_eq!(f.request_at(0).4, STATUS_CLAIMED);
    assert_eq!(f.request_at(1).4, STATUS_CLAIMABLE);
    assert_eq!(f.totals(), (before.total_assets, before.total_supply));
    assert_eq!(f.rate(), before.rate);
    assert_logs(
        &f.take_logs(),
        &[log(&WithdrawalClaimed {
            id: U256::ZERO,
            owner: ALICE,
            amount: eth(10),
        })],
    );
}

#[test]
fn claim_of_an_unknown_request_is_rejected() {
    let mut f = finalized();
    f.as_(ALICE);
    f.rejects(
        VaultError::RequestNotFound(VaultRequestNotFound { id: wei(2) }),
        |v| v.claim(wei(2)),
    );
}

#[test]
fn claim_by_someone_else_is_rejected() {
    let mut f = finalized();
    for caller in [BOB, ADMIN, ORACLE] {
        f.as_(caller);
        f.rejects(
            VaultError::NotRequestOwner(VaultNotRequestOwner {
                id: U256::ZERO,
                caller,
            }),
            |v| v.claim(U256::ZERO),
        );
    }
}

#[test]
fn claim_before_finalization_is_rejected() {
    let mut f = two_requests();
    f.as_(ALICE);
    f.rejects(
        VaultError::RequestNotFinalized(VaultRequestNotFinalized { id: U256::ZERO }),
        |v| v.claim(U256::ZERO),
    );
}

#[test]
fn claim_twice_is_rejected() {
    let mut f = finalized();
    f.claim(ALICE, 0);
    f.as_(ALICE);
    f.rejects(
        VaultError::RequestAlreadyClaimed(VaultRequestAlreadyClaimed { id: U256::ZERO }),
        |v| v.claim(U256::ZERO),
    );
}

#[test]
fn claim_that_the_owner_cannot_receive_leaves_the_request_claimable() {
    let mut f = finalized();
    f.vm.mock_call(ALICE, vec![], eth(10), Err(vec![]));
    f.as_(ALICE);
    f.reverts(
        VaultError::EthTransferFailed(VaultEthTransferFailed {
            to: ALICE,
            amount: eth(10),
        }),
        |v| v.claim(U256::ZERO),
    );
    assert_eq!(f.request_at(0).4, STATUS_CLAIMABLE);
    assert_eq!(f.vault.reserved_ether(), eth(20));
    // Once the owner accepts ETH (the mock is gone), the claim goes through.
    f.claim(ALICE, 0);
    assert_eq!(f.request_at(0).4, STATUS_CLAIMED);
}

#[test]
fn claim_works_while_paused() {
    let mut f = finalized();
    f.pause();
    f.claim(BOB, 1);
    assert_eq!(f.request_at(1).4, STATUS_CLAIMED);
    assert_eq!(f.vault.reserved_ether(), eth(10));
}

// ---------------------------------------------------------------------------------------------
// Admin setters
// ---------------------------------------------------------------------------------------------

#[test]
fn admin_setters_require_the_admin_role() {
    let mut f = Fx::staked();
    for caller in [STRANGER, ORACLE, PAUSER, ALLOCATOR, TREASURY] {
        f.as_(caller);
        let denied = || unauthorized(caller, DEFAULT_ADMIN_ROLE);
        f.rejects(denied(), |v| v.set_deposit_limits(wei(1), eth(1)));
        f.rejects(denied(), |v| v.set_withdrawal_limits(wei(1), eth(1)));
        f.rejects(denied(), |v| v.set_fee(0));
        f.rejects(denied(), |v| v.set_report_bounds(0, 0, HOUR));
        f.rejects(denied(), |v| v.set_treasury(STRANGER));
        f.rejects(denied(), |v| v.set_validator_operator(STRANGER));
        f.rejects(denied(), |v| v.create_token(TOKEN_CODE.to_vec().into()));
    }
}

/// A vault after its constructor, its token not created, the admin calling.
fn uncreated() -> (MockHost, StakingVault) {
    let vm = MockHost::default();
    vm.set_contract_address(VAULT);
    let vault = deployed(&vm);
    vm.set_sender(ADMIN);
    vm.clear_mocks();
    (vm, vault)
}

#[test]
fn the_token_is_the_vaults_first_creation() {
    assert_eq!(TOKEN, VAULT.create(1));
}

#[test]
fn create_token_creates_the_token_once_and_emits() {
    let (vm, mut vault) = uncreated();
    // The mocked creation answers only the exact creation code.
    mock_token_creation(&vm);
    assert_eq!(vault.create_token(TOKEN_CODE.to_vec().into()), Ok(()));
    assert_eq!(vault.token(), TOKEN);
    assert_logs(&vm.get_emitted_logs(), &[log(&TokenSet { token: TOKEN })]);
    assert!(vm.calls().is_empty(), "nothing is called");
    let storage = vm.snapshot().storage;
    assert_eq!(
        vault.create_token(TOKEN_CODE.to_vec().into()),
        Err(VaultError::TokenAlreadySet(VaultTokenAlreadySet {
            token: TOKEN
        }))
    );
    assert_eq!(vm.snapshot().storage, storage, "nothing written");
}

#[test]
fn create_token_refuses_a_stranger_and_a_failed_creation() {
    let (vm, mut vault) = uncreated();
    let storage = vm.snapshot().storage;
    vm.set_sender(STRANGER);
    mock_token_creation(&vm);
    assert_eq!(
        vault.create_token(TOKEN_CODE.to_vec().into()),
        Err(unauthorized(STRANGER, DEFAULT_ADMIN_ROLE))
    );
    vm.clear_mocks();
    vm.set_sender(ADMIN);
    // No mock: the creation returns the zero address, as a refused code or no gas does.
    let failed = || Err(VaultError::TokenCreationFailed(VaultTokenCreationFailed {}));
    assert_eq!(vault.create_token(TOKEN_CODE.to_vec().into()), failed());
    // Not a Stylus program's code: refused before any creation (the mock would answer it).
    let evm = vec![0x60, 0x00, 0x60, 0x00, 0xf3];
    vm.mock_deploy(
        lsr_common::create::child_init_code(&evm).expect("short code"),
        None,
        Ok(TOKEN),
    );
    assert_eq!(vault.create_token(evm.into()), failed());
    // A creation that lands elsewhere than the vault's first creation (had it created before,
    // the token would not know the vault's calls): refused.
    vm.mock_deploy(
        lsr_common::create::child_init_code(TOKEN_CODE).expect("short code"),
        None,
        Ok(VAULT.create(2)),
    );
    assert_eq!(vault.create_token(TOKEN_CODE.to_vec().into()), failed());
    assert_eq!(vault.token(), Address::ZERO);
    assert_eq!(vm.snapshot().storage, storage, "nothing written");
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn create_token_runs_through_both_routers_and_can_follow_a_failed_creation() {
    let (vm, vault) = uncreated();
    let create = calldata(
        "createToken(bytes)",
        &(alloy_primitives::Bytes::from_static(TOKEN_CODE),).abi_encode_params(),
    );
    let send = |value: U256| {
        lsr_common::testing::call_route_with_extension(
            route,
            route_extension,
            &vm,
            EXTENSION,
            ADMIN,
            value,
            create.clone(),
        )
    };
    // No mock: the creation fails; the vault's router passes the extension's error back.
    assert_eq!(
        send(U256::ZERO),
        Err(VaultTokenCreationFailed {}.abi_encode())
    );
    mock_token_creation(&vm);
    // Value is refused by the extension's router (not payable), with no data.
    assert_eq!(send(wei(1)), Err(Vec::new()));
    assert_eq!(vault.token(), Address::ZERO);
    // The bytes argument decoded by the extension's router, the creation on the vault's host.
    assert_eq!(send(U256::ZERO), Ok(Vec::new()));
    assert_eq!(vault.token(), TOKEN);
    assert_logs(&vm.get_emitted_logs(), &[log(&TokenSet { token: TOKEN })]);
}

#[test]
fn the_vault_calls_its_token_with_the_documented_selectors() {
    use alloy_primitives::keccak256;
    for (selector, signature) in [
        (lst_selectors::MINT, "mint(address,uint256)"),
        (lst_selectors::BURN, "burn(uint256)"),
        (lst_selectors::LOCK, "lock(address,uint256)"),
    ] {
        assert_eq!(selector, keccak256(signature)[..4], "{signature}");
    }
}

#[test]
fn requests_lock_and_finalization_burns_through_the_token() {
    let mut f = Fx::staked();
    f.vm.clear_calls();
    f.request(ALICE, eth(10));
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(0);
    let calls: Vec<_> =
        f.vm.calls()
            .into_iter()
            .map(|c| (c.to, c.selector(), c.data[4..].to_vec()))
            .collect();
    assert_eq!(
        calls,
        vec![
            (
                TOKEN,
                lst_selectors::LOCK,
                [ALICE.into_word().0, eth(10).to_be_bytes::<32>()].concat()
            ),
            (
                TOKEN,
                lst_selectors::BURN,
                eth(10).to_be_bytes::<32>().to_vec()
            ),
        ]
    );
    assert_eq!(f.balance(VAULT), U256::ZERO, "the locked shares are gone");
}

fn invalid_limits(minimum: U256, maximum: U256) -> VaultError {
    VaultError::InvalidLimits(VaultInvalidLimits { minimum, maximum })
}

#[test]
fn set_deposit_limits_updates_the_limits_and_emits_an_event() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    let cap = U256::from(u128::MAX);
    assert_eq!(f.vault.set_deposit_limits(eth(1), cap), Ok(()));
    let params = parameters(&f.vault);
    assert_eq!((params.0, params.1), (eth(1), cap));
    assert_logs(
        &f.take_logs(),
        &[log(&DepositLimitsSet {
            minDeposit: eth(1),
            depositCap: cap,
        })],
    );
    // Equal bounds are allowed.
    assert_eq!(f.vault.set_deposit_limits(eth(5), eth(5)), Ok(()));
}

#[test]
fn set_deposit_limits_rejects_an_empty_inverted_or_oversized_pair() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    let too_big = U256::from(u128::MAX) + wei(1);
    for (minimum, maximum) in [
        (U256::ZERO, eth(1)),
        (eth(2), eth(1)),
        (wei(1), too_big),
        (U256::MAX, U256::MAX),
    ] {
        f.rejects(invalid_limits(minimum, maximum), |v| {
            v.set_deposit_limits(minimum, maximum)
        });
    }
}

#[test]
fn set_withdrawal_limits_updates_the_limits_and_emits_an_event() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    assert_eq!(f.vault.set_withdrawal_limits(eth(1), eth(2)), Ok(()));
    let params = parameters(&f.vault);
    assert_eq!((params.2, params.3), (eth(1), eth(2)));
    assert_logs(
        &f.take_logs(),
        &[log(&WithdrawalLimitsSet {
            minWithdrawal: eth(1),
            maxWithdrawal: eth(2),
        })],
    );
    // The new bounds apply to requests.
    f.as_(ALICE);
    f.rejects(
        VaultError::WithdrawalOutOfBounds(VaultWithdrawalOutOfBounds {
            value: eth(3),
            minimum: eth(1),
            maximum: eth(2),
        }),
        |v| v.request_withdrawal(eth(3)),
    );
}

#[test]
fn set_withdrawal_limits_rejects_an_empty_inverted_or_oversized_pair() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    let too_big = U256::from(u128::MAX) + wei(1);
    for (minimum, maximum) in [(U256::ZERO, eth(1)), (eth(2), eth(1)), (wei(1), too_big)] {
        f.rejects(invalid_limits(minimum, maximum), |v| {
            v.set_withdrawal_limits(minimum, maximum)
        });
    }
}

fn above_bound(value: u64, bound: u64) -> VaultError {
    VaultError::ParameterAboveBound(VaultParameterAboveBound {
        value: U256::from(value),
        bound: U256::from(bound),
    })
}

#[test]
fn set_fee_accepts_up_to_twenty_percent() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    assert_eq!(f.vault.set_fee(MAX_FEE_BPS), Ok(()));
    assert_eq!(parameters(&f.vault).4, MAX_FEE_BPS);
    assert_logs(
        &f.take_logs(),
        &[log(&FeeSet {
            feeBps: MAX_FEE_BPS,
        })],
    );
    f.rejects(above_bound(2_001, 2_000), |v| v.set_fee(MAX_FEE_BPS + 1));
    f.rejects(above_bound(u64::from(u16::MAX), 2_000), |v| {
        v.set_fee(u16::MAX)
    });
}

#[test]
fn set_report_bounds_accepts_values_up_to_the_hard_bounds() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    assert_eq!(
        f.vault
            .set_report_bounds(MAX_APR_BOUND_BPS, MAX_LOSS_BOUND_BPS, MAX_REPORT_INTERVAL),
        Ok(())
    );
    let params = parameters(&f.vault);
    assert_eq!(
        (params.5, params.6, params.7),
        (MAX_APR_BOUND_BPS, MAX_LOSS_BOUND_BPS, MAX_REPORT_INTERVAL)
    );
    assert_logs(
        &f.take_logs(),
        &[log(&ReportBoundsSet {
            maxAprBps: MAX_APR_BOUND_BPS,
            maxLossBps: MAX_LOSS_BOUND_BPS,
            minReportInterval: MAX_REPORT_INTERVAL,
        })],
    );
    assert_eq!(f.vault.set_report_bounds(0, 0, MIN_REPORT_INTERVAL), Ok(()));
    f.rejects(above_bound(10_001, 10_000), |v| {
        v.set_report_bounds(MAX_APR_BOUND_BPS + 1, 0, HOUR)
    });
    f.rejects(above_bound(10_001, 10_000), |v| {
        v.set_report_bounds(0, MAX_LOSS_BOUND_BPS + 1, HOUR)
    });
    f.rejects(
        above_bound(MAX_REPORT_INTERVAL + 1, MAX_REPORT_INTERVAL),
        |v| v.set_report_bounds(0, 0, MAX_REPORT_INTERVAL + 1),
    );
    // With no interval, loss reports could stack in one block.
    for interval in [0, MIN_REPORT_INTERVAL - 1] {
        f.rejects(
            VaultError::ParameterBelowBound(VaultParameterBelowBound {
                value: U256::from(interval),
                bound: U256::from(MIN_REPORT_INTERVAL),
            }),
            |v| v.set_report_bounds(0, 0, interval),
        );
    }
}

#[test]
fn set_treasury_sends_later_fees_to_the_new_treasury() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    f.rejects(VaultError::ZeroAddress(VaultZeroAddress {}), |v| {
        v.set_treasury(Address::ZERO)
    });
    assert_eq!(f.vault.set_treasury(CAROL), Ok(()));
    assert_eq!(f.vault.treasury(), CAROL);
    assert_logs(&f.take_logs(), &[log(&TreasurySet { treasury: CAROL })]);
    f.advance(DAY);
    f.report(eth(120) + max_gain(eth(120), DAY, APR_BPS));
    assert!(f.balance(CAROL) > U256::ZERO);
    assert_eq!(f.balance(TREASURY), U256::ZERO);
}

#[test]
fn set_validator_operator_hands_over_funding_and_returns() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    f.rejects(VaultError::ZeroAddress(VaultZeroAddress {}), |v| {
        v.set_validator_operator(Address::ZERO)
    });
    assert_eq!(f.vault.set_validator_operator(CAROL), Ok(()));
    assert_eq!(f.vault.validator_operator(), CAROL);
    assert_logs(
        &f.take_logs(),
        &[log(&ValidatorOperatorSet { operator: CAROL })],
    );
    f.paying(OPERATOR, eth(1));
    f.rejects(
        VaultError::NotValidatorOperator(VaultNotValidatorOperator { caller: OPERATOR }),
        StakingVault::return_exited_eth,
    );
    f.paying(CAROL, eth(1));
    assert_eq!(f.vault.return_exited_eth(), Ok(()));
    f.fund(eth(2));
    assert_logs(
        &f.take_logs(),
        &[
            log(&ExitedEthReturned {
                operator: CAROL,
                amount: eth(1),
            }),
            log(&ValidatorsFunded {
                operator: CAROL,
                amount: eth(2),
            }),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

#[test]
fn get_rate_is_one_ether_per_share_initially() {
    let f = Fx::new();
    assert_eq!(f.vault.get_rate(), Ok(WAD));
    assert_eq!(f.vault.convert_to_shares(eth(1)), Ok(eth(1)));
    assert_eq!(f.vault.convert_to_assets(eth(1)), Ok(eth(1)));
}

#[test]
fn conversions_and_preview_equal_what_deposit_mints() {
    let mut f = Fx::staked_with_gain();
    for assets in [wei(MIN_DEPOSIT), eth(1) + wei(1), eth(777) + wei(333)] {
        let (pooled, supply) = f.totals();
        let expected = assets * (supply + wei(1_000)) / (pooled + wei(1_000));
        assert_eq!(f.vault.convert_to_shares(assets), Ok(expected));
        assert_eq!(f.vault.preview_deposit(assets), Ok(expected));
        assert_eq!(
            f.vault.convert_to_assets(expected),
            Ok(value_of(expected, pooled, supply))
        );
        assert_eq!(f.deposit(CAROL, assets), expected);
    }
}

#[test]
fn max_deposit_is_the_room_under_the_cap_and_zero_while_paused() {
    let mut f = Fx::staked();
    assert_eq!(f.vault.max_deposit(ALICE), eth(100_000 - 150));
    f.as_(ADMIN);
    f.vault
        .set_deposit_limits(wei(1), eth(100))
        .expect("limits");
    assert_eq!(
        f.vault.max_deposit(ALICE),
        U256::ZERO,
        "already over the cap"
    );
    f.vault
        .set_deposit_limits(wei(1), eth(160))
        .expect("limits");
    assert_eq!(f.vault.max_deposit(ALICE), eth(10));
    f.pause();
    assert_eq!(f.vault.max_deposit(ALICE), U256::ZERO);
}

#[test]
fn withdrawal_request_status_moves_from_pending_to_claimable_to_claimed() {
    let mut f = Fx::staked();
    f.as_(ALICE);
    assert_eq!(
        f.vault.withdrawal_request(U256::ZERO),
        Err(VaultError::RequestNotFound(VaultRequestNotFound {
            id: U256::ZERO
        }))
    );
    f.request(ALICE, eth(2));
    assert_eq!(f.request_at(0).4, STATUS_PENDING);
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(0);
    assert_eq!(f.request_at(0).4, STATUS_CLAIMABLE);
    f.claim(ALICE, 0);
    assert_eq!(f.request_at(0), (ALICE, eth(2), eth(2), T0, STATUS_CLAIMED));
    assert_eq!(
        f.vault.withdrawal_request(wei(1)),
        Err(VaultError::RequestNotFound(VaultRequestNotFound {
            id: wei(1)
        }))
    );
}

#[test]
fn totals_views_follow_the_flows() {
    let mut f = Fx::staked();
    assert_eq!(f.vault.buffered_ether(), eth(30));
    assert_eq!(f.vault.validator_balance(), eth(120));
    assert_eq!(f.vault.total_assets(), eth(150));
    assert_eq!(f.vault.reserved_ether(), U256::ZERO);
    f.request(ALICE, eth(4));
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(0);
    assert_eq!(f.vault.buffered_ether(), eth(26));
    assert_eq!(f.vault.reserved_ether(), eth(4));
    assert_eq!(
        f.vault.total_assets(),
        eth(146),
        "reserved ETH is outside the pool"
    );
    assert_eq!(f.vault.last_report_timestamp(), T0 + DAY);
}

#[test]
fn eth_sent_without_a_deposit_changes_no_rate() {
    let f = Fx::staked_with_gain();
    let before = f.state();
    f.vm.set_balance(VAULT, eth(1_000_000));
    assert_eq!(f.state(), before);
}

// ---------------------------------------------------------------------------------------------
// Access control and pause
// ---------------------------------------------------------------------------------------------

#[test]
fn grant_and_revoke_role_by_the_admin_emit_events_only_on_change() {
    let mut f = Fx::new();
    f.as_(ADMIN);
    assert_eq!(f.vault.grant_role(ORACLE_ROLE, CAROL), Ok(()));
    assert!(f.vault.has_role(ORACLE_ROLE, CAROL));
    assert_eq!(f.vault.grant_role(ORACLE_ROLE, CAROL), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleGranted {
            role: ORACLE_ROLE,
            account: CAROL,
            sender: ADMIN,
        })],
    );
    assert_eq!(f.vault.revoke_role(ORACLE_ROLE, CAROL), Ok(()));
    assert!(!f.vault.has_role(ORACLE_ROLE, CAROL));
    assert_eq!(f.vault.revoke_role(ORACLE_ROLE, CAROL), Ok(()));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleRevoked {
            role: ORACLE_ROLE,
            account: CAROL,
            sender: ADMIN,
        })],
    );
    // The revoked oracle cannot report any more.
    f.advance(DAY);
    let now = f.now;
    f.as_(CAROL);
    f.rejects(unauthorized(CAROL, ORACLE_ROLE), |v| {
        v.report(now, U256::ZERO)
    });
}

#[test]
fn grant_and_revoke_role_require_the_admin_role() {
    let mut f = Fx::new();
    for caller in [STRANGER, ORACLE, PAUSER] {
        f.as_(caller);
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |v| {
            v.grant_role(ORACLE_ROLE, caller)
        });
        f.rejects(unauthorized(caller, DEFAULT_ADMIN_ROLE), |v| {
            v.revoke_role(ORACLE_ROLE, ORACLE)
        });
    }
}

#[test]
fn renounce_role_needs_the_callers_own_address() {
    let mut f = Fx::new();
    f.as_(ORACLE);
    f.rejects(
        VaultError::BadConfirmation(AccessControlBadConfirmation {}),
        |v| v.renounce_role(ORACLE_ROLE, ADMIN),
    );
    assert_eq!(f.vault.renounce_role(ORACLE_ROLE, ORACLE), Ok(()));
    assert!(!f.vault.has_role(ORACLE_ROLE, ORACLE));
    assert_logs(
        &f.take_logs(),
        &[log(&RoleRevoked {
            role: ORACLE_ROLE,
            account: ORACLE,
            sender: ORACLE,
        })],
    );
}

#[test]
fn every_role_is_administered_by_the_default_admin_role() {
    let f = Fx::new();
    for role in [DEFAULT_ADMIN_ROLE, ORACLE_ROLE, ALLOCATOR_ROLE, PAUSER_ROLE] {
        assert_eq!(f.vault.get_role_admin(role), DEFAULT_ADMIN_ROLE);
    }
    assert!(f.vault.has_role(ORACLE_ROLE, ORACLE));
    assert!(f.vault.has_role(ALLOCATOR_ROLE, ALLOCATOR));
    assert!(f.vault.has_role(PAUSER_ROLE, PAUSER));
}

#[test]
fn the_pauser_pauses_and_only_the_admin_unpauses() {
    let mut f = Fx::staked();
    f.as_(PAUSER);
    assert_eq!(f.vault.pause(), Ok(()));
    assert!(f.vault.paused());
    assert_logs(&f.take_logs(), &[log(&Paused { account: PAUSER })]);
    f.rejects(unauthorized(PAUSER, DEFAULT_ADMIN_ROLE), IPausable::unpause);
    f.as_(ADMIN);
    assert_eq!(f.vault.unpause(), Ok(()));
    assert!(!f.vault.paused());
    assert_logs(&f.take_logs(), &[log(&Unpaused { account: ADMIN })]);
}

#[test]
fn pause_requires_the_pauser_role() {
    let mut f = Fx::staked();
    for caller in [STRANGER, ADMIN, ORACLE] {
        f.as_(caller);
        f.rejects(unauthorized(caller, PAUSER_ROLE), IPausable::pause);
    }
}

#[test]
fn pausing_twice_or_unpausing_a_running_vault_is_rejected() {
    let mut f = Fx::staked();
    f.as_(ADMIN);
    f.rejects(
        VaultError::ExpectedPause(ExpectedPause {}),
        IPausable::unpause,
    );
    f.pause();
    f.rejects(enforced_pause(), IPausable::pause);
}

#[test]
fn reports_finalization_and_claims_keep_working_while_paused() {
    let mut f = Fx::staked();
    f.request(ALICE, eth(5));
    f.pause();
    f.advance(DAY);
    f.report(eth(120));
    f.finalize(0);
    f.claim(ALICE, 0);
    assert_eq!(f.request_at(0).4, STATUS_CLAIMED);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// `default_cases` unless `PROPTEST_CASES` says otherwise; never writes regression files.
fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One step of pool history: a deposit, part of the buffer to the validators, time, a report.
#[derive(Clone, Debug)]
struct Step {
    deposit: u128,
    fund_bps: u16,
    elapsed: u64,
    gain: bool,
    bound_bps: u16,
}

/// From the minimum deposit to 10,000 ETH, spread over the orders of magnitude.
fn deposit_amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        MIN_DEPOSIT..=10_u128.pow(22),
        (16_u32..=21, 1_u128..=10_000)
            .prop_map(
                |(exponent, mantissa)| (10_u128.pow(exponent) * mantissa / 1_000).max(MIN_DEPOSIT)
            ),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        deposit_amount(),
        0_u16..=10_000,
        REPORT_INTERVAL..=30 * DAY,
        any::<bool>(),
        0_u16..=10_000,
    )
        .prop_map(|(deposit, fund_bps, elapsed, gain, bound_bps)| Step {
            deposit,
            fund_bps,
            elapsed,
            gain,
            bound_bps,
        })
}

impl Fx {
    /// A report after `elapsed` seconds of `bound_bps` of the largest allowed gain or loss.
    /// Returns true for a loss.
    fn bounded_report(&mut self, elapsed: u64, gain: bool, bound_bps: u16) -> bool {
        self.advance(elapsed);
        let balance = self.vault.validator_balance();
        let (_, _, _, _, _, apr, loss, _) = parameters(&self.vault);
        let new_balance = if gain {
            balance + bps(max_gain(balance, elapsed, apr), bound_bps)
        } else {
            balance - bps(bps(balance, loss), bound_bps)
        };
        self.report(new_balance);
        new_balance < balance
    }

    fn play(&mut self, history: &[Step]) {
        for (i, step) in history.iter().enumerate() {
            let who = [ALICE, BOB][i % 2];
            self.deposit(who, wei(step.deposit));
            let amount = bps(self.vault.buffered_ether(), step.fund_bps);
            if !amount.is_zero() {
                self.fund(amount);
            }
            self.bounded_report(step.elapsed, step.gain, step.bound_bps);
        }
        self.take_logs();
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// (a) Minting rounds in the vault's favour: the shares are never worth more than the
    /// deposit, and at most one share's value plus 1 wei less.
    #[test]
    fn a_deposit_is_never_worth_more_than_it_paid(
        history in prop::collection::vec(step(), 0..5),
        assets in deposit_amount(),
    ) {
        let mut f = Fx::new();
        f.play(&history);
        let (pooled, supply) = f.totals();
        let one_share = math::to_assets(wei(1), pooled, supply, Rounding::Up).unwrap();
        let preview = f.vault.preview_deposit(wei(assets)).unwrap();
        let shares = f.deposit(CAROL, wei(assets));
        prop_assert_eq!(shares, preview);
        let worth = f.vault.convert_to_assets(shares).unwrap();
        prop_assert!(worth <= wei(assets));
        prop_assert!(wei(assets) - worth <= one_share + wei(1));
    }

    /// (c) After a gain report the treasury's new shares are worth `feeBps` of the gain,
    /// short by at most one share's value plus 1 wei, never more.
    #[test]
    fn fee_shares_are_worth_the_fee_share_of_the_gain(
        history in prop::collection::vec(step(), 1..5),
        fee_bps in 0_u16..=MAX_FEE_BPS,
        elapsed in REPORT_INTERVAL..=60 * DAY,
        bound_bps in 0_u16..=10_000,
    ) {
        let mut f = Fx::new();
        f.play(&history);
        f.as_(ADMIN);
        f.vault.set_fee(fee_bps).unwrap();
        let before = f.balance(TREASURY);
        let previous = f.vault.validator_balance();
        f.bounded_report(elapsed, true, bound_bps);
        let gain = f.vault.validator_balance() - previous;
        let fee = bps(gain, fee_bps);
        let fee_shares = f.balance(TREASURY) - before;
        let (pooled, supply) = f.totals();
        let worth = f.vault.convert_to_assets(fee_shares).unwrap();
        let one_share = math::to_assets(wei(1), pooled, supply, Rounding::Up).unwrap();
        prop_assert!(worth <= fee, "worth {} above fee {}", worth, fee);
        prop_assert!(fee - worth <= one_share + wei(1), "worth {} fee {}", worth, fee);
    }

    /// (d) The inflation attack: ETH sent without a deposit moves nothing, so the victim
    /// gets full value and the attacker gains nothing.
    #[test]
    fn a_donation_neither_moves_the_rate_nor_robs_the_next_depositor(
        attacker_extra in 0_u128..=10_u128.pow(18),
        donation in 1_u128..=10_u128.pow(27),
        victim in deposit_amount(),
    ) {
        let mut f = Fx::new();
        let attacker_paid = wei(MIN_DEPOSIT + attacker_extra);
        let attacker_shares = f.deposit(STRANGER, attacker_paid);
        let before = f.state();
        f.vm.set_balance(VAULT, wei(donation));
        prop_assert_eq!(f.state(), before);
        prop_assert_eq!(f.rate(), WAD);
        let victim_shares = f.deposit(ALICE, wei(victim));
        let victim_worth = f.vault.convert_to_assets(victim_shares).unwrap();
        prop_assert!(victim_worth <= wei(victim));
        prop_assert!(wei(victim) - victim_worth <= wei(1));
        let attacker_worth = f.vault.convert_to_assets(attacker_shares).unwrap();
        prop_assert!(attacker_worth <= attacker_paid);
    }
}

/// One user-level action of the stateful property.
#[derive(Clone, Debug)]
enum Op {
    Deposit {
        who: usize,
        amount: u128,
    },
    Fund {
        bps: u16,
    },
    ReturnExited {
        bps: u16,
    },
    Report {
        elapsed: u64,
        gain: bool,
        bound_bps: u16,
    },
    Request {
        who: usize,
        bps: u16,
    },
    /// Up to `count` requests; only those made by the last report when `eligible`.
    Finalize {
        count: u8,
        eligible: bool,
    },
    Claim {
        pick: usize,
    },
    Transfer {
        from: usize,
        to: usize,
        bps: u16,
    },
}

const USERS: [Address; 3] = [ALICE, BOB, CAROL];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..USERS.len(), deposit_amount()).prop_map(|(who, amount)| Op::Deposit { who, amount }),
        2 => (0_u16..=6_000).prop_map(|bps| Op::Fund { bps }),
        1 => (0_u16..=10_000).prop_map(|bps| Op::ReturnExited { bps }),
        3 => (REPORT_INTERVAL..=14 * DAY, any::<bool>(), 0_u16..=10_000)
            .prop_map(|(elapsed, gain, bound_bps)| Op::Report { elapsed, gain, bound_bps }),
        3 => (0..USERS.len(), 1_u16..=10_000).prop_map(|(who, bps)| Op::Request { who, bps }),
        3 => (1_u8..=4, any::<bool>()).prop_map(|(count, eligible)| Op::Finalize { count, eligible }),
        3 => (0_usize..64).prop_map(|pick| Op::Claim { pick }),
        1 => (0..USERS.len(), 0..USERS.len(), 0_u16..=10_000)
            .prop_map(|(from, to, bps)| Op::Transfer { from, to, bps }),
    ]
}

/// What the test knows independently of the vault's storage.
#[derive(Default)]
struct Model {
    /// ETH the vault holds: deposits and returns in, funding and claims out.
    eth_held: U256,
    /// (owner, shares, value at request, payout once finalized, claimed, requested at).
    requests: Vec<(Address, U256, U256, Option<U256>, bool, u64)>,
}

impl Model {
    fn finalized(&self) -> usize {
        self.requests.iter().filter(|r| r.3.is_some()).count()
    }
}

impl Fx {
    /// Applies `op`; returns whether it was a loss report. Rejected ops must fail with one of
    /// the errors their random parameters can legitimately hit, and are rolled back.
    // One arm per operation; splitting the match would only scatter the model updates.
    #[allow(clippy::too_many_lines)]
    fn apply(&mut self, op: &Op, model: &mut Model) -> bool {
        match *op {
            Op::Deposit { who, amount } => {
                self.advance(600);
                self.paying(USERS[who], wei(amount));
                match self.attempt(|v| v.deposit(USERS[who])) {
                    Ok(_) => model.eth_held += wei(amount),
                    Err(e) => assert!(
                        matches!(e, VaultError::DepositCapExceeded(_)),
                        "deposit: {e:?}"
                    ),
                }
            }
            Op::Fund { bps: share } => {
                let amount = bps(self.vault.buffered_ether(), share);
                if !amount.is_zero() {
                    self.fund(amount);
                    model.eth_held -= amount;
                }
            }
            Op::ReturnExited { bps: share } => {
                let amount = bps(self.vault.validator_balance(), share);
                if !amount.is_zero() {
                    self.paying(OPERATOR, amount);
                    self.vault.return_exited_eth().expect("returnExitedEth");
                    model.eth_held += amount;
                }
            }
            Op::Report {
                elapsed,
                gain,
                bound_bps,
            } => return self.bounded_report(elapsed, gain, bound_bps),
            Op::Request { who, bps: share } => {
                self.advance(600);
                let owner = USERS[who];
                let shares = bps(self.balance(owner), share);
                if shares.is_zero() {
                    return false;
                }
                let (pooled, supply) = self.totals();
                self.as_(owner);
                match self.attempt(|v| v.request_withdrawal(shares)) {
                    Ok(id) => {
                        assert_eq!(id, U256::from(model.requests.len()));
                        let value = value_of(shares, pooled, supply);
                        assert_eq!(self.request_at(id.to()).2, value);
                        model
                            .requests
                            .push((owner, shares, value, None, false, self.now));
                    }
                    Err(e) => assert!(
                        matches!(e, VaultError::WithdrawalOutOfBounds(_)),
                        "request: {e:?}"
                    ),
                }
            }
            Op::Finalize { count, eligible } => {
                let first = model.finalized();
                let last_report = self.vault.last_report_timestamp();
                let end = if eligible {
                    model
                        .requests
                        .iter()
                        .take_while(|r| r.5 <= last_report)
                        .count()
                } else {
                    model.requests.len()
                };
                if first >= end {
                    return false;
                }
                let up_to = (first + usize::from(count)).min(end) - 1;
                let (pooled, supply) = self.totals();
                self.as_(ORACLE);
                match self.attempt(|v| v.finalize(U256::from(up_to))) {
                    Ok(()) => {
                        for request in &mut model.requests[first..=up_to] {
                            let payout = request.2.min(value_of(request.1, pooled, supply));
                            request.3 = Some(payout);
                        }
                        for (id, request) in model
                            .requests
                            .iter()
                            .enumerate()
                            .take(up_to + 1)
                            .skip(first)
                        {
                            let on_chain = self.request_at(id as u64);
                            assert_eq!(on_chain.2, request.3.unwrap());
                            assert_eq!(on_chain.4, STATUS_CLAIMABLE);
                        }
                    }
                    Err(e) => assert!(
                        matches!(
                            e,
                            VaultError::RequestTooRecent(_) | VaultError::InsufficientBuffer(_)
                        ),
                        "finalize: {e:?}"
                    ),
                }
            }
            Op::Claim { pick } => {
                let claimable: Vec<usize> = (0..model.requests.len())
                    .filter(|&i| model.requests[i].3.is_some() && !model.requests[i].4)
                    .collect();
                if let Some(&id) = claimable.get(pick % claimable.len().max(1)) {
                    let (owner, _, _, payout, _, _) = model.requests[id];
                    self.claim(owner, id as u64);
                    model.requests[id].4 = true;
                    model.eth_held -= payout.unwrap();
                }
            }
            Op::Transfer {
                from,
                to,
                bps: share,
            } => {
                let amount = bps(self.balance(USERS[from]), share);
                self.ledger
                    .borrow_mut()
                    .move_tokens(USERS[from], USERS[to], amount)
                    .expect("a holder moves part of their shares");
            }
        }
        false
    }

    fn check(&self, model: &Model) {
        let (pooled, supply) = self.totals();
        assert_eq!(
            self.vault.buffered_ether() + self.vault.validator_balance(),
            pooled
        );
        let holders = [ALICE, BOB, CAROL, TREASURY, VAULT];
        let sum = holders
            .iter()
            .fold(U256::ZERO, |sum, &a| sum + self.balance(a));
        assert_eq!(sum, supply, "Σ balances = totalSupply");
        let reserved = model
            .requests
            .iter()
            .filter(|r| !r.4)
            .filter_map(|r| r.3)
            .fold(U256::ZERO, |sum, payout| sum + payout);
        assert_eq!(
            self.vault.reserved_ether(),
            reserved,
            "reserved = Σ unclaimed payouts"
        );
        let locked = model
            .requests
            .iter()
            .filter(|r| r.3.is_none())
            .fold(U256::ZERO, |sum, r| sum + r.1);
        assert_eq!(
            self.balance(VAULT),
            locked,
            "the vault holds the queued shares"
        );
        assert_eq!(
            self.vault.buffered_ether() + self.vault.reserved_ether(),
            model.eth_held,
            "tracked ETH = ETH held"
        );
        assert_eq!(
            self.vault.queue_state(),
            (
                U256::from(model.requests.len()),
                U256::from(model.finalized())
            )
        );
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// (b) Accounting invariants after every step of a random history, and the rate never
    /// falls except on a loss report.
    #[test]
    fn random_histories_keep_the_accounting_invariants(ops in prop::collection::vec(op(), 1..60)) {
        let mut f = Fx::new();
        let mut model = Model::default();
        let mut rate = f.rate();
        for op in &ops {
            let loss = f.apply(op, &mut model);
            f.check(&model);
            let new_rate = f.rate();
            prop_assert!(loss || new_rate >= rate, "{:?} lowered the rate {} → {}", op, rate, new_rate);
            rate = new_rate;
        }
    }
}

/// Every function of the golden ABI is routed on chain, at its selector, payable where the ABI
/// says so, by exactly one of the two programs (the SDK's `#[public]` declares the ABI;
/// `lsr_common::router!` routes the calls).
#[test]
fn routes_are_the_golden_abi() {
    lsr_common::testing::assert_routes_match_abi(
        &[StakingVault::ROUTES, StakingVault::EXTENSION_ROUTES].concat(),
        include_str!("../../../abi/staking-vault.json"),
    );
}

// ---------------------------------------------------------------------------------------------
// Two programs: the vault's router and its extension's
// ---------------------------------------------------------------------------------------------

#[test]
fn the_two_programs_route_as_one_contract() {
    let f = Fx::staked();
    lsr_common::testing::TwoPrograms {
        routes: (route, route_extension),
        addresses: (VAULT, EXTENSION),
        admin: ADMIN,
        stranger: STRANGER,
        admin_only: calldata("setFee(uint16)", &0_u16.abi_encode()),
        view: (calldata("treasury()", &[]), TREASURY.abi_encode()),
        own: vec![
            calldata("getRate()", &[]),
            calldata("token()", &[]),
            calldata("extension()", &[]),
            calldata("totalShares()", &[]),
            calldata("maxDeposit(address)", &ALICE.abi_encode()),
        ],
        constructor_args: (ADMIN, TREASURY, OPERATOR, EXTENSION).abi_encode_params(),
    }
    .check(&f.vm);
}
