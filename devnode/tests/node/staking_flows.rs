//! The staking vault and its LST on their release wasm: deployment and the token's creation, then
//! deposit → validator funding → oracle report (fee shares) → withdrawal request → finalize →
//! claim, with balances, shares, rates and events checked at every step.

use alloy_primitives::{keccak256, Address, U256, U512};
use alloy_sol_types::SolValue;
use devnode::{Executed, Node, NodeError};

use crate::support::{
    deploy, deploy_staking_vault, deploy_with, ether, node, release_wasm, ALICE, BOB,
};

use crate::suite::abi::{
    lst::ILstToken::{self as Token, Transfer},
    vault::IStakingVault::{
        self as Vault, Deposited, RateUpdated, Reported, TokenSet, ValidatorsFunded,
        WithdrawalClaimed, WithdrawalRequested, WithdrawalsFinalized,
    },
};

const ADMIN: Address = ALICE;
const ORACLE: Address = Address::repeat_byte(0x0C);
const ALLOCATOR: Address = Address::repeat_byte(0xA0);
const OPERATOR: Address = Address::repeat_byte(0x0E);
const TREASURY: Address = Address::repeat_byte(0x7E);
const OFFSET: u64 = 1_000;

/// `x × y / d`, rounded down (the vault's `mul_div` with `Rounding::Down`).
fn mul_div(x: U256, y: U256, d: U256) -> U256 {
    U256::from(U512::from(x) * U512::from(y) / U512::from(d))
}

/// The error of a transaction that must fail.
fn refused<R>(result: Result<Executed<R>, NodeError>) -> NodeError {
    match result {
        Err(error) => error,
        Ok(_) => panic!("the transaction succeeded"),
    }
}

struct Suite {
    node: Node,
    vault: Address,
    token: Address,
}

impl Suite {
    fn deploy() -> Self {
        let node = node();
        for account in [ORACLE, ALLOCATOR, OPERATOR, TREASURY] {
            node.fund(account, ether(10));
        }
        let (vault, token, created) = deploy_staking_vault(&node, ADMIN, TREASURY, OPERATOR);
        assert_eq!(created.events::<TokenSet>(), vec![TokenSet { token }]);
        assert_eq!(
            node.call(ALICE, token, &Token::vaultCall {}).unwrap(),
            vault,
            "the creation code recorded the vault in the token's slot 0"
        );
        for (role, account) in [("ORACLE_ROLE", ORACLE), ("ALLOCATOR_ROLE", ALLOCATOR)] {
            node.transact(
                ADMIN,
                vault,
                &Vault::grantRoleCall {
                    role: keccak256(role),
                    account,
                },
            )
            .unwrap();
        }
        Self { node, vault, token }
    }

    fn vault<C: alloy_sol_types::SolCall>(&self, call: &C) -> C::Return {
        self.node.call(ALICE, self.vault, call).unwrap()
    }

    fn token<C: alloy_sol_types::SolCall>(&self, call: &C) -> C::Return {
        self.node.call(ALICE, self.token, call).unwrap()
    }

    fn shares_of(&self, account: Address) -> U256 {
        self.token(&Token::balanceOfCall { account })
    }

    /// Σ balances = totalSupply = the vault's totalShares, over every holder in the suite.
    fn assert_supply_adds_up(&self) {
        let supply = self.token(&Token::totalSupplyCall {});
        let held: U256 = [BOB, TREASURY, self.vault, ALICE]
            .into_iter()
            .map(|account| self.shares_of(account))
            .sum();
        assert_eq!(held, supply);
        assert_eq!(self.vault(&Vault::totalSharesCall {}), supply);
    }

    fn rate(&self) -> U256 {
        self.vault(&Vault::getRateCall {})
    }
}

/// The totals after the first report.
#[derive(Clone, Copy)]
struct AfterReport {
    gain: U256,
    pooled: U256,
    supply: U256,
    rate: U256,
}

#[test]
fn deposit_fund_report_request_finalize_claim() {
    let suite = Suite::deploy();
    assert_eq!(suite.token(&Token::vaultCall {}), suite.vault);
    assert_eq!(suite.vault(&Vault::tokenCall {}), suite.token);
    assert_eq!(suite.rate(), ether(1));
    let shares = deposit(&suite);
    fund_validators(&suite);
    let reported = report_gain(&suite, shares);
    let (id, value) = request_withdrawal(&suite, &reported);
    finalize(&suite, &reported, id, value);
    claim(&suite, id, value);
}

