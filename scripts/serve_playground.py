#!/usr/bin/env python3
"""Serves the built playground (a folder of static files) on loopback, with
the rules a page that runs code deserves:

- only regular files whose real path lies inside the folder are served (a
  link planted in the folder that leads out of it is not followed); no
  directory listings: "/" is index.html, any other folder is 404;
- the Host header must name this loopback server (127.0.0.1, localhost,
  [::1], with this port), so that a page elsewhere cannot reach it through
  a DNS name it rebinds to 127.0.0.1;
- GET and HEAD only; a request must arrive whole within --timeout seconds,
  and at most --max-connections are served at once (more are closed), so
  half-sent requests cannot hold the server.

Usage: serve_playground.py FOLDER [--port N] [--timeout S] [--max-connections N]
Prints "serving http://127.0.0.1:PORT/" when it listens, and logs each answer
to stderr with the bytes of its body; Ctrl-C stops it.
"""
import argparse
import datetime
import http.server
import os
import socket
import socketserver
import sys
import threading
from urllib.parse import unquote, urlsplit

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def main():
    parser = argparse.ArgumentParser(description="Serve the built playground on loopback.")
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a request may take to arrive")
    parser.add_argument("--max-connections", type=int, default=32)
    options = parser.parse_args()
    root = os.path.realpath(options.folder)
    if not os.path.isfile(os.path.join(root, "index.html")):
        print(f"serve_playground: {options.folder} has no index.html; build it first (scripts/playground.sh)",
              file=sys.stderr)
        return 2
    slots = threading.BoundedSemaphore(options.max_connections)

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "cadence-playground"
        sys_version = ""
        timeout = options.timeout  # applies to reading the request

        def setup(self):
            super().setup()
            # The whole request must arrive in time, not only each piece of it
            # (a byte every few seconds would otherwise hold the connection).
            self.deadline = threading.Timer(options.timeout, self.expire)
            self.deadline.daemon = True
            self.deadline.start()

        def expire(self):
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def parse_request(self):
            parsed = super().parse_request()
            self.deadline.cancel()
            return parsed

        def finish(self):
            self.deadline.cancel()
            super().finish()

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
            sys.stderr.write("%s [%s] %s\n" % (self.address_string(), now.replace("+00:00", "Z"), format % args))

        def log_request(self, code="-", size="-"):
            # Logged once the answer is sent, with the bytes of its body
            # (the browser test adds them up to measure a cold load).
            if size != "-":
                super().log_request(code, size)

        def refuse(self, code, text):
            body = (text + "\n").encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            sent = 0
            if self.command != "HEAD":
                self.wfile.write(body)
                sent = len(body)
            self.log_request(code, sent)
            self.close_connection = True

        def allowed_host(self):
            host = (self.headers.get("Host") or "").lower()
            port = self.server.server_address[1]
            return host in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

        def file_for(self, raw_path):
            """The served file's real path, or None."""
            path = unquote(urlsplit(raw_path).path)
            if "\0" in path or not path.startswith("/"):
                return None
            relative = path.lstrip("/") or "index.html"
            if any(part in ("", ".", "..") for part in relative.split("/")):
                return None
            real = os.path.realpath(os.path.join(root, relative))
            if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
                return None
            return real

        def do_GET(self):  # noqa: N802 - the base class's name
            self.serve(body=True)

        def do_HEAD(self):  # noqa: N802
            self.serve(body=False)

        def serve(self, body):
            if not self.allowed_host():
                return self.refuse(421, "this server answers only to 127.0.0.1, localhost or [::1] with its port")
            real = self.file_for(self.path)
            if real is None:
                return self.refuse(404, "not found")
            # A validator, so that a reload (and the service worker filling
            # its cache) revalidates with a 304 instead of fetching again.
            info = os.stat(real)
            etag = '"%x-%x"' % (info.st_size, info.st_mtime_ns)
            if etag in [tag.strip() for tag in (self.headers.get("If-None-Match") or "").split(",")]:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                self.log_request(304, 0)
                return
            with open(real, "rb") as f:
                data = f.read()
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", TYPES.get(os.path.splitext(real)[1], "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if body:
                self.wfile.write(data)
            self.log_request(200, len(data) if body else 0)

        def do_POST(self):  # noqa: N802
            self.refuse(405, "only GET and HEAD")

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def process_request(self, request, client_address):
            # A connection beyond the limit is closed at once.
            if not slots.acquire(blocking=False):
                self.shutdown_request(request)
                return
            super().process_request(request, client_address)

        def process_request_thread(self, request, client_address):
            try:
                request.settimeout(options.timeout)
                super().process_request_thread(request, client_address)
            finally:
                slots.release()

    with Server(("127.0.0.1", options.port), Handler) as server:
        print(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
