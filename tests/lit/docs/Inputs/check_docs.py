#!/usr/bin/env python3
"""Holds README.md, CONTRIBUTING.md and docs/ to the product: every path they
show exists, every `cadence SUBCOMMAND` they show is a command, and every
```cadence block is in the canonical layout and checks without findings,
unless a `<!-- shows: kind, ... -->` line right before it names the findings
it is there to show (then exactly those).

Usage: check_docs.py CADENCE SOURCE_DIR WORK_DIR
"""
import pathlib
import re
import shutil
import subprocess
import sys

cadence, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
documents = [root / "README.md", root / "CONTRIBUTING.md", *sorted((root / "docs").rglob("*.md"))]
TOP = "examples|docs|scripts|tests|compiler|grammar|stdlib|editors|playground"
PATH = re.compile(r"(?<![\w/.~$-])((?:" + TOP + r")/[A-Za-z0-9_./-]*[A-Za-z0-9_/])")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
COMMAND = re.compile(r"(?:^|[\s`(|])cadence ([a-z][a-z-]*)")
BLOCK = re.compile(r"```cadence\n(.*?)```", re.S)
SHOWS = re.compile(r"<!-- shows: ([a-z, -]+) -->\s*$")
problems = []
commands = set()
paths = blocks = 0

for document in documents:
    text = document.read_text(encoding="utf-8")
    name = document.relative_to(root)
    for number, line in enumerate(text.splitlines(), 1):
        for match in PATH.finditer(line):
            path = match.group(1).rstrip("/.")
            after = line[match.end(1):match.end(1) + 1]
            if any(c in path for c in "*<>") or after in ("<", "*", "{") or re.search(r"[A-Z]{2,}", path):
                continue  # a pattern or a placeholder, not a path
            paths += 1
            # A source named without its extension (`compiler/sema/workspace`) counts.
            candidates = [root / path, document.parent / path] + [root / (path + e) for e in (".hpp", ".cpp")]
            if not any(c.exists() for c in candidates):
                problems.append(f"{name}:{number}: '{path}' does not exist")
        for match in LINK.finditer(line):
            target = match.group(1)
            if "://" in target or target.startswith("mailto:"):
                continue
            paths += 1
            if not (document.parent / target).exists():
                problems.append(f"{name}:{number}: the link '{target}' leads nowhere")
        for match in COMMAND.finditer(line):
            commands.add((match.group(1), f"{name}:{number}"))

known = {}
for command, where in sorted(commands):
    if command not in known:
        known[command] = subprocess.run([cadence, command, "--help"], capture_output=True).returncode == 0
    if not known[command]:
        problems.append(f"{where}: 'cadence {command}' is not a command")

for document in documents:
    text = document.read_text(encoding="utf-8")
    name = document.relative_to(root)
    for match in BLOCK.finditer(text):
        blocks += 1
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").splitlines()
        shows = SHOWS.search(before[-1]) if before else None
        expected = sorted({k.strip() for k in shows.group(1).split(",")}) if shows else []
        folder = work / f"block{blocks}"
        folder.mkdir()
        source = folder / "example.cadence"
        source.write_text(match.group(1), encoding="utf-8")
        formatted = subprocess.run([cadence, "fmt", "--check", str(source)], capture_output=True, text=True)
        # A block that shows a syntax error cannot be formatted.
        if formatted.returncode != 0 and "syntax" not in expected:
            problems.append(f"{name}:{line}: the cadence block is not in the canonical layout (cadence fmt)")
        checked = subprocess.run([cadence, "check", "--quiet", str(source)], capture_output=True, text=True)
        found = sorted(set(re.findall(r": (?:error|warning|info): .*\[([a-z-]+)\]$", checked.stdout, re.M)))
        if found != expected:
            problems.append(f"{name}:{line}: the cadence block draws {found or 'no finding'}, "
                            f"expected {expected or 'none'}")

for problem in problems:
    print(problem)
print(f"docs: {len(documents)} files, {paths} paths, {len(known)} commands, {blocks} cadence blocks, "
      f"{len(problems)} problems")
sys.exit(1 if problems else 0)
