#!/usr/bin/env bash
# Installs the Solidity toolchain of the golden-ABI check, the Solidity integration test and the
# gas baseline: solcjs and OpenZeppelin Contracts at the versions pinned in
# tools/solidity/package-lock.json (npm ci; skipped when already installed at those versions).
set -euo pipefail
cd "$(dirname "$0")/../tools/solidity"
command -v node >/dev/null || { echo "node (Node.js 18 or later) is needed: apt-get install nodejs npm" >&2; exit 1; }
if [[ ! -f node_modules/.package-lock.json ]] || ! cmp -s package-lock.json node_modules/.lsr-installed-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lsr-installed-lock
fi
