#!/bin/sh
# Renders docs/collapse-sim.png, the README's picture: a simulation drawn by `collapse plot` as PNG
# (resvg, with the system's fonts: DejaVu Sans, Debian package fonts-dejavu-core, for the picture
# the README shows). Needs a build (npm run build).
# Not run by CI: the picture only changes when the plot does.
set -eu
cd "$(dirname "$0")/.."

OUT=docs/collapse-sim.png
MAX_BYTES=153600 # 150 KiB: small enough to sit in the repository

if [ ! -f dist/cli/main.js ]; then
  echo "render-readme-image: dist/ is missing; run npm run build first" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The run in the picture: M = 25 samples per generation shows collapse within 50 generations.
node bin/collapse.js sim --generations 50 --sample-size 25 --theory --format json -o "$tmp/run.json"
node bin/collapse.js plot "$tmp/run.json" -o "$tmp/out.png"

bytes=$(wc -c <"$tmp/out.png")
if [ "$bytes" -gt "$MAX_BYTES" ]; then
  echo "render-readme-image: $bytes bytes is more than $MAX_BYTES; make the plot smaller" >&2
  exit 1
fi
mv "$tmp/out.png" "$OUT"
echo "wrote $OUT ($bytes bytes)"
