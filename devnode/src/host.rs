//! Stylus programs on wasmi: the entry charge, the 42 `vm_hooks` host functions with Nitro's
//! semantics and ink prices, and the outcome as revm sees it.
//!
//! A call to a program checks its activation, burns the entry charge (memory footprint, cached
//! and — unless the program ran recently in the block — uncached init gas), instantiates the
//! instrumented module with the gas left as ink (gas × [`INK_PRICE`]) and calls
//! `user_entrypoint(len)`. Status 0 returns the last `write_result` bytes, any other status
//! reverts with them; a trap or hostio error reverts with no data and keeps the gas left; running
//! out of ink or stack consumes all gas. Hostios read and write the instrumented module's ink
//! global, so opcodes and hostios draw from one meter.

use std::collections::BTreeMap;

use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use alloy_sol_types::SolError;
use revm::{
    context_interface::{ContextTr, CreateScheme, JournalTr},
    handler::FrameResult,
    interpreter::{
        instructions::contract::load_account_delegated, CallInput, CallInputs, CallScheme,
        CallValue, CreateInputs, FrameInput, Gas, InstructionResult, InterpreterResult,
    },
};
use wasmi::{Caller, Extern, Func, Global, Instance, Memory, Store, Val};

use crate::{
    arbwasm,
    exec::{run_nested, Ctx, Session},
    meter::{INK_EXPORT, STATUS_EXPORT},
    program::STYLUS_VERSION,
};

/// Ink per gas.
pub const INK_PRICE: u64 = 10_000;
/// Seconds after activation (or the last keepalive) when a program expires.
pub const EXPIRY_SECONDS: u64 = 365 * 24 * 3_600;

/// Base ink of every hostio.
const HOSTIO_INK: u64 = 8_400;
/// Ink per pointer argument.
const PTR_INK: u64 = 5_040;
/// Ink of a request to the EVM side.
const EVM_API_INK: u64 = 59_673;
/// Ink of a hostio that asks the EVM for something (`read_return_data`, `emit_log`, …).
const EVM_HOSTIO_INK: u64 = HOSTIO_INK + EVM_API_INK;
/// Ink of the call hostios before their data.
const CALL_INK: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
/// EVM gas every sub-call pays (warm access).
const CALL_BASE_GAS: u64 = 100;
/// Extra gas of a sub-call that sends value.
const CALL_VALUE_GAS: u64 = 9_000;
/// Stipend added to a sub-call that sends value.
const CALL_STIPEND: u64 = 2_300;
/// A flush needs more than this much gas left (EIP-2200's sentry).
const SSTORE_SENTRY_GAS: u64 = 2_300;

/// Ink to write `n` bytes into the program's memory.
fn write_ink(n: u64) -> u64 {
    PTR_INK + 30 * n.saturating_sub(32)
}

/// Ink to read `n` bytes from the program's memory.
fn read_ink(n: u64) -> u64 {
    16_381 + 55 * n.saturating_sub(32)
}

/// Why a program stopped early, carried through wasmi as a host error.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Escape {
    /// `exit_early(status)`.
    #[error("exit early with status {0}")]
    Exit(u32),
    /// Not enough ink for a hostio.
    #[error("out of ink")]
    OutOfInk,
    /// A hostio refused its arguments (the program reverts without data).
    #[error(transparent)]
    Failure(#[from] HostioError),
    /// The node itself failed; the transaction is aborted.
    #[error("internal error: {0}")]
    Fatal(String),
}

/// A hostio refused its arguments or its context.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HostioError {
    /// A pointer and length outside the program's memory.
    #[error("memory access out of bounds")]
    OutOfBounds,
    /// A state change in a static call.
    #[error("write protection: {0} in a static call")]
    WriteProtection(&'static str),
    /// More than four topics.
    #[error("emit_log with {0} topics (at most 4)")]
    TooManyTopics(u32),
    /// Fewer bytes than the topics need.
    #[error("emit_log data is shorter than its topics")]
    ShortLog,
}

impl wasmi::errors::HostError for Escape {}

fn escape(e: impl Into<Escape>) -> wasmi::Error {
    wasmi::Error::host(e.into())
}

fn fatal(e: &impl ToString) -> wasmi::Error {
    escape(Escape::Fatal(e.to_string()))
}

/// The call a program runs in.
#[derive(Clone)]
struct Frame {
    this: Address,
    caller: Address,
    value: U256,
    is_static: bool,
    calldata: Bytes,
    reentrant: bool,
}

/// A storage slot in the program's cache.
#[derive(Clone, Copy)]
struct CacheSlot {
    value: B256,
    dirty: bool,
}

/// Nitro's per-call storage cache: loads hit the EVM once, writes stay here until a flush.
#[derive(Default)]
struct StorageCache {
    slots: BTreeMap<B256, CacheSlot>,
    reads: u32,
    writes: u32,
}

impl StorageCache {
    fn read_gas(&mut self) -> u64 {
        self.reads += 1;
        match self.reads {
            0..=32 => 0,
            33..=128 => 2,
            _ => 10,
        }
    }

    fn write_gas(&mut self) -> u64 {
        self.writes += 1;
        match self.writes {
            0..=8 => 0,
            9..=64 => 7,
            _ => 10,
        }
    }
}

