#!/usr/bin/env python3
"""Starts scripts/serve_playground.py on a scratch site and tries what a
hostile page or client would: listings, a link out of the site, paths with
"..", a foreign Host (DNS rebinding), other methods, and half-sent requests
that would hold the server. Prints one line per probe.

Usage: playground_server_probe.py SERVE_SCRIPT WORK_DIR
"""
import os
import shutil
import socket
import subprocess
import sys
import time

script, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
site = os.path.join(work, "site")
os.makedirs(os.path.join(site, "web"))
with open(os.path.join(site, "index.html"), "w") as f:
    f.write("<!doctype html><title>playground</title>\n")
with open(os.path.join(site, "main.js"), "w") as f:
    f.write("console.log(1);\n")
with open(os.path.join(site, "web", "inner.js"), "w") as f:
    f.write("1;\n")
with open(os.path.join(work, "secret.txt"), "w") as f:
    f.write("secret\n")
os.symlink(os.path.join(work, "secret.txt"), os.path.join(site, "leak.txt"))

server = subprocess.Popen([sys.executable, script, site, "--port", "0", "--timeout", "1", "--max-connections", "8"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    port = int(server.stdout.readline().split("127.0.0.1:")[1].split("/")[0])

    def request(raw, timeout=5):
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(raw)
            data = b""
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                data += chunk
        return data

    def status(path, host=None, method="GET", extra=""):
        host = host or f"127.0.0.1:{port}"
        answer = request(f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode())
        line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
        return line.split(" ", 2)[1] if line.startswith("HTTP/") else "no answer", answer

    code, answer = status("/")
    print("index:", code, b"<title>playground" in answer)
    print("file:", status("/main.js")[0])
    # A reload revalidates: the same ETag gets a 304 with no body.
    etag = [line.split(b":", 1)[1].strip().decode() for line in status("/main.js")[1].split(b"\r\n")
            if line.lower().startswith(b"etag:")][0]
    code, answer = status("/main.js", extra=f"If-None-Match: {etag}\r\n")
    print("revalidated:", code, answer.endswith(b"\r\n\r\n"), status("/main.js", extra='If-None-Match: "x"\r\n')[0])
    print("localhost name:", status("/main.js", host=f"localhost:{port}")[0])
    print("listing of a folder:", status("/web/")[0], status("/web")[0])
    code, answer = status("/leak.txt")
    print("link out of the site:", code, b"secret" in answer)
    print("dot-dot:", status("/../secret.txt")[0], status("/web/%2e%2e/%2e%2e/secret.txt")[0])
    print("foreign host:", status("/", host=f"rebound.example:{port}")[0], status("/", host="127.0.0.1")[0])
    print("post:", status("/", method="POST")[0])

    # Twenty half-sent requests: those past the limit are closed at once, the
    # rest when their second runs out; a whole request is served meanwhile.
    held = []
    for _ in range(20):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")
        held.append(connection)
    started = time.monotonic()
    served = False
    while not served and time.monotonic() - started < 10:
        try:
            served = status("/main.js")[0] == "200"
        except OSError:
            pass
        if not served:
            time.sleep(0.1)
    print("served while half-sent requests wait:", served)
    closed = 0
    for connection in held:
        connection.settimeout(5)
        try:
            if connection.recv(1) == b"":
                closed += 1
        except OSError:
            closed += 1
        connection.close()
    print("half-sent requests closed by the server:", closed, "of", len(held))
finally:
    server.terminate()
    server.wait(timeout=10)
