#!/usr/bin/env python3
"""Hostile but well-framed messages to `cadence lsp`: deep nesting in params
and id, a 30,000-character new name, completion after a 30,000-character
identifier, and 3,000 incremental edits to a 5 MB document. Prints what was
answered, how long the last answer took, and the exit code.

Usage: lsp_hostile.py CADENCE
"""
import json
import os
import sys
import time

from lsp_client import Client

responses = {}
arrived = {}
rejected = []


def on_message(message):
    if "id" in message and message["id"] is None and "error" in message:
        rejected.append(message["error"]["message"])
    elif "id" in message:
        key = json.dumps(message["id"])
        responses[key] = message
        arrived[key] = time.monotonic()


client = Client(sys.argv[1], "--debounce", "20", on_message=on_message)


def send_raw(body):
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def send(message):
    client.send(message)


def wait_for(key, seconds=60):
    deadline = time.monotonic() + seconds
    while key not in responses and time.monotonic() < deadline:
        time.sleep(0.01)
    return responses.get(key)


def describe(response):
    if response is None:
        return "no answer"
    if "error" in response:
        return "error " + response["error"]["message"][:70]
    return "answered"


send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
wait_for("1")
uri = "file:///tmp/hostile.cadence"
text = 'import "std/lead"\ntemplate t for lead { subject "s" body "b" }\nsequence s {\n  target lead\n  email e { template t }\n}\n'
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "cadence", "version": 1, "text": text}}})

# 100,000 nested arrays in params, and in the id.
depth = 100000
send_raw(b'{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":' + b"[" * depth + b"]" * depth + b"}")
send_raw(b'{"jsonrpc":"2.0","id":' + b"[" * depth + b"]" * depth + b',"method":"shutdown"}')
send({"jsonrpc": "2.0", "id": 3, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})
print("after deep params:", describe(wait_for("3")))
print("rejected:", "; ".join(rejected))

# A 30,000-character new name.
send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/rename",
      "params": {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 9}, "newName": "x" * 30000}})
print("long new name:", describe(wait_for("4")))

# Completion after a 30,000-character identifier.
long_line = "  " + "y" * 30000
send({"jsonrpc": "2.0", "method": "textDocument/didChange",
      "params": {"textDocument": {"uri": uri, "version": 2},
                 "contentChanges": [{"range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 0}},
                                     "text": long_line + "\n"}]}})
send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/completion",
      "params": {"textDocument": {"uri": uri}, "position": {"line": 5, "character": len(long_line)}}})
print("completion after a long identifier:", describe(wait_for("5")))

# 3,000 edits to a 5 MB document, then a request. Under the sanitizers, whose
# builds run tens of times slower (CADENCE_TIMEOUT_SCALE), the document is a
# tenth of that: the same edits take the same paths, and the plain build
# keeps the size that shows the cost does not grow with the document.
steps = 130000 if os.environ.get("CADENCE_TIMEOUT_SCALE", "1") == "1" else 13000
big = "".join('  email e%d { template t }\n  wait 1d\n' % i for i in range(steps))
big_text = 'import "std/lead"\ntemplate t for lead { subject "s" body "b" }\nsequence big {\n  target lead\n' + big + "}\n"
big_uri = "file:///tmp/hostile-big.cadence"
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": big_uri, "languageId": "cadence", "version": 1, "text": big_text}}})
edits_start = time.monotonic()
for i in range(3000):
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": big_uri, "version": 2 + i},
                     "contentChanges": [{"range": {"start": {"line": steps // 2, "character": 2 + i},
                                                   "end": {"line": steps // 2, "character": 2 + i}}, "text": "x"}]}})
start = time.monotonic()
send({"jsonrpc": "2.0", "id": 6, "method": "textDocument/hover",
      "params": {"textDocument": {"uri": "file:///tmp/none.cadence"}, "position": {"line": 0, "character": 0}}})
print("request after 3,000 edits to a %.1f MB document:" % (len(big_text) / 1e6), describe(wait_for("6", 120)))
sys.stderr.write("3,000 edits and a request answered in %.2f s (%.2f s after the last edit was sent)\n"
                 % (arrived.get("6", time.monotonic()) - edits_start, arrived.get("6", time.monotonic()) - start))

send({"jsonrpc": "2.0", "id": 7, "method": "shutdown"})
wait_for("7")
send({"jsonrpc": "2.0", "method": "exit"})
print("exit:", client.close(timeout=60))
