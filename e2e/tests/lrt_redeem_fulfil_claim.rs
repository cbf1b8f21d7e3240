//! LRT redemption (ERC-7540): `requestRedeem` locks shares as pending; a claim before
//! fulfilment is refused by name; the keeper's `fulfill` makes them claimable and pays
//! min(value at request, value now) — the value at request when AVS rewards came in between,
//! the value now when a slash did; `redeem` and `withdraw` claim pro rata (docs/lrt.md), and
//! an operator the controller approved with `setOperator` may claim for it, nobody else.

use alloy::primitives::{Address, B256, U256};
use e2e::{backed_value, refused};
use lsr_deploy::abi::lrt::ILrt::RedeemFulfilled;
use lsr_deploy::abi::lrt::ILrt::RedeemRequest;
use lsr_deploy::abi::lrt::ILrt::Withdraw;
use lsr_deploy::{
    abi::Lrt,
    flows::{ether, transact, Suite},
    Chain,
};

/// `controller`'s (pending, claimable) shares of request `id`.
async fn request_state(suite: &Suite, id: U256, controller: Address) -> (U256, U256) {
    let lrt = suite.contracts.lrt;
    let pending = suite
        .admin
        .view(
            lrt,
            &Lrt::pendingRedeemRequestCall {
                request_id: id,
                controller,
            },
        )
        .await
        .unwrap();
    let claimable = suite
        .admin
        .view(
            lrt,
            &Lrt::claimableRedeemRequestCall {
                request_id: id,
                controller,
            },
        )
        .await
        .unwrap();
    (pending, claimable)
}

/// `owner` requests the redemption of `shares` for itself; checks the request's records and
/// returns its id and value at request.
async fn request(suite: &Suite, owner: &Chain, shares: U256) -> (U256, U256) {
    let c = suite.contracts;
    let (total, supply) = suite.lrt_totals().await.unwrap();
    let value = backed_value(shares, total, supply);
    let held = suite.lrt_of(owner.from()).await.unwrap();
    let locked = suite.lrt_of(c.lrt).await.unwrap();
    let (id, sent) = transact(
        owner,
        c.lrt,
        U256::ZERO,
        &Lrt::requestRedeemCall {
            shares,
            controller: owner.from(),
            owner: owner.from(),
        },
    )
    .await
    .unwrap();
    let events: Vec<_> = sent
        .events_from::<RedeemRequest>(c.lrt)
        .into_iter()
        .map(|e| (e.controller, e.owner, e.requestId, e.sender, e.shares))
        .collect();
    assert_eq!(
        events,
        [(owner.from(), owner.from(), id, owner.from(), shares)]
    );
    let record = suite
        .admin
        .view(c.lrt, &Lrt::redeemRequestCall { request_id: id })
        .await
        .unwrap();
    assert_eq!(
        (record._0, record._1, record._2, record._4),
        (owner.from(), shares, value, false)
    );
    assert_eq!(
        request_state(suite, id, owner.from()).await,
        (shares, U256::ZERO)
    );
    assert_eq!(suite.lrt_of(owner.from()).await.unwrap(), held - shares);
    assert_eq!(suite.lrt_of(c.lrt).await.unwrap(), locked + shares);
    assert_eq!(
        suite.lrt_totals().await.unwrap(),
        (total, supply),
        "a request moves neither"
    );
    (id, value)
}

