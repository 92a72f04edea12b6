#!/usr/bin/env python3
"""Opens a file in headless Neovim with the documented configuration
(editors/neovim/cadence.lua), waits for the built-in LSP client's
diagnostics and a hover, and compares the diagnostics with
`cadence check --format json` on the same file.

Usage: neovim_session.py CADENCE CONFIG FILE LINE,CHARACTER WORKDIR
Prints the diagnostics Neovim shows (one per line), the hover text, and
"agree" or the first difference; exits 1 on any difference.
"""
import json
import os
import pathlib
import subprocess
import sys

cadence, config, source, hover_at, work = sys.argv[1:6]
work = pathlib.Path(work)
work.mkdir(parents=True, exist_ok=True)
out = work / "probe.json"
probe = pathlib.Path(__file__).with_name("probe.lua")
env = dict(os.environ)
env["PATH"] = str(pathlib.Path(cadence).resolve().parent) + os.pathsep + env.get("PATH", "")
env["CADENCE_PROBE_OUT"] = str(out)
env["CADENCE_HOVER"] = hover_at
env["XDG_CONFIG_HOME"] = str(work / "config")
env["XDG_DATA_HOME"] = str(work / "data")
env["XDG_STATE_HOME"] = str(work / "state")
env["XDG_CACHE_HOME"] = str(work / "cache")
scale = int(os.environ.get("CADENCE_TIMEOUT_SCALE", "1"))
done = subprocess.run(["nvim", "--headless", "-n", "-i", "NONE", "-u", config, source, "-c", f"luafile {probe}"],
                      env=env, capture_output=True, text=True, timeout=60 * scale)
if not out.exists():
    print(f"neovim wrote nothing (exit {done.returncode}): {done.stderr[-2000:]}")
    sys.exit(1)
seen = json.loads(out.read_text())
if "error" in seen:
    print("neovim:", seen)
    sys.exit(1)
print("filetype:", seen["filetype"])
shown = sorted((d["line"], d["character"], d["message"]) for d in seen["diagnostics"])
for line, character, message in shown:
    print(f"neovim {line + 1}:{character + 1}: {message}")
print("hover:", seen["hover"])

checked = subprocess.run([cadence, "check", "--format", "json", source], capture_output=True, text=True)
document = json.loads(checked.stdout)
expected = sorted((d["range"]["start"]["line"], d["range"]["start"]["character"], d["message"])
                  for f in document["files"] for d in f["diagnostics"])
if shown != expected:
    print("differ: neovim", shown, "check", expected)
    sys.exit(1)
print(f"agree: {len(shown)} diagnostics")
