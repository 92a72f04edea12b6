#!/usr/bin/env bash
# Builds cadence with ThreadSanitizer and runs the tests that check many
# files in parallel (shared imports, chains, cycles, every -j), failing on
# any data race TSan reports.
# Usage: tests/tsan/run.sh [BUILD_DIR]     (default: build-tsan)
# Environment: CXX chooses the compiler (default clang++, else g++).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build-tsan}"
compiler="${CXX:-}"
if [ -z "$compiler" ]; then
  if command -v clang++ >/dev/null 2>&1; then compiler=clang++; else compiler=g++; fi
fi
# Optimised a little, with line tables only: enough for TSan's reports, and a
# third of the compile time of full debug information; in unity batches of 8
# files, as the sanitizer build of scripts/test.sh. With clang the build
# loads the precompiled header, and takes about 290 CPU-s where GCC takes
# about 510 (docs/performance.md).
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$compiler" -DCADENCE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCADENCE_SANITIZE=thread \
  -DCADENCE_BUILD_TESTS=ON -DCADENCE_FUZZ=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 >/dev/null
cmake --build "$build" --target cadence cadence_parallel_tests
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
"$build/tests/cadence_parallel_tests" "[parallel]"
python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv "$build/tests/lit" \
  --filter 'safety/parallel-imports|cli/jobs|throttle-overrun-clean-files'
