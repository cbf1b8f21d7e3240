//! Permit deposit (EIP-2612): alice signs a permit for the LRT with her key (alloy's signer,
//! the EIP-712 domain built from the token's name and checked against its
//! `DOMAIN_SEPARATOR`); a relayer submits it, and alice deposits LST into the LRT without ever
//! sending an approve transaction. An expired permit and a replayed one are refused by name.

use alloy::{
    primitives::{Address, U256},
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::{Eip712Domain, SolStruct},
};
use e2e::refused;
use lsr_deploy::{
    abi::{lrt::ILrt::Deposit, lst::ILstToken::Approval, Erc20, Lrt, Permit as Erc2612},
    flows::{ether, transact, Suite},
};

alloy::sol! {
    /// EIP-2612's signed message.
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// The LST's EIP-712 domain: its name, version "1" (docs/lst-token.md), the chain, its address;
/// checked against the separator the token itself computes.
async fn lst_domain(suite: &Suite) -> Eip712Domain {
    let lst = suite.contracts.lst;
    let name = suite.admin.view(lst, &Erc20::nameCall {}).await.unwrap();
    let chain_id = suite.admin.chain_id().await.unwrap();
    let domain = Eip712Domain::new(
        Some(name.into()),
        Some("1".into()),
        Some(U256::from(chain_id)),
        Some(lst),
        None,
    );
    let separator = suite
        .admin
        .view(lst, &Erc2612::DOMAIN_SEPARATORCall {})
        .await
        .unwrap();
    assert_eq!(
        domain.separator(),
        separator,
        "the domain the token signs with"
    );
    domain
}

/// `owner`'s permit for `spender` to take `value` until `deadline`, signed with its next
/// nonce, as the call anyone may submit.
async fn signed_permit(
    suite: &Suite,
    owner: &PrivateKeySigner,
    spender: Address,
    value: U256,
    deadline: U256,
) -> Erc2612::permitCall {
    let nonce = suite
        .admin
        .view(
            suite.contracts.lst,
            &Erc2612::noncesCall {
                owner: owner.address(),
            },
        )
        .await
        .unwrap();
    let message = Permit {
        owner: owner.address(),
        spender,
        value,
        nonce,
        deadline,
    };
    let hash = message.eip712_signing_hash(&lst_domain(suite).await);
    let signature = owner.sign_hash_sync(&hash).unwrap();
    Erc2612::permitCall {
        owner: owner.address(),
        spender,
        value,
        deadline,
        v: 27 + u8::from(signature.v()),
        r: signature.r().into(),
        s: signature.s().into(),
    }
}

#[tokio::test]
async fn a_signed_permit_replaces_the_approve_transaction_once() {
    let (_node, suite) = e2e::suite("permit").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let alice = suite.actor("alice", ether(11)).await.unwrap();
    let key = suite.actor_signer("alice").unwrap();
    assert_eq!(key.address(), alice.from());
    let relayer = suite.actor("relayer", ether(1)).await.unwrap();
    let lst = suite.stake(&alice, ether(10)).await.unwrap();
    let transactions = admin.nonce(alice.from()).await.unwrap();
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

    // Past its deadline a permit is refused by name.
    let now = U256::from(admin.timestamp().await.unwrap());
    let value = ether(4);
    let expired = signed_permit(&suite, &key, c.lrt, value, now - U256::from(1)).await;
    refused(
        relayer.send(c.lst, U256::ZERO, &expired).await,
        "ERC2612ExpiredSignature",
    );

    // The relayer submits alice's permit: the LRT may now take her LST.
    let permit = signed_permit(&suite, &key, c.lrt, value, now + U256::from(3_600)).await;
    let sent = relayer.send(c.lst, U256::ZERO, &permit).await.unwrap();
    let approvals: Vec<_> = sent
        .events_from::<Approval>(c.lst)
        .into_iter()
        .map(|a| (a.owner, a.spender, a.value))
        .collect();
    assert_eq!(approvals, [(alice.from(), c.lrt, value)]);
    assert_eq!(allowance().await, value);
    assert_eq!(nonce().await, U256::from(1));

    // Alice deposits: her only transaction since staking.
    let preview = admin
        .view(c.lrt, &Lrt::previewDepositCall { assets: value })
        .await
        .unwrap();
    let (shares, sent) = transact(
        &alice,
        c.lrt,
        U256::ZERO,
        &Lrt::depositCall {
            assets: value,
            receiver: alice.from(),
        },
    )
    .await
    .unwrap();
    assert_eq!(shares, preview);
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

    // Replayed, the same signature no longer matches alice's nonce: refused by name.
    refused(
        relayer.send(c.lst, U256::ZERO, &permit).await,
        "ERC2612InvalidSigner",
    );
    assert_eq!(allowance().await, U256::ZERO);
    assert_eq!(nonce().await, U256::from(1));
}
