#!/usr/bin/env bash
# Builds the playground into build/playground/, a static site: the
# WebAssembly module (the Cadence library and playground/wasm/entry.cpp,
# built with Debian's emscripten: cadence.js loads cadence.wasm, which
# holds the stdlib), and the page (playground/web: CodeMirror and Graphviz
# from the npm registry, bundled with esbuild; Graphviz is a chunk of its
# own, fetched when the Flow pane first draws), with the examples.
# Usage: scripts/playground.sh [--serve] [--module-only] [BUILD_DIR]   (default: build/playground)
#   --serve        then serve it on http://127.0.0.1:8000 (PORT overrides)
#   --module-only  build cadence.js and cadence.wasm only (no npm)
set -euo pipefail
cd "$(dirname "$0")/.."
serve=0
module_only=0
out="build/playground"
for arg in "$@"; do
  case "$arg" in
    --serve) serve=1 ;;
    --module-only) module_only=1 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "playground.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) out="$arg" ;;
  esac
done
work="$out-wasm"
# Like the demo, it installs what it needs (emscripten, Node.js, the page's
# libraries); nothing is installed when all of it is there.
bash scripts/setup.sh --playground
if ! command -v em++ >/dev/null; then
  echo "playground: em++ not found after setup; install Debian's emscripten and node-acorn" >&2
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
cp "$work/cadence.js" "$work/cadence.wasm" "$out/"
echo "playground: built $out/cadence.js and cadence.wasm ($(du -k "$out/cadence.wasm" | cut -f1) KiB)"
if [ "$module_only" = 1 ]; then exit 0; fi

web=playground/web
if [ ! -x "$web/node_modules/.bin/esbuild" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
# An ES module split in chunks, so that what is imported on demand
# (Graphviz) is not part of what the first check waits for.
rm -rf "$out/chunks"
"$web/node_modules/.bin/esbuild" "$web/src/main.js" --bundle --format=esm --splitting --minify --log-level=warning \
  --chunk-names="chunks/[name]-[hash]" --outdir="$out"
cp "$web/index.html" "$web/style.css" "$web/favicon.svg" "$web/src/worker.js" "$out/"
# The examples that need no file beside them, for the picker.
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  const examples = fs.readdirSync(dir).filter((n) => n.endsWith(".cadence")).sort()
    .map((n) => ({ name: n.replace(/\.cadence$/, ""), text: fs.readFileSync(path.join(dir, n), "utf8") }))
    .filter((e) => !/import\s+"\.\.?\//.test(e.text));
  fs.writeFileSync(process.argv[2], JSON.stringify(examples));
' examples "$out/examples.json"
# The service worker keeps every file of the site for offline use, under a
# cache named after their contents (a new build replaces the old cache).
node -e '
  const fs = require("fs"), path = require("path"), crypto = require("crypto");
  const [out, source] = process.argv.slice(1);
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { if (entry.name !== "screenshots") walk(full); }
      else if (entry.name !== "sw.js") files.push(path.relative(out, full).split(path.sep).join("/"));
    }
  };
  walk(out);
  const hash = crypto.createHash("sha256");
  for (const file of files) hash.update(file).update(fs.readFileSync(path.join(out, file)));
  const assets = ["./", ...files];
  const text = fs.readFileSync(source, "utf8")
    .replace("__CACHE__", "cadence-playground-" + hash.digest("hex").slice(0, 12))
    .replace("__ASSETS__", JSON.stringify(assets));
  fs.writeFileSync(path.join(out, "sw.js"), text);
' "$out" "$web/sw.js"
echo "playground: the page is in $out (index.html); host the folder as static files"
if [ "$serve" = 1 ]; then
  # Loopback only, the site's own files only, no listings, a deadline per
  # request: scripts/serve_playground.py says why.
  exec python3 scripts/serve_playground.py "$out" --port "${PORT:-8000}"
fi
