#!/usr/bin/env bash
# Sets up, builds and runs every test: unit, lit, coverage, schema and SARIF
# validation, layout, the LSP client, the VS Code extension and the
# playground; then one clang build with AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage, in which the tests that
# run a binary of the build run again and the fuzz targets run for a bounded
# time, two at a time; then the parallel tests under ThreadSanitizer.
# clang-tidy runs in the background, at the lowest priority, from the tests
# on. Every stage prints its wall time.
# Usage: scripts/test.sh [--configure-only] [BUILD_DIR]     (default: build)
# Environment: CADENCE_QUICK=1 stops after the plain build's tests;
#              CADENCE_FUZZ_SECONDS sets the time per fuzz target (default 45).
set -euo pipefail
cd "$(dirname "$0")/.."
configure_only=0
build="build"
for arg in "$@"; do
  case "$arg" in
    --configure-only) configure_only=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
# clang-tidy runs in the background (below), in a process group of its own.
tidy_pid=""
stop_clang_tidy() { if [ -n "$tidy_pid" ]; then kill -- "-$tidy_pid" 2>/dev/null || true; fi; }
trap 'status=$?; end_stage; stop_clang_tidy; echo "-- all stages: $(($(date +%s) - started)) s (exit $status)"' EXIT

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

# clang-tidy over the library and the command line (.clang-tidy; every finding
# is an error) runs from here on in the background at the lowest priority: it
# takes the CPU the stages leave idle (single-threaded tails, links, waits)
# and hardly slows them; the last stage waits for what it has left.
tidy_started=0
run_clang_tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [ "${CADENCE_QUICK:-0}" != 1 ] && [ -n "$run_clang_tidy" ]; then
  tidy_started=$(date +%s)
  # A process group of its own (job control), to be stopped as one, but the
  # same session: a new session would be a scheduling group of its own, which
  # Linux gives an equal share of the CPU whatever its niceness.
  set -m
  nice -n 19 "$run_clang_tidy" -p "$build" -quiet -j "$(nproc)" "$(pwd)/compiler/.*\.cpp\$" > "$build/clang-tidy.log" 2>&1 &
  tidy_pid=$!
  set +m
  echo "clang-tidy: started in the background (log: $build/clang-tidy.log)"
fi

stage "tests"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$(nproc)"

if [ "${CADENCE_QUICK:-0}" = 1 ]; then exit 0; fi

# One build serves the sanitizers and the fuzz targets: clang with
# AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage,
# assertions on, optimised a little and with line tables only (enough for
# every report's stack trace, a third of the compile time of full debug info).
sanitized="$build-asan"
stage "build with AddressSanitizer and UndefinedBehaviorSanitizer (and the fuzz targets)"
CC=clang CXX=clang++ cmake -S . -B "$sanitized" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DCADENCE_SANITIZE=address,undefined -DCADENCE_FUZZ=ON \
  -DCADENCE_BUILD_TESTS=ON -DCADENCE_WERROR=OFF >/dev/null
cmake --build "$sanitized"

stage "the tests that run a binary, under AddressSanitizer and UndefinedBehaviorSanitizer"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$sanitized" --output-on-failure --no-tests=error -j "$(nproc)"

stage "fuzzing (bounded, two targets at a time)"
bash tests/fuzz/run.sh "${CADENCE_FUZZ_SECONDS:-45}" "$sanitized"

stage "the parallel tests under ThreadSanitizer"
bash tests/tsan/run.sh "$build-tsan"

stage "clang-tidy (.clang-tidy) over the library and the command line: what the background run has left"
if [ -n "$tidy_pid" ]; then
  tidy_status=0
  wait "$tidy_pid" || tidy_status=$?
  tidy_pid=""
  echo "clang-tidy: $(($(date +%s) - tidy_started)) s since it started in the background"
  if [ "$tidy_status" != 0 ]; then
    grep -E "error:|warning:" "$build/clang-tidy.log" | head -40
    echo "clang-tidy found problems (exit $tidy_status; log: $build/clang-tidy.log)"
    exit 1
  fi
  echo "clang-tidy: $(grep -c '^' "$build/clang-tidy.log") lines of log, no finding"
else
  echo "clang-tidy: not installed; skipped"
fi
