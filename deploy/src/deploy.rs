//! Deploys, wires and verifies the suite, in the order and with the wiring of the node's suite
//! test: the vault's extension program → vault → its LST (`createToken`) → allocation manager
//! → restaking manager → two AVS registries → the LRT's extension program → LRT allocator →
//! LRT → its share token (`createShare`) → roles → registry whitelist → parameters → admin
//! handover, then every view read back against the network file.
//!
//! Each contract is created, activated and constructed (the extension programs have no
//! constructor) in one transaction through the `StylusDeployer`, paying `ArbWasm`'s data fee
//! (estimated by an `eth_call`, plus 20%; the excess is refunded). The two tokens are their
//! vault's first creation instead (`lsr_common::create`): the vault's `createToken` and the
//! LRT's `createShare` create each from its code, then the tool activates it, unless the same
//! code is already active. The allocator
//! needs the LRT's address before the LRT exists: the allocator is the deployer's next CREATE,
//! the LRT a CREATE2 whose salt
//! (`keccak256(lrt_salt ‖ initData)`) covers the allocator's address, so both are known first.
//!
//! Idempotent: every address is written to the addresses file as soon as it is deployed; a step
//! whose effect already reads back from the chain is skipped and sends nothing.

use std::{
    collections::HashMap,
    fmt,
    path::{Path, PathBuf},
};

use alloy::{
    primitives::{keccak256, Address, Bytes, B256, U256},
    sol_types::{SolCall, SolValue},
};
use devnode::{constructor_calldata, deployer::init_salt, program};

use crate::{
    abi::{
        self, AccessControl, Allocations, Allocator, ArbWasm, Erc20, Lrt, Manager, Registry,
        StylusDeployer, Vault, ARB_WASM, STYLUS_DEPLOYER,
    },
    addresses::AddressBook,
    chain::{Chain, Sent},
    config::{Network, ResolvedRoles},
    error::{format_eth, DeployError},
};

/// Where a deployment reads and writes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The network file.
    pub network: Network,
    /// Directory of the release wasm (`target/wasm`).
    pub wasm_dir: PathBuf,
    /// Directory of the addresses files (`deploy/addresses`).
    pub addresses_dir: PathBuf,
}

/// The deployed suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contracts {
    /// Staking vault.
    pub vault: Address,
    /// Its LST.
    pub lst: Address,
    /// Allocation manager.
    pub allocations: Address,
    /// Restaking manager.
    pub manager: Address,
    /// The two AVS registries.
    pub registries: [Address; 2],
    /// The LRT's allocator.
    pub allocator: Address,
    /// The LRT (ERC-4626 / ERC-7540 vault).
    pub lrt: Address,
    /// Its share token.
    pub lrt_token: Address,
    /// Its extension program (roles, pause, admin setters, its own views), which the LRT
    /// delegate-calls.
    pub lrt_extension: Address,
    /// The vault's extension program (roles, pause, `createToken`, setters, its own views),
    /// which the vault delegate-calls.
    pub vault_extension: Address,
}

impl Contracts {
    /// Every contract with access control and a pause.
    #[must_use]
    pub fn governed(&self) -> [Address; 7] {
        [
            self.vault,
            self.allocations,
            self.manager,
            self.registries[0],
            self.registries[1],
            self.allocator,
            self.lrt,
        ]
    }
}

impl Contracts {
    /// The suite an addresses file records.
    ///
    /// # Errors
    /// The name of the first contract the book lacks (`staking-vault`, `lrt`, …).
    pub fn from_book(book: &AddressBook) -> Result<Self, &'static str> {
        let get = |name: &'static str| book.contracts.get(name).copied().ok_or(name);
        Ok(Self {
            vault: get(VAULT)?,
            lst: get(LST)?,
            allocations: get(ALLOCATIONS)?,
            manager: get(MANAGER)?,
            registries: [get(REGISTRIES[0])?, get(REGISTRIES[1])?],
            allocator: get(ALLOCATOR)?,
            lrt: get(LRT)?,
            lrt_token: get(LRT_TOKEN)?,
            lrt_extension: get(LRT_EXTENSION)?,
            vault_extension: get(VAULT_EXTENSION)?,
        })
    }
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It was already done: nothing sent.
    Skipped,
    /// One transaction.
    Sent {
        /// Its hash.
        hash: B256,
        /// Gas used.
        gas_used: u64,
        /// Gas × price, in wei.
        gas_fee: U256,
        /// `ArbWasm`'s activation data fee, in wei (deployments only).
        data_fee: U256,
    },
}

