//! The benchmark from start to end, and what it writes: `target/gas-report.json` (one entry per
//! operation), the generated part of `docs/gas.md` (between its `bench:begin` / `bench:end`
//! markers) and the same tables on stdout.

use std::{fmt::Write, path::PathBuf};

use alloy::primitives::{Address, U256};
use lsr_deploy::{abi::ArbWasm, abi::ARB_WASM, error::format_eth};
use serde::Serialize;

use crate::{
    baseline,
    floor::Floor,
    profile,
    run::{self, LocalNode, Measured, OPERATIONS},
    BenchError,
};

/// Where the benchmark reads and writes.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Release wasm (`scripts/build-wasm.sh`).
    pub wasm_dir: PathBuf,
    /// The baseline's artifacts (`tools/solidity/compile.mjs`).
    pub solidity_dir: PathBuf,
    /// The wasm build's report (code sizes).
    pub wasm_report: PathBuf,
    /// The JSON report written.
    pub report: PathBuf,
    /// The document whose generated part is rewritten (skipped when missing).
    pub docs: PathBuf,
    /// The deploy tool's addresses directory for this run.
    pub scratch: PathBuf,
    /// The golden ABIs (`abi/`), for the functions' names in the profile.
    pub abi_dir: PathBuf,
    /// The per-call profile written (Markdown).
    pub profile: PathBuf,
}

/// One operation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The operation.
    pub operation: &'static str,
    /// Stylus, warm state, programs not cached (round 1).
    pub stylus_gas_uncached: u64,
    /// Stylus, warm state, programs cached in `ArbOS` (round 2).
    pub stylus_gas_cached: u64,
    /// Solidity, warm state (round 2).
    pub solidity_gas: u64,
    /// The floor of the Stylus round-2 transaction.
    pub floor_gas: u64,
    /// Stylus, first run on a fresh deployment, not cached (round 0).
    pub stylus_gas_cold: u64,
    /// Solidity, first run (round 0).
    pub solidity_gas_cold: u64,
    /// The floor of the Solidity round-2 transaction (it may write less).
    pub solidity_floor_gas: u64,
    /// The same-design Solidity baseline, warm state (round 2).
    pub modular_gas: u64,
    /// The same-design Solidity baseline, first run (round 0).
    pub modular_gas_cold: u64,
    /// The floor of the same-design baseline's round-2 transaction.
    pub modular_floor_gas: u64,
    /// The Stylus floor in parts.
    pub floor: Floor,
}

/// A contract's size and activation.
#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    /// Its name.
    pub name: String,
    /// Deployed code bytes (Stylus: `EF F0 00 00` + brotli; EVM: runtime code).
    pub code_bytes: usize,
    /// Stylus activation data fee, wei (zero for EVM code and for code already active).
    pub data_fee_wei: U256,
    /// Entry gas of a call when not cached (Stylus).
    pub init_gas: Option<u64>,
    /// Entry gas of a call when cached (Stylus).
    pub cached_gas: Option<u64>,
}

#[derive(serde::Deserialize)]
struct WasmEntry {
    contract: String,
    code_bytes: usize,
}

fn pick(rounds: &[Vec<Measured>], round: usize, op: usize) -> &Measured {
    &rounds[round][op]
}

