//! Slash during an undelegation: the keeper queues an undelegation of half the LRT's position
//! with an operator; the queued shares stay in the pool and stay slashable. An AVS's slash
//! above the bound is refused by name; one at the bound takes
//! `⌈allocated × bps / 10,000⌉`, and the queued withdrawal's value falls with the pool's stake.
//! Completion waits for the withdrawal delay and pays the reduced value.

use alloy::primitives::{B256, U256};
use e2e::{backed_value, bps_of, refused, BPS};
use lsr_deploy::abi::allocator::ILrtAllocator::UndelegationCompleted;
use lsr_deploy::abi::registry::IAvsRegistry::OperatorSlashed;
use lsr_deploy::{
    abi::{Allocations, Allocator, Manager, Registry},
    flows::{ether, transact, Suite},
};

/// The manager's `pool(operator)`: (stake, shares, queued shares).
async fn pool(suite: &Suite, operator: alloy::primitives::Address) -> (U256, U256, U256) {
    let p = suite
        .admin
        .view(suite.contracts.manager, &Manager::poolCall { operator })
        .await
        .unwrap();
    (p._0, p._1, p._2)
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one flow, checked view by view
async fn a_slash_during_an_undelegation_lowers_its_payout_by_the_slashed_share() {
    let (_node, suite) = e2e::suite("slash").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let restaked = suite.restaked("alice", ether(10)).await.unwrap();
    let [spared, operator] = [restaked.operators[0].from(), restaked.operators[1].from()];
    let registry = c.registries[1];

    // The keeper queues half of the LRT's shares in the operator's pool.
    let held = admin
        .view(
            c.manager,
            &Manager::stakerSharesCall {
                staker: c.allocator,
                operator,
            },
        )
        .await
        .unwrap();
    let shares = held / U256::from(2);
    let (stake, pool_shares, _) = pool(&suite, operator).await;
    let value_at_queue = backed_value(shares, stake, pool_shares);
    let (id, _) = transact(
        admin,
        c.allocator,
        U256::ZERO,
        &Allocator::undelegateCall { operator, shares },
    )
    .await
    .unwrap();
    let queued_at = admin.timestamp().await.unwrap();
    let delay = admin
        .view(c.manager, &Manager::withdrawalDelayCall {})
        .await
        .unwrap();
    let w = admin
        .view(c.manager, &Manager::withdrawalCall { id })
        .await
        .unwrap();
    assert_eq!(
        (w._0, w._1, w._2, w._3, w._4, w._5),
        (
            c.allocator,
            operator,
            shares,
            value_at_queue,
            queued_at + delay,
            false
        )
    );
    assert_eq!(
        admin
            .view(c.manager, &Manager::queuedValueCall { id })
            .await
            .unwrap(),
        value_at_queue
    );
    assert_eq!(pool(&suite, operator).await, (stake, pool_shares, shares));
    assert_eq!(
        admin
            .view(c.allocator, &Allocator::pendingWithdrawalsCall {})
            .await
            .unwrap(),
        [id]
    );

    // Above the bound: refused by name, nothing taken.
    let max_bps = admin
        .view(c.manager, &Manager::maxSlashBpsCall {})
        .await
        .unwrap();
    let reason = B256::repeat_byte(0x5e);
    refused(
        suite
            .slash(
                registry,
                operator,
                U256::from(max_bps) + U256::from(1),
                reason,
            )
            .await,
        "ManagerSlashAboveBound",
    );
    assert_eq!(pool(&suite, operator).await, (stake, pool_shares, shares));

    // At the bound: ⌈allocated × bps / 10,000⌉ of the stake allocated to this AVS.
    let spared_pool = pool(&suite, spared).await;
    let allocated_bps = admin
        .view(
            c.allocations,
            &Allocations::slashableBpsCall { operator, registry },
        )
        .await
        .unwrap();
    let allocated = bps_of(stake, allocated_bps);
    assert_eq!(
        admin
            .view(registry, &Registry::allocatedStakeCall { operator })
            .await
            .unwrap(),
        allocated
    );
    let bps = U256::from(max_bps);
    let taken = (allocated * bps).div_ceil(BPS);
    let recipient = admin
        .view(c.manager, &Manager::slashRecipientCall {})
        .await
        .unwrap();
    let recipient_lst = suite.lst_of(recipient).await.unwrap();
    let (amount, sent) = suite.slash(registry, operator, bps, reason).await.unwrap();
    assert_eq!(amount, taken);
    let events: Vec<_> = sent
        .events_from::<OperatorSlashed>(registry)
        .into_iter()
        .map(|e| (e.operator, e.bps, e.amount, e.reason))
        .collect();
    assert_eq!(events, [(operator, bps, taken, reason)]);
    assert_eq!(
        suite.lst_of(recipient).await.unwrap(),
        recipient_lst + taken
    );
    assert_eq!(
        pool(&suite, operator).await,
        (stake - taken, pool_shares, shares)
    );
    assert_eq!(pool(&suite, spared).await, spared_pool, "another pool");

    // The queued withdrawal bears the slash: min(value at queue, its shares at the new price).
    let reduced = backed_value(shares, stake - taken, pool_shares);
    assert!(reduced < value_at_queue);
    assert_eq!(
        admin
            .view(c.manager, &Manager::queuedValueCall { id })
            .await
            .unwrap(),
        reduced
    );

    // Completion: not before the delay; then the reduced value, into the allocator's idle.
    refused(
        admin
            .send(c.allocator, U256::ZERO, &Allocator::completeCall { id })
            .await,
        "ManagerWithdrawalNotReady",
    );
    admin.advance(delay).await.unwrap();
    let idle = admin
        .view(c.allocator, &Allocator::idleCall {})
        .await
        .unwrap();
    let (paid, sent) = transact(
        admin,
        c.allocator,
        U256::ZERO,
        &Allocator::completeCall { id },
    )
    .await
    .unwrap();
    assert_eq!(paid, reduced);
    let events: Vec<_> = sent
        .events_from::<UndelegationCompleted>(c.allocator)
        .into_iter()
        .map(|e| (e.id, e.assets, e.idle))
        .collect();
    assert_eq!(events, [(id, reduced, idle + reduced)]);
    assert_eq!(
        admin
            .view(c.allocator, &Allocator::idleCall {})
            .await
            .unwrap(),
        idle + reduced
    );
    assert!(
        admin
            .view(c.manager, &Manager::withdrawalCall { id })
            .await
            .unwrap()
            ._5,
        "completed"
    );
    assert_eq!(
        admin
            .view(c.manager, &Manager::queuedValueCall { id })
            .await
            .unwrap(),
        U256::ZERO
    );
    assert_eq!(
        pool(&suite, operator).await,
        (stake - taken - reduced, pool_shares - shares, U256::ZERO)
    );
    assert!(admin
        .view(c.allocator, &Allocator::pendingWithdrawalsCall {})
        .await
        .unwrap()
        .is_empty());
}
