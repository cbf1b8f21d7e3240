//! LST → ETH through the staking vault's queue: `requestWithdrawal` locks the LST at its value;
//! `finalize` covers only requests made at or before the oracle's last `report` (a younger one
//! is refused by name), pays min(value at request, value now), burns the shares and reserves
//! the ETH; `claim` pays it once; a claim of an unfinalized request is refused by name.

use alloy::primitives::U256;
use e2e::{rate, refused, vault_value, BPS};
use lsr_deploy::abi::vault::IStakingVault::WithdrawalsFinalized;
use lsr_deploy::{
    abi::Vault,
    flows::{ether, transact, Suite},
    Chain,
};

/// Seconds in the vault's 365-day year (the period of `maxAprBps`).
const YEAR: u64 = 365 * 24 * 3_600;

/// `owner` requests the withdrawal of `shares`; checks the record and returns its id and
/// value at request.
async fn request(suite: &Suite, owner: &Chain, shares: U256) -> (U256, U256) {
    let c = suite.contracts;
    let (pooled, supply) = suite.vault_totals().await.unwrap();
    let value = vault_value(shares, pooled, supply);
    let held = suite.lst_of(owner.from()).await.unwrap();
    let (id, _) = transact(
        owner,
        c.vault,
        U256::ZERO,
        &Vault::requestWithdrawalCall { shares },
    )
    .await
    .unwrap();
    let record = suite
        .admin
        .view(c.vault, &Vault::withdrawalRequestCall { id })
        .await
        .unwrap();
    let now = suite.admin.timestamp().await.unwrap();
    assert_eq!(
        (record._0, record._1, record._2, record._3, record._4),
        (owner.from(), shares, value, now, 0)
    );
    assert_eq!(suite.lst_of(owner.from()).await.unwrap(), held - shares);
    (id, value)
}

/// The request's status (0 pending, 1 claimable, 2 claimed) and amount.
async fn status(suite: &Suite, id: U256) -> (u8, U256) {
    let record = suite
        .admin
        .view(suite.contracts.vault, &Vault::withdrawalRequestCall { id })
        .await
        .unwrap();
    (record._4, record._2)
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one flow, checked view by view
async fn the_queue_finalizes_reported_requests_at_the_lower_value_and_pays_each_claim_once() {
    let (_node, suite) = e2e::suite("queue").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    let bob = suite.actor("bob", ether(2)).await.unwrap();
    suite.stake(&alice, ether(10)).await.unwrap();
    suite.stake(&bob, ether(1)).await.unwrap();
    admin
        .send(
            c.vault,
            U256::ZERO,
            &Vault::fundValidatorsCall { amount: ether(5) },
        )
        .await
        .unwrap();

    // A request after the last report (the deployment) cannot be finalized or claimed yet.
    admin.advance(1).await.unwrap();
    let shares = ether(3);
    let (id, at_request) = request(&suite, &alice, shares).await;
    refused(
        admin
            .send(c.vault, U256::ZERO, &Vault::finalizeCall { up_to_id: id })
            .await,
        "VaultRequestTooRecent",
    );
    refused(
        alice
            .send(c.vault, U256::ZERO, &Vault::claimCall { id })
            .await,
        "VaultRequestNotFinalized",
    );

    // The oracle reports a gain within the APR bound (one wei more is refused by name).
    let interval = admin
        .view(c.vault, &Vault::minReportIntervalCall {})
        .await
        .unwrap();
    admin.advance(interval).await.unwrap();
    let now = admin.timestamp().await.unwrap();
    let last = admin
        .view(c.vault, &Vault::lastReportTimestampCall {})
        .await
        .unwrap();
    let at_validators = admin
        .view(c.vault, &Vault::validatorBalanceCall {})
        .await
        .unwrap();
    let apr = admin.view(c.vault, &Vault::maxAprBpsCall {}).await.unwrap();
    let max_gain =
        at_validators * U256::from(apr) * U256::from(now - last) / (BPS * U256::from(YEAR));
    let report = |gain: U256| Vault::reportCall {
        timestamp: now,
        validator_balance: at_validators + gain,
    };
    refused(
        admin
            .send(c.vault, U256::ZERO, &report(max_gain + U256::from(1)))
            .await,
        "VaultGainTooLarge",
    );
    admin
        .send(c.vault, U256::ZERO, &report(max_gain / U256::from(2)))
        .await
        .unwrap();

    // Bob's request comes after the report: finalizing up to it is refused by name.
    admin.advance(1).await.unwrap();
    let (bobs, _) = request(&suite, &bob, ether(1) / U256::from(2)).await;
    refused(
        admin
            .send(c.vault, U256::ZERO, &Vault::finalizeCall { up_to_id: bobs })
            .await,
        "VaultRequestTooRecent",
    );

    // Alice's is finalized at min(value at request, value now): the gain stays in the pool.
    let (pooled, supply) = suite.vault_totals().await.unwrap();
    let now_value = vault_value(shares, pooled, supply);
    assert_eq!(
        admin
            .view(c.vault, &Vault::convertToAssetsCall { shares })
            .await
            .unwrap(),
        now_value
    );
    assert!(now_value > at_request, "the gain raised the value");
    let payout = now_value.min(at_request);
    let buffered = admin
        .view(c.vault, &Vault::bufferedEtherCall {})
        .await
        .unwrap();
    let sent = admin
        .send(c.vault, U256::ZERO, &Vault::finalizeCall { up_to_id: id })
        .await
        .unwrap();
    let events: Vec<_> = sent
        .events_from::<WithdrawalsFinalized>(c.vault)
        .into_iter()
        .map(|e| (e.fromId, e.toId, e.sharesBurned, e.etherReserved))
        .collect();
    assert_eq!(events, [(id, id, shares, payout)]);
    assert_eq!(status(&suite, id).await, (1, payout));
    assert_eq!(status(&suite, bobs).await.0, 0, "bob's stays pending");
    assert_eq!(
        admin
            .view(c.vault, &Vault::reservedEtherCall {})
            .await
            .unwrap(),
        payout
    );
    assert_eq!(
        admin
            .view(c.vault, &Vault::bufferedEtherCall {})
            .await
            .unwrap(),
        buffered - payout
    );
    assert_eq!(
        suite.vault_totals().await.unwrap(),
        (pooled - payout, supply - shares)
    );
    assert_eq!(
        suite.lst_rate().await.unwrap(),
        rate(pooled - payout, supply - shares)
    );

    // Claims: alice's pays once; bob's, not finalized, is refused by name.
    let balance = admin.balance(alice.from()).await.unwrap();
    let sent = alice
        .send(c.vault, U256::ZERO, &Vault::claimCall { id })
        .await
        .unwrap();
    assert_eq!(
        admin.balance(alice.from()).await.unwrap() + sent.gas_fee,
        balance + payout
    );
    assert_eq!(status(&suite, id).await, (2, payout));
    assert_eq!(
        admin
            .view(c.vault, &Vault::reservedEtherCall {})
            .await
            .unwrap(),
        U256::ZERO
    );
    refused(
        alice
            .send(c.vault, U256::ZERO, &Vault::claimCall { id })
            .await,
        "VaultRequestAlreadyClaimed",
    );
    refused(
        bob.send(c.vault, U256::ZERO, &Vault::claimCall { id: bobs })
            .await,
        "VaultRequestNotFinalized",
    );
}
