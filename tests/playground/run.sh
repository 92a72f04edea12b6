#!/usr/bin/env bash
# Builds the playground into OUT (scripts/playground.sh), checks that its
# WebAssembly module answers as the cadence command does (wasm_parity.js),
# then drives the page in Debian's Chromium (browser_test.js) when it is
# installed.
# Usage: tests/playground/run.sh OUT CADENCE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$1"
cadence="$2"
bash "$root/scripts/playground.sh" "$out"
node "$here/wasm_parity.js" "$out/cadence.js" "$cadence" "$root/examples"
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -n "$chromium" ]; then
  node "$here/browser_test.js" "$out" "$cadence" "$chromium"
else
  echo "playground: chromium not installed; the browser test is left out (scripts/setup.sh --tests installs it)"
fi
