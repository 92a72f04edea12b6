#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UndefinedBehavior-
# Sanitizer) and runs each for a bounded time from a seed corpus made of the
# examples, the test inputs and the plans built from them, two targets at a
# time. Prints each target's executions; fails on any crash, leak, timeout
# or sanitizer report.
#
# Targets: fuzz_parser (bytes as a .cadence file), fuzz_pipeline (the whole
# pipeline, every output, CRLF and streamed-plan invariants), fuzz_lsp (a
# byte stream of LSP traffic through run_server: framing, the batch's
# pre-scan, every handler), fuzz_plan (plans and platforms' reads, mutated as
# JSON: the plan check, simulate, diff, export, the export folder writer,
# Dynamics 365's apply requests and build sheet, the import, whose source
# must parse, and the bytes as a connections file),
# fuzz_workspace (several files with imports and links, one job against
# three), fuzz_escape (user text in every XML output, parsed back by
# libxml2 and drawn by Graphviz).
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [BUILD_DIR]   (default: build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
build="${2:-build-fuzz}"
targets=(fuzz_parser fuzz_pipeline fuzz_lsp fuzz_plan fuzz_workspace fuzz_escape)
# A build already configured for fuzzing (the test command's sanitizer build)
# is used as it is; any other folder is configured for the fuzz targets only.
if ! grep -qs '^CADENCE_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCADENCE_FUZZ=ON -DCADENCE_SANITIZE=address,undefined -DCADENCE_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target cadence "${targets[@]}"

corpus="$build/fuzz-corpus"
mkdir -p "$corpus/cadence" "$corpus/lsp" "$corpus/plan" "$corpus/workspace" "$corpus/escape"
find examples tests/lit tests/unit -name '*.cadence' -exec cp {} "$corpus/cadence/" \; 2>/dev/null || true
cp tests/fuzz/seeds/lsp/* "$corpus/lsp/"
cp tests/fuzz/seeds/plan/* "$corpus/plan/"
find tests/lit/import/Inputs/outreach tests/lit/import/Inputs/salesloft tests/lit/import/Inputs/hubspot -name '*.json' | while read -r read; do
  cp "$read" "$corpus/plan/read-$(basename "$(dirname "$read")")-$(basename "$read")"
done
cp examples/targets/dynamics/connections.csv "$corpus/plan/"
cp tests/fuzz/seeds/escape/* "$corpus/escape/"
for example in examples/*.cadence tests/lit/export/Inputs/*.cadence; do
  "$build/compiler/cadence" build "$example" -o "$corpus/plan/$(basename "$example" .cadence).json" 2>/dev/null || true
done
# Workspace seeds: example files joined as parts, one with a link out of the project.
python3 - "$corpus/workspace" <<'PY'
import pathlib, sys
out = pathlib.Path(sys.argv[1])
files = sorted(pathlib.Path("examples").glob("*.cadence"))
texts = [f.read_text() for f in files]
out.joinpath("examples").write_text("\n===\n".join(texts))
out.joinpath("imports").write_text('import "./f1.cadence"\nentity a {\n  x: string\n}\n\n===\nimport "./f0.cadence"\n'
                                   'import "./f2.cadence"\n\n===\nLINK f2.cadence ../outside/secret.cadence\n')
PY

# Graphviz keeps some allocations for the life of the process.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp:print_suppressions=0"

run_target() {
  local target="$1" dir="$corpus/cadence" dict=tests/fuzz/cadence.dict max_len=65536
  case "$target" in
    fuzz_lsp) dir="$corpus/lsp"; dict=tests/fuzz/lsp.dict; max_len=1048576 ;;
    fuzz_plan) dir="$corpus/plan"; dict=tests/fuzz/plan.dict; max_len=262144 ;;
    fuzz_workspace) dir="$corpus/workspace"; max_len=262144 ;;
    fuzz_escape) dir="$corpus/escape"; dict=tests/fuzz/escape.dict; max_len=4096 ;;
  esac
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len="$max_len" \
    -dict="$dict" -print_final_stats=1 -artifact_prefix="$build/$target-" "$dir" >"$build/$target.log" 2>&1
}

status=0
passed=0
report() {
  local target="$1" code="$2" log="$build/$1.log"
  if [ "$code" = 0 ]; then
    local runs
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    echo "$target: $runs executions in ${seconds}s, no finding"
    passed=$((passed + 1))
  else
    echo "$target: FAILED (see $log)"
    tail -40 "$log"
    status=1
  fi
}
# Two at a time: one per core.
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  first="${targets[i]}"
  second="${targets[i + 1]:-}"
  run_target "$first" & first_pid=$!
  if [ -n "$second" ]; then run_target "$second" & second_pid=$!; fi
  code=0; wait "$first_pid" || code=$?; report "$first" "$code"
  if [ -n "$second" ]; then code=0; wait "$second_pid" || code=$?; report "$second" "$code"; fi
done
if [ $status = 0 ]; then echo "$passed passed, 0 failed"; else echo "fuzzing found a problem"; fi
exit $status