fn deposit(suite: &Suite) -> U256 {
    let (node, vault) = (&suite.node, suite.vault);
    // Deposit: 10 ETH at rate 1 mints 10e18 shares to Bob.
    let deposit = node
        .transact_with_value(BOB, vault, ether(10), &Vault::depositCall { receiver: BOB })
        .unwrap();
    let shares = deposit.returned;
    assert_eq!(shares, ether(10));
    assert_eq!(suite.shares_of(BOB), shares);
    assert_eq!(suite.vault(&Vault::bufferedEtherCall {}), ether(10));
    assert_eq!(node.balance(vault), ether(10));
    let transfers = deposit.receipt.events::<Transfer>();
    assert_eq!(
        transfers,
        vec![Transfer {
            from: Address::ZERO,
            to: BOB,
            value: shares
        }]
    );
    assert_eq!(
        deposit.receipt.events::<Deposited>(),
        vec![Deposited {
            sender: BOB,
            receiver: BOB,
            assets: ether(10),
            shares
        }]
    );
    suite.assert_supply_adds_up();

    shares
}

fn fund_validators(suite: &Suite) {
    let (node, vault) = (&suite.node, suite.vault);
    // The allocator sends 8 ETH to the validator operator.
    let operator_before = node.balance(OPERATOR);
    let funded = node
        .transact(
            ALLOCATOR,
            vault,
            &Vault::fundValidatorsCall { amount: ether(8) },
        )
        .unwrap();
    assert_eq!(
        funded.receipt.events::<ValidatorsFunded>(),
        vec![ValidatorsFunded {
            operator: OPERATOR,
            amount: ether(8)
        }]
    );
    assert_eq!(node.balance(OPERATOR), operator_before + ether(8));
    assert_eq!(suite.vault(&Vault::validatorBalanceCall {}), ether(8));
    assert_eq!(suite.rate(), ether(1));
}

fn report_gain(suite: &Suite, shares: U256) -> AfterReport {
    let (node, vault) = (&suite.node, suite.vault);
    // A day later the oracle reports a gain within the APR bound (10% a year).
    node.warp(24 * 3_600);
    let now = node.timestamp();
    // The bound: 8 ETH × 10% × 1 day / 365 days ≈ 0.00219 ETH; report 0.002 ETH.
    let max_gain = mul_div(
        ether(8),
        U256::from(1_000u64 * 24 * 3_600),
        U256::from(10_000u64 * 365 * 24 * 3_600),
    );
    let gain = ether(2) / U256::from(1_000);
    assert!(gain <= max_gain);
    let reported = node
        .transact(
            ORACLE,
            vault,
            &Vault::reportCall {
                timestamp: now,
                validator_balance: ether(8) + gain,
            },
        )
        .unwrap();
    // Fee shares: the treasury receives 10% of the gain in value.
    let pooled = ether(10) + gain;
    let fee = gain * U256::from(1_000) / U256::from(10_000);
    let offset = U256::from(OFFSET);
    let fee_shares = mul_div(fee, shares + offset, pooled + offset - fee);
    assert_eq!(suite.shares_of(TREASURY), fee_shares);
    let report = &reported.receipt.events::<Reported>()[0];
    assert_eq!(
        (report.timestamp, report.validatorBalance, report.feeShares),
        (now, ether(8) + gain, fee_shares)
    );
    let supply = shares + fee_shares;
    let rate = mul_div(ether(1), pooled + offset, supply + offset);
    assert_eq!(suite.rate(), rate);
    assert!(rate > ether(1));
    assert_eq!(
        reported.receipt.events::<RateUpdated>(),
        vec![RateUpdated {
            rate,
            totalPooledEther: pooled,
            totalShares: supply
        }]
    );
    suite.assert_supply_adds_up();

    AfterReport {
        gain,
        pooled,
        supply,
        rate,
    }
}

fn request_withdrawal(suite: &Suite, reported: &AfterReport) -> (U256, U256) {
    let (node, vault) = (&suite.node, suite.vault);
    let AfterReport { pooled, supply, .. } = *reported;
    let offset = U256::from(OFFSET);
    // Bob requests a withdrawal of 1e18 shares; the token locks them in the vault.
    let requested_shares = ether(1);
    let value = mul_div(requested_shares, pooled + offset, supply + offset);
    let request = node
        .transact(
            BOB,
            vault,
            &Vault::requestWithdrawalCall {
                shares: requested_shares,
            },
        )
        .unwrap();
    let id = request.returned;
    assert_eq!(
        request.receipt.events::<WithdrawalRequested>(),
        vec![WithdrawalRequested {
            id,
            owner: BOB,
            shares: requested_shares,
            value
        }]
    );
    assert_eq!(
        request.receipt.events::<Transfer>(),
        vec![Transfer {
            from: BOB,
            to: vault,
            value: requested_shares
        }]
    );
    assert_eq!(suite.shares_of(vault), requested_shares);
    let pending = suite.vault(&Vault::withdrawalRequestCall { id });
    assert_eq!(
        (pending._0, pending._1, pending._2, pending._4),
        (BOB, requested_shares, value, 0)
    );
    suite.assert_supply_adds_up();

    (id, value)
}

