//! Checks Stylus wasm artifacts the way Nitro's activation would, and measures their deployed
//! code size the way cargo-stylus computes it.
//!
//! [`check`] runs every check on one module and returns a [`Report`]: the imports (functions from
//! `vm_hooks` only, each one of the 42 [`HOSTIOS`]), the exports (`user_entrypoint: (i32) -> i32`,
//! exactly one memory named `memory`, no start function, nothing starting with `stylus`), floats
//! (none in any instruction or type), and the module-level rules that have no flag of their own:
//! validation with Nitro's wasm features, the bulk-memory and table instructions Nitro rejects,
//! and its anti-DoS limits. [`deployed_code`] builds the bytes cargo-stylus would deploy.

pub mod prune;
pub mod snip;

use std::collections::BTreeSet;

use brotli::enc::BrotliEncoderParams;

use serde::Serialize;
use std::convert::Infallible;

use wasm_encoder::{
    reencode::{self, Reencode},
    Module,
};
use wasmparser::{
    BinaryReaderError, Export, ExternalKind, FuncType, FunctionBody, Import, MemoryType, Operator,
    Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

/// The host functions of the `vm_hooks` import module; activation rejects any other import.
pub const HOSTIOS: [&str; 42] = [
    "read_args",
    "exit_early",
    "storage_flush_cache",
    "block_basefee",
    "msg_value",
    "tx_gas_price",
    "block_coinbase",
    "contract_address",
    "msg_sender",
    "tx_origin",
    "pay_for_memory_grow",
    "write_result",
    "storage_load_bytes32",
    "storage_cache_bytes32",
    "transient_load_bytes32",
    "transient_store_bytes32",
    "account_balance",
    "account_codehash",
    "math_div",
    "math_mod",
    "math_pow",
    "emit_log",
    "native_keccak256",
    "math_add_mod",
    "math_mul_mod",
    "call_contract",
    "delegate_call_contract",
    "static_call_contract",
    "read_return_data",
    "account_code",
    "account_code_size",
    "return_data_size",
    "msg_reentrant",
    "tx_ink_price",
    "create1",
    "create2",
    "evm_gas_left",
    "evm_ink_left",
    "chainid",
    "block_gas_limit",
    "block_number",
    "block_timestamp",
];

/// Prefix of deployed Stylus code: the `EF F0 00` marker and dictionary byte 0 (none).
pub const CODE_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// The wasm features Nitro validates with. Floats pass validation there and are rejected later,
/// so they are enabled here too and checked by a second, float-free validation.
const NITRO_FEATURES: WasmFeatures = WasmFeatures::WASM1
    .union(WasmFeatures::SATURATING_FLOAT_TO_INT)
    .union(WasmFeatures::SIGN_EXTENSION)
    .union(WasmFeatures::BULK_MEMORY)
    .union(WasmFeatures::MULTI_VALUE);

/// Longest export name activation accepts.
const MAX_NAME_LEN: usize = 512;

/// The result of checking one artifact: one entry of the JSON report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per check, as the report format fixes them"
)]
pub struct Report {
    /// Contract (package) name.
    pub contract: String,
    /// Size of the wasm file as built.
    pub raw_bytes: usize,
    /// Size of the deployed code: [`CODE_PREFIX`] + brotli of the wasm without custom sections.
    pub code_bytes: usize,
    /// Bytes of the data segments, active and passive: Nitro prices them on every call (0.75
    /// gas per byte of the cached entry charge), unlike code. 0 from [`check_module`].
    pub data_bytes: usize,
    /// Every import is a `vm_hooks` hostio, and `pay_for_memory_grow` is imported if memory can grow.
    pub imports_ok: bool,
    /// `user_entrypoint` and a single `memory` are exported, nothing reserved, no start function.
    pub exports_ok: bool,
    /// No float instruction or float type anywhere in the module.
    pub floats_ok: bool,
    /// Valid with Nitro's wasm features, no unsupported instruction, within Nitro's limits.
    /// Not in the JSON report: its failures are in `reasons` only.
    #[serde(skip)]
    pub module_ok: bool,
    /// Every failure found, including module-level ones (validation, unsupported instructions,
    /// limits) that have no flag of their own. Empty when activation would accept the module.
    pub reasons: Vec<String>,
}

