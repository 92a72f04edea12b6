#!/usr/bin/env python3
"""Compares the step names of a build sheet with the steps `cadence report
--format json` lists for the sequence: sheet_names.py SHEET REPORT.json"""
import json
import re
import sys

sheet = open(sys.argv[1], encoding="utf-8").read()
name = re.search(r"^# Build sheet: sequence `([^`]+)`", sheet, re.M).group(1)
names = re.findall(r"^\| \d+ \| `([^`]+)` \|", sheet, re.M)
report = next(s for s in json.load(open(sys.argv[2]))["sequences"] if s["name"] == name)
if names != report["steps"]:
    sys.exit(f"{name}: the sheet names {names}, the report {report['steps']}")
print(f"{name}: {len(names)} step names, the same as the report's")
