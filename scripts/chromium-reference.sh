#!/usr/bin/env bash
# Renders the default card's title in headless Chromium (the reference for correctness)
# with the same fonts, box and size: scripts/chromium-reference.sh "TITLE" out.png [font-px]
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
title=${1:?title}; out=${2:?out.png}; px=${3:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
esc=$(printf '%s' "$title" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')
cat > "$dir/card.html" <<HTML
<!doctype html><meta charset="utf-8"><style>
@font-face{font-family:"Noto Sans Thai";font-weight:400;src:url("file://$root/fonts/NotoSansThai-Regular.ttf")}
@font-face{font-family:"Noto Sans Thai";font-weight:700;src:url("file://$root/fonts/NotoSansThai-Bold.ttf")}
@font-face{font-family:"Noto Sans";font-weight:400;src:url("file://$root/fonts/NotoSans-Regular.ttf")}
@font-face{font-family:"Noto Sans";font-weight:700;src:url("file://$root/fonts/NotoSans-Bold.ttf")}
html,body{margin:0;width:1200px;height:630px;background:#0f172a;overflow:hidden}
#t{position:absolute;left:80px;top:72px;width:1040px;color:#fff;
   font:700 ${px}px/1.5 "Noto Sans Thai","Noto Sans"}
</style><div id="t" lang="th">$esc</div>
HTML
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$dir/profile" --allow-file-access-from-files \
  --hide-scrollbars --window-size=1200,630 --screenshot="$out" "file://$dir/card.html" 2>/dev/null
echo "$out"
