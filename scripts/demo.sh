#!/usr/bin/env bash
# Sets up, builds, checks the examples and compiles one into a JSON plan,
# then says where the plan is and what to try next.
# Usage: scripts/demo.sh [--configure-only | --skip-build] [EXAMPLE]
#        (default example: examples/engagement_branching.cadence;
#        --skip-build: use the compiler already built, install nothing)
# Environment: CADENCE_BUILD_DIR (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
configure_only=0
skip_build=0
example="examples/engagement_branching.cadence"
for arg in "$@"; do
  case "$arg" in
    --configure-only) configure_only=1 ;;
    --skip-build) skip_build=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "demo.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) example="$arg" ;;
  esac
done
build="${CADENCE_BUILD_DIR:-build}"
if [ "$skip_build" = 0 ]; then
  bash scripts/setup.sh
  # The demo needs only the compiler; the test command configures the same
  # build directory with the same flags and the tests turned on.
  source scripts/configure.sh
  configure_main_build "$build" -DCADENCE_BUILD_TESTS=OFF
  if [ "$configure_only" = 1 ]; then exit 0; fi
  cmake --build "$build"
fi
cadence="$build/compiler/cadence"
[ -x "$cadence" ] || { echo "demo.sh: $cadence is not built (run without --skip-build)" >&2; exit 2; }

echo
echo "== cadence check examples"
set +e
"$cadence" check examples > "$build/demo-check.txt"
checked=$?
set -e
cat "$build/demo-check.txt"
[ "$checked" -le 1 ] || exit "$checked"

name="$(basename "$example" .cadence)"
plan="$build/demo/$name.plan.json"
mkdir -p "$build/demo"
"$cadence" build "$example" -o "$plan"

summary="$(tail -n 1 "$build/demo-check.txt")"
cat <<EOF

== Summary
Checked examples/: $summary
  (the examples' warnings and infos are there on purpose: docs/examples.md explains each one)
Built $example into $plan ($(wc -c < "$plan") bytes of JSON plan: docs/plan-format.md)

Put cadence on your PATH:
  export PATH="$(cd "$build/compiler" && pwd):\$PATH"
  (or install it: cmake --install $build --prefix ~/.local)

Next:
  cadence graph $example | dot -Tsvg > flow.svg
  cadence simulate $plan
  cadence export --target outreach examples/targets/outreach/demo_followup.cadence
  (a one-line sequence: Outreach has no branches; cadence check --target outreach says what it cannot carry)
The five-minute tutorial: docs/tutorial.md
EOF
