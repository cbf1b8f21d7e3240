//! JSON-RPC conformance: a devnode served in-process on an ephemeral port, driven by alloy's
//! HTTP provider and wallet (so every answer must also deserialize into alloy's types), and by
//! raw JSON where the shape itself is the point.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    sync::Arc,
};

use alloy::{
    consensus::{SignableTransaction, Signed, TxEip1559, TxEnvelope},
    eips::{eip2930::AccessList, Encodable2718},
    network::{EthereumWallet, TransactionBuilder},
    primitives::{keccak256, Address, Bytes, Signature, TxKind, B256, U256},
    providers::{Provider, ProviderBuilder},
    rpc::types::{
        state::{AccountOverride, StateOverride},
        BlockNumberOrTag, Filter, TransactionReceipt, TransactionRequest,
    },
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::{SolEvent, SolValue},
};
use devnode::{
    deployer::{StylusDeployer, CREATE2_FACTORY, STYLUS_DEPLOYER},
    rpc::{Rpc, RpcConfig},
    server::{Server, ServerConfig},
    NodeConfig, CHAIN_ID, DEV_ACCOUNT, DEV_PRIVATE_KEY,
};
use serde_json::{json, Value};

use crate::support::{ether, evm_init_code, op, program, stylus_code};

/// A devnode on an ephemeral port with the dev account funded with 1,000 ether.
pub struct TestNode {
    server: Server,
}

impl TestNode {
    /// One block per transaction.
    pub fn start() -> Self {
        Self::with_automine(true)
    }

    /// With automining on or off (off: blocks only on `evm_mine`).
    pub fn with_automine(automine: bool) -> Self {
        Self::with_options(automine, false)
    }

