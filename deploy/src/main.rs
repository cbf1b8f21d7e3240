//! `deploy --network <name> [--rpc-url URL] [--wasm-dir target/wasm] [--keystore FILE]`:
//! deploys, wires and verifies the suite (see docs/deploy.md). The key comes from `--keystore`
//! (password from `DEPLOY_KEYSTORE_PASSWORD` or a prompt) or the `PRIVATE_KEY` variable.

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use lsr_deploy::{
    chain::Chain, config::Network, deploy, error::format_eth, key::load_signer, DeployError,
    Options, Report,
};

/// Deploys, wires and verifies the liquid-restaking suite through the `StylusDeployer`.
#[derive(Debug, Parser)]
#[command(name = "deploy", version)]
struct Args {
    /// Network file stem in --networks-dir: local, nitro-devnode, arbitrum-sepolia.
    #[arg(long)]
    network: String,
    /// RPC endpoint (default: the network file's).
    #[arg(long)]
    rpc_url: Option<String>,
    /// Directory of the release wasm built by scripts/build-wasm.sh.
    #[arg(long, default_value = "target/wasm")]
    wasm_dir: PathBuf,
    /// Encrypted JSON keystore of the deployer (instead of `PRIVATE_KEY`).
    #[arg(long)]
    keystore: Option<PathBuf>,
    /// Directory of the network files.
    #[arg(long, default_value = "deploy/networks")]
    networks_dir: PathBuf,
    /// Directory of the addresses files (`<chain-id>.json`).
    #[arg(long, default_value = "deploy/addresses")]
    addresses_dir: PathBuf,
}

fn main() -> ExitCode {
    lsr_deploy::tool::run(run(Args::parse()), |report: Report| {
        let (gas, paid) = report.totals();
        println!(
            "done: {} transactions, gas {gas}, paid {}; {} views verified; addresses in {}",
            report.transactions(),
            format_eth(paid),
            report.verified,
            report.file.display()
        );
    })
}

async fn run(args: Args) -> Result<Report, DeployError> {
    let network = Network::load(&args.networks_dir, &args.network)?;
    let signer = load_signer(args.keystore.as_deref())?;
    let url = args.rpc_url.unwrap_or_else(|| network.rpc_url.clone());
    let chain = Chain::connect(&url, signer)?;
    println!(
        "deploying to {} (chain {}) at {url} from {}",
        network.name,
        network.chain_id,
        chain.from()
    );
    let options = Options {
        network,
        wasm_dir: args.wasm_dir,
        addresses_dir: args.addresses_dir,
    };
    deploy(&chain, &options, &|step| println!("{step}")).await
}
