#!/usr/bin/env python3
"""The language server against the command line on a project of sequences
handing off to each other, through random edits.

Usage: lsp_handoff_differential.py CADENCE DIR [STEPS] [SEED]

Five files hand off to one another by name through the project (no
imports); the even ones take their template from lib.cadence. Three files
are open in `cadence lsp --debounce 0`; the others, and lib.cadence, change
on disk (with workspace/didChangeWatchedFiles). Each step renames a
sequence, points a handoff elsewhere (sometimes at a name nobody defines),
adds or removes a second sequence, breaks or mends the library, or adds a
comment. After every step, the diagnostics published for each open file
must equal what `cadence check --format json FILE` says of the same text.
At the end, a target whose library changed (its own text did not) still
finds the handoff that names it (textDocument/references).
Prints one line per step and `agree: N steps`.
"""
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, TIMEOUT_SCALE  # noqa: E402
from cases import scaled  # noqa: E402

cadence, root = sys.argv[1], sys.argv[2]
steps = scaled(int(sys.argv[3]) if len(sys.argv) > 3 else 40)
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
os.makedirs(root, exist_ok=True)
open(os.path.join(root, "cadence.toml"), "w").close()

NAMES = ["s0", "s1", "s2", "s3", "s4", "nobody"]
FILES = [f"f{i}" for i in range(5)]
OPEN = ["f0", "f1", "f2"]
state = {f: {"name": f"s{i}", "target": f"s{(i + 1) % 5}", "extra": False, "comments": 0} for i, f in enumerate(FILES)}
lib = {"broken": False, "subject": 0}


def lib_text():
    template = 'template t for lead {{ {} "hello {}" body "b" }}'.format(
        "subjct" if lib["broken"] else "subject", lib["subject"])
    return 'import "std/lead"\n' + template + "\n"


def file_text(f):
    s = state[f]
    uses_lib = int(f[1:]) % 2 == 0
    lines = ['import "std/lead"']
    lines.append('import "./lib.cadence"' if uses_lib else 'template t for lead { subject "own" body "b" }')
    lines += ["// note"] * s["comments"]
    lines += [f"sequence {s['name']} {{", "  target lead", '  on replied exit "replied"', '  on bounced exit "bounced"',
              '  on unsubscribed exit "opted-out"', "  on out_of_office pause 5d", "  email e1 { template t }",
              "  wait 2d", '  call c1 { script "x" }', "  wait 2d", f"  exit \"no reply\" then handoff {s['target']}",
              "}"]
    if s["extra"]:
        lines += [f"sequence extra_{f} {{", "  target lead", '  on replied exit "replied"',
                  '  on bounced exit "bounced"', '  on unsubscribed exit "opted-out"', "  on out_of_office pause 5d",
                  "  email e1 { template t }", "}"]
    return "\n".join(lines) + "\n"


def path_of(f):
    return os.path.join(root, f + ".cadence")


def uri_of(path):
    return "file://" + path


versions = {f: 1 for f in OPEN}
client = Client(cadence, "--debounce", "0")
client.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
client.wait_for_id(1)
client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
with open(os.path.join(root, "lib.cadence"), "w") as out:
    out.write(lib_text())
for f in FILES:
    with open(path_of(f), "w") as out:
        out.write(file_text(f))


def settle(since):
    """The last diagnostics published for each open file after message `since`."""
    deadline = time.monotonic() + 60 * TIMEOUT_SCALE

    def latest():
        found = {}
        for message in client.messages[since:]:
            if message.get("method") == "textDocument/publishDiagnostics":
                found[message["params"]["uri"]] = message["params"]["diagnostics"]
        return found

    while not all(uri_of(path_of(f)) in latest() for f in OPEN):
        if time.monotonic() > deadline:
            sys.exit(f"no diagnostics for every open file; got {sorted(latest())}")
        time.sleep(0.01)
    # One message per step, so one flush published them all.
    return latest()


def key(d):
    return f"{d['range']['start']['line']}:{d['range']['start']['character']} {d['code']} {d['message']}"


def command_says(f):
    result = subprocess.run([cadence, "check", "--format", "json", path_of(f)], capture_output=True, text=True)
    if not result.stdout:
        sys.exit(f"cadence check printed nothing: {result.stderr}")
    keys = []
    for entry in json.loads(result.stdout)["files"]:
        if os.path.realpath(os.path.join(os.getcwd(), entry["path"])) == os.path.realpath(path_of(f)):
            keys += [key(d) for d in entry["diagnostics"]]
    return sorted(keys)


