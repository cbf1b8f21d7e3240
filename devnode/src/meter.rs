//! Ink metering by module rewriting, as Nitro does it at activation.
//!
//! [`instrument`] adds two globals to a validated module — the ink left (`i64`) and a status
//! (`i32`, set to 1 when ink runs out) — exports them under the reserved names
//! [`INK_EXPORT`] and [`STATUS_EXPORT`], and inserts before every basic block a check that
//! traps when the block's price exceeds the ink left, then subtracts it. A block's price is the
//! sum of its operators' prices ([`opcode_ink`]) plus [`BLOCK_HEADER_INK`]. A block ends at
//! `end`, `else`, `return`, `loop`, `br`, `br_if`, `br_table`, `if`, `call` and `call_indirect`
//! (Nitro's set). `memory.copy` and `memory.fill` also pay 100 ink per byte, checked against
//! their size operand just before they run.

use std::convert::Infallible;

use wasm_encoder::{
    reencode::{self, Reencode},
    BlockType, CodeSection, ConstExpr, ExportKind, ExportSection, Function, GlobalSection,
    GlobalType, Instruction, Module, SectionId, ValType,
};
use wasmparser::{FunctionBody, Operator, Parser, Payload};

/// Export name of the ink-left global.
pub const INK_EXPORT: &str = "stylus_ink_left";
/// Export name of the status global (1 once ink has run out).
pub const STATUS_EXPORT: &str = "stylus_ink_status";
/// Ink added to the price of every basic block.
pub const BLOCK_HEADER_INK: u64 = 2_450;
/// Ink per byte of `memory.copy` and `memory.fill`.
pub const BULK_MEMORY_BYTE_INK: i64 = 100;

/// A module could not be rewritten (it was validated first, so this means malformed input).
#[derive(Debug, thiserror::Error)]
#[error("cannot instrument the module: {0}")]
pub struct InstrumentError(String);

impl From<reencode::Error<Infallible>> for InstrumentError {
    fn from(e: reencode::Error<Infallible>) -> Self {
        Self(e.to_string())
    }
}

impl From<wasmparser::BinaryReaderError> for InstrumentError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Self(e.to_string())
    }
}

/// Nitro's ink price of one operator. `params` gives the parameter count of each type index
/// (for `call_indirect`).
#[must_use]
pub fn opcode_ink(op: &Operator, params: &[u32]) -> u64 {
    use Operator as O;
    match op {
        O::Unreachable
        | O::Nop
        | O::Block { .. }
        | O::Loop { .. }
        | O::Else
        | O::End
        | O::Return
        | O::I32Const { .. }
        | O::I64Const { .. }
        | O::F32Const { .. }
        | O::F64Const { .. } => 1,
        O::Drop => 9,
        O::If { .. } | O::Br { .. } | O::BrIf { .. } => 765,
        O::BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        O::Call { .. } => 3_800,
        O::CallIndirect { type_index, .. } => {
            let count = params.get(*type_index as usize).copied().unwrap_or(0);
            13_610 + 650 * u64::from(count)
        }
        O::Select | O::TypedSelect { .. } => 1_250,
        O::LocalGet { .. } | O::LocalTee { .. } => 75,
        O::LocalSet { .. } => 210,
        O::GlobalGet { .. }
        | O::I64Eqz
        | O::I64Eq
        | O::I64Ne
        | O::I64LtS
        | O::I64LtU
        | O::I64GtS
        | O::I64GtU
        | O::I64LeS
        | O::I64LeU
        | O::I64GeS
        | O::I64GeU => 225,
        O::GlobalSet { .. } => 575,
        O::I32Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. } => 670,
        O::I64Load { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. } => 680,
        O::I32Store { .. } | O::I32Store8 { .. } | O::I32Store16 { .. } => 825,
        O::I64Store { .. }
        | O::I64Store8 { .. }
        | O::I64Store16 { .. }
        | O::I64Store32 { .. }
        | O::MemoryCopy { .. }
        | O::MemoryFill { .. } => 950,
        O::MemorySize { .. } => 3_000,
        O::MemoryGrow { .. } => 8_050,
        O::I32Eqz
        | O::I32Eq
        | O::I32Ne
        | O::I32LtS
        | O::I32LtU
        | O::I32GtS
        | O::I32GtU
        | O::I32LeS
        | O::I32LeU
        | O::I32GeS
        | O::I32GeU => 170,
        O::I32Mul | O::I64Mul => 160,
        O::I32DivS | O::I32DivU | O::I32RemS | O::I32RemU => 1_120,
        O::I64DivS | O::I64DivU | O::I64RemS | O::I64RemU => 1_270,
        O::I64Add
        | O::I64Sub
        | O::I64And
        | O::I64Or
        | O::I64Xor
        | O::I64Shl
        | O::I64ShrS
        | O::I64ShrU
        | O::I64Rotl
        | O::I64Rotr
        | O::I64Clz
        | O::I64Ctz
        | O::I64Popcnt
        | O::I64ExtendI32S
        | O::I64ExtendI32U
        | O::I64Extend8S
        | O::I64Extend16S
        | O::I64Extend32S => 100,
        // i32 arithmetic, logic, shifts, bit counts, wrap and sign extension; anything else
        // (activation rejects floats and the remaining proposals) at the i32 price.
        _ => 70,
    }
}

