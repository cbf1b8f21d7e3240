//! `lrt [--rpc-url URL] [--addresses FILE] [--keystore FILE] [--json] [--wei] [--scan N]
//! <command>`: the wallet CLI (see docs/cli.md). Transactions need a key: `--keystore`
//! (password from `LRT_KEYSTORE_PASSWORD` or a prompt) or `PRIVATE_KEY`; `status ADDRESS` and
//! `rate` need none. Progress goes to stderr, the result to stdout (one JSON object with
//! `--json`); the exit code is 1 on any error, with the reason on stderr.

use std::{path::PathBuf, process::ExitCode};

use alloy::primitives::{Address, U256};
use clap::{Parser, Subcommand};
use lrt_cli::{
    parse_amount,
    wallet::{DEFAULT_RPC_URL, DEFAULT_SCAN},
    CliError, Options, Report, Wallet,
};

/// Wallet for the liquid-restaking suite: stake, restake, redeem, claim, and read balances,
/// queues and rates.
#[derive(Debug, Parser)]
#[command(name = "lrt", version)]
#[allow(clippy::doc_markdown)] // the doc comments are the --help text, printed verbatim
struct Args {
    /// RPC endpoint.
    #[arg(long, global = true, default_value = DEFAULT_RPC_URL)]
    rpc_url: String,
    /// Addresses file written by the deploy tool (default: deploy/addresses/<chain-id>.json,
    /// the chain id read from the node).
    #[arg(long, global = true)]
    addresses: Option<PathBuf>,
    /// Encrypted JSON keystore (instead of PRIVATE_KEY); password from LRT_KEYSTORE_PASSWORD
    /// or a prompt.
    #[arg(long, global = true)]
    keystore: Option<PathBuf>,
    /// Print one JSON object (amounts as decimal strings of wei) instead of words.
    #[arg(long, global = true)]
    json: bool,
    /// Amounts are integer wei instead of ETH units.
    #[arg(long, global = true)]
    wei: bool,
    /// How many of the newest request ids of each queue `status`, `claim` and `claim-eth` read.
    #[arg(long, global = true, default_value_t = DEFAULT_SCAN)]
    scan: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Stake ETH for LST (the staking vault's deposit).
    Stake {
        /// ETH to stake (1.5; with --wei, integer wei).
        amount: String,
    },
    /// Deposit LST into the LRT for LRT (with a signed permit when the allowance is short).
    Deposit {
        /// LST to deposit.
        amount: String,
    },
    /// Zap ETH straight into the LRT (the LRT's depositEth).
    Zap {
        /// ETH to zap.
        amount: String,
    },
    /// Request redemption of LRT (ERC-7540 requestRedeem); prints the request id.
    Redeem {
        /// LRT to redeem.
        amount: String,
    },
    /// Claim a fulfilled LRT redemption as LST, or all claimable ones.
    Claim {
        /// Request id (default: everything claimable).
        id: Option<u64>,
    },
    /// Request withdrawal of LST as ETH from the staking vault; prints the request id.
    WithdrawLst {
        /// LST to withdraw.
        amount: String,
    },
    /// Claim a finalized LST withdrawal as ETH, or all finalized ones.
    ClaimEth {
        /// Request id (default: every finalized one in the scanned window).
        id: Option<u64>,
    },
    /// Balances, their value in ETH, and the pending and claimable requests of both queues.
    Status {
        /// Account (default: the key's).
        address: Option<Address>,
    },
    /// ETH per LST, ETH per LRT, LST per LRT.
    Rate,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let json = args.json;
    let outcome = async move {
        let outcome = run(args).await;
        if let (true, Err(e)) = (json, &outcome) {
            println!("{}", serde_json::json!({ "error": e.to_string() }));
        }
        outcome
    };
    lsr_deploy::tool::run(outcome, |report| {
        if json {
            let text = serde_json::to_string_pretty(&report)
                .expect("a report serializes (reason: plain data, string keys)");
            println!("{text}");
        } else {
            println!("{report}");
        }
    })
}

async fn run(args: Args) -> Result<Report, CliError> {
    let options = Options {
        rpc_url: args.rpc_url,
        addresses: args.addresses,
        keystore: args.keystore,
        scan: args.scan,
    };
    let wei = args.wei;
    let amount = |text: &str| -> Result<U256, CliError> { Ok(parse_amount(text, wei)?) };
    // Amounts are checked before the node is asked anything.
    let signing = !matches!(args.command, Command::Status { .. } | Command::Rate);
    let parsed = match &args.command {
        Command::Stake { amount: a }
        | Command::Deposit { amount: a }
        | Command::Zap { amount: a }
        | Command::Redeem { amount: a }
        | Command::WithdrawLst { amount: a } => amount(a)?,
        _ => U256::ZERO,
    };
    let wallet = Wallet::open(&options, signing).await?;
    match args.command {
        Command::Stake { .. } => wallet.stake(parsed).await,
        Command::Deposit { .. } => wallet.deposit(parsed).await,
        Command::Zap { .. } => wallet.zap(parsed).await,
        Command::Redeem { .. } => wallet.redeem(parsed).await,
        Command::Claim { id } => wallet.claim(id).await,
        Command::WithdrawLst { .. } => wallet.withdraw_lst(parsed).await,
        Command::ClaimEth { id } => wallet.claim_eth(id).await,
        Command::Status { address } => wallet.status(address).await,
        Command::Rate => wallet.rate().await,
    }
}
