#!/usr/bin/env python3
"""Recomputes each sequence's content_hash in plans, independently of the
compiler (docs/plan-format.md gives the rule: `location`, `pin` and
`reports` members are left out), and prints one line per
sequence: `NAME id=ID hash=HASH ok` (or `MISMATCH`)."""
import hashlib
import json
import sys


def strip(value):
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in ("location", "pin", "reports")}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    for sequence in plan["sequences"]:
        body = {k: v for k, v in sequence.items() if k != "content_hash"}
        text = json.dumps(strip(body), separators=(",", ":"), ensure_ascii=False)
        expected = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        verdict = "ok" if sequence.get("content_hash") == expected else "MISMATCH"
        print(f"{sequence['name']} id={sequence['id']} hash={sequence['content_hash']} {verdict}")