/// Whether `op` ends a basic block (Nitro's set).
fn ends_basic_block(op: &Operator) -> bool {
    use Operator as O;
    matches!(
        op,
        O::End
            | O::Else
            | O::Return
            | O::Loop { .. }
            | O::Br { .. }
            | O::BrTable { .. }
            | O::BrIf { .. }
            | O::If { .. }
            | O::Call { .. }
            | O::CallIndirect { .. }
    )
}

/// What instrumentation needs to know about a module before rewriting it.
#[derive(Default)]
struct Layout {
    /// Parameter count of each type.
    type_params: Vec<u32>,
    /// Type index of each defined function, in order.
    func_types: Vec<u32>,
    /// Number of globals the module defines (activation forbids imported globals).
    globals: u32,
}

impl Layout {
    fn read(wasm: &[u8]) -> Result<Self, InstrumentError> {
        let mut layout = Self::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::TypeSection(reader) => {
                    for ty in reader.into_iter_err_on_gc_types() {
                        let ty = ty?;
                        layout
                            .type_params
                            .push(u32::try_from(ty.params().len()).unwrap_or(u32::MAX));
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        layout.func_types.push(ty?);
                    }
                }
                Payload::GlobalSection(reader) => layout.globals = reader.count(),
                _ => {}
            }
        }
        Ok(layout)
    }
}

/// The rewriter: a round-trip re-encoder that meters function bodies and adds the globals.
struct Meter {
    layout: Layout,
    next_func: usize,
    globals_added: bool,
}

impl Meter {
    fn ink(&self) -> u32 {
        self.layout.globals
    }

    fn status(&self) -> u32 {
        self.layout.globals + 1
    }

    fn add_globals(&mut self, globals: &mut GlobalSection) {
        let ty = |val_type| GlobalType {
            val_type,
            mutable: true,
            shared: false,
        };
        globals.global(ty(ValType::I64), &ConstExpr::i64_const(0));
        globals.global(ty(ValType::I32), &ConstExpr::i32_const(0));
        self.globals_added = true;
    }

    /// "if ink < cost { status = 1; trap } ink -= cost", for a constant cost.
    fn charge(&self, f: &mut Function, cost: u64) {
        let cost = i64::try_from(cost).unwrap_or(i64::MAX);
        self.charge_with(f, &[Instruction::I64Const(cost)]);
    }

