#!/usr/bin/env bash
# Does RSS stay within the cache budget plus the documented overhead? Starts a release
# server with a small cache budget, fills it far past the budget with distinct small cards
# in one format, and reports VmRSS idle, after, the cache's own count, and the overhead
# (RSS growth beyond the budget). Bounded: CARDS requests, one connection, loopback.
#   scripts/memory.sh [FORMAT=webp] [CARDS=3000] [BUDGET=16MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
format=${1:-webp}
cards=${2:-3000}
budget=${3:-16MiB}
binary=${OGCARD_BINARY:-./target/release/ogcard}
[ -n "${OGCARD_BINARY:-}" ] || cargo build --release --locked --quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OGCARD_LISTEN=127.0.0.1:$port RUST_LOG=warn "$binary" --cache-bytes "$budget" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
idle=$(rss)
python3 - "$port" "$format" "$cards" <<'PY'
import http.client, sys, urllib.parse
port, fmt, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
for i in range(n):
    q = urllib.parse.urlencode({"title": f"บันทึก {i} สั้น", "format": fmt})
    conn.request("GET", f"/api/og?{q}")
    r = conn.getresponse()
    r.read()
    assert r.status == 200, r.status
PY
after=$(rss)
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
cache=$(echo "$metrics" | awk '/^ogcard_cache_bytes / {print $2}')
entries=$(echo "$metrics" | awk '/^ogcard_cache_entries / {print $2}')
budget_bytes=$(echo "$metrics" | awk '/^ogcard_cache_budget_bytes / {print $2}')
echo "format=$format cards=$cards budget=$((budget_bytes / 1024)) KiB"
echo "cache: $entries entries, $((cache / 1024)) KiB counted"
echo "VmRSS: idle $idle KiB, after $after KiB, growth $((after - idle)) KiB," \
     "beyond the budget $((after - idle - budget_bytes / 1024)) KiB"
