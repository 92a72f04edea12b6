#!/usr/bin/env bash
# Installs everything Cadence needs to build and test, from Debian's packages
# (and, for tests only, a JSON Schema validator from the npm registry).
# Usage: scripts/setup.sh [--tests]     (run as root, or with sudo available)
set -euo pipefail

want_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    -h|--help) echo "usage: scripts/setup.sh [--tests]"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build_packages=(cmake ninja-build g++ tao-pegtl-dev libfmt-dev nlohmann-json3-dev
                libcli11-dev libtomlplusplus-dev)
test_packages=(catch2 llvm-14-tools python3 nodejs npm)

missing=()
for p in "${build_packages[@]}" $([ $want_tests = 1 ] && echo "${test_packages[@]}"); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $want_tests = 1 ]; then
  root=$(cd "$(dirname "$0")/.." && pwd)
  tools="$root/tests/tools"
  if [ ! -x "$tools/node_modules/.bin/ajv" ]; then
    echo "setup: installing test tools from npm into tests/tools"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
echo "setup: done"
