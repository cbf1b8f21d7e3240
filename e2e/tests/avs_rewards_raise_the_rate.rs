//! AVS rewards: an AVS pays ETH rewards to an operator through its registry; the manager sets
//! the operator's fee and the protocol fee aside in ETH and stakes the rest in the vault for
//! the operator's pool, so the LRT's ETH rate rises by exactly what that stake adds to the
//! allocator's position (docs/restaking-manager.md, docs/lrt.md); the operator and the treasury
//! claim their fees, once.

use alloy::primitives::{Address, U256};
use e2e::{backed_value, bps_of, rate, refused, UNIT};
use lsr_deploy::abi::manager::IRestakingManager::RewardsDeposited;
use lsr_deploy::{
    abi::{Allocations, Allocator, Lrt, Manager, Vault},
    flows::{ether, transact, Suite},
};

/// The manager's `stakerValue` of the allocator in `operator`'s pool.
async fn position(suite: &Suite, operator: Address) -> U256 {
    let c = suite.contracts;
    suite
        .admin
        .view(
            c.manager,
            &Manager::stakerValueCall {
                staker: c.allocator,
                operator,
            },
        )
        .await
        .unwrap()
}

/// ETH per LRT from its parts: LST per LRT × ETH per LST, each rounded down.
fn lrt_rate(assets: U256, shares: U256, eth_per_lst: U256) -> U256 {
    rate(assets, shares) * eth_per_lst / UNIT
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one flow, checked view by view
async fn rewards_raise_the_lrt_rate_by_the_staked_part_and_pay_the_fees_once() {
    let (_node, suite) = e2e::suite("rewards").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let restaked = suite.restaked("alice", ether(10)).await.unwrap();
    let [paid, other] = [restaked.operators[0].from(), restaked.operators[1].from()];
    let avs = suite.actor("avs", ether(2)).await.unwrap();

    // Before: the LRT's parts and the rate they make.
    let idle = admin
        .view(c.allocator, &Allocator::idleCall {})
        .await
        .unwrap();
    let other_value = position(&suite, other).await;
    let held = admin
        .view(
            c.manager,
            &Manager::stakerSharesCall {
                staker: c.allocator,
                operator: paid,
            },
        )
        .await
        .unwrap();
    let pool = admin
        .view(c.manager, &Manager::poolCall { operator: paid })
        .await
        .unwrap();
    let supply = admin.view(c.lrt, &Lrt::totalSharesCall {}).await.unwrap();
    let (pooled, lst_supply) = suite.vault_totals().await.unwrap();
    let before = suite.lrt_rate().await.unwrap();
    let assets = idle + backed_value(held, pool._0, pool._1) + other_value;
    assert_eq!(
        before,
        lrt_rate(assets, supply, rate(pooled, lst_supply)),
        "the LRT rate before, from its parts"
    );

    // The split of 1 ETH: fees in ETH, the rest staked for the pool.
    let amount = ether(1);
    let fee_bps = admin
        .view(
            c.allocations,
            &Allocations::operatorFeeBpsCall { operator: paid },
        )
        .await
        .unwrap();
    let protocol_bps = admin
        .view(c.manager, &Manager::protocolFeeBpsCall {})
        .await
        .unwrap();
    let operator_fee = bps_of(amount, fee_bps);
    let protocol_fee = bps_of(amount, protocol_bps);
    let rest = amount - operator_fee - protocol_fee;
    let staked = admin
        .view(c.vault, &Vault::previewDepositCall { assets: rest })
        .await
        .unwrap();
    let sent = suite
        .reward(&avs, c.registries[0], paid, amount)
        .await
        .unwrap();
    let events = sent.events_from::<RewardsDeposited>(c.manager);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (e.operator, e.sender, e.amount),
        (paid, c.registries[0], amount)
    );
    assert_eq!(
        (e.operatorFee, e.protocolFee, e.staked),
        (operator_fee, protocol_fee, staked)
    );
    let after_pool = admin
        .view(c.manager, &Manager::poolCall { operator: paid })
        .await
        .unwrap();
    assert_eq!(
        (after_pool._0, after_pool._1),
        (pool._0 + staked, pool._1),
        "the stake grows, the shares do not"
    );
    assert_eq!(position(&suite, other).await, other_value);

    // After: the allocator's position in the paid pool is worth its share of the new stake.
    let assets = idle + backed_value(held, pool._0 + staked, pool._1) + other_value;
    assert_eq!(
        admin
            .view(c.allocator, &Allocator::totalAssetsCall {})
            .await
            .unwrap(),
        assets
    );
    let eth_per_lst = rate(pooled + rest, lst_supply + staked);
    assert_eq!(suite.lst_rate().await.unwrap(), eth_per_lst);
    let after = suite.lrt_rate().await.unwrap();
    assert_eq!(after, lrt_rate(assets, supply, eth_per_lst));
    assert!(after > before, "{after} ≤ {before}");
    // The fee stays out of the pool: rewarding the whole ETH would have raised it further.
    let untaxed =
        idle + backed_value(
            held,
            pool._0
                + admin
                    .view(c.vault, &Vault::previewDepositCall { assets: amount })
                    .await
                    .unwrap(),
            pool._1,
        ) + other_value;
    assert!(after < lrt_rate(untaxed, supply, eth_per_lst));

    // Fees: claimable by the operator and the treasury, once.
    let treasury = admin
        .view(c.manager, &Manager::treasuryCall {})
        .await
        .unwrap();
    assert_eq!(
        admin
            .view(c.manager, &Manager::claimableFeesCall { account: paid })
            .await
            .unwrap(),
        operator_fee
    );
    assert_eq!(
        admin
            .view(c.manager, &Manager::claimableFeesCall { account: treasury })
            .await
            .unwrap(),
        protocol_fee
    );
    let operator = &restaked.operators[0];
    let balance = admin.balance(paid).await.unwrap();
    let (claimed, sent) = transact(operator, c.manager, U256::ZERO, &Manager::claimFeesCall {})
        .await
        .unwrap();
    assert_eq!(claimed, operator_fee);
    assert_eq!(
        admin.balance(paid).await.unwrap() + sent.gas_fee,
        balance + operator_fee
    );
    refused(
        operator
            .send(c.manager, U256::ZERO, &Manager::claimFeesCall {})
            .await,
        "ManagerZeroAmount",
    );
    assert_eq!(treasury, admin.from(), "the local network's treasury");
    let (claimed, _) = transact(admin, c.manager, U256::ZERO, &Manager::claimFeesCall {})
        .await
        .unwrap();
    assert_eq!(claimed, protocol_fee);
}