/// One step and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What it is (`deploy staking-vault`, `grant PAUSER_ROLE on …`).
    pub name: String,
    /// What it did.
    pub outcome: Outcome,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Skipped => write!(f, "  = {} (already done)", self.name),
            Outcome::Sent {
                hash,
                gas_used,
                gas_fee,
                data_fee,
            } => {
                write!(
                    f,
                    "  + {}: gas {gas_used}, fee {}",
                    self.name,
                    format_eth(*gas_fee)
                )?;
                if !data_fee.is_zero() {
                    write!(f, " + activation {}", format_eth(*data_fee))?;
                }
                write!(f, " (tx {hash})")
            }
        }
    }
}

/// A finished deployment.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where everything is.
    pub contracts: Contracts,
    /// Every step in order.
    pub steps: Vec<Step>,
    /// The addresses file.
    pub file: PathBuf,
    /// Views read back and found equal to the network file.
    pub verified: usize,
}

impl Report {
    /// Transactions sent.
    #[must_use]
    pub fn transactions(&self) -> usize {
        self.steps
            .iter()
            .filter(|step| step.outcome != Outcome::Skipped)
            .count()
    }

    /// Total gas and total ETH paid (gas and activation).
    #[must_use]
    pub fn totals(&self) -> (u64, U256) {
        self.steps
            .iter()
            .fold((0, U256::ZERO), |(gas, paid), step| match step.outcome {
                Outcome::Skipped => (gas, paid),
                Outcome::Sent {
                    gas_used,
                    gas_fee,
                    data_fee,
                    ..
                } => (gas + gas_used, paid + gas_fee + data_fee),
            })
    }
}

/// `keccak256(name)` as a role id.
#[must_use]
pub fn role(name: &str) -> B256 {
    keccak256(name)
}

/// The admin role.
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;

/// Deploys what is missing, wires and configures what is not yet, hands the admin role over,
/// then reads everything back. `progress` sees each step as it ends.
///
/// # Errors
/// The first [`DeployError`]; addresses deployed before it are in the addresses file, so a
/// re-run resumes.
pub async fn deploy(
    chain: &Chain,
    options: &Options,
    progress: &dyn Fn(&Step),
) -> Result<Report, DeployError> {
    let network = &options.network;
    let actual = chain.chain_id().await?;
    if actual != network.chain_id {
        return Err(DeployError::WrongChain {
            expected: network.chain_id,
            actual,
        });
    }
    if !chain.has_code(STYLUS_DEPLOYER).await? {
        return Err(DeployError::NoStylusDeployer(STYLUS_DEPLOYER));
    }
    let file = AddressBook::path(&options.addresses_dir, network.chain_id);
    let book = AddressBook::load(&file, network.chain_id)?;
    let mut run = Run {
        chain,
        options,
        roles: network.roles.resolve(chain.from()),
        book,
        file,
        steps: Vec::new(),
        codes: HashMap::new(),
        progress,
    };
    let contracts = run.contracts().await?;
    run.wire(&contracts).await?;
    let verified = verify(chain, network, &contracts).await?;
    Ok(Report {
        contracts,
        steps: run.steps,
        file: run.file,
        verified,
    })
}

/// The addresses recorded in `dir` for `network`, every one checked to hold code.
///
/// # Errors
/// [`DeployError::AddressesFile`] when the file is missing or incomplete, [`DeployError::NoCode`].
pub async fn recorded(
    chain: &Chain,
    dir: &Path,
    network: &Network,
) -> Result<Contracts, DeployError> {
    let file = AddressBook::path(dir, network.chain_id);
    let book = AddressBook::load(&file, network.chain_id)?;
    let contracts = Contracts::from_book(&book).map_err(|name| DeployError::AddressesFile {
        file: file.clone(),
        reason: format!("no {name}: run `deploy --network {}` first", network.name),
    })?;
    for (name, address) in &book.contracts {
        if !chain.has_code(*address).await? {
            return Err(DeployError::NoCode {
                name: name.clone(),
                address: *address,
                file,
            });
        }
    }
    Ok(contracts)
}

const VAULT: &str = "staking-vault";
const LST: &str = "lst-token";
const ALLOCATIONS: &str = "allocation-manager";
const MANAGER: &str = "restaking-manager";
const REGISTRIES: [&str; 2] = ["avs-registry-0", "avs-registry-1"];
const ALLOCATOR: &str = "lrt-allocator";
const LRT: &str = "lrt";
const LRT_TOKEN: &str = "lrt-token";
const LRT_EXTENSION: &str = "lrt-extension";
const VAULT_EXTENSION: &str = "staking-vault-extension";

struct Run<'a> {
    chain: &'a Chain,
    options: &'a Options,
    roles: ResolvedRoles,
    book: AddressBook,
    file: PathBuf,
    steps: Vec<Step>,
    /// Deployed code per wasm name (brotli at quality 11 is slow: once per run).
    codes: HashMap<&'static str, Vec<u8>>,
    progress: &'a dyn Fn(&Step),
}

