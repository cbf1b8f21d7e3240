//! The demo's story on a deployed suite: stake, restake through the LRT (LST deposit and ETH
//! zap), two operators and two AVSs, a validator gain, AVS rewards, a slash, an LRT redemption
//! and an LST withdrawal through the vault's queue, each with a progress line; the actions and
//! their gas come back for the final table.

use alloy::primitives::{Address, B256, U256};

use crate::{
    abi::{Allocator, Erc20, Lrt, Manager, Vault},
    chain::Sent,
    error::{format_eth, DeployError},
    flows::{ether, transact, Suite},
};

/// One action of the story.
#[derive(Debug, Clone)]
pub struct Action {
    /// What happened.
    pub name: String,
    /// Gas it used.
    pub gas_used: u64,
}

/// Rates and balances at the end of the story.
#[derive(Debug, Clone)]
pub struct Ending {
    /// Every action in order.
    pub actions: Vec<Action>,
    /// (moment, ETH per LST, ETH per LRT) after each chapter.
    pub rates: Vec<(String, U256, U256)>,
    /// (holder, ETH, LST, LRT) at the end.
    pub balances: Vec<(String, U256, U256, U256)>,
}

struct Teller<'a> {
    suite: &'a Suite,
    log: &'a dyn Fn(&str),
    actions: Vec<Action>,
    rates: Vec<(String, U256, U256)>,
}

impl Teller<'_> {
    fn done(&mut self, name: &str, sent: &Sent) {
        (self.log)(&format!("  {name} (gas {})", sent.gas_used));
        self.actions.push(Action {
            name: name.to_owned(),
            gas_used: sent.gas_used,
        });
    }

    async fn rates(&mut self, moment: &str) -> Result<(), DeployError> {
        let lst = self.suite.lst_rate().await?;
        let lrt = self.suite.lrt_rate().await?;
        (self.log)(&format!(
            "  rates {moment}: {} per LST, {} per LRT",
            format_eth(lst),
            format_eth(lrt)
        ));
        self.rates.push((moment.to_owned(), lst, lrt));
        Ok(())
    }
}

