//! Execution on revm: the context type, the precompile provider that runs Stylus programs and
//! `ArbWasm`, and nested calls from a program back into the EVM.
//!
//! revm's `make_call_frame` does the depth check, the journal checkpoint and the value
//! transfer, then asks the precompile provider to run the call; a result makes revm commit the
//! checkpoint on success and revert it otherwise. [`StylusPrecompiles`] answers for `ArbWasm`
//! (`0x…71`), for `ArbWasmCache` (`0x…72`), for the `StylusDeployer` ([`crate::deployer`]) and for every account whose code starts with `EF F0 00`, so programs get revm's
//! journaling, value transfers and `DELEGATECALL` semantics unchanged. A program's own calls
//! and creates run a nested EVM over the same context ([`run_nested`]).

use std::{cell::RefCell, collections::HashMap, convert::Infallible};

use alloy_primitives::{Address, B256};
use revm::{
    context::{BlockEnv, CfgEnv, Context, Evm, FrameStack, Journal, TxEnv},
    context_interface::{result::EVMError, ContextTr, JournalTr, LocalContextTr},
    database::InMemoryDB,
    handler::{
        evm::{ContextDbError, FrameInitResult},
        instructions::EthInstructions,
        EthFrame, EthPrecompiles, EvmTr, FrameData, FrameInitOrResult, FrameResult, Handler,
        MainnetHandler, PrecompileProvider,
    },
    interpreter::{
        interpreter::EthInterpreter, interpreter_action::FrameInit, CallInputs, FrameInput,
        InstructionResult, InterpreterAction, InterpreterResult, SharedMemory,
    },
    primitives::{hardfork::SpecId, AddressSet},
};

use crate::{
    arbwasm, arbwasm_cache, deployer,
    host::{self, ProgramFrame},
    program::ActivationError,
};

/// The node's revm context: in-memory state, mainnet environment types.
pub type Ctx = Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB, Journal<InMemoryDB>, ()>;

/// revm's EVM with the node's parts: mainnet instructions and the Stylus precompile provider,
/// over a borrowed context (so a program's nested calls can build another over the same one).
type InnerEvm<'c, 's> = Evm<
    &'c mut Ctx,
    (),
    EthInstructions<EthInterpreter, &'c mut Ctx>,
    StylusPrecompiles<'s>,
    EthFrame<EthInterpreter>,
>;

/// The EVM the node runs. It differs from revm's in one rule, Arbitrum's form of EIP-3541:
/// new code may start with `0xEF` only when it is a Stylus program (`EF F0 00`). (revm's own
/// EIP-3541 check is disabled in the configuration; this one replaces it.)
pub(crate) struct NodeEvm<'c, 's>(InnerEvm<'c, 's>);

impl<'c, 's> EvmTr for NodeEvm<'c, 's> {
    type Context = &'c mut Ctx;
    type Instructions = EthInstructions<EthInterpreter, &'c mut Ctx>;
    type Precompiles = StylusPrecompiles<'s>;
    type Frame = EthFrame<EthInterpreter>;

    fn all(
        &self,
    ) -> (
        &Self::Context,
        &Self::Instructions,
        &Self::Precompiles,
        &FrameStack<Self::Frame>,
    ) {
        self.0.all()
    }

    fn all_mut(
        &mut self,
    ) -> (
        &mut Self::Context,
        &mut Self::Instructions,
        &mut Self::Precompiles,
        &mut FrameStack<Self::Frame>,
    ) {
        self.0.all_mut()
    }

    fn frame_init(
        &mut self,
        frame_input: FrameInit,
    ) -> Result<FrameInitResult<'_, Self::Frame>, ContextDbError<Self::Context>> {
        self.0.frame_init(frame_input)
    }

    fn frame_run(
        &mut self,
    ) -> Result<FrameInitOrResult<Self::Frame>, ContextDbError<Self::Context>> {
        let evm = &mut self.0;
        let frame = evm.frame_stack.get();
        let mut action = frame.interpreter.run_plain(
            evm.instruction.instruction_table(),
            evm.instruction.gas_table(),
            &mut evm.ctx,
        );
        if let (FrameData::Create(_), InterpreterAction::Return(result)) =
            (&frame.data, &mut action)
        {
            let starts_with_ef = result.output.first() == Some(&0xEF);
            if result.result.is_ok() && starts_with_ef && !crate::program::is_stylus(&result.output)
            {
                result.result = InstructionResult::CreateContractStartingWithEF;
            }
        }
        frame
            .process_next_action(&mut evm.ctx, action)
            .inspect(|next| {
                if next.is_result() {
                    frame.set_finished(true);
                }
            })
    }

    fn frame_return_result(
        &mut self,
        result: FrameResult,
    ) -> Result<Option<FrameResult>, ContextDbError<Self::Context>> {
        self.0.frame_return_result(result)
    }
}

