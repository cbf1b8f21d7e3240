//! Integration from Solidity: two integrator contracts written here against the golden ABI
//! (`abi/lrt.sol`) and `OpenZeppelin` from npm, compiled at test time with solc from npm and
//! deployed on the node next to the suite — a router that deposits through ERC-4626 (LST and
//! ETH, with a slippage bound) and requests and claims ERC-7540 redemptions as the user's
//! operator, and a lending market that prices srETH collateral with the LRT's `getRate()`
//! through rewards and a slash, down to a liquidation.

use std::{collections::HashMap, sync::LazyLock};

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    sol,
    sol_types::{SolCall, SolConstructor, SolError},
};
use lsr_deploy::{
    abi::{lrt::ILrt, Erc20, Lrt, Vault},
    flows::{ether, transact, Suite},
    Chain, DeployError, Sent,
};

sol! {
    /// `e2e/solidity/LrtRouter.sol`, as its users call it.
    contract LrtRouter {
        constructor(address lrt_);
        function deposit(uint256 assets, address receiver, uint256 minShares) external returns (uint256 shares);
        function zap(address receiver, uint256 minShares) external payable returns (uint256 shares);
        function requestRedeem(uint256 shares) external returns (uint256 requestId);
        function claimAll(address receiver) external returns (uint256 assets);
        event Routed(address indexed user, address indexed receiver, uint256 assets, uint256 shares);
        error SlippageExceeded(uint256 shares, uint256 minShares);
        error NothingToClaim(address controller);
    }

    /// `e2e/solidity/LrtLendingMarket.sol`, as its users call it.
    contract LrtLendingMarket {
        constructor(address collateral_, address rateProvider_, uint256 ltvBps_, uint256 liquidationBps_);
        function collateralValue(address user) external view returns (uint256);
        function borrowLimit(address user) external view returns (uint256);
        function isLiquidatable(address user) external view returns (bool);
        function debtOf(address user) external view returns (uint256);
        function collateralOf(address user) external view returns (uint256);
        function supply(uint256 shares) external;
        function borrow(uint256 amount) external;
        function liquidate(address user) external payable;
        event Liquidated(address indexed user, address indexed liquidator, uint256 debt, uint256 shares);
        error BorrowLimitExceeded(uint256 debt, uint256 limit);
        error PositionHealthy(uint256 debt, uint256 threshold);
    }
}

use LrtLendingMarket as Market;

const SOURCES: [&str; 2] = [
    "e2e/solidity/LrtRouter.sol",
    "e2e/solidity/LrtLendingMarket.sol",
];
const LTV_BPS: u64 = 8_000;
const LIQUIDATION_BPS: u64 = 8_200;

/// The integrator contracts' creation code by name, compiled once per test binary.
static COMPILED: LazyLock<HashMap<String, Bytes>> =
    LazyLock::new(|| e2e::compile_solidity(&SOURCES));

/// Deploys the compiled contract `name` with `args` (its ABI-encoded constructor arguments).
async fn create(
    chain: &Chain,
    name: &str,
    args: Vec<u8>,
    value: U256,
) -> Result<Address, DeployError> {
    let code = COMPILED
        .get(name)
        .unwrap_or_else(|| panic!("{name} compiled"));
    let init: Bytes = [code.as_ref(), &args].concat().into();
    chain
        .create(&format!("create {name}"), init, value)
        .await
        .map(|(address, _)| address)
}

/// `user` deposits `assets` LST through `router` for itself, accepting no fewer than
/// `min_shares`.
async fn route(
    user: &Chain,
    router: Address,
    assets: U256,
    min_shares: U256,
) -> Result<Sent, DeployError> {
    let call = LrtRouter::depositCall {
        assets,
        receiver: user.from(),
        minShares: min_shares,
    };
    user.send(router, U256::ZERO, &call).await
}

/// A router over `vault`, deployed by the admin.
async fn deploy_router(suite: &Suite, vault: Address) -> Result<Address, DeployError> {
    let args = LrtRouter::constructorCall { lrt_: vault }.abi_encode();
    create(&suite.admin, "LrtRouter", args, U256::ZERO).await
}

