//! The whole story over JSON-RPC: stake ETH → LST, LST → LRT deposit, ETH zap, delegation to two
//! operators allocated to two AVSs, a validator gain, AVS rewards, a slash, an LRT redemption
//! (request → fulfil → claim) and an LST withdrawal through the vault's queue (request →
//! report → finalize → claim).

use lsr_deploy::{flows::ether, story};

#[tokio::test]
async fn rates_rise_with_gains_and_rewards_fall_with_a_slash_and_claims_pay_out() {
    let (_node, suite) = e2e::suite("story").await.unwrap();
    let ending = story::tell(&suite, &|_| ()).await.unwrap();
    // (ETH per LST, ETH per LRT) after a chapter.
    let rates = |moment: &str| {
        let (_, vault, lrt) = ending
            .rates
            .iter()
            .find(|(name, _, _)| name == moment)
            .unwrap_or_else(|| panic!("no rates {moment}"));
        (*vault, *lrt)
    };
    let staked = rates("after staking");
    assert_eq!(staked, (ether(1), ether(1)));
    let restaked = rates("after restaking");
    let gain = rates("after the gain");
    assert!(gain.0 > staked.0, "a gain report raises the LST rate");
    assert!(gain.1 > restaked.1, "and the LRT's ETH rate with it");
    let rewarded = rates("after AVS rewards");
    assert!(rewarded.1 > gain.1, "AVS rewards raise the LRT rate");
    let slashed = rates("after the slash");
    assert_eq!(
        slashed.0, rewarded.0,
        "a slash moves LST, not the vault's rate"
    );
    assert!(slashed.1 < rewarded.1, "a slash lowers the LRT rate");
    let names: Vec<_> = ending.actions.iter().map(|a| a.name.as_str()).collect();
    for action in ["claim LST", "claim ETH", "operator claims fees"] {
        assert!(names.contains(&action), "{action} in {names:?}");
    }
    // Bob redeemed and claimed everything he requested: no LST left, 3/4 of his LRT left.
    let bob = &ending.balances[1];
    assert_eq!(bob.0, "bob");
    assert_eq!(bob.2, alloy::primitives::U256::ZERO);
    assert!(bob.3 > alloy::primitives::U256::ZERO);
}