/// Wasm pages a program may open in a transaction before memory costs gas.
pub const FREE_PAGES: u16 = 2;
/// Gas per page opened beyond the free ones.
pub const PAGE_GAS: u64 = 1_000;
/// Most wasm pages a transaction may have open at once (Nitro's `pageLimit`: beyond it the
/// memory model's price is infinite, so the call runs out of gas).
pub const PAGE_LIMIT: u16 = 128;
/// Most recently used programs that count as cached.
pub const BLOCK_CACHE_SIZE: usize = 32;

/// Compiled programs by code hash (the node's lifetime; compilation is deterministic).
pub(crate) struct Programs {
    pub(crate) engine: wasmi::Engine,
    modules: RefCell<HashMap<B256, wasmi::Module>>,
}

impl Programs {
    pub(crate) fn new() -> Self {
        let mut config = wasmi::Config::default();
        config
            .wasm_multi_memory(false)
            .wasm_reference_types(false)
            .wasm_tail_call(false)
            .wasm_extended_const(false)
            .consume_fuel(false);
        Self {
            engine: wasmi::Engine::new(&config),
            modules: RefCell::new(HashMap::new()),
        }
    }

    /// The compiled module of a program, compiling (and caching) it on first use.
    pub(crate) fn module(
        &self,
        code_hash: B256,
        code: &[u8],
    ) -> Result<wasmi::Module, ActivationError> {
        if let Some(module) = self.modules.borrow().get(&code_hash) {
            return Ok(module.clone());
        }
        let analysis = crate::program::analyze(code)?;
        self.insert(code_hash, &analysis.instrumented)
    }

    /// Compiles instrumented wasm and caches it under `code_hash`.
    pub(crate) fn insert(
        &self,
        code_hash: B256,
        instrumented: &[u8],
    ) -> Result<wasmi::Module, ActivationError> {
        let module = wasmi::Module::new(&self.engine, instrumented)
            .map_err(|e| ActivationError::Compile(e.to_string()))?;
        self.modules.borrow_mut().insert(code_hash, module.clone());
        Ok(module)
    }
}

/// Per-transaction state of Stylus execution that is not part of the EVM state.
#[derive(Default)]
pub(crate) struct TxState {
    /// Wasm pages open in the transaction (programs on the call stack plus grown memory).
    pub(crate) pages_open: u16,
    /// Most pages ever open in the transaction.
    pub(crate) pages_ever: u16,
    /// Programs used recently, most recent last (the block cache; one transaction per block).
    recent: Vec<B256>,
    /// Open non-delegate program frames per address.
    frames: HashMap<Address, u32>,
    /// Every program call of the transaction, in pre-order (a reverted call's too).
    pub(crate) program_frames: Vec<ProgramFrame>,
}

impl TxState {
    /// Gas to open `pages` more pages: the linear part of Nitro's memory model, and no gas
    /// that suffices beyond [`PAGE_LIMIT`].
    pub(crate) fn memory_gas(&self, pages: u16) -> u64 {
        let new_open = self.pages_open.saturating_add(pages);
        let new_ever = self.pages_ever.max(new_open);
        if new_ever > PAGE_LIMIT {
            return u64::MAX;
        }
        if new_ever <= FREE_PAGES {
            return 0;
        }
        let beyond_free = |p: u16| p.saturating_sub(FREE_PAGES);
        u64::from(beyond_free(new_open) - beyond_free(self.pages_open)) * PAGE_GAS
    }

    /// Opens `pages` pages.
    pub(crate) fn open_pages(&mut self, pages: u16) {
        self.pages_open = self.pages_open.saturating_add(pages);
        self.pages_ever = self.pages_ever.max(self.pages_open);
    }

    /// Marks a program used; returns whether it was cached already.
    pub(crate) fn use_program(&mut self, code_hash: B256) -> bool {
        let cached = if let Some(i) = self.recent.iter().position(|h| *h == code_hash) {
            self.recent.remove(i);
            true
        } else {
            false
        };
        self.recent.push(code_hash);
        if self.recent.len() > BLOCK_CACHE_SIZE {
            self.recent.remove(0);
        }
        cached
    }

    /// A place for the next program call's record, before its callees'.
    pub(crate) fn reserve_frame(&mut self) -> usize {
        self.program_frames.push(ProgramFrame::default());
        self.program_frames.len() - 1
    }

    /// Fills the place [`TxState::reserve_frame`] gave.
    pub(crate) fn record_frame(&mut self, place: usize, frame: ProgramFrame) {
        if let Some(slot) = self.program_frames.get_mut(place) {
            *slot = frame;
        }
    }

