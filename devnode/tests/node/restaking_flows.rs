//! The restaking half of the suite on its release wasm: vault + LST, allocation manager,
//! restaking manager and an AVS registry deployed and wired as in production, then
//! register → delegate → opt in → allocate → slash through the registry → rewards through the
//! registry (staked in the vault) → fee claim → undelegate → complete after the delay. Every
//! cross-contract call here is real: Stylus calling Stylus, static and mutating, with value.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use devnode::{Executed, Node, NodeError};

use crate::support::{deploy_staking_vault, deploy_with, ether, node, release_wasm, ALICE, BOB};

use crate::suite::abi::{
    allocations::IAllocationManager as Allocations,
    lst::ILstToken::{self as Erc20, Transfer},
    manager::IRestakingManager::{
        self as Manager, ManagerSlashAboveBound, ManagerWithdrawalNotReady, OperatorSlashed,
        RewardsDeposited,
    },
    registry::IAvsRegistry::{self as Registry, RegistryNotOperator},
    vault::IStakingVault as Vault,
};

const ADMIN: Address = ALICE;
const TREASURY: Address = Address::repeat_byte(0x7E);
const SINK: Address = Address::repeat_byte(0x51);
const VALIDATORS: Address = Address::repeat_byte(0x0E);
const OPERATOR: Address = Address::repeat_byte(0x09);
const SLASHER: Address = Address::repeat_byte(0x5A);
/// Operator fee 10%, protocol fee 5% (the manager's default), delay 7 days (both defaults).
const OPERATOR_FEE_BPS: u16 = 1_000;
const PROTOCOL_FEE_BPS: u64 = 500;
const DELAY: u64 = 7 * 24 * 3_600;

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
    allocations: Address,
    manager: Address,
    registry: Address,
}

impl Suite {
    fn deploy() -> Self {
        let node = node();
        for account in [OPERATOR, SLASHER] {
            node.fund(account, ether(10));
        }
        // From ALICE (the admin), each program compressed once per test run.
        let deploy =
            |name: &str, args: Vec<u8>| deploy_with(&node, &release_wasm(name), Some(&args));
        let (vault, token, _) = deploy_staking_vault(&node, ADMIN, TREASURY, VALIDATORS);
        let allocations = deploy("allocation-manager", ADMIN.abi_encode());
        let manager = deploy(
            "restaking-manager",
            (ADMIN, vault, allocations, TREASURY, SINK).abi_encode_params(),
        );
        let registry = deploy("avs-registry", (manager, ADMIN).abi_encode_params());
        node.transact(
            ADMIN,
            registry,
            &Registry::grantRoleCall {
                role: keccak256("SLASHER_ROLE"),
                account: SLASHER,
            },
        )
        .unwrap();
        node.transact(
            ADMIN,
            allocations,
            &Allocations::setRegistryCall {
                registry,
                whitelisted: true,
            },
        )
        .unwrap();
        Self {
            node,
            vault,
            token,
            allocations,
            manager,
            registry,
        }
    }

    fn lst(&self, account: Address) -> U256 {
        self.node
            .call(ALICE, self.token, &Erc20::balanceOfCall { account })
            .unwrap()
    }

    fn pool(&self) -> (U256, U256, U256) {
        let pool = self
            .node
            .call(
                ALICE,
                self.manager,
                &Manager::poolCall { operator: OPERATOR },
            )
            .unwrap();
        (pool._0, pool._1, pool._2)
    }

    fn staker_value(&self, staker: Address) -> U256 {
        self.node
            .call(
                ALICE,
                self.manager,
                &Manager::stakerValueCall {
                    staker,
                    operator: OPERATOR,
                },
            )
            .unwrap()
    }

    /// LST held by the manager = the pool's stake (the only pool here).
    fn assert_pool_backed(&self) {
        assert_eq!(self.lst(self.manager), self.pool().0);
    }
}

