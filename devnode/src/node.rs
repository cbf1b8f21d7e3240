//! The node and its Rust API: one transaction per block, typed calls and logs, time, snapshots.
//!
//! The chain lives on a worker thread with a large stack (wasm → EVM → wasm recursion to depth
//! 1,024 needs it); [`Node`] sends it jobs and waits for their results, so a `Node` can be used
//! from any thread, and its methods take `&self`.

use std::{
    sync::mpsc,
    thread::{self, JoinHandle},
};

use alloy_primitives::{address, keccak256, Address, Bytes, Log, TxKind, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use revm::{
    bytecode::Bytecode,
    context::{BlockEnv, Context, ContextSetters, TxEnv},
    context_interface::{
        result::{EVMError, ExecutionResult},
        JournalTr,
    },
    database::InMemoryDB,
    handler::Handler,
    primitives::hardfork::SpecId,
    state::AccountInfo,
    DatabaseCommit, DatabaseRef,
};

use crate::{
    arbwasm::{ArbWasm, ARB_WASM},
    arbwasm_cache::ARB_WASM_CACHE,
    deployer::{CREATE2_FACTORY, CREATE2_FACTORY_CODE, STYLUS_DEPLOYER},
    exec::{self, Ctx, NodeHandler, Programs, Session},
    host::ProgramFrame,
    program::{self, ActivationError},
};

/// Chain id of Nitro's dev node.
pub const CHAIN_ID: u64 = 412_346;
/// Gas limit of a transaction unless one is given.
pub const DEFAULT_GAS_LIMIT: u64 = 30_000_000;
/// The sequencer's coinbase on Arbitrum chains.
pub const COINBASE: Address = address!("A4b000000000000000000073657175656e636572");
/// Gas a call that sends value adds for its callee (the estimate's first guess keeps room for
/// one).
const CALL_STIPEND_GAS: u64 = 2_300;
/// Stack of the worker thread that runs transactions (virtual memory; pages are touched only
/// by deep recursion).
const WORKER_STACK_BYTES: usize = 1 << 30;

/// Chain parameters of a new node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeConfig {
    /// Chain id.
    pub chain_id: u64,
    /// Timestamp of the first block (unix seconds).
    pub timestamp: u64,
    /// Base fee in wei; transactions pay exactly this gas price.
    pub basefee: u64,
    /// Block gas limit (the `block_gas_limit` hostio).
    pub block_gas_limit: u64,
}

impl Default for NodeConfig {
    fn default() -> Self {
        Self {
            chain_id: CHAIN_ID,
            timestamp: 1_700_000_000,
            basefee: 100_000_000,
            block_gas_limit: 32_000_000,
        }
    }
}

/// A transaction to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tx {
    /// Sender.
    pub from: Address,
    /// Callee, or `None` to create a contract from `data`.
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Calldata or init code.
    pub data: Bytes,
    /// Gas limit.
    pub gas_limit: u64,
    /// The nonce the transaction was signed with; `None` takes the sender's current nonce.
    /// revm refuses a mined transaction whose nonce is not the sender's.
    pub nonce: Option<u64>,
}

impl Tx {
    /// A call of `to` with `data`.
    #[must_use]
    pub fn call(from: Address, to: Address, data: impl Into<Bytes>) -> Self {
        Self {
            from,
            to: Some(to),
            value: U256::ZERO,
            data: data.into(),
            gas_limit: DEFAULT_GAS_LIMIT,
            nonce: None,
        }
    }

    /// A contract creation with `init_code`.
    #[must_use]
    pub fn create(from: Address, init_code: impl Into<Bytes>) -> Self {
        Self {
            to: None,
            ..Self::call(from, Address::ZERO, init_code)
        }
    }

    /// The same transaction sending `value` wei.
    #[must_use]
    pub fn value(mut self, value: U256) -> Self {
        self.value = value;
        self
    }

