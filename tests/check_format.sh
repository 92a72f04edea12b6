#!/usr/bin/env bash
# Fails when a C++ file of the project is not laid out as .clang-format says.
# Usage: tests/check_format.sh CLANG_FORMAT SOURCE_DIR
set -euo pipefail
clang_format="$1"
cd "$2"
files=$(find compiler grammar playground tests -path tests/tools -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
count=$(echo "$files" | wc -l)
if ! echo "$files" | xargs "$clang_format" --style=file --dry-run --Werror 2>/tmp/cadence-format.$$; then
  head -40 /tmp/cadence-format.$$
  rm -f /tmp/cadence-format.$$
  echo "not formatted: run clang-format -i on the files above"
  exit 1
fi
rm -f /tmp/cadence-format.$$
echo "$count files formatted as .clang-format says"
