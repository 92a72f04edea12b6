#!/usr/bin/env python3
"""Runs two builds of cadence over every example with every command that
prints something a user reads or a machine takes (check in each format,
build, graph, simulate, export for each target, report, diff, explain, the
rules, every --help), and compares what they print and their exit codes,
byte for byte. A refactoring that should change nothing is checked with it:

    cp build/compiler/cadence /tmp/cadence-before    # before the change
    ... change, rebuild ...
    python3 tests/same_outputs.py /tmp/cadence-before build/compiler/cadence

Prints how many outputs were compared and every one that differs (exit 1).
Usage: same_outputs.py OLD NEW
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["outreach", "salesloft", "hubspot"]


def cases():
    """(name, argv, needs a plan) for every example."""
    examples = []
    for folder, _, files in os.walk(os.path.join(ROOT, "examples")):
        for name in sorted(files):
            if name.endswith(".cadence"):
                examples.append(os.path.relpath(os.path.join(folder, name), ROOT))
    examples.sort()
    yield "help", ["--help"]
    for command in ["check", "rules", "graph", "diff", "simulate", "fmt", "lsp", "explain", "build", "report",
                    "schema", "export"]:
        yield f"help {command}", [command, "--help"]
    yield "rules", ["rules"]
    yield "rules json", ["rules", "--format", "json"]
    yield "check all", ["check", "examples"]
    for form in ["json", "sarif", "github"]:
        yield f"check all {form}", ["check", "--format", form, "examples"]
    for example in examples:
        yield f"check {example}", ["check", example]
        yield f"check {example} json", ["check", "--format", "json", example]
        for target in TARGETS:
            yield f"check {example} --target {target}", ["check", "--target", target, example]
        yield f"build {example}", ["build", example, "-o", "-"]
        yield f"graph {example}", ["graph", example]
        yield f"graph {example} mermaid", ["graph", "--format", "mermaid", example]
        yield f"fmt {example}", ["fmt", "--check", example]
        yield f"report {example}", ["report", example]
        for target in TARGETS:
            yield f"export {example} {target}", ["export", "--target", target, example]
        yield f"simulate {example}", ["simulate", "@plan", example]
        yield f"simulate {example} worst", ["simulate", "--worst-case", "--format", "json", "@plan", example]
    yield "diff before/after", ["diff", "examples/before/blast_before.cadence", "examples/blast_after.cadence"]


def run(binary, argv, work):
    if argv[:1] == ["simulate"] and "@plan" in argv:
        at = argv.index("@plan")
        source = argv[at + 1]
        plan = os.path.join(work, "plan.json")
        subprocess.run([binary, "build", source, "-o", plan], cwd=ROOT, capture_output=True)
        argv = argv[:at] + [plan]
    done = subprocess.run([binary] + argv, cwd=ROOT, capture_output=True, timeout=120)
    text = done.stdout + b"\n--- stderr\n" + done.stderr + f"\n--- exit {done.returncode}\n".encode()
    return text.replace(work.encode(), b"WORK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    options = parser.parse_args()
    old, new = os.path.abspath(options.old), os.path.abspath(options.new)
    work_old, work_new = tempfile.mkdtemp(), tempfile.mkdtemp()
    compared, differ = 0, []
    try:
        for name, argv in cases():
            a = run(old, argv, work_old).replace(b"WORK", b"W")
            b = run(new, argv, work_new).replace(b"WORK", b"W")
            compared += 1
            if a != b:
                differ.append(name)
                diff = difflib.unified_diff(a.decode(errors="replace").splitlines(),
                                            b.decode(errors="replace").splitlines(), "old", "new", lineterm="", n=1)
                print(f"differs: {name}")
                for line in list(diff)[:20]:
                    print("  " + line)
    finally:
        shutil.rmtree(work_old, ignore_errors=True)
        shutil.rmtree(work_new, ignore_errors=True)
    print(f"{compared} outputs compared, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
