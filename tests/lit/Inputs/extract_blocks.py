#!/usr/bin/env python3
"""Writes every ```cadence block of the given Markdown files to OUT_DIR.

Usage: extract_blocks.py OUT_DIR FILE.md...   Prints how many it wrote.
"""
import pathlib
import re
import sys

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
count = 0
for name in sys.argv[2:]:
    path = pathlib.Path(name)
    for index, block in enumerate(re.findall(r"```cadence\n(.*?)```", path.read_text(), re.S)):
        (out / f"{path.stem}-{index + 1}.cadence").write_text(block)
        count += 1
print(f"extracted {count} blocks")