def write_file(f):
    """Writes f's text to disk and tells the server: the buffer of an open
    file, a watched-file change for the others."""
    with open(path_of(f), "w") as out:
        out.write(file_text(f))
    if f in OPEN:
        versions[f] += 1
        client.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                     "params": {"textDocument": {"uri": uri_of(path_of(f)), "version": versions[f]},
                                "contentChanges": [{"text": file_text(f)}]}})
    else:
        client.send({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
                     "params": {"changes": [{"uri": uri_of(path_of(f)), "type": 2}]}})


def compare(step, what, latest):
    for f in OPEN:
        published = sorted(key(d) for d in latest[uri_of(path_of(f))])
        expected = command_says(f)
        if published != expected:
            print(f"step {step} ({what}): {f} differs")
            print("  server:  " + "\n           ".join(published))
            print("  command: " + "\n           ".join(expected))
            sys.exit(1)


since = len(client.messages)
for f in OPEN:
    client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": uri_of(path_of(f)), "languageId": "cadence", "version": 1,
                                             "text": file_text(f)}}})
compare(0, "open", settle(since))

for step in range(1, steps + 1):
    f = rng.choice(FILES)
    op = rng.choice(["rename", "retarget", "retarget", "extra", "lib", "comment"])
    if op == "rename":
        state[f]["name"] = rng.choice(NAMES[:-1])
        what = f"{f} defines {state[f]['name']}"
    elif op == "retarget":
        state[f]["target"] = rng.choice(NAMES)
        what = f"{f} hands off to {state[f]['target']}"
    elif op == "extra":
        state[f]["extra"] = not state[f]["extra"]
        what = f"{f} {'adds' if state[f]['extra'] else 'removes'} a second sequence"
    elif op == "lib":
        if rng.random() < 0.5:
            lib["broken"] = not lib["broken"]
        else:
            lib["subject"] += 1
        what = "lib " + ("broken" if lib["broken"] else f"subject {lib['subject']}")
    else:
        state[f]["comments"] += 1
        what = f"{f} gains a comment"
    since = len(client.messages)
    if op == "lib":
        with open(os.path.join(root, "lib.cadence"), "w") as out:
            out.write(lib_text())
        client.send({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
                     "params": {"changes": [{"uri": uri_of(os.path.join(root, "lib.cadence")), "type": 2}]}})
    else:
        write_file(f)
    compare(step, what, settle(since))
    print(f"step {step}: {what}: agree")

# A target whose library changed (its own text did not) still finds the
# handoff of a file that was not checked again: f1 (own template) hands off
# to s2 in f2 (template from lib).
for f, name, target in (("f1", "s1", "s2"), ("f2", "s2", "s3")):
    state[f].update(name=name, target=target, extra=False)
for f in ("f0", "f3", "f4"):
    state[f].update(name=f"z{f}", target="s1", extra=False)
# Each message re-publishes every open file (they share a project): wait
# for that before the next, so that what is compared is the last state.
for f in FILES:
    since = len(client.messages)
    write_file(f)
    settle(since)
lib["broken"] = False
with open(os.path.join(root, "lib.cadence"), "w") as out:
    out.write(lib_text())
since = len(client.messages)
client.send({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
             "params": {"changes": [{"uri": uri_of(os.path.join(root, "lib.cadence")), "type": 2}]}})
compare("final", "settled", settle(since))
since = len(client.messages)
lib["subject"] += 1
with open(os.path.join(root, "lib.cadence"), "w") as out:
    out.write(lib_text())
client.send({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
             "params": {"changes": [{"uri": uri_of(os.path.join(root, "lib.cadence")), "type": 2}]}})
compare("final", "library changed", settle(since))
f2_lines = file_text("f2").split("\n")
line = next(i for i, text in enumerate(f2_lines) if text.startswith("sequence s2"))
client.send({"jsonrpc": "2.0", "id": 50, "method": "textDocument/references",
             "params": {"textDocument": {"uri": uri_of(path_of("f2"))}, "position": {"line": line, "character": 10},
                        "context": {"includeDeclaration": False}}})
response = client.wait_for_id(50)
found = sorted(os.path.basename(r["uri"]) for r in (response or {}).get("result") or [])
print("references to s2 after its library changed: " + ", ".join(found))
print(f"agree: {steps} steps")
client.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
client.wait_for_id(99)
client.send({"jsonrpc": "2.0", "method": "exit"})
print(f"exit: {client.close()}")