/// Asserts that `result` reverted with exactly `error`'s revert data (an integrator's error,
/// which the suite's decoder does not know).
fn assert_reverts_with<T: std::fmt::Debug>(result: Result<T, DeployError>, error: &impl SolError) {
    match result {
        Err(DeployError::Reverted { data, .. }) => assert_eq!(data, error.abi_encode()),
        other => panic!("not a revert: {other:?}"),
    }
}

/// `call`'s answer from `to`, as the admin sees it.
async fn read<C: SolCall>(suite: &Suite, to: Address, call: C) -> C::Return {
    suite.admin.view(to, &call).await.unwrap()
}

#[tokio::test]
async fn a_solidity_router_deposits_lst_and_eth_through_erc4626_with_a_slippage_bound() {
    let (_node, suite) = e2e::suite("solidity-router").await.unwrap();
    let c = suite.contracts;
    let lrt = c.lrt;
    let router = deploy_router(&suite, lrt).await.unwrap();
    // The router's ERC-165 checks refuse a contract that is not an ERC-7540 vault.
    let refused = deploy_router(&suite, c.lst).await;
    assert!(refused.is_err(), "a router over the LST: {refused:?}");

    let alice = suite.actor("alice", ether(20)).await.unwrap();
    let bob = suite.actor("bob", ether(20)).await.unwrap();
    alice
        .send(
            c.vault,
            ether(5),
            &Vault::depositCall {
                receiver: alice.from(),
            },
        )
        .await
        .unwrap();
    alice
        .send(
            c.lst,
            U256::ZERO,
            &Erc20::approveCall {
                spender: router,
                value: ether(3),
            },
        )
        .await
        .unwrap();

    // ERC-4626 through the router: the shares the vault previews, for the receiver.
    let assets = ether(2);
    let preview = read(&suite, lrt, Lrt::previewDepositCall { assets }).await;
    let sent = route(&alice, router, assets, preview).await.unwrap();
    assert_eq!(suite.lrt_of(alice.from()).await.unwrap(), preview);
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), ether(3));
    let deposit = sent
        .event::<ILrt::Deposit>()
        .expect("the LRT's Deposit, from the golden ABI");
    assert_eq!(
        (
            deposit.sender,
            deposit.owner,
            deposit.assets,
            deposit.shares
        ),
        (router, alice.from(), assets, preview)
    );
    let event = sent.event::<LrtRouter::Routed>().unwrap();
    assert_eq!((event.user, event.shares), (alice.from(), preview));

    // A slippage bound above the preview refuses, with nothing moved.
    let assets = ether(1);
    let preview = read(&suite, lrt, Lrt::previewDepositCall { assets }).await;
    let result = route(&alice, router, assets, preview + U256::from(1)).await;
    assert_reverts_with(
        result,
        &LrtRouter::SlippageExceeded {
            shares: preview,
            minShares: preview + U256::from(1),
        },
    );
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), ether(3));

    // The ETH zap: the LST the vault mints for the ETH, priced by the LRT, for Bob.
    let lst = read(
        &suite,
        c.vault,
        Vault::previewDepositCall { assets: ether(4) },
    )
    .await;
    let shares = read(&suite, lrt, Lrt::previewDepositCall { assets: lst }).await;
    bob.send(
        router,
        ether(4),
        &LrtRouter::zapCall {
            receiver: bob.from(),
            minShares: shares,
        },
    )
    .await
    .unwrap();
    assert_eq!(suite.lrt_of(bob.from()).await.unwrap(), shares);
}

/// The suite, the router, and Alice and Bob each with srETH from a 4 ETH zap.
async fn routed() -> (lsr_deploy::local::TestChain, Suite, Address, [Chain; 2]) {
    let (node, suite) = e2e::suite("solidity-redeem").await.unwrap();
    let router = deploy_router(&suite, suite.contracts.lrt).await.unwrap();
    let alice = suite.actor("alice", ether(20)).await.unwrap();
    let bob = suite.actor("bob", ether(20)).await.unwrap();
    for user in [&alice, &bob] {
        user.send(
            router,
            ether(4),
            &LrtRouter::zapCall {
                receiver: user.from(),
                minShares: U256::ZERO,
            },
        )
        .await
        .unwrap();
    }
    (node, suite, router, [alice, bob])
}

