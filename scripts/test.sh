#!/usr/bin/env bash
# The test command: formatting, lints (clippy pedantic, warnings are errors), every test, and the
# wasm build with its activation and size checks. Installs what it needs (the wasm target).
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

step "tests"
cargo test --workspace --locked

step "wasm build and activation checks"
scripts/build-wasm.sh
