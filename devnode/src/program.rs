//! Stylus code: the deployed format, activation's checks and the costs fixed at activation.
//!
//! Deployed code is `EF F0 00`, a dictionary byte and brotli-compressed wasm. [`analyze`] does
//! what `activateProgram` does before it stores anything: it checks the code size, decompresses
//! (dictionary 0 only), validates the module with Nitro's rules (`wasm_check::check_module`),
//! measures it ([`ProgramStats`]) and rewrites it for ink metering.

use std::io::Read;

use alloy_primitives::{keccak256, B256, U256};

use crate::meter;

/// The marker every Stylus program starts with.
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Largest deployed code activation accepts (prefix and compressed wasm).
pub const MAX_CODE_SIZE: usize = 24_576;
/// Largest decompressed wasm activation accepts.
pub const MAX_WASM_SIZE: usize = 128 * 1024;
/// The Stylus version this node activates programs at.
pub const STYLUS_VERSION: u16 = 2;
/// Gas charged upfront by every activation.
pub const ACTIVATION_BASE_GAS: u64 = 1_659_168;
/// Gas per byte of decompressed wasm for compilation at activation (an approximation of
/// Nitro's compile charge, calibrated on a published ERC-20 activation).
pub const ACTIVATION_GAS_PER_WASM_BYTE: u64 = 20;
/// Nitro's minimum data price, in wei per byte of estimated machine code.
pub const DATA_PRICE_WEI: u64 = 82_928_201;
/// Gas-unit multiplier of the minimum uncached init gas (Nitro: 69 × 128).
pub const MIN_INIT_GAS: u64 = 69 * 128;
/// Minimum cached init gas (Nitro: 11 × 32).
pub const MIN_CACHED_INIT_GAS: u64 = 11 * 32;

/// Why activation refused a program. Each has a Solidity error or revert string on chain; the
/// Rust API returns this type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivationError {
    /// The account's code does not start with `EF F0 00`.
    #[error("not a Stylus program: the code does not start with EF F0 00")]
    NotWasm,
    /// The deployed code is over [`MAX_CODE_SIZE`].
    #[error("deployed code is {0} bytes, over the limit of 24,576")]
    CodeTooLarge(usize),
    /// Dictionary 1 (Nitro's Stylus dictionary) is not shipped with this node.
    #[error("dictionary 1 (Nitro's Stylus dictionary) is not supported by this node; deploy with dictionary 0")]
    UnsupportedDictionary,
    /// A dictionary byte Nitro does not define.
    #[error("unknown brotli dictionary {0}: only 0 (none) and 1 (Stylus) exist")]
    UnknownDictionary(u8),
    /// The brotli stream is broken.
    #[error("cannot decompress the program: {0}")]
    Decompress(String),
    /// The decompressed wasm is over [`MAX_WASM_SIZE`].
    #[error("decompressed wasm is over the limit of 131,072 bytes")]
    WasmTooLarge,
    /// An import that is not one of the 42 `vm_hooks` functions.
    #[error("invalid imports: {0}")]
    Imports(String),
    /// `user_entrypoint` or `memory` missing or wrong, a reserved name, or a start function.
    #[error("invalid exports: {0}")]
    Exports(String),
    /// A float instruction or type.
    #[error("floats are not allowed: {0}")]
    Floats(String),
    /// Invalid with Nitro's features, an unsupported instruction, or over a module limit.
    #[error("invalid module: {0}")]
    Module(String),
    /// The module could not be compiled by the interpreter.
    #[error("cannot compile the program: {0}")]
    Compile(String),
    /// The value sent does not cover the data fee.
    #[error("activation needs {want} wei, {have} were sent")]
    InsufficientValue {
        /// Wei sent.
        have: U256,
        /// Data fee.
        want: U256,
    },
    /// The program is already activated at the current Stylus version.
    #[error("the program is already activated at the current version")]
    UpToDate,
    /// Activation was called in a static context.
    #[error("activation cannot run in a static call")]
    Static,
    /// Not enough gas for the activation charge.
    #[error("out of gas for activation")]
    OutOfGas,
}

