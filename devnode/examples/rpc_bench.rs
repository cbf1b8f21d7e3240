//! Measures the JSON-RPC server: signed transfers (`eth_sendRawTransaction`, each mined in its
//! own block) and `eth_getBalance` requests per second through alloy's HTTP provider (one
//! keep-alive connection, requests one after another), on a node served in-process. Run in
//! release:
//!
//! ```text
//! cargo run -p devnode --release --example rpc_bench [COUNT]
//! ```

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use alloy::{
    consensus::{SignableTransaction, TxEip1559, TxEnvelope},
    eips::{eip2930::AccessList, Encodable2718},
    primitives::{Address, Bytes, TxKind, U256},
    providers::{Provider, ProviderBuilder},
    signers::{local::PrivateKeySigner, SignerSync},
};
use devnode::{
    rpc::{Rpc, RpcConfig},
    server::{Server, ServerConfig},
    NodeConfig, CHAIN_ID, DEV_ACCOUNT, DEV_ACCOUNT_BALANCE, DEV_PRIVATE_KEY,
};

/// `count` signed transfers of 1 wei from the dev account, nonces 0, 1, ….
fn signed_transfers(count: u64) -> Vec<Bytes> {
    let signer: PrivateKeySigner = DEV_PRIVATE_KEY.parse().expect("the published key parses");
    (0..count)
        .map(|nonce| {
            let tx = TxEip1559 {
                chain_id: CHAIN_ID,
                nonce,
                gas_limit: 21_000,
                max_fee_per_gas: 1_000_000_000,
                max_priority_fee_per_gas: 0,
                to: TxKind::Call(Address::repeat_byte(0xB0)),
                value: U256::from(1),
                access_list: AccessList::default(),
                input: Bytes::new(),
            };
            let signature = signer
                .sign_hash_sync(&tx.signature_hash())
                .expect("signing cannot fail");
            TxEnvelope::from(tx.into_signed(signature))
                .encoded_2718()
                .into()
        })
        .collect()
}

/// Requests per second and µs per request.
#[expect(
    clippy::cast_precision_loss,
    reason = "a rate: counts are far below 2^52"
)]
fn rate(count: u64, elapsed: Duration) -> (f64, f64) {
    let count = count as f64;
    (
        count / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / count,
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: u64 = std::env::args()
        .nth(1)
        .map_or(2_000, |n| n.parse().expect("COUNT is a number"));
    let rpc = Arc::new(Rpc::new(&RpcConfig {
        node: NodeConfig::default(),
        genesis: vec![(DEV_ACCOUNT, DEV_ACCOUNT_BALANCE)],
        automine: true,
        log: false,
    }));
    let server = Server::start(rpc, &ServerConfig::ephemeral()).expect("an ephemeral port is free");
    let url = format!("http://{}", server.addr());
    let provider = ProviderBuilder::new().connect_http(url.parse().expect("a valid URL"));

    let transfers = signed_transfers(count);
    let start = Instant::now();
    for raw in &transfers {
        let _ = provider
            .send_raw_transaction(raw)
            .await
            .expect("the transfer is accepted")
            .tx_hash();
    }
    let sent = start.elapsed();
    let start = Instant::now();
    for _ in 0..count {
        provider
            .get_balance(DEV_ACCOUNT)
            .await
            .expect("the balance is served");
    }
    let read = start.elapsed();
    let blocks = provider.get_block_number().await.expect("served");
    assert_eq!(blocks, count, "one block per transfer");
    let (per_second, each) = rate(count, sent);
    println!(
        "{count} eth_sendRawTransaction (signed transfers, mined): {per_second:.0} tx/s ({each:.1} µs each)"
    );
    let (per_second, each) = rate(count, read);
    println!("{count} eth_getBalance: {per_second:.0} requests/s ({each:.1} µs each)");
    server.shutdown();
}
