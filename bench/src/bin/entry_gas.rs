//! `entry-gas NAME=FILE.wasm...`: for each module, what activation records and every call
//! pays — deployed code bytes, functions, wasm and data-segment bytes, uncached and cached entry gas — as the local node
//! computes them (Nitro's formulas), or why activation would refuse it. One tab-separated line
//! per module, for `scripts/bench-knobs.sh`.

use devnode::program;

fn main() -> Result<(), lsr_bench::BenchError> {
    println!("name\tcode_bytes\tfuncs\twasm_bytes\tdata_bytes\tinit_gas\tcached_gas");
    for arg in std::env::args().skip(1) {
        let (name, path) = arg
            .split_once('=')
            .ok_or("usage: entry-gas NAME=FILE.wasm...")?;
        let wasm = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let code = program::stylus_code(&wasm).map_err(|e| format!("{path}: {e}"))?;
        match program::analyze(&code) {
            Ok(analysis) => {
                let s = analysis.stats;
                println!(
                    "{name}\t{}\t{}\t{}\t{}\t{}\t{}",
                    code.len(),
                    s.funcs,
                    s.wasm_len,
                    s.data_bytes,
                    s.init_gas(),
                    s.cached_gas()
                );
            }
            Err(e) => println!("{name}\t{}\trefused: {e}", code.len()),
        }
    }
    Ok(())
}
