#!/usr/bin/env python3
"""Runs a command against a fake platform (tests/tools/oas/fake_platform.mjs):
starts it on 127.0.0.1 with the records of DIR/records.json, replaces {url}
in the command with its address, runs the command with the platform's token
variable set (CADENCE_OUTREACH_TOKEN, CADENCE_SALESLOFT_TOKEN), stops the
fake, and prints the command's output, its exit status and the requests the
fake received (method, path, status).

Usage: with_fake.py DIR [--target outreach|salesloft] [--seed READ.json]
                        [--throttle-once] [--fail-write N[xT]] [--drop-write N] -- COMMAND...
--target: the platform (default outreach).
--seed: Outreach starts with the records of a JSON:API read (what
`cadence import` read), when DIR holds none yet.
"""
import json
import os
import subprocess
import sys
import time

TOKEN = "tok-9f3a61c2-secret"
HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "..", "..", "tools", "oas", "fake_platform.mjs")


def main():
    split = sys.argv.index("--")
    directory, options, command = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
    os.makedirs(directory, exist_ok=True)
    records = os.path.join(directory, "records.json")
    target = "outreach"
    if "--target" in options:
        at = options.index("--target")
        target = options[at + 1]
        del options[at:at + 2]
    if "--seed" in options:
        at = options.index("--seed")
        read = json.load(open(options[at + 1]))
        del options[at:at + 2]
        if not os.path.exists(records):
            data = read["data"] if isinstance(read["data"], list) else [read["data"]]
            json.dump([{key: resource[key] for key in ("type", "id", "attributes", "relationships") if key in resource}
                       for resource in data + read.get("included", [])], open(records, "w"))
    port_file = os.path.join(directory, "port")
    log = os.path.join(directory, "requests.log")
    for stale in (port_file, log):
        if os.path.exists(stale):
            os.remove(stale)
    fake = subprocess.Popen(["node", FAKE, "--token", TOKEN, "--port-file", port_file, "--log", log,
                             "--records", records, "--target", target, *options],
                            stdin=subprocess.PIPE)
    deadline = time.time() + 30
    while not os.path.exists(port_file) or not open(port_file).read():
        if time.time() > deadline or fake.poll() is not None:
            sys.exit("the fake platform did not start")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{open(port_file).read()}"
    environment = dict(os.environ, **{f"CADENCE_{target.upper()}_TOKEN": TOKEN})
    done = subprocess.run([part.replace("{url}", url) for part in command], capture_output=True, text=True,
                          env=environment)
    fake.stdin.close()
    fake.wait(timeout=30)
    output = done.stdout + done.stderr
    sys.stdout.write(output.replace(url, "URL"))
    print(f"exit: {done.returncode}")
    requests = [json.loads(line) for line in open(log)] if os.path.exists(log) else []
    for request in requests:
        print(f"fake: {request['method']} {request['path']} {request['status']}")
    print(f"fake: {len(requests)} requests, {sum(r['method'] != 'GET' for r in requests)} writes")
    # The token is the fake's secret: it must appear in no output.
    if TOKEN in output:
        print("the token appeared in the output")
    sys.exit(0)


main()
