//! Typed views and transactions over an alloy provider that signs for one account (or, read
//! only, signs for none).

use std::sync::Arc;

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, Bytes, Log, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{
        state::{AccountOverride, StateOverride},
        BlockNumberOrTag, TransactionReceipt, TransactionRequest,
    },
    signers::local::PrivateKeySigner,
    sol_types::{SolCall, SolEvent},
    transports::{RpcError, TransportErrorKind},
};

use crate::{
    abi::{ArbWasm, Lrt, Permit as PermitToken, ARB_WASM},
    error::{explain_revert, DeployError},
};

/// Told each transaction's step and hash as soon as the node accepted it, before its receipt.
pub type OnSent = Arc<dyn Fn(&str, B256) + Send + Sync>;

/// A provider and the account it signs for.
#[derive(Clone)]
pub struct Chain {
    provider: DynProvider,
    from: Address,
    /// The key, for signed messages (EIP-2612 permits); none when read only.
    signer: Option<PrivateKeySigner>,
    url: String,
    on_sent: Option<OnSent>,
}

/// The LRT's `depositWithPermit` of `permit`'s value for `receiver`, with its signature (the
/// permit must be for the LRT).
#[must_use]
pub fn with_permit(
    permit: &PermitToken::permitCall,
    receiver: Address,
) -> Lrt::depositWithPermitCall {
    Lrt::depositWithPermitCall {
        assets: permit.value,
        receiver,
        deadline: permit.deadline,
        v: permit.v,
        r: permit.r,
        s: permit.s,
    }
}

alloy::sol! {
    /// EIP-2612's signed message.
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// A mined, successful transaction.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Its hash.
    pub hash: B256,
    /// Gas used.
    pub gas_used: u64,
    /// Gas × effective gas price, in wei.
    pub gas_fee: U256,
    /// Its logs.
    pub logs: Vec<Log>,
}

impl Sent {
    /// The first log that decodes as `E`.
    #[must_use]
    pub fn event<E: SolEvent>(&self) -> Option<E> {
        self.logs
            .iter()
            .find_map(|log| E::decode_log(log).ok().map(|decoded| decoded.data))
    }

    /// Every log that decodes as `E`.
    #[must_use]
    pub fn events<E: SolEvent>(&self) -> Vec<E> {
        self.logs
            .iter()
            .filter_map(|log| E::decode_log(log).ok().map(|decoded| decoded.data))
            .collect()
    }

    /// Every log emitted by `emitter` that decodes as `E` (for events two contracts share,
    /// such as the two tokens' `Transfer`).
    #[must_use]
    pub fn events_from<E: SolEvent>(&self, emitter: Address) -> Vec<E> {
        self.logs
            .iter()
            .filter(|log| log.address == emitter)
            .filter_map(|log| E::decode_log(log).ok().map(|decoded| decoded.data))
            .collect()
    }
}

fn rpc_error(what: &str, error: &RpcError<TransportErrorKind>) -> DeployError {
    DeployError::Rpc {
        what: what.to_owned(),
        reason: error.to_string(),
    }
}

/// A revert (with its data decoded) when the node answered one, else an RPC failure.
fn call_error(step: &str, error: &RpcError<TransportErrorKind>) -> DeployError {
    match error.as_error_resp() {
        Some(payload)
            if payload.message.contains("revert") || payload.as_revert_data().is_some() =>
        {
            let data = payload.as_revert_data().unwrap_or_default();
            DeployError::Reverted {
                step: step.to_owned(),
                reason: explain_revert(&data),
                data,
            }
        }
        _ => rpc_error(step, error),
    }
}

