#!/usr/bin/env python3
"""Writes docs/rules/: one page per diagnostic kind and an index, all from the
`cadence` binary's own table (so docs, `cadence explain` and SARIF agree).

Usage: generate_rule_docs.py CADENCE_BINARY OUT_DIR
"""
import json
import pathlib
import subprocess
import sys

cadence, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
rules = json.loads(subprocess.run([cadence, "rules", "--format", "json"], check=True, capture_output=True, text=True).stdout)
index = ["# Diagnostics", "", "Every diagnostic Cadence reports, generated from its table "
         "(`scripts/generate_rule_docs.py`; `cadence explain NAME` prints the same text).", "",
         "| code | name | kind | default severity | summary |", "| --- | --- | --- | --- | --- |"]
for rule in rules:
    page = subprocess.run([cadence, "explain", "--format", "markdown", rule["name"]], check=True,
                          capture_output=True, text=True).stdout
    (out / f"{rule['name']}.md").write_text(page)
    index.append(f"| {rule['code']} | [{rule['name']}]({rule['name']}.md) | {rule['kind']} | "
                 f"{rule['default_severity']} | {rule['summary'].replace('|', '/')} |")
(out / "README.md").write_text("\n".join(index) + "\n")
print(f"wrote {len(rules)} rule pages to {out}")
