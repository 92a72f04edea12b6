#!/usr/bin/env python3
"""Builds every examples/*.cadence into OUT_DIR/NAME.json; fails if any fails."""
import pathlib
import subprocess
import sys

cadence, examples, out = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
sources = sorted(examples.glob("*.cadence")) + sorted(examples.glob("before/*.cadence"))
if not sources:
    sys.exit(f"no examples in {examples}")
for source in sources:
    subprocess.run([cadence, "build", str(source), "-o", str(out / (source.stem + ".json"))], check=True)
print(f"built {len(sources)} examples")
