#!/usr/bin/env bash
# Renders the default card's title in headless Chromium (the reference for correctness)
# with the same fonts, box and size: scripts/chromium-reference.sh "TITLE" out.png [font-px]
# Every bundled .ttf is declared with @font-face, in ogcard's fallback order; the box
# takes the paragraph direction from the text (dir=auto), as ogcard does.
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
title=${1:?title}; out=${2:?out.png}; px=${3:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
esc=$(printf '%s' "$title" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')
faces=""; families=""
for f in "$root"/fonts/NotoSans*.ttf; do
  stem=$(basename "$f" .ttf); weight=400; [ "${stem##*-}" = Bold ] && weight=700
  family=$(echo "${stem%-*}" | sed -E 's/([a-z])([A-Z])/\1 \2/g')
  faces="$faces@font-face{font-family:\"$family\";font-weight:$weight;src:url(\"file://$f\")}"
  case ",$families," in *",\"$family\","*) ;; *) families="$families,\"$family\"";; esac
done
families="\"Noto Sans Thai\",\"Noto Sans\"${families}"
cat > "$dir/card.html" <<HTML
<!doctype html><meta charset="utf-8"><style>
$faces
html,body{margin:0;width:1200px;height:630px;background:#0f172a;overflow:hidden}
#t{position:absolute;left:80px;top:72px;width:1040px;color:#fff;
   font:700 ${px}px/1.5 $families}
</style><div id="t" dir="auto">$esc</div>
HTML
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$dir/profile" --allow-file-access-from-files \
  --hide-scrollbars --window-size=1200,630 --screenshot="$out" "file://$dir/card.html" 2>/dev/null
echo "$out"
