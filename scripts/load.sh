#!/usr/bin/env bash
# Load test of the cache-hit path with wrk (Debian's `wrk`): 2 threads, 64 connections,
# loopback, the seed card with the default template. Builds and starts a release server on
# a free port, warms the card, runs wrk, stops the server. Bounded: DURATION seconds.
#   scripts/load.sh [DURATION=10] [CONNECTIONS=64]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked --quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OGCARD_LISTEN=127.0.0.1:$port RUST_LOG=warn ./target/release/ogcard &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
url="http://127.0.0.1:$port/api/og?title=%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B8%9B%E0%B8%8F%E0%B8%B4%E0%B8%A7%E0%B8%B1%E0%B8%95%E0%B8%B4%E0%B9%81%E0%B8%9A%E0%B8%9A%E0%B9%82%E0%B8%AD%E0%B9%80%E0%B8%9E%E0%B8%99%E0%B8%8B%E0%B8%AD%E0%B8%A3%E0%B9%8C%E0%B8%AA%E0%B8%82%E0%B8%AD%E0%B8%87%20DeepSeek%3A%20%E0%B8%82%E0%B9%89%E0%B8%AD%E0%B8%A1%E0%B8%B9%E0%B8%A5%E0%B9%80%E0%B8%8A%E0%B8%B4%E0%B8%87%E0%B8%A5%E0%B8%B6%E0%B8%81%E0%B8%88%E0%B8%B2%E0%B8%81%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%8A%E0%B8%B8%E0%B8%A1%E0%B8%AA%E0%B8%B8%E0%B8%94%E0%B8%A2%E0%B8%AD%E0%B8%94%20AI%20%E0%B9%81%E0%B8%9A%E0%B8%9A%E0%B8%9B%E0%B8%B4%E0%B8%94%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%95%E0%B8%B9"
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
bytes=$(curl -sf "$url" | wc -c)
echo "card: $bytes bytes; wrk -t2 -c$connections -d${duration}s"
wrk -t2 -c"$connections" -d"${duration}s" --latency "$url"