    /// The same transaction with another gas limit.
    #[must_use]
    pub fn gas(mut self, gas_limit: u64) -> Self {
        self.gas_limit = gas_limit;
        self
    }

    /// The same transaction with an explicit nonce.
    #[must_use]
    pub fn nonce(mut self, nonce: u64) -> Self {
        self.nonce = Some(nonce);
        self
    }
}

/// Changes to one account that a call (`eth_call`, `eth_estimateGas`) runs against, without
/// touching the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountOverride {
    /// Replaces the balance.
    pub balance: Option<U256>,
    /// Replaces the nonce.
    pub nonce: Option<u64>,
    /// Replaces the code.
    pub code: Option<Bytes>,
    /// Replaces the whole storage with these slots.
    pub state: Option<Vec<(U256, U256)>>,
    /// Sets these slots, keeping the others.
    pub state_diff: Vec<(U256, U256)>,
}

/// Overrides per account.
pub type StateOverrides = Vec<(Address, AccountOverride)>;

/// Relative tolerance of [`Node::estimate_gas`]'s search (geth's `eth_estimateGas` stops within
/// 1.5 % of the lowest gas limit that succeeds).
const ESTIMATE_TOLERANCE_PER_MILLE: u64 = 15;

/// What a transaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Whether it succeeded.
    pub success: bool,
    /// Gas used (after refunds).
    pub gas_used: u64,
    /// Return or revert data.
    pub output: Bytes,
    /// Logs (empty unless it succeeded).
    pub logs: Vec<Log>,
    /// The created contract, for a successful creation.
    pub contract_address: Option<Address>,
    /// Why it halted (out of gas, depth, …), for a halt.
    pub halt_reason: Option<String>,
    /// Its block.
    pub block_number: u64,
    /// Storage slots whose value it changed (original → present), sorted by account and slot.
    pub storage_writes: Vec<StorageWrite>,
    /// Accounts that were empty before it and hold ETH after (value sent to a new account).
    pub funded_new_accounts: Vec<Address>,
    /// Where the gas of each call to a Stylus program went, callers before callees (reverted
    /// calls included).
    pub program_frames: Vec<ProgramFrame>,
}

/// A storage slot a transaction changed, from revm's result state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageWrite {
    /// The account.
    pub address: Address,
    /// The slot.
    pub slot: U256,
    /// Its value before the transaction.
    pub original: U256,
    /// Its value after.
    pub present: U256,
}

/// The changed slots and the newly funded accounts of a transaction's result state.
fn state_diff(state: &revm::state::EvmState) -> (Vec<StorageWrite>, Vec<Address>) {
    let mut writes: Vec<StorageWrite> = state
        .iter()
        .flat_map(|(address, account)| {
            account
                .changed_storage_slots()
                .filter(|(_, slot)| slot.original_value != slot.present_value)
                .map(|(key, slot)| StorageWrite {
                    address: *address,
                    slot: *key,
                    original: slot.original_value,
                    present: slot.present_value,
                })
        })
        .collect();
    writes.sort_by_key(|w| (w.address, w.slot));
    let mut funded: Vec<Address> = state
        .iter()
        .filter(|(_, account)| {
            account.original_info().is_empty() && !account.info.balance.is_zero()
        })
        .map(|(address, _)| *address)
        .collect();
    funded.sort();
    (writes, funded)
}

impl Receipt {
    /// The logs of event `E`, decoded (logs of other events are skipped).
    #[must_use]
    pub fn events<E: SolEvent>(&self) -> Vec<E> {
        self.logs
            .iter()
            .filter(|log| log.topics().first() == Some(&E::SIGNATURE_HASH))
            .filter_map(|log| E::decode_log_data(&log.data).ok())
            .collect()
    }

    /// The revert data decoded as error `E`, if it is one.
    #[must_use]
    pub fn revert<E: SolError>(&self) -> Option<E> {
        if self.success {
            return None;
        }
        E::abi_decode(&self.output).ok()
    }
}

