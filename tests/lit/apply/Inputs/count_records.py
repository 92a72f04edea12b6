#!/usr/bin/env python3
"""Counts the fake platform's records by type: records.py DIR/records.json"""
import collections
import json
import sys

counts = collections.Counter(record["type"] for record in json.load(open(sys.argv[1])))
print("records: " + ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())))
