#!/usr/bin/env bash
# Rebuild the portal's GOV.UK Frontend files in static/govuk/ and Leaflet (the school maps) in
# static/leaflet/ from the npm packages named in package.json (exact versions), and vendor
# axe-core for the browser tests. Run after changing a
# version: `cd frontend && npm ci && ./build.sh`, then commit the results.
set -euo pipefail
cd "$(dirname "$0")"
GOVUK=node_modules/govuk-frontend/dist/govuk
OUT=../static/govuk
rm -rf "$OUT" && mkdir -p "$OUT/assets"
npx sass --no-source-map --style=compressed --load-path=node_modules --pkg-importer=node main.scss "$OUT/portal.min.css"
cp "$GOVUK/govuk-frontend.min.js" "$OUT/"
cp -r "$GOVUK/assets/images" "$OUT/assets/"
# The package ships no licence file; its licence (MIT) is kept beside this script.
cp GOVUK-FRONTEND-LICENCE.txt "$OUT/LICENCE.txt"
grep -h '"version"' node_modules/govuk-frontend/package.json | head -1 > "$OUT/VERSION"
mkdir -p ../tests/browser/vendor
cp node_modules/axe-core/axe.min.js ../tests/browser/vendor/
cp node_modules/axe-core/LICENSE ../tests/browser/vendor/axe-core-LICENSE.txt
# Leaflet, for the school maps: its script, style sheet, marker images and licence.
LEAFLET=node_modules/leaflet
rm -rf ../static/leaflet && mkdir -p ../static/leaflet
cp "$LEAFLET/dist/leaflet.js" "$LEAFLET/dist/leaflet.css" ../static/leaflet/
cp -r "$LEAFLET/dist/images" ../static/leaflet/
cp "$LEAFLET/LICENSE" ../static/leaflet/LICENCE.txt
grep -h '"version"' "$LEAFLET/package.json" | head -1 > ../static/leaflet/VERSION
