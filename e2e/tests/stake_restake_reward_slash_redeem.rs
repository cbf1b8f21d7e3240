//! The whole story over JSON-RPC: stake ETH → LST, LST → LRT deposit, ETH zap, delegation to two
//! operators allocated to two AVSs, a validator gain, AVS rewards, a slash, an LRT redemption
//! (request → fulfil → claim) and an LST withdrawal through the vault's queue (request →
//! report → finalize → claim).

use lsr_deploy::{flows::ether, story};

#[tokio::test]
async fn rates_rise_with_gains_and_rewards_fall_with_a_slash_and_claims_pay_out() {
    let (_node, suite) = e2e::suite("story").await.unwrap();
    let ending = story::tell(&suite, &|_| ()).await.unwrap();
    let rate = |moment: &str| {
        ending
            .rates
            .iter()
            .find(|(name, _, _)| name == moment)
            .map(|(_, lst, lrt)| (*lst, *lrt))
            .unwrap_or_else(|| panic!("no rates {moment}"))
    };
    let (lst_staked, lrt_staked) = rate("after staking");
    assert_eq!(lst_staked, ether(1));
    assert_eq!(lrt_staked, ether(1));
    let (lst_gain, lrt_gain) = rate("after the gain");
    assert!(lst_gain > lst_staked, "a gain report raises the LST rate");
    assert!(
        lrt_gain > rate("after restaking").1,
        "and the LRT's ETH rate with it"
    );
    let (lst_rewards, lrt_rewards) = rate("after AVS rewards");
    assert!(lrt_rewards > lrt_gain, "AVS rewards raise the LRT rate");
    let (lst_slash, lrt_slash) = rate("after the slash");
    assert_eq!(
        lst_slash, lst_rewards,
        "a slash moves LST, not the vault's rate"
    );
    assert!(lrt_slash < lrt_rewards, "a slash lowers the LRT rate");
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
