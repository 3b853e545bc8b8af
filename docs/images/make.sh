#!/usr/bin/env bash
# Regenerates the screenshots in this folder from the shipped examples: the HTML s.5 draft on
# a decision with grounds (the CFO's sign-off does not cover the amount) and the HTML
# assurance summary, each shown in headless Chromium at the top of its first page.
# Needs cargo and chromium (.ci/run installs it). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
examples=(examples/decisions --config examples/mocheck.toml --today 2026-11-23)

cargo run --quiet --locked -- report "${examples[@]}" --decision EPCC-2025-041 \
  --output "$work/s5-draft.html"
cargo run --quiet --locked -- report "${examples[@]}" --assurance \
  --output "$work/assurance-summary.html"

# 1000 pixels wide, as a reader's window; 1300 high shows the first printed page's worth.
for name in s5-draft assurance-summary; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --window-size=1000,1300 \
    --screenshot="$PWD/docs/images/$name.png" "file://$work/$name.html" 2>/dev/null
  echo "docs/images/$name.png"
done
