//! LST → LRT (ERC-4626): without an approval the LRT cannot pull the LST; after `approve`,
//! `deposit` mints `previewDeposit` shares, and `mint` takes `previewMint` LST, both equal to
//! the documented formulas (docs/lrt.md); each emits `Deposit`, moves the LST to the allocator
//! and raises `totalAssets` by exactly the LST taken.

use alloy::primitives::U256;
use e2e::{cost_of, refused, shares_for};
use lsr_deploy::abi::lrt::ILrt::Deposit;
use lsr_deploy::{
    abi::{Allocator, Erc20, Lrt},
    flows::{ether, transact, Suite},
    Chain,
};

/// `owner` lets the LRT take `value` of its LST (an `approve` transaction).
async fn approve(suite: &Suite, owner: &Chain, value: U256) {
    owner
        .send(
            suite.contracts.lst,
            U256::ZERO,
            &Erc20::approveCall {
                spender: suite.contracts.lrt,
                value,
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_deposit_after_an_approval_mints_the_previewed_shares_and_moves_the_lst_to_the_allocator()
{
    let (_node, suite) = e2e::suite("lst-to-lrt").await.unwrap();
    let c = suite.contracts;
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    let alice_lst = suite.stake(&alice, ether(10)).await.unwrap();

    // Deposit: no approval, no deposit.
    let assets = ether(4);
    let deposit = Lrt::depositCall {
        assets,
        receiver: alice.from(),
    };
    refused(
        alice.send(c.lrt, U256::ZERO, &deposit).await,
        "ERC20InsufficientAllowance",
    );
    approve(&suite, &alice, assets).await;
    let (total, supply) = suite.lrt_totals().await.unwrap();
    let preview = alice
        .view(c.lrt, &Lrt::previewDepositCall { assets })
        .await
        .unwrap();
    assert_eq!(preview, shares_for(assets, total, supply));
    let (shares, sent) = transact(&alice, c.lrt, U256::ZERO, &deposit).await.unwrap();
    assert_eq!(shares, preview, "deposit mints what previewDeposit said");
    let events = sent.events_from::<Deposit>(c.lrt);
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].sender, events[0].owner, events[0].assets),
        (alice.from(), alice.from(), assets)
    );
    assert_eq!(events[0].shares, shares);
    assert_eq!(suite.lrt_of(alice.from()).await.unwrap(), shares);
    assert_eq!(
        suite.lst_of(alice.from()).await.unwrap(),
        alice_lst - assets
    );
    assert_eq!(suite.lst_of(c.allocator).await.unwrap(), assets);
    assert_eq!(
        suite.lst_allowance(alice.from(), c.lrt).await.unwrap(),
        U256::ZERO,
        "the deposit spent the approval"
    );
    assert_eq!(
        suite.lrt_totals().await.unwrap(),
        (total + assets, supply + shares)
    );
    assert_eq!(
        alice
            .view(c.lrt_token, &Erc20::totalSupplyCall {})
            .await
            .unwrap(),
        supply + shares
    );
    assert_eq!(
        alice
            .view(c.allocator, &Allocator::idleCall {})
            .await
            .unwrap(),
        total + assets
    );
}

#[tokio::test]
async fn a_mint_takes_the_previewed_lst_rounded_up() {
    let (_node, suite) = e2e::suite("lst-to-lrt-mint").await.unwrap();
    let c = suite.contracts;
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    let bob = suite.actor("bob", ether(11)).await.unwrap();
    suite.stake(&alice, ether(10)).await.unwrap();
    suite.deposit_lst(&alice, ether(4)).await.unwrap();
    let bob_lst = suite.stake(&bob, ether(10)).await.unwrap();

    // Mint: an exact number of shares for the LST they cost, rounded up.
    let minted = ether(3);
    let (total, supply) = suite.lrt_totals().await.unwrap();
    let cost = bob
        .view(c.lrt, &Lrt::previewMintCall { shares: minted })
        .await
        .unwrap();
    assert_eq!(cost, cost_of(minted, total, supply));
    approve(&suite, &bob, cost).await;
    let (paid, sent) = transact(
        &bob,
        c.lrt,
        U256::ZERO,
        &Lrt::mintCall {
            shares: minted,
            receiver: bob.from(),
        },
    )
    .await
    .unwrap();
    assert_eq!(paid, cost, "mint takes what previewMint said");
    let events = sent.events_from::<Deposit>(c.lrt);
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].sender,
            events[0].owner,
            events[0].assets,
            events[0].shares
        ),
        (bob.from(), bob.from(), cost, minted)
    );
    assert_eq!(suite.lrt_of(bob.from()).await.unwrap(), minted);
    assert_eq!(suite.lst_of(bob.from()).await.unwrap(), bob_lst - cost);
    assert_eq!(suite.lst_of(c.allocator).await.unwrap(), total + cost);
    assert_eq!(
        suite.lrt_totals().await.unwrap(),
        (total + cost, supply + minted)
    );
    // Rounding favours the protocol: the minted shares are worth at most what they cost.
    let worth = bob
        .view(c.lrt, &Lrt::convertToAssetsCall { shares: minted })
        .await
        .unwrap();
    assert!(worth <= cost, "{worth} > {cost}");
}