impl Report {
    /// Whether activation would accept the module.
    #[must_use]
    pub fn passes(&self) -> bool {
        self.imports_ok && self.exports_ok && self.floats_ok && self.module_ok
    }
}

/// Checks one wasm module as activation would and measures its deployed size.
#[must_use]
pub fn check(contract: &str, wasm: &[u8]) -> Report {
    let mut found = Findings::default();
    let normalized = normalize(wasm)
        .inspect_err(|e| found.module.push(e.clone()))
        .ok();
    // Activation sees the deployed module; the raw file only if it cannot be re-encoded.
    let module_bytes = normalized.as_deref().unwrap_or(wasm);
    found.check_all(module_bytes);
    let mut report = found.into_report(contract, wasm.len());
    report.data_bytes = data_bytes(module_bytes);
    report.code_bytes = normalized.map_or(0, |normalized| compress(&normalized).len());
    report
}

/// Bytes of the module's data segments (0 for a module that does not parse: its failure is
/// reported by the checks).
#[must_use]
pub fn data_bytes(wasm: &[u8]) -> usize {
    let mut bytes = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        let Ok(Payload::DataSection(reader)) = payload else {
            continue;
        };
        for data in reader.into_iter().flatten() {
            bytes += data.data.len();
        }
    }
    bytes
}

/// Runs activation's checks on a module exactly as it is given (the decompressed code of a
/// deployed program): no re-encoding and no size measurement, so `code_bytes` is 0. The local
/// node's activation uses this.
#[must_use]
pub fn check_module(contract: &str, wasm: &[u8]) -> Report {
    let mut found = Findings::default();
    found.check_all(wasm);
    found.into_report(contract, wasm.len())
}

/// The module as it is deployed: re-encoded canonically (minimal LEB128 everywhere, as
/// cargo-stylus's wasm → wat → wasm round trip does — the padded `call_indirect` table indices
/// that the precompiled std leaves behind are invalid without reference types) and without
/// custom sections.
///
/// # Errors
/// When the module cannot be parsed.
pub fn normalize(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let mut module = Module::new();
    WithoutCustomSections
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| format!("cannot re-encode the module: {e}"))?;
    Ok(module.finish())
}

/// Re-encodes a module, dropping its custom sections.
struct WithoutCustomSections;

impl Reencode for WithoutCustomSections {
    type Error = Infallible;

    fn parse_custom_section(
        &mut self,
        _module: &mut Module,
        _section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        Ok(())
    }
}

/// The code cargo-stylus deploys: [`CODE_PREFIX`] + brotli (quality 11, window 22) of the
/// [normalized](normalize) module. (cargo-stylus also appends a 32-byte project-hash section
/// first.)
///
/// # Errors
/// When the module cannot be parsed.
pub fn deployed_code(wasm: &[u8]) -> Result<Vec<u8>, String> {
    Ok(compress(&normalize(wasm)?))
}

fn compress(stripped: &[u8]) -> Vec<u8> {
    let params = BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..BrotliEncoderParams::default()
    };
    let mut code = CODE_PREFIX.to_vec();
    brotli::BrotliCompress(&mut &stripped[..], &mut code, &params)
        .expect("compressing into a Vec cannot fail");
    code
}

/// Failures grouped by the report flag they clear.
#[derive(Default)]
struct Findings {
    imports: Vec<String>,
    exports: Vec<String>,
    floats: Vec<String>,
    module: Vec<String>,
}

impl Findings {
    fn check_all(&mut self, module_bytes: &[u8]) {
        self.validate(module_bytes);
        match Summary::parse(module_bytes) {
            Ok(module) => {
                self.check_imports(&module);
                self.check_exports(&module);
                self.check_module(&module, module_bytes.len());
            }
            Err(e) => self.module.push(format!("malformed wasm: {e}")),
        }
    }