impl Chain {
    /// A chain reached at `url`, signing with `signer`.
    ///
    /// # Errors
    /// [`DeployError::Rpc`] when `url` is not a URL.
    pub fn connect(url: &str, signer: PrivateKeySigner) -> Result<Self, DeployError> {
        let from = signer.address();
        let endpoint = url.parse().map_err(|e| DeployError::Rpc {
            what: format!("connecting to {url:?}"),
            reason: format!("not a URL: {e}"),
        })?;
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer.clone()))
            .connect_http(endpoint)
            .erased();
        Ok(Self {
            provider,
            from,
            signer: Some(signer),
            url: url.to_owned(),
            on_sent: None,
        })
    }

    /// A chain reached at `url` with no key: views only (their `from` is the zero address); a
    /// transaction fails at signing.
    ///
    /// # Errors
    /// [`DeployError::Rpc`] when `url` is not a URL.
    pub fn read_only(url: &str) -> Result<Self, DeployError> {
        let endpoint = url.parse().map_err(|e| DeployError::Rpc {
            what: format!("connecting to {url:?}"),
            reason: format!("not a URL: {e}"),
        })?;
        Ok(Self {
            provider: ProviderBuilder::new().connect_http(endpoint).erased(),
            from: Address::ZERO,
            signer: None,
            url: url.to_owned(),
            on_sent: None,
        })
    }

    /// The same chain, telling `on_sent` each transaction's hash before waiting for its receipt
    /// (a wallet's progress line).
    #[must_use]
    pub fn with_on_sent(mut self, on_sent: OnSent) -> Self {
        self.on_sent = Some(on_sent);
        self
    }

    /// The endpoint's URL.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The same endpoint, signing with `signer`.
    ///
    /// # Errors
    /// Never in practice: the URL parsed once already.
    pub fn signing(&self, signer: PrivateKeySigner) -> Result<Self, DeployError> {
        Self::connect(&self.url, signer)
    }

    /// This account's EIP-2612 permit of `token` for `spender` to take `value` until
    /// `deadline`, signed with its next nonce: the `permit` call anyone may submit (its
    /// `v`, `r`, `s` also go to the LRT's `depositWithPermit`). The EIP-712 domain is the
    /// token's name, version "1", this chain and the token, checked against the token's own
    /// `DOMAIN_SEPARATOR`.
    ///
    /// # Errors
    /// [`DeployError::Key`] when read only or when the token's separator is another domain;
    /// RPC failures of the views.
    pub async fn sign_permit(
        &self,
        token: Address,
        spender: Address,
        value: U256,
        deadline: U256,
    ) -> Result<PermitToken::permitCall, DeployError> {
        use alloy::{
            signers::SignerSync,
            sol_types::{Eip712Domain, SolStruct},
        };
        let signer = self
            .signer
            .as_ref()
            .ok_or_else(|| DeployError::Key("a permit needs a signing key".to_owned()))?;
        let owner = self.from;
        let name = self.view(token, &PermitToken::nameCall {}).await?;
        let domain = Eip712Domain::new(
            Some(name.into()),
            Some("1".into()),
            Some(U256::from(self.chain_id().await?)),
            Some(token),
            None,
        );
        let separator = self
            .view(token, &PermitToken::DOMAIN_SEPARATORCall {})
            .await?;
        if domain.separator() != separator {
            return Err(DeployError::Key(format!(
                "{token} signs permits for another EIP-712 domain than (name, \"1\", chain, token)"
            )));
        }
        let nonce = self.view(token, &PermitToken::noncesCall { owner }).await?;
        let message = Permit {
            owner,
            spender,
            value,
            nonce,
            deadline,
        };
        let signature = signer
            .sign_hash_sync(&message.eip712_signing_hash(&domain))
            .map_err(|e| DeployError::Key(format!("signing the permit: {e}")))?;
        Ok(PermitToken::permitCall {
            owner,
            spender,
            value,
            deadline,
            v: 27 + u8::from(signature.v()),
            r: signature.r().into(),
            s: signature.s().into(),
        })
    }

    /// Sends `wei` to `to` (a plain transfer).
    ///
    /// # Errors
    /// As [`Chain::send`].
    pub async fn transfer(&self, to: Address, wei: U256) -> Result<Sent, DeployError> {
        self.send_raw(&format!("transfer to {to}"), to, wei, Bytes::new())
            .await
    }

    /// The latest block's timestamp.
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn timestamp(&self) -> Result<u64, DeployError> {
        let block = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .map_err(|e| rpc_error("eth_getBlockByNumber", &e))?
            .ok_or_else(|| DeployError::Rpc {
                what: "eth_getBlockByNumber".to_owned(),
                reason: "no latest block".to_owned(),
            })?;
        Ok(block.header.timestamp)
    }

    /// Moves the clock `seconds` forward and mines a block (`evm_increaseTime`, `evm_mine`: the
    /// local node and other test nodes; a live chain refuses them).
    ///
    /// # Errors
    /// [`DeployError::Rpc`] when the node does not support the test methods.
    pub async fn advance(&self, seconds: u64) -> Result<(), DeployError> {
        self.provider
            .raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (seconds,))
            .await
            .map_err(|e| rpc_error("evm_increaseTime", &e))?;
        self.provider
            .raw_request::<_, serde_json::Value>("evm_mine".into(), ())
            .await
            .map_err(|e| rpc_error("evm_mine", &e))?;
        Ok(())
    }

    /// The signing account.
    #[must_use]
    pub fn from(&self) -> Address {
        self.from
    }

    /// The provider.
    #[must_use]
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// `eth_chainId`.
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn chain_id(&self) -> Result<u64, DeployError> {
        self.provider
            .get_chain_id()
            .await
            .map_err(|e| rpc_error("eth_chainId", &e))
    }

    /// `eth_getCode` is not empty.
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn has_code(&self, address: Address) -> Result<bool, DeployError> {
        self.provider
            .get_code_at(address)
            .await
            .map(|code| !code.is_empty())
            .map_err(|e| rpc_error("eth_getCode", &e))
    }

    /// `eth_getTransactionCount` (latest).
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn nonce(&self, address: Address) -> Result<u64, DeployError> {
        self.provider
            .get_transaction_count(address)
            .await
            .map_err(|e| rpc_error("eth_getTransactionCount", &e))
    }

    /// `eth_getBalance` (latest).
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn balance(&self, address: Address) -> Result<U256, DeployError> {
        self.provider
            .get_balance(address)
            .await
            .map_err(|e| rpc_error("eth_getBalance", &e))
    }

    /// A view on `to`, decoded.
    ///
    /// # Errors
    /// [`DeployError::Reverted`] with the decoded reason, [`DeployError::Rpc`].
    pub async fn view<C: SolCall>(&self, to: Address, call: &C) -> Result<C::Return, DeployError> {
        self.simulate(to, U256::ZERO, call).await
    }

    /// What `call` with `value` would return if sent now (an `eth_call`).
    ///
    /// # Errors
    /// [`DeployError::Reverted`] with the decoded reason, [`DeployError::Rpc`].
    pub async fn simulate<C: SolCall>(
        &self,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<C::Return, DeployError> {
        let request = TransactionRequest::default()
            .with_from(self.from)
            .with_to(to)
            .with_value(value)
            .with_input(call.abi_encode());
        let output = self
            .provider
            .call(request)
            .await
            .map_err(|e| call_error(&format!("{} on {to}", C::SIGNATURE), &e))?;
        C::abi_decode_returns(&output).map_err(|e| DeployError::Rpc {
            what: format!("{} on {to}", C::SIGNATURE),
            reason: format!("undecodable answer: {e}"),
        })
    }

    /// Sends `call` to `to` with `value` and waits for its receipt.
    ///
    /// # Errors
    /// [`DeployError::Reverted`] when the gas estimate reverts, [`DeployError::Failed`] when the
    /// mined transaction fails, [`DeployError::Rpc`].
    pub async fn send<C: SolCall>(
        &self,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<Sent, DeployError> {
        self.send_raw(
            &format!("{} on {to}", C::SIGNATURE),
            to,
            value,
            call.abi_encode().into(),
        )
        .await
    }

    /// Sends `input` to `to` with `value` as step `step` and waits for its receipt.
    ///
    /// # Errors
    /// As [`Chain::send`].
    pub async fn send_raw(
        &self,
        step: &str,
        to: Address,
        value: U256,
        input: Bytes,
    ) -> Result<Sent, DeployError> {
        let request = TransactionRequest::default()
            .with_to(to)
            .with_value(value)
            .with_input(input);
        self.submit(step, request).await.map(|(sent, _)| sent)
    }

    /// Creates a contract from EVM init code (creation bytecode followed by its ABI-encoded
    /// constructor arguments) with `value`, as step `step`: an integrator's Solidity contract.
    ///
    /// # Errors
    /// As [`Chain::send`]; [`DeployError::Rpc`] when the receipt names no contract.
    pub async fn create(
        &self,
        step: &str,
        init_code: Bytes,
        value: U256,
    ) -> Result<(Address, Sent), DeployError> {
        let request = TransactionRequest::default()
            .with_value(value)
            .with_deploy_code(init_code);
        let (sent, created) = self.submit(step, request).await?;
        let address = created.ok_or_else(|| DeployError::Rpc {
            what: format!("{step}: the receipt"),
            reason: "no contract address in the receipt of a creation".to_owned(),
        })?;
        Ok((address, sent))
    }

    /// Signs and sends `request` from this account with the current nonce, waits for the
    /// receipt and returns it with the created contract's address, if any.
    async fn submit(
        &self,
        step: &str,
        request: TransactionRequest,
    ) -> Result<(Sent, Option<Address>), DeployError> {
        // The nonce is read here, not cached by the provider: a cached nonce is spent by a
        // transaction whose gas estimate reverts, and the next one is then refused.
        let nonce = self.nonce(self.from).await?;
        let request = request.with_from(self.from).with_nonce(nonce);
        let pending = self
            .provider
            .send_transaction(request)
            .await
            .map_err(|e| call_error(step, &e))?;
        if let Some(on_sent) = &self.on_sent {
            on_sent(step, *pending.tx_hash());
        }
        let receipt: TransactionReceipt =
            pending.get_receipt().await.map_err(|e| DeployError::Rpc {
                what: format!("{step}: the receipt"),
                reason: e.to_string(),
            })?;
        if !receipt.status() {
            return Err(DeployError::Failed {
                step: step.to_owned(),
                hash: receipt.transaction_hash.to_string(),
                gas_used: receipt.gas_used,
            });
        }
        let sent = Sent {
            hash: receipt.transaction_hash,
            gas_used: receipt.gas_used,
            gas_fee: U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price),
            logs: receipt
                .inner
                .logs()
                .iter()
                .map(|log| log.inner.clone())
                .collect(),
        };
        Ok((sent, receipt.contract_address))
    }

    /// `ArbWasm`'s data fee to activate `code`: `activateProgram` called on an address that holds
    /// `code` only for the call (`eth_call` with a state override). Zero when the code hash is
    /// already active at the current Stylus version.
    ///
    /// # Errors
    /// [`DeployError::Reverted`] when activation would fail (with the reason), [`DeployError::Rpc`].
    pub async fn activation_fee(&self, code: &[u8]) -> Result<U256, DeployError> {
        let probe = Address::repeat_byte(0x5A);
        let budget = U256::from(10).pow(U256::from(18));
        let overrides = StateOverride::from_iter([
            (probe, AccountOverride::default().with_code(code.to_vec())),
            (
                self.from,
                AccountOverride::default().with_balance(budget * U256::from(2)),
            ),
        ]);
        let request = TransactionRequest::default()
            .with_from(self.from)
            .with_to(ARB_WASM)
            .with_value(budget)
            .with_input(ArbWasm::activateProgramCall { program: probe }.abi_encode());
        match self.provider.call(request).overrides(overrides).await {
            Ok(output) => ArbWasm::activateProgramCall::abi_decode_returns(&output)
                .map(|activated| activated.dataFee)
                .map_err(|e| DeployError::Rpc {
                    what: "activateProgram (estimate)".to_owned(),
                    reason: format!("undecodable answer: {e}"),
                }),
            Err(e) => {
                let up_to_date = e
                    .as_error_resp()
                    .and_then(|payload| {
                        payload.as_decoded_interface_error::<ArbWasm::ArbWasmErrors>()
                    })
                    .is_some_and(|error| {
                        matches!(error, ArbWasm::ArbWasmErrors::ProgramUpToDate(_))
                    });
                if up_to_date {
                    Ok(U256::ZERO)
                } else {
                    Err(call_error("activateProgram (estimate)", &e))
                }
            }
        }
    }
}
