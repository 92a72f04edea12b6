#!/usr/bin/env bash
# Prints one line per output a user sees for every example: the SHA-256 of
# `cadence check --format json`, the plan, the flow graph, a simulation of
# the plan, each target's export, the report and Dynamics 365's build sheet.
# Run it before and after a change that must not change behaviour, and diff
# the two listings:
#   scripts/output_digests.sh build/compiler/cadence > /tmp/before.txt
#   ... change, rebuild ...
#   scripts/output_digests.sh build/compiler/cadence | diff /tmp/before.txt -
# Exit status: 0 listed (a command that fails is listed with its status).
set -uo pipefail
cadence="$(realpath "${1:-build/compiler/cadence}")"
cd "$(dirname "$0")/.."
# A fixed folder: outputs that name the plan's path are the same every run.
work="${TMPDIR:-/tmp}/cadence-output-digests"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

digest() {  # digest LABEL COMMAND...: the output's hash and the exit status
  local label="$1"
  shift
  local status=0
  "$@" >"$work/out" 2>&1 || status=$?
  printf '%s %s exit=%s\n' "$(sha256sum <"$work/out" | cut -c1-16)" "$label" "$status"
}

for file in examples/*.cadence examples/targets/*/*.cadence; do
  digest "$file check" "$cadence" check --format json "$file"
  digest "$file build" "$cadence" build "$file" -o "$work/plan.json"
  [ -s "$work/plan.json" ] || continue
  digest "$file plan" cat "$work/plan.json"
  digest "$file graph" "$cadence" graph "$file"
  digest "$file simulate" "$cadence" simulate --days 30 --seed 7 "$work/plan.json"
  digest "$file simulate --worst-case" "$cadence" simulate --days 30 --worst-case "$work/plan.json"
  for target in $("$cadence" export --help | sed -n 's/.*--target TARGET:{\(.*\)}.*/\1/p' | tr ',' ' '); do
    digest "$file export $target" "$cadence" export --target "$target" --format json "$work/plan.json"
  done
  digest "$file report" "$cadence" report --format json "$file"
  digest "$file build sheet" "$cadence" plan --target dynamics --state "$work/state.json" \
    --build-sheets "$work/sheets" "$file"
  cat "$work"/sheets/*.md 2>/dev/null | sha256sum | cut -c1-16 | sed "s|\$| $file build sheets|"
  rm -rf "$work/sheets" "$work/plan.json"
done
