#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UndefinedBehavior-
# Sanitizer) and runs each for a bounded time from a seed corpus made of the
# examples and the test inputs. Prints each target's executions; fails on any
# crash, leak, timeout or sanitizer report.
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
build="${2:-build-fuzz}"
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCADENCE_FUZZ=ON -DCADENCE_SANITIZE=address,undefined -DCADENCE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_parser fuzz_pipeline fuzz_lsp

corpus="$build/fuzz-corpus"
mkdir -p "$corpus/cadence" "$corpus/lsp"
find examples tests/lit tests/unit -name '*.cadence' -exec cp {} "$corpus/cadence/" \; 2>/dev/null || true
cp tests/fuzz/seeds/lsp/* "$corpus/lsp/"

status=0
for target in fuzz_parser fuzz_pipeline fuzz_lsp; do
  dir="$corpus/cadence"
  dict=tests/fuzz/cadence.dict
  if [ "$target" = fuzz_lsp ]; then dir="$corpus/lsp"; dict=tests/fuzz/lsp.dict; fi
  log="$build/$target.log"
  if "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
       -dict="$dict" -print_final_stats=1 -artifact_prefix="$build/$target-" "$dir" >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    echo "$target: $runs executions in ${seconds}s, no finding"
  else
    echo "$target: FAILED (see $log)"
    tail -40 "$log"
    status=1
  fi
done
if [ $status = 0 ]; then echo "3 passed, 0 failed"; else echo "fuzzing found a problem"; fi
exit $status
