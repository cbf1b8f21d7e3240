//! The two steps of the wallet story that are not the user's, for a transcript on a test node:
//! the keeper fulfils the LRT's redemptions (`fulfil ID`), and the oracle reports and finalizes
//! the vault's withdrawals (`finalize ID`, moving the clock one report interval first). The key
//! is `PRIVATE_KEY`, an account holding `ALLOCATOR_ROLE` on the LRT and `ORACLE_ROLE` on the
//! vault: with `deploy/networks/local.toml`, the deployer.
//!
//! ```text
//! PRIVATE_KEY=0x… cargo run -p lrt-cli --example roles -- fulfil 1
//! PRIVATE_KEY=0x… cargo run -p lrt-cli --example roles -- finalize 0
//! ```

use std::{path::PathBuf, process::ExitCode};

use alloy::primitives::U256;
use clap::{Parser, Subcommand};
use lsr_deploy::{
    chain::Chain, config::Network, deploy::recorded, error::format_eth, flows::Suite,
    key::load_signer, DeployError,
};

/// The keeper's and the oracle's steps of the wallet story.
#[derive(Debug, Parser)]
struct Args {
    /// RPC endpoint of a test node.
    #[arg(long, default_value = "http://127.0.0.1:8547")]
    rpc_url: String,
    /// Network file the suite was deployed with.
    #[arg(long, default_value = "local")]
    network: String,
    /// Directory of the addresses files.
    #[arg(long, default_value = "deploy/addresses")]
    addresses_dir: PathBuf,
    #[command(subcommand)]
    step: Step,
}

#[derive(Debug, Subcommand)]
enum Step {
    /// The keeper fulfils LRT redemptions up to ID.
    Fulfil {
        /// Last request to fulfil.
        id: u64,
    },
    /// The clock moves one report interval, the oracle reports (no change) and finalizes
    /// withdrawals up to ID.
    Finalize {
        /// Last request to finalize.
        id: u64,
    },
}

fn main() -> ExitCode {
    lsr_deploy::tool::run(run(Args::parse()), |()| ())
}

async fn run(args: Args) -> Result<(), DeployError> {
    let network = Network::load(&Network::default_dir(), &args.network)?;
    let admin = Chain::connect(&args.rpc_url, load_signer(None)?)?;
    let contracts = recorded(&admin, &args.addresses_dir, &network).await?;
    let suite = Suite {
        admin,
        contracts,
        network,
    };
    let done = |what: &str, sent: &lsr_deploy::Sent| {
        println!(
            "{what}: gas {}, fee {} (tx {})",
            sent.gas_used,
            format_eth(sent.gas_fee),
            sent.hash
        );
    };
    match args.step {
        Step::Fulfil { id } => {
            done(
                &format!("keeper fulfils LRT redemptions up to {id}"),
                &suite.fulfil(U256::from(id)).await?,
            );
        }
        Step::Finalize { id } => {
            let (reported, finalized) = suite.report_and_finalize(U256::from(id)).await?;
            done("oracle reports (no change)", &reported);
            done(
                &format!("oracle finalizes withdrawals up to {id}"),
                &finalized,
            );
        }
    }
    Ok(())
}
