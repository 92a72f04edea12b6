#!/usr/bin/env python3
"""Reads lsp_session.py's output and prints, for each completion answer, one
line `completion ID: LABEL LABEL ...` in the server's order, so that a test
can check a whole list at once."""
import json
import sys

for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    message = json.loads(line)
    result = message.get("result")
    if "id" not in message or not isinstance(result, (dict, list)):
        continue
    items = result.get("items") if isinstance(result, dict) else result
    if not isinstance(items, list) or not all(isinstance(i, dict) and "label" in i for i in items):
        continue
    print(f"completion {message['id']}: " + " ".join(item["label"] for item in items))
