//! Where the gas of each Stylus transaction goes, from the node's record of every program call
//! ([`devnode::ProgramFrame`]): the entry charges, storage, logs, calls and the programs' own
//! execution, per operation (a table in `docs/gas.md`) and per call (`target/gas-profile.md`).

use std::{collections::HashMap, fmt::Write, path::Path};

use alloy::primitives::{keccak256, Address};
use devnode::ProgramFrame;
use serde_json::Value;

use crate::{report::n, BenchError};

/// Names for the calls: each program's deployment key, each selector's function name.
#[derive(Debug, Default)]
pub struct Names {
    contracts: HashMap<Address, String>,
    functions: HashMap<[u8; 4], String>,
}

impl Names {
    /// Contracts from `programs` (address, name); functions from every `*.json` ABI in
    /// `abi_dir` (the golden ABIs).
    ///
    /// # Errors
    /// An unreadable directory or ABI file.
    pub fn load(abi_dir: &Path, programs: &[(Address, String)]) -> Result<Self, BenchError> {
        let mut functions = HashMap::new();
        for entry in std::fs::read_dir(abi_dir)? {
            let path = entry?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let abi: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
            for item in abi.as_array().into_iter().flatten() {
                if item["type"] != "function" {
                    continue;
                }
                let name = item["name"].as_str().unwrap_or_default();
                let signature = format!("{name}({})", canonical(&item["inputs"]));
                let mut selector = [0; 4];
                selector.copy_from_slice(&keccak256(signature.as_bytes())[..4]);
                functions.insert(selector, name.to_owned());
            }
        }
        Ok(Self {
            contracts: programs.iter().cloned().collect(),
            functions,
        })
    }

    fn call(&self, frame: &ProgramFrame) -> String {
        let contract = self
            .contracts
            .get(&frame.address)
            .cloned()
            .unwrap_or_else(|| frame.address.to_string());
        let function = self
            .functions
            .get(&frame.selector)
            .cloned()
            .unwrap_or_else(|| format!("0x{}", alloy::hex::encode(frame.selector)));
        format!("{contract}.{function}")
    }
}

/// The canonical parameter list of an ABI `inputs` (or tuple `components`) array.
fn canonical(params: &Value) -> String {
    params
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let ty = p["type"].as_str().unwrap_or_default();
            match ty.strip_prefix("tuple") {
                Some(suffix) => format!("({}){suffix}", canonical(&p["components"])),
                None => ty.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// One transaction's program calls summed: entry charges, storage, logs, calls, execution.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Program calls.
    pub entries: u64,
    /// Their entry charges.
    pub entry: u64,
    /// Storage loads that reached the EVM, cold ones, and cache hits.
    pub loads: (u64, u64, u64),
    /// Gas of storage loads.
    pub load_gas: u64,
    /// Gas of storage writes.
    pub store_gas: u64,
    /// Gas of logs.
    pub log_gas: u64,
    /// Calls made by programs, and their own gas (access, base, value).
    pub calls: (u64, u64),
    /// The programs' own execution (instructions and hostio ink).
    pub compute: u64,
}

/// The parts of every program call of a transaction, summed.
#[must_use]
pub fn totals(frames: &[ProgramFrame]) -> Totals {
    let mut t = Totals::default();
    for f in frames {
        t.entries += 1;
        t.entry += f.entry;
        t.loads.0 += u64::from(f.loads);
        t.loads.1 += u64::from(f.cold_loads);
        t.loads.2 += u64::from(f.cache_hits);
        t.load_gas += f.load_gas;
        t.store_gas += f.store_gas;
        t.log_gas += f.log_gas;
        t.calls.0 += u64::from(f.calls);
        t.calls.1 += f.call_gas;
        t.compute += f.compute();
    }
    t
}

/// The per-operation summary table (Markdown) of the cached round.
#[must_use]
pub fn summary(operations: &[(&str, &[ProgramFrame])]) -> String {
    let mut t = String::from(
        "| operation | program calls | entry charges | storage loads (cold / warm / cache hits) | load gas | store gas | log gas | calls: count, gas | execution |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for (operation, frames) in operations {
        let s = totals(frames);
        let _ = writeln!(
            t,
            "| {operation} | {} | {} | {} / {} / {} | {} | {} | {} | {}, {} | {} |",
            s.entries,
            n(s.entry),
            s.loads.1,
            s.loads.0 - s.loads.1,
            s.loads.2,
            n(s.load_gas),
            n(s.store_gas),
            n(s.log_gas),
            s.calls.0,
            n(s.calls.1),
            n(s.compute),
        );
    }
    t
}

/// Every program call of each operation, indented by depth (Markdown).
#[must_use]
pub fn detail(names: &Names, operations: &[(&str, &[ProgramFrame])]) -> String {
    let mut t = String::from(
        "# Where the gas goes, per program call (cached round)\n\nGenerated by `scripts/bench.sh`. `gas` is everything the call used, its callees included; the other columns are what the call itself paid.\n",
    );
    for (operation, frames) in operations {
        let _ = write!(
            t,
            "\n## {operation}\n\n| call | gas | entry | loads (cold) | hits | load gas | store gas | log gas | calls | call gas | execution |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
        );
        for f in *frames {
            let _ = writeln!(
                t,
                "| {}{} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
                "· ".repeat(f.depth),
                names.call(f),
                n(f.gas),
                n(f.entry),
                f.loads,
                f.cold_loads,
                f.cache_hits,
                n(f.load_gas),
                n(f.store_gas),
                n(f.log_gas),
                f.calls,
                n(f.call_gas),
                n(f.compute()),
            );
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuple_parameters_are_canonical() {
        let inputs: Value = serde_json::json!([
            {"type": "address"},
            {"type": "tuple[]", "components": [{"type": "uint256"}, {"type": "bytes32"}]},
        ]);
        assert_eq!(canonical(&inputs), "address,(uint256,bytes32)[]");
    }

    #[test]
    fn totals_add_the_frames_and_execution_is_the_rest() {
        let frame = |gas, entry, callee_gas| ProgramFrame {
            gas,
            entry,
            loads: 2,
            cold_loads: 1,
            load_gas: 2_200,
            callee_gas,
            calls: u32::from(callee_gas > 0),
            call_gas: if callee_gas > 0 { 2_700 } else { 0 },
            ..ProgramFrame::default()
        };
        let frames = [frame(20_000, 2_000, 5_000), frame(5_000, 1_900, 0)];
        let t = totals(&frames);
        assert_eq!(t.entries, 2);
        assert_eq!(t.entry, 3_900);
        assert_eq!(t.loads, (4, 2, 0));
        assert_eq!(t.calls, (1, 2_700));
        // 20,000 − 2,000 − 2,200 − 2,700 − 5,000 and 5,000 − 1,900 − 2,200.
        assert_eq!(t.compute, 8_100 + 900);
    }
}