/// What activation measures of a module; the entry charge and the data fee derive from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramStats {
    /// Functions defined by the module.
    pub funcs: u64,
    /// Entries in the type section.
    pub types: u64,
    /// Bytes of decompressed wasm.
    pub wasm_len: u64,
    /// Globals defined by the module.
    pub globals: u64,
    /// Bytes of data segments.
    pub data_bytes: u64,
    /// Initial memory pages (the program's memory footprint).
    pub footprint: u16,
}

impl ProgramStats {
    /// Nitro's `init_cost` (gas, rounded up): `funcs×8.252 + types×1.059 + wasm_len×0.1286`.
    #[must_use]
    pub fn init_cost(&self) -> u64 {
        let milli = self.funcs * 8_252 + self.types * 1_059;
        let wasm = self.wasm_len * 1_286;
        (milli * 10 + wasm).div_ceil(10_000)
    }

    /// Nitro's `cached_init_cost` (gas, rounded up): `funcs×0.1342 + types×0.00089 +
    /// wasm_len×0.00122 + globals×1.628 + data_bytes×0.75244 + pages×5`.
    #[must_use]
    pub fn cached_init_cost(&self) -> u64 {
        let per_100k = self.funcs * 13_420
            + self.types * 89
            + self.wasm_len * 122
            + self.globals * 162_800
            + self.data_bytes * 75_244
            + u64::from(self.footprint) * 500_000;
        per_100k.div_ceil(100_000)
    }

    /// Entry gas of every call (cached or not).
    #[must_use]
    pub fn cached_gas(&self) -> u64 {
        MIN_CACHED_INIT_GAS + self.cached_init_cost()
    }

    /// Entry gas added when the program is not cached.
    #[must_use]
    pub fn init_gas(&self) -> u64 {
        MIN_INIT_GAS + self.init_cost()
    }

    /// Estimated machine-code size in bytes: `512,000 + funcs×996.829 + types×11.416 +
    /// wasm_len×6.2628`.
    #[must_use]
    pub fn asm_estimate(&self) -> u64 {
        let per_10k =
            5_120_000_000 + self.funcs * 9_968_290 + self.types * 114_160 + self.wasm_len * 62_628;
        per_10k.div_ceil(10_000)
    }

    /// The data fee in wei (Nitro's minimum price; the demand term e^(demand/inertia) is 1 on a
    /// fresh chain and not modelled).
    #[must_use]
    pub fn data_fee(&self) -> U256 {
        U256::from(self.asm_estimate()) * U256::from(DATA_PRICE_WEI)
    }

    /// Gas charged by activation.
    #[must_use]
    pub fn activation_gas(&self) -> u64 {
        ACTIVATION_BASE_GAS + self.wasm_len * ACTIVATION_GAS_PER_WASM_BYTE
    }

    fn measure(wasm: &[u8]) -> Result<Self, ActivationError> {
        let malformed = |e: wasmparser::BinaryReaderError| ActivationError::Module(e.to_string());
        let mut stats = Self {
            wasm_len: wasm.len() as u64,
            ..Self::default()
        };
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            match payload.map_err(malformed)? {
                wasmparser::Payload::TypeSection(r) => stats.types = r.count().into(),
                wasmparser::Payload::FunctionSection(r) => stats.funcs = r.count().into(),
                wasmparser::Payload::GlobalSection(r) => stats.globals = r.count().into(),
                wasmparser::Payload::MemorySection(r) => {
                    for memory in r {
                        let pages = memory.map_err(malformed)?.initial;
                        stats.footprint = u16::try_from(pages).unwrap_or(u16::MAX);
                    }
                }
                wasmparser::Payload::DataSection(r) => {
                    for data in r {
                        stats.data_bytes += data.map_err(malformed)?.data.len() as u64;
                    }
                }
                _ => {}
            }
        }
        Ok(stats)
    }
}

/// A program that passed activation's checks.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The decompressed wasm.
    pub wasm: Vec<u8>,
    /// The wasm rewritten for ink metering.
    pub instrumented: Vec<u8>,
    /// Its measurements.
    pub stats: ProgramStats,
    /// keccak256 of the decompressed wasm (the `moduleHash` of `ProgramActivated`).
    pub module_hash: B256,
}