/// Where one call to a Stylus program spent its gas, for [`crate::Receipt::program_frames`].
///
/// `gas` is everything the call used, its callees included; the parts below it are what the
/// call itself paid for each kind of work. What is left of `gas` after the parts
/// ([`ProgramFrame::compute`]) is the program's own execution: wasm instructions and the ink
/// price of its hostios.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramFrame {
    /// Call depth: 0 for the transaction's own call, 1 for a call it makes, ….
    pub depth: usize,
    /// Where the program's code is (for a delegate call, not the account it runs for).
    pub address: Address,
    /// The first four bytes of the calldata.
    pub selector: [u8; 4],
    /// Gas used in total, the entry charge and the callees included.
    pub gas: u64,
    /// The entry charge: memory, cached and (unless cached) uncached init gas.
    pub entry: u64,
    /// Storage loads that reached the EVM, and how many of them were cold.
    pub loads: u32,
    /// Cold loads among [`ProgramFrame::loads`].
    pub cold_loads: u32,
    /// Loads answered by the program's storage cache.
    pub cache_hits: u32,
    /// Gas of storage loads (access and cache tiers).
    pub load_gas: u64,
    /// Gas of storage writes (flushes and cache tiers).
    pub store_gas: u64,
    /// Gas of logs.
    pub log_gas: u64,
    /// Calls and creates made.
    pub calls: u32,
    /// Gas of those calls themselves: account access, base and value transfer.
    pub call_gas: u64,
    /// Gas the callees used.
    pub callee_gas: u64,
}

impl ProgramFrame {
    /// The record of a call at `depth` to the program at `address` with `calldata`, which
    /// paid `entry` to start.
    fn new(depth: usize, address: Address, calldata: &[u8], entry: u64) -> Self {
        let mut selector = [0; 4];
        let head = calldata.len().min(4);
        selector[..head].copy_from_slice(&calldata[..head]);
        Self {
            depth,
            address,
            selector,
            entry,
            ..Self::default()
        }
    }

    /// Counts a call or create that cost `own` gas itself and `callee` gas in the callee.
    fn called(&mut self, own: u64, callee: u64) {
        self.calls += 1;
        self.call_gas += own;
        self.callee_gas += callee;
    }

    /// The program's own execution: `gas` less the entry charge, storage, logs, calls and
    /// callees.
    #[must_use]
    pub fn compute(&self) -> u64 {
        self.gas.saturating_sub(
            self.entry
                + self.load_gas
                + self.store_gas
                + self.log_gas
                + self.call_gas
                + self.callee_gas,
        )
    }
}

/// The store data of a running program.
pub(crate) struct Host<'c, 's> {
    ctx: &'c mut Ctx,
    session: &'s Session<'s>,
    frame: Frame,
    ink: Option<Global>,
    memory: Option<Memory>,
    output: Vec<u8>,
    return_data: Bytes,
    cache: StorageCache,
    refund: i64,
    cost: ProgramFrame,
}

type Cx<'a, 'c, 's> = Caller<'a, Host<'c, 's>>;
type HostResult<T = ()> = Result<T, wasmi::Error>;

/// How a program ended.
enum Outcome {
    Success(Vec<u8>),
    Revert(Vec<u8>),
    Failure,
    OutOfInk,
    OutOfStack,
}

/// Runs the Stylus program `inputs` call into, as revm's precompile provider.
///
/// # Errors
/// Internal failures only; every program outcome is a result.
pub(crate) fn run_program(
    ctx: &mut Ctx,
    session: &Session<'_>,
    inputs: &CallInputs,
) -> Result<InterpreterResult, String> {
    let mut gas = Gas::new(inputs.gas_limit);
    let (code_hash, bytecode) = &inputs.known_bytecode;
    let now = ctx.block.timestamp.saturating_to::<u64>();
    let Some(record) =
        arbwasm::record(ctx, *code_hash).filter(|record| record.version == STYLUS_VERSION)
    else {
        let data = arbwasm::ArbWasm::ProgramNotActivated {}.abi_encode();
        return Ok(InterpreterResult::new(
            InstructionResult::Revert,
            data.into(),
            gas,
        ));
    };
    let age = now.saturating_sub(record.activated_at);
    if age > EXPIRY_SECONDS {
        let data = arbwasm::ArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode();
        return Ok(InterpreterResult::new(
            InstructionResult::Revert,
            data.into(),
            gas,
        ));
    }
    let module = session
        .programs
        .module(*code_hash, bytecode.original_byte_slice())
        .map_err(|e| e.to_string())?;

    let (cached, memory_gas) = {
        let mut tx = session.tx.borrow_mut();
        // Nitro: `program.cached || recentWasms.Insert(codeHash)` (an ArbOS-cached program
        // does not enter the block's recent list).
        (
            record.cached || tx.use_program(*code_hash),
            tx.memory_gas(record.footprint),
        )
    };
    let uncached = if cached { 0 } else { record.init_gas };
    let entry = memory_gas
        .saturating_add(u64::from(record.cached_gas))
        .saturating_add(u64::from(uncached));
    if !gas.record_regular_cost(entry) {
        gas.spend_all();
        return Ok(InterpreterResult::new(
            InstructionResult::OutOfGas,
            Bytes::new(),
            gas,
        ));
    }

    let delegate = matches!(
        inputs.scheme,
        CallScheme::DelegateCall | CallScheme::CallCode
    );
    let (pages_before, reentrant) = {
        let mut tx = session.tx.borrow_mut();
        let before = tx.pages_open;
        tx.open_pages(record.footprint);
        (before, tx.enter(inputs.target_address, delegate))
    };
    let frame = Frame {
        this: inputs.target_address,
        caller: inputs.caller,
        value: inputs.value.get(),
        is_static: inputs.is_static,
        calldata: inputs.input.bytes(&*ctx),
        reentrant,
    };
    // revm's journal is one level deep in the transaction's own call.
    let cost = ProgramFrame::new(
        ctx.journal().depth().saturating_sub(1),
        inputs.bytecode_address,
        &frame.calldata,
        entry,
    );
    // The frame's place in pre-order: callers before their callees.
    let place = session.tx.borrow_mut().reserve_frame();
    let finished = execute(ctx, session, &module, frame, gas.remaining(), cost);
    {
        let mut tx = session.tx.borrow_mut();
        tx.pages_open = pages_before;
        tx.leave(inputs.target_address, delegate);
    }
    let (outcome, gas_left, refund, mut cost) = finished?;
    gas.set_remaining(gas_left);
    let result = match outcome {
        Outcome::Success(output) => {
            gas.record_refund(refund);
            InterpreterResult::new(InstructionResult::Return, output.into(), gas)
        }
        Outcome::Revert(output) => {
            InterpreterResult::new(InstructionResult::Revert, output.into(), gas)
        }
        Outcome::Failure => InterpreterResult::new(InstructionResult::Revert, Bytes::new(), gas),
        Outcome::OutOfInk => {
            gas.spend_all();
            InterpreterResult::new(InstructionResult::OutOfGas, Bytes::new(), gas)
        }
        Outcome::OutOfStack => {
            gas.spend_all();
            InterpreterResult::new(InstructionResult::CallTooDeep, Bytes::new(), gas)
        }
    };
    cost.gas = inputs.gas_limit.saturating_sub(result.gas.remaining());
    session.tx.borrow_mut().record_frame(place, cost);
    Ok(result)
}

