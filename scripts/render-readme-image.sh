#!/bin/sh
# Renders docs/collapse-sim.png, the README's picture: a simulation drawn by `collapse plot` and
# photographed by headless Chromium, so the image is exactly what a browser shows for the SVG.
# Needs a build (npm run build) and Chromium (Debian: apt-get install -y chromium; or set CHROMIUM).
# Not run by CI: it needs a browser, and the picture only changes when the plot does.
set -eu
cd "$(dirname "$0")/.."

OUT=docs/collapse-sim.png
MAX_BYTES=153600 # 150 KiB: small enough to sit in the repository

browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
  echo "render-readme-image: no Chromium found; install it (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 2
fi
if [ ! -f dist/cli/main.js ]; then
  echo "render-readme-image: dist/ is missing; run npm run build first" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The run in the picture: M = 25 samples per generation shows collapse within 50 generations.
node bin/collapse.js sim --generations 50 --sample-size 25 --theory --format json -o "$tmp/run.json"
node bin/collapse.js plot "$tmp/run.json" -o "$tmp/run.svg"

# The window is the SVG's own size, so the screenshot has no margins and no scroll bars.
size=$(grep -o 'width="[0-9]*" height="[0-9]*"' "$tmp/run.svg" | head -n 1 | tr -dc '0-9 ' | tr ' ' ',')
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$tmp/profile" --screenshot="$tmp/out.png" --window-size="$size" \
  "file://$tmp/run.svg" >/dev/null 2>&1

bytes=$(wc -c <"$tmp/out.png")
if [ "$bytes" -gt "$MAX_BYTES" ]; then
  echo "render-readme-image: $bytes bytes is more than $MAX_BYTES; make the plot smaller" >&2
  exit 1
fi
mv "$tmp/out.png" "$OUT"
echo "wrote $OUT ($size px, $bytes bytes)"
