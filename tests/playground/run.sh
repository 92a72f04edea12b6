#!/usr/bin/env bash
# Builds the playground's WebAssembly module into OUT (scripts/playground.sh)
# and checks that it answers as the cadence command does (wasm_parity.js).
# Usage: tests/playground/run.sh OUT CADENCE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$1"
cadence="$2"
bash "$root/scripts/playground.sh" "$out"
node "$here/wasm_parity.js" "$out/cadence.js" "$cadence" "$root/examples"