#[test]
fn register_delegate_allocate_slash_reward_and_withdraw() {
    let s = Suite::deploy();
    register_and_opt_in(&s);
    delegate(&s);
    let slashed = allocate_and_slash(&s);
    rewards_and_fees(&s, slashed);
    withdraw(&s);
}

fn register_and_opt_in(s: &Suite) {
    let node = &s.node;
    // An operator that is not registered cannot opt in: registry → manager → allocation manager.
    let error = refused(node.transact(OPERATOR, s.registry, &Registry::optInCall {}));
    assert_eq!(
        error.revert_as::<RegistryNotOperator>(),
        Some(RegistryNotOperator { operator: OPERATOR })
    );
    node.transact(
        OPERATOR,
        s.allocations,
        &Allocations::registerOperatorCall {
            fee_bps: OPERATOR_FEE_BPS,
            metadata_uri: "https://operator.example/metadata.json".into(),
        },
    )
    .unwrap();
    assert!(node
        .call(
            ALICE,
            s.manager,
            &Manager::isOperatorCall { operator: OPERATOR }
        )
        .unwrap());
    node.transact(OPERATOR, s.registry, &Registry::optInCall {})
        .unwrap();
}

fn delegate(s: &Suite) {
    let node = &s.node;
    // Bob stakes 20 ETH in the vault and delegates 12 LST to the operator.
    node.transact_with_value(
        BOB,
        s.vault,
        ether(20),
        &Vault::depositCall { receiver: BOB },
    )
    .unwrap();
    node.transact(
        BOB,
        s.token,
        &Erc20::approveCall {
            spender: s.manager,
            value: U256::MAX,
        },
    )
    .unwrap();
    let delegated = node
        .transact(
            BOB,
            s.manager,
            &Manager::delegateCall {
                operator: OPERATOR,
                assets: ether(12),
            },
        )
        .unwrap();
    assert_eq!(
        delegated.returned,
        ether(12),
        "one share per LST in an empty pool"
    );
    assert_eq!(
        delegated.receipt.events::<Transfer>(),
        vec![Transfer {
            from: BOB,
            to: s.manager,
            value: ether(12)
        }]
    );
    assert_eq!(s.lst(BOB), ether(8));
    s.assert_pool_backed();
}

/// Returns the LST slashed.
fn allocate_and_slash(s: &Suite) -> U256 {
    let node = &s.node;
    // The operator allocates half its pool to the AVS (allocation manager → registry view).
    node.transact(
        OPERATOR,
        s.allocations,
        &Allocations::allocateCall {
            registry: s.registry,
            bps: 5_000,
        },
    )
    .unwrap();
    let allocated = node
        .call(
            ALICE,
            s.registry,
            &Registry::allocatedStakeCall { operator: OPERATOR },
        )
        .unwrap();
    assert_eq!(allocated, ether(6));

    // The AVS slashes 10% of the allocation: 0.6 LST go to the sink, every share loses 5%.
    let reason = B256::repeat_byte(0xEE);
    let slashed = node
        .transact(
            SLASHER,
            s.registry,
            &Registry::slashCall {
                operator: OPERATOR,
                bps: U256::from(1_000),
                reason,
            },
        )
        .unwrap();
    let amount = ether(6) / U256::from(10);
    assert_eq!(slashed.returned, amount);
    assert_eq!(
        slashed.receipt.events::<OperatorSlashed>(),
        vec![OperatorSlashed {
            operator: OPERATOR,
            registry: s.registry,
            bps: U256::from(1_000),
            amount
        }]
    );
    assert_eq!(s.lst(SINK), amount);
    assert_eq!(s.pool(), (ether(12) - amount, ether(12), U256::ZERO));
    s.assert_pool_backed();

    // The bound (10% by default) holds per registry and operator per withdrawal delay, and
    // this slash spent all of it: one more basis point is refused until the window ends. The
    // manager's error comes back through the registry, and nothing moves.
    let before = s.pool();
    let delay = node
        .call(ALICE, s.manager, &Manager::withdrawalDelayCall {})
        .unwrap();
    let error = refused(node.transact(
        SLASHER,
        s.registry,
        &Registry::slashCall {
            operator: OPERATOR,
            bps: U256::from(1),
            reason,
        },
    ));
    assert_eq!(
        error.revert_as::<ManagerSlashAboveBound>(),
        Some(ManagerSlashAboveBound {
            bps: U256::from(1),
            leftBps: U256::ZERO,
            windowEndsAt: node.timestamp() + delay,
        })
    );
    assert_eq!(s.pool(), before);
    amount
}

