#!/usr/bin/env bash
# Installs what Cadence needs, from Debian's packages: the build dependencies
# (clang builds every build of the test command; GCC builds Cadence too, and
# CADENCE_GCC=1 scripts/test.sh checks it), and with --tests the test tools
# too (lit and FileCheck, clang's sanitizer and libFuzzer runtimes, Node.js
# for the JSON Schema validator, which comes from the npm registry into tests/tools,
# and libxml2 and Graphviz for the fuzz target that parses what it writes).
# With --playground, what the playground needs: Debian's emscripten and
# node-acorn, Node.js, and the page's libraries from the npm registry.
# Usage: scripts/setup.sh [--tests] [--playground]   (as root, or with sudo)
set -euo pipefail

want_tests=0
want_playground=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1; want_playground=1 ;;
    --playground) want_playground=1 ;;
    -h|--help) echo "usage: scripts/setup.sh [--tests] [--playground]"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

packages=(cmake ninja-build clang g++ tao-pegtl-dev libfmt-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libmimalloc-dev libcurl4-openssl-dev)
if [ "$want_tests" = 1 ]; then
  packages+=(catch2 llvm-14-tools python3 clang-format clang-tidy libclang-rt-14-dev graphviz libgraphviz-dev
    libxml2-utils libxml2-dev neovim chromium)
fi
if [ "$want_playground" = 1 ]; then packages+=(emscripten node-acorn); fi
missing=()
for package in "${packages[@]}"; do installed "$package" || missing+=("$package"); done
# Node.js may come from elsewhere than Debian; only install it when absent.
if [ "$want_playground" = 1 ] && ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want_tests" = 1 ]; then
  tools="$(cd "$(dirname "$0")/.." && pwd)/tests/tools"
  if [ ! -x "$tools/node_modules/.bin/ajv" ] || [ ! -x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] ||
    [ ! -x "$tools/node_modules/.bin/vsce" ] || [ ! -f "$tools/node_modules/@opensdks/sdk-outreach/outreach.oas.json" ] ||
    [ ! -f "$tools/node_modules/@opensdks/sdk-salesloft/salesloft.oas.json" ]; then
    echo "setup: installing the test tools (ajv-cli, SARIF multitool, vsce, the platforms' OpenAPI documents) into tests/tools"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # The VS Code extension's own dependencies, for the test that packages it.
  vscode="$(cd "$(dirname "$0")/.." && pwd)/editors/vscode"
  if [ ! -d "$vscode/node_modules/vscode-languageclient" ]; then
    echo "setup: installing the VS Code extension's dependencies"
    (cd "$vscode" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
if [ "$want_playground" = 1 ]; then
  # The playground page's libraries (CodeMirror, Graphviz, esbuild, puppeteer-core).
  web="$(cd "$(dirname "$0")/.." && pwd)/playground/web"
  if [ ! -x "$web/node_modules/.bin/esbuild" ] || [ ! -d "$web/node_modules/puppeteer-core" ]; then
    echo "setup: installing the playground page's dependencies"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
echo "setup: ready"