    fn into_report(self, contract: &str, raw_bytes: usize) -> Report {
        let Self {
            imports,
            exports,
            floats,
            module,
        } = self;
        Report {
            contract: contract.to_owned(),
            raw_bytes,
            code_bytes: 0,
            data_bytes: 0,
            imports_ok: imports.is_empty(),
            exports_ok: exports.is_empty(),
            floats_ok: floats.is_empty(),
            module_ok: module.is_empty(),
            reasons: [imports, exports, floats, module].concat(),
        }
    }

    /// Validates with Nitro's features, then again without floats. The float-free validator is
    /// strictly stricter, so an error it reports that the first one does not is a float.
    fn validate(&mut self, wasm: &[u8]) {
        let run = |features| {
            Validator::new_with_features(features)
                .validate_all(wasm)
                .err()
        };
        let lax = run(NITRO_FEATURES);
        let strict = run(NITRO_FEATURES.difference(WasmFeatures::FLOATS));
        if let Some(e) = &strict {
            let same = lax
                .as_ref()
                .is_some_and(|l| (l.offset(), l.message()) == (e.offset(), e.message()));
            if !same {
                self.floats.push(format!("floats are not allowed: {e}"));
            }
        }
        if let Some(e) = lax {
            self.module
                .push(format!("invalid with Nitro's wasm features: {e}"));
        }
    }

    fn check_imports(&mut self, module: &Summary) {
        for import in &module.imports {
            let (module, name) = (import.module, import.name);
            if !matches!(import.ty, TypeRef::Func(_)) {
                self.imports
                    .push(format!("{module}.{name} is not a function"));
            }
            if module != "vm_hooks" || !HOSTIOS.contains(&name) {
                self.imports
                    .push(format!("{module}.{name} is not a hostio"));
            }
        }
        let grows = module
            .memories
            .first()
            .is_some_and(|memory| memory.maximum != Some(memory.initial));
        let pays = module
            .imports
            .iter()
            .any(|i| i.module == "vm_hooks" && i.name == "pay_for_memory_grow");
        if grows && !pays {
            self.imports
                .push("memory can grow but pay_for_memory_grow is not imported".into());
        }
    }

    fn check_exports(&mut self, module: &Summary) {
        let takes_and_returns_i32 = |func: u32| {
            let ty = module
                .func_types
                .get(func as usize)
                .and_then(|&ty| module.types.get(ty as usize));
            ty.is_some_and(|ty| ty.params() == [ValType::I32] && ty.results() == [ValType::I32])
        };
        match module.exports.iter().find(|e| e.name == "user_entrypoint") {
            None => self.exports.push("user_entrypoint is not exported".into()),
            Some(e) if e.kind == ExternalKind::Func && takes_and_returns_i32(e.index) => {}
            Some(_) => self
                .exports
                .push("user_entrypoint is not a function (i32) -> i32".into()),
        }
        let memories: Vec<_> = module
            .exports
            .iter()
            .filter(|e| e.kind == ExternalKind::Memory)
            .map(|e| e.name)
            .collect();
        if memories != ["memory"] {
            self.exports.push(format!(
                "must export exactly one memory named `memory`, found {memories:?}"
            ));
        }
        for name in module.exports.iter().map(|e| e.name) {
            if name.starts_with("stylus") {
                self.exports
                    .push(format!("export {name} uses the reserved prefix `stylus`"));
            }
            if name.len() > MAX_NAME_LEN {
                self.exports
                    .push(format!("export name longer than {MAX_NAME_LEN} bytes"));
            }
        }
        if module.start {
            self.exports.push("start functions are not allowed".into());
        }
    }

