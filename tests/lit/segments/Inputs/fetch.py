#!/usr/bin/env python3
"""Prints the FetchXML `cadence build` writes for one segment.

Usage: fetch.py CADENCE WORKDIR ENTITY 'WHERE' [PRELUDE]
WHERE may be @FILE to read the filter from FILE.
Writes a file with the segment (and a sequence that uses it, after PRELUDE's
text if given), builds it, and prints the query; on a compile error prints
the diagnostics and exits 1.
"""
import json
import pathlib
import subprocess
import sys

cadence, work, entity, where = sys.argv[1:5]
if where.startswith("@"):
    where = pathlib.Path(where[1:]).read_text().strip()
prelude = pathlib.Path(sys.argv[5]).read_text() if len(sys.argv) > 5 else ""
work = pathlib.Path(work)
work.mkdir(parents=True, exist_ok=True)
source = work / "segment.cadence"
source.write_text(f'import "std/{entity}"\n{prelude}\nsegment s on {entity} {{ where {where} }}\n'
                  f'template t for {entity} {{ subject "hi" body "hello" }}\n'
                  f'sequence q {{ target {entity} segment s\n  email e {{ template t }} }}\n')
plan = work / "plan.json"
done = subprocess.run([cadence, "build", str(source), "-o", str(plan)], capture_output=True, text=True)
if done.returncode != 0:
    sys.stdout.write(done.stderr)
    sys.exit(1)
sys.stdout.write(json.loads(plan.read_text())["sequences"][0]["segment"]["fetchxml"])
