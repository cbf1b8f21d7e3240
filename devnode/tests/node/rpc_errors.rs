//! JSON-RPC error paths: each refused request gets its named error and code, and the node keeps
//! serving afterwards.

use alloy::{
    consensus::{Signed, TxEip1559, TxEnvelope, TxLegacy},
    eips::Encodable2718,
    primitives::{Address, Bytes, Signature, TxKind, U256},
    providers::Provider,
    signers::local::PrivateKeySigner,
};
use devnode::{CHAIN_ID, DEV_ACCOUNT};
use serde_json::{json, Value};

use crate::rpc::{dev_signer, exchange, raw_1559, transfer, TestNode};

/// Sends raw bytes; the JSON-RPC error object.
fn send_raw(node: &TestNode, raw: &Bytes) -> Value {
    node.error("eth_sendRawTransaction", &json!([raw]))
}

fn still_serving(node: &TestNode) {
    assert_eq!(node.result("eth_chainId", &json!([])), json!("0x64aba"));
}

#[test]
fn a_bad_signature_is_an_invalid_sender() {
    let node = TestNode::start();
    let tx = transfer(CHAIN_ID, 0, Address::repeat_byte(1));
    // r = 0 recovers no key.
    let signature = Signature::new(U256::ZERO, U256::from(1), false);
    let raw: Bytes = TxEnvelope::from(Signed::new_unhashed(tx, signature))
        .encoded_2718()
        .into();
    let error = send_raw(&node, &raw);
    assert_eq!(error["code"], json!(-32_000));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid sender"),
        "{error}"
    );
    // Undecodable bytes.
    let error = send_raw(&node, &Bytes::from_static(&[0x02, 0xc0, 0xff]));
    assert!(
        error["message"].as_str().unwrap().starts_with("rlp:"),
        "{error}"
    );
    still_serving(&node);
}

#[test]
fn a_transaction_for_another_chain_is_refused() {
    let node = TestNode::start();
    let raw = raw_1559(transfer(1, 0, Address::repeat_byte(1)), &dev_signer());
    let error = send_raw(&node, &raw);
    assert_eq!(error["code"], json!(-32_000));
    assert_eq!(
        error["message"],
        json!("invalid chain id for signer: have 1 want 412346")
    );
    still_serving(&node);
}

#[test]
fn nonces_must_follow_on() {
    let node = TestNode::start();
    let signer = dev_signer();
    let gap = raw_1559(transfer(CHAIN_ID, 1, Address::repeat_byte(1)), &signer);
    let error = send_raw(&node, &gap);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("nonce too high"),
        "{error}"
    );
    let first = raw_1559(transfer(CHAIN_ID, 0, Address::repeat_byte(1)), &signer);
    node.result("eth_sendRawTransaction", &json!([first]));
    let error = send_raw(&node, &first);
    assert_eq!(error["message"], json!("already known"));
    let reused = raw_1559(transfer(CHAIN_ID, 0, Address::repeat_byte(2)), &signer);
    let error = send_raw(&node, &reused);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("nonce too low"),
        "{error}"
    );
    // The gapped transaction is fine once the gap is filled.
    node.result("eth_sendRawTransaction", &json!([gap]));
    assert_eq!(
        node.result("eth_getTransactionCount", &json!([DEV_ACCOUNT, "latest"])),
        json!("0x2")
    );
}

#[test]
fn a_sender_without_funds_or_below_the_base_fee_is_refused() {
    let node = TestNode::start();
    let poor = PrivateKeySigner::random();
    let raw = raw_1559(transfer(CHAIN_ID, 0, Address::repeat_byte(1)), &poor);
    let error = send_raw(&node, &raw);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("insufficient funds for gas * price + value"),
        "{error}"
    );
    let cheap = TxEip1559 {
        max_fee_per_gas: 1,
        ..transfer(CHAIN_ID, 0, Address::repeat_byte(1))
    };
    let error = send_raw(&node, &raw_1559(cheap, &dev_signer()));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("max fee per gas less than block base fee"),
        "{error}"
    );
    let low_gas = TxEip1559 {
        gas_limit: 20_000,
        ..transfer(CHAIN_ID, 0, Address::repeat_byte(1))
    };
    let error = send_raw(&node, &raw_1559(low_gas, &dev_signer()));
    assert_eq!(error["code"], json!(-32_000), "{error}");
    still_serving(&node);
}

#[test]
fn a_legacy_transaction_without_chain_id_is_accepted() {
    let node = TestNode::start();
    let tx = TxLegacy {
        chain_id: None,
        nonce: 0,
        gas_price: 100_000_000,
        gas_limit: 21_000,
        to: TxKind::Call(Address::repeat_byte(3)),
        value: U256::from(1),
        input: Bytes::new(),
    };
    let raw = crate::rpc::raw_signed(tx, &dev_signer());
    let hash = node.result("eth_sendRawTransaction", &json!([raw]));
    let receipt = node.result("eth_getTransactionReceipt", &json!([hash]));
    assert_eq!(receipt["status"], json!("0x1"));
}

#[test]
fn malformed_and_invalid_requests_get_json_rpc_errors() {
    let node = TestNode::start();
    let cases: [(&[u8], i64); 7] = [
        (b"{not json", -32_700),
        (b"", -32_700),
        (b"[]", -32_600),
        (b"42", -32_600),
        (
            br#"{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}"#,
            -32_600,
        ),
        (br#"{"jsonrpc":"2.0","id":1,"method":7}"#, -32_600),
        (
            br#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xzz"]}"#,
            -32_602,
        ),
    ];
    for (body, code) in cases {
        let (status, answer) = node.post(body);
        assert_eq!(status, 200);
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer["error"]["code"], json!(code), "{answer}");
    }
    let error = node.error("eth_call", &json!([{ "to": Address::ZERO }, "0x5"]));
    assert_eq!(error["code"], json!(-32_000), "{error}");
    still_serving(&node);
}

#[test]
fn an_oversized_body_is_refused_unread() {
    let node = TestNode::start();
    // The test node accepts 64 KiB.
    let (status, body) = node.post(&vec![b' '; 64 * 1024 + 1]);
    assert_eq!(status, 413);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["error"]["code"], json!(-32_600));
    // Announced as larger than the cap: refused before the body is sent.
    let head = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n";
    let url = node.url();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let (status, _) = exchange(addr, head);
    assert_eq!(status, 413);
    still_serving(&node);
}

#[test]
fn only_posts_are_served() {
    let node = TestNode::start();
    let url = node.url();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let (status, body) = exchange(
        addr,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 405);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["error"]["code"], json!(-32_600));
    still_serving(&node);
}

#[tokio::test]
async fn the_provider_sees_named_errors() {
    let node = TestNode::start();
    let provider = node.provider();
    let raw = raw_1559(transfer(1, 0, Address::repeat_byte(1)), &dev_signer());
    let error = provider
        .send_raw_transaction(&raw)
        .await
        .expect_err("wrong chain id");
    assert_eq!(error.as_error_resp().unwrap().code, -32_000);
    assert_eq!(provider.get_block_number().await.unwrap(), 0);
}