    /// With automining on or off, printing one line per transaction or not.
    pub fn with_options(automine: bool, log: bool) -> Self {
        let rpc = Arc::new(Rpc::new(&RpcConfig {
            node: NodeConfig::default(),
            genesis: vec![(DEV_ACCOUNT, ether(1_000))],
            automine,
            log,
        }));
        let config = ServerConfig {
            max_body_bytes: 64 * 1024,
            ..ServerConfig::ephemeral()
        };
        Self {
            server: Server::start(rpc, &config).expect("an ephemeral port is free"),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// A provider that signs with the dev key.
    pub fn provider(&self) -> impl Provider {
        ProviderBuilder::new()
            .wallet(EthereumWallet::from(dev_signer()))
            .connect_http(self.url().parse().expect("a valid URL"))
    }

    /// Posts `body` as it is; returns the HTTP status and the body.
    pub fn post(&self, body: &[u8]) -> (u16, String) {
        let head = format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        exchange(self.server.addr(), &request)
    }

    /// One JSON-RPC request; the whole response object.
    pub fn request(&self, method: &str, params: &Value) -> Value {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let (status, answer) = self.post(body.to_string().as_bytes());
        assert_eq!(status, 200, "{answer}");
        serde_json::from_str(&answer).expect("the answer is JSON")
    }

    /// One JSON-RPC request that must succeed; its result.
    pub fn result(&self, method: &str, params: &Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// One JSON-RPC request that must fail; its error object.
    pub fn error(&self, method: &str, params: &Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("result").is_none(), "{method}: {response}");
        response["error"].clone()
    }
}

/// Writes `request` to a new connection and reads the response until the server closes it.
pub fn exchange(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("the node listens");
    stream
        .write_all(request)
        .expect("the node reads the request");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("the node answers");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("an HTTP status line");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The dev account's signer.
pub fn dev_signer() -> PrivateKeySigner {
    DEV_PRIVATE_KEY.parse().expect("the published key parses")
}

/// `tx` signed by `signer`, as raw EIP-2718 bytes.
pub fn raw_signed<T: SignableTransaction<Signature>>(tx: T, signer: &PrivateKeySigner) -> Bytes
where
    TxEnvelope: From<Signed<T>>,
{
    let signature = signer
        .sign_hash_sync(&tx.signature_hash())
        .expect("signing cannot fail");
    TxEnvelope::from(tx.into_signed(signature))
        .encoded_2718()
        .into()
}

/// A signed 1559 transaction as raw EIP-2718 bytes.
pub fn raw_1559(tx: TxEip1559, signer: &PrivateKeySigner) -> Bytes {
    raw_signed(tx, signer)
}

/// A plain transfer of 1 wei to `to` with `nonce`, as a 1559 transaction on `chain_id`.
pub fn transfer(chain_id: u64, nonce: u64, to: Address) -> TxEip1559 {
    TxEip1559 {
        chain_id,
        nonce,
        gas_limit: 21_000,
        max_fee_per_gas: 1_000_000_000,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(to),
        value: U256::from(1),
        access_list: AccessList::default(),
        input: Bytes::new(),
    }
}

/// EVM runtime that emits LOG1 with the first calldata word as topic and no data.
fn log_emitter() -> Vec<u8> {
    vec![
        op::PUSH0,
        op::CALLDATALOAD,
        op::PUSH0,
        op::PUSH0,
        op::LOG1,
        0x00, // STOP
    ]
}

/// EVM runtime that returns storage slot 0 and the balance of its own address.
fn slot_and_balance() -> Vec<u8> {
    vec![
        op::PUSH0,
        op::SLOAD,
        op::PUSH0,
        op::MSTORE,
        0x30, // ADDRESS
        0x31, // BALANCE
        op::PUSH1,
        32,
        op::MSTORE,
        op::PUSH1,
        64,
        op::PUSH0,
        op::RETURN,
    ]
}

/// EVM runtime that reverts with `Error("no")`.
fn reverter() -> Vec<u8> {
    let data = alloy::sol_types::SolError::abi_encode(&alloy::sol_types::Revert::from("no"));
    let mut code = Vec::new();
    for (i, chunk) in data.chunks(32).enumerate() {
        code.push(0x7f); // PUSH32
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        code.extend_from_slice(&word);
        code.extend_from_slice(&[op::PUSH1, u8::try_from(32 * i).expect("short"), op::MSTORE]);
    }
    code.extend_from_slice(&[
        op::PUSH1,
        u8::try_from(data.len()).expect("short"),
        op::PUSH0,
        op::REVERT,
    ]);
    code
}

fn qty(value: &Value) -> u64 {
    let text = value.as_str().expect("a quantity string");
    u64::from_str_radix(text.trim_start_matches("0x"), 16).expect("a hex quantity")
}

/// Sends `request` and returns its receipt (the node mines it at once).
async fn mined(provider: &impl Provider, request: TransactionRequest) -> TransactionReceipt {
    let hash = *provider.send_transaction(request).await.unwrap().tx_hash();
    provider
        .get_transaction_receipt(hash)
        .await
        .unwrap()
        .expect("mined at once")
}

#[tokio::test]
async fn chain_identity_and_the_dev_account_are_nitros() {
    let node = TestNode::start();
    let provider = node.provider();
    assert_eq!(provider.get_chain_id().await.unwrap(), CHAIN_ID);
    assert_eq!(provider.get_block_number().await.unwrap(), 0);
    assert_eq!(
        provider.get_balance(DEV_ACCOUNT).await.unwrap(),
        ether(1_000)
    );
    assert_eq!(node.result("net_version", &json!([])), json!("412346"));
    let version = node.result("web3_clientVersion", &json!([]));
    assert!(version.as_str().unwrap().starts_with("lsr-devnode/"));
    assert_eq!(provider.get_gas_price().await.unwrap(), 100_000_000);
    assert_eq!(provider.get_max_priority_fee_per_gas().await.unwrap(), 0);
    let history = provider
        .get_fee_history(4, BlockNumberOrTag::Latest, &[50.0])
        .await
        .unwrap();
    assert_eq!(history.oldest_block, 0);
    assert_eq!(history.base_fee_per_gas, vec![100_000_000, 100_000_000]);
    // The StylusDeployer and the CREATE2 factory are there from genesis.
    assert!(!provider
        .get_code_at(STYLUS_DEPLOYER)
        .await
        .unwrap()
        .is_empty());
    assert!(!provider
        .get_code_at(CREATE2_FACTORY)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn signed_1559_legacy_and_2930_transfers_are_mined_one_block_each() {
    let node = TestNode::start();
    let provider = node.provider();
    let to = Address::repeat_byte(0x77);
    let requests = [
        TransactionRequest::default()
            .with_to(to)
            .with_value(U256::from(1)),
        TransactionRequest::default()
            .with_to(to)
            .with_value(U256::from(2))
            .with_gas_price(200_000_000),
        TransactionRequest::default()
            .with_to(to)
            .with_value(U256::from(3))
            .with_gas_price(200_000_000)
            .with_access_list(AccessList::default()),
    ];
    for (i, request) in requests.into_iter().enumerate() {
        let receipt = mined(&provider, request).await;
        let hash = receipt.transaction_hash;
        let number = u64::try_from(i).unwrap() + 1;
        assert!(receipt.status());
        assert_eq!(receipt.block_number, Some(number));
        assert_eq!(receipt.gas_used, 21_000);
        assert_eq!(receipt.effective_gas_price, 100_000_000);
        assert_eq!(receipt.from, DEV_ACCOUNT);
        let tx = provider
            .get_transaction_by_hash(hash)
            .await
            .unwrap()
            .expect("known");
        assert_eq!(u8::from(tx.inner.tx_type()), [2, 0, 1][i]);
        let block = provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await
            .unwrap()
            .expect("mined");
        assert_eq!(block.transactions.hashes().collect::<Vec<_>>(), vec![hash]);
        let by_hash = provider
            .get_block_by_hash(block.header.hash)
            .await
            .unwrap()
            .expect("the same block");
        assert_eq!(by_hash.header.number, number);
        let raw = node.result("eth_getTransactionReceipt", &json!([hash]));
        assert_eq!(raw["gasUsedForL1"], json!("0x0"));
    }
    assert_eq!(provider.get_balance(to).await.unwrap(), U256::from(6));
    assert_eq!(
        provider.get_transaction_count(DEV_ACCOUNT).await.unwrap(),
        3
    );
    assert_eq!(provider.get_block_number().await.unwrap(), 3);
}

#[tokio::test]
async fn logs_are_filtered_by_address_topics_and_block_range() {
    let node = TestNode::start();
    let provider = node.provider();
    let mut emitters = Vec::new();
    for _ in 0..2 {
        let deploy = TransactionRequest::default().with_deploy_code(evm_init_code(&log_emitter()));
        let receipt = mined(&provider, deploy).await;
        emitters.push(receipt.contract_address.expect("a creation"));
    }
    let topic = |n: u8| B256::repeat_byte(n);
    for (emitter, n) in [(0, 1), (1, 1), (0, 2), (1, 3)] {
        let call = TransactionRequest::default()
            .with_to(emitters[emitter])
            .with_input(topic(n).to_vec());
        let _ = provider.send_transaction(call).await.unwrap().tx_hash();
    }
    // Blocks 1–2 are the deployments, 3–6 the four calls.
    let all = Filter::new()
        .from_block(0)
        .to_block(BlockNumberOrTag::Latest);
    assert_eq!(provider.get_logs(&all).await.unwrap().len(), 4);
    let first = all.clone().address(emitters[0]);
    let logs = provider.get_logs(&first).await.unwrap();
    assert_eq!(logs.len(), 2);
    assert!(logs.iter().all(|log| log.address() == emitters[0]));
    let ones = all.clone().event_signature(topic(1));
    let logs = provider.get_logs(&ones).await.unwrap();
    assert_eq!(
        logs.iter()
            .map(|l| l.block_number.unwrap())
            .collect::<Vec<_>>(),
        vec![3, 4]
    );
    let either = all.clone().event_signature(vec![topic(2), topic(3)]);
    assert_eq!(provider.get_logs(&either).await.unwrap().len(), 2);
    let range = Filter::new().from_block(4).to_block(5);
    assert_eq!(provider.get_logs(&range).await.unwrap().len(), 2);
    let block6 = provider
        .get_block_by_number(BlockNumberOrTag::Number(6))
        .await
        .unwrap()
        .unwrap();
    let by_hash = Filter::new().at_block_hash(block6.header.hash);
    let logs = provider.get_logs(&by_hash).await.unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].topics(), &[topic(3)]);
    assert_eq!(logs[0].log_index, Some(0));
}

#[tokio::test]
async fn eth_call_runs_against_code_balance_and_storage_overrides() {
    let node = TestNode::start();
    let provider = node.provider();
    let target = Address::repeat_byte(0x42);
    let call = TransactionRequest::default().with_to(target);
    // No code there: an empty result.
    assert!(provider.call(call.clone()).await.unwrap().is_empty());

    let overrides = StateOverride::from_iter([(
        target,
        AccountOverride::default()
            .with_code(slot_and_balance())
            .with_balance(U256::from(5))
            .with_state_diff([(B256::ZERO, B256::with_last_byte(9))]),
    )]);
    let output = provider
        .call(call.clone())
        .overrides(overrides)
        .await
        .unwrap();
    assert_eq!(U256::from_be_slice(&output[..32]), U256::from(9));
    assert_eq!(U256::from_be_slice(&output[32..]), U256::from(5));
    // The overrides were for that call only.
    assert!(provider.get_code_at(target).await.unwrap().is_empty());

    // `state` replaces the whole storage.
    let overrides = StateOverride::from_iter([(
        target,
        AccountOverride::default()
            .with_code(slot_and_balance())
            .with_state([(B256::with_last_byte(1), B256::with_last_byte(1))]),
    )]);
    let output = provider
        .call(call.clone())
        .overrides(overrides)
        .await
        .unwrap();
    assert_eq!(U256::from_be_slice(&output[..32]), U256::ZERO);

    // A revert is error 3 with the revert data.
    let overrides =
        StateOverride::from_iter([(target, AccountOverride::default().with_code(reverter()))]);
    let error = provider
        .call(call)
        .overrides(overrides)
        .await
        .expect_err("it reverts");
    let payload = error.as_error_resp().expect("a JSON-RPC error");
    assert_eq!(payload.code, 3);
    assert_eq!(payload.message, "execution reverted: no");
    let data: Bytes = payload.try_data_as().unwrap().unwrap();
    assert_eq!(
        alloy::sol_types::decode_revert_reason(&data).as_deref(),
        Some("revert: no")
    );
}

#[tokio::test]
async fn estimate_gas_is_enough_and_close() {
    let node = TestNode::start();
    let provider = node.provider();
    let transfer = TransactionRequest::default()
        .with_from(DEV_ACCOUNT)
        .with_to(Address::repeat_byte(0x99))
        .with_value(U256::from(1));
    assert_eq!(provider.estimate_gas(transfer).await.unwrap(), 21_000);

    let deploy = TransactionRequest::default()
        .with_from(DEV_ACCOUNT)
        .with_deploy_code(evm_init_code(&log_emitter()));
    let estimate = provider.estimate_gas(deploy.clone()).await.unwrap();
    let receipt = mined(&provider, deploy.with_gas_limit(estimate)).await;
    assert!(receipt.status());
    assert!(estimate >= receipt.gas_used && estimate * 1_000 <= receipt.gas_used * 1_016);

    // A call that reverts has no estimate: error 3.
    let overrides = json!({ "0x4242424242424242424242424242424242424242": { "code": Bytes::from(reverter()) } });
    let error = node.error(
        "eth_estimateGas",
        &json!([{ "to": "0x4242424242424242424242424242424242424242" }, "latest", overrides]),
    );
    assert_eq!(error["code"], json!(3));
}

#[tokio::test]
async fn snapshots_revert_state_blocks_and_receipts() {
    let node = TestNode::start();
    let provider = node.provider();
    let to = Address::repeat_byte(0x55);
    let snapshot = node.result("evm_snapshot", &json!([]));
    let hash = *provider
        .send_transaction(
            TransactionRequest::default()
                .with_to(to)
                .with_value(U256::from(7)),
        )
        .await
        .unwrap()
        .tx_hash();
    assert_eq!(provider.get_block_number().await.unwrap(), 1);
    assert_eq!(node.result("evm_revert", &json!([snapshot])), json!(true));
    assert_eq!(provider.get_block_number().await.unwrap(), 0);
    assert_eq!(provider.get_balance(to).await.unwrap(), U256::ZERO);
    assert!(provider
        .get_transaction_receipt(hash)
        .await
        .unwrap()
        .is_none());
    // A snapshot is consumed by reverting to it.
    assert_eq!(node.result("evm_revert", &json!([snapshot])), json!(false));
    // alloy's provider caches nonces: a new one asks the node again.
    let provider = node.provider();

    // The same nonce is usable again; time and mining methods.
    let _ = provider
        .send_transaction(
            TransactionRequest::default()
                .with_to(to)
                .with_value(U256::from(1)),
        )
        .await
        .unwrap()
        .tx_hash();
    let before = provider
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap()
        .header
        .timestamp;
    assert_eq!(
        node.result("evm_increaseTime", &json!([3_600])),
        json!(3_600)
    );
    assert_eq!(node.result("evm_mine", &json!([])), json!("0x0"));
    let block = provider
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(block.header.number, 2);
    assert_eq!(block.header.timestamp, before + 3_600);
    assert!(block.transactions.is_empty());

    for method in ["anvil_setBalance", "hardhat_setBalance"] {
        node.result(method, &json!([to, "0x3e8"]));
        assert_eq!(provider.get_balance(to).await.unwrap(), U256::from(1_000));
        node.result(method, &json!([to, "0x0"]));
    }
}

#[tokio::test]
async fn without_automining_transactions_wait_for_evm_mine() {
    let node = TestNode::with_automine(false);
    let provider = node.provider();
    let mut hashes = Vec::new();
    for value in 1..=2 {
        let request = TransactionRequest::default()
            .with_to(Address::repeat_byte(0x33))
            .with_value(U256::from(value));
        hashes.push(*provider.send_transaction(request).await.unwrap().tx_hash());
    }
    assert!(provider
        .get_transaction_receipt(hashes[0])
        .await
        .unwrap()
        .is_none());
    let pending = node.result("eth_getTransactionByHash", &json!([hashes[1]]));
    assert_eq!(pending["blockNumber"], Value::Null);
    assert_eq!(provider.get_block_number().await.unwrap(), 0);
    node.result("evm_mine", &json!([]));
    let block = provider
        .get_block_by_number(BlockNumberOrTag::Number(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(block.transactions.hashes().collect::<Vec<_>>(), hashes);
    let second = provider
        .get_transaction_receipt(hashes[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.transaction_index, Some(1));
    assert_eq!(second.inner.cumulative_gas_used(), 42_000);
}

#[tokio::test]
async fn the_create2_factory_deploys_at_the_create2_address() {
    let node = TestNode::start();
    let provider = node.provider();
    let init = evm_init_code(&log_emitter());
    let salt = B256::repeat_byte(0x5a);
    let mut input = salt.to_vec();
    input.extend_from_slice(&init);
    let call = TransactionRequest::default()
        .with_to(CREATE2_FACTORY)
        .with_input(input);
    let returned = provider.call(call.clone()).await.unwrap();
    let expected = CREATE2_FACTORY.create2(salt, keccak256(&init));
    assert_eq!(returned.as_ref(), expected.as_slice());
    let _ = provider
        .send_transaction(call.clone())
        .await
        .unwrap()
        .tx_hash();
    assert_eq!(
        provider.get_code_at(expected).await.unwrap().as_ref(),
        log_emitter()
    );
    // The same salt again: the creation fails and the factory reverts.
    let receipt = mined(&provider, call.with_gas_limit(500_000)).await;
    assert!(!receipt.status());
}

/// A program that stores a 32-byte calldata word in slot 0, and returns slot 0 for any other
/// calldata.
fn store_or_load() -> Vec<u8> {
    program(
        &[
            "read_args",
            "write_result",
            "storage_load_bytes32",
            "storage_cache_bytes32",
            "storage_flush_cache",
        ],
        r"(if (i32.eq (local.get $len) (i32.const 32))
            (then
              (call $read_args (i32.const 32))
              (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
              (call $storage_flush_cache (i32.const 0))
              (return (i32.const 0))))
          (call $storage_load_bytes32 (i32.const 0) (i32.const 64))
          (call $write_result (i32.const 64) (i32.const 32))
          (i32.const 0)",
    )
}

#[tokio::test]
async fn the_stylus_deployer_creates_activates_initializes_and_refunds() {
    let node = TestNode::start();
    let provider = node.provider();
    let code = stylus_code(&store_or_load());
    let init_data = B256::with_last_byte(0x2a);
    let salt = B256::repeat_byte(1);
    let deploy = StylusDeployer::deployCall {
        bytecode: devnode::program::deploy_init_code(&code).into(),
        initData: init_data.to_vec().into(),
        initValue: U256::ZERO,
        salt,
    };
    let overpay = ether(1);
    let request = TransactionRequest::default()
        .with_to(STYLUS_DEPLOYER)
        .with_input(alloy::sol_types::SolCall::abi_encode(&deploy))
        .with_value(overpay);
    let balance_before = provider.get_balance(DEV_ACCOUNT).await.unwrap();
    let receipt = mined(&provider, request).await;
    assert!(receipt.status());
    let deployed = receipt
        .inner
        .logs()
        .iter()
        .find_map(|log| StylusDeployer::ContractDeployed::decode_log_data(log.data()).ok())
        .expect("ContractDeployed is emitted")
        .deployedContract;
    // CREATE2 with keccak256(salt ‖ initData).
    let salt2 = devnode::deployer::init_salt(salt, init_data.as_slice());
    let init_hash = keccak256(devnode::program::deploy_init_code(&code));
    assert_eq!(deployed, STYLUS_DEPLOYER.create2(salt2, init_hash));
    // The constructor call ran: slot 0 holds the init data.
    let slot = provider.get_storage_at(deployed, U256::ZERO).await.unwrap();
    assert_eq!(slot, U256::from(0x2a));
    let output = provider
        .call(TransactionRequest::default().with_to(deployed))
        .await
        .unwrap();
    assert_eq!(output.as_ref(), init_data.as_slice());
    // Only the data fee and the gas were kept.
    let fee = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
    let balance_after = provider.get_balance(DEV_ACCOUNT).await.unwrap();
    let data_fee = balance_before - balance_after - fee;
    assert!(data_fee > U256::ZERO && data_fee < overpay);
    assert_eq!(
        provider.get_balance(STYLUS_DEPLOYER).await.unwrap(),
        U256::ZERO
    );

    // The same code again under another salt: already active, no fee taken.
    let again = StylusDeployer::deployCall {
        salt: B256::repeat_byte(2),
        ..deploy
    };
    let request = TransactionRequest::default()
        .with_to(STYLUS_DEPLOYER)
        .with_input(alloy::sol_types::SolCall::abi_encode(&again))
        .with_value(overpay);
    let before = provider.get_balance(DEV_ACCOUNT).await.unwrap();
    let receipt = mined(&provider, request).await;
    assert!(receipt.status());
    let fee = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
    assert_eq!(
        provider.get_balance(DEV_ACCOUNT).await.unwrap(),
        before - fee
    );
}

#[tokio::test]
async fn the_stylus_deployer_reports_its_errors() {
    let node = TestNode::start();
    let provider = node.provider();
    let call = |deploy: &StylusDeployer::deployCall| {
        TransactionRequest::default()
            .with_from(DEV_ACCOUNT)
            .with_to(STYLUS_DEPLOYER)
            .with_input(alloy::sol_types::SolCall::abi_encode(deploy))
    };
    let empty = StylusDeployer::deployCall {
        bytecode: Bytes::new(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let error = provider
        .call(call(&empty))
        .await
        .expect_err("empty bytecode");
    let data: Bytes = error
        .as_error_resp()
        .unwrap()
        .try_data_as()
        .unwrap()
        .unwrap();
    assert_eq!(
        data.as_ref(),
        alloy::sol_types::SolError::abi_encode(&StylusDeployer::EmptyBytecode {})
    );
    // EVM bytecode: activation refuses it and the deployer passes ArbWasm's error on.
    let evm = StylusDeployer::deployCall {
        bytecode: evm_init_code(&log_emitter()).into(),
        ..empty.clone()
    };
    let error = provider.call(call(&evm)).await.expect_err("not wasm");
    let data: Bytes = error
        .as_error_resp()
        .unwrap()
        .try_data_as()
        .unwrap()
        .unwrap();
    assert_eq!(
        data.as_ref(),
        alloy::sol_types::SolError::abi_encode(&devnode::arbwasm::ArbWasm::ProgramNotWasm {})
    );
    let value_without_data = StylusDeployer::deployCall {
        bytecode: devnode::program::deploy_init_code(&stylus_code(&store_or_load())).into(),
        initValue: U256::from(1),
        ..empty
    };
    let error = provider
        .call(call(&value_without_data).with_value(ether(1)))
        .await
        .expect_err("init value without init data");
    let data: Bytes = error
        .as_error_resp()
        .unwrap()
        .try_data_as()
        .unwrap()
        .unwrap();
    assert_eq!(
        data.as_ref(),
        alloy::sol_types::SolError::abi_encode(&StylusDeployer::InitValueButNotInitData {})
    );
}

#[tokio::test]
async fn a_batch_answers_each_request_in_order() {
    let node = TestNode::start();
    let batch = json!([
        { "jsonrpc": "2.0", "id": 1, "method": "eth_chainId" },
        { "jsonrpc": "2.0", "id": "two", "method": "no_such_method" },
        { "jsonrpc": "2.0", "method": "eth_blockNumber" },
        { "jsonrpc": "2.0", "id": 3, "method": "eth_getBalance", "params": ["0x12"] },
        17,
    ]);
    let (status, body) = node.post(batch.to_string().as_bytes());
    assert_eq!(status, 200);
    let answers: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(answers.len(), 4, "the notification gets no answer: {body}");
    assert_eq!(answers[0]["result"], json!("0x64aba"));
    assert_eq!(answers[1]["id"], json!("two"));
    assert_eq!(answers[1]["error"]["code"], json!(-32_601));
    assert_eq!(answers[2]["error"]["code"], json!(-32_602));
    assert_eq!(answers[3]["error"]["code"], json!(-32_600));
    assert_eq!(qty(&node.result("eth_blockNumber", &json!([]))), 0);
}

alloy::sol! {
    function getRate() external view returns (uint256);
    function hasRole(bytes32 role, address account) external view returns (bool);
}

#[tokio::test]
async fn the_release_vault_deploys_through_the_stylus_deployer_with_its_constructor() {
    let node = TestNode::start();
    let provider = node.provider();
    let admin = Address::repeat_byte(0xAD);
    // The vault's extension program (no constructor: empty init data), then the vault bound to
    // it; each CREATE from the deployer's next nonce.
    let deploy = |name: &str, init_data: Vec<u8>| StylusDeployer::deployCall {
        bytecode: devnode::program::deploy_init_code(&stylus_code(&crate::support::release_wasm(
            name,
        )))
        .into(),
        initData: init_data.into(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let send = |call: &StylusDeployer::deployCall| {
        TransactionRequest::default()
            .with_to(STYLUS_DEPLOYER)
            .with_input(alloy::sol_types::SolCall::abi_encode(call))
            .with_value(ether(1))
    };
    let extension = STYLUS_DEPLOYER.create(1);
    let receipt = mined(
        &provider,
        send(&deploy("staking-vault-extension", Vec::new())),
    )
    .await;
    assert!(receipt.status());
    let args = (
        admin,
        Address::repeat_byte(0x7E),
        Address::repeat_byte(0x0B),
        extension,
    )
        .abi_encode_params();
    let vault_deploy = deploy("staking-vault", devnode::constructor_calldata(&args));
    let receipt = mined(&provider, send(&vault_deploy)).await;
    let hash = receipt.transaction_hash;
    assert!(receipt.status());
    let vault = STYLUS_DEPLOYER.create(2);
    let deployed = receipt
        .inner
        .logs()
        .iter()
        .find_map(|log| StylusDeployer::ContractDeployed::decode_log_data(log.data()).ok())
        .expect("ContractDeployed is emitted");
    assert_eq!(deployed.deployedContract, vault);
    let call = |data: Vec<u8>| {
        TransactionRequest::default()
            .with_to(vault)
            .with_input(data)
    };
    let rate = provider
        .call(call(alloy::sol_types::SolCall::abi_encode(&getRateCall {})))
        .await
        .unwrap();
    assert_eq!(
        U256::from_be_slice(&rate),
        U256::from(10).pow(U256::from(18))
    );
    let is_admin = provider
        .call(call(alloy::sol_types::SolCall::abi_encode(&hasRoleCall {
            role: B256::ZERO,
            account: admin,
        })))
        .await
        .unwrap();
    assert_eq!(
        U256::from_be_slice(&is_admin),
        U256::from(1),
        "answered by the extension, on the vault's storage"
    );
    // The block with full transactions deserializes into alloy's types.
    let block = provider
        .get_block_by_number(BlockNumberOrTag::Number(2))
        .full()
        .await
        .unwrap()
        .unwrap();
    let tx = block.transactions.as_transactions().unwrap()[0].clone();
    assert_eq!(tx.inner.signer(), DEV_ACCOUNT);
    assert_eq!(*tx.inner.tx_hash(), hash);
}