/// Whether `code` is Stylus code.
#[must_use]
pub fn is_stylus(code: &[u8]) -> bool {
    code.starts_with(&STYLUS_PREFIX)
}

/// Decompresses deployed Stylus code.
///
/// # Errors
/// Not Stylus code, over the size limits, a dictionary other than 0, or a broken stream.
pub fn decompress(code: &[u8]) -> Result<Vec<u8>, ActivationError> {
    if !is_stylus(code) || code.len() < 4 {
        return Err(ActivationError::NotWasm);
    }
    if code.len() > MAX_CODE_SIZE {
        return Err(ActivationError::CodeTooLarge(code.len()));
    }
    match code[3] {
        0 => {}
        1 => return Err(ActivationError::UnsupportedDictionary),
        other => return Err(ActivationError::UnknownDictionary(other)),
    }
    let mut wasm = Vec::new();
    brotli::Decompressor::new(&code[4..], 4096)
        .take(MAX_WASM_SIZE as u64 + 1)
        .read_to_end(&mut wasm)
        .map_err(|e| ActivationError::Decompress(e.to_string()))?;
    if wasm.len() > MAX_WASM_SIZE {
        return Err(ActivationError::WasmTooLarge);
    }
    Ok(wasm)
}

/// Runs activation's checks on deployed code and prepares the module for execution.
///
/// # Errors
/// The first rule the program breaks, in this order: code format and size, imports, exports,
/// floats, other module rules.
pub fn analyze(code: &[u8]) -> Result<Analysis, ActivationError> {
    let wasm = decompress(code)?;
    let report = wasm_check::check_module("program", &wasm);
    let reason = || report.reasons.join("; ");
    if !report.imports_ok {
        return Err(ActivationError::Imports(reason()));
    }
    if !report.exports_ok {
        return Err(ActivationError::Exports(reason()));
    }
    if !report.floats_ok {
        return Err(ActivationError::Floats(reason()));
    }
    if !report.module_ok {
        return Err(ActivationError::Module(reason()));
    }
    let stats = ProgramStats::measure(&wasm)?;
    let instrumented =
        meter::instrument(&wasm).map_err(|e| ActivationError::Module(e.to_string()))?;
    Ok(Analysis {
        module_hash: keccak256(&wasm),
        instrumented,
        stats,
        wasm,
    })
}

/// Deployed code for a wasm module, as cargo-stylus makes it: the module without custom
/// sections, brotli quality 11, behind `EF F0 00 00`.
///
/// # Errors
/// When the module cannot be parsed.
pub fn stylus_code(wasm: &[u8]) -> Result<Vec<u8>, ActivationError> {
    wasm_check::deployed_code(wasm).map_err(ActivationError::Module)
}

/// The init code cargo-stylus deploys: a 43-byte EVM prelude that returns the code after it
/// (`PUSH32 len, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN`, version byte 0), then
/// the code.
#[must_use]
pub fn deploy_init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(43 + code.len());
    init.push(0x7f);
    init.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    init.extend_from_slice(&[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    init
}

/// An activation as `ArbWasm` stores it (one storage word per code hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgramRecord {
    /// Stylus version at activation.
    pub version: u16,
    /// Entry gas when not cached (beyond the cached part).
    pub init_gas: u32,
    /// Entry gas always charged.
    pub cached_gas: u32,
    /// Initial memory pages.
    pub footprint: u16,
    /// Estimated machine-code size.
    pub asm_estimate: u32,
    /// Activation (or last keepalive) time, unix seconds.
    pub activated_at: u64,
    /// Whether the program is in the `ArbOS` cache (`ArbWasmCache.cacheProgram`): calls skip
    /// the uncached part of the entry charge.
    pub cached: bool,
}

impl ProgramRecord {
    /// The record for a fresh activation.
    #[must_use]
    pub fn new(stats: &ProgramStats, now: u64) -> Self {
        Self {
            version: STYLUS_VERSION,
            init_gas: u32::try_from(stats.init_gas()).unwrap_or(u32::MAX),
            cached_gas: u32::try_from(stats.cached_gas()).unwrap_or(u32::MAX),
            footprint: stats.footprint,
            asm_estimate: u32::try_from(stats.asm_estimate()).unwrap_or(u32::MAX),
            activated_at: now,
            cached: false,
        }
    }