/// Runs the benchmark (see the crate documentation); `log` gets a progress line per step.
/// Returns the tables it wrote.
///
/// # Errors
/// The first failing step.
pub async fn run(paths: &Paths, log: &dyn Fn(&str)) -> Result<String, BenchError> {
    let artifacts = baseline::artifacts(&paths.solidity_dir)?;
    let node = LocalNode::start();
    log("deploying the Stylus suite (deploy tool, StylusDeployer)");
    let (stylus, contracts, programs, network) =
        run::deploy_stylus(&node, &paths.wasm_dir, &paths.scratch).await?;
    let interval = network.vault.min_report_interval;
    log("deploying the Solidity baselines (one-contract, same design)");
    let (solidity, modular, same) = run::deploy_solidity(&node, &artifacts, &network).await?;
    log("operators register and the keeper targets them (Stylus: the LRT's positions)");
    stylus_operators(&stylus, &contracts).await?;
    let sides = [
        (&stylus, "Stylus"),
        (&solidity, "Solidity"),
        (&modular, "Solidity, same design"),
    ];
    // Per side (in that order), its three rounds.
    let mut rounds: [Vec<Vec<Measured>>; 3] = Default::default();
    for round in 0..3 {
        if round == 1 {
            run::delegate(&stylus, contracts.allocator).await?;
            run::delegate(&modular, same.allocator).await?;
        }
        if round == 2 {
            log("caching every Stylus program (ArbWasmCache.cacheProgram)");
            let addresses: Vec<Address> = programs.iter().map(|p| p.address).collect();
            run::cache_programs(&stylus.admin, &addresses).await?;
        }
        for ((side, label), measured) in sides.iter().zip(&mut rounds) {
            log(&format!("round {round}: {label}"));
            measured.push(run::round(&node, side, interval).await?);
        }
    }
    let [s, b, m] = &rounds;
    let rows: Vec<Row> = OPERATIONS
        .iter()
        .enumerate()
        .map(|(i, &operation)| Row {
            operation,
            stylus_gas_uncached: pick(s, 1, i).gas,
            stylus_gas_cached: pick(s, 2, i).gas,
            solidity_gas: pick(b, 2, i).gas,
            floor_gas: pick(s, 2, i).floor.total,
            stylus_gas_cold: pick(s, 0, i).gas,
            solidity_gas_cold: pick(b, 0, i).gas,
            solidity_floor_gas: pick(b, 2, i).floor.total,
            modular_gas: pick(m, 2, i).gas,
            modular_gas_cold: pick(m, 0, i).gas,
            modular_floor_gas: pick(m, 2, i).floor.total,
            floor: pick(s, 2, i).floor,
        })
        .collect();
    let mut sized = stylus_contracts(paths, &stylus.admin, &programs).await?;
    for artifact in artifacts.all() {
        sized.push(Contract {
            name: format!("{} (Solidity)", artifact.name),
            code_bytes: artifact.code_bytes(),
            data_fee_wei: U256::ZERO,
            init_gas: None,
            cached_gas: None,
        });
    }
    std::fs::write(&paths.report, serde_json::to_string_pretty(&rows)? + "\n")?;
    let cached: Vec<(&str, &[devnode::ProgramFrame])> = OPERATIONS
        .iter()
        .enumerate()
        .map(|(i, &operation)| (operation, pick(s, 2, i).frames.as_slice()))
        .collect();
    let program_names: Vec<(Address, String)> = programs
        .iter()
        .map(|p| (p.address, p.name.clone()))
        .collect();
    let names = profile::Names::load(&paths.abi_dir, &program_names)?;
    std::fs::write(&paths.profile, profile::detail(&names, &cached))?;
    let tables = tables(&rows, &sized) + &profile_section(&cached);
    if let Ok(doc) = std::fs::read_to_string(&paths.docs) {
        std::fs::write(&paths.docs, splice(&doc, &tables)?)?;
    }
    Ok(tables)
}

async fn stylus_operators(
    stylus: &run::Side,
    contracts: &lsr_deploy::Contracts,
) -> Result<(), BenchError> {
    let suite = lsr_deploy::flows::Suite {
        admin: stylus.admin.clone(),
        contracts: *contracts,
        network: lsr_deploy::Network::load(&lsr_deploy::Network::default_dir(), "local")?,
    };
    suite.register_operators().await?;
    Ok(())
}

async fn stylus_contracts(
    paths: &Paths,
    admin: &lsr_deploy::Chain,
    programs: &[run::Program],
) -> Result<Vec<Contract>, BenchError> {
    let text = std::fs::read_to_string(&paths.wasm_report)
        .map_err(|e| format!("{}: {e}", paths.wasm_report.display()))?;
    let entries: Vec<WasmEntry> = serde_json::from_str(&text)?;
    let mut out = Vec::new();
    for program in programs {
        let wasm = program
            .name
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end_matches('-');
        let code_bytes = entries
            .iter()
            .find(|e| e.contract == wasm)
            .map_or(0, |e| e.code_bytes);
        let init = admin
            .view(
                ARB_WASM,
                &ArbWasm::programInitGasCall {
                    program: program.address,
                },
            )
            .await?;
        out.push(Contract {
            name: program.name.clone(),
            code_bytes,
            data_fee_wei: program.data_fee,
            init_gas: Some(init.gas),
            cached_gas: Some(init.gasWhenCached),
        });
    }
    Ok(out)
}

/// The generated summary of where the cached gas goes.
fn profile_section(cached: &[(&str, &[devnode::ProgramFrame])]) -> String {
    format!(
        "\nWhere the Stylus cached gas goes: every program call of the transaction summed (per call in `target/gas-profile.md`).\n\n{}",
        profile::summary(cached)
    )
}

