#!/usr/bin/env bash
# Builds the Stylus programs for wasm and checks them with tools/wasm-check as activation would.
# A program is a crate under contracts/ or tests/fixtures/ with a Stylus.toml. Writes the report
# to target/wasm-report.json and each module as deployed (re-encoded, no custom sections) to
# target/wasm/NAME.wasm.
# Each is built on its own (`-p`), so cargo never unifies features across contracts.
# Each contract then has its panic machinery snipped and goes through wasm-opt -Oz (below) before
# the checks.
# Usage: scripts/build-wasm.sh [PACKAGE...]   (default: every contract)
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

# The package name in the Cargo.toml beside Stylus.toml $1.
package_name() {
  sed -n '/^\[package\]/,/^\[/s/^name *= *"\(.*\)"/\1/p' "${1%/*}/Cargo.toml"
}

contracts=()
fixtures=()
for toml in contracts/*/Stylus.toml; do contracts+=("$(package_name "$toml")"); done
for toml in tests/fixtures/*/Stylus.toml; do fixtures+=("$(package_name "$toml")"); done
contracts+=("${fixtures[@]}")
if (($#)); then packages=("$@"); else packages=("${contracts[@]}"); fi

# Panic locations embed source paths; strip the machine-specific prefixes (registry, toolchain)
# so the bytes, and the deployed size, are the same on every machine. Appended to the rustflags
# of .cargo/config.toml.
remaps=()
for src in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  remaps+=("'--remap-path-prefix=${src%/}='")
done
remaps+=("'--remap-path-prefix=$(rustc --print sysroot)/lib/rustlib/src/rust='")
remap_config="target.wasm32-unknown-unknown.rustflags=[$(IFS=,; echo "${remaps[*]}")]"

artifacts=()
for pkg in "${packages[@]}"; do
  [[ " ${contracts[*]} " == *" $pkg "* ]] || { echo "not a contract package: $pkg" >&2; exit 1; }
  # A contract keeps its function names (strip = false) for snip-panics below, which drops them
  # with every other custom section.
  # The linker keeps its symbol table too (`--emit-relocs`): prune-data below needs the data
  # objects' addresses and sizes. Custom sections never reach the deployed module.
  strip=()
  if [[ "${LSR_WASM_OPT:-1}" != 0 && -f contracts/$pkg/Stylus.toml ]]; then
    strip=(--config profile.release.strip=false
      --config "target.wasm32-unknown-unknown.rustflags=['-Clink-arg=--emit-relocs']")
  fi
  cargo build -p "$pkg" --lib --release --target wasm32-unknown-unknown --locked \
    --config "$remap_config" "${strip[@]}"
  artifacts+=("$pkg=target/wasm32-unknown-unknown/release/${pkg//-/_}.wasm")
done

# On every contract (not the test fixtures): the panic functions' bodies become `unreachable`
# (`wasm-check snip-panics`: a panic traps with nothing to show for its message on wasm32, so
# only the formatting code goes, about 2.8 KB each), then binaryen's wasm-opt -Oz, which drops
# the code nothing reaches any more: smaller code and a lower entry charge on every call
# (measured in docs/gas.md). Then `wasm-check prune-data` zeroes the constant data no code
# reaches any more (panic messages, file names, locations: every data byte costs 0.75 gas on
# every call) and a second wasm-opt pass drops the zeros. LSR_WASM_OPT=0 skips all of it.
if [[ "${LSR_WASM_OPT:-1}" != 0 ]]; then
  scripts/npm-ci.sh tools/wasm-opt
  cargo build -q -p wasm-check --release --locked
  mkdir -p target/wasm-opt
  wasm_opt=(tools/wasm-opt/node_modules/.bin/wasm-opt --enable-sign-ext --enable-bulk-memory
    --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue -Oz)
  for i in "${!artifacts[@]}"; do
    name=${artifacts[$i]%%=*} path=${artifacts[$i]#*=}
    [[ -f contracts/$name/Stylus.toml ]] || continue
    target/release/wasm-check snip-panics "$path" "target/wasm-opt/$name.snipped.wasm"
    "${wasm_opt[@]}" "target/wasm-opt/$name.snipped.wasm" -o "target/wasm-opt/$name.opt.wasm"
    target/release/wasm-check prune-data "$path" "target/wasm-opt/$name.opt.wasm" \
      "target/wasm-opt/$name.pruned.wasm"
    "${wasm_opt[@]}" "target/wasm-opt/$name.pruned.wasm" -o "target/wasm-opt/$name.wasm"
    artifacts[$i]="$name=target/wasm-opt/$name.wasm"
  done
fi

# The data budget: after the pruning, a contract's data segments are a few small constants
# (11-53 bytes each); every byte costs 0.75 gas on every call, so more than 64 means a constant
# that should be code (a 32-byte word without `lsr_common::word!`, a lookup table). The test
# fixtures are not contracts and are not held to it; nor is anything without the pruning
# (LSR_WASM_OPT=0), which keeps the panic messages.
budget=()
if [[ "${LSR_WASM_OPT:-1}" != 0 ]]; then
  budget=(--data-budget 64)
  for fixture in "${fixtures[@]}"; do budget+=(--fixture "$fixture"); done
fi
cargo run -q -p wasm-check --release --locked -- \
  --report target/wasm-report.json --out target/wasm --limit 24576 --goal 16384 \
  "${budget[@]}" "${artifacts[@]}"
