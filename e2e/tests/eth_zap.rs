//! ETH → LRT in one transaction (`depositEth`): after a validator gain (so ETH per LST is no
//! longer 1), a zap mints exactly the LRT that staking the ETH and depositing the LST mints at
//! the same rates; the user sends one transaction and never holds LST, which the vault mints
//! straight to the allocator.

use alloy::primitives::{Address, U256};
use lsr_deploy::abi::lrt::ILrt::Deposit;
use lsr_deploy::abi::lst::ILstToken::Transfer;
use lsr_deploy::{
    abi::{Allocator, Lrt, Vault},
    flows::{ether, transact, Suite},
};

/// The LST that staking `eth` mints now, and the LRT that depositing that LST mints now.
async fn two_step_preview(suite: &Suite, eth: U256) -> (U256, U256) {
    let c = suite.contracts;
    let lst = suite
        .admin
        .view(c.vault, &Vault::previewDepositCall { assets: eth })
        .await
        .unwrap();
    let shares = suite
        .admin
        .view(c.lrt, &Lrt::previewDepositCall { assets: lst })
        .await
        .unwrap();
    (lst, shares)
}

#[tokio::test]
async fn a_zap_mints_what_staking_then_depositing_mints_at_the_same_rates() {
    let (_node, suite) = e2e::suite("zap").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    // History: an LRT holder, ETH at the validators and a gain, so that neither rate is 1.
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    suite.stake(&alice, ether(10)).await.unwrap();
    suite.deposit_lst(&alice, ether(5)).await.unwrap();
    admin
        .send(
            c.vault,
            U256::ZERO,
            &Vault::fundValidatorsCall { amount: ether(8) },
        )
        .await
        .unwrap();
    suite
        .report_after(24 * 3_600, ether(2) / U256::from(1_000))
        .await
        .unwrap();
    assert!(suite.lst_rate().await.unwrap() > ether(1));

    // At one state: the zap (as a call) and the two transactions of the two-step path.
    let eth = ether(3);
    let bob = suite.actor("bob", ether(4)).await.unwrap();
    let carol = suite.actor("carol", ether(4)).await.unwrap();
    let (lst, shares) = two_step_preview(&suite, eth).await;
    assert!(lst < eth, "an LST is worth more than an ETH after the gain");
    let zap = Lrt::depositEthCall {
        receiver: bob.from(),
    };
    let zapped = bob.simulate(c.lrt, eth, &zap).await.unwrap();
    assert_eq!(zapped, shares);
    assert_eq!(suite.stake(&carol, eth).await.unwrap(), lst);
    assert_eq!(suite.deposit_lst(&carol, lst).await.unwrap(), shares);
    assert_eq!(suite.lrt_of(carol.from()).await.unwrap(), zapped);

    // The zap for real, in one transaction.
    let (lst, shares) = two_step_preview(&suite, eth).await;
    let idle = admin
        .view(c.allocator, &Allocator::idleCall {})
        .await
        .unwrap();
    let balance = admin.balance(bob.from()).await.unwrap();
    let nonce = admin.nonce(bob.from()).await.unwrap();
    let (minted, sent) = transact(&bob, c.lrt, eth, &zap).await.unwrap();
    assert_eq!(minted, shares);
    assert_eq!(suite.lrt_of(bob.from()).await.unwrap(), shares);
    assert_eq!(suite.lst_of(bob.from()).await.unwrap(), U256::ZERO);
    assert_eq!(admin.nonce(bob.from()).await.unwrap(), nonce + 1);
    assert_eq!(
        admin.balance(bob.from()).await.unwrap() + eth + sent.gas_fee,
        balance
    );
    assert_eq!(
        admin
            .view(c.allocator, &Allocator::idleCall {})
            .await
            .unwrap(),
        idle + lst
    );
    let mints: Vec<_> = sent
        .events_from::<Transfer>(c.lst)
        .into_iter()
        .map(|t| (t.from, t.to, t.value))
        .collect();
    assert_eq!(mints, [(Address::ZERO, c.allocator, lst)]);
    let deposits: Vec<_> = sent
        .events_from::<Deposit>(c.lrt)
        .into_iter()
        .map(|d| (d.sender, d.owner, d.assets, d.shares))
        .collect();
    assert_eq!(deposits, [(bob.from(), bob.from(), lst, shares)]);
}
