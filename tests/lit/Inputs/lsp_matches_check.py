#!/usr/bin/env python3
"""Asserts that `cadence lsp` publishes exactly the diagnostics that
`cadence check --format json FILE` reports, for each FILE given."""
import json
import pathlib
import subprocess
import sys

cadence, files = sys.argv[1], sys.argv[2:]


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def read_messages(data):
    messages = []
    while data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = int(header.split(b":")[1])
        messages.append(json.loads(rest[:length]))
        data = rest[length:]
    return messages


failures = 0
for name in files:
    path = pathlib.Path(name).resolve()
    check = json.loads(subprocess.run([cadence, "check", "--format", "json", str(path)],
                                      capture_output=True, text=True).stdout)
    expected = check["files"][0]["diagnostics"]
    session = b"".join(frame(m) for m in [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": path.as_uri(), "languageId": "cadence", "version": 1, "text": path.read_text()}}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ])
    # Publish happens when input goes quiet; feed the exit a moment later.
    server = subprocess.Popen([cadence, "lsp", "--debounce", "0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    head, _, tail = session.partition(b'{"jsonrpc": "2.0", "id": 2')
    server.stdin.write(head)
    server.stdin.flush()
    import time
    time.sleep(0.5)
    server.stdin.write(b'{"jsonrpc": "2.0", "id": 2' + tail)
    output, _ = server.communicate(timeout=30)
    published = [m for m in read_messages(output) if m.get("method") == "textDocument/publishDiagnostics"]
    got = published[-1]["params"]["diagnostics"] if published else None
    for diagnostic in got or []:
        diagnostic.pop("codeDescription", None)
    if got != expected:
        failures += 1
        print(f"MISMATCH {name}: check has {len(expected)} diagnostics, lsp published {None if got is None else len(got)}")
    else:
        print(f"same {len(expected)} diagnostics: {path.name}")
print(f"{len(files) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
