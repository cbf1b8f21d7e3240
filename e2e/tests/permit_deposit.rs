//! Permit deposit (EIP-2612): alice signs a permit of her LST for the LRT
//! (`Chain::sign_permit`: the EIP-712 domain built from the token's name and checked against
//! its `DOMAIN_SEPARATOR`) and deposits with the LRT's `depositWithPermit`, in one transaction
//! and without an approve. A permit a relayer submitted first still lets her deposit; an
//! expired permit and a replayed one are refused by name.

use alloy::primitives::U256;
use e2e::refused;
use lsr_deploy::{
    abi::{lrt::ILrt::Deposit, lst::ILstToken::Approval, Lrt, Permit as Erc2612},
    chain::with_permit,
    flows::{ether, transact},
};

#[tokio::test]
async fn a_signed_permit_replaces_the_approve_transaction_once() {
    let (_node, suite) = e2e::suite("permit").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    let relayer = suite.actor("relayer", ether(1)).await.unwrap();
    let lst = suite.stake(&alice, ether(10)).await.unwrap();
    let allowance = || async { suite.lst_allowance(alice.from(), c.lrt).await.unwrap() };
    let nonce = || async {
        admin
            .view(
                c.lst,
                &Erc2612::noncesCall {
                    owner: alice.from(),
                },
            )
            .await
            .unwrap()
    };

    // Past its deadline a permit is refused by name, the LST's error passed on by the LRT.
    let now = U256::from(admin.timestamp().await.unwrap());
    let value = ether(4);
    let expired = alice
        .sign_permit(c.lst, c.lrt, value, now - U256::from(1))
        .await
        .unwrap();
    refused(
        alice
            .send(c.lrt, U256::ZERO, &with_permit(&expired, alice.from()))
            .await,
        "ERC2612ExpiredSignature",
    );

    // Alice deposits with a signed permit: one transaction, no approve.
    let transactions = admin.nonce(alice.from()).await.unwrap();
    let deadline = now + U256::from(3_600);
    let permit = alice
        .sign_permit(c.lst, c.lrt, value, deadline)
        .await
        .unwrap();
    let preview = admin
        .view(c.lrt, &Lrt::previewDepositCall { assets: value })
        .await
        .unwrap();
    let (shares, sent) = transact(
        &alice,
        c.lrt,
        U256::ZERO,
        &with_permit(&permit, alice.from()),
    )
    .await
    .unwrap();
    assert_eq!(shares, preview);
    let approvals: Vec<_> = sent
        .events_from::<Approval>(c.lst)
        .into_iter()
        .map(|a| (a.owner, a.spender, a.value))
        .collect();
    assert_eq!(approvals, [(alice.from(), c.lrt, value)]);
    let deposits: Vec<_> = sent
        .events_from::<Deposit>(c.lrt)
        .into_iter()
        .map(|d| (d.sender, d.owner, d.assets, d.shares))
        .collect();
    assert_eq!(deposits, [(alice.from(), alice.from(), value, shares)]);
    assert_eq!(admin.nonce(alice.from()).await.unwrap(), transactions + 1);
    assert_eq!(suite.lrt_of(alice.from()).await.unwrap(), shares);
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), lst - value);
    assert_eq!(allowance().await, U256::ZERO, "the deposit spent it");
    assert_eq!(nonce().await, U256::from(1));

    // A relayer (or a front-runner) submits alice's next permit first: her deposit with it
    // still goes through, on the allowance the permit set.
    let second = alice
        .sign_permit(c.lst, c.lrt, ether(2), deadline)
        .await
        .unwrap();
    relayer.send(c.lst, U256::ZERO, &second).await.unwrap();
    assert_eq!(allowance().await, ether(2));
    let (more, _) = transact(
        &alice,
        c.lrt,
        U256::ZERO,
        &with_permit(&second, alice.from()),
    )
    .await
    .unwrap();
    assert_eq!(suite.lrt_of(alice.from()).await.unwrap(), shares + more);
    assert_eq!(allowance().await, U256::ZERO);

    // Replayed once spent, the signature no longer matches alice's nonce and no allowance is
    // left: refused by name, on the token and through the LRT.
    refused(
        relayer.send(c.lst, U256::ZERO, &second).await,
        "ERC2612InvalidSigner",
    );
    refused(
        alice
            .send(c.lrt, U256::ZERO, &with_permit(&second, alice.from()))
            .await,
        "ERC2612InvalidSigner",
    );
    assert_eq!(nonce().await, U256::from(2));
}
