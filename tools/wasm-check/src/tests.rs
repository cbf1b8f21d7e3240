use std::io::Write;

use wasmparser::{Parser, Payload};

use super::{check, deployed_code, normalize, Report, CODE_PREFIX, HOSTIOS};

const GROW: &str = r#"(import "vm_hooks" "pay_for_memory_grow" (func (param i32)))"#;
const MEMORY: &str = r#"(memory (export "memory") 1)"#;
const ENTRY: &str = r#"(func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#;

fn wasm(parts: &[&str]) -> Vec<u8> {
    wat::parse_str(format!("(module {})", parts.join(" "))).expect("test modules are valid wat")
}

fn report(parts: &[&str]) -> Report {
    check("test", &wasm(parts))
}

fn has_reason(report: &Report, text: &str) -> bool {
    report.reasons.iter().any(|r| r.contains(text))
}

#[test]
fn minimal_module_passes_every_check() {
    let report = report(&[GROW, MEMORY, ENTRY]);
    assert!(report.passes(), "{:?}", report.reasons);
    assert!(report.reasons.is_empty());
}

#[test]
fn data_bytes_are_every_data_segments_bytes() {
    assert_eq!(report(&[GROW, MEMORY, ENTRY]).data_bytes, 0);
    let data = [
        r#"(data (i32.const 16) "0123456789abcdef")"#,
        r#"(data (i32.const 64) "xyz")"#,
        r#"(data "passive")"#,
    ];
    let report = report(&[GROW, MEMORY, ENTRY, data[0], data[1]]);
    assert!(report.passes(), "{:?}", report.reasons);
    assert_eq!(report.data_bytes, 19);
    assert_eq!(
        check("test", &wasm(&[GROW, MEMORY, ENTRY, data[2]])).data_bytes,
        7
    );
}

#[test]
fn hostio_list_has_42_distinct_names() {
    let mut names = HOSTIOS.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 42);
}

#[test]
fn unknown_hostio_import_fails_imports_check() {
    let import = r#"(import "vm_hooks" "console_log_text" (func (param i32 i32)))"#;
    let report = report(&[GROW, import, MEMORY, ENTRY]);
    assert!(!report.imports_ok);
    assert!(has_reason(&report, "vm_hooks.console_log_text"));
}

#[test]
fn import_from_another_module_fails_imports_check() {
    let import = r#"(import "env" "read_args" (func (param i32)))"#;
    let report = report(&[GROW, import, MEMORY, ENTRY]);
    assert!(!report.imports_ok);
    assert!(report.exports_ok && report.floats_ok && report.module_ok);
}

