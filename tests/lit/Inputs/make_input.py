#!/usr/bin/env python3
"""Writes hostile inputs for the bad-input tests: make_input.py KIND PATH."""
import random
import sys

kind, path = sys.argv[1], sys.argv[2]
if kind == "garbage":
    data = random.Random(7).randbytes(200_000)
elif kind == "nul":
    data = b"sequence s {\n  target lead\x00\n}\n"
elif kind == "invalid-utf8":
    data = "sequence s {\n  title \"caf".encode() + b"\xe9\" \n}\n"
elif kind == "open-braces":
    data = b"{" * 1_000_000
elif kind == "open-braces-in-sequence":
    data = b"sequence s {\n" + b"{" * 1_000_000
elif kind == "nested-branches":
    data = b"import \"std/lead\"\nsequence s {\n  target lead\n" + b"branch replied { yes {\n" * 50_000
elif kind == "nested-not":
    data = b"sequence s {\n  branch " + b"not " * 50_000 + b"replied { yes { exit } }\n}\n"
elif kind == "nested-parens":
    data = b"segment s on lead { where " + b"(" * 50_000 + b"statecode == open" + b")" * 50_000 + b" }\n"
elif kind == "many-errors":
    data = b"sequence s {\n" + b"  ?? nonsense ??\n" * 100_000 + b"}\n"
elif kind == "many-unknown-names":
    steps = b"".join(b"  email e%d { template missing }\n  wait 1d\n" % i for i in range(3000))
    data = b"import \"std/lead\"\nsequence s {\n  target lead\n" + steps + b"}\n"
elif kind == "many-lints":
    # Every sequence misses its reply, bounce and opt-out handlers: 3 lints each.
    data = b"import \"std/lead\"\ntemplate t for lead { subject \"a\" body \"b\" }\n" + b"".join(
        b"sequence s%d {\n  target lead\n  email e { template t }\n}\n" % i for i in range(2000))
elif kind == "long-line":
    data = b"sequence s { title \"" + b"x" * 5_000_000 + b"\" }\n"
else:
    sys.exit(f"unknown kind {kind}")
with open(path, "wb") as out:
    out.write(data)