    fn check_module(&mut self, module: &Summary, stripped_len: usize) {
        if !module.unsupported.is_empty() {
            let ops: Vec<_> = module.unsupported.iter().copied().collect();
            self.module
                .push(format!("unsupported instructions: {}", ops.join(", ")));
        }
        let initial_pages = module.memories.first().map_or(0, |m| m.initial);
        for (what, count, max) in [
            ("uncompressed wasm bytes", stripped_len as u64, 128 * 1024),
            ("initial memory pages (8 MiB)", initial_pages, 128),
            ("functions", module.funcs, 4_096),
            ("locals in a function", module.max_locals, 348),
            ("ops in a function", module.max_ops, 65_536),
            ("globals", module.globals, 32_768),
            ("data segments", module.datas, 128),
            ("element segments", module.elements, 128),
            ("element entries", module.elem_entries, 4_096),
            ("table entries", module.table_entries, 4_096),
            ("exports", module.exports.len() as u64, 1_024),
        ] {
            if count > max {
                self.module
                    .push(format!("too many {what}: {count} > {max}"));
            }
        }
    }
}

/// What the checks need from one pass over the module.
#[derive(Default)]
struct Summary<'a> {
    types: Vec<FuncType>,
    /// Type index of every function, imported ones first.
    func_types: Vec<u32>,
    imports: Vec<Import<'a>>,
    memories: Vec<MemoryType>,
    exports: Vec<Export<'a>>,
    start: bool,
    unsupported: BTreeSet<&'static str>,
    funcs: u64,
    max_locals: u64,
    max_ops: u64,
    globals: u64,
    datas: u64,
    elements: u64,
    /// Bytes of element segments, as Nitro counts them.
    elem_entries: u64,
    table_entries: u64,
}

impl<'a> Summary<'a> {
    fn parse(wasm: &'a [u8]) -> Result<Self, BinaryReaderError> {
        let mut module = Self::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::TypeSection(reader) => {
                    for ty in reader.into_iter_err_on_gc_types() {
                        module.types.push(ty?);
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        if let TypeRef::Func(ty) = import.ty {
                            module.func_types.push(ty);
                        }
                        module.imports.push(import);
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        module.func_types.push(ty?);
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        module.table_entries += table?.ty.initial;
                    }
                }
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        module.memories.push(memory?);
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        module.exports.push(export?);
                    }
                }
                Payload::ElementSection(reader) => {
                    for element in reader {
                        let range = element?.range;
                        module.elements += 1;
                        module.elem_entries += range.end - range.start;
                    }
                }
                Payload::GlobalSection(reader) => module.globals = reader.count().into(),
                Payload::DataSection(reader) => module.datas = reader.count().into(),
                Payload::StartSection { .. } => module.start = true,
                Payload::CodeSectionEntry(body) => module.add_body(&body)?,
                _ => {}
            }
        }
        Ok(module)
    }

    fn add_body(&mut self, body: &FunctionBody) -> Result<(), BinaryReaderError> {
        let mut locals = 0;
        for declaration in body.get_locals_reader()? {
            locals += u64::from(declaration?.0);
        }
        let mut ops = 0;
        for op in body.get_operators_reader()? {
            ops += 1;
            self.unsupported.extend(unsupported_op(&op?));
        }
        self.funcs += 1;
        self.max_locals = self.max_locals.max(locals);
        self.max_ops = self.max_ops.max(ops);
        Ok(())
    }
}

/// Instructions that validate with bulk memory on but that Nitro does not support.
fn unsupported_op(op: &Operator) -> Option<&'static str> {
    Some(match op {
        Operator::MemoryInit { .. } => "memory.init",
        Operator::DataDrop { .. } => "data.drop",
        Operator::ElemDrop { .. } => "elem.drop",
        Operator::TableInit { .. } => "table.init",
        Operator::TableCopy { .. } => "table.copy",
        Operator::TableGet { .. } => "table.get",
        Operator::TableSet { .. } => "table.set",
        Operator::TableGrow { .. } => "table.grow",
        Operator::TableSize { .. } => "table.size",
        Operator::TableFill { .. } => "table.fill",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
