#!/usr/bin/env python3
"""Runs a command, passes its output through, then prints `exit: N`.

lit's shell cannot test for a particular non-zero status; this lets FileCheck
see it. A command killed by a signal prints a negative number, which no test
accepts, so a crash always fails the test. A command that runs longer than
--timeout seconds (default 60) is killed and reported as `exit: timeout`.
The limit is multiplied by CADENCE_TIMEOUT_SCALE (lit sets it for slow
sanitizer builds).
"""
import os
import subprocess
import sys

args = sys.argv[1:]
timeout = 60.0
if args and args[0].startswith("--timeout="):
    timeout = float(args[0].split("=", 1)[1])
    args = args[1:]
timeout *= float(os.environ.get("CADENCE_TIMEOUT_SCALE", "1"))
try:
    completed = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    sys.stdout.buffer.write(completed.stdout)
    print(f"exit: {completed.returncode}")
except subprocess.TimeoutExpired as expired:
    sys.stdout.buffer.write(expired.stdout or b"")
    print("exit: timeout")
