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
import threading
import time

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

server = subprocess.Popen([cadence, "lsp", "--debounce", "20"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
messages = []


def reader():
    stream = server.stdout
    while True:
        headers = b""
        while not headers.endswith(b"\r\n\r\n"):
            byte = stream.read(1)
            if not byte:
                return
            headers += byte
        length = 0
        for header in headers.decode().split("\r\n"):
            if header.lower().startswith("content-length:"):
                length = int(header.split(":", 1)[1])
        messages.append(json.loads(stream.read(length)))


thread = threading.Thread(target=reader, daemon=True)
thread.start()
for group in groups:
    for line in group:
        if line.startswith("SHELL "):
            server.stdin.flush()
            subprocess.run(line[6:], shell=True, check=True)
            continue
        if line.startswith("RAW "):
            data = ast.literal_eval(line[4:])
            server.stdin.write(data.encode() if isinstance(data, str) else data)
        else:
            body = json.dumps(json.loads(line)).encode()
            server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    server.stdin.flush()
    time.sleep(0.3)
try:
    server.stdin.close()
except BrokenPipeError:
    pass
code = server.wait(timeout=30)
thread.join(timeout=5)
for message in messages:
    print(json.dumps(message, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
print(f"exit: {code}")
