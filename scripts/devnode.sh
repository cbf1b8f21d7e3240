#!/usr/bin/env bash
# Starts a local Stylus node on http://127.0.0.1:8547 (chain id 412346).
#
#   scripts/devnode.sh [--host ADDR] [--port PORT] [--block-time SECONDS]
#       the suite's own node (devnode crate): starts in milliseconds, no Docker.
#   scripts/devnode.sh --nitro
#       the real Nitro dev node in Docker, at the image tag OffchainLabs/nitro-devnode's
#       run-dev-node.sh pins. It starts without the devnode setup (chain owner, CacheManager,
#       StylusDeployer): run that repository's run-dev-node.sh for those.
#
# The prefunded dev account is 0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E; its key is public
# (devnode tooling only, never a real network): see docs/devnode.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tag nitro-devnode's run-dev-node.sh pins (NITRO_NODE_VERSION).
NITRO_IMAGE="offchainlabs/nitro-node:v3.5.3-0a9c975"

if [[ "${1:-}" == "--nitro" ]]; then
  shift
  if (($#)); then
    echo "devnode.sh: --nitro takes no other arguments" >&2
    exit 2
  fi
  if ! command -v docker >/dev/null 2>&1; then
    echo "devnode.sh: --nitro needs Docker, and 'docker' is not on PATH." >&2
    echo "Install Docker, or run scripts/devnode.sh without --nitro for the local node." >&2
    exit 1
  fi
  exec docker run --rm --name nitro-dev -p 8547:8547 "$NITRO_IMAGE" \
    --dev --http.addr 0.0.0.0 --http.api=net,web3,eth,debug
fi

exec cargo run --release -p devnode -- "$@"