/// Tells the story on `suite` (time moved with `evm_increaseTime`: a test node).
///
/// # Errors
/// The first failing action, decoded.
#[allow(clippy::too_many_lines)] // one story, told in order
pub async fn tell(suite: &Suite, log: &dyn Fn(&str)) -> Result<Ending, DeployError> {
    let c = suite.contracts;
    let admin = &suite.admin;
    let mut t = Teller {
        suite,
        log,
        actions: Vec::new(),
        rates: Vec::new(),
    };
    log("1. Alice stakes 10 ETH for LST; the keeper sends 8 ETH to the validators");
    let alice = suite.actor("alice", ether(20)).await?;
    let bob = suite.actor("bob", ether(20)).await?;
    let avs = suite.actor("avs", ether(5)).await?;
    let sent = alice
        .send(
            c.vault,
            ether(10),
            &Vault::depositCall {
                receiver: alice.from(),
            },
        )
        .await?;
    t.done("stake 10 ETH → LST", &sent);
    let sent = admin
        .send(
            c.vault,
            U256::ZERO,
            &Vault::fundValidatorsCall { amount: ether(8) },
        )
        .await?;
    t.done("fund validators 8 ETH", &sent);
    t.rates("after staking").await?;

    log("2. Two operators register, opt into two AVSs and allocate; the keeper targets them");
    let (operators, steps) = suite.register_operators().await?;
    for (name, sent) in &steps {
        t.done(name, sent);
    }

    log("3. Alice restakes 4 LST; Bob zaps 6 ETH straight into the LRT");
    let sent = alice
        .send(
            c.lst,
            U256::ZERO,
            &Erc20::approveCall {
                spender: c.lrt,
                value: ether(4),
            },
        )
        .await?;
    t.done("approve LST", &sent);
    let sent = alice
        .send(
            c.lrt,
            U256::ZERO,
            &Lrt::depositCall {
                assets: ether(4),
                receiver: alice.from(),
            },
        )
        .await?;
    t.done("deposit 4 LST → LRT", &sent);
    let sent = bob
        .send(
            c.lrt,
            ether(6),
            &Lrt::depositEthCall {
                receiver: bob.from(),
            },
        )
        .await?;
    t.done("zap 6 ETH → LRT", &sent);
    let idle = admin.view(c.allocator, &Allocator::idleCall {}).await?;
    let delegated = idle * U256::from(7) / U256::from(10);
    let sent = admin
        .send(
            c.allocator,
            U256::ZERO,
            &Allocator::delegateCall { assets: delegated },
        )
        .await?;
    t.done("keeper delegates 70% to the operators", &sent);
    t.rates("after restaking").await?;

    log("4. A day passes; the oracle reports a validator gain");
    let sent = suite
        .report_after(24 * 3_600, ether(2) / U256::from(1_000))
        .await?;
    t.done("oracle reports +0.002 ETH", &sent);
    t.rates("after the gain").await?;

    log("5. The first AVS pays 1 ETH of rewards to operator 1");
    let sent = suite
        .reward(&avs, c.registries[0], operators[0].from(), ether(1))
        .await?;
    t.done("AVS rewards 1 ETH", &sent);
    t.rates("after AVS rewards").await?;

    log("6. The second AVS slashes operator 2 by 10% of its allocated stake");
    let (_, sent) = suite
        .slash(
            c.registries[1],
            operators[1].from(),
            U256::from(1_000),
            B256::repeat_byte(0x0d),
        )
        .await?;
    t.done("slash operator 2 (10%)", &sent);
    t.rates("after the slash").await?;

    log("7. Bob redeems a quarter of his LRT: request, fulfilment, claim");
    let shares = suite.lrt_of(bob.from()).await? / U256::from(4);
    let (id, sent) = transact(
        &bob,
        c.lrt,
        U256::ZERO,
        &Lrt::requestRedeemCall {
            shares,
            controller: bob.from(),
            owner: bob.from(),
        },
    )
    .await?;
    t.done("request LRT redemption", &sent);
    let sent = suite.fulfil(id).await?;
    t.done("keeper fulfils", &sent);
    let sent = bob
        .send(
            c.lrt,
            U256::ZERO,
            &Lrt::redeemCall {
                shares,
                receiver: bob.from(),
                controller: bob.from(),
            },
        )
        .await?;
    t.done("claim LST", &sent);

    log("8. Bob turns that LST into ETH through the vault's queue");
    let lst = suite.lst_of(bob.from()).await?;
    let (id, sent) = transact(
        &bob,
        c.vault,
        U256::ZERO,
        &Vault::requestWithdrawalCall { shares: lst },
    )
    .await?;
    t.done("request LST withdrawal", &sent);
    let (reported, finalized) = suite.report_and_finalize(id).await?;
    t.done("oracle reports (no change)", &reported);
    t.done("oracle finalizes", &finalized);
    let sent = bob
        .send(c.vault, U256::ZERO, &Vault::claimCall { id })
        .await?;
    t.done("claim ETH", &sent);

    log("9. Operator 1 claims its fees");
    let sent = operators[0]
        .send(c.manager, U256::ZERO, &Manager::claimFeesCall {})
        .await?;
    t.done("operator claims fees", &sent);
    t.rates("at the end").await?;

    let mut balances = Vec::new();
    for (name, account) in [
        ("alice", alice.from()),
        ("bob", bob.from()),
        ("operator 1", operators[0].from()),
        ("operator 2", operators[1].from()),
        ("treasury", admin.from()),
    ] {
        balances.push(holdings(suite, name, account).await?);
    }
    Ok(Ending {
        actions: t.actions,
        rates: t.rates,
        balances,
    })
}

async fn holdings(
    suite: &Suite,
    name: &str,
    account: Address,
) -> Result<(String, U256, U256, U256), DeployError> {
    Ok((
        name.to_owned(),
        suite.admin.balance(account).await?,
        suite.lst_of(account).await?,
        suite.lrt_of(account).await?,
    ))
}
