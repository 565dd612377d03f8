#!/usr/bin/env bash
# Renders `ccsim report` in headless Chromium: charts present, no console messages, a page that is not blank.
set -euo pipefail
ccsim=$(realpath "$1"); scenario=$(realpath "$2"); work=$3
mkdir -p "$work" && cd "$work"
"$ccsim" run "$scenario" -r 3 -q -o report_example.h5
"$ccsim" report report_example.h5 -o report_example.html >/dev/null
charts=$(grep -o "<svg" report_example.html | wc -l)
lines=$(grep -o "<polyline" report_example.html | wc -l)
[ "$charts" -ge 3 ] || { echo "expected 3 charts, found $charts"; exit 1; }
[ "$lines" -ge 6 ] || { echo "expected a line per policy and chart, found $lines"; exit 1; }
grep -Eq "(src|href)=['\"]?(https?:)?//" report_example.html && { echo "the report refers to the network"; exit 1; } || true
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/chromium-profile")
rm -f report.png
timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 --window-size=1000,2400 \
  --screenshot="$work/report.png" "file://$work/report_example.html" 2> chromium.log || true
[ -s report.png ] || { echo "no screenshot"; cat chromium.log; exit 1; }
if grep -q "CONSOLE" chromium.log; then echo "console messages:"; grep "CONSOLE" chromium.log; exit 1; fi
/usr/bin/python3 - <<'PY'
from PIL import Image
img = Image.open("report.png").convert("RGB")
w, h = img.size
pixels = img.getdata()
ink = sum(1 for p in pixels if sum(p) < 600)
colours = len(set(img.resize((200, 480)).getdata()))
share = ink / (w * h)
print(f"screenshot {w}x{h}: {share:.1%} of pixels inked, {colours} colours")
assert share > 0.02, "the page looks blank"
assert colours > 20, "the page has no charts in colour"
PY
echo "report renders: $charts charts, $lines lines"