/// Instantiates and runs a program; returns its outcome, the gas left, the refund and where
/// the gas went (`cost` as given, with the hostios' parts added).
fn execute(
    ctx: &mut Ctx,
    session: &Session<'_>,
    module: &wasmi::Module,
    frame: Frame,
    gas: u64,
    cost: ProgramFrame,
) -> Result<(Outcome, u64, i64, ProgramFrame), String> {
    let len = i32::try_from(frame.calldata.len()).map_err(|e| e.to_string())?;
    let mut store = Store::new(
        &session.programs.engine,
        Host {
            ctx,
            session,
            frame,
            ink: None,
            memory: None,
            output: Vec::new(),
            return_data: Bytes::new(),
            cache: StorageCache::default(),
            refund: 0,
            cost,
        },
    );
    let mut imports = Vec::new();
    for import in module.imports() {
        let func = hostio(&mut store, import.name())
            .ok_or_else(|| format!("unknown hostio {}", import.name()))?;
        imports.push(Extern::Func(func));
    }
    let Ok(instance) = Instance::new(&mut store, module, &imports) else {
        // A data segment out of bounds or a memory over the limits: the program fails.
        return Ok((Outcome::Failure, gas, 0, store.into_data().cost));
    };
    let ink = instance.get_global(&store, INK_EXPORT);
    let status = instance.get_global(&store, STATUS_EXPORT);
    let memory = instance.get_memory(&store, "memory");
    let (Some(ink), Some(status)) = (ink, status) else {
        return Err("program is not instrumented".into());
    };
    store.data_mut().ink = Some(ink);
    store.data_mut().memory = memory;
    let ink_given = gas.saturating_mul(INK_PRICE);
    ink.set(
        &mut store,
        Val::I64(i64::try_from(ink_given).unwrap_or(i64::MAX)),
    )
    .map_err(|e| e.to_string())?;
    let entry = instance
        .get_typed_func::<i32, i32>(&store, "user_entrypoint")
        .map_err(|e| e.to_string())?;
    let result = entry.call(&mut store, len);
    let ink_left = global_u64(&store, ink);
    let out_of_ink = matches!(status.get(&store), Val::I32(1));
    let host = store.into_data();
    let outcome = match result {
        Ok(0) => Outcome::Success(host.output),
        Ok(_) => Outcome::Revert(host.output),
        Err(e) => match e.downcast_ref::<Escape>() {
            Some(Escape::Exit(0)) => Outcome::Success(host.output),
            Some(Escape::Exit(_)) => Outcome::Revert(host.output),
            Some(Escape::OutOfInk) => Outcome::OutOfInk,
            Some(Escape::Fatal(message)) => return Err(message.clone()),
            None if out_of_ink => Outcome::OutOfInk,
            None if e.as_trap_code() == Some(wasmi::TrapCode::StackOverflow) => Outcome::OutOfStack,
            Some(Escape::Failure(_)) | None => Outcome::Failure,
        },
    };
    Ok((outcome, ink_left / INK_PRICE, host.refund, host.cost))
}

fn global_u64(store: impl wasmi::AsContext, global: Global) -> u64 {
    match global.get(store) {
        Val::I64(v) => v.cast_unsigned(),
        _ => 0,
    }
}

