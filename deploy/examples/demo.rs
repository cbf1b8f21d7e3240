//! The demo's story against a node that supports `evm_increaseTime` (the local node):
//! deploys (or resumes) the suite with the `PRIVATE_KEY` account, tells the story with progress
//! lines and prints the rates, balances and gas per action.
//!
//! ```text
//! PRIVATE_KEY=0x… cargo run --release -p lsr-deploy --example demo -- --rpc-url http://127.0.0.1:8547
//! ```

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use lsr_deploy::{
    chain::Chain, config::Network, error::format_eth, flows::Suite, key::load_signer, story,
    DeployError,
};

/// Deploys the suite and tells the demo's story.
#[derive(Debug, Parser)]
struct Args {
    /// RPC endpoint of a test node.
    #[arg(long)]
    rpc_url: String,
    /// Network file (its chain id must match the node's).
    #[arg(long, default_value = "local")]
    network: String,
    /// Directory of the release wasm.
    #[arg(long, default_value = "target/wasm")]
    wasm_dir: PathBuf,
    /// Directory of the addresses files.
    #[arg(long, default_value = "deploy/addresses")]
    addresses_dir: PathBuf,
}

fn main() -> ExitCode {
    lsr_deploy::tool::run(run(Args::parse()), |()| ())
}

async fn run(args: Args) -> Result<(), DeployError> {
    let network = Network::load(&Network::default_dir(), &args.network)?;
    let admin = Chain::connect(&args.rpc_url, load_signer(None)?)?;
    println!("deploying the suite from {}", admin.from());
    let suite = Suite::deploy(admin, network, &args.wasm_dir, &args.addresses_dir).await?;
    println!(
        "deployed: vault {}, LRT {}",
        suite.contracts.vault, suite.contracts.lrt
    );
    let ending = story::tell(&suite, &|line| println!("{line}")).await?;

    println!(
        "\n{:<28} {:>22} {:>22}",
        "rates", "ETH per LST", "ETH per LRT"
    );
    for (moment, lst, lrt) in &ending.rates {
        println!(
            "{moment:<28} {:>22} {:>22}",
            format_eth(*lst),
            format_eth(*lrt)
        );
    }
    println!(
        "\n{:<12} {:>22} {:>22} {:>22}",
        "holder", "ETH", "LST", "LRT"
    );
    for (name, eth, lst, lrt) in &ending.balances {
        println!(
            "{name:<12} {:>22} {:>22} {:>22}",
            format_eth(*eth),
            format_eth(*lst),
            format_eth(*lrt)
        );
    }
    println!("\n{:<40} {:>10}", "action", "gas");
    let mut total = 0;
    for action in &ending.actions {
        total += action.gas_used;
        println!("{:<40} {:>10}", action.name, action.gas_used);
    }
    println!("{:<40} {total:>10}", "total");
    Ok(())
}
