#!/usr/bin/env bash
# Builds the Stylus contracts for wasm and checks the artifacts with tools/wasm-check
# (report: target/wasm-report.json). A contract is a crate under contracts/ with a Stylus.toml.
# Each is built on its own (`-p`), so cargo never unifies features across contracts.
# Usage: scripts/build-wasm.sh [PACKAGE...]   (default: every contract)
set -euo pipefail
cd "$(dirname "$0")/.."

contracts=()
for toml in contracts/*/Stylus.toml; do
  contracts+=("$(sed -n '/^\[package\]/,/^\[/s/^name *= *"\(.*\)"/\1/p' "${toml%/*}/Cargo.toml")")
done
if (($#)); then packages=("$@"); else packages=("${contracts[@]}"); fi

artifacts=()
for pkg in "${packages[@]}"; do
  [[ " ${contracts[*]} " == *" $pkg "* ]] || { echo "not a contract package: $pkg" >&2; exit 1; }
  cargo build -p "$pkg" --lib --release --target wasm32-unknown-unknown --locked
  artifacts+=("$pkg=target/wasm32-unknown-unknown/release/${pkg//-/_}.wasm")
done

cargo run -q -p wasm-check --release --locked -- \
  --report target/wasm-report.json --limit 24576 --goal 16384 "${artifacts[@]}"