    /// Packs the record into a storage word (version in the low bits).
    #[must_use]
    pub fn pack(&self) -> U256 {
        U256::from(self.version)
            | U256::from(self.init_gas) << 16
            | U256::from(self.cached_gas) << 48
            | U256::from(self.footprint) << 80
            | U256::from(self.asm_estimate) << 96
            | U256::from(self.activated_at) << 128
            | U256::from(u8::from(self.cached)) << 192
    }

    /// Unpacks a storage word; `None` for an empty slot (never activated).
    #[must_use]
    pub fn unpack(word: U256) -> Option<Self> {
        if word.is_zero() {
            return None;
        }
        let field = |shift: usize, bits: usize| -> u64 {
            let mask = (U256::from(1) << bits) - U256::from(1);
            ((word >> shift) & mask).saturating_to()
        };
        Some(Self {
            version: u16::try_from(field(0, 16)).unwrap_or(u16::MAX),
            init_gas: u32::try_from(field(16, 32)).unwrap_or(u32::MAX),
            cached_gas: u32::try_from(field(48, 32)).unwrap_or(u32::MAX),
            footprint: u16::try_from(field(80, 16)).unwrap_or(u16::MAX),
            asm_estimate: u32::try_from(field(96, 32)).unwrap_or(u32::MAX),
            activated_at: field(128, 64),
            cached: field(192, 1) == 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips_through_its_storage_word() {
        let record = ProgramRecord {
            version: 2,
            init_gas: 70_000,
            cached_gas: 1_999,
            footprint: 17,
            asm_estimate: 1_100_000,
            activated_at: 1_700_000_000,
            cached: true,
        };
        assert_eq!(ProgramRecord::unpack(record.pack()), Some(record));
        assert_eq!(ProgramRecord::unpack(U256::ZERO), None);
    }

    #[test]
    fn prelude_is_43_bytes_and_returns_the_code() {
        let init = deploy_init_code(&[0xEF, 0xF0, 0x00, 0x00, 0x01]);
        assert_eq!(init.len(), 43 + 5);
        assert_eq!(init[0], 0x7f);
        assert_eq!(init[32], 5);
        assert_eq!(&init[43..], &[0xEF, 0xF0, 0x00, 0x00, 0x01]);
    }

    #[test]
    fn costs_follow_nitros_formulas() {
        let stats = ProgramStats {
            funcs: 100,
            types: 20,
            wasm_len: 50_000,
            globals: 3,
            data_bytes: 1_000,
            footprint: 2,
        };
        // 825.2 + 21.18 + 6430 = 7276.38 → 7277
        assert_eq!(stats.init_cost(), 7_277);
        // 13.42 + 0.0178 + 61 + 4.884 + 752.44 + 10 = 841.7618 → 842
        assert_eq!(stats.cached_init_cost(), 842);
        // 512000 + 99682.9 + 228.32 + 313140 = 925051.22 → 925052
        assert_eq!(stats.asm_estimate(), 925_052);
        assert_eq!(
            stats.data_fee(),
            U256::from(925_052u64) * U256::from(82_928_201u64)
        );
    }

    #[test]
    fn code_format_errors_are_distinct() {
        assert_eq!(decompress(&[0x60, 0x00]), Err(ActivationError::NotWasm));
        assert_eq!(
            decompress(&[0xEF, 0xF0, 0x00, 0x01, 0x00]),
            Err(ActivationError::UnsupportedDictionary)
        );
        assert_eq!(
            decompress(&[0xEF, 0xF0, 0x00, 0x07, 0x00]),
            Err(ActivationError::UnknownDictionary(7))
        );
        let mut big = STYLUS_PREFIX.to_vec();
        big.resize(MAX_CODE_SIZE + 1, 0);
        assert_eq!(
            decompress(&big),
            Err(ActivationError::CodeTooLarge(MAX_CODE_SIZE + 1))
        );
    }
}