/// The host function for an import name.
fn hostio(store: &mut Store<Host<'_, '_>>, name: &str) -> Option<Func> {
    let s = &mut *store;
    Some(match name {
        "read_args" => Func::wrap(s, read_args),
        "write_result" => Func::wrap(s, write_result),
        "exit_early" => Func::wrap(s, exit_early),
        "storage_load_bytes32" => Func::wrap(s, storage_load_bytes32),
        "storage_cache_bytes32" => Func::wrap(s, storage_cache_bytes32),
        "storage_flush_cache" => Func::wrap(s, storage_flush_cache),
        "transient_load_bytes32" => Func::wrap(s, transient_load_bytes32),
        "transient_store_bytes32" => Func::wrap(s, transient_store_bytes32),
        "call_contract" => Func::wrap(s, call_contract),
        "delegate_call_contract" => Func::wrap(s, delegate_call_contract),
        "static_call_contract" => Func::wrap(s, static_call_contract),
        "create1" => Func::wrap(s, create1),
        "create2" => Func::wrap(s, create2),
        "read_return_data" => Func::wrap(s, read_return_data),
        "return_data_size" => Func::wrap(s, return_data_size),
        "emit_log" => Func::wrap(s, emit_log),
        "account_balance" => Func::wrap(s, account_balance),
        "account_code" => Func::wrap(s, account_code),
        "account_code_size" => Func::wrap(s, account_code_size),
        "account_codehash" => Func::wrap(s, account_codehash),
        "block_basefee" => Func::wrap(s, block_basefee),
        "block_coinbase" => Func::wrap(s, block_coinbase),
        "block_gas_limit" => Func::wrap(s, block_gas_limit),
        "block_number" => Func::wrap(s, block_number),
        "block_timestamp" => Func::wrap(s, block_timestamp),
        "chainid" => Func::wrap(s, chainid),
        "contract_address" => Func::wrap(s, contract_address),
        "evm_gas_left" => Func::wrap(s, evm_gas_left),
        "evm_ink_left" => Func::wrap(s, evm_ink_left),
        "math_div" => Func::wrap(s, math_div),
        "math_mod" => Func::wrap(s, math_mod),
        "math_pow" => Func::wrap(s, math_pow),
        "math_add_mod" => Func::wrap(s, math_add_mod),
        "math_mul_mod" => Func::wrap(s, math_mul_mod),
        "msg_reentrant" => Func::wrap(s, msg_reentrant),
        "msg_sender" => Func::wrap(s, msg_sender),
        "msg_value" => Func::wrap(s, msg_value),
        "native_keccak256" => Func::wrap(s, native_keccak256),
        "tx_gas_price" => Func::wrap(s, tx_gas_price),
        "tx_ink_price" => Func::wrap(s, tx_ink_price),
        "tx_origin" => Func::wrap(s, tx_origin),
        "pay_for_memory_grow" => Func::wrap(s, pay_for_memory_grow),
        _ => return None,
    })
}

// ---- ink, gas and memory ----

fn ink_left(c: &Cx) -> u64 {
    c.data().ink.map_or(0, |ink| global_u64(c, ink))
}

fn set_ink(c: &mut Cx, value: u64) -> HostResult {
    let ink = c.data().ink.ok_or_else(|| fatal(&"no ink global"))?;
    ink.set(c, Val::I64(i64::try_from(value).unwrap_or(i64::MAX)))
        .map_err(|e| fatal(&e))
}

fn buy_ink(c: &mut Cx, ink: u64) -> HostResult {
    let left = ink_left(c);
    if left < ink {
        set_ink(c, 0)?;
        return Err(escape(Escape::OutOfInk));
    }
    set_ink(c, left - ink)
}

fn buy_gas(c: &mut Cx, gas: u64) -> HostResult {
    buy_ink(c, gas.saturating_mul(INK_PRICE))
}

fn return_gas(c: &mut Cx, gas: u64) -> HostResult {
    let left = ink_left(c);
    set_ink(c, left.saturating_add(gas.saturating_mul(INK_PRICE)))
}

fn gas_left(c: &Cx) -> u64 {
    ink_left(c) / INK_PRICE
}

fn memory(c: &Cx) -> HostResult<Memory> {
    c.data()
        .memory
        .ok_or_else(|| escape(HostioError::OutOfBounds))
}

fn read_bytes(c: &Cx, ptr: u32, len: u32) -> HostResult<Vec<u8>> {
    let mut buf = vec![0; len as usize];
    memory(c)?
        .read(c, ptr as usize, &mut buf)
        .map_err(|_| escape(HostioError::OutOfBounds))?;
    Ok(buf)
}

fn read_fixed<const N: usize>(c: &Cx, ptr: u32) -> HostResult<[u8; N]> {
    let mut buf = [0; N];
    memory(c)?
        .read(c, ptr as usize, &mut buf)
        .map_err(|_| escape(HostioError::OutOfBounds))?;
    Ok(buf)
}

fn read_word(c: &Cx, ptr: u32) -> HostResult<B256> {
    read_fixed::<32>(c, ptr).map(B256::from)
}

fn read_u256(c: &Cx, ptr: u32) -> HostResult<U256> {
    read_fixed::<32>(c, ptr).map(U256::from_be_bytes)
}

fn read_address(c: &Cx, ptr: u32) -> HostResult<Address> {
    read_fixed::<20>(c, ptr).map(Address::from)
}

fn write_bytes(c: &mut Cx, ptr: u32, data: &[u8]) -> HostResult {
    let memory = memory(c)?;
    memory
        .write(c, ptr as usize, data)
        .map_err(|_| escape(HostioError::OutOfBounds))
}

fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Charges EVM account access: 2,600 cold or 100 warm, +700 when the code is read.
fn buy_access(c: &mut Cx, is_cold: bool, with_code: bool) -> HostResult {
    let access = if is_cold { 2_600 } else { 100 };
    buy_gas(c, access + if with_code { 700 } else { 0 })
}

// ---- arguments, results, exit ----

fn read_args(mut c: Cx, dest: u32) -> HostResult {
    let args = c.data().frame.calldata.clone();
    buy_ink(&mut c, HOSTIO_INK + write_ink(args.len() as u64))?;
    write_bytes(&mut c, dest, &args)
}

fn write_result(mut c: Cx, ptr: u32, len: u32) -> HostResult {
    buy_ink(&mut c, HOSTIO_INK + 2 * read_ink(len.into()))?;
    let output = read_bytes(&c, ptr, len)?;
    c.data_mut().output = output;
    Ok(())
}

fn exit_early(_c: Cx, status: u32) -> HostResult {
    Err(escape(Escape::Exit(status)))
}

