//! The HTTP side of the devnode: JSON-RPC over HTTP POST on one listener ([`tiny_http`]),
//! an optional block timer, and a clean stop.
//!
//! Requests are answered by one thread in arrival order (the engine answers one request at a
//! time anyway). A body above [`ServerConfig::max_body_bytes`] is refused with HTTP 413 and a
//! JSON-RPC error without being read; the server keeps serving.

use std::{
    io::Read,
    net::SocketAddr,
    sync::{mpsc, Arc},
    thread::{self, JoinHandle},
    time::Duration,
};

use tiny_http::{Header, Method, Response, StatusCode};

use crate::rpc::{error_body, Rpc, RpcError};

/// Default cap on a request body (cargo-stylus sends ~33 KB for a 24 KB program, hex-encoded
/// twice over in a deployment).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (port 0: any free port).
    pub addr: SocketAddr,
    /// Seal a block this often (interval mining); `None` mines one block per transaction.
    pub block_time: Option<Duration>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
}

impl ServerConfig {
    /// 127.0.0.1 on any free port, one block per transaction, the default body limit: the
    /// in-process node of tests, tools and benchmarks.
    #[must_use]
    pub fn ephemeral() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            block_time: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The reason.
        reason: String,
    },
    /// The listener has no IP address (a Unix socket).
    #[error("the listener has no IP address")]
    NoAddress,
    /// A server thread could not be started.
    #[error("cannot start the {name} thread: {reason}")]
    Thread {
        /// Which thread.
        name: &'static str,
        /// The reason.
        reason: String,
    },
}

/// A running server; [`Server::shutdown`] (or dropping it) stops it.
pub struct Server {
    addr: SocketAddr,
    http: Arc<tiny_http::Server>,
    worker: Option<JoinHandle<()>>,
    miner: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Server {
    /// Starts serving `rpc`.
    ///
    /// # Errors
    /// [`ServerError::Bind`] when the address cannot be bound, [`ServerError::Thread`] when a
    /// thread cannot be started.
    pub fn start(rpc: Arc<Rpc>, config: &ServerConfig) -> Result<Self, ServerError> {
        let http = tiny_http::Server::http(config.addr).map_err(|e| ServerError::Bind {
            addr: config.addr,
            reason: e.to_string(),
        })?;
        let addr = http.server_addr().to_ip().ok_or(ServerError::NoAddress)?;
        let http = Arc::new(http);
        let worker = {
            let http = Arc::clone(&http);
            let rpc = Arc::clone(&rpc);
            let max = config.max_body_bytes;
            thread::Builder::new()
                .name("devnode-http".into())
                .spawn(move || {
                    for request in http.incoming_requests() {
                        serve(&rpc, request, max);
                    }
                })
                .map_err(|e| ServerError::Thread {
                    name: "devnode-http",
                    reason: e.to_string(),
                })?
        };
        let miner = match config.block_time {
            Some(interval) => {
                let (stop, stopped) = mpsc::channel::<()>();
                let handle = thread::Builder::new()
                    .name("devnode-miner".into())
                    .spawn(move || {
                        while let Err(mpsc::RecvTimeoutError::Timeout) =
                            stopped.recv_timeout(interval)
                        {
                            rpc.mine();
                        }
                    })
                    .map_err(|e| ServerError::Thread {
                        name: "devnode-miner",
                        reason: e.to_string(),
                    })?;
                Some((stop, handle))
            }
            None => None,
        };
        Ok(Self {
            addr,
            http,
            worker: Some(worker),
            miner,
        })
    }

    /// The address it listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests, lets the one in progress finish, stops the block timer.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.http.unblock();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        if let Some((stop, handle)) = self.miner.take() {
            drop(stop);
            let _ = handle.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn json_response(status: u16, body: String) -> Response<std::io::Cursor<Vec<u8>>> {
    let content_type = Header::from_bytes("Content-Type", "application/json")
        .expect("a constant header (reason: it is valid ASCII)");
    Response::from_string(body)
        .with_status_code(StatusCode(status))
        .with_header(content_type)
}

/// Answers one HTTP request. Failures to write a response mean the client left: nothing to do.
fn serve(rpc: &Rpc, mut request: tiny_http::Request, max_body_bytes: usize) {
    if *request.method() != Method::Post {
        let body = error_body(&RpcError::InvalidRequest(
            "JSON-RPC requests are HTTP POSTs".to_owned(),
        ));
        let _ = request.respond(json_response(405, body));
        return;
    }
    if request
        .body_length()
        .is_some_and(|len| len > max_body_bytes)
    {
        let body = error_body(&RpcError::BodyTooLarge(max_body_bytes));
        let _ = request.respond(json_response(413, body));
        return;
    }
    let mut body = Vec::new();
    let limit = u64::try_from(max_body_bytes).unwrap_or(u64::MAX) + 1;
    if let Err(e) = request.as_reader().take(limit).read_to_end(&mut body) {
        let body = error_body(&RpcError::InvalidRequest(format!("reading the body: {e}")));
        let _ = request.respond(json_response(400, body));
        return;
    }
    if body.len() > max_body_bytes {
        let body = error_body(&RpcError::BodyTooLarge(max_body_bytes));
        let _ = request.respond(json_response(413, body));
        return;
    }
    let response = match rpc.handle(&body) {
        Some(answer) => json_response(200, answer),
        None => json_response(200, String::new()),
    };
    let _ = request.respond(response);
}
