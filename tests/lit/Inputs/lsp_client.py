"""A minimal LSP client for the tests: starts `cadence lsp`, frames what it
sends, and reads what the server says on a thread.

    client = Client(cadence, "--debounce", "20")
    client.send({...}); client.send_raw(b"...")
    client.messages   # every server message so far, parsed
    client.close()    # closes stdin, returns the exit code
"""
import json
import os
import subprocess
import threading
import time

# Slow (sanitizer) builds stretch every limit; lit sets the factor.
TIMEOUT_SCALE = float(os.environ.get("CADENCE_TIMEOUT_SCALE", "1"))


def frame(message):
    """`message` framed with its Content-Length header."""
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


class Client:
    def __init__(self, cadence, *args, on_message=None, env=None):
        self.server = subprocess.Popen([cadence, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env=env)
        self.messages = []
        self.on_message = on_message
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        stream = self.server.stdout
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
            message = json.loads(stream.read(length))
            self.messages.append(message)
            if self.on_message is not None:
                self.on_message(message)

    def send_raw(self, data, flush=True):
        self.server.stdin.write(data)
        if flush:
            self.server.stdin.flush()

    def send(self, message):
        self.send_raw(frame(message))

    def wait_for_id(self, request_id, seconds=60):
        """The response to `request_id`, or None after `seconds`."""
        deadline = time.monotonic() + seconds * TIMEOUT_SCALE
        while time.monotonic() < deadline:
            for message in self.messages:
                if message.get("id") == request_id and "method" not in message:
                    return message
            time.sleep(0.01)
        return None

    def close(self, timeout=30):
        try:
            self.server.stdin.close()
        except BrokenPipeError:
            pass
        code = self.server.wait(timeout=timeout * TIMEOUT_SCALE)
        self.thread.join(timeout=5)
        return code