/// The keeper fulfils up to `id`; checks that it paid `expected` for `shares` of `controller`.
async fn fulfil(suite: &Suite, id: U256, controller: Address, shares: U256, expected: U256) {
    let c = suite.contracts;
    let supply = suite.lrt_totals().await.unwrap().1;
    let (paid, sent) = transact(
        &suite.admin,
        c.lrt,
        U256::ZERO,
        &Lrt::fulfillCall { up_to_id: id },
    )
    .await
    .unwrap();
    assert_eq!(paid, expected);
    let events: Vec<_> = sent
        .events_from::<RedeemFulfilled>(c.lrt)
        .into_iter()
        .map(|e| (e.controller, e.requestId, e.shares, e.assets))
        .collect();
    assert_eq!(events, [(controller, id, shares, expected)]);
    assert_eq!(
        request_state(suite, id, controller).await,
        (U256::ZERO, shares)
    );
    let record = suite
        .admin
        .view(c.lrt, &Lrt::redeemRequestCall { request_id: id })
        .await
        .unwrap();
    assert_eq!((record._2, record._4), (expected, true));
    let admin = &suite.admin;
    let claimable = (
        admin.view(c.lrt, &Lrt::maxRedeemCall { controller }).await,
        admin
            .view(c.lrt, &Lrt::maxWithdrawCall { controller })
            .await,
        admin.view(c.lrt, &Lrt::reservedAssetsCall {}).await,
    );
    assert_eq!(
        (
            claimable.0.unwrap(),
            claimable.1.unwrap(),
            claimable.2.unwrap()
        ),
        (shares, expected, expected)
    );
    assert_eq!(suite.lst_of(c.lrt).await.unwrap(), expected);
    assert_eq!(
        suite.lrt_totals().await.unwrap().1,
        supply - shares,
        "the shares are burned"
    );
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one flow, checked view by view
async fn redemptions_pay_the_lower_of_the_value_at_request_and_now_to_the_controller_or_its_operator(
) {
    let (_node, suite) = e2e::suite("redeem").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let restaked = suite.restaked("alice", ether(10)).await.unwrap();
    let alice = &restaked.staker;
    let operators = &restaked.operators;
    let bob = suite.actor("bob", ether(1)).await.unwrap();
    let carol = suite.actor("carol", ether(1)).await.unwrap();
    let avs = suite.actor("avs", ether(2)).await.unwrap();

    // Request 1, then rewards raise the value of LRT: the request keeps its value at request.
    let shares = ether(1);
    let (id, at_request) = request(&suite, alice, shares).await;
    refused(
        alice
            .send(
                c.lrt,
                U256::ZERO,
                &Lrt::redeemCall {
                    shares,
                    receiver: alice.from(),
                    controller: alice.from(),
                },
            )
            .await,
        "LrtExceededMaxRedeem",
    );
    refused(
        alice
            .send(
                c.lrt,
                U256::ZERO,
                &Lrt::withdrawCall {
                    assets: at_request,
                    receiver: alice.from(),
                    controller: alice.from(),
                },
            )
            .await,
        "LrtExceededMaxWithdraw",
    );
    suite
        .reward(&avs, c.registries[0], operators[0].from(), ether(1))
        .await
        .unwrap();
    let (total, supply) = suite.lrt_totals().await.unwrap();
    let now = backed_value(shares, total, supply);
    assert!(now > at_request, "the rewards raised the value");
    fulfil(&suite, id, alice.from(), shares, now.min(at_request)).await;
    let paid = at_request;

    // Claims: not by a stranger; by an operator alice approves (to any receiver), and by her.
    let half = shares / U256::from(2);
    refused(
        carol
            .send(
                c.lrt,
                U256::ZERO,
                &Lrt::redeemCall {
                    shares: half,
                    receiver: carol.from(),
                    controller: alice.from(),
                },
            )
            .await,
        "LrtNotControllerOrOperator",
    );
    alice
        .send(
            c.lrt,
            U256::ZERO,
            &Lrt::setOperatorCall {
                operator: bob.from(),
                approved: true,
            },
        )
        .await
        .unwrap();
    assert!(admin
        .view(
            c.lrt,
            &Lrt::isOperatorCall {
                controller: alice.from(),
                operator: bob.from(),
            },
        )
        .await
        .unwrap());
    // redeem: claimable LST × shares / claimable shares, rounded down.
    let by_bob = paid * half / shares;
    let (assets, sent) = transact(
        &bob,
        c.lrt,
        U256::ZERO,
        &Lrt::redeemCall {
            shares: half,
            receiver: bob.from(),
            controller: alice.from(),
        },
    )
    .await
    .unwrap();
    assert_eq!(assets, by_bob);
    let events: Vec<_> = sent
        .events_from::<Withdraw>(c.lrt)
        .into_iter()
        .map(|e| (e.sender, e.receiver, e.owner, e.assets, e.shares))
        .collect();
    assert_eq!(
        events,
        [(bob.from(), bob.from(), alice.from(), by_bob, half)]
    );
    assert_eq!(suite.lst_of(bob.from()).await.unwrap(), by_bob);
    // withdraw: shares used = claimable shares × assets / claimable LST, rounded up; all of it.
    let rest = paid - by_bob;
    let left = shares - half;
    let (used, _) = transact(
        alice,
        c.lrt,
        U256::ZERO,
        &Lrt::withdrawCall {
            assets: rest,
            receiver: alice.from(),
            controller: alice.from(),
        },
    )
    .await
    .unwrap();
    assert_eq!(used, (left * rest).div_ceil(rest));
    assert_eq!(used, left);
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), rest);
    assert_eq!(
        admin
            .view(
                c.lrt,
                &Lrt::maxRedeemCall {
                    controller: alice.from()
                }
            )
            .await
            .unwrap(),
        U256::ZERO
    );
    assert_eq!(
        admin
            .view(c.lrt, &Lrt::reservedAssetsCall {})
            .await
            .unwrap(),
        U256::ZERO
    );

    // Request 2, then a slash lowers the value of LRT: the request pays the value now.
    let shares = ether(1) / U256::from(2);
    let (id, at_request) = request(&suite, alice, shares).await;
    suite
        .slash(
            c.registries[1],
            operators[1].from(),
            U256::from(1_000),
            B256::repeat_byte(0x5e),
        )
        .await
        .unwrap();
    let (total, supply) = suite.lrt_totals().await.unwrap();
    let now = backed_value(shares, total, supply);
    assert!(now < at_request, "the slash lowered the value");
    fulfil(&suite, id, alice.from(), shares, now.min(at_request)).await;
    let (assets, _) = transact(
        alice,
        c.lrt,
        U256::ZERO,
        &Lrt::redeemCall {
            shares,
            receiver: alice.from(),
            controller: alice.from(),
        },
    )
    .await
    .unwrap();
    assert_eq!(assets, now, "claiming everything pays exactly what is left");
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), rest + now);
}
