#!/usr/bin/env python3
"""Sends `cadence lsp` one malformed frame of each kind, each followed by ten
good requests, and prints how many of those were answered; then announces a
gigabyte message and prints how the server ended.

Usage: lsp_framing.py CADENCE
"""
import json
import sys
import time

from lsp_client import Client

answered = set()
logs = []


def on_message(message):
    if message.get("id") is not None:
        answered.add(message["id"])
    if message.get("method") == "window/logMessage":
        logs.append(message["params"]["message"])


client = Client(sys.argv[1], on_message=on_message)


def body(request_id):
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/documentSymbol",
                       "params": {"textDocument": {"uri": "file:///nowhere.cadence"}}}).encode()


def frame(data, header=None):
    return (header if header is not None else b"Content-Length: %d\r\n\r\n" % len(data)) + data


def send(data):
    client.send_raw(data)


init = json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}).encode()
send(frame(init))
cases = {
    "trailing space": lambda d: b"Content-Length: %d \r\n\r\n" % len(d) + d,
    "trailing tab": lambda d: b"Content-Length: %d\t\r\n\r\n" % len(d) + d,
    "plus sign": lambda d: b"Content-Length: +%d\r\n\r\n" % len(d) + d,
    "minus one": lambda d: b"Content-Length: -1\r\n\r\n" + d,
    "too small": lambda d: b"Content-Length: 5\r\n\r\n" + d,
    "too big": lambda d: b"Content-Length: %d\r\n\r\n" % (len(d) + 30) + d,
    "missing": lambda d: b"Content-Type: application/json\r\n\r\n" + d,
    "lower case": lambda d: b"content-length:%d\r\n\r\n" % len(d) + d,
}
next_id = 1000
for name, bad in cases.items():
    bad_id = next_id
    next_id += 1
    good = list(range(next_id, next_id + 10))
    next_id += 10
    send(bad(body(bad_id)) + b"".join(frame(body(i)) for i in good))
    time.sleep(0.4)
    print(f"{name}: bad frame {'answered' if bad_id in answered else 'skipped'}, "
          f"{sum(1 for i in good if i in answered)} of 10 after it answered")

# A length no client sends closes the connection.
send(b"Content-Length: 2000000000\r\n\r\n{")
code = client.server.wait(timeout=30)
time.sleep(0.2)
print(f"absurd length: exit {code}; {logs[-1] if logs else 'no message'}")
