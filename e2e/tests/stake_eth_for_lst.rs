//! Stake ETH → LST: a deposit at rate 1 mints as many LST as ETH sent, emits the mint, and the
//! vault buffers the ETH.

use alloy::primitives::{Address, U256};
use lsr_deploy::abi::lst::ILstToken::Transfer;
use lsr_deploy::{abi::Vault, flows::ether};

#[tokio::test]
async fn a_deposit_at_rate_one_mints_one_lst_per_eth() {
    let (_node, suite) = e2e::suite("stake").await.unwrap();
    let c = suite.contracts;
    let alice = suite.actor("alice", ether(10)).await.unwrap();
    assert_eq!(suite.lst_rate().await.unwrap(), ether(1));

    let sent = alice
        .send(
            c.vault,
            ether(5),
            &Vault::depositCall {
                receiver: alice.from(),
            },
        )
        .await
        .unwrap();
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), ether(5));
    assert_eq!(
        suite
            .admin
            .view(c.vault, &Vault::bufferedEtherCall {})
            .await
            .unwrap(),
        ether(5)
    );
    let transfers = sent.events::<Transfer>();
    assert_eq!(transfers.len(), 1);
    assert_eq!(
        (transfers[0].from, transfers[0].to, transfers[0].value),
        (Address::ZERO, alice.from(), ether(5))
    );
    // Alice paid 5 ETH and the gas.
    let balance = suite.admin.balance(alice.from()).await.unwrap();
    assert_eq!(balance + sent.gas_fee, ether(5));
    assert!(sent.gas_used > 0 && sent.gas_fee > U256::ZERO);
}
