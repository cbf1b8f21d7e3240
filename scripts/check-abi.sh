#!/usr/bin/env bash
# Compares each contract's Solidity ABI, as `export-abi` prints it, with the committed golden file
# abi/NAME.sol, so an ABI change is always a reviewed diff. `--update` rewrites the golden files.
# Usage: scripts/check-abi.sh [--update]
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

update=false
[[ "${1:-}" == "--update" ]] && update=true
mkdir -p abi
status=0
for toml in contracts/*/Stylus.toml; do
  pkg=$(sed -n '/^\[package\]/,/^\[/s/^name *= *"\(.*\)"/\1/p' "${toml%/*}/Cargo.toml")
  actual=$(cargo run -q -p "$pkg" --features export-abi --locked)
  if $update; then
    printf '%s\n' "$actual" > "abi/$pkg.sol"
    echo "abi/$pkg.sol written"
  elif ! diff -u "abi/$pkg.sol" <(printf '%s\n' "$actual"); then
    echo "abi/$pkg.sol differs from the contract's ABI (scripts/check-abi.sh --update)" >&2
    status=1
  else
    echo "abi/$pkg.sol matches"
  fi
done
exit $status