fn pay_for_memory_grow(mut c: Cx, pages: u32) -> HostResult {
    buy_ink(&mut c, HOSTIO_INK)?;
    if pages == 0 {
        return Ok(());
    }
    let pages = u16::try_from(pages).unwrap_or(u16::MAX);
    let gas = c.data().session.tx.borrow().memory_gas(pages);
    buy_gas(&mut c, gas)?;
    c.data().session.tx.borrow_mut().open_pages(pages);
    Ok(())
}

// ---- storage ----

fn storage_load_bytes32(mut c: Cx, key: u32, dest: u32) -> HostResult {
    buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
    let key = read_word(&c, key)?;
    let tier = c.data_mut().cache.read_gas();
    let cached = c.data().cache.slots.get(&key).map(|slot| slot.value);
    let value = if let Some(value) = cached {
        buy_gas(&mut c, tier)?;
        let cost = &mut c.data_mut().cost;
        cost.cache_hits += 1;
        cost.load_gas += tier;
        value
    } else {
        let host = c.data_mut();
        let this = host.frame.this;
        let load = host
            .ctx
            .journal_mut()
            .sload(this, key.into())
            .map_err(|e| fatal(&e))?;
        let value = B256::from(load.data);
        let access = if load.is_cold { 2_100 } else { 100 };
        buy_gas(&mut c, tier + access)?;
        let cost = &mut c.data_mut().cost;
        cost.loads += 1;
        cost.cold_loads += u32::from(load.is_cold);
        cost.load_gas += tier + access;
        c.data_mut().cache.slots.insert(
            key,
            CacheSlot {
                value,
                dirty: false,
            },
        );
        value
    };
    write_bytes(&mut c, dest, value.as_slice())
}

fn storage_cache_bytes32(mut c: Cx, key: u32, value: u32) -> HostResult {
    buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
    let key = read_word(&c, key)?;
    let value = read_word(&c, value)?;
    let tier = c.data_mut().cache.write_gas();
    buy_gas(&mut c, tier)?;
    c.data_mut().cost.store_gas += tier;
    c.data_mut()
        .cache
        .slots
        .insert(key, CacheSlot { value, dirty: true });
    Ok(())
}

fn storage_flush_cache(mut c: Cx, clear: u32) -> HostResult {
    buy_ink(&mut c, EVM_HOSTIO_INK)?;
    let dirty: Vec<(B256, B256)> = c
        .data()
        .cache
        .slots
        .iter()
        .filter(|(_, slot)| slot.dirty)
        .map(|(key, slot)| (*key, slot.value))
        .collect();
    if !dirty.is_empty() && c.data().frame.is_static {
        return Err(escape(HostioError::WriteProtection("storage write")));
    }
    for (key, value) in dirty {
        if gas_left(&c) <= SSTORE_SENTRY_GAS {
            set_ink(&mut c, 0)?;
            return Err(escape(Escape::OutOfInk));
        }
        let host = c.data_mut();
        let this = host.frame.this;
        let store = host
            .ctx
            .journal_mut()
            .sstore(this, key.into(), value.into())
            .map_err(|e| fatal(&e))?;
        let params = host.ctx.cfg.gas_params.clone();
        let cost = params.sstore_static_gas()
            + params.sstore_dynamic_gas(true, &store.data, store.is_cold);
        host.refund += params.sstore_refund(true, &store.data);
        if let Some(slot) = host.cache.slots.get_mut(&key) {
            slot.dirty = false;
        }
        buy_gas(&mut c, cost)?;
        c.data_mut().cost.store_gas += cost;
    }
    if clear != 0 {
        c.data_mut().cache.slots.clear();
    }
    Ok(())
}

fn transient_load_bytes32(mut c: Cx, key: u32, dest: u32) -> HostResult {
    buy_ink(&mut c, EVM_HOSTIO_INK + 2 * PTR_INK)?;
    buy_gas(&mut c, 100)?;
    let key = read_word(&c, key)?;
    let host = c.data_mut();
    let this = host.frame.this;
    let value = host.ctx.journal_mut().tload(this, key.into());
    write_bytes(&mut c, dest, &value.to_be_bytes::<32>())
}

fn transient_store_bytes32(mut c: Cx, key: u32, value: u32) -> HostResult {
    buy_ink(&mut c, EVM_HOSTIO_INK + 2 * PTR_INK)?;
    buy_gas(&mut c, 100)?;
    if c.data().frame.is_static {
        return Err(escape(HostioError::WriteProtection("transient store")));
    }
    let key = read_word(&c, key)?;
    let value = read_u256(&c, value)?;
    let host = c.data_mut();
    let this = host.frame.this;
    host.ctx.journal_mut().tstore(this, key.into(), value);
    Ok(())
}

// ---- calls and creates ----

#[derive(Clone, Copy, PartialEq, Eq)]
enum CallKind {
    Call,
    Delegate,
    Static,
}

/// Status a sub-call returns to the program on any failure.
const CALL_FAILED: u32 = 2;

