#!/usr/bin/env bash
# Sets up, builds, checks the examples and compiles one into a JSON plan.
# Usage: scripts/demo.sh [EXAMPLE]   (default: examples/engagement_branching.cadence)
set -euo pipefail
cd "$(dirname "$0")/.."
example="${1:-examples/engagement_branching.cadence}"
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCADENCE_BUILD_TESTS=OFF >/dev/null
cmake --build build
build/compiler/cadence check examples
build/compiler/cadence build "$example"