/// A successful transaction's decoded return value and its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed<R> {
    /// The decoded return value.
    pub returned: R,
    /// The receipt.
    pub receipt: Receipt,
}

/// The three transactions of a Stylus deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The program's address.
    pub address: Address,
    /// The creation (43-byte prelude + code).
    pub deploy: Receipt,
    /// `activateProgram`, unless the same code was activated already.
    pub activation: Option<Receipt>,
    /// The constructor call, when there was one.
    pub constructor: Option<Receipt>,
    /// The data fee paid at activation (zero when activation was skipped).
    pub data_fee: U256,
}

/// Why a node operation failed.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The transaction or call reverted.
    #[error("reverted with 0x{}", alloy_primitives::hex::encode(.receipt.output.as_ref()))]
    Reverted {
        /// Its receipt (the revert data is `receipt.output`).
        receipt: Box<Receipt>,
    },
    /// The transaction or call halted (out of gas, depth, invalid opcode, …).
    #[error("halted: {}", .receipt.halt_reason.as_deref().unwrap_or("unknown"))]
    Halted {
        /// Its receipt.
        receipt: Box<Receipt>,
    },
    /// The transaction is invalid (funds for gas, nonce, gas limit, …).
    #[error("invalid transaction: {0}")]
    InvalidTransaction(String),
    /// Activation refused the program.
    #[error("activation failed: {0}")]
    Activation(#[from] ActivationError),
    /// The return data does not decode as the call's return type.
    #[error("cannot decode the return data: {0}")]
    Decode(#[from] alloy_sol_types::Error),
    /// No snapshot has this id (it was reverted to, or never taken).
    #[error("no snapshot with id {0}")]
    UnknownSnapshot(usize),
    /// The node itself failed.
    #[error("node error: {0}")]
    Internal(String),
}

/// A snapshot: state, block environment and whether a block was open.
type Snapshot = (InMemoryDB, BlockEnv, bool);

impl NodeError {
    /// The revert data decoded as error `E`, for a revert.
    #[must_use]
    pub fn revert_as<E: SolError>(&self) -> Option<E> {
        match self {
            Self::Reverted { receipt } => E::abi_decode(&receipt.output).ok(),
            _ => None,
        }
    }

    fn from_receipt(receipt: Receipt) -> Self {
        if receipt.halt_reason.is_some() {
            Self::Halted {
                receipt: Box::new(receipt),
            }
        } else {
            Self::Reverted {
                receipt: Box::new(receipt),
            }
        }
    }
}

/// Calldata of a Stylus constructor call: the selector of `stylus_constructor()` and the
/// ABI-encoded arguments.
#[must_use]
pub fn constructor_calldata(args: &[u8]) -> Vec<u8> {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend_from_slice(args);
    data
}

type Job = Box<dyn FnOnce(&mut Chain) + Send>;

/// A local Stylus chain (see the module documentation).
pub struct Node {
    jobs: Option<mpsc::Sender<Job>>,
    worker: Option<JoinHandle<()>>,
    config: NodeConfig,
}

impl Default for Node {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Node {
    /// A node with the default [`NodeConfig`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_config(NodeConfig::default())
    }

    /// A node with the given chain parameters.
    ///
    /// # Panics
    /// When the worker thread cannot be started.
    #[must_use]
    pub fn with_config(config: NodeConfig) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let worker = thread::Builder::new()
            .name("devnode".into())
            .stack_size(WORKER_STACK_BYTES)
            .spawn(move || {
                let mut chain = Chain::new(config);
                while let Ok(job) = inbox.recv() {
                    job(&mut chain);
                }
            })
            .expect("spawning the node's worker thread (reason: threads are available)");
        Self {
            jobs: Some(jobs),
            worker: Some(worker),
            config,
        }
    }

    fn run<R: Send + 'static>(&self, job: impl FnOnce(&mut Chain) -> R + Send + 'static) -> R {
        let (reply, result) = mpsc::sync_channel(1);
        self.jobs
            .as_ref()
            .expect("the job sender lives until drop (reason: only Drop takes it)")
            .send(Box::new(move |chain| {
                let _ = reply.send(job(chain));
            }))
            .expect("the node's worker is running (reason: it panicked otherwise)");
        result
            .recv()
            .expect("the node's worker answered (reason: it panicked otherwise)")
    }

    /// The chain parameters.
    #[must_use]
    pub fn config(&self) -> NodeConfig {
        self.config
    }

    /// Adds `wei` to `account`'s balance.
    pub fn fund(&self, account: Address, wei: U256) {
        self.run(move |chain| chain.modify_account(account, |info| info.balance += wei));
    }

    /// Sets `account`'s balance to `wei` (`anvil_setBalance`).
    pub fn set_balance(&self, account: Address, wei: U256) {
        self.run(move |chain| chain.modify_account(account, |info| info.balance = wei));
    }

    /// The balance of `account`.
    #[must_use]
    pub fn balance(&self, account: Address) -> U256 {
        self.run(move |chain| chain.account(account).balance)
    }

    /// The nonce of `account`.
    #[must_use]
    pub fn nonce(&self, account: Address) -> u64 {
        self.run(move |chain| chain.account(account).nonce)
    }

    /// The code of `account`.
    #[must_use]
    pub fn code(&self, account: Address) -> Bytes {
        self.run(move |chain| chain.code(account))
    }

    /// The storage word of `account` at `slot`.
    #[must_use]
    pub fn storage(&self, account: Address, slot: U256) -> U256 {
        self.run(move |chain| {
            let Ok(value) = chain.db().storage_ref(account, slot);
            value
        })
    }

    /// Replaces the code of `account` (a test helper, like `anvil_setCode`).
    pub fn set_code(&self, account: Address, code: impl Into<Bytes>) {
        let code = Bytecode::new_raw(code.into());
        self.run(move |chain| {
            chain.modify_account(account, |info| {
                info.code_hash = code.hash_slow();
                info.code = Some(code);
            });
        });
    }

    /// The timestamp the next transaction runs at.
    #[must_use]
    pub fn timestamp(&self) -> u64 {
        self.run(|chain| chain.ctx.block.timestamp.saturating_to())
    }

    /// The number of the last block (one per transaction), or of the open block when
    /// [`Node::set_automine`] turned automining off and a transaction opened one.
    #[must_use]
    pub fn block_number(&self) -> u64 {
        self.run(|chain| chain.ctx.block.number.saturating_to())
    }

    /// Moves time forward by `seconds`.
    pub fn warp(&self, seconds: u64) {
        self.run(move |chain| chain.ctx.block.timestamp += U256::from(seconds));
    }

    /// With `true` (the default) every transaction is mined in its own block. With `false`,
    /// the first transaction opens a block, later ones join it, and [`Node::mine`] closes it.
    pub fn set_automine(&self, automine: bool) {
        self.run(move |chain| {
            chain.automine = automine;
            if automine {
                chain.block_open = false;
            }
        });
    }

    /// Closes the open block, or mines an empty one when none is open; returns its number.
    pub fn mine(&self) -> u64 {
        self.run(|chain| {
            if !chain.block_open {
                chain.ctx.block.number += U256::from(1);
            }
            chain.block_open = false;
            chain.ctx.block.number.saturating_to()
        })
    }

    /// Takes a snapshot of the whole state; [`Node::revert`] returns to it.
    pub fn snapshot(&self) -> usize {
        self.run(|chain| {
            chain.snapshots.push((
                chain.ctx.journaled_state.database.clone(),
                chain.ctx.block.clone(),
                chain.block_open,
            ));
            chain.snapshots.len() - 1
        })
    }

    /// Returns to snapshot `id` (state, block number and time); it and later snapshots are
    /// consumed.
    ///
    /// # Errors
    /// [`NodeError::UnknownSnapshot`] when there is no such snapshot.
    pub fn revert(&self, id: usize) -> Result<(), NodeError> {
        self.run(move |chain| {
            if id >= chain.snapshots.len() {
                return Err(NodeError::UnknownSnapshot(id));
            }
            let (db, block, block_open) = chain.snapshots.swap_remove(id);
            chain.snapshots.truncate(id);
            chain.ctx.journaled_state.database = db;
            chain.ctx.block = block;
            chain.block_open = block_open;
            Ok(())
        })
    }

    /// Sends a transaction and mines it in its own block. A revert or halt is a receipt with
    /// `success == false`, not an error.
    ///
    /// # Errors
    /// An invalid transaction (funds, nonce, gas), or an internal failure.
    pub fn send(&self, tx: Tx) -> Result<Receipt, NodeError> {
        self.run(move |chain| chain.execute(&tx, true))
    }

    /// Sends a call of `to` and decodes its return value.
    ///
    /// # Errors
    /// [`NodeError::Reverted`] or [`NodeError::Halted`] when it fails (the transaction is still
    /// mined), [`NodeError::Decode`] for undecodable return data, and [`Node::send`]'s errors.
    pub fn transact<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        call: &C,
    ) -> Result<Executed<C::Return>, NodeError> {
        self.transact_with_value(from, to, U256::ZERO, call)
    }

    /// [`Node::transact`] sending `value` wei.
    ///
    /// # Errors
    /// As [`Node::transact`].
    pub fn transact_with_value<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<Executed<C::Return>, NodeError> {
        let receipt = self.send(Tx::call(from, to, call.abi_encode()).value(value))?;
        if !receipt.success {
            return Err(NodeError::from_receipt(receipt));
        }
        Ok(Executed {
            returned: C::abi_decode_returns(&receipt.output)?,
            receipt,
        })
    }

    /// Runs a call against the current state without mining it (`eth_call`: no gas fee, no
    /// state change) and decodes the result.
    ///
    /// # Errors
    /// As [`Node::transact`].
    pub fn call<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        call: &C,
    ) -> Result<C::Return, NodeError> {
        let tx = Tx::call(from, to, call.abi_encode());
        let receipt = self.run(move |chain| chain.execute(&tx, false))?;
        if !receipt.success {
            return Err(NodeError::from_receipt(receipt));
        }
        Ok(C::abi_decode_returns(&receipt.output)?)
    }

    /// Runs `tx` against the current state with `overrides` applied, without mining it
    /// (`eth_call`: gas price 0, no balance check, every change dropped). A revert or halt is
    /// a receipt with `success == false`.
    ///
    /// # Errors
    /// An invalid transaction (gas limit below the intrinsic gas, …), or an internal failure.
    pub fn call_tx(&self, tx: Tx, overrides: StateOverrides) -> Result<Receipt, NodeError> {
        self.run(move |chain| chain.with_overrides(&overrides, |chain| chain.execute(&tx, false)))
    }

    /// The gas limit `tx` needs (`eth_estimateGas`): it runs at its own gas limit first, then a
    /// binary search finds a limit within 1.5 % above the lowest that succeeds.
    ///
    /// # Errors
    /// [`NodeError::Reverted`] or [`NodeError::Halted`] when it fails at its own gas limit, and
    /// [`Node::call_tx`]'s errors.
    pub fn estimate_gas(&self, tx: Tx, overrides: StateOverrides) -> Result<u64, NodeError> {
        self.run(move |chain| chain.with_overrides(&overrides, |chain| chain.estimate(&tx)))
    }

    /// Deploys EVM init code and returns the new contract's address.
    ///
    /// # Errors
    /// The creation failed, and [`Node::send`]'s errors.
    pub fn deploy_evm(
        &self,
        from: Address,
        init_code: impl Into<Bytes>,
    ) -> Result<Address, NodeError> {
        let receipt = self.send(Tx::create(from, init_code))?;
        match receipt.contract_address {
            Some(address) if receipt.success => Ok(address),
            _ => Err(NodeError::from_receipt(receipt)),
        }
    }

    /// Deploys a wasm module as cargo-stylus does, in separate transactions: the creation
    /// (brotli-compressed code behind the 43-byte prelude), `activateProgram` paying the data
    /// fee (skipped when the same code is already activated), and — when `constructor_args` is
    /// given — the constructor call (`stylus_constructor()` selector + ABI-encoded arguments).
    ///
    /// # Errors
    /// [`NodeError::Activation`] when activation refuses the program, a failed creation or
    /// constructor, and [`Node::send`]'s errors.
    pub fn deploy_stylus(
        &self,
        from: Address,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
    ) -> Result<Deployment, NodeError> {
        self.deploy_stylus_code(from, &program::stylus_code(wasm)?, constructor_args)
    }

    /// [`Node::deploy_stylus`] for code that is already in the deployed format
    /// ([`program::stylus_code`]: `EF F0 00`, dictionary byte, brotli), so a test suite can
    /// compress each program once.
    ///
    /// # Errors
    /// As [`Node::deploy_stylus`].
    pub fn deploy_stylus_code(
        &self,
        from: Address,
        code: &[u8],
        constructor_args: Option<&[u8]>,
    ) -> Result<Deployment, NodeError> {
        let deploy = self.send(Tx::create(from, program::deploy_init_code(code)))?;
        let address = match deploy.contract_address {
            Some(address) if deploy.success => address,
            _ => return Err(NodeError::from_receipt(deploy)),
        };
        let activation = self.activate_once(from, address)?;
        let data_fee = match activation {
            Some(_) => program::analyze(code).map_or(U256::ZERO, |a| a.stats.data_fee()),
            None => U256::ZERO,
        };
        let constructor = match constructor_args {
            Some(args) => {
                let receipt = self.send(Tx::call(from, address, constructor_calldata(args)))?;
                if !receipt.success {
                    return Err(NodeError::from_receipt(receipt));
                }
                Some(receipt)
            }
            None => None,
        };
        Ok(Deployment {
            address,
            deploy,
            activation,
            constructor,
            data_fee,
        })
    }

    /// Activates the program at `program` unless its code is already activated (the same code
    /// activated at another address): the activation's receipt, or `None`. A contract that
    /// creates a program (the vault its LST, the LRT its share token) leaves this to its
    /// deployer.
    ///
    /// # Errors
    /// As [`Node::activate`].
    pub fn activate_once(
        &self,
        from: Address,
        program: Address,
    ) -> Result<Option<Receipt>, NodeError> {
        let version = ArbWasm::codehashVersionCall {
            codehash: keccak256(self.code(program)),
        };
        if self.call(from, ARB_WASM, &version).ok() == Some(program::STYLUS_VERSION) {
            return Ok(None);
        }
        self.activate(from, program).map(Some)
    }

    /// Activates the program at `program` through `ArbWasm`, paying its data fee.
    ///
    /// # Errors
    /// [`NodeError::Activation`] with activation's reason when it refuses the program, and
    /// [`Node::send`]'s errors.
    pub fn activate(&self, from: Address, program: Address) -> Result<Receipt, NodeError> {
        let code = self.code(program);
        let fee = program::analyze(&code).map_or(U256::ZERO, |a| a.stats.data_fee());
        let call = ArbWasm::activateProgramCall { program };
        let tx = Tx::call(from, ARB_WASM, call.abi_encode()).value(fee);
        let (receipt, error) = self.run(move |chain| {
            let receipt = chain.execute(&tx, true);
            (receipt, chain.last_activation_error.take())
        });
        let receipt = receipt?;
        if receipt.success {
            return Ok(receipt);
        }
        Err(error.map_or_else(|| NodeError::from_receipt(receipt), NodeError::Activation))
    }
}

