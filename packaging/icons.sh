#!/usr/bin/env bash
# Renders mqscope's icons from their one source, assets/icon.svg, with rsvg-convert
# (Debian: librsvg2-bin).
#   packaging/icons.sh DIR       the hicolor theme under DIR: DIR/NxN/apps/mqscope.png for every
#                                size from 16 to 512 px, and DIR/scalable/apps/mqscope.svg
#   packaging/icons.sh --window  assets/icon.png, the window's icon (256 px, built into the
#                                binary); run it after changing the SVG and commit the result
set -euo pipefail
cd "$(dirname "$0")/.."
source=assets/icon.svg
sizes=(16 22 24 32 48 64 128 256 512)
command -v rsvg-convert >/dev/null || { echo "icons.sh needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 1; }
case "${1:-}" in
  "") echo "usage: packaging/icons.sh DIR | --window" >&2; exit 2 ;;
  --window) rsvg-convert -w 256 -h 256 "$source" -o assets/icon.png ;;
  *)
    for size in "${sizes[@]}"; do
      mkdir -p "$1/${size}x${size}/apps"
      rsvg-convert -w "$size" -h "$size" "$source" -o "$1/${size}x${size}/apps/mqscope.png"
    done
    mkdir -p "$1/scalable/apps"
    cp "$source" "$1/scalable/apps/mqscope.svg"
    ;;
esac
