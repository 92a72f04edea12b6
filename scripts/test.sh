#!/usr/bin/env bash
# Sets up, builds and runs every test: unit, lit, coverage, schema and SARIF
# validation, layout, the LSP client, the VS Code extension and the
# playground; then clang-tidy; then one clang build with AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage, in which the tests that
# run a binary of the build run again and the fuzz targets run for a bounded
# time, two at a time; then the parallel tests under ThreadSanitizer.
# Every stage prints its wall time.
# Usage: scripts/test.sh [--configure-only] [BUILD_DIR]     (default: build)
# Environment: CADENCE_QUICK=1 stops after the plain build's tests;
#              CADENCE_FUZZ_SECONDS sets the time per fuzz target (default 30);
#              CADENCE_GCC=1 adds a last stage that builds everything with
#              GCC, warnings as errors, and runs the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
configure_only=0
build="build"
for arg in "$@"; do
  case "$arg" in
    --configure-only) configure_only=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "test.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) build="$arg" ;;
  esac
done

started=$(date +%s)
stage_name=""
stage_started=0
end_stage() {
  if [ -n "$stage_name" ]; then echo "-- $stage_name: $(($(date +%s) - stage_started)) s"; fi
  stage_name=""
}
stage() {
  end_stage
  stage_name="$1"
  stage_started=$(date +%s)
  echo "== $1"
}
trap 'status=$?; end_stage; echo "-- all stages: $(($(date +%s) - started)) s (exit $status)"' EXIT

stage "setup"
bash scripts/setup.sh --tests

# The demo's configuration (scripts/configure.sh) with the tests turned on:
# after the demo, only what the tests add is compiled.
# When python3 is a version manager's shim (pyenv's costs about 0.3 s a
# start, ten times Python itself), the scripts below, which start Python
# often, run the interpreter it stands for directly.
python_itself="$(python3 -c 'import sys; print(sys.executable)')"
if [ -x "$python_itself" ] && [ "$(readlink -f "$(command -v python3)")" != "$(readlink -f "$python_itself")" ]; then
  export PATH="$(dirname "$python_itself"):$PATH"
fi

source scripts/configure.sh
configure_main_build "$build" -DCADENCE_BUILD_TESTS=ON
if [ "$configure_only" = 1 ]; then exit 0; fi

stage "build"
cmake --build "$build"

stage "tests"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$(nproc)"

if [ "${CADENCE_QUICK:-0}" = 1 ]; then exit 0; fi

stage "clang-tidy (.clang-tidy) over the library and the command line"
run_clang_tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [ -n "$run_clang_tidy" ]; then
  # The build's database, without the precompiled header for the files that
  # need no JSON (scripts/tidy_database.py says why).
  python3 scripts/tidy_database.py "$build" "$build/tidy"
  "$run_clang_tidy" -p "$build/tidy" -quiet -j "$(nproc)" "$(pwd)/compiler/.*\.cpp\$" > "$build/clang-tidy.log" 2>&1 ||
    { grep -E "error:|warning:" "$build/clang-tidy.log" | head -40; echo "clang-tidy found problems"; exit 1; }
  echo "clang-tidy: $(grep -c '^' "$build/clang-tidy.log") lines of log, no finding"
else
  echo "clang-tidy: not installed; skipped"
fi

# One build serves the sanitizers and the fuzz targets: clang with
# AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage,
# assertions on, optimised a little and with line tables only (enough for
# every report's stack trace, a third of the compile time of full debug info),
# compiled in unity batches of 8 files (the headers every file includes are
# compiled once a batch: a third less time; the plain build above and
# clang-tidy still compile each file on its own, so a missing include shows).
sanitized="$build-asan"
stage "build with AddressSanitizer and UndefinedBehaviorSanitizer (and the fuzz targets)"
CC=clang CXX=clang++ cmake -S . -B "$sanitized" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DCADENCE_SANITIZE=address,undefined -DCADENCE_FUZZ=ON \
  -DCADENCE_BUILD_TESTS=ON -DCADENCE_WERROR=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 >/dev/null
cmake --build "$sanitized"

stage "the tests that run a binary, under AddressSanitizer and UndefinedBehaviorSanitizer"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$sanitized" --output-on-failure --no-tests=error -j "$(nproc)"

stage "fuzzing (bounded, two targets at a time)"
bash tests/fuzz/run.sh "${CADENCE_FUZZ_SECONDS:-30}" "$sanitized"

stage "the parallel tests under ThreadSanitizer"
bash tests/tsan/run.sh "$build-tsan"

# Every other build is clang's; this one, on request, is GCC's (about 700
# CPU-s more, which CI's budget leaves out: docs/performance.md).
if [ "${CADENCE_GCC:-0}" = 1 ]; then
  stage "GCC build, warnings as errors, and the unit tests"
  cmake -S . -B "$build-gcc" -G Ninja -DCMAKE_CXX_COMPILER=g++ -DCADENCE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" -DCADENCE_SANITIZE= -DCADENCE_FUZZ=OFF -DCADENCE_BUILD_TESTS=ON >/dev/null
  cmake --build "$build-gcc"
  "$build-gcc/tests/cadence_unit_tests"
fi