/// The chain state on the worker thread.
struct Chain {
    ctx: Ctx,
    programs: Programs,
    snapshots: Vec<Snapshot>,
    last_activation_error: Option<ActivationError>,
    /// Whether each transaction is mined in its own block.
    automine: bool,
    /// Whether a block is open (automining off, a transaction ran since the last `mine`).
    block_open: bool,
}

impl Chain {
    fn new(config: NodeConfig) -> Self {
        let mut db = InMemoryDB::default();
        // Precompile accounts hold `INVALID` as code, as on Nitro: never empty, never cleared.
        let marker = Bytecode::new_raw(Bytes::from_static(&[0xFE]));
        db.insert_account_info(
            ARB_WASM,
            AccountInfo::new(U256::ZERO, 1, marker.hash_slow(), marker.clone()),
        );
        db.insert_account_info(
            ARB_WASM_CACHE,
            AccountInfo::new(U256::ZERO, 1, marker.hash_slow(), marker.clone()),
        );
        // The StylusDeployer runs natively; its account holds the same marker.
        db.insert_account_info(
            STYLUS_DEPLOYER,
            AccountInfo::new(U256::ZERO, 1, marker.hash_slow(), marker),
        );
        let factory = Bytecode::new_raw(Bytes::from_static(&CREATE2_FACTORY_CODE));
        db.insert_account_info(
            CREATE2_FACTORY,
            AccountInfo::new(U256::ZERO, 1, factory.hash_slow(), factory),
        );
        let mut ctx: Ctx = Context::new(db, SpecId::PRAGUE);
        ctx.cfg.chain_id = config.chain_id;
        ctx.cfg.disable_eip3541 = true;
        ctx.block.number = U256::ZERO;
        ctx.block.timestamp = U256::from(config.timestamp);
        ctx.block.basefee = config.basefee;
        ctx.block.gas_limit = config.block_gas_limit;
        ctx.block.beneficiary = COINBASE;
        Self {
            ctx,
            programs: Programs::new(),
            snapshots: Vec::new(),
            last_activation_error: None,
            automine: true,
            block_open: false,
        }
    }

