#!/usr/bin/env bash
# The whole suite on a fresh machine: the wasm target, the release wasm, the local node on a
# free port (dev profile: its engine crates are optimised there, see Cargo.toml, and it builds in
# a fraction of the release profile's LTO time), a deployment with the deploy tool, then the
# demo's story (stake, restake via the LRT, two operators, AVS rewards, a slash, redemptions,
# claims) and its table of rates, balances and gas per action. The node stops when the script
# exits.
# Usage: scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown >/dev/null
scripts/build-wasm.sh
cargo build --locked -p devnode -p lsr-deploy --bins --examples

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
log=$(mktemp)
target/debug/devnode --port "$port" >"$log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  if curl -sf -X POST -H 'Content-Type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$url" >/dev/null; then
    break
  fi
  kill -0 "$node" 2>/dev/null || { cat "$log" >&2; echo "the local node did not start" >&2; exit 1; }
  sleep 0.1
done
echo "local node at $url"

# The Nitro devnode's published dev key (funded by the local node at genesis): devnode only.
export PRIVATE_KEY=0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659
addresses=$(mktemp -d)
target/debug/deploy --network local --rpc-url "$url" --addresses-dir "$addresses"
target/debug/examples/demo --rpc-url "$url" --addresses-dir "$addresses"
