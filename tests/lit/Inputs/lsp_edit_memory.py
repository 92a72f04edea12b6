#!/usr/bin/env python3
"""Edits one open document many times (a character typed, then deleted) and
reports how much the language server's resident memory grew between the
first EARLY edits and the last: memory must not grow with the number of
edits of a document that stays the same size.

Usage: lsp_edit_memory.py CADENCE EARLY TOTAL
Prints `growth: small` when the server grew by less than 4 MiB, else the
figures.
"""
import os
import sys

from lsp_client import Client, frame

cadence, early, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
env = dict(os.environ)
# Under AddressSanitizer freed memory waits in a quarantine: turn it off, so
# that what is measured is what the server keeps.
env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0").lstrip(":")
client = Client(cadence, "--debounce", "10000", env=env)
server = client.server


def send(message):
    client.send_raw(frame(message), flush=False)


def wait(request_id):
    send({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    server.stdin.flush()
    client.wait_for_id(request_id, seconds=600)


def resident():
    for line in open(f"/proc/{server.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


uri = "file:///tmp/cadence-edit-memory/a.cadence"
text = 'import "std/lead"\ntemplate t for lead { subject "s" body "b" }\nsequence s {\n  target lead\n  on replied exit\n}\n'
send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "cadence", "version": 1, "text": text}}})
version = 1


def edit(count):
    global version
    for i in range(count):
        version += 1
        start = {"line": 4, "character": 2}
        change = ({"range": {"start": start, "end": start}, "text": "x"} if i % 2 == 0 else
                  {"range": {"start": start, "end": {"line": 4, "character": 3}}, "text": ""})
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})


edit(early)
wait(1)
before = resident()
edit(total - early)
wait(2)
after = resident()
send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
send({"jsonrpc": "2.0", "method": "exit"})
client.close()
growth = after - before
print("growth: small" if growth < 4096 else f"growth: {growth} KiB after {early} edits at {before} KiB")
