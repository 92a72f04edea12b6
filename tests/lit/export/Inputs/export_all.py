#!/usr/bin/env python3
"""Exports every .cadence file of the given directories to every target into
OUT/<target>/<file>.json. A file a target cannot take must be refused with
target-unsupported errors (exit 1, nothing written); anything else fails.

Usage: export_all.py CADENCE OUT DIR...
Prints, per target, how many files were exported and how many refused.
"""
import pathlib
import subprocess
import sys

cadence, out, dirs = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
files = sorted(p for d in dirs for p in pathlib.Path(d).glob("*.cadence"))
for target in ("hubspot", "outreach", "salesloft"):
    (out / target).mkdir(parents=True, exist_ok=True)
    exported = refused = 0
    for file in files:
        destination = out / target / (file.stem + ".json")
        run = subprocess.run([cadence, "export", "--target", target, file.name, "-o", str(destination)],
                             cwd=file.parent, capture_output=True, text=True)
        if run.returncode == 0 and destination.exists():
            exported += 1
        elif run.returncode == 1 and "[target-unsupported]" in run.stderr and not destination.exists():
            refused += 1
        else:
            sys.exit(f"{target} {file}: exit {run.returncode}\n{run.stderr}")
    print(f"{target}: {exported} exported, {refused} refused")
