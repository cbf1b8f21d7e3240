//! The benchmark's run: one in-process node, the three suites deployed on it, the nine
//! operations in three rounds per suite, each transaction's gas and floor.

use std::{path::Path, sync::Arc};

use alloy::{
    primitives::{keccak256, Address, U256},
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};
use devnode::{
    arbwasm_cache::{ArbWasmCache, ARB_WASM_CACHE},
    rpc::Rpc,
    server::Server,
    ProgramFrame, DEV_ACCOUNT, DEV_ACCOUNT_BALANCE,
};
use lsr_deploy::{
    abi::{Allocator, Erc20, Lrt, Vault},
    deploy::{deploy, Options, Outcome},
    flows::{ether, TARGET_WEIGHTS},
    local::{dev_signer, serve_engine},
    Chain, Contracts, Network,
};

use crate::{
    baseline::{self, Artifacts, Modular},
    floor::{floor, Floor},
    BenchError,
};

/// The operations, in the order each round runs them.
pub const OPERATIONS: [&str; 9] = [
    "ETH → LST mint",
    "LST transfer",
    "LST → LRT deposit",
    "ETH zap → LRT",
    "LRT transfer",
    "redemption request",
    "fulfilment",
    "claim",
    "oracle report",
];

/// One measured transaction.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Gas used.
    pub gas: u64,
    /// Its floor.
    pub floor: Floor,
    /// Where the gas of each Stylus program call went (none for the baseline).
    pub frames: Vec<ProgramFrame>,
}

/// A suite as the rounds see it: where its contracts are and who acts.
pub struct Side {
    /// "stylus", "solidity" (one-contract baseline) or "modular" (same-design baseline).
    pub name: &'static str,
    /// Every role.
    pub admin: Chain,
    /// Stakes, transfers, deposits.
    pub alice: Chain,
    /// Receives, zaps, redeems.
    pub bob: Chain,
    /// Staking vault.
    pub vault: Address,
    /// LST.
    pub lst: Address,
    /// LRT vault.
    pub lrt: Address,
    /// LRT share token (the LRT itself in the one-contract baseline).
    pub shares: Address,
}

/// The local node in this process: the JSON-RPC server and the engine behind it.
pub struct LocalNode {
    /// The engine (for each transaction's record).
    pub rpc: Arc<Rpc>,
    /// The server (stops when dropped).
    pub server: Server,
}

impl LocalNode {
    /// A fresh chain with the dev account funded, served on an ephemeral port.
    ///
    /// # Panics
    /// When no port can be bound.
    #[must_use]
    pub fn start() -> Self {
        let (rpc, server) = serve_engine(&[(DEV_ACCOUNT, DEV_ACCOUNT_BALANCE)]);
        Self { rpc, server }
    }

