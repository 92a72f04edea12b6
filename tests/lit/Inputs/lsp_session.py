#!/usr/bin/env python3
"""Plays a recorded LSP session against `cadence lsp` and prints what it says.

Usage: lsp_session.py CADENCE TRANSCRIPT [DOC_DIR]

The transcript holds groups of client messages separated by lines `---`;
each group is sent, then the runner waits briefly for the server to settle.
A line is a JSON message (framed with Content-Length by the runner), or
`RAW <python string literal>` for raw bytes (to test malformed input).
`SHELL <command>` runs a shell command at that point (e.g. to change a file
on disk mid-session). `@DIR@` is replaced by DOC_DIR (default: a scratch
directory) everywhere.
Other lines (comments, lit's RUN and CHECK lines) are ignored.

Every server message is printed as one line of compact JSON with sorted keys,
then `exit: N` with the server's exit code.
"""
import ast
import json
import os
import subprocess
import sys
import tempfile
import time

from lsp_client import Client, frame

cadence, transcript = sys.argv[1], sys.argv[2]
doc_dir = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="cadence-lsp-")

groups, current = [], []
for line in open(transcript, encoding="utf-8").read().splitlines():
    stripped = line.strip()
    if stripped == "---":
        groups.append(current)
        current = []
    elif stripped.startswith(("{", "[", "RAW ", "SHELL ")):
        current.append(stripped.replace("@DIR@", doc_dir))
groups.append(current)

client = Client(cadence, "--debounce", "20")
for group in groups:
    # A group is written at once, so that the server finds it buffered
    # together (a cancellation reaches the request before it).
    pending = b""
    for line in group:
        if line.startswith("SHELL "):
            client.send_raw(pending)
            pending = b""
            subprocess.run(line[6:], shell=True, check=True)
            continue
        if line.startswith("RAW "):
            data = ast.literal_eval(line[4:])
            pending += data.encode() if isinstance(data, str) else data
        else:
            pending += frame(json.loads(line))
    client.send_raw(pending)
    time.sleep(0.3)
code = client.close()
for message in client.messages:
    print(json.dumps(message, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
print(f"exit: {code}")