#[test]
fn growable_memory_without_pay_for_memory_grow_fails_imports_check() {
    assert!(!report(&[MEMORY, ENTRY]).imports_ok);
    assert!(report(&[r#"(memory (export "memory") 1 1)"#, ENTRY]).passes());
}

#[test]
fn missing_user_entrypoint_fails_exports_check() {
    let report = report(&[GROW, MEMORY]);
    assert!(!report.exports_ok);
    assert!(has_reason(&report, "user_entrypoint is not exported"));
}

#[test]
fn entrypoint_with_wrong_type_fails_exports_check() {
    let entry = r#"(func (export "user_entrypoint") (param i64) (result i32) i32.const 0)"#;
    assert!(!report(&[GROW, MEMORY, entry]).exports_ok);
    let not_a_function = r#"(global (export "user_entrypoint") i32 (i32.const 0))"#;
    assert!(!report(&[GROW, MEMORY, not_a_function]).exports_ok);
}

#[test]
fn second_memory_export_fails_exports_check() {
    let memory = r#"(memory (export "memory") (export "heap") 1)"#;
    assert!(!report(&[GROW, memory, ENTRY]).exports_ok);
}

#[test]
fn missing_or_unexported_memory_fails_exports_check() {
    assert!(!report(&[GROW, ENTRY]).exports_ok);
    assert!(!report(&[GROW, "(memory 1)", ENTRY]).exports_ok);
    assert!(!report(&[GROW, r#"(memory (export "mem") 1)"#, ENTRY]).exports_ok);
}

#[test]
fn start_function_fails_exports_check() {
    let report = report(&[GROW, MEMORY, ENTRY, "(func $init) (start $init)"]);
    assert!(!report.exports_ok);
    assert!(has_reason(&report, "start"));
}

#[test]
fn reserved_export_prefix_fails_exports_check() {
    let export = r#"(func (export "stylus_entry"))"#;
    assert!(!report(&[GROW, MEMORY, ENTRY, export]).exports_ok);
}

fn assert_only_floats_fail(report: &Report) {
    assert!(!report.floats_ok);
    assert!(report.imports_ok && report.exports_ok && report.module_ok);
}

#[test]
fn module_with_float_add_fails_floats_check() {
    let func = "(func (param i32) (result i32) \
                local.get 0 f32.convert_i32_s local.get 0 f32.convert_i32_s f32.add \
                i32.trunc_f32_s)";
    assert_only_floats_fail(&report(&[GROW, MEMORY, ENTRY, func]));
}

#[test]
fn module_with_f64_const_fails_floats_check() {
    let func = "(func (result i64) f64.const 1.5 i64.reinterpret_f64)";
    assert_only_floats_fail(&report(&[GROW, MEMORY, ENTRY, func]));
}

#[test]
fn function_with_f32_param_fails_floats_check() {
    let func = "(func (param f32))";
    assert_only_floats_fail(&report(&[GROW, MEMORY, ENTRY, func]));
}

#[test]
fn memory_init_fails_module_check() {
    let func = r#"(data $d "hi") (func i32.const 0 i32.const 0 i32.const 2 memory.init $d)"#;
    let report = report(&[GROW, MEMORY, ENTRY, func]);
    assert!(!report.module_ok && !report.passes());
    assert!(has_reason(&report, "memory.init"));
    assert!(report.imports_ok && report.exports_ok && report.floats_ok);
}

#[test]
fn function_with_too_many_locals_fails_module_check() {
    let func = format!("(func (local{}))", " i32".repeat(349));
    let report = report(&[GROW, MEMORY, ENTRY, &func]);
    assert!(has_reason(
        &report,
        "too many locals in a function: 349 > 348"
    ));
}

#[test]
fn reference_types_fail_module_check() {
    let func = "(table 1 funcref) (func (result i32) table.size 0)";
    let report = report(&[GROW, MEMORY, ENTRY, func]);
    assert!(!report.module_ok);
    assert!(has_reason(&report, "table.size"));
}

#[test]
fn code_bytes_are_the_prefix_plus_brotli_of_the_stripped_module() {
    let wasm = wasm(&[GROW, MEMORY, ENTRY]);
    let stripped = normalize(&wasm).expect("module parses");
    let mut compressed = Vec::new();
    let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
    writer
        .write_all(&stripped)
        .expect("writing to a Vec cannot fail");
    drop(writer);

    let code = deployed_code(&wasm).expect("module parses");
    assert_eq!(code[..4], CODE_PREFIX);
    assert_eq!(check("test", &wasm).code_bytes, 4 + compressed.len());
    let mut decompressed = Vec::new();
    brotli::BrotliDecompress(&mut &code[4..], &mut decompressed).expect("valid brotli");
    assert_eq!(decompressed, stripped);
}

#[test]
fn stripping_custom_sections_leaves_code_bytes_unchanged() {
    let noise: String = (0..5_000u32)
        .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
        .map(|byte| char::from(b'a' + byte % 26))
        .collect();
    let custom = format!(r#"(@custom "junk" "{noise}")"#);
    let plain = check("plain", &wasm(&[GROW, MEMORY, ENTRY]));
    let with_custom_wasm = wasm(&[GROW, MEMORY, ENTRY, &custom]);
    let with_custom = check("custom", &with_custom_wasm);
    assert!(with_custom.raw_bytes > plain.raw_bytes + 20_000);
    assert_eq!(with_custom.code_bytes, plain.code_bytes);

    let stripped = normalize(&with_custom_wasm).expect("module parses");
    let custom_sections = Parser::new(0)
        .parse_all(&stripped)
        .filter(|p| matches!(p, Ok(Payload::CustomSection(_))))
        .count();
    assert_eq!(custom_sections, 0);
}

#[test]
fn module_over_128_kib_uncompressed_fails_module_check() {
    let data = format!(r#"(data (i32.const 0) "{}")"#, "\\00".repeat(130 * 1024));
    let report = report(&[GROW, MEMORY, ENTRY, &data]);
    assert!(!report.module_ok);
    assert!(has_reason(&report, "uncompressed wasm bytes"));
}

// ---- snip-panics ----

/// A legacy-mangled `core::panicking::panic_fmt`, a v0-mangled one, and their neighbours.
const PANIC_FMT_LEGACY: &str = "_ZN4core9panicking9panic_fmt17h0123456789abcdefE";
const PANIC_FMT_V0: &str = "_RNvNtCsgXGp5Oqx2Ny_4core9panicking9panic_fmt";
const PAD: &str = "_ZN4core3fmt9Formatter3pad17h0123456789abcdefE";

#[test]
fn panic_paths_are_recognised_in_both_manglings_and_nothing_else() {
    use super::snip::is_panic_path;
    assert!(is_panic_path(PANIC_FMT_LEGACY));
    assert!(is_panic_path(PANIC_FMT_V0));
    assert!(is_panic_path(
        "_ZN4core6result13unwrap_failed17h0123456789abcdefE"
    ));
    assert!(is_panic_path("rust_begin_unwind"));
    // Not a closure inside one: it need not diverge, and once its caller traps it is dead code.
    assert!(!is_panic_path(
        "_ZN3std9panicking13panic_handler28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE"
    ));
    // Formatting itself, a function merely named alike, and contract code stay.
    assert!(!is_panic_path(PAD));
    assert!(!is_panic_path(
        "_ZN4core9panicking10panic_info17h0123456789abcdefE"
    ));
    assert!(!is_panic_path("_ZN3lrt3Lrt7deposit17h0123456789abcdefE"));
    assert!(!is_panic_path("user_entrypoint"));
}

#[test]
fn snip_panics_replaces_only_the_panic_bodies() {
    let module = wasm(&[
        GROW,
        MEMORY,
        &format!("(func ${PANIC_FMT_LEGACY} (param i32) i32.const 1 drop unreachable)"),
        &format!("(func ${PAD} (result i32) i32.const 7)"),
        &format!("(func (export \"user_entrypoint\") (param i32) (result i32) call ${PAD})"),
    ]);
    let (snipped, names) = super::snip::snip_panics(&module).expect("module parses");
    assert_eq!(names, vec![PANIC_FMT_LEGACY.to_owned()]);
    wasmparser::Validator::new()
        .validate_all(&snipped)
        .expect("still valid");
    let bodies: Vec<Vec<String>> = Parser::new(0)
        .parse_all(&snipped)
        .filter_map(|payload| match payload.expect("parses") {
            Payload::CodeSectionEntry(body) => Some(
                body.get_operators_reader()
                    .expect("operators")
                    .into_iter()
                    .map(|op| format!("{:?}", op.expect("operator")))
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(bodies[0], ["Unreachable", "End"]);
    assert_eq!(bodies[1], ["I32Const { value: 7 }", "End"]);
    assert_eq!(bodies[2], ["Call { function_index: 2 }", "End"]);
    // Without names there is nothing to find.
    let stripped = normalize(&module).expect("module parses");
    assert!(super::snip::snip_panics(&stripped)
        .expect("module parses")
        .1
        .is_empty());
}
