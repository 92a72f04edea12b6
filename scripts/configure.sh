#!/usr/bin/env bash
# The one configuration of the main build, shared by the demo and the test
# command so that the tests, run after the demo, compile only what they add.
# Sourced by scripts/demo.sh and scripts/test.sh:
#   configure_main_build BUILD_DIR [MORE_CMAKE_ARGS...]
# Optimised, with debug information of lines and functions (-g1): backtraces,
# profiles and sanitizer reports name every frame, at two thirds of the
# compile time of full debug information. For variables in a debugger,
# configure a Debug build.
# The compiler is clang when it is installed (scripts/setup.sh installs it)
# and CXX does not name another: with precompiled headers it builds the
# compiler, the command line and the tests in about half the CPU time of GCC
# (docs/performance.md). GCC builds Cadence as well: `CADENCE_GCC=1
# scripts/test.sh` adds a GCC build with warnings as errors.
configure_main_build() {
  local compiler=()
  if [ -z "${CXX:-}" ] && command -v clang++ >/dev/null 2>&1; then compiler=(-DCMAKE_CXX_COMPILER=clang++); fi
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCADENCE_WERROR=ON -DCADENCE_SANITIZE= -DCADENCE_FUZZ=OFF "${compiler[@]}" "${@:2}" >/dev/null
}
