#!/usr/bin/env bash
# The one configuration of the main build, shared by the demo and the test
# command so that the tests, run after the demo, compile only what they add.
# Sourced by scripts/demo.sh and scripts/test.sh:
#   configure_main_build BUILD_DIR [MORE_CMAKE_ARGS...]
# Optimised, with debug information of lines and functions (-g1): backtraces,
# profiles and sanitizer reports name every frame, at two thirds of the
# compile time of full debug information. For variables in a debugger,
# configure a Debug build.
configure_main_build() {
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCADENCE_WERROR=ON -DCADENCE_SANITIZE= -DCADENCE_FUZZ=OFF "${@:2}" >/dev/null
}