    /// The same check for a cost that `push_cost` leaves on the stack.
    fn charge_with(&self, f: &mut Function, push_cost: &[Instruction]) {
        f.instruction(&Instruction::GlobalGet(self.ink()));
        for i in push_cost {
            f.instruction(i);
        }
        f.instruction(&Instruction::I64LtU);
        f.instruction(&Instruction::If(BlockType::Empty));
        f.instruction(&Instruction::I32Const(1));
        f.instruction(&Instruction::GlobalSet(self.status()));
        f.instruction(&Instruction::Unreachable);
        f.instruction(&Instruction::End);
        f.instruction(&Instruction::GlobalGet(self.ink()));
        for i in push_cost {
            f.instruction(i);
        }
        f.instruction(&Instruction::I64Sub);
        f.instruction(&Instruction::GlobalSet(self.ink()));
    }
}

impl Reencode for Meter {
    type Error = Infallible;

    fn parse_custom_section(
        &mut self,
        _module: &mut Module,
        _section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), reencode::Error<Infallible>> {
        // A module without a global section gets one just before the first later section.
        let later = before.is_none_or(|id| (id as u8) > (SectionId::Global as u8));
        if !self.globals_added && later {
            let mut globals = GlobalSection::new();
            self.add_globals(&mut globals);
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_export_section(self, exports, section)?;
        exports.export(INK_EXPORT, ExportKind::Global, self.ink());
        exports.export(STATUS_EXPORT, ExportKind::Global, self.status());
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        let ty = self.layout.func_types.get(self.next_func).copied();
        self.next_func += 1;
        let params = ty
            .and_then(|ty| self.layout.type_params.get(ty as usize))
            .copied()
            .unwrap_or(0);
        let mut locals = Vec::new();
        let mut count = params;
        for local in func.get_locals_reader()? {
            let (n, ty) = local?;
            locals.push((n, self.val_type(ty)?));
            count = count.saturating_add(n);
        }
        // Two scratch locals for the bulk-memory size check.
        let (size32, cost64) = (count, count.saturating_add(1));
        locals.push((1, ValType::I32));
        locals.push((1, ValType::I64));
        let mut f = Function::new(locals);

        let mut block = Vec::new();
        let mut cost = 0;
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            let ends = ends_basic_block(&op);
            cost += opcode_ink(&op, &self.layout.type_params);
            let bulk = matches!(
                op,
                Operator::MemoryCopy { .. } | Operator::MemoryFill { .. }
            );
            let instruction = self.instruction(op)?;
            if bulk {
                block.push(Bulk::Size(size32, cost64));
            }
            block.push(Bulk::Op(instruction));
            if ends {
                self.charge(&mut f, cost + BLOCK_HEADER_INK);
                for item in block.drain(..) {
                    match item {
                        Bulk::Op(i) => {
                            f.instruction(&i);
                        }
                        Bulk::Size(size, ink) => {
                            f.instruction(&Instruction::LocalTee(size));
                            f.instruction(&Instruction::I64ExtendI32U);
                            f.instruction(&Instruction::I64Const(BULK_MEMORY_BYTE_INK));
                            f.instruction(&Instruction::I64Mul);
                            f.instruction(&Instruction::LocalSet(ink));
                            self.charge_with(&mut f, &[Instruction::LocalGet(ink)]);
                            f.instruction(&Instruction::LocalGet(size));
                        }
                    }
                }
                cost = 0;
            }
        }
        code.function(&f);
        Ok(())
    }
}

/// An operator to emit, or the size check that precedes a bulk-memory operator.
enum Bulk<'a> {
    Op(Instruction<'a>),
    /// Scratch locals: the size (`i32`) and its ink cost (`i64`).
    Size(u32, u32),
}

/// Rewrites a validated module for ink metering (see the module documentation).
///
/// # Errors
/// When the module cannot be parsed.
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>, InstrumentError> {
    let layout = Layout::read(wasm)?;
    let mut meter = Meter {
        layout,
        next_func: 0,
        globals_added: false,
    };
    let mut module = Module::new();
    meter.parse_core_module(&mut module, Parser::new(0), wasm)?;
    Ok(module.finish())
}
