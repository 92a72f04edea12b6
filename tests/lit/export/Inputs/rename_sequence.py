"""Exports copies of a plan whose sequence name is a path or a special name,
each to OUT/, and prints what cadence said and its exit status.

Usage: rename_sequence.py CADENCE PLAN WORK OUT
"""
import json
import pathlib
import subprocess
import sys

cadence, plan_path, work, out = sys.argv[1:5]
plan = json.load(open(plan_path))
work = pathlib.Path(work)
work.mkdir(parents=True, exist_ok=True)
victim = str(work.parent / "victim")
for index, name in enumerate(["../victim", "x/../../victim", victim, "..", ".", ""]):
    plan["sequences"][0]["name"] = name
    plan["sequences"][0]["id"] = "s"
    path = work / f"{index}.json"
    path.write_text(json.dumps(plan))
    run = subprocess.run([cadence, "export", "--target", "hubspot", str(path), "-o", out + "/"],
                         capture_output=True, text=True)
    print(run.stderr.strip())
    print(f"exit: {run.returncode}")
