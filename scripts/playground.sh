#!/usr/bin/env bash
# Builds the playground's WebAssembly module (the Cadence library and
# playground/wasm/entry.cpp) with Debian's emscripten into
# build/playground/cadence.js (a single file: the module and the stdlib).
# Usage: scripts/playground.sh [BUILD_DIR]     (default: build/playground)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/playground}"
work="$out-wasm"
if ! command -v em++ >/dev/null; then
  echo "playground: em++ not found; install Debian's emscripten and node-acorn (scripts/setup.sh --tests)" >&2
  exit 2
fi
# Debian's emscripten finds acorn through NODE_PATH when it links.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
# Only the include folders of the header-only libraries, not all of /usr/include.
include="$work/include"
mkdir -p "$include"
for library in fmt nlohmann tao toml++; do
  [ -e "/usr/include/$library" ] || { echo "playground: /usr/include/$library missing" >&2; exit 2; }
  ln -sfn "/usr/include/$library" "$include/$library"
done
emcmake cmake -S playground -B "$work" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCADENCE_WASM_INCLUDE="$(cd "$include" && pwd)" >/dev/null
cmake --build "$work"
mkdir -p "$out"
cp "$work/cadence.js" "$out/cadence.js"
echo "playground: built $out/cadence.js ($(du -k "$out/cadence.js" | cut -f1) KiB)"