    fn db(&self) -> &InMemoryDB {
        &self.ctx.journaled_state.database
    }

    fn account(&self, address: Address) -> AccountInfo {
        let Ok(info) = self.db().basic_ref(address);
        info.unwrap_or_default()
    }

    fn code(&self, address: Address) -> Bytes {
        let info = self.account(address);
        if let Some(code) = info.code {
            return code.original_bytes();
        }
        let Ok(code) = self.db().code_by_hash_ref(info.code_hash);
        code.original_bytes()
    }

    fn modify_account(&mut self, address: Address, change: impl FnOnce(&mut AccountInfo)) {
        let mut info = self.account(address);
        if info.code.is_none() {
            let Ok(code) = self.db().code_by_hash_ref(info.code_hash);
            info.code = Some(code);
        }
        change(&mut info);
        self.ctx
            .journaled_state
            .database
            .insert_account_info(address, info);
    }

    /// Runs `job` with `overrides` applied to a copy of the state, then restores the state.
    fn with_overrides<R>(
        &mut self,
        overrides: &StateOverrides,
        job: impl FnOnce(&mut Self) -> R,
    ) -> R {
        if overrides.is_empty() {
            return job(self);
        }
        let saved = self.db().clone();
        for (address, change) in overrides {
            self.modify_account(*address, |info| {
                if let Some(balance) = change.balance {
                    info.balance = balance;
                }
                if let Some(nonce) = change.nonce {
                    info.nonce = nonce;
                }
                if let Some(code) = &change.code {
                    let code = Bytecode::new_raw(code.clone());
                    info.code_hash = code.hash_slow();
                    info.code = Some(code);
                }
            });
            let db = &mut self.ctx.journaled_state.database;
            if let Some(state) = &change.state {
                let Ok(()) = db.replace_account_storage(*address, state.iter().copied().collect());
            }
            for &(slot, value) in &change.state_diff {
                let Ok(()) = db.insert_account_storage(*address, slot, value);
            }
        }
        let result = job(self);
        self.ctx.journaled_state.database = saved;
        result
    }