fn finalize(suite: &Suite, reported: &AfterReport, id: U256, value: U256) {
    let (node, vault) = (&suite.node, suite.vault);
    let requested_shares = ether(1);
    let AfterReport { gain, rate, .. } = *reported;
    // The next report (no change) covers the request; the oracle finalizes it.
    node.warp(24 * 3_600);
    node.transact(
        ORACLE,
        vault,
        &Vault::reportCall {
            timestamp: node.timestamp(),
            validator_balance: ether(8) + gain,
        },
    )
    .unwrap();
    assert_eq!(suite.rate(), rate);
    let finalized = node
        .transact(ORACLE, vault, &Vault::finalizeCall { up_to_id: id })
        .unwrap();
    assert_eq!(
        finalized.receipt.events::<WithdrawalsFinalized>(),
        vec![WithdrawalsFinalized {
            fromId: id,
            toId: id,
            sharesBurned: requested_shares,
            etherReserved: value
        }]
    );
    assert_eq!(
        finalized.receipt.events::<Transfer>(),
        vec![Transfer {
            from: vault,
            to: Address::ZERO,
            value: requested_shares
        }]
    );
    assert_eq!(suite.vault(&Vault::reservedEtherCall {}), value);
    assert_eq!(suite.vault(&Vault::bufferedEtherCall {}), ether(2) - value);
    assert_eq!(suite.shares_of(vault), U256::ZERO);
    // Paying out the value at request and burning its shares never lowers the rate.
    assert!(suite.rate() >= rate);
    suite.assert_supply_adds_up();
}

fn claim(suite: &Suite, id: U256, value: U256) {
    let (node, vault) = (&suite.node, suite.vault);
    // Bob claims his ETH.
    let bob_before = node.balance(BOB);
    let claimed = node.transact(BOB, vault, &Vault::claimCall { id }).unwrap();
    let gas_fee = U256::from(claimed.receipt.gas_used) * U256::from(node.config().basefee);
    assert_eq!(node.balance(BOB), bob_before + value - gas_fee);
    assert_eq!(
        claimed.receipt.events::<WithdrawalClaimed>(),
        vec![WithdrawalClaimed {
            id,
            owner: BOB,
            amount: value
        }]
    );
    assert_eq!(suite.vault(&Vault::reservedEtherCall {}), U256::ZERO);
    assert_eq!(suite.vault(&Vault::withdrawalRequestCall { id })._4, 2);
    assert_eq!(node.balance(vault), ether(2) - value);
    // A second claim is refused with the vault's error.
    let again = refused(node.transact(BOB, vault, &Vault::claimCall { id }));
    assert_eq!(
        again.revert_as::<Vault::VaultRequestAlreadyClaimed>(),
        Some(Vault::VaultRequestAlreadyClaimed { id })
    );
}

#[test]
fn the_vault_refuses_deposits_before_the_token_is_created_and_strangers_as_oracle() {
    let node = node();
    let extension = deploy(&node, &release_wasm("staking-vault-extension"));
    let vault = deploy_with(
        &node,
        &release_wasm("staking-vault"),
        Some(&(ADMIN, TREASURY, OPERATOR, extension).abi_encode_params()),
    );
    let error = node
        .transact_with_value(BOB, vault, ether(1), &Vault::depositCall { receiver: BOB })
        .unwrap_err();
    assert!(
        error.revert_as::<Vault::VaultTokenNotSet>().is_some(),
        "{error}"
    );
    assert_eq!(node.balance(vault), U256::ZERO);
    let error = refused(node.transact(
        BOB,
        vault,
        &Vault::reportCall {
            timestamp: node.timestamp(),
            validator_balance: U256::ZERO,
        },
    ));
    assert_eq!(
        error.revert_as::<Vault::AccessControlUnauthorizedAccount>(),
        Some(Vault::AccessControlUnauthorizedAccount {
            account: BOB,
            neededRole: keccak256("ORACLE_ROLE")
        })
    );
}