#[expect(
    clippy::too_many_arguments,
    reason = "the hostio's own argument list plus its kind"
)]
fn do_call(
    c: &mut Cx,
    kind: CallKind,
    contract: u32,
    data: u32,
    len: u32,
    value: Option<u32>,
    gas: u64,
    ret_len: u32,
) -> HostResult<u32> {
    buy_ink(c, CALL_INK + 2 * read_ink(len.into()))?;
    let to = read_address(c, contract)?;
    let input = read_bytes(c, data, len)?;
    let value = match value {
        Some(ptr) => read_u256(c, ptr)?,
        None => U256::ZERO,
    };
    let frame = c.data().frame.clone();
    let has_value = !value.is_zero();
    if kind == CallKind::Call && frame.is_static && has_value {
        c.data_mut().return_data = Bytes::new();
        write_bytes(c, ret_len, &0u32.to_le_bytes())?;
        return Ok(CALL_FAILED);
    }

    let left = gas_left(c);
    let host = c.data_mut();
    let spec = host.ctx.cfg.spec;
    let loaded = load_account_delegated(
        &mut *host.ctx,
        spec,
        left,
        to,
        has_value,
        kind == CallKind::Call,
    );
    let Ok((access, _, bytecode, code_hash)) = loaded else {
        // Not even the cold-access gas is left.
        set_ink(c, 0)?;
        return Err(escape(Escape::OutOfInk));
    };
    let base = CALL_BASE_GAS + access + if has_value { CALL_VALUE_GAS } else { 0 };
    buy_gas(c, base)?;
    let left = gas_left(c);
    let mut gas_limit = (left - left / 64).min(gas);
    buy_gas(c, gas_limit)?;
    let bought = gas_limit;
    if has_value {
        gas_limit += CALL_STIPEND;
    }

    let (target, caller, call_value, scheme, is_static) = match kind {
        CallKind::Call => (
            to,
            frame.this,
            CallValue::Transfer(value),
            CallScheme::Call,
            frame.is_static,
        ),
        CallKind::Delegate => (
            frame.this,
            frame.caller,
            CallValue::Apparent(frame.value),
            CallScheme::DelegateCall,
            frame.is_static,
        ),
        CallKind::Static => (
            to,
            frame.this,
            CallValue::Transfer(U256::ZERO),
            CallScheme::StaticCall,
            true,
        ),
    };
    let inputs = CallInputs {
        input: CallInput::Bytes(input.into()),
        return_memory_offset: 0..0,
        gas_limit,
        reservoir: 0,
        bytecode_address: to,
        known_bytecode: (code_hash, bytecode),
        target_address: target,
        caller,
        value: call_value,
        scheme,
        is_static,
        charged_new_account_state_gas: false,
    };
    let host = c.data_mut();
    let result = run_nested(
        &mut *host.ctx,
        host.session,
        FrameInput::Call(Box::new(inputs)),
    )
    .map_err(|e| fatal(&e))?;
    let FrameResult::Call(outcome) = result else {
        return Err(fatal(&"a call returned a create result"));
    };
    let result = outcome.result;
    settle(c, &result, base, bought)?;
    let returned = len_u32(result.output.len());
    c.data_mut().return_data = result.output;
    write_bytes(c, ret_len, &returned.to_le_bytes())?;
    Ok(if result.result.is_ok() {
        0
    } else {
        CALL_FAILED
    })
}

/// After a call or create that cost `own` gas and was given `bought` gas: takes back the gas
/// the callee left (an unused stipend too, as in the EVM) and its refund, and counts the call.
fn settle(c: &mut Cx, result: &InterpreterResult, own: u64, bought: u64) -> HostResult {
    let returned = if result.result.is_ok_or_revert() {
        result.gas.remaining()
    } else {
        0
    };
    return_gas(c, returned)?;
    let host = c.data_mut();
    if result.result.is_ok() {
        host.refund += result.gas.refunded();
    }
    host.cost.called(own, bought.saturating_sub(returned));
    Ok(())
}

fn call_contract(
    mut c: Cx,
    contract: u32,
    data: u32,
    len: u32,
    value: u32,
    gas: u64,
    ret_len: u32,
) -> HostResult<u32> {
    do_call(
        &mut c,
        CallKind::Call,
        contract,
        data,
        len,
        Some(value),
        gas,
        ret_len,
    )
}

fn delegate_call_contract(
    mut c: Cx,
    contract: u32,
    data: u32,
    len: u32,
    gas: u64,
    ret_len: u32,
) -> HostResult<u32> {
    do_call(
        &mut c,
        CallKind::Delegate,
        contract,
        data,
        len,
        None,
        gas,
        ret_len,
    )
}

fn static_call_contract(
    mut c: Cx,
    contract: u32,
    data: u32,
    len: u32,
    gas: u64,
    ret_len: u32,
) -> HostResult<u32> {
    do_call(
        &mut c,
        CallKind::Static,
        contract,
        data,
        len,
        None,
        gas,
        ret_len,
    )
}

/// Pointers of a create hostio.
struct CreateArgs {
    code: u32,
    len: u32,
    endowment: u32,
    salt: Option<u32>,
    address: u32,
    ret_len: u32,
}

fn do_create(c: &mut Cx, args: &CreateArgs) -> HostResult {
    let base_ink = if args.salt.is_some() {
        CALL_INK + PTR_INK
    } else {
        CALL_INK
    };
    buy_ink(c, base_ink)?;
    if c.data().frame.is_static {
        return Err(escape(HostioError::WriteProtection("create")));
    }
    let code = read_bytes(c, args.code, args.len)?;
    let endowment = read_u256(c, args.endowment)?;
    let scheme = match args.salt {
        Some(ptr) => CreateScheme::Create2 {
            salt: read_u256(c, ptr)?,
        },
        None => CreateScheme::Create,
    };
    let words = u64::from(args.len).div_ceil(32);
    let hash_gas = if args.salt.is_some() { 6 * words } else { 0 };
    buy_gas(c, 32_000 + hash_gas)?;
    let left = gas_left(c);
    let gas_limit = left - left / 64;
    buy_gas(c, gas_limit)?;
    let this = c.data().frame.this;
    let inputs = CreateInputs::new(this, scheme, endowment, code.into(), gas_limit, 0);
    let host = c.data_mut();
    let result = run_nested(
        &mut *host.ctx,
        host.session,
        FrameInput::Create(Box::new(inputs)),
    )
    .map_err(|e| fatal(&e))?;
    let FrameResult::Create(outcome) = result else {
        return Err(fatal(&"a create returned a call result"));
    };
    let result = &outcome.result;
    settle(c, result, 32_000 + hash_gas, gas_limit)?;
    let return_data = if result.result == InstructionResult::Revert {
        result.output.clone()
    } else {
        Bytes::new()
    };
    let address = if result.result.is_ok() {
        outcome.address.unwrap_or_default()
    } else {
        Address::ZERO
    };
    let returned = len_u32(return_data.len());
    c.data_mut().return_data = return_data;
    write_bytes(c, args.address, address.as_slice())?;
    write_bytes(c, args.ret_len, &returned.to_le_bytes())
}