fn rewards_and_fees(s: &Suite, amount: U256) {
    let node = &s.node;
    // Rewards of 2 ETH through the registry: 10% operator fee and 5% protocol fee set aside in
    // ETH, 1.7 ETH staked in the vault at its rate for the pool (Stylus → Stylus with value).
    let rate = node.call(ALICE, s.vault, &Vault::getRateCall {}).unwrap();
    let shares_for = node
        .call(
            ALICE,
            s.vault,
            &Vault::previewDepositCall {
                assets: ether(2) * U256::from(85) / U256::from(100),
            },
        )
        .unwrap();
    assert_eq!(rate, ether(1));
    let rewarded = node
        .transact_with_value(
            ALICE,
            s.registry,
            ether(2),
            &Registry::distributeRewardsCall { operator: OPERATOR },
        )
        .unwrap();
    let operator_fee = ether(2) * U256::from(OPERATOR_FEE_BPS) / U256::from(10_000);
    let protocol_fee = ether(2) * U256::from(PROTOCOL_FEE_BPS) / U256::from(10_000);
    assert_eq!(
        rewarded.receipt.events::<RewardsDeposited>(),
        vec![RewardsDeposited {
            operator: OPERATOR,
            sender: s.registry,
            amount: ether(2),
            operatorFee: operator_fee,
            protocolFee: protocol_fee,
            staked: shares_for
        }]
    );
    assert_eq!(s.pool().0, ether(12) - amount + shares_for);
    s.assert_pool_backed();
    assert_eq!(node.balance(s.manager), operator_fee + protocol_fee);

    // The operator claims its fee in ETH.
    let operator_before = node.balance(OPERATOR);
    let claimed = node
        .transact(OPERATOR, s.manager, &Manager::claimFeesCall {})
        .unwrap();
    assert_eq!(claimed.returned, operator_fee);
    let gas_cost = U256::from(claimed.receipt.gas_used) * gas_price(node);
    assert_eq!(
        node.balance(OPERATOR),
        operator_before + operator_fee - gas_cost
    );
}

fn withdraw(s: &Suite) {
    let node = &s.node;
    // Bob undelegates everything; the withdrawal completes only after the delay and pays
    // min(value at queue, value now) = his whole value.
    let value = s.staker_value(BOB);
    let queued = node
        .transact(
            BOB,
            s.manager,
            &Manager::undelegateCall {
                operator: OPERATOR,
                shares: ether(12),
            },
        )
        .unwrap();
    let id = queued.returned;
    node.warp(DELAY - 60);
    let error = refused(node.transact(BOB, s.manager, &Manager::completeWithdrawalCall { id }));
    assert!(error.revert_as::<ManagerWithdrawalNotReady>().is_some());
    node.warp(60);
    let completed = node
        .transact(BOB, s.manager, &Manager::completeWithdrawalCall { id })
        .unwrap();
    assert_eq!(completed.returned, value);
    assert_eq!(s.lst(BOB), ether(8) + value);
    s.assert_pool_backed();
    let (stake, shares, queued_shares) = s.pool();
    assert_eq!((shares, queued_shares), (U256::ZERO, U256::ZERO));
    assert!(
        stake < U256::from(1_000_000),
        "only rounding dust stays: {stake}"
    );
}

/// The node's gas price (the base fee its transactions pay).
fn gas_price(node: &Node) -> U256 {
    U256::from(node.config().basefee)
}
