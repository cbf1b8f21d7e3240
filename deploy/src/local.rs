//! The local node served in-process on an ephemeral port (the devnode server library), for the
//! tests and the e2e flows; or the node at `RPC_URL` when that variable is set.

use std::sync::Arc;

use alloy::{
    primitives::{Address, U256},
    signers::local::PrivateKeySigner,
};
use devnode::{
    rpc::{Rpc, RpcConfig},
    server::{Server, ServerConfig},
    NodeConfig, DEV_ACCOUNT, DEV_ACCOUNT_BALANCE, DEV_PRIVATE_KEY,
};

/// Environment variable naming an external node to use instead of an in-process one.
pub const RPC_URL_VAR: &str = "RPC_URL";

/// A node to run against: in-process, or external.
pub enum TestChain {
    /// Served by this process; stops when dropped.
    Local(Server),
    /// At a URL (`RPC_URL`).
    External(String),
}

impl TestChain {
    /// The node at `RPC_URL` if set, else a local node on an ephemeral port with the dev account
    /// holding what the devnode binary gives it (1,000,000 ETH).
    ///
    /// # Panics
    /// When no port can be bound (a broken test machine).
    #[must_use]
    pub fn start() -> Self {
        if let Ok(url) = std::env::var(RPC_URL_VAR) {
            return Self::External(url);
        }
        Self::Local(serve(&[(DEV_ACCOUNT, DEV_ACCOUNT_BALANCE)]))
    }

    /// Its URL.
    #[must_use]
    pub fn url(&self) -> String {
        match self {
            Self::Local(server) => format!("http://{}", server.addr()),
            Self::External(url) => url.clone(),
        }
    }

    /// Whether it runs in this process (a fresh chain).
    #[must_use]
    pub fn is_local(&self) -> bool {
        matches!(self, Self::Local(_))
    }
}

/// Serves a fresh local chain (one block per transaction) with `genesis` funded.
///
/// # Panics
/// When no port can be bound.
#[must_use]
pub fn serve(genesis: &[(Address, U256)]) -> Server {
    serve_engine(genesis).1
}

/// As [`serve`], and the engine behind the server too (for tools that read what the node
/// recorded of a transaction, [`Rpc::receipt`]).
///
/// # Panics
/// When no port can be bound.
#[must_use]
pub fn serve_engine(genesis: &[(Address, U256)]) -> (Arc<Rpc>, Server) {
    let rpc = Arc::new(Rpc::new(&RpcConfig {
        node: NodeConfig::default(),
        genesis: genesis.to_vec(),
        automine: true,
        log: false,
    }));
    let server = Server::start(Arc::clone(&rpc), &ServerConfig::ephemeral())
        .expect("an ephemeral port on 127.0.0.1 can be bound");
    (rpc, server)
}

/// The signer of the Nitro devnode's published dev account (devnode tooling only).
///
/// # Panics
/// Never: the published key parses.
#[must_use]
pub fn dev_signer() -> PrivateKeySigner {
    DEV_PRIVATE_KEY
        .parse()
        .expect("the published dev key parses (reason: a constant)")
}
