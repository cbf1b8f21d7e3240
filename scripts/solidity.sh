#!/usr/bin/env bash
# Installs the Solidity toolchain of the golden-ABI check, the Solidity integration test and the
# gas baseline: solcjs and OpenZeppelin Contracts, pinned in tools/solidity/package-lock.json.
set -euo pipefail
exec "$(dirname "$0")/npm-ci.sh" tools/solidity
