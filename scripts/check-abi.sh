#!/usr/bin/env bash
# Regenerates each contract's golden ABI from its `export-abi` output — abi/NAME.sol (one
# Solidity interface with every function, event and error) and abi/NAME.json (its JSON ABI, as
# solc compiles it; tools/solidity/abi.mjs) — and compares it with the committed files, so an ABI
# change is always a reviewed diff. `--update` rewrites the committed files.
# Usage: scripts/check-abi.sh [--update]
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

update=false
[[ "${1:-}" == "--update" ]] && update=true
scripts/solidity.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p abi
status=0
pkgs=()
for toml in contracts/*/Stylus.toml; do
  # A program without an ABI of its own (an extension runs part of its contract's ABI).
  grep -q '^export-abi *=' "${toml%/*}/Cargo.toml" || continue
  pkgs+=("$(sed -n '/^\[package\]/,/^\[/s/^name *= *"\(.*\)"/\1/p' "${toml%/*}/Cargo.toml")")
done
# Every ABI printer in one cargo run, so cargo compiles them side by side; each `cargo run`
# below then only runs its printer.
build=()
for pkg in "${pkgs[@]}"; do build+=(-p "$pkg" -F "$pkg/export-abi"); done
cargo build -q --bins --locked "${build[@]}"
for pkg in "${pkgs[@]}"; do
  cargo run -q -p "$pkg" --features export-abi --locked | node tools/solidity/abi.mjs "$pkg" "$out"
  for ext in sol json; do
    if $update; then
      cp "$out/$pkg.$ext" "abi/$pkg.$ext"
      echo "abi/$pkg.$ext written"
    elif ! diff -u "abi/$pkg.$ext" "$out/$pkg.$ext"; then
      echo "abi/$pkg.$ext differs from the contract's ABI (scripts/check-abi.sh --update)" >&2
      status=1
    else
      echo "abi/$pkg.$ext matches"
    fi
  done
done
exit $status
