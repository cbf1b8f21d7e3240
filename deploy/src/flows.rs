//! The deployed suite seen from its users: actors with their own keys, the reads every flow
//! asserts on, and the operator set-up the restaking flows start from. The e2e tests and the
//! demo share it.

use std::path::Path;

use alloy::{
    primitives::{keccak256, Address, B256, U256},
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

    /// The key of the actor named `label`: derived from the vault's address, so each
    /// deployment has fresh actors (for signatures such as permits).
    ///
    /// # Errors
    /// [`DeployError::Key`] in the 2^-128 case that the hash is not a valid scalar.
    pub fn actor_signer(&self, label: &str) -> Result<PrivateKeySigner, DeployError> {
        let seed = keccak256([self.contracts.vault.as_slice(), label.as_bytes()].concat());
        PrivateKeySigner::from_bytes(&seed)
            .map_err(|e| DeployError::Key(format!("the key of {label} is not a valid scalar: {e}")))
    }

    /// A new account named `label` (its key from [`Suite::actor_signer`]), funded with `eth`
    /// wei by the admin.
    ///
    /// # Errors
    /// When the transfer fails.
    pub async fn actor(&self, label: &str, eth: U256) -> Result<Chain, DeployError> {
        let actor = self.admin.signing(self.actor_signer(label)?)?;
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

    /// `owner`'s LST that `spender` may take.
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn lst_allowance(
        &self,
        owner: Address,
        spender: Address,
    ) -> Result<U256, DeployError> {
        self.admin
            .view(self.contracts.lst, &Erc20::allowanceCall { owner, spender })
            .await
    }

    /// The vault's pooled ETH (buffered + at the validators, reserved ETH excluded) and LST
    /// supply: the two sides of its rate.
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn vault_totals(&self) -> Result<(U256, U256), DeployError> {
        let vault = self.contracts.vault;
        Ok((
            self.admin.view(vault, &Vault::totalAssetsCall {}).await?,
            self.admin.view(vault, &Vault::totalSharesCall {}).await?,
        ))
    }

    /// The LRT's `totalAssets()` (LST) and `totalShares()`: `A` and `S` of docs/lrt.md.
    ///
    /// # Errors
    /// [`DeployError::Rpc`], [`DeployError::Reverted`].
    pub async fn lrt_totals(&self) -> Result<(U256, U256), DeployError> {
        let lrt = self.contracts.lrt;
        Ok((
            self.admin.view(lrt, &Lrt::totalAssetsCall {}).await?,
            self.admin.view(lrt, &Lrt::totalSharesCall {}).await?,
        ))
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
        let reported = self
            .report_after(self.network.vault.min_report_interval, U256::ZERO)
            .await?;
        let finalized = self
            .admin
            .send(
                self.contracts.vault,
                U256::ZERO,
                &Vault::finalizeCall { up_to_id: id },
            )
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

/// A staker with LRT delegated to the two operators: what [`Suite::restaked`] leaves behind.
pub struct Restaked {
    /// The staker: staked ETH, deposited all its LST in the LRT.
    pub staker: Chain,
    /// Its LRT shares.
    pub shares: U256,
    /// The two operators of [`Suite::register_operators`].
    pub operators: [Chain; 2],
    /// The LST the keeper delegated (everything above the idle buffer).
    pub delegated: U256,
}

impl Suite {
    /// `who` stakes `eth` in the vault for itself. Returns the LST minted.
    ///
    /// # Errors
    /// The vault's refusal, decoded.
    pub async fn stake(&self, who: &Chain, eth: U256) -> Result<U256, DeployError> {
        let (lst, _) = transact(
            who,
            self.contracts.vault,
            eth,
            &Vault::depositCall {
                receiver: who.from(),
            },
        )
        .await?;
        Ok(lst)
    }

    /// `who` approves the LRT for `assets` LST and deposits them for itself. Returns the LRT
    /// shares minted.
    ///
    /// # Errors
    /// The LST's or the LRT's refusal, decoded.
    pub async fn deposit_lst(&self, who: &Chain, assets: U256) -> Result<U256, DeployError> {
        let c = self.contracts;
        who.send(
            c.lst,
            U256::ZERO,
            &Erc20::approveCall {
                spender: c.lrt,
                value: assets,
            },
        )
        .await?;
        let (shares, _) = transact(
            who,
            c.lrt,
            U256::ZERO,
            &Lrt::depositCall {
                assets,
                receiver: who.from(),
            },
        )
        .await?;
        Ok(shares)
    }

    /// The keeper delegates every idle LST of the allocator above its buffer
    /// (`idle − ⌈totalAssets × bufferBps / 10,000⌉`, docs/lrt-allocator.md). Returns the LST
    /// delegated and the transaction.
    ///
    /// # Errors
    /// The allocator's refusal, decoded.
    pub async fn delegate_above_buffer(&self) -> Result<(U256, Sent), DeployError> {
        let allocator = self.contracts.allocator;
        let idle = self.admin.view(allocator, &Allocator::idleCall {}).await?;
        let total = self
            .admin
            .view(allocator, &Allocator::totalAssetsCall {})
            .await?;
        let buffer_bps = self
            .admin
            .view(allocator, &Allocator::targetsCall {})
            .await?
            ._2;
        let bps = U256::from(10_000);
        let buffer = (total * U256::from(buffer_bps)).div_ceil(bps);
        let assets = idle.saturating_sub(buffer);
        let sent = self
            .admin
            .send(allocator, U256::ZERO, &Allocator::delegateCall { assets })
            .await?;
        Ok((assets, sent))
    }

    /// The restaking set-up: the operators of [`Suite::register_operators`], a staker named
    /// `label` who stakes `eth` and deposits all its LST in the LRT, and the keeper delegating
    /// everything above the buffer to the operators by the targets.
    ///
    /// # Errors
    /// The first failing step.
    pub async fn restaked(&self, label: &str, eth: U256) -> Result<Restaked, DeployError> {
        let (operators, _) = self.register_operators().await?;
        let staker = self.actor(label, eth + ether(1)).await?;
        let lst = self.stake(&staker, eth).await?;
        let shares = self.deposit_lst(&staker, lst).await?;
        let (delegated, _) = self.delegate_above_buffer().await?;
        Ok(Restaked {
            staker,
            shares,
            operators,
            delegated,
        })
    }

    /// `avs` pays `amount` of ETH rewards to `operator` through `registry`.
    ///
    /// # Errors
    /// The registry's or the manager's refusal, decoded.
    pub async fn reward(
        &self,
        avs: &Chain,
        registry: Address,
        operator: Address,
        amount: U256,
    ) -> Result<Sent, DeployError> {
        avs.send(
            registry,
            amount,
            &Registry::distributeRewardsCall { operator },
        )
        .await
    }

    /// The slasher (the admin) has `registry` slash `operator` by `bps` of its allocated stake,
    /// citing `reason`. Returns the LST taken and the transaction.
    ///
    /// # Errors
    /// The registry's or the manager's refusal, decoded (`ManagerSlashAboveBound`, …).
    pub async fn slash(
        &self,
        registry: Address,
        operator: Address,
        bps: U256,
        reason: B256,
    ) -> Result<(U256, Sent), DeployError> {
        transact(
            &self.admin,
            registry,
            U256::ZERO,
            &Registry::slashCall {
                operator,
                bps,
                reason,
            },
        )
        .await
    }

    /// Moves the clock `seconds` forward (a test node: [`Chain::advance`]) and has the oracle
    /// report the validators' balance plus `gain`, timestamped now.
    ///
    /// # Errors
    /// The node's refusal of the time move, the vault's refusal of the report.
    pub async fn report_after(&self, seconds: u64, gain: U256) -> Result<Sent, DeployError> {
        let vault = self.contracts.vault;
        self.admin.advance(seconds).await?;
        let timestamp = self.admin.timestamp().await?;
        let balance = self
            .admin
            .view(vault, &Vault::validatorBalanceCall {})
            .await?;
        self.admin
            .send(
                vault,
                U256::ZERO,
                &Vault::reportCall {
                    timestamp,
                    validator_balance: balance + gain,
                },
            )
            .await
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
