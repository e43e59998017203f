#!/usr/bin/env bash
# ogcard against Takumi (@takumi-rs/core) and satori + @resvg/resvg-js on the default card,
# the same fonts and the first five Thai sample titles, in one run; then ogcard's `cover`
# photo card against Takumi's, as PNG and JPEG. Installs the peers with
# npm here (node_modules is not committed). ogcard is timed in-process by its release binary
# (`ogcard render --batch`, one thread, 300 identical cards: per-card time = total / 300,
# so its ~25 ms start-up adds < 0.1 ms a card; the median of five such runs).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
npm install --no-audit --no-fund --silent
(cd "$root" && cargo build --release --locked --quiet)
n=${RUNS:-30}
# Cards are written to tmpfs when there is one: the peers' times include no file writes.
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$root" "$work" 300 <<'PY'
import json, subprocess, sys, time, os
root, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
titles = [t for t in open(f"{root}/tests/data/thai.txt", encoding="utf-8").read().splitlines() if t][:5]
def per_card(lines, name, runs, first):
    """ogcard's time a card (ms, the median of `runs` batch runs, one thread) over the
    batch `lines`, and the size of its card file `first`."""
    batch = f"{work}/{name}.jsonl"
    with open(batch, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([f"{root}/target/release/ogcard", "render", "--quiet", "--jobs", "1",
                        "--batch", batch, "--out-dir", f"{work}/{name}"], check=True, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000 / len(lines))
    return {"ms": sorted(times)[runs // 2], "bytes": os.path.getsize(f"{work}/{name}/{first}")}

out = {}
for i, title in enumerate(titles):
    out[title] = per_card([{"title": title}] * n, f"o{i}", 5, "00001.png")
# The photo card: `cover` with a full-bleed photo, distinct titles, PNG and JPEG q85. The
# CLI has no picture cache: each card decodes and fits the photo again (a server's cache
# does that once; `cargo bench --bench card -- photo` times the card without it).
picture = f"{root}/tests/data/pictures/rocket.jpg"
out["photo"] = {
    fmt: per_card([{"title": f"{titles[0]} {i}", "template": "cover", "image": picture,
                    "format": fmt, "out": f"{i}.{fmt}"} for i in range(60)], f"p-{fmt}", 3, f"1.{fmt}")
    for fmt in ["png", "jpeg"]
}
json.dump(out, open(f"{work}/ogcard.json", "w"), ensure_ascii=False)
PY
RUNS=$n node compare.mjs "$work/ogcard.json"
