//! The deployed suite seen from its users: actors with their own keys, the reads every flow
//! asserts on, and the operator set-up the restaking flows start from. The e2e tests and the
//! demo share it.

use std::path::Path;

use alloy::{
    primitives::{keccak256, Address, U256},
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};

use crate::{
    abi::{Allocations, Allocator, Erc20, Lrt, Registry, Vault},
    chain::{Chain, Sent},
    config::Network,
    deploy::{deploy, Contracts, Options},
    error::DeployError,
};

/// Operator fee of the flows' operators (10%).
pub const OPERATOR_FEE_BPS: u16 = 1_000;
/// Stake each operator allocates to registry 0 and 1.
pub const ALLOCATION_BPS: [[u16; 2]; 2] = [[5_000, 3_000], [4_000, 6_000]];
/// The LRT allocator's targets over the two operators, and its idle buffer.
pub const TARGET_WEIGHTS: [u16; 2] = [6_000, 2_000];
/// The idle buffer (20%).
pub const BUFFER_BPS: u16 = 2_000;

/// `n` ether in wei.
#[must_use]
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(18))
}

/// A deployed suite and its admin (who also holds every other role: the network file's
/// defaults).
pub struct Suite {
    /// The deployer: admin, oracle, keeper, pauser, slasher, treasury.
    pub admin: Chain,
    /// Where everything is.
    pub contracts: Contracts,
    /// The network file it was deployed with.
    pub network: Network,
}

impl Suite {
    /// Deploys `network` from `admin` with addresses kept in `addresses_dir`.
    ///
    /// # Errors
    /// As [`deploy`].
    pub async fn deploy(
        admin: Chain,
        network: Network,
        wasm_dir: &Path,
        addresses_dir: &Path,
    ) -> Result<Self, DeployError> {
        let options = Options {
            network,
            wasm_dir: wasm_dir.to_owned(),
            addresses_dir: addresses_dir.to_owned(),
        };
        let report = deploy(&admin, &options, &|_| ()).await?;
        Ok(Self {
            admin,
            contracts: report.contracts,
            network: options.network,
        })
    }

    /// A new account named `label` (its key derived from the vault's address, so each
    /// deployment has fresh actors), funded with `eth` wei by the admin.
    ///
    /// # Errors
    /// When the transfer fails.
    pub async fn actor(&self, label: &str, eth: U256) -> Result<Chain, DeployError> {
        let seed = keccak256([self.contracts.vault.as_slice(), label.as_bytes()].concat());
        let signer = PrivateKeySigner::from_bytes(&seed).map_err(|e| {
            DeployError::Key(format!("the key of {label} is not a valid scalar: {e}"))
        })?;
        let actor = self.admin.signing(signer)?;
        if !eth.is_zero() {
            self.admin.transfer(actor.from(), eth).await?;
        }
        Ok(actor)
    }

    /// ETH per LST (1e18).
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn lst_rate(&self) -> Result<U256, DeployError> {
        self.admin
            .view(self.contracts.vault, &Vault::getRateCall {})
            .await
    }

    /// ETH per LRT (1e18).
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn lrt_rate(&self) -> Result<U256, DeployError> {
        self.admin
            .view(self.contracts.lrt, &Lrt::getRateCall {})
            .await
    }

    /// `account`'s LST.
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn lst_of(&self, account: Address) -> Result<U256, DeployError> {
        self.admin
            .view(self.contracts.lst, &Erc20::balanceOfCall { account })
            .await
    }

    /// `account`'s LRT.
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn lrt_of(&self, account: Address) -> Result<U256, DeployError> {
        self.admin
            .view(self.contracts.lrt_token, &Erc20::balanceOfCall { account })
            .await
    }

    /// The keeper fulfils the LRT's redemption requests up to `id` (`fulfill`).
    ///
    /// # Errors
    /// The LRT's refusal, decoded.
    pub async fn fulfil(&self, id: U256) -> Result<Sent, DeployError> {
        self.admin
            .send(
                self.contracts.lrt,
                U256::ZERO,
                &Lrt::fulfillCall { up_to_id: id },
            )
            .await
    }

