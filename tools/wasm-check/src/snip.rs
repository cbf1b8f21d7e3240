//! Removes Rust's panic and formatting machinery from a contract: the body of every function
//! that only reports a panic and never returns becomes `unreachable`.
//!
//! A Stylus program is built with `panic = "abort"` for `wasm32-unknown-unknown`, where the
//! standard library's panic hook prints nothing. So a panic already ends in a trap after
//! formatting its message into a buffer nobody reads; trapping straight away changes no
//! outcome (a trap reverts with no data either way) and lets `wasm-opt` drop the formatting
//! code, the panic payloads and their strings, about 2.8 KB of deployed code per contract.
//!
//! Functions are found by name in the `name` section, so the build must keep symbols
//! (`strip = false`); names are demangled with `rustc-demangle` (both Rust manglings). Only
//! functions that diverge (`-> !`) are listed in [`PANIC_PATHS`].

use std::{collections::BTreeSet, convert::Infallible};

use wasm_encoder::{
    reencode::{self, Reencode},
    CodeSection, Function, Instruction, Module,
};
use wasmparser::{FunctionBody, KnownCustom, Name, Parser, Payload, TypeRef};

/// Paths of the functions that report a panic or an allocation failure and never return
/// (`-> !`). A function is snipped when its demangled path is exactly one of them (what only
/// they call, closures included, is then dead code that `wasm-opt` removes).
pub const PANIC_PATHS: &[&str] = &[
    // The `#[panic_handler]` of std and what it calls.
    "rust_begin_unwind",
    "__rustc::rust_begin_unwind",
    "__rustc::rust_panic",
    "__rustc::__rust_start_panic",
    "std::panicking::begin_panic_handler",
    "std::panicking::rust_panic_with_hook",
    "std::panicking::panic_with_hook",
    "std::panicking::panic_handler",
    // core's entry points into it.
    "core::panicking::panic",
    "core::panicking::panic_fmt",
    "core::panicking::panic_bounds_check",
    "core::panicking::panic_nounwind",
    "core::panicking::panic_nounwind_fmt",
    "core::panicking::panic_cannot_unwind",
    "core::panicking::panic_in_cleanup",
    "core::panicking::assert_failed",
    "core::panicking::assert_failed_inner",
    "core::result::unwrap_failed",
    "core::option::unwrap_failed",
    "core::option::expect_failed",
    "core::slice::index::slice_start_index_len_fail",
    "core::slice::index::slice_end_index_len_fail",
    "core::slice::index::slice_index_order_fail",
    "core::slice::index::slice_index_fail",
    "core::slice::<impl [T]>::copy_from_slice::len_mismatch_fail",
    // alloc's failures.
    "alloc::raw_vec::capacity_overflow",
    "alloc::raw_vec::handle_error",
    "alloc::alloc::handle_alloc_error",
    "__rust_alloc_error_handler",
    "__rustc::__rust_alloc_error_handler",
    "__rdl_oom",
    "__rustc::__rdl_oom",
    "__rg_oom",
];

/// Whether the function named `symbol` (mangled, as in the `name` section) is one of
/// [`PANIC_PATHS`].
#[must_use]
pub fn is_panic_path(symbol: &str) -> bool {
    // `{:#}` leaves out the hashes and the crates' disambiguators.
    let path = format!("{:#}", rustc_demangle::demangle(symbol));
    PANIC_PATHS.contains(&path.as_str())
}

/// `wasm` with the body of every function named in [`PANIC_PATHS`] replaced by `unreachable`
/// and without custom sections (the names and debug information have served), and the names
/// of the functions replaced.
///
/// # Errors
/// When the module cannot be parsed or re-encoded.
pub fn snip_panics(wasm: &[u8]) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut imported = 0_u32;
    let mut snipped = BTreeSet::new();
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import.map_err(|e| e.to_string())?.ty, TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Name::Function(map) = name.map_err(|e| e.to_string())? {
                            for naming in map {
                                let naming = naming.map_err(|e| e.to_string())?;
                                if is_panic_path(naming.name) {
                                    snipped.insert(naming.index);
                                    names.push(naming.name.to_owned());
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut module = Module::new();
    let mut reencoder = Snipper {
        next: imported,
        snipped,
    };
    reencoder
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| format!("cannot re-encode the module: {e}"))?;
    // The names and the debug information have served: drop every custom section.
    Ok((crate::normalize(&module.finish())?, names))
}

/// Re-encodes a module, replacing the listed function bodies.
struct Snipper {
    /// Index of the next function body (the imported functions come first).
    next: u32,
    snipped: BTreeSet<u32>,
}

impl Reencode for Snipper {
    type Error = Infallible;

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let index = self.next;
        self.next += 1;
        if self.snipped.contains(&index) {
            let mut body = Function::new([]);
            body.instruction(&Instruction::Unreachable);
            body.instruction(&Instruction::End);
            code.function(&body);
            return Ok(());
        }
        reencode::utils::parse_function_body(self, code, func)
    }
}
