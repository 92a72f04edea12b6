#!/usr/bin/env python3
"""Checks `cadence fmt` on files: idempotent, comments kept in order, and the
compiled plan unchanged (source locations aside).

Usage: fmt_roundtrip.py CADENCE WORK_DIR FILE...
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys

cadence, work, files = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
work.mkdir(parents=True, exist_ok=True)
COMMENT = re.compile(r'"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|//[^\n]*|/\*[\s\S]*?\*/')


def project_root(source):
    folder = source.resolve().parent
    for candidate in [folder, *folder.parents]:
        if (candidate / "cadence.toml").is_file():
            return candidate
    return folder


def comments(text):
    return [m.group(0).rstrip() for m in COMMENT.finditer(text) if m.group(0).startswith("/")]


def plan(path):
    result = subprocess.run([cadence, "build", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    data = json.loads(result.stdout)

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("location", "source")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node
    return strip(data)


failures = formatted = compiled = 0
for index, name in enumerate(files):
    source = pathlib.Path(name)
    once = subprocess.run([cadence, "fmt", str(source)], capture_output=True)
    if once.returncode != 0:
        continue  # syntax errors: refused, which fmt.test checks
    formatted += 1
    # The formatted text replaces the file in a copy of its project (the
    # folder of its cadence.toml, else its own folder), so that relative
    # imports and the configuration still apply and no second definition of
    # its sequences sits beside it.
    root = project_root(source)
    copy = work / str(index)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(".*"))
    out = copy / source.resolve().relative_to(root)
    try:
        out.write_bytes(once.stdout)
        twice = subprocess.run([cadence, "fmt", str(out)], capture_output=True).stdout
        problems = []
        if twice != once.stdout:
            problems.append("not idempotent")
        original = source.read_text(encoding="utf-8", errors="replace")
        if comments(original) != comments(once.stdout.decode("utf-8", errors="replace")):
            problems.append("comments changed")
        before = plan(source)
        if before is not None:
            compiled += 1
            if plan(out) != before:
                problems.append("the plan changed")
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    if problems:
        failures += 1
        print(f"FAIL {name}: {', '.join(problems)}")
print(f"{formatted} files formatted, {compiled} compiled to the same plan")
print(f"{formatted - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
