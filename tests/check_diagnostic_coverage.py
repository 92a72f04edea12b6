#!/usr/bin/env python3
"""Fails when a diagnostic kind declared in diagnostics.def has no lit test.

A kind counts as covered when some lit test checks for its rendered name,
`[name]`, in a CHECK line, so every kind's message, position and name is
pinned by at least one test.
"""
import pathlib
import re
import sys


def main() -> int:
    table, lit_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    names = re.findall(r'CADENCE_(?:DIAGNOSTIC|LINT)\(\s*\w+,\s*"([a-z-]+)"', table.read_text())
    if not names:
        print(f"no diagnostic kinds found in {table}")
        return 1
    checked = set()
    for test in lit_dir.rglob("*"):
        if test.suffix not in (".cadence", ".test") or "Inputs" in test.parts:
            continue
        for line in test.read_text(errors="replace").splitlines():
            if "CHECK" in line:
                checked.update(re.findall(r"\[([a-z-]+)\]", line))
    missing = [name for name in names if name not in checked]
    for name in missing:
        print(f"diagnostic kind '{name}' has no lit test: add one under tests/lit/ that CHECKs '[{name}]'")
    print(f"{len(names) - len(missing)} of {len(names)} diagnostic kinds have lit tests")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
