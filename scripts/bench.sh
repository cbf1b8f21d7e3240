#!/usr/bin/env bash
# Gas and size benchmark against the Solidity baselines (docs/gas.md): builds what is missing (the
# release wasm, the Solidity toolchain and the baselines bench/solidity/*.sol), runs the smoke
# test of the bench code, then deploys the three suites on a fresh in-process local node, runs every
# operation cold, warm and warm with the programs cached, writes target/gas-report.json and the
# generated tables of docs/gas.md, and prints them.
# Usage: scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
for wasm in staking-vault staking-vault-extension lst-token allocation-manager restaking-manager avs-registry lrt-allocator lrt lrt-token lrt-extension; do
  if [[ ! -f target/wasm/$wasm.wasm || ! -f target/wasm-report.json ]]; then
    scripts/build-wasm.sh
    break
  fi
done
scripts/solidity.sh
node tools/solidity/compile.mjs target/solidity-bench bench/solidity/*.sol
cargo test -q -p lsr-bench --locked -- --include-ignored
cargo run -q -p lsr-bench --bin bench --locked
echo "wrote target/gas-report.json and the tables of docs/gas.md" >&2
