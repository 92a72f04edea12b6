#!/usr/bin/env bash
# Sets up, builds, checks the examples and compiles one into a JSON plan.
# Usage: scripts/demo.sh [--configure-only] [EXAMPLE]
#        (default example: examples/engagement_branching.cadence)
# Environment: CADENCE_BUILD_DIR (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
configure_only=0
example="examples/engagement_branching.cadence"
for arg in "$@"; do
  case "$arg" in
    --configure-only) configure_only=1 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "demo.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) example="$arg" ;;
  esac
done
build="${CADENCE_BUILD_DIR:-build}"
bash scripts/setup.sh
# The demo needs only the compiler; the test command configures the same
# build directory with the same flags and the tests turned on.
source scripts/configure.sh
configure_main_build "$build" -DCADENCE_BUILD_TESTS=OFF
if [ "$configure_only" = 1 ]; then exit 0; fi
cmake --build "$build"
"$build/compiler/cadence" check examples
"$build/compiler/cadence" build "$example"