/// Thousands separators.
pub(crate) fn n(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `a / b` to two decimals.
fn ratio(a: u64, b: u64) -> String {
    if b == 0 {
        return "–".to_owned();
    }
    let hundredths = (u128::from(a) * 100 + u128::from(b) / 2) / u128::from(b);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// `a − b` with its sign.
fn diff(a: u64, b: u64) -> String {
    if a >= b {
        format!("+{}", n(a - b))
    } else {
        format!("−{}", n(b - a))
    }
}

/// Appends a Markdown table: the `header` cells (separated by ` | `), the alignment row
/// `align`, and one row per item of `rows`.
fn table(t: &mut String, header: &str, align: &str, rows: impl IntoIterator<Item = Vec<String>>) {
    let _ = writeln!(t, "| {header} |");
    let _ = writeln!(t, "{align}");
    for row in rows {
        let _ = writeln!(t, "| {} |", row.join(" | "));
    }
}

/// The generated tables (Markdown).
#[must_use]
pub fn tables(rows: &[Row], contracts: &[Contract]) -> String {
    let mut t = String::new();
    table(
        &mut t,
        "operation | Stylus uncached | Stylus cached | Solidity | cached / Solidity | floor | Stylus cached − floor | Solidity − its floor | Stylus cold | Solidity cold",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        rows.iter().map(|r| {
            vec![
                r.operation.to_owned(),
                n(r.stylus_gas_uncached),
                n(r.stylus_gas_cached),
                n(r.solidity_gas),
                ratio(r.stylus_gas_cached, r.solidity_gas),
                n(r.floor_gas),
                diff(r.stylus_gas_cached, r.floor_gas),
                diff(r.solidity_gas, r.solidity_floor_gas),
                n(r.stylus_gas_cold),
                n(r.solidity_gas_cold),
            ]
        }),
    );
    t.push_str("\nThe same operations against our design written in Solidity (`BaselineModularLrt`: allocator, restaking manager and share token as separate contracts, the price read live through them), warm state; Stylus cached.\n\n");
    table(
        &mut t,
        "operation | Stylus cached | Solidity, same design | cached / same design | same design − its floor | same design cold",
        "|---|--:|--:|--:|--:|--:|",
        rows.iter().map(|r| {
            vec![
                r.operation.to_owned(),
                n(r.stylus_gas_cached),
                n(r.modular_gas),
                ratio(r.stylus_gas_cached, r.modular_gas),
                diff(r.modular_gas, r.modular_floor_gas),
                n(r.modular_gas_cold),
            ]
        }),
    );
    t.push_str(
        "\nThe Stylus floor in parts (round 2): calldata, slots set from zero / changed, logs.\n\n",
    );
    table(
        &mut t,
        "operation | calldata | slots set | slots changed | storage gas | log gas | refund | floor",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
        rows.iter().map(|r| {
            let f = &r.floor;
            vec![
                r.operation.to_owned(),
                n(f.calldata),
                f.slots_set.to_string(),
                f.slots_reset.to_string(),
                n(f.storage),
                n(f.logs),
                n(f.refund),
                n(f.total),
            ]
        }),
    );
    t.push('\n');
    table(
        &mut t,
        "contract | code bytes | ≤ 16 KiB | activation data fee | entry gas uncached | entry gas cached",
        "|---|--:|:-:|--:|--:|--:|",
        contracts.iter().map(|c| {
            vec![
                c.name.clone(),
                n(u64::try_from(c.code_bytes).unwrap_or(u64::MAX)),
                (if c.code_bytes <= 16_384 { "yes" } else { "no" }).to_owned(),
                if c.init_gas.is_some() {
                    format_eth(c.data_fee_wei)
                } else {
                    "–".to_owned()
                },
                c.init_gas.map_or("–".to_owned(), n),
                c.cached_gas.map_or("–".to_owned(), n),
            ]
        }),
    );
    t
}

/// `doc` with the text between its `<!-- bench:begin -->` and `<!-- bench:end -->` markers
/// replaced by `tables`.
///
/// # Errors
/// When the markers are missing.
pub fn splice(doc: &str, tables: &str) -> Result<String, BenchError> {
    const BEGIN: &str = "<!-- bench:begin -->";
    const END: &str = "<!-- bench:end -->";
    let (Some(begin), Some(end)) = (doc.find(BEGIN), doc.find(END)) else {
        return Err("docs/gas.md has no bench:begin / bench:end markers".into());
    };
    Ok(format!(
        "{}{BEGIN}\n{tables}{END}{}",
        &doc[..begin],
        &doc[end + END.len()..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_ratios_rounded() {
        assert_eq!(n(1_234_567), "1,234,567");
        assert_eq!(n(999), "999");
        assert_eq!(ratio(2, 3), "0.67");
        assert_eq!(diff(5, 7), "−2");
    }

    #[test]
    fn splice_replaces_only_the_generated_part() {
        let doc = "a\n<!-- bench:begin -->\nold\n<!-- bench:end -->\nb\n";
        assert_eq!(
            splice(doc, "new\n").unwrap(),
            "a\n<!-- bench:begin -->\nnew\n<!-- bench:end -->\nb\n"
        );
    }
}
