#!/usr/bin/env bash
# The cost of a from-scratch build of the compiler, the command line and the
# tests, as the test command configures it: CPU seconds (user + system of
# every compiler and linker process) and wall time, in a fresh build folder.
#
# Usage: tests/bench/build_cost.sh [--old-flags] [SOURCE_DIR...]
#   SOURCE_DIR   a checkout to measure (default: this one); several are
#                measured one after the other, in the order given
#   --old-flags  configure every tree as the test command did before it had
#                scripts/configure.sh (RelWithDebInfo, -g, warnings as errors),
#                to tell the sources' share of a change from the flags' share
# A tree with scripts/configure.sh is configured by it (what README's demo and
# test commands build); an older tree as its test command did.
# Example: git worktree add /tmp/old <commit> && tests/bench/build_cost.sh /tmp/old .
set -euo pipefail
old_flags=0
trees=()
for arg in "$@"; do
  case "$arg" in
    --old-flags) old_flags=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build_cost.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) trees+=("$(cd "$arg" && pwd)") ;;
  esac
done
[ ${#trees[@]} -gt 0 ] || trees=("$(cd "$(dirname "$0")/../.." && pwd)")

for tree in "${trees[@]}"; do
  build=$(mktemp -d /tmp/cadence-build-cost.XXXXXX)
  (
    cd "$tree"
    if [ "$old_flags" = 0 ] && [ -f scripts/configure.sh ]; then
      source scripts/configure.sh
      configure_main_build "$build" -DCADENCE_BUILD_TESTS=ON
      flags="scripts/configure.sh"
    else
      cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCADENCE_BUILD_TESTS=ON -DCADENCE_WERROR=ON \
        -DCADENCE_SANITIZE= -DCADENCE_FUZZ=OFF >/dev/null
      flags="RelWithDebInfo (-O2 -g)"
    fi
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$build/time.txt" cmake --build "$build" >/dev/null
    end=$(date +%s.%N)
    read -r user system < "$build/time.txt"
    cpu=$(echo "$user + $system" | bc)
    wall=$(echo "$end - $start" | bc)
    commit=$(git -C "$tree" rev-parse --short HEAD 2>/dev/null || echo "?")
    dirty=$(git -C "$tree" status --porcelain 2>/dev/null | grep -qv '^??' && echo "+changes" || true)
    printf '%s (%s%s), %s: %.0f CPU s (user %.0f, system %.0f), %.0f s wall on %s cores, %s steps\n' \
      "$tree" "$commit" "$dirty" "$flags" "$cpu" "$user" "$system" "$wall" "$(nproc)" \
      "$(($(wc -l < "$build/.ninja_log") - 1))"
  )
  rm -rf "$build"
done
