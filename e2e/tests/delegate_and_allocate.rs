//! Delegation and allocation: two operators register, opt into both AVS registries and
//! allocate basis points of their pools to them; the keeper sets the allocator's targets and
//! pushes the LRT's LST above the idle buffer to the operators by the target weights. The
//! allocator's, the manager's and each registry's views of the delegated stake per operator
//! and per AVS are the documented formulas over those weights and allocations.

use alloy::primitives::{Address, U256};
use e2e::{backed_value, bps_of, refused, shares_for, BPS};
use lsr_deploy::abi::allocator::ILrtAllocator::Delegated;
use lsr_deploy::{
    abi::{Allocations, Allocator, Lrt, Manager, Registry},
    flows::{ether, ALLOCATION_BPS, BUFFER_BPS, OPERATOR_FEE_BPS, TARGET_WEIGHTS},
    Chain,
};

#[tokio::test]
#[allow(clippy::too_many_lines)] // one flow, checked view by view
async fn lrt_deposits_reach_the_operators_by_the_targets_and_the_avss_by_the_allocations() {
    let (_node, suite) = e2e::suite("delegate").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;

    let (operators, _) = suite.register_operators().await.unwrap();
    let addresses: Vec<Address> = operators.iter().map(Chain::from).collect();
    for (operator, allocation) in addresses.iter().zip(ALLOCATION_BPS) {
        let operator = *operator;
        let info = admin
            .view(c.allocations, &Allocations::operatorInfoCall { operator })
            .await
            .unwrap();
        assert!(info._0, "registered");
        assert_eq!(info._1, OPERATOR_FEE_BPS);
        assert_eq!(info._4, allocation.iter().sum::<u16>(), "allocated bps");
        for (registry, bps) in c.registries.into_iter().zip(allocation) {
            let now = admin
                .view(
                    c.allocations,
                    &Allocations::allocationCall { operator, registry },
                )
                .await
                .unwrap();
            assert_eq!((now._0, now._1, now._2), (bps, 0, 0));
            assert!(admin
                .view(registry, &Registry::isOptedInCall { operator })
                .await
                .unwrap());
        }
    }
    for registry in c.registries {
        let mut members = admin
            .view(
                registry,
                &Registry::operatorsCall {
                    offset: U256::ZERO,
                    limit: U256::from(10),
                },
            )
            .await
            .unwrap();
        members.sort();
        let mut expected = addresses.clone();
        expected.sort();
        assert_eq!(members, expected);
    }
    let targets = admin
        .view(c.allocator, &Allocator::targetsCall {})
        .await
        .unwrap();
    assert_eq!(
        (targets._0, targets._1, targets._2),
        (addresses.clone(), TARGET_WEIGHTS.to_vec(), BUFFER_BPS)
    );

    // Alice's LST enters the LRT; all of it is idle until the keeper delegates.
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    let lst = suite.stake(&alice, ether(10)).await.unwrap();
    suite.deposit_lst(&alice, lst).await.unwrap();
    let total = admin
        .view(c.allocator, &Allocator::totalAssetsCall {})
        .await
        .unwrap();
    assert_eq!(total, lst);
    let buffer = (total * U256::from(BUFFER_BPS)).div_ceil(BPS);
    refused(
        admin
            .send(
                c.allocator,
                U256::ZERO,
                &Allocator::delegateCall {
                    assets: total - buffer + U256::from(1),
                },
            )
            .await,
        "AllocatorBufferBreached",
    );
    let (delegated, sent) = suite.delegate_above_buffer().await.unwrap();
    assert_eq!(delegated, total - buffer);

    // Target i gets ⌊assets × wᵢ / Σw⌋, the first one the remainder too; empty pools price a
    // share at one LST.
    let weights: u16 = TARGET_WEIGHTS.iter().sum();
    let mut parts: Vec<U256> = TARGET_WEIGHTS
        .iter()
        .map(|w| delegated * U256::from(*w) / U256::from(weights))
        .collect();
    let remainder = delegated - parts.iter().copied().sum::<U256>();
    parts[0] += remainder;
    let shares: Vec<U256> = parts
        .iter()
        .map(|part| shares_for(*part, U256::ZERO, U256::ZERO))
        .collect();
    let events: Vec<_> = sent
        .events_from::<Delegated>(c.allocator)
        .into_iter()
        .map(|d| (d.operator, d.assets, d.shares))
        .collect();
    let expected: Vec<_> = (0..2)
        .map(|i| (addresses[i], parts[i], shares[i]))
        .collect();
    assert_eq!(events, expected);

    let mut value = U256::ZERO;
    let mut per_avs = [U256::ZERO; 2];
    for i in 0..2 {
        let operator = addresses[i];
        let pool = admin
            .view(c.manager, &Manager::poolCall { operator })
            .await
            .unwrap();
        assert_eq!(
            (pool._0, pool._1, pool._2),
            (parts[i], shares[i], U256::ZERO)
        );
        let staker = c.allocator;
        assert_eq!(
            admin
                .view(c.manager, &Manager::stakerSharesCall { staker, operator })
                .await
                .unwrap(),
            shares[i]
        );
        let worth = admin
            .view(c.manager, &Manager::stakerValueCall { staker, operator })
            .await
            .unwrap();
        assert_eq!(worth, backed_value(shares[i], parts[i], shares[i]));
        value += worth;
        for (j, registry) in c.registries.into_iter().enumerate() {
            let allocated = bps_of(parts[i], ALLOCATION_BPS[i][j]);
            assert_eq!(
                admin
                    .view(
                        c.manager,
                        &Manager::allocatedStakeCall { operator, registry }
                    )
                    .await
                    .unwrap(),
                allocated,
                "operator {i}, AVS {j}"
            );
            assert_eq!(
                admin
                    .view(registry, &Registry::allocatedStakeCall { operator })
                    .await
                    .unwrap(),
                allocated,
                "AVS {j}'s view of operator {i}"
            );
            per_avs[j] += allocated;
        }
    }
    // Per AVS: what its slashes can reach, from the two allocations.
    assert_eq!(
        per_avs,
        [
            bps_of(parts[0], ALLOCATION_BPS[0][0]) + bps_of(parts[1], ALLOCATION_BPS[1][0]),
            bps_of(parts[0], ALLOCATION_BPS[0][1]) + bps_of(parts[1], ALLOCATION_BPS[1][1]),
        ]
    );
    assert_eq!(suite.lst_of(c.manager).await.unwrap(), delegated);

    // The allocator's books and the LRT's totalAssets.
    let idle = admin
        .view(c.allocator, &Allocator::idleCall {})
        .await
        .unwrap();
    assert_eq!(idle, buffer);
    let mut positions = admin
        .view(c.allocator, &Allocator::positionsCall {})
        .await
        .unwrap();
    positions.sort();
    let mut expected = addresses.clone();
    expected.sort();
    assert_eq!(positions, expected);
    let total = admin
        .view(c.allocator, &Allocator::totalAssetsCall {})
        .await
        .unwrap();
    assert_eq!(total, idle + value);
    assert_eq!(
        admin.view(c.lrt, &Lrt::totalAssetsCall {}).await.unwrap(),
        total
    );
}