impl Run<'_> {
    fn record(&mut self, name: String, outcome: Outcome) {
        let step = Step { name, outcome };
        (self.progress)(&step);
        self.steps.push(step);
    }

    /// The recorded address of `key`, checked to hold code.
    async fn recorded(&mut self, key: &str) -> Result<Option<Address>, DeployError> {
        let Some(&address) = self.book.contracts.get(key) else {
            return Ok(None);
        };
        if !self.chain.has_code(address).await? {
            return Err(DeployError::NoCode {
                name: key.to_owned(),
                address,
                file: self.file.clone(),
            });
        }
        self.record(format!("deploy {key} at {address}"), Outcome::Skipped);
        Ok(Some(address))
    }

    fn code(&mut self, wasm: &'static str) -> Result<Vec<u8>, DeployError> {
        if let Some(code) = self.codes.get(wasm) {
            return Ok(code.clone());
        }
        let path = self.options.wasm_dir.join(format!("{wasm}.wasm"));
        let bytes = std::fs::read(&path).map_err(|e| DeployError::Wasm {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let code = program::stylus_code(&bytes).map_err(|e| DeployError::Wasm {
            path,
            reason: e.to_string(),
        })?;
        self.codes.insert(wasm, code.clone());
        Ok(code)
    }

    /// The `StylusDeployer` call that deploys `code` (zero salt: CREATE); `init_data` is the
    /// constructor's calldata (empty: a program without a constructor, which the deployer then
    /// does not call).
    fn deploy_call(code: &[u8], init_data: Vec<u8>, salt: B256) -> StylusDeployer::deployCall {
        StylusDeployer::deployCall {
            bytecode: program::deploy_init_code(code).into(),
            initData: init_data.into(),
            initValue: U256::ZERO,
            salt,
        }
    }

    /// `key` from `wasm` with constructor `args`, unless recorded; `expected` is where it must
    /// land.
    async fn contract(
        &mut self,
        key: &str,
        wasm: &'static str,
        args: &[u8],
        salt: B256,
        expected: Option<Address>,
    ) -> Result<Address, DeployError> {
        self.program(key, wasm, constructor_calldata(args), salt, expected)
            .await
    }

    /// `key` from `wasm`, its constructor called with `init_data` (none when empty), unless
    /// recorded; `expected` is where it must land.
    async fn program(
        &mut self,
        key: &str,
        wasm: &'static str,
        init_data: Vec<u8>,
        salt: B256,
        expected: Option<Address>,
    ) -> Result<Address, DeployError> {
        if let Some(address) = self.recorded(key).await? {
            return Ok(address);
        }
        let code = self.code(wasm)?;
        let fee = self.chain.activation_fee(&code).await?;
        let call = Self::deploy_call(&code, init_data, salt);
        let step = format!("deploy {key}");
        let sent = self
            .send_paying(&step, STYLUS_DEPLOYER, fee, call.abi_encode().into())
            .await?;
        let address = sent
            .event::<StylusDeployer::ContractDeployed>()
            .map(|event| event.deployedContract)
            .ok_or_else(|| DeployError::Reverted {
                step: step.clone(),
                reason: "the StylusDeployer emitted no ContractDeployed. Check that the address holds the StylusDeployer.".to_owned(),
                data: Bytes::new(),
            })?;
        if let Some(expected) = expected.filter(|expected| *expected != address) {
            return Err(DeployError::Misplaced {
                name: key.to_owned(),
                expected,
                actual: address,
            });
        }
        self.book.contracts.insert(key.to_owned(), address);
        self.book.save(&self.file)?;
        self.record_activation(format!("deploy {key} at {address}"), &sent);
        Ok(address)
    }

    /// Sends `data` to `to` paying `ArbWasm`'s data `fee` plus 20% (the excess is refunded).
    async fn send_paying(
        &self,
        step: &str,
        to: Address,
        fee: U256,
        data: Bytes,
    ) -> Result<Sent, DeployError> {
        self.chain
            .send_raw(step, to, fee + fee / U256::from(5), data)
            .await
    }

    /// Records `sent` as `step`, with the data fee its `ProgramActivated` event reports (zero
    /// when the code was already active).
    fn record_activation(&mut self, step: String, sent: &Sent) {
        let data_fee = sent
            .event::<ArbWasm::ProgramActivated>()
            .map_or(U256::ZERO, |event| event.dataFee);
        self.record(
            step,
            Outcome::Sent {
                hash: sent.hash,
                gas_used: sent.gas_used,
                gas_fee: sent.gas_fee,
                data_fee,
            },
        );
    }

    /// `key`, the program `wasm` that `parent` creates as its first creation with the call
    /// `create` makes of the code, unless `existing` (the parent's view of it) is already
    /// there; then activated through `ArbWasm` unless its code already is (the same code
    /// activated elsewhere before).
    async fn created<C: SolCall>(
        &mut self,
        key: &str,
        wasm: &'static str,
        parent: Address,
        existing: Address,
        create: impl FnOnce(Bytes) -> C,
    ) -> Result<Address, DeployError> {
        let address = parent.create(1);
        let code = self.code(wasm)?;
        self.ensure(
            format!("create {key} at {address} by {parent}"),
            existing == address,
            parent,
            &create(code.clone().into()),
        )
        .await?;
        self.book.contracts.insert(key.to_owned(), address);
        self.book.save(&self.file)?;
        let fee = self.chain.activation_fee(&code).await?;
        let step = format!("activate {key}");
        if fee.is_zero() {
            self.record(step, Outcome::Skipped);
            return Ok(address);
        }
        let call = ArbWasm::activateProgramCall { program: address };
        let sent = self
            .send_paying(&step, ARB_WASM, fee, call.abi_encode().into())
            .await?;
        self.record_activation(step, &sent);
        Ok(address)
    }

    /// Sends `call` to `to` unless `done`.
    async fn ensure<C: SolCall>(
        &mut self,
        name: String,
        done: bool,
        to: Address,
        call: &C,
    ) -> Result<(), DeployError> {
        if done {
            self.record(name, Outcome::Skipped);
            return Ok(());
        }
        let sent = self
            .chain
            .send_raw(&name, to, U256::ZERO, Bytes::from(call.abi_encode()))
            .await?;
        self.record(
            name,
            Outcome::Sent {
                hash: sent.hash,
                gas_used: sent.gas_used,
                gas_fee: sent.gas_fee,
                data_fee: U256::ZERO,
            },
        );
        Ok(())
    }

    async fn contracts(&mut self) -> Result<Contracts, DeployError> {
        let deployer = self.chain.from();
        let roles = self.roles;
        // The extension programs have no constructor: each contract binds its own.
        let vault_extension = self
            .program(
                VAULT_EXTENSION,
                "staking-vault-extension",
                Vec::new(),
                B256::ZERO,
                None,
            )
            .await?;
        let vault = self
            .contract(
                VAULT,
                "staking-vault",
                &(
                    deployer,
                    roles.treasury,
                    roles.validator_operator,
                    vault_extension,
                )
                    .abi_encode_params(),
                B256::ZERO,
                None,
            )
            .await?;
        let token = self.chain.view(vault, &Vault::tokenCall {}).await?;
        let lst = self
            .created(LST, "lst-token", vault, token, |code| {
                Vault::createTokenCall { code }
            })
            .await?;
        let allocations = self
            .contract(
                ALLOCATIONS,
                "allocation-manager",
                &deployer.abi_encode(),
                B256::ZERO,
                None,
            )
            .await?;
        let manager = self
            .contract(
                MANAGER,
                "restaking-manager",
                &(
                    deployer,
                    vault,
                    allocations,
                    roles.treasury,
                    roles.slash_recipient,
                )
                    .abi_encode_params(),
                B256::ZERO,
                None,
            )
            .await?;
        let mut registries = [Address::ZERO; 2];
        for (registry, key) in registries.iter_mut().zip(REGISTRIES) {
            *registry = self
                .contract(
                    key,
                    "avs-registry",
                    &(manager, deployer).abi_encode_params(),
                    B256::ZERO,
                    None,
                )
                .await?;
        }
        let lrt_extension = self
            .program(LRT_EXTENSION, "lrt-extension", Vec::new(), B256::ZERO, None)
            .await?;
        let (allocator, lrt) = self.lrt_pair(vault, manager, lrt_extension).await?;
        let share = self.chain.view(lrt, &Lrt::shareCall {}).await?;
        let lrt_token = self
            .created(LRT_TOKEN, "lrt-token", lrt, share, |code| {
                Lrt::createShareCall { code }
            })
            .await?;
        Ok(Contracts {
            vault,
            lst,
            allocations,
            manager,
            registries,
            allocator,
            lrt,
            lrt_token,
            lrt_extension,
            vault_extension,
        })
    }

    /// The allocator (the deployer's next CREATE) and the LRT (a CREATE2 whose address follows
    /// from its init data, which names the allocator), so each is built with the other's address.
    async fn lrt_pair(
        &mut self,
        vault: Address,
        manager: Address,
        extension: Address,
    ) -> Result<(Address, Address), DeployError> {
        let deployer = self.chain.from();
        let allocator = if let Some(allocator) = self.recorded(ALLOCATOR).await? {
            allocator
        } else {
            // The allocator is the deployer's next CREATE; the LRT's CREATE2 address follows
            // from its init data, which names the allocator.
            let next = self.chain.nonce(STYLUS_DEPLOYER).await?;
            let allocator = STYLUS_DEPLOYER.create(next);
            let lrt = self.lrt_address(vault, allocator, extension)?;
            self.contract(
                ALLOCATOR,
                "lrt-allocator",
                &(deployer, lrt, manager).abi_encode_params(),
                B256::ZERO,
                Some(allocator),
            )
            .await?
        };
        let lrt = if let Some(lrt) = self.recorded(LRT).await? {
            lrt
        } else {
            let expected = self.chain.view(allocator, &Allocator::lrtCall {}).await?;
            self.contract(
                LRT,
                "lrt",
                &(deployer, vault, allocator, extension).abi_encode_params(),
                self.options.network.lrt_salt,
                Some(expected),
            )
            .await?
        };
        Ok((allocator, lrt))
    }

    /// Where the LRT lands when the allocator is at `allocator`.
    fn lrt_address(
        &mut self,
        vault: Address,
        allocator: Address,
        extension: Address,
    ) -> Result<Address, DeployError> {
        let code = self.code("lrt")?;
        let args = (self.chain.from(), vault, allocator, extension).abi_encode_params();
        let call = Self::deploy_call(
            &code,
            constructor_calldata(&args),
            self.options.network.lrt_salt,
        );
        Ok(STYLUS_DEPLOYER.create2(
            init_salt(call.salt, &call.initData),
            keccak256(&call.bytecode),
        ))
    }

    async fn grant(
        &mut self,
        contract: Address,
        name: &str,
        account: Address,
    ) -> Result<(), DeployError> {
        let id = if name == "DEFAULT_ADMIN_ROLE" {
            DEFAULT_ADMIN_ROLE
        } else {
            role(name)
        };
        let held = self
            .chain
            .view(contract, &AccessControl::hasRoleCall { role: id, account })
            .await?;
        self.ensure(
            format!("grant {name} on {contract} to {account}"),
            held,
            contract,
            &AccessControl::grantRoleCall { role: id, account },
        )
        .await
    }

    async fn wire(&mut self, c: &Contracts) -> Result<(), DeployError> {
        self.roles(c).await?;
        self.whitelist(c).await?;
        self.vault_parameters(c).await?;
        self.other_parameters(c).await?;
        self.handover(c).await
    }

    async fn roles(&mut self, c: &Contracts) -> Result<(), DeployError> {
        let roles = self.roles;
        self.grant(c.vault, "ORACLE_ROLE", roles.oracle).await?;
        self.grant(c.vault, "ALLOCATOR_ROLE", roles.keeper).await?;
        self.grant(c.allocator, "ALLOCATOR_ROLE", roles.keeper)
            .await?;
        self.grant(c.lrt, "ALLOCATOR_ROLE", roles.keeper).await?;
        for contract in c.governed() {
            self.grant(contract, "PAUSER_ROLE", roles.pauser).await?;
        }
        for registry in c.registries {
            self.grant(registry, "SLASHER_ROLE", roles.slasher).await?;
        }
        Ok(())
    }

    async fn whitelist(&mut self, c: &Contracts) -> Result<(), DeployError> {
        for registry in c.registries {
            let listed = self
                .chain
                .view(c.allocations, &Allocations::isRegistryCall { registry })
                .await?;
            self.ensure(
                format!("whitelist registry {registry}"),
                listed,
                c.allocations,
                &Allocations::setRegistryCall {
                    registry,
                    whitelisted: true,
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn vault_parameters(&mut self, c: &Contracts) -> Result<(), DeployError> {
        let roles = self.roles;
        let network = self.options.network.clone();
        let v = &network.vault;
        let done = self.chain.view(c.vault, &Vault::minDepositCall {}).await? == v.min_deposit.0
            && self.chain.view(c.vault, &Vault::depositCapCall {}).await? == v.deposit_cap.0;
        self.ensure(
            "vault deposit limits".to_owned(),
            done,
            c.vault,
            &Vault::setDepositLimitsCall {
                min_deposit: v.min_deposit.0,
                deposit_cap: v.deposit_cap.0,
            },
        )
        .await?;
        let done = self
            .chain
            .view(c.vault, &Vault::minWithdrawalCall {})
            .await?
            == v.min_withdrawal.0
            && self
                .chain
                .view(c.vault, &Vault::maxWithdrawalCall {})
                .await?
                == v.max_withdrawal.0;
        self.ensure(
            "vault withdrawal limits".to_owned(),
            done,
            c.vault,
            &Vault::setWithdrawalLimitsCall {
                min_withdrawal: v.min_withdrawal.0,
                max_withdrawal: v.max_withdrawal.0,
            },
        )
        .await?;
        let done = self.chain.view(c.vault, &Vault::feeBpsCall {}).await? == v.fee_bps;
        self.ensure(
            "vault fee".to_owned(),
            done,
            c.vault,
            &Vault::setFeeCall { fee_bps: v.fee_bps },
        )
        .await?;
        let done = self.chain.view(c.vault, &Vault::maxAprBpsCall {}).await? == v.max_apr_bps
            && self.chain.view(c.vault, &Vault::maxLossBpsCall {}).await? == v.max_loss_bps
            && self
                .chain
                .view(c.vault, &Vault::minReportIntervalCall {})
                .await?
                == v.min_report_interval;
        self.ensure(
            "vault report bounds".to_owned(),
            done,
            c.vault,
            &Vault::setReportBoundsCall {
                max_apr_bps: v.max_apr_bps,
                max_loss_bps: v.max_loss_bps,
                min_report_interval: v.min_report_interval,
            },
        )
        .await?;
        let done = self.chain.view(c.vault, &Vault::treasuryCall {}).await? == roles.treasury;
        self.ensure(
            "vault treasury".to_owned(),
            done,
            c.vault,
            &Vault::setTreasuryCall {
                treasury: roles.treasury,
            },
        )
        .await?;
        let done = self
            .chain
            .view(c.vault, &Vault::validatorOperatorCall {})
            .await?
            == roles.validator_operator;
        self.ensure(
            "vault validator operator".to_owned(),
            done,
            c.vault,
            &Vault::setValidatorOperatorCall {
                operator: roles.validator_operator,
            },
        )
        .await?;
        Ok(())
    }

    async fn other_parameters(&mut self, c: &Contracts) -> Result<(), DeployError> {
        let roles = self.roles;
        let network = self.options.network.clone();
        let a = &network.allocation_manager;
        let done = self
            .chain
            .view(c.allocations, &Allocations::operatorFeeCapBpsCall {})
            .await?
            == a.operator_fee_cap_bps
            && self
                .chain
                .view(c.allocations, &Allocations::delayCall {})
                .await?
                == a.delay;
        self.ensure(
            "allocation manager parameters".to_owned(),
            done,
            c.allocations,
            &Allocations::setParametersCall {
                operator_fee_cap_bps: a.operator_fee_cap_bps,
                delay: a.delay,
            },
        )
        .await?;
        let m = &network.restaking_manager;
        let done = self
            .chain
            .view(c.manager, &Manager::protocolFeeBpsCall {})
            .await?
            == m.protocol_fee_bps
            && self
                .chain
                .view(c.manager, &Manager::maxSlashBpsCall {})
                .await?
                == m.max_slash_bps
            && self
                .chain
                .view(c.manager, &Manager::withdrawalDelayCall {})
                .await?
                == m.withdrawal_delay;
        self.ensure(
            "restaking manager parameters".to_owned(),
            done,
            c.manager,
            &Manager::setParametersCall {
                protocol_fee_bps: m.protocol_fee_bps,
                max_slash_bps: m.max_slash_bps,
                withdrawal_delay: m.withdrawal_delay,
            },
        )
        .await?;
        let done = self
            .chain
            .view(c.manager, &Manager::treasuryCall {})
            .await?
            == roles.treasury
            && self
                .chain
                .view(c.manager, &Manager::slashRecipientCall {})
                .await?
                == roles.slash_recipient;
        self.ensure(
            "restaking manager recipients".to_owned(),
            done,
            c.manager,
            &Manager::setRecipientsCall {
                treasury: roles.treasury,
                slash_recipient: roles.slash_recipient,
            },
        )
        .await?;
        let l = &network.lrt;
        let done = self.chain.view(c.lrt, &Lrt::minDepositCall {}).await? == l.min_deposit.0
            && self.chain.view(c.lrt, &Lrt::depositCapCall {}).await? == l.deposit_cap.0
            && self.chain.view(c.lrt, &Lrt::minRedeemCall {}).await? == l.min_redeem.0;
        self.ensure(
            "LRT limits".to_owned(),
            done,
            c.lrt,
            &Lrt::setLimitsCall {
                min_deposit: l.min_deposit.0,
                deposit_cap: l.deposit_cap.0,
                min_redeem: l.min_redeem.0,
            },
        )
        .await?;
        Ok(())
    }

    /// The admin role to its holder, then the deployer steps down.
    async fn handover(&mut self, c: &Contracts) -> Result<(), DeployError> {
        let roles = self.roles;
        let deployer = self.chain.from();
        if roles.admin != deployer {
            for contract in c.governed() {
                self.grant(contract, "DEFAULT_ADMIN_ROLE", roles.admin)
                    .await?;
            }
            for contract in c.governed() {
                let held = self
                    .chain
                    .view(
                        contract,
                        &AccessControl::hasRoleCall {
                            role: DEFAULT_ADMIN_ROLE,
                            account: deployer,
                        },
                    )
                    .await?;
                self.ensure(
                    format!("renounce the deployer's admin role on {contract}"),
                    !held,
                    contract,
                    &AccessControl::renounceRoleCall {
                        role: DEFAULT_ADMIN_ROLE,
                        caller_confirmation: deployer,
                    },
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// Reads every address link, name, role and parameter back and compares it with `network`
/// (role holders resolved against `chain`'s account); returns how many views were checked.
///
/// # Errors
/// [`DeployError::Mismatch`] at the first difference, [`DeployError::Rpc`].
pub async fn verify(chain: &Chain, network: &Network, c: &Contracts) -> Result<usize, DeployError> {
    let roles = network.roles.resolve(chain.from());
    let mut checks = Checks::default();
    let t = &network.tokens;
    checks.eq(
        "vault.token",
        c.lst,
        chain.view(c.vault, &Vault::tokenCall {}).await?,
    )?;
    checks.eq(
        "vault.extension",
        c.vault_extension,
        chain.view(c.vault, &Vault::extensionCall {}).await?,
    )?;
    checks.eq(
        "lst.vault",
        c.vault,
        chain
            .view(c.lst, &abi::lst::ILstToken::vaultCall {})
            .await?,
    )?;
    checks.eq(
        "lst.name",
        t.lst_name.clone(),
        chain.view(c.lst, &Erc20::nameCall {}).await?,
    )?;
    checks.eq(
        "lst.symbol",
        t.lst_symbol.clone(),
        chain.view(c.lst, &Erc20::symbolCall {}).await?,
    )?;
    checks.eq(
        "lrt-token.name",
        t.lrt_name.clone(),
        chain.view(c.lrt_token, &Erc20::nameCall {}).await?,
    )?;
    checks.eq(
        "lrt-token.symbol",
        t.lrt_symbol.clone(),
        chain.view(c.lrt_token, &Erc20::symbolCall {}).await?,
    )?;
    checks.eq(
        "lrt-token.vault",
        c.lrt,
        chain
            .view(c.lrt_token, &abi::lrt_token::ILrtToken::vaultCall {})
            .await?,
    )?;
    checks.eq(
        "manager.vault",
        c.vault,
        chain.view(c.manager, &Manager::vaultCall {}).await?,
    )?;
    checks.eq(
        "manager.token",
        c.lst,
        chain.view(c.manager, &Manager::tokenCall {}).await?,
    )?;
    checks.eq(
        "manager.allocationManager",
        c.allocations,
        chain
            .view(c.manager, &Manager::allocationManagerCall {})
            .await?,
    )?;
    for registry in c.registries {
        checks.eq(
            "registry.manager",
            c.manager,
            chain.view(registry, &Registry::managerCall {}).await?,
        )?;
        checks.eq(
            "allocations.isRegistry",
            true,
            chain
                .view(c.allocations, &Allocations::isRegistryCall { registry })
                .await?,
        )?;
    }
    verify_lrt_links(chain, c, &roles, &mut checks).await?;
    verify_parameters(chain, network, c, &mut checks).await?;
    verify_roles(chain, c, &roles, &mut checks).await?;
    Ok(checks.count)
}

/// The LRT side's links and the recipients.
async fn verify_lrt_links(
    chain: &Chain,
    c: &Contracts,
    roles: &ResolvedRoles,
    checks: &mut Checks,
) -> Result<(), DeployError> {
    checks.eq(
        "allocator.lrt",
        c.lrt,
        chain.view(c.allocator, &Allocator::lrtCall {}).await?,
    )?;
    checks.eq(
        "allocator.manager",
        c.manager,
        chain.view(c.allocator, &Allocator::managerCall {}).await?,
    )?;
    checks.eq(
        "allocator.token",
        c.lst,
        chain.view(c.allocator, &Allocator::tokenCall {}).await?,
    )?;
    checks.eq(
        "lrt.vault",
        c.vault,
        chain.view(c.lrt, &Lrt::vaultCall {}).await?,
    )?;
    checks.eq(
        "lrt.allocator",
        c.allocator,
        chain.view(c.lrt, &Lrt::allocatorCall {}).await?,
    )?;
    checks.eq(
        "lrt.extension",
        c.lrt_extension,
        chain.view(c.lrt, &Lrt::extensionCall {}).await?,
    )?;
    checks.eq(
        "lrt.share",
        c.lrt_token,
        chain.view(c.lrt, &Lrt::shareCall {}).await?,
    )?;
    checks.eq(
        "lrt.asset",
        c.lst,
        chain.view(c.lrt, &Lrt::assetCall {}).await?,
    )?;
    checks.eq(
        "vault.treasury",
        roles.treasury,
        chain.view(c.vault, &Vault::treasuryCall {}).await?,
    )?;
    checks.eq(
        "vault.validatorOperator",
        roles.validator_operator,
        chain
            .view(c.vault, &Vault::validatorOperatorCall {})
            .await?,
    )?;
    checks.eq(
        "manager.treasury",
        roles.treasury,
        chain.view(c.manager, &Manager::treasuryCall {}).await?,
    )?;
    checks.eq(
        "manager.slashRecipient",
        roles.slash_recipient,
        chain
            .view(c.manager, &Manager::slashRecipientCall {})
            .await?,
    )?;
    Ok(())
}

async fn verify_parameters(
    chain: &Chain,
    network: &Network,
    c: &Contracts,
    checks: &mut Checks,
) -> Result<(), DeployError> {
    let vault = &network.vault;
    checks.eq(
        "vault.minDeposit",
        vault.min_deposit.0,
        chain.view(c.vault, &Vault::minDepositCall {}).await?,
    )?;
    checks.eq(
        "vault.depositCap",
        vault.deposit_cap.0,
        chain.view(c.vault, &Vault::depositCapCall {}).await?,
    )?;
    checks.eq(
        "vault.minWithdrawal",
        vault.min_withdrawal.0,
        chain.view(c.vault, &Vault::minWithdrawalCall {}).await?,
    )?;
    checks.eq(
        "vault.maxWithdrawal",
        vault.max_withdrawal.0,
        chain.view(c.vault, &Vault::maxWithdrawalCall {}).await?,
    )?;
    checks.eq(
        "vault.feeBps",
        vault.fee_bps,
        chain.view(c.vault, &Vault::feeBpsCall {}).await?,
    )?;
    checks.eq(
        "vault.maxAprBps",
        vault.max_apr_bps,
        chain.view(c.vault, &Vault::maxAprBpsCall {}).await?,
    )?;
    checks.eq(
        "vault.maxLossBps",
        vault.max_loss_bps,
        chain.view(c.vault, &Vault::maxLossBpsCall {}).await?,
    )?;
    checks.eq(
        "vault.minReportInterval",
        vault.min_report_interval,
        chain
            .view(c.vault, &Vault::minReportIntervalCall {})
            .await?,
    )?;
    let allocations = &network.allocation_manager;
    checks.eq(
        "allocations.operatorFeeCapBps",
        allocations.operator_fee_cap_bps,
        chain
            .view(c.allocations, &Allocations::operatorFeeCapBpsCall {})
            .await?,
    )?;
    checks.eq(
        "allocations.delay",
        allocations.delay,
        chain
            .view(c.allocations, &Allocations::delayCall {})
            .await?,
    )?;
    let manager = &network.restaking_manager;
    checks.eq(
        "manager.protocolFeeBps",
        manager.protocol_fee_bps,
        chain
            .view(c.manager, &Manager::protocolFeeBpsCall {})
            .await?,
    )?;
    checks.eq(
        "manager.maxSlashBps",
        manager.max_slash_bps,
        chain.view(c.manager, &Manager::maxSlashBpsCall {}).await?,
    )?;
    checks.eq(
        "manager.withdrawalDelay",
        manager.withdrawal_delay,
        chain
            .view(c.manager, &Manager::withdrawalDelayCall {})
            .await?,
    )?;
    let lrt = &network.lrt;
    checks.eq(
        "lrt.minDeposit",
        lrt.min_deposit.0,
        chain.view(c.lrt, &Lrt::minDepositCall {}).await?,
    )?;
    checks.eq(
        "lrt.depositCap",
        lrt.deposit_cap.0,
        chain.view(c.lrt, &Lrt::depositCapCall {}).await?,
    )?;
    checks.eq(
        "lrt.minRedeem",
        lrt.min_redeem.0,
        chain.view(c.lrt, &Lrt::minRedeemCall {}).await?,
    )?;
    Ok(())
}

async fn verify_roles(
    chain: &Chain,
    c: &Contracts,
    roles: &ResolvedRoles,
    checks: &mut Checks,
) -> Result<(), DeployError> {
    let mut held = vec![
        (c.vault, "ORACLE_ROLE", roles.oracle),
        (c.vault, "ALLOCATOR_ROLE", roles.keeper),
        (c.allocator, "ALLOCATOR_ROLE", roles.keeper),
        (c.lrt, "ALLOCATOR_ROLE", roles.keeper),
    ];
    for contract in c.governed() {
        held.push((contract, "PAUSER_ROLE", roles.pauser));
        held.push((contract, "DEFAULT_ADMIN_ROLE", roles.admin));
    }
    for registry in c.registries {
        held.push((registry, "SLASHER_ROLE", roles.slasher));
    }
    for (contract, name, account) in held {
        let id = if name == "DEFAULT_ADMIN_ROLE" {
            DEFAULT_ADMIN_ROLE
        } else {
            role(name)
        };
        let has = chain
            .view(contract, &AccessControl::hasRoleCall { role: id, account })
            .await?;
        checks.eq(&format!("{contract}.hasRole({name}, {account})"), true, has)?;
    }
    Ok(())
}

#[derive(Default)]
struct Checks {
    count: usize,
}

impl Checks {
    fn eq<T: PartialEq + fmt::Debug>(
        &mut self,
        what: &str,
        expected: T,
        actual: T,
    ) -> Result<(), DeployError> {
        self.count += 1;
        match (expected, actual) {
            (expected, actual) if expected == actual => Ok(()),
            (expected, actual) => Err(DeployError::Mismatch {
                what: what.to_owned(),
                expected: format!("{expected:?}"),
                actual: format!("{actual:?}"),
            }),
        }
    }
}
