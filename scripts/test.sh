#!/usr/bin/env bash
# The test command: formatting, lints (clippy pedantic, warnings are errors), every test, the
# golden ABIs, and the wasm build with its activation and size checks (before the tests, which
# run the built wasm on the local node). Installs what it needs: the wasm target, and solc and
# OpenZeppelin Contracts from npm (tools/solidity) for the Solidity integration test and the
# golden ABI check.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
rustup target add wasm32-unknown-unknown >/dev/null
rustc --version

step "rustfmt"
cargo fmt --all --check

step "clippy (all + pedantic, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

# Before the tests: the local node's tests (devnode/tests) run target/wasm/*.wasm.
step "wasm build and activation checks"
scripts/build-wasm.sh

step "Solidity toolchain (npm ci in tools/solidity)"
scripts/solidity.sh

step "tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"

step "golden ABIs: abi/*.sol and abi/*.json match the contracts"
scripts/check-abi.sh

step "invariant suite report (docs/testing.md)"
cat target/invariants-report.txt

# One closing line for CI: the totals over every test binary (cargo prints one line per binary).
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, i }' "$log"
