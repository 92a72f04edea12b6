#!/usr/bin/env python3
"""Checks a project while another thread keeps creating and removing a
folder inside it, as build tools do, and reports whether every run still
found the project's own files. A walk that stops at a folder that vanished
drops the rest of the project.

Usage: churn_walk.py CADENCE WORK_DIR [RUNS]
Prints `runs: N, complete: N, skipped-vanished: N` and any failing output.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import threading

from cases import scaled

cadence, work = sys.argv[1], pathlib.Path(sys.argv[2])
runs = scaled(int(sys.argv[3]) if len(sys.argv) > 3 else 150)
shutil.rmtree(work, ignore_errors=True)
(work / "zz").mkdir(parents=True)
(work / "cadence.toml").write_text("")
source = 'import "std/lead"\ntemplate t for lead { subject "s" body "b" }\n'
(work / "a.cadence").write_text(source)
(work / "zz" / "b.cadence").write_text('import "std/lead"\n')
stop = threading.Event()


def churn():
    for n in range(10_000_000):
        if stop.is_set():
            return
        folder = work / "m" / f"d{n % 7}"
        try:
            (folder / "deep").mkdir(parents=True, exist_ok=True)
            (folder / "deep" / "x.cadence").write_text('import "std/lead"\n')
            shutil.rmtree(folder)
        except OSError:
            pass


thread = threading.Thread(target=churn)
thread.start()
complete = vanished = 0
failures = []
try:
    for _ in range(runs):
        run = subprocess.run([cadence, "check", str(work)], capture_output=True, text=True)
        out = run.stdout + run.stderr
        found_a = "a.cadence" in out or "files checked" in out
        if run.returncode in (0, 1) and "cannot read directory" not in out and found_a:
            complete += 1
        else:
            failures.append(f"exit {run.returncode}: {out.strip()[:400]}")
        if "vanished while the folder was read" in out:
            vanished += 1
finally:
    stop.set()
    thread.join()
print(f"runs: {runs}, complete: {complete}")
print(f"skipped-vanished: {'some' if vanished else 'none'}")
for failure in failures[:3]:
    print("FAILED", failure)
