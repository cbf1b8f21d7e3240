//! `wasm-check`: checks built Stylus contracts the way activation would, writes a JSON report and
//! prints a size table.
//!
//! ```text
//! wasm-check [--report FILE] [--out DIR] [--limit BYTES] [--goal BYTES]
//!            [--data-budget BYTES] [--fixture NAME]... NAME=PATH.wasm...
//! wasm-check snip-panics IN.wasm OUT.wasm
//! wasm-check prune-data LINKED.wasm OPTIMIZED.wasm OUT.wasm
//! ```
//!
//! With `--out`, writes each module as it is deployed (re-encoded, no custom sections) to
//! `DIR/NAME.wasm`: the artifact the node, the deploy tool and the tests use.
//!
//! Exits 1 when a check fails, deployed code is over the limit or a contract's data segments
//! are over the data budget; over the goal only warns. A `--fixture` (a test program, not a
//! contract) is held to activation's checks and the limit only.
//!
//! `snip-panics` writes `IN` with the panic machinery's bodies replaced by `unreachable`
//! ([`wasm_check::snip`]) and prints how many functions it replaced; `IN` must keep its `name`
//! section.
//!
//! `prune-data` writes `OPTIMIZED` with the data objects of `LINKED` (the same program as
//! linked, with its `--emit-relocs` symbol table) that no code reaches any more zeroed
//! ([`wasm_check::prune`]) and prints how many objects and bytes it zeroed.

use std::{fs, path::PathBuf, process::ExitCode};

use wasm_check::{check, normalize, Report};

const USAGE: &str = "usage: wasm-check [--report FILE] [--out DIR] [--limit BYTES] \
     [--goal BYTES] [--data-budget BYTES] [--fixture NAME]... NAME=PATH.wasm...";

struct Args {
    report: Option<PathBuf>,
    out: Option<PathBuf>,
    limit: usize,
    goal: usize,
    data_budget: Option<usize>,
    fixtures: Vec<String>,
    artifacts: Vec<(String, PathBuf)>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        report: None,
        out: None,
        limit: 24_576,
        goal: 16_384,
        data_budget: None,
        fixtures: Vec::new(),
        artifacts: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        let bytes = |v: String| v.parse().map_err(|e| format!("{arg} {v}: {e}"));
        match arg.as_str() {
            "--report" => parsed.report = Some(value()?.into()),
            "--out" => parsed.out = Some(value()?.into()),
            "--limit" => parsed.limit = bytes(value()?)?,
            "--goal" => parsed.goal = bytes(value()?)?,
            "--data-budget" => parsed.data_budget = Some(bytes(value()?)?),
            "--fixture" => parsed.fixtures.push(value()?),
            _ => {
                let (name, path) = arg.split_once('=').ok_or(USAGE)?;
                parsed.artifacts.push((name.to_owned(), path.into()));
            }
        }
    }
    if parsed.artifacts.is_empty() {
        return Err(USAGE.into());
    }
    Ok(parsed)
}

/// `snip-panics IN OUT`.
fn snip_panics(mut args: impl Iterator<Item = String>) -> Result<bool, String> {
    let (Some(input), Some(output), None) = (args.next(), args.next(), args.next()) else {
        return Err("usage: wasm-check snip-panics IN.wasm OUT.wasm".into());
    };
    let wasm = fs::read(&input).map_err(|e| format!("{input}: {e}"))?;
    let (snipped, names) = wasm_check::snip::snip_panics(&wasm)?;
    if names.is_empty() {
        return Err(format!(
            "{input}: no panic function found by name (built with strip = false?)"
        ));
    }
    fs::write(&output, snipped).map_err(|e| format!("{output}: {e}"))?;
    println!("{input}: {} panic functions now trap at once", names.len());
    Ok(true)
}