    /// Enters a program frame at `address`; returns whether it is reentrant.
    pub(crate) fn enter(&mut self, address: Address, delegate: bool) -> bool {
        let count = self.frames.entry(address).or_default();
        if !delegate {
            *count += 1;
        }
        *count > 1
    }

    /// Leaves a frame entered with [`TxState::enter`].
    pub(crate) fn leave(&mut self, address: Address, delegate: bool) {
        if !delegate {
            if let Some(count) = self.frames.get_mut(&address) {
                *count = count.saturating_sub(1);
            }
        }
    }
}

/// What every provider of one transaction shares.
pub(crate) struct Session<'p> {
    pub(crate) programs: &'p Programs,
    pub(crate) tx: RefCell<TxState>,
    /// Why the last activation in this transaction failed, for the Rust API.
    pub(crate) activation_error: RefCell<Option<ActivationError>>,
}

impl<'p> Session<'p> {
    pub(crate) fn new(programs: &'p Programs) -> Self {
        Self {
            programs,
            tx: RefCell::new(TxState::default()),
            activation_error: RefCell::new(None),
        }
    }
}

/// The precompile provider: Ethereum's precompiles, `ArbWasm`, and Stylus programs.
pub(crate) struct StylusPrecompiles<'s> {
    eth: EthPrecompiles,
    warm: AddressSet,
    pub(crate) session: &'s Session<'s>,
}

impl<'s> StylusPrecompiles<'s> {
    pub(crate) fn new(spec: SpecId, session: &'s Session<'s>) -> Self {
        let eth = EthPrecompiles::new(spec);
        let mut warm = eth.warm_addresses().clone();
        warm.insert(arbwasm::ARB_WASM);
        warm.insert(arbwasm_cache::ARB_WASM_CACHE);
        Self { eth, warm, session }
    }
}

impl<'c> PrecompileProvider<&'c mut Ctx> for StylusPrecompiles<'_> {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: SpecId) -> bool {
        let changed =
            <EthPrecompiles as PrecompileProvider<&'c mut Ctx>>::set_spec(&mut self.eth, spec);
        self.warm = self.eth.warm_addresses().clone();
        self.warm.insert(arbwasm::ARB_WASM);
        self.warm.insert(arbwasm_cache::ARB_WASM_CACHE);
        changed
    }

    #[expect(
        clippy::mut_mut,
        reason = "the provider trait passes the EVM's context, here a `&mut Ctx`, by `&mut`"
    )]
    fn run(
        &mut self,
        context: &mut &'c mut Ctx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        if inputs.bytecode_address == arbwasm::ARB_WASM {
            return Ok(Some(arbwasm::run(context, self.session, inputs)));
        }
        if inputs.bytecode_address == arbwasm_cache::ARB_WASM_CACHE {
            return Ok(Some(arbwasm_cache::run(context, inputs)));
        }
        if inputs.bytecode_address == deployer::STYLUS_DEPLOYER {
            return deployer::run(context, self.session, inputs).map(Some);
        }
        if crate::program::is_stylus(inputs.known_bytecode.1.original_byte_slice()) {
            return host::run_program(context, self.session, inputs).map(Some);
        }
        self.eth.run(context, inputs)
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.warm
    }
}

/// Builds the node's EVM over `ctx`.
pub(crate) fn evm<'c, 's>(ctx: &'c mut Ctx, session: &'s Session<'s>) -> NodeEvm<'c, 's> {
    let spec = ctx.cfg.spec;
    NodeEvm(Evm {
        ctx,
        inspector: (),
        instruction: EthInstructions::new_mainnet_with_spec(spec),
        precompiles: StylusPrecompiles::new(spec, session),
        frame_stack: FrameStack::new_prealloc(8),
    })
}

/// The handler the node runs transactions and nested frames with.
pub(crate) type NodeHandler<'c, 's> =
    MainnetHandler<NodeEvm<'c, 's>, EVMError<Infallible>, EthFrame<EthInterpreter>>;

/// Runs a call or create from a program as a nested frame over the same context, sharing the
/// context's memory buffer (EVM callees read their calldata from it).
///
/// # Errors
/// Internal provider errors only (they abort the transaction).
pub(crate) fn run_nested(
    ctx: &mut Ctx,
    session: &Session<'_>,
    frame_input: FrameInput,
) -> Result<FrameResult, String> {
    let depth = ctx.journal().depth();
    let mut parent = SharedMemory::new_with_buffer(ctx.local().shared_memory_buffer().clone());
    let memory = parent.new_child_context();
    let result = {
        let mut evm = evm(ctx, session);
        NodeHandler::default().run_exec_loop(
            &mut evm,
            FrameInit {
                depth,
                memory,
                frame_input,
            },
        )
    };
    parent.free_child_context();
    result.map_err(|e| e.to_string())
}
