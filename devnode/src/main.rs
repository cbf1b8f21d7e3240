//! `devnode`: the local Stylus node behind JSON-RPC on HTTP.
//!
//! ```text
//! cargo run --release -p devnode -- [--host 127.0.0.1] [--port 8547] [--block-time SECONDS]
//! ```
//!
//! Chain id 412,346 (Nitro's devnode), the devnode's public dev account funded, the
//! `StylusDeployer` and the CREATE2 factory in place. One block per transaction unless
//! `--block-time` is given. Ctrl-C (or SIGTERM) stops it.

use std::{
    net::{IpAddr, SocketAddr},
    process::ExitCode,
    sync::{mpsc, Arc},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use devnode::{
    rpc::{Rpc, RpcConfig},
    server::{Server, ServerConfig, DEFAULT_MAX_BODY_BYTES},
    NodeConfig, DEV_ACCOUNT, DEV_ACCOUNT_BALANCE,
};

const USAGE: &str = "usage: devnode [--host ADDR] [--port PORT] [--block-time SECONDS]
  --host ADDR            address to listen on (default 127.0.0.1)
  --port PORT            port to listen on (default 8547; 0 picks a free one)
  --block-time SECONDS   seal a block every SECONDS (default: one block per transaction)";

/// The command line.
struct Args {
    host: IpAddr,
    port: u16,
    block_time: Option<Duration>,
}

/// A command line that cannot be used.
#[derive(Debug, thiserror::Error)]
enum ArgsError {
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("{flag}: {value:?} is not valid ({reason})")]
    BadValue {
        flag: String,
        value: String,
        reason: String,
    },
    #[error("unknown argument {0:?}")]
    Unknown(String),
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, ArgsError> {
    let mut parsed = Args {
        host: IpAddr::from([127, 0, 0, 1]),
        port: 8547,
        block_time: None,
    };
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        if !matches!(flag.as_str(), "--host" | "--port" | "--block-time") {
            return Err(ArgsError::Unknown(flag));
        }
        let value = args
            .next()
            .ok_or_else(|| ArgsError::MissingValue(flag.clone()))?;
        let bad = |reason: String| ArgsError::BadValue {
            flag: flag.clone(),
            value: value.clone(),
            reason,
        };
        match flag.as_str() {
            "--host" => parsed.host = value.parse().map_err(|e| bad(format!("{e}")))?,
            "--port" => parsed.port = value.parse().map_err(|e| bad(format!("{e}")))?,
            _ => {
                let seconds: u64 = value.parse().map_err(|e| bad(format!("{e}")))?;
                if seconds == 0 {
                    return Err(bad("must be at least 1".to_owned()));
                }
                parsed.block_time = Some(Duration::from_secs(seconds));
            }
        }
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let started = Instant::now();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("devnode: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let node = NodeConfig {
        timestamp: now,
        ..NodeConfig::default()
    };
    let rpc = Arc::new(Rpc::new(&RpcConfig {
        node,
        genesis: vec![(DEV_ACCOUNT, DEV_ACCOUNT_BALANCE)],
        automine: args.block_time.is_none(),
        log: true,
    }));
    let config = ServerConfig {
        addr: SocketAddr::new(args.host, args.port),
        block_time: args.block_time,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
    };
    let server = match Server::start(rpc, &config) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("devnode: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (stop, stopped) = mpsc::channel::<()>();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(());
    }) {
        eprintln!("devnode: cannot handle Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    let mining = args.block_time.map_or_else(
        || "one block per transaction".to_owned(),
        |t| format!("a block every {} s", t.as_secs()),
    );
    println!(
        "devnode listening on http://{} (chain id {}, {mining}); dev account {DEV_ACCOUNT} funded; \
         started in {} µs",
        server.addr(),
        node.chain_id,
        started.elapsed().as_micros()
    );
    let _ = stopped.recv();
    server.shutdown();
    println!("devnode stopped");
    ExitCode::SUCCESS
}
