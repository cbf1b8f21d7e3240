//! Pause and unpause: the pauser stops deposits (the revert is decoded as `EnforcedPause`), the
//! admin resumes them.

use alloy::primitives::U256;
use lsr_deploy::{
    abi::{Pausable, Vault},
    flows::ether,
    DeployError,
};

#[tokio::test]
async fn a_paused_vault_refuses_deposits_until_unpaused() {
    let (_node, suite) = e2e::suite("pause").await.unwrap();
    let c = suite.contracts;
    let alice = suite.actor("alice", ether(10)).await.unwrap();
    let deposit = Vault::depositCall {
        receiver: alice.from(),
    };

    suite
        .admin
        .send(c.vault, U256::ZERO, &Pausable::pauseCall {})
        .await
        .unwrap();
    assert!(suite
        .admin
        .view(c.vault, &Pausable::pausedCall {})
        .await
        .unwrap());
    let refused = alice.send(c.vault, ether(1), &deposit).await.unwrap_err();
    match &refused {
        DeployError::Reverted { reason, .. } => {
            assert!(reason.contains("EnforcedPause"), "{reason}");
            assert!(reason.contains("unpause"), "{reason}");
        }
        other => panic!("not a decoded revert: {other}"),
    }
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), U256::ZERO);

    suite
        .admin
        .send(c.vault, U256::ZERO, &Pausable::unpauseCall {})
        .await
        .unwrap();
    alice.send(c.vault, ether(1), &deposit).await.unwrap();
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), ether(1));
}