fn create1(
    mut c: Cx,
    code: u32,
    len: u32,
    endowment: u32,
    address: u32,
    ret_len: u32,
) -> HostResult {
    let args = CreateArgs {
        code,
        len,
        endowment,
        salt: None,
        address,
        ret_len,
    };
    do_create(&mut c, &args)
}

fn create2(
    mut c: Cx,
    code: u32,
    len: u32,
    endowment: u32,
    salt: u32,
    address: u32,
    ret_len: u32,
) -> HostResult {
    let args = CreateArgs {
        code,
        len,
        endowment,
        salt: Some(salt),
        address,
        ret_len,
    };
    do_create(&mut c, &args)
}

fn read_return_data(mut c: Cx, dest: u32, offset: u32, size: u32) -> HostResult<u32> {
    buy_ink(&mut c, EVM_HOSTIO_INK)?;
    let data = c.data().return_data.clone();
    let start = (offset as usize).min(data.len());
    let end = start.saturating_add(size as usize).min(data.len());
    let slice = &data[start..end];
    buy_ink(&mut c, write_ink(slice.len() as u64))?;
    write_bytes(&mut c, dest, slice)?;
    Ok(len_u32(slice.len()))
}

fn return_data_size(mut c: Cx) -> HostResult<u32> {
    buy_ink(&mut c, HOSTIO_INK)?;
    Ok(len_u32(c.data().return_data.len()))
}

// ---- logs ----

fn emit_log(mut c: Cx, data: u32, len: u32, topics: u32) -> HostResult {
    buy_ink(&mut c, EVM_HOSTIO_INK + read_ink(len.into()))?;
    if c.data().frame.is_static {
        return Err(escape(HostioError::WriteProtection("log")));
    }
    if topics > 4 {
        return Err(escape(HostioError::TooManyTopics(topics)));
    }
    if len < topics * 32 {
        return Err(escape(HostioError::ShortLog));
    }
    let bytes = read_bytes(&c, data, len)?;
    let (topic_bytes, body) = bytes.split_at(topics as usize * 32);
    let gas = 375 * (1 + u64::from(topics)) + 8 * body.len() as u64;
    buy_gas(&mut c, gas)?;
    c.data_mut().cost.log_gas += gas;
    let log = Log {
        address: c.data().frame.this,
        data: LogData::new_unchecked(
            topic_bytes.chunks(32).map(B256::from_slice).collect(),
            Bytes::copy_from_slice(body),
        ),
    };
    c.data_mut().ctx.journal_mut().log(log);
    Ok(())
}

// ---- accounts ----

fn account_balance(mut c: Cx, address: u32, dest: u32) -> HostResult {
    buy_ink(&mut c, EVM_HOSTIO_INK + 2 * PTR_INK)?;
    let address = read_address(&c, address)?;
    let account = c
        .data_mut()
        .ctx
        .journal_mut()
        .load_account(address)
        .map_err(|e| fatal(&e))?;
    let (balance, is_cold) = (account.data.info.balance, account.is_cold);
    buy_access(&mut c, is_cold, false)?;
    write_bytes(&mut c, dest, &balance.to_be_bytes::<32>())
}

fn account_codehash(mut c: Cx, address: u32, dest: u32) -> HostResult {
    buy_ink(&mut c, EVM_HOSTIO_INK + 2 * PTR_INK)?;
    let address = read_address(&c, address)?;
    let hash = c
        .data_mut()
        .ctx
        .journal_mut()
        .code_hash(address)
        .map_err(|e| fatal(&e))?;
    buy_access(&mut c, hash.is_cold, false)?;
    write_bytes(&mut c, dest, hash.data.as_slice())
}

fn load_code(c: &mut Cx, address: u32) -> HostResult<Bytes> {
    let address = read_address(c, address)?;
    let code = c
        .data_mut()
        .ctx
        .journal_mut()
        .code(address)
        .map_err(|e| fatal(&e))?;
    buy_access(c, code.is_cold, true)?;
    Ok(code.data)
}

fn account_code(mut c: Cx, address: u32, offset: u32, size: u32, dest: u32) -> HostResult<u32> {
    buy_ink(&mut c, EVM_HOSTIO_INK)?;
    let code = load_code(&mut c, address)?;
    let start = (offset as usize).min(code.len());
    let end = start.saturating_add(size as usize).min(code.len());
    let slice = &code[start..end];
    buy_ink(&mut c, write_ink(slice.len() as u64))?;
    write_bytes(&mut c, dest, slice)?;
    Ok(len_u32(slice.len()))
}

fn account_code_size(mut c: Cx, address: u32) -> HostResult<u32> {
    buy_ink(&mut c, EVM_HOSTIO_INK)?;
    let code = load_code(&mut c, address)?;
    Ok(len_u32(code.len()))
}

// ---- block, transaction and message ----