    /// The lowest gas limit (within the tolerance) at which `tx` succeeds as a call.
    fn estimate(&mut self, tx: &Tx) -> Result<u64, NodeError> {
        let first = self.execute(tx, false)?;
        if !first.success {
            return Err(NodeError::from_receipt(first));
        }
        let succeeds = |chain: &mut Self, gas: u64| {
            chain
                .execute(&tx.clone().gas(gas), false)
                .is_ok_and(|r| r.success)
        };
        // Exact for most transactions without calls (transfers, plain storage writes).
        if succeeds(self, first.gas_used) {
            return Ok(first.gas_used);
        }
        let mut low = first.gas_used;
        let mut high = tx.gas_limit;
        // Most transactions need little more than they use: try that first.
        let optimistic = first.gas_used.saturating_add(CALL_STIPEND_GAS) * 64 / 63;
        if optimistic < high {
            if succeeds(self, optimistic) {
                high = optimistic;
            } else {
                low = optimistic;
            }
        }
        while high - low > 1 && (high - low) * 1_000 > high * ESTIMATE_TOLERANCE_PER_MILLE {
            let mid = low + (high - low) / 2;
            if succeeds(self, mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        Ok(high)
    }

    /// Runs `tx`; with `commit`, mines it (state, nonce and fee) in a new block — or in the
    /// open one when automining is off — otherwise runs it as a free call and drops its
    /// changes.
    fn execute(&mut self, tx: &Tx, commit: bool) -> Result<Receipt, NodeError> {
        let nonce = match tx.nonce {
            Some(nonce) if commit => nonce,
            _ => self.account(tx.from).nonce,
        };
        let gas_price = if commit {
            u128::from(self.ctx.block.basefee)
        } else {
            0
        };
        let tx_env = TxEnv {
            caller: tx.from,
            gas_limit: tx.gas_limit,
            gas_price,
            kind: tx.to.map_or(TxKind::Create, TxKind::Call),
            value: tx.value,
            data: tx.data.clone(),
            nonce,
            chain_id: Some(self.ctx.cfg.chain_id),
            ..TxEnv::default()
        };
        let opened = commit && !self.block_open;
        if opened {
            self.ctx.block.number += U256::from(1);
            self.block_open = true;
        }
        self.ctx.cfg.disable_base_fee = !commit;
        self.ctx.cfg.disable_balance_check = !commit;
        self.ctx.set_tx(tx_env);
        let session = Session::new(&self.programs);
        let result = {
            let mut evm = exec::evm(&mut self.ctx, &session);
            NodeHandler::default().run(&mut evm)
        };
        let state = self.ctx.journaled_state.finalize();
        let (storage_writes, funded_new_accounts) = state_diff(&state);
        self.last_activation_error = session.activation_error.take();
        let result = match result {
            Ok(result) => result,
            Err(e) => {
                if opened {
                    self.ctx.block.number -= U256::from(1);
                    self.block_open = false;
                }
                return Err(match e {
                    EVMError::Transaction(e) => NodeError::InvalidTransaction(e.to_string()),
                    EVMError::Header(e) => NodeError::InvalidTransaction(e.to_string()),
                    other => NodeError::Internal(other.to_string()),
                });
            }
        };
        if commit {
            self.ctx.journaled_state.database.commit(state);
            if self.automine {
                self.block_open = false;
            }
        }
        let halt_reason = match &result {
            ExecutionResult::Halt { reason, .. } => Some(format!("{reason:?}")),
            _ => None,
        };
        Ok(Receipt {
            success: result.is_success(),
            gas_used: result.tx_gas_used(),
            output: result.output().cloned().unwrap_or_default(),
            contract_address: result.created_address(),
            logs: result.into_logs(),
            halt_reason,
            block_number: self.ctx.block.number.saturating_to(),
            storage_writes,
            funded_new_accounts,
            program_frames: session.tx.take().program_frames,
        })
    }
}
