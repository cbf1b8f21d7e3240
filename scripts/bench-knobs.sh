#!/usr/bin/env bash
# The size and gas knobs of docs/gas.md: binaryen's wasm-opt (npm binaryen@132) at -Oz / -Os /
# -O3 on every contract's release wasm, and opt-level variants of one contract's crate (default
# lrt, built in target/knobs/cargo so the main build is left alone). Each variant goes through
# tools/wasm-check (activation's rules, deployed size), its entry gas is computed
# (lsr-bench's entry-gas), and for the wasm-opt variants the whole benchmark runs again on the
# optimised suite. Output: target/knobs/*.tsv, target/knobs/*/gas-report.json, and tables on
# stdout. Needs what scripts/bench.sh builds (target/wasm, target/solidity-bench). The knobs
# apply to target/wasm as built: for the figures of docs/gas.md (before wasm-opt was adopted),
# build it with LSR_WASM_OPT=0 scripts/build-wasm.sh first.
# Usage: scripts/bench-knobs.sh [OPT_LEVEL_PACKAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
pkg_levels=${1:-lrt}
contracts=(staking-vault staking-vault-extension lst-token allocation-manager restaking-manager avs-registry lrt-allocator lrt lrt-token lrt-extension)
flags=(--enable-sign-ext --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue)

scripts/npm-ci.sh tools/wasm-opt
wasm_opt=tools/wasm-opt/node_modules/.bin/wasm-opt
cargo build -q -p lsr-bench --bins --locked
cargo build -q -p wasm-check --release --locked
entry_gas=target/debug/entry-gas
check=target/release/wasm-check
mkdir -p target/knobs

args=()
for c in "${contracts[@]}"; do args+=("$c=target/wasm/$c.wasm"); done
"$entry_gas" "${args[@]}" > target/knobs/release.tsv

for level in Oz Os O3; do
  dir=target/knobs/$level
  mkdir -p "$dir/raw"
  args=()
  for c in "${contracts[@]}"; do
    "$wasm_opt" "${flags[@]}" "-$level" "target/wasm/$c.wasm" -o "$dir/raw/$c.wasm"
    args+=("$c=$dir/raw/$c.wasm")
  done
  "$check" --report "$dir/wasm-report.json" --out "$dir/wasm" --limit 24576 --goal 16384 "${args[@]}" > "$dir/check.txt"
  args=()
  for c in "${contracts[@]}"; do args+=("$c=$dir/wasm/$c.wasm"); done
  "$entry_gas" "${args[@]}" > "target/knobs/wasm-opt-$level.tsv"
  cargo run -q -p lsr-bench --bin bench --locked -- --wasm-dir "$dir/wasm" \
    --wasm-report "$dir/wasm-report.json" --report "$dir/gas-report.json" --docs "$dir/none.md" \
    > "$dir/tables.md"
done

# opt-level of one contract crate (the workspace's dependencies stay at "s").
for pkg in $pkg_levels; do
  for opt in '"s"' '"z"' 3; do
    dir=target/knobs/$pkg-opt-${opt//\"/}
    mkdir -p "$dir"
    cargo build -q -p "$pkg" --lib --release --target wasm32-unknown-unknown --locked \
      --target-dir target/knobs/cargo --config "profile.release.package.$pkg.opt-level=$opt"
    "$check" --out "$dir" --limit 24576 --goal 16384 \
      "$pkg=target/knobs/cargo/wasm32-unknown-unknown/release/${pkg//-/_}.wasm" > "$dir/check.txt" || true
    "$entry_gas" "$pkg=$dir/$pkg.wasm" > "$dir.tsv"
  done
done

for f in target/knobs/*.tsv; do echo "== $f"; column -t -s $'\t' "$f"; done
for level in Oz Os O3; do echo "== wasm-opt -$level: gas"; head -12 "target/knobs/$level/tables.md"; done
