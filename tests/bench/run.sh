#!/usr/bin/env bash
# Builds (optimised) and runs the benchmarks; prints their figures.
# Usage: tests/bench/run.sh [BUILD_DIR]    (default: build-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build-bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target lint_paths_bench json_baseline peak_rss cadence
echo "== cadence check on a generated corpus, beside nlohmann_json parsing its plans"
python3 tests/bench/throughput.py "$build/compiler/cadence" "$build/tests/json_baseline" "$build/tests/peak_rss"
echo "== cadence export and check --target on straight lines of N touches"
python3 tests/bench/export_bench.py "$build/compiler/cadence" "$build/tests/peak_rss"
echo "== lints over N branches in a row (2^N paths)"
"$build/tests/lint_paths_bench"
echo "== didChange to publishDiagnostics on a 5,000-line file, then in a 200-file project"
node tests/bench/lsp_latency.js "$build/compiler/cadence" tests/tools/node_modules 300 200
echo "== costs that once grew quadratically, at N and 2N"
python3 tests/bench/costs.py "$build/compiler/cadence"
