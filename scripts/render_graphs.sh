#!/usr/bin/env bash
# Renders every example's flow with Graphviz into OUT_DIR (docs/graphs by
# default): NAME.svg from `cadence graph` and NAME.mmd (Mermaid). The tests
# run it and compare with the committed pictures.
# Usage: scripts/render_graphs.sh CADENCE_BINARY [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cadence="$1"
out="${2:-docs/graphs}"
mkdir -p "$out"
for source in examples/*.cadence examples/before/*.cadence; do
  name="$(basename "$source" .cadence)"
  "$cadence" graph "$source" | dot -Tsvg > "$out/$name.svg"
  "$cadence" graph --format mermaid "$source" > "$out/$name.mmd"
done
echo "rendered $(ls "$out"/*.svg | wc -l) graphs into $out"