    /// Its URL.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Sends `call` from `who` and returns its gas and floor.
    ///
    /// # Errors
    /// A revert or failure, or a transaction the node has no record of.
    pub async fn measure<C: SolCall>(
        &self,
        who: &Chain,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<Measured, BenchError> {
        let sent = who.send(to, value, call).await?;
        let receipt = self
            .rpc
            .receipt(sent.hash)
            .ok_or_else(|| format!("the node has no record of {}", sent.hash))?;
        let floor = floor(&call.abi_encode(), &receipt, &[who.from(), to]);
        Ok(Measured {
            gas: sent.gas_used,
            floor,
            frames: receipt.program_frames,
        })
    }
}

impl Side {
    /// The side `name` with its contracts, acted on by `admin` and two actors funded by it.
    async fn new(
        admin: Chain,
        name: &'static str,
        [vault, lst, lrt, shares]: [Address; 4],
    ) -> Result<Self, BenchError> {
        Ok(Self {
            name,
            alice: actor(&admin, name, "alice").await?,
            bob: actor(&admin, name, "bob").await?,
            admin,
            vault,
            lst,
            lrt,
            shares,
        })
    }
}

/// A funded account named `label` on `side` (key derived from the label).
async fn actor(admin: &Chain, side: &str, label: &str) -> Result<Chain, BenchError> {
    let seed = keccak256(format!("lsr-bench/{side}/{label}"));
    let actor = admin.signing(PrivateKeySigner::from_bytes(&seed)?)?;
    admin.transfer(actor.from(), ether(100)).await?;
    Ok(actor)
}

/// A contract of the Stylus suite: its wasm name, address, code size and activation data fee.
#[derive(Debug, Clone)]
pub struct Program {
    /// Deployment key (`staking-vault`, `avs-registry-0`, …).
    pub name: String,
    /// Where it is.
    pub address: Address,
    /// Activation data fee paid, wei (zero when the same code was already active).
    pub data_fee: U256,
}

/// The Stylus suite deployed by the dev account with the `local` network file.
///
/// # Errors
/// As [`deploy`].
pub async fn deploy_stylus(
    node: &LocalNode,
    wasm_dir: &Path,
    scratch: &Path,
) -> Result<(Side, Contracts, Vec<Program>, Network), BenchError> {
    let admin = Chain::connect(&node.url(), dev_signer())?;
    let network = Network::load(&Network::default_dir(), "local")?;
    let _ = std::fs::remove_dir_all(scratch);
    let options = Options {
        network: network.clone(),
        wasm_dir: wasm_dir.to_owned(),
        addresses_dir: scratch.to_owned(),
    };
    let report = deploy(&admin, &options, &|_| ()).await?;
    let programs = report
        .steps
        .iter()
        .filter_map(|step| match &step.outcome {
            Outcome::Sent { data_fee, .. } => {
                // "deploy KEY at ADDRESS", or "activate KEY" for the two tokens, which their
                // vaults create and the tool then activates.
                let name = &step.name;
                let key = name
                    .strip_prefix("deploy ")
                    .or_else(|| name.strip_prefix("activate "))?
                    .split(" at ")
                    .next()?;
                Some((key.to_owned(), *data_fee))
            }
            Outcome::Skipped => None,
        })
        .filter_map(|(key, data_fee)| {
            let address = address_of(&report.contracts, &key)?;
            Some(Program {
                name: key,
                address,
                data_fee,
            })
        })
        .collect();
    let c = report.contracts;
    let side = Side::new(admin, "stylus", [c.vault, c.lst, c.lrt, c.lrt_token]).await?;
    Ok((side, c, programs, network))
}

/// The address of deployment key `key` in `c`.
fn address_of(c: &Contracts, key: &str) -> Option<Address> {
    Some(match key {
        "staking-vault" => c.vault,
        "lst-token" => c.lst,
        "allocation-manager" => c.allocations,
        "restaking-manager" => c.manager,
        "lrt-allocator" => c.allocator,
        "lrt" => c.lrt,
        "lrt-token" => c.lrt_token,
        "lrt-extension" => c.lrt_extension,
        "staking-vault-extension" => c.vault_extension,
        other => {
            let index: usize = other.strip_prefix("avs-registry-")?.parse().ok()?;
            *c.registries.get(index)?
        }
    })
}

/// The two Solidity baselines deployed by the dev account, each with its own staking vault and
/// LST: the one-contract baseline, and the same-design one (targets and limits from `network`
/// and [`TARGET_WEIGHTS`], as the Stylus suite's).
///
/// # Errors
/// As [`baseline::deploy`] and [`baseline::deploy_modular`].
pub async fn deploy_solidity(
    node: &LocalNode,
    artifacts: &Artifacts,
    network: &Network,
) -> Result<(Side, Side, Modular), BenchError> {
    let admin = Chain::connect(&node.url(), dev_signer())?;
    let interval = network.vault.min_report_interval;
    let b = baseline::deploy(&admin, artifacts, interval).await?;
    let l = &network.lrt;
    let m = baseline::deploy_modular(
        &admin,
        artifacts,
        interval,
        &TARGET_WEIGHTS,
        (l.min_deposit.0, l.deposit_cap.0, l.min_redeem.0),
    )
    .await?;
    let one = Side::new(admin.clone(), "solidity", [b.vault, b.lst, b.lrt, b.lrt]).await?;
    let modular = Side::new(admin, "modular", [m.vault, m.lst, m.lrt, m.shares]).await?;
    Ok((one, modular, m))
}

/// Marks every program at `addresses` cached in `ArbOS` (`ArbWasmCache.cacheProgram`, sent by
/// the chain owner, the dev account).
///
/// # Errors
/// The first failing call.
pub async fn cache_programs(admin: &Chain, addresses: &[Address]) -> Result<(), BenchError> {
    for &addr in addresses {
        admin
            .send(
                ARB_WASM_CACHE,
                U256::ZERO,
                &ArbWasmCache::cacheProgramCall { addr },
            )
            .await?;
    }
    Ok(())
}

/// Moves 70% of the LRT allocator's idle LST to its operators (the keeper's delegation), so
/// the LRT's `totalAssets` has positions behind it as in production. The same-design
/// baseline's allocator has the same `idle()` and `delegate(uint256)`.
///
/// # Errors
/// As [`Chain::send`].
pub async fn delegate(side: &Side, allocator: Address) -> Result<(), BenchError> {
    let idle = side.admin.view(allocator, &Allocator::idleCall {}).await?;
    let assets = idle * U256::from(7) / U256::from(10);
    side.admin
        .send(allocator, U256::ZERO, &Allocator::delegateCall { assets })
        .await?;
    Ok(())
}

/// The first operation (ETH → LST mint) only: the smoke test's round.
///
/// # Errors
/// As [`LocalNode::measure`].
pub async fn mint(node: &LocalNode, side: &Side) -> Result<Measured, BenchError> {
    let alice = &side.alice;
    node.measure(
        alice,
        side.vault,
        ether(10),
        &Vault::depositCall {
            receiver: alice.from(),
        },
    )
    .await
}

/// One round of the nine operations of [`OPERATIONS`] on `side`, with the unmeasured steps
/// between them (an approval, funding validators, time for the report).
///
/// # Errors
/// The first failing step.
#[allow(clippy::too_many_lines)] // one round, in order
pub async fn round(
    node: &LocalNode,
    side: &Side,
    min_report_interval: u64,
) -> Result<Vec<Measured>, BenchError> {
    let (admin, alice, bob) = (&side.admin, &side.alice, &side.bob);
    let zero = U256::ZERO;
    let mut m = vec![mint(node, side).await?];
    m.push(
        node.measure(
            alice,
            side.lst,
            zero,
            &Erc20::transferCall {
                to: bob.from(),
                value: ether(1),
            },
        )
        .await?,
    );
    alice
        .send(
            side.lst,
            zero,
            &Erc20::approveCall {
                spender: side.lrt,
                value: ether(4),
            },
        )
        .await?;
    m.push(
        node.measure(
            alice,
            side.lrt,
            zero,
            &Lrt::depositCall {
                assets: ether(4),
                receiver: alice.from(),
            },
        )
        .await?,
    );
    m.push(
        node.measure(
            bob,
            side.lrt,
            ether(2),
            &Lrt::depositEthCall {
                receiver: bob.from(),
            },
        )
        .await?,
    );
    m.push(
        node.measure(
            alice,
            side.shares,
            zero,
            &Erc20::transferCall {
                to: bob.from(),
                value: ether(1),
            },
        )
        .await?,
    );
    let shares = ether(1) / U256::from(2);
    let request = Lrt::requestRedeemCall {
        shares,
        controller: bob.from(),
        owner: bob.from(),
    };
    let id = bob.simulate(side.lrt, zero, &request).await?;
    m.push(node.measure(bob, side.lrt, zero, &request).await?);
    m.push(
        node.measure(admin, side.lrt, zero, &Lrt::fulfillCall { up_to_id: id })
            .await?,
    );
    m.push(
        node.measure(
            bob,
            side.lrt,
            zero,
            &Lrt::redeemCall {
                shares,
                receiver: bob.from(),
                controller: bob.from(),
            },
        )
        .await?,
    );
    admin
        .send(
            side.vault,
            zero,
            &Vault::fundValidatorsCall { amount: ether(1) },
        )
        .await?;
    admin.advance(min_report_interval).await?;
    let now = admin.timestamp().await?;
    let balance = admin
        .view(side.vault, &Vault::validatorBalanceCall {})
        .await?;
    m.push(
        node.measure(
            admin,
            side.vault,
            zero,
            &Vault::reportCall {
                timestamp: now,
                validator_balance: balance + U256::from(10).pow(U256::from(13)),
            },
        )
        .await?,
    );
    Ok(m)
}
