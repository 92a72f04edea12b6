#!/usr/bin/env python3
"""Opens a document whose URI has N path segments, hovers it and shuts the
server down; prints the time it took and the exit code. A path is walked
once, so the time grows with N, not N squared.

Usage: lsp_deep_uri.py CADENCE N
"""
import json, subprocess, sys, time
n = int(sys.argv[2])
def frame(m):
    b = json.dumps(m).encode(); return b"Content-Length: %d\r\n\r\n%s" % (len(b), b)
uri = "file:///tmp/" + "d/" * n + "a.cadence"
msgs = [{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}},
        {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"languageId":"cadence","version":1,"text":"import \"std/lead\"\n"}}},
        {"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":uri},"position":{"line":0,"character":1}}},
        {"jsonrpc":"2.0","id":3,"method":"shutdown"},{"jsonrpc":"2.0","method":"exit"}]
t=time.time()
p = subprocess.run([sys.argv[1], "lsp"], input=b"".join(frame(m) for m in msgs), capture_output=True)
print(n, "segments:", round(time.time()-t,2), "s, exit", p.returncode)
