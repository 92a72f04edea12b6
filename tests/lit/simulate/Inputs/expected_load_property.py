#!/usr/bin/env python3
"""Property test: the throttle-overrun lint's expected load (default
engagement rates) is what `cadence simulate` draws on average.

Generates sequences with handlers (exits on reply, bounce and opt-out, a
pause when away, each present or not), engagement and call-outcome branches,
at 12..20 enrolments a day, alone or (every other case) handing their records
off to a second sequence of their team that has no rate of its own; a project setting makes the lint report every
one (default-email-limit = 1), so that its note gives the expected emails a
day. The reference runtime then runs each plan for 400 days with the default
rates, unthrottled, and the mean emails of its working days from day 100 on must be
within 4% of the note's figure (a case whose run is throttled is left out).

Usage: expected_load_property.py CADENCE WORKDIR [CASES] [SEED]
"""
import json
import pathlib
import random
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from sequence_gen import HEADER, sequence  # noqa: E402

CADENCE, WORK = sys.argv[1], pathlib.Path(sys.argv[2])
CASES = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 11)
NOTE = re.compile(r"about ([0-9.]+) emails a day are expected, against ([0-9.]+) when nobody engages")


def run(*args):
    done = subprocess.run([CADENCE, *map(str, args)], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        print(f"COUNTEREXAMPLE: `cadence {' '.join(map(str, args))}` exited {done.returncode}: {done.stderr[:2000]}")
        sys.exit(1)
    return done.stdout


worst = 0.0
more = 0
throttled = 0
for case in range(CASES):
    folder = WORK / f"case{case}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cadence.toml").write_text("[lint.throttle-overrun]\ndefault-email-limit = 1\n")
    # Every other case is a team of two: the first hands its records off to
    # the second, which has no rate of its own.
    pair = case % 2 == 1
    names = [f"e{case}", f"f{case}"] if pair else [f"e{case}"]
    team = f"t{case}" if pair else None
    # One calendar for both: the load is per working day of it.
    calendar = rng.choice(["business", "all_days"])
    for k, name in enumerate(names):
        (folder / f"{name}.cadence").write_text(HEADER + sequence(
            rng, name, team, enroll=rng.randint(12, 20) if k == 0 else None, email_limit=False, handlers=True,
            handoff=names[1] if pair and k == 0 else None, no_enroll=k > 0, calendar=calendar))
    report = run("check", folder)
    match = NOTE.search(report)
    if not match:
        print(f"COUNTEREXAMPLE: {folder}: no expected load in the lint's report:\n{report[:3000]}")
        sys.exit(1)
    expected, silent = float(match.group(1)), float(match.group(2))
    plans = []
    for name in names:
        plans.append(folder / f"{name}.json")
        run("build", folder / f"{name}.cadence", "-o", plans[-1])
    days = json.loads(run("simulate", *plans, "--days", 400, "--seed", case + 1, "--format", "json"))["days"]
    if any(d["queued"] for d in days):
        throttled += 1  # the comparison needs a free run: the next case
        continue
    working = [d["emails_done"] for d in days[100:] if d["working"]]
    mean = sum(working) / len(working)
    error = abs(mean - expected) / max(mean, 1)
    worst = max(worst, error)
    more += expected > silent + 0.5
    if error > 0.04:
        print(f"COUNTEREXAMPLE: {folder}: the lint expects {expected} emails a day, the runtime averages {mean:.1f}")
        sys.exit(1)

compared = CASES - throttled
print(f"{compared} cases: the expected load is within {worst * 100:.1f}% of the runtime's average "
      f"(at most 4%); engagement adds email to the silent path's in {more} of them")
if compared < CASES * 0.8 or more == 0:
    print("COUNTEREXAMPLE: the generated cases do not exercise the comparison")
    sys.exit(1)
