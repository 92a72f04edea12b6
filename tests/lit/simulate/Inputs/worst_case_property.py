#!/usr/bin/env python3
"""Property test: one load model for the throttle-overrun lint and simulate.

Generates random sequences (touches on every channel, waits in d/h/m/w,
engagement and call-outcome branches, both calendars, daily and weekly
enrolment rates, email and call limits), alone and in teams of two or three
files of one project, and checks for each that:

  1. `cadence simulate --worst-case` and the reference runtime with every
     chance at 0 and every call unanswered give the same days, for one
     sequence and for a team (one model);
  2. the lint fires exactly when the worst case still has a queue on the
     last day, and its figures (activities queued, lateness) are that day's;
  3. the steady load the lint states is enrolments x emails on the silent
     path, summed over the team (records handed off from one sequence of a
     team to another count where they go).

Usage: worst_case_property.py CADENCE WORKDIR [CASES] [SEED]
Prints one summary line; exits 1 with the first counterexample.
"""
import json
import pathlib
import random
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from sequence_gen import HEADER, sequence  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / "Inputs"))
from cases import scaled  # noqa: E402

CADENCE, WORK = sys.argv[1], pathlib.Path(sys.argv[2])
CASES = scaled(int(sys.argv[3]) if len(sys.argv) > 3 else 40)
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
HORIZON = 60


def run(*args, ok=(0, 1)):
    done = subprocess.run([CADENCE, *map(str, args)], capture_output=True, text=True)
    if done.returncode not in ok:
        fail(f"`cadence {' '.join(map(str, args))}` exited {done.returncode}: {done.stderr[:2000]}")
    return done.stdout


def fail(message):
    print("COUNTEREXAMPLE:", message)
    sys.exit(1)


ZERO = ["--open", "0", "--click", "0", "--reply", "0", "--bounce", "0", "--ooo", "0", "--unsubscribe", "0",
        "--accept", "0", "--calls", "no_answer=1"]
FIELDS = ["day", "working", "enrolled", "due", "done", "emails_done", "queued", "replies", "exits"]
MESSAGE = re.compile(r"have ([0-9.]+) (emails|calls|SMS|LinkedIn touches|tasks) due a day when nobody engages .* "
                     r"against a limit of ([0-9.]+) a day: "
                     r".* after (\d+) days (\d+) activities wait, and what goes out that day is ([0-9.]+) working days")

stats = {"cases": 0, "fired": 0, "quiet": 0, "teams": 0, "days": 0}
for case in range(CASES):
    folder = WORK / f"case{case}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cadence.toml").write_text("")
    size = 1 if case % 3 else rng.randint(2, 3)
    team = f"team{case}" if size > 1 or rng.random() < 0.3 else None
    names = [f"s{case}_{k}" for k in range(size)]
    plans = []
    for k, name in enumerate(names):
        # In a team, a sequence may hand its records off to the next (cycles
        # too), and one may take only what is handed off to it.
        handoff = names[(k + 1) % size] if size > 1 and rng.random() < 0.5 else None
        no_enroll = size > 1 and k > 0 and rng.random() < 0.3
        (folder / f"{name}.cadence").write_text(HEADER + sequence(rng, name, team, handoff=handoff,
                                                                  no_enroll=no_enroll))
    for name in names:
        plan = folder / f"{name}.json"
        run("build", folder / f"{name}.cadence", "-o", plan, ok=(0,))
        plans.append(plan)
    worst = json.loads(run("simulate", "--worst-case", *plans, *(["--team", team] if team else []),
                           "--format", "json", ok=(0,)))
    if len(worst["days"]) != HORIZON:
        fail(f"{folder}: {len(worst['days'])} days")
    stats["cases"] += 1
    stats["teams"] += size > 1
    # 1. One model: the reference runtime with nobody engaging gives the same days.
    random_run = json.loads(run("simulate", *plans, *(["--team", team] if team else []), *ZERO,
                                "--format", "json", ok=(0,)))
    for a, b in zip(random_run["days"], worst["days"]):
        same = all(a[f] == b[f] for f in FIELDS) and abs(a["drift_days"] - b["drift_days"]) < 0.006
        if not same:
            fail(f"{folder}: day {a['day']}: runtime {a} but worst case {b}")
        stats["days"] += 1
    # 2. The lint fires when the last day still has a queue, with its figures.
    report = json.loads(run("check", "--format", "json", folder))
    found = [d for f in report["files"] for d in f["diagnostics"]
             if d["data"]["name"] == "throttle-overrun" and "have" in d["message"] and "nobody engages" in d["message"]]
    last = worst["days"][-1]
    if last["queued"] == 0:
        if found:
            fail(f"{folder}: the lint fires ({found[0]['message']}) but the worst case has no queue on day {HORIZON}")
        stats["quiet"] += 1
        continue
    if len(found) != 1:
        fail(f"{folder}: the worst case queues {last['queued']} on day {HORIZON} but the lint says {len(found)} times")
    match = MESSAGE.search(found[0]["message"])
    if not match:
        fail(f"{folder}: unexpected message {found[0]['message']}")
    load, channel, limit, horizon, queued, drift = match.groups()
    if int(horizon) != HORIZON or int(queued) != last["queued"] or abs(float(drift) - last["drift_days"]) > 0.006:
        fail(f"{folder}: the lint says {queued} queued, {drift} days late; the worst case {last}")
    if channel == "emails" and abs(float(limit) - worst["email_limit"]) > 0.05:
        fail(f"{folder}: the lint's limit {limit}, the worst case's {worst['email_limit']}")
    # 3. The steady load is the sum of the notes' figures.
    notes = [float(re.search(r"= ([0-9.]+) a day", r["message"]).group(1))
             for r in found[0].get("relatedInformation", []) if "silent path" in r["message"]]
    if len(notes) != size or abs(sum(notes) - float(load)) > 0.1 * size:
        fail(f"{folder}: load {load} but the sequences add up to {notes}")
    stats["fired"] += 1

print(f"{stats['cases']} cases ({stats['teams']} teams): the lint fired on {stats['fired']}, "
      f"was quiet on {stats['quiet']}, and always agreed with simulate --worst-case; "
      f"{stats['days']} days of the runtime with nobody engaging matched it")
if stats["fired"] == 0 or stats["quiet"] == 0:
    fail("the generated cases do not exercise both outcomes")
