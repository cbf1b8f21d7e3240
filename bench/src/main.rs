//! `bench`: deploys the Stylus suite and the Solidity baselines on a fresh in-process node, runs
//! the user operations cold, warm and warm with the programs cached, and writes
//! `target/gas-report.json`, the generated tables of `docs/gas.md`, and a table on stdout.
//!
//! Usage: `bench [--wasm-dir DIR] [--wasm-report FILE] [--solidity-dir DIR] [--report FILE]
//! [--docs FILE]` (defaults: `target/wasm`, `target/wasm-report.json`, `target/solidity-bench`,
//! `target/gas-report.json`, `docs/gas.md`, relative to the repository; a `--docs` file that
//! does not exist is not written).

use std::path::PathBuf;

use lsr_bench::{report, BenchError};

fn main() -> Result<(), BenchError> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = report::Paths {
        wasm_dir: root.join("target/wasm"),
        solidity_dir: root.join("target/solidity-bench"),
        wasm_report: root.join("target/wasm-report.json"),
        report: root.join("target/gas-report.json"),
        docs: root.join("docs/gas.md"),
        scratch: root.join("target/bench-addresses"),
        abi_dir: root.join("abi"),
        profile: root.join("target/gas-profile.md"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .map(PathBuf::from)
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--wasm-dir" => paths.wasm_dir = value,
            "--solidity-dir" => paths.solidity_dir = value,
            "--wasm-report" => paths.wasm_report = value,
            "--report" => paths.report = value,
            "--docs" => paths.docs = value,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tables = runtime.block_on(report::run(&paths, &|line| eprintln!("{line}")))?;
    println!("{tables}");
    Ok(())
}