    /// The oracle's turn on the vault's withdrawal queue, on a test node: the clock moves one
    /// report interval (`evm_increaseTime`) so requests made so far precede the report, the
    /// oracle reports the validator balance unchanged, then finalizes up to `id`. Returns the
    /// report's and the finalization's transactions.
    ///
    /// # Errors
    /// The node's refusal of the clock (a live chain), the vault's refusal, decoded.
    pub async fn report_and_finalize(&self, id: U256) -> Result<(Sent, Sent), DeployError> {
        let vault = self.contracts.vault;
        self.admin
            .advance(self.network.vault.min_report_interval)
            .await?;
        let now = self.admin.timestamp().await?;
        let balance = self
            .admin
            .view(vault, &Vault::validatorBalanceCall {})
            .await?;
        let reported = self
            .admin
            .send(
                vault,
                U256::ZERO,
                &Vault::reportCall {
                    timestamp: now,
                    validator_balance: balance,
                },
            )
            .await?;
        let finalized = self
            .admin
            .send(vault, U256::ZERO, &Vault::finalizeCall { up_to_id: id })
            .await?;
        Ok((reported, finalized))
    }

    /// Two operators register (10% fee), opt into both registries and allocate
    /// [`ALLOCATION_BPS`]; the keeper targets them with [`TARGET_WEIGHTS`] and
    /// [`BUFFER_BPS`]. Returns the operators and the gas of each step.
    ///
    /// # Errors
    /// The first failing step.
    pub async fn register_operators(
        &self,
    ) -> Result<([Chain; 2], Vec<(String, Sent)>), DeployError> {
        let c = self.contracts;
        let mut gas = Vec::new();
        let operators = [
            self.actor("operator-1", ether(1)).await?,
            self.actor("operator-2", ether(1)).await?,
        ];
        for (operator, allocation) in operators.iter().zip(ALLOCATION_BPS) {
            let sent = operator
                .send(
                    c.allocations,
                    U256::ZERO,
                    &Allocations::registerOperatorCall {
                        fee_bps: OPERATOR_FEE_BPS,
                        metadata_uri: "https://operator.example/metadata.json".into(),
                    },
                )
                .await?;
            gas.push(("operator registers".to_owned(), sent));
            for (registry, bps) in c.registries.into_iter().zip(allocation) {
                let sent = operator
                    .send(registry, U256::ZERO, &Registry::optInCall {})
                    .await?;
                gas.push(("operator opts into an AVS".to_owned(), sent));
                let sent = operator
                    .send(
                        c.allocations,
                        U256::ZERO,
                        &Allocations::allocateCall { registry, bps },
                    )
                    .await?;
                gas.push(("operator allocates to an AVS".to_owned(), sent));
            }
        }
        let sent = self
            .admin
            .send(
                c.allocator,
                U256::ZERO,
                &Allocator::setTargetsCall {
                    operators: operators.iter().map(Chain::from).collect(),
                    weights_bps: TARGET_WEIGHTS.to_vec(),
                    buffer_bps: BUFFER_BPS,
                },
            )
            .await?;
        gas.push(("keeper sets the allocator's targets".to_owned(), sent));
        Ok((operators, gas))
    }
}

/// The return value of `call` from `chain` (an `eth_call` against the latest block), then the
/// transaction itself: for calls whose result (an id, shares) the flow needs.
///
/// # Errors
/// As [`Chain::view`] and [`Chain::send`].
pub async fn transact<C: SolCall>(
    chain: &Chain,
    to: Address,
    value: U256,
    call: &C,
) -> Result<(C::Return, Sent), DeployError> {
    let returned = chain.simulate(to, value, call).await?;
    let sent = chain.send(to, value, call).await?;
    Ok((returned, sent))
}