/// `prune-data LINKED OPTIMIZED OUT`.
fn prune_data(mut args: impl Iterator<Item = String>) -> Result<bool, String> {
    let (Some(linked), Some(optimized), Some(output), None) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        return Err("usage: wasm-check prune-data LINKED.wasm OPTIMIZED.wasm OUT.wasm".into());
    };
    let read = |path: &str| fs::read(path).map_err(|e| format!("{path}: {e}"));
    let pruned = wasm_check::prune::prune_data(&read(&linked)?, &read(&optimized)?)
        .map_err(|e| format!("{linked}: {e}"))?;
    fs::write(&output, &pruned.wasm).map_err(|e| format!("{output}: {e}"))?;
    println!(
        "{optimized}: {} of {} data objects unreached, {} bytes zeroed",
        pruned.zeroed, pruned.objects, pruned.bytes
    );
    Ok(true)
}

fn run() -> Result<bool, String> {
    let mut args = std::env::args().skip(1).peekable();
    match args.peek().map(String::as_str) {
        Some("snip-panics") => {
            args.next();
            return snip_panics(args);
        }
        Some("prune-data") => {
            args.next();
            return prune_data(args);
        }
        _ => {}
    }
    let args = parse_args(args)?;
    let reports = args
        .artifacts
        .iter()
        .map(|(name, path)| {
            let wasm = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(dir) = &args.out {
                let deployed = dir.join(format!("{name}.wasm"));
                fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                fs::write(
                    &deployed,
                    normalize(&wasm).map_err(|e| format!("{name}: {e}"))?,
                )
                .map_err(|e| format!("{}: {e}", deployed.display()))?;
            }
            Ok(check(name, &wasm))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?;
        fs::write(path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    print_table(&reports, args.goal, args.limit);
    let over_budget: Vec<&Report> = reports
        .iter()
        .filter(|r| !args.fixtures.contains(&r.contract))
        .filter(|r| args.data_budget.is_some_and(|budget| r.data_bytes > budget))
        .collect();
    for r in &over_budget {
        eprintln!(
            "{}: {} B of data segments, over the {} B budget (a 32-byte constant left in data? \
             lsr_common::word!)",
            r.contract,
            r.data_bytes,
            args.data_budget.unwrap_or_default()
        );
    }
    Ok(over_budget.is_empty()
        && reports
            .iter()
            .all(|r| r.passes() && r.code_bytes <= args.limit))
}

fn print_table(reports: &[Report], goal: usize, limit: usize) {
    let mark = |ok| if ok { "✓" } else { "✗" };
    let width = reports
        .iter()
        .map(|r| r.contract.len())
        .max()
        .unwrap_or(0)
        .max(8);
    println!(
        "{:width$}  {:>9}  {:>10}  {:>9}  {:>10}  imports  exports  floats  module  status",
        "contract", "raw bytes", "code bytes", "% of goal", "data bytes"
    );
    for r in reports {
        let status = match r.code_bytes {
            n if n > limit => "OVER LIMIT",
            n if n > goal => "over goal",
            _ => "ok",
        };
        let permille = r.code_bytes * 1000 / goal.max(1);
        println!(
            "{:width$}  {:>9}  {:>10}  {:>8}%  {:>10}  {:^7}  {:^7}  {:^6}  {:^6}  {status}",
            r.contract,
            r.raw_bytes,
            r.code_bytes,
            format!("{}.{}", permille / 10, permille % 10),
            r.data_bytes,
            mark(r.imports_ok),
            mark(r.exports_ok),
            mark(r.floats_ok),
            mark(r.module_ok),
        );
    }
    println!("goal {goal} B (warning only), limit {limit} B");
    for r in reports {
        for reason in &r.reasons {
            eprintln!("{}: {reason}", r.contract);
        }
        if r.code_bytes > goal && r.code_bytes <= limit {
            eprintln!("warning: {} is over the {goal} B size goal", r.contract);
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("wasm-check: {e}");
            ExitCode::from(2)
        }
    }
}
