#!/usr/bin/env bash
# Installs the npm packages of a tools directory (tools/solidity: solc and OpenZeppelin
# Contracts; tools/wasm-opt: binaryen) at the versions pinned in its package-lock.json, with
# npm ci; skipped when they are installed at those versions already.
# Usage: scripts/npm-ci.sh DIR
set -euo pipefail
cd "$(dirname "$0")/../${1:?usage: scripts/npm-ci.sh DIR}"
command -v npm >/dev/null || { echo "npm (Node.js 18 or later) is needed: apt-get install nodejs npm" >&2; exit 1; }
if ! cmp -s package-lock.json node_modules/.lsr-installed-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lsr-installed-lock
fi
