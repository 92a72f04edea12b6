#!/usr/bin/env python3
"""Summarises a `cadence simulate --format json` run: does the backlog grow?"""
import json
import sys

days = json.load(open(sys.argv[1]))["days"]
queued = [d["queued"] for d in days]
if max(queued) == 0:
    print("no backlog: 0 queued on every day")
    sys.exit(0)
working = [d for d in days if d["working"]]
half = len(working) // 2
first, second = working[:half], working[half:]
if sum(d["queued"] for d in second) > sum(d["queued"] for d in first) and queued[-1] > 0:
    print(f"backlog grows: {queued[-1]} queued on day {days[-1]['day']}, drift {working[-1]['drift_days']} days")
else:
    print(f"backlog does not grow: {queued[-1]} queued at the end")