fn write_getter(c: &mut Cx, dest: u32, bytes: &[u8]) -> HostResult {
    buy_ink(c, HOSTIO_INK + PTR_INK)?;
    write_bytes(c, dest, bytes)
}

fn block_basefee(mut c: Cx, dest: u32) -> HostResult {
    let basefee = U256::from(c.data().ctx.block.basefee);
    write_getter(&mut c, dest, &basefee.to_be_bytes::<32>())
}

fn block_coinbase(mut c: Cx, dest: u32) -> HostResult {
    let coinbase = c.data().ctx.block.beneficiary;
    write_getter(&mut c, dest, coinbase.as_slice())
}

fn contract_address(mut c: Cx, dest: u32) -> HostResult {
    let this = c.data().frame.this;
    write_getter(&mut c, dest, this.as_slice())
}

fn msg_sender(mut c: Cx, dest: u32) -> HostResult {
    let sender = c.data().frame.caller;
    write_getter(&mut c, dest, sender.as_slice())
}

fn msg_value(mut c: Cx, dest: u32) -> HostResult {
    let value = c.data().frame.value;
    write_getter(&mut c, dest, &value.to_be_bytes::<32>())
}

fn tx_origin(mut c: Cx, dest: u32) -> HostResult {
    let origin = c.data().ctx.tx.caller;
    write_getter(&mut c, dest, origin.as_slice())
}

fn tx_gas_price(mut c: Cx, dest: u32) -> HostResult {
    let price = U256::from(c.data().ctx.tx.gas_price);
    write_getter(&mut c, dest, &price.to_be_bytes::<32>())
}

fn getter<T>(c: &mut Cx, value: impl FnOnce(&Host) -> T) -> HostResult<T> {
    buy_ink(c, HOSTIO_INK)?;
    Ok(value(c.data()))
}

fn block_gas_limit(mut c: Cx) -> HostResult<u64> {
    getter(&mut c, |h| h.ctx.block.gas_limit)
}

fn block_number(mut c: Cx) -> HostResult<u64> {
    getter(&mut c, |h| h.ctx.block.number.saturating_to())
}

fn block_timestamp(mut c: Cx) -> HostResult<u64> {
    getter(&mut c, |h| h.ctx.block.timestamp.saturating_to())
}

fn chainid(mut c: Cx) -> HostResult<u64> {
    getter(&mut c, |h| h.ctx.cfg.chain_id)
}

fn msg_reentrant(mut c: Cx) -> HostResult<u32> {
    getter(&mut c, |h| u32::from(h.frame.reentrant))
}

fn tx_ink_price(mut c: Cx) -> HostResult<u32> {
    getter(&mut c, |_| u32::try_from(INK_PRICE).unwrap_or(u32::MAX))
}

fn evm_gas_left(mut c: Cx) -> HostResult<u64> {
    buy_ink(&mut c, HOSTIO_INK)?;
    Ok(gas_left(&c))
}

fn evm_ink_left(mut c: Cx) -> HostResult<u64> {
    buy_ink(&mut c, HOSTIO_INK)?;
    Ok(ink_left(&c))
}

// ---- math and hashing ----

/// A math hostio on two words; the result overwrites the first.
fn math_binary(
    c: &mut Cx,
    ink: u64,
    first: u32,
    second: u32,
    op: impl FnOnce(U256, U256) -> U256,
) -> HostResult {
    buy_ink(c, ink)?;
    let (lhs, rhs) = (read_u256(c, first)?, read_u256(c, second)?);
    write_bytes(c, first, &op(lhs, rhs).to_be_bytes::<32>())
}

fn math_div(mut c: Cx, a: u32, b: u32) -> HostResult {
    math_binary(&mut c, 43_520, a, b, |x, y| {
        x.checked_div(y).unwrap_or_default()
    })
}

fn math_mod(mut c: Cx, a: u32, b: u32) -> HostResult {
    math_binary(&mut c, 43_520, a, b, |x, y| {
        x.checked_rem(y).unwrap_or_default()
    })
}

fn math_pow(mut c: Cx, a: u32, b: u32) -> HostResult {
    let exponent = read_u256(&c, b)?;
    let bytes = exponent.bit_len().div_ceil(8) as u64;
    let ink = 23_520 + 3_000 + 17_500 * (1 + bytes);
    math_binary(&mut c, ink, a, b, U256::wrapping_pow)
}

/// A modular math hostio; the result overwrites the first word.
fn math_ternary(
    c: &mut Cx,
    ink: u64,
    first: u32,
    second: u32,
    modulus: u32,
    op: impl FnOnce(U256, U256, U256) -> U256,
) -> HostResult {
    buy_ink(c, ink)?;
    let lhs = read_u256(c, first)?;
    let rhs = read_u256(c, second)?;
    let modulus = read_u256(c, modulus)?;
    write_bytes(c, first, &op(lhs, rhs, modulus).to_be_bytes::<32>())
}

fn math_add_mod(mut c: Cx, a: u32, b: u32, m: u32) -> HostResult {
    math_ternary(&mut c, 49_560, a, b, m, U256::add_mod)
}

fn math_mul_mod(mut c: Cx, a: u32, b: u32, m: u32) -> HostResult {
    math_ternary(&mut c, 52_660, a, b, m, U256::mul_mod)
}

fn native_keccak256(mut c: Cx, input: u32, len: u32, out: u32) -> HostResult {
    let words = u64::from(len).div_ceil(32);
    buy_ink(&mut c, 121_800 + 21_000 * words.saturating_sub(2))?;
    let data = read_bytes(&c, input, len)?;
    write_bytes(&mut c, out, keccak256(&data).as_slice())
}
