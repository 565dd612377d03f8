#!/usr/bin/env bash
# Renders `ccsim report` of the home-work announcements scenario in headless Chromium: charts present, no
# console messages, a page that is not blank, every policy's line visible inside the plot areas (each
# legend colour's pixels counted there), a first paragraph answering the scenario's question, and a PDF
# printed from it.
set -euo pipefail
ccsim=$(realpath "$1"); scenario=$(realpath "$2"); work=$3
mkdir -p "$work" && cd "$work"
"$ccsim" run "$scenario" -r 6 -q -o report_example.h5
"$ccsim" report report_example.h5 -o report_example.html >/dev/null
charts=$(grep -o "<svg" report_example.html | wc -l)
lines=$(grep -o "<polyline" report_example.html | wc -l)
[ "$charts" -ge 4 ] || { echo "expected 4 charts, found $charts"; exit 1; }
[ "$lines" -ge 24 ] || { echo "expected a line per policy and chart, found $lines"; exit 1; }
grep -Eq "(src|href)=['\"]?(https?:)?//" report_example.html && { echo "the report refers to the network"; exit 1; } || true
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars --force-device-scale-factor=1
       --user-data-dir="$work/chromium-profile")
rm -f report.png report.pdf
timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 --window-size=1000,5200 \
  --screenshot="$work/report.png" "file://$work/report_example.html" 2> chromium.log || true
[ -s report.png ] || { echo "no screenshot"; cat chromium.log; exit 1; }
if grep -q "CONSOLE" chromium.log; then echo "console messages:"; grep "CONSOLE" chromium.log; exit 1; fi
timeout 120 chromium "${flags[@]}" --print-to-pdf="$work/report.pdf" --no-pdf-header-footer \
  "file://$work/report_example.html" 2> chromium_pdf.log || true
[ -s report.pdf ] || { echo "no PDF"; cat chromium_pdf.log; exit 1; }
grep -aq "%PDF" report.pdf || { echo "report.pdf is not a PDF"; exit 1; }
/usr/bin/python3 - <<'PY'
import re
from PIL import Image

html = open("report_example.html", encoding="utf-8").read()
# The first paragraph answers the question: how much longer the wait is because agents work from home,
# and what the messages do (with those who hung up on hearing one).
lead = html[html.index("<p class='lead'>"):html.index("</ul>", html.index("<p class='lead'>"))]
assert html.index("<p class='lead'>") < html.index("<table"), "the answer is not the first paragraph"
assert re.search(r"<b>home_share 0\.5</b> instead of 0: the average wait of answered callers rises by [0-9.]+ s", lead), lead
assert "<b>message longer_than_usual</b> instead of none:" in lead, lead
assert re.search(r"<b>message predicted_wait</b> instead of none: .*hung up on hearing it", lead), lead
# Each policy's colour, as the first chart's lines (and its legend) give them.
first = html[html.index("<figure class='chart'>"):html.index("</figure>", html.index("<figure class='chart'>"))]
colours = re.findall(r"<polyline fill='none' stroke='#([0-9a-f]{6})'", first)
assert len(colours) == 6 and len(set(colours)) == 6, f"six policies, six colours: {colours}"
frame = re.search(r"stroke='#([0-9a-f]{6})' stroke-width='1' shape-rendering='crispEdges'", html).group(1)
rgb = lambda h: tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
targets, frame = [rgb(c) for c in colours], rgb(frame)

img = Image.open("report.png").convert("RGB")
w, h = img.size
px = img.load()
ink = sum(1 for p in img.getdata() if sum(p) < 600)
assert ink / (w * h) > 0.02, "the page looks blank"
# Plot areas: rectangles framed in the frame colour, found from their top and bottom edges (long runs).
runs, seen = [], set()
for y in range(h):
    x = 0
    while x < w:
        if px[x, y] == frame:
            start = x
            while x < w and px[x, y] == frame:
                x += 1
            # A frame edge one or two pixels thick: the first row of it.
            if x - start >= 150 and (y - 1, start, x - 1) not in seen:
                runs.append((y, start, x - 1))
            if x - start >= 150:
                seen.add((y, start, x - 1))
        else:
            x += 1
boxes, used = [], set()
for i, (y0, a0, b0) in enumerate(runs):
    if i in used:
        continue
    for j in range(i + 1, len(runs)):
        y1, a1, b1 = runs[j]
        if j not in used and abs(a1 - a0) <= 2 and abs(b1 - b0) <= 2 and y1 - y0 > 60:
            boxes.append((a0 + 2, y0 + 2, b0 - 2, y1 - 2))
            used.update({i, j})
            break
assert len(boxes) >= 4, f"found {len(boxes)} plot areas in the screenshot"
counts = [0] * len(targets)
dist = lambda p, q: sum((a - b) ** 2 for a, b in zip(p, q))
for (x0, y0, x1, y1) in boxes:
    for y in range(y0, y1):
        for x in range(x0, x1):
            p = px[x, y]
            if p == (255, 255, 255):
                continue
            d = [dist(p, t) for t in targets]
            k = min(range(len(d)), key=d.__getitem__)
            if d[k] <= 40 ** 2:
                counts[k] += 1
print(f"screenshot {w}x{h}: {len(boxes)} plot areas; pixels per policy colour: {counts}")
for colour, n in zip(colours, counts):
    assert n >= 150, f"the policy drawn in #{colour} is hardly visible ({n} pixels in the plot areas)"
PY
echo "report renders: $charts charts, $lines lines, a PDF of $(stat -c %s report.pdf) bytes"