#[tokio::test]
async fn a_solidity_router_requests_and_claims_erc7540_redemptions_as_the_users_operator() {
    let (_node, suite, router, [alice, bob]) = routed().await;
    let lrt = suite.contracts.lrt;
    let shares = suite.lrt_of(bob.from()).await.unwrap();

    // ERC-7540: without operator approval, the router would spend Bob's srETH allowance, which
    // is zero: the share token's error passes through the router and is decoded.
    e2e::refused(
        bob.send(router, U256::ZERO, &LrtRouter::requestRedeemCall { shares })
            .await,
        "ERC20InsufficientAllowance",
    );

    // Alice makes the router her operator; it requests for her, she stays the controller.
    alice
        .send(
            lrt,
            U256::ZERO,
            &Lrt::setOperatorCall {
                operator: router,
                approved: true,
            },
        )
        .await
        .unwrap();
    let shares = suite.lrt_of(alice.from()).await.unwrap() / U256::from(2);
    let (id, sent) = transact(
        &alice,
        router,
        U256::ZERO,
        &LrtRouter::requestRedeemCall { shares },
    )
    .await
    .unwrap();
    let request = sent.event::<ILrt::RedeemRequest>().unwrap();
    assert_eq!(
        (
            request.controller,
            request.owner,
            request.requestId,
            request.sender,
            request.shares
        ),
        (alice.from(), alice.from(), id, router, shares)
    );
    let pending = read(
        &suite,
        lrt,
        Lrt::pendingRedeemRequestCall {
            request_id: id,
            controller: alice.from(),
        },
    )
    .await;
    assert_eq!(pending, shares);
    // Nothing is claimable before the keeper fulfils.
    assert_reverts_with(
        alice
            .send(
                router,
                U256::ZERO,
                &LrtRouter::claimAllCall {
                    receiver: alice.from(),
                },
            )
            .await,
        &LrtRouter::NothingToClaim {
            controller: alice.from(),
        },
    );

    suite
        .admin
        .send(lrt, U256::ZERO, &Lrt::fulfillCall { up_to_id: id })
        .await
        .unwrap();
    let payout = read(&suite, lrt, Lrt::redeemRequestCall { request_id: id })
        .await
        ._2;
    let before = suite.lst_of(alice.from()).await.unwrap();
    let (claimed, sent) = transact(
        &alice,
        router,
        U256::ZERO,
        &LrtRouter::claimAllCall {
            receiver: alice.from(),
        },
    )
    .await
    .unwrap();
    assert_eq!(claimed, payout);
    assert_eq!(suite.lst_of(alice.from()).await.unwrap(), before + payout);
    let withdraw = sent.event::<ILrt::Withdraw>().unwrap();
    assert_eq!(
        (
            withdraw.sender,
            withdraw.receiver,
            withdraw.owner,
            withdraw.assets,
            withdraw.shares
        ),
        (router, alice.from(), alice.from(), payout, shares)
    );
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one position's story, told in order
async fn a_solidity_lending_market_prices_lrt_collateral_with_get_rate() {
    let (_node, suite) = e2e::suite("solidity-market").await.unwrap();
    let c = suite.contracts;
    let restaked = suite.restaked("alice", ether(10)).await.unwrap();
    let (operators, alice) = (restaked.operators, restaked.staker);
    let user = alice.from();
    let market = create(
        &suite.admin,
        "LrtLendingMarket",
        Market::constructorCall {
            collateral_: c.lrt_token,
            rateProvider_: c.lrt,
            ltvBps_: U256::from(LTV_BPS),
            liquidationBps_: U256::from(LIQUIDATION_BPS),
        }
        .abi_encode(),
        ether(50),
    )
    .await
    .unwrap();
    let bps = |value: U256, bps: u64| value * U256::from(bps) / U256::from(10_000);

    let shares = suite.lrt_of(alice.from()).await.unwrap();
    alice
        .send(
            c.lrt_token,
            U256::ZERO,
            &Erc20::approveCall {
                spender: market,
                value: shares,
            },
        )
        .await
        .unwrap();
    alice
        .send(market, U256::ZERO, &Market::supplyCall { shares })
        .await
        .unwrap();
    let valued = |rate: U256| shares * rate / ether(1);
    let rate = suite.lrt_rate().await.unwrap();
    assert_eq!(
        read(&suite, market, Market::collateralValueCall { user }).await,
        valued(rate)
    );
    let limit = read(&suite, market, Market::borrowLimitCall { user }).await;
    assert_eq!(limit, bps(valued(rate), LTV_BPS));

    // Borrow up to the limit; one wei more is refused by the market.
    let balance = suite.admin.balance(alice.from()).await.unwrap();
    let sent = alice
        .send(market, U256::ZERO, &Market::borrowCall { amount: limit })
        .await
        .unwrap();
    assert_eq!(
        suite.admin.balance(alice.from()).await.unwrap(),
        balance + limit - sent.gas_fee
    );
    assert_reverts_with(
        alice
            .send(
                market,
                U256::ZERO,
                &Market::borrowCall {
                    amount: U256::from(1),
                },
            )
            .await,
        &Market::BorrowLimitExceeded {
            debt: limit + U256::from(1),
            limit,
        },
    );

    // AVS rewards raise the rate, and the market's limit with it; Alice borrows the room.
    let avs = suite.actor("avs", ether(2)).await.unwrap();
    suite
        .reward(&avs, c.registries[0], operators[0].from(), ether(1))
        .await
        .unwrap();
    let rewarded = suite.lrt_rate().await.unwrap();
    assert!(rewarded > rate, "rewards raise ETH per LRT");
    let limit = read(&suite, market, Market::borrowLimitCall { user }).await;
    assert_eq!(limit, bps(valued(rewarded), LTV_BPS));
    let debt = read(&suite, market, Market::debtOfCall { user }).await;
    alice
        .send(
            market,
            U256::ZERO,
            &Market::borrowCall {
                amount: limit - debt,
            },
        )
        .await
        .unwrap();
    let debt = limit;
    let threshold = bps(valued(rewarded), LIQUIDATION_BPS);
    let bob = suite.actor("bob", ether(30)).await.unwrap();
    assert_reverts_with(
        bob.send(market, debt, &Market::liquidateCall { user: alice.from() })
            .await,
        &Market::PositionHealthy { debt, threshold },
    );

    // Both AVSs slash operator 1 (which holds three quarters of the delegated LST) by 10% of
    // its allocation: ETH per LRT falls by about 4.8%, below the market's 2.4% margin.
    for registry in c.registries {
        let reason = B256::repeat_byte(0x5a);
        let bps = U256::from(1_000);
        suite
            .slash(registry, operators[0].from(), bps, reason)
            .await
            .unwrap();
    }
    let slashed = suite.lrt_rate().await.unwrap();
    assert!(slashed < rewarded, "a slash lowers ETH per LRT");
    assert_eq!(
        read(&suite, market, Market::collateralValueCall { user }).await,
        valued(slashed)
    );
    assert!(debt > bps(valued(slashed), LIQUIDATION_BPS));
    assert!(read(&suite, market, Market::isLiquidatableCall { user }).await);

    // Bob repays the debt and takes the collateral.
    let sent = bob
        .send(market, debt, &Market::liquidateCall { user: alice.from() })
        .await
        .unwrap();
    let liquidated = sent.event::<Market::Liquidated>().unwrap();
    assert_eq!(
        (
            liquidated.user,
            liquidated.liquidator,
            liquidated.debt,
            liquidated.shares
        ),
        (alice.from(), bob.from(), debt, shares)
    );
    assert_eq!(suite.lrt_of(bob.from()).await.unwrap(), shares);
    assert_eq!(
        read(&suite, market, Market::collateralOfCall { user }).await,
        U256::ZERO
    );
    assert_eq!(
        read(&suite, market, Market::debtOfCall { user }).await,
        U256::ZERO
    );
}
