#!/usr/bin/env python3
"""Property test: one load model for the throttle-overrun lint and simulate.

Generates random sequences (touches on every channel, waits in d/h/m/w,
engagement and call-outcome branches, both calendars, daily and weekly
enrolment rates, email and call limits), alone and in teams of two or three
files of one project, and checks for each that:

  1. `cadence simulate --worst-case` and the reference runtime with every
     chance at 0 and every call unanswered give the same days (one model);
  2. the lint fires exactly when the worst case still has a queue on the
     last day, and its figures (activities queued, lateness) are that day's;
  3. the steady load the lint states is enrolments x emails on the silent
     path, summed over the team.

Usage: worst_case_property.py CADENCE WORKDIR [CASES] [SEED]
Prints one summary line; exits 1 with the first counterexample.
"""
import json
import pathlib
import random
import re
import subprocess
import sys

CADENCE, WORK = sys.argv[1], pathlib.Path(sys.argv[2])
CASES = int(sys.argv[3]) if len(sys.argv) > 3 else 40
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
HORIZON = 60


class Gen:
    def __init__(self):
        self.n = 0

    def label(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def wait(self):
        unit = rng.choice(["d", "d", "d", "h", "m", "w"])
        amount = {"d": rng.randint(1, 4), "h": rng.choice([2, 20, 30, 50]), "m": 90, "w": 1}[unit]
        return f"wait {amount}{unit}"

    def touch(self, kind=None):
        kind = kind or rng.choice(["email", "email", "email", "call", "sms", "connect", "message", "task"])
        if kind == "email":
            name = self.label("e")
            return name, f"email {name} {{ template t }}"
        if kind == "call":
            name = self.label("c")
            return name, f'call {name} {{ script "x" }}'
        if kind == "sms":
            return None, f'sms {self.label("s")} {{ text "x" }}'
        if kind == "connect":
            name = self.label("l")
            return None, f'linkedin connect {name} {{ note "x" }}'
        if kind == "message":
            return None, f'linkedin message {self.label("m")} {{ note "x" }}'
        return None, f'task {self.label("t")} {{ note "x" }}'

    def body(self, depth, length, emails):
        """Statements; `emails` are those run on every path here (a branch
        may only read those), and grows with this block's own."""
        lines = []
        for _ in range(length):
            roll = rng.random()
            if roll < 0.12 and depth < 2 and emails:
                signal = rng.choice(["opened", "clicked", "replied"])
                within = f" within {rng.randint(1, 3)}d" if rng.random() < 0.7 else ""
                lines.append(f"branch {signal}({rng.choice(emails)}){within} {{")
                lines.append("  yes {")
                lines += ["    " + s for s in self.body(depth + 1, rng.randint(1, 3), list(emails))]
                lines.append("  }")
                lines.append("  no {")
                lines += ["    " + s for s in self.body(depth + 1, rng.randint(1, 3), list(emails))]
                lines.append("  }")
                lines.append("}")
            elif roll < 0.2 and depth < 2:
                call, text = self.touch("call")
                lines.append(text)
                arms = rng.sample(["connected", "voicemail", "no_answer", "busy"], 2)
                lines.append(f"branch outcome({call}) {{")
                for arm in arms:
                    lines.append(f"  {arm} {{")
                    lines += ["    " + s for s in self.body(depth + 1, rng.randint(1, 2), list(emails))]
                    lines.append("  }")
                lines.append("}")
            elif roll < 0.55:
                lines.append(self.wait())
            else:
                name, text = self.touch()
                if text.startswith("email"):
                    emails.append(name)
                lines.append(text)
        return lines


def sequence(name, team):
    g = Gen()
    settings = ["target lead"]
    if team:
        settings.append(f'team "{team}"')
    settings.append(f"calendar {rng.choice(['business', 'business', 'all_days'])}")
    if rng.random() < 0.25:
        settings.append(f"enroll {rng.randint(50, 700)}/week")
    else:
        settings.append(f"enroll {rng.randint(5, 110)}/day")
    if rng.random() < 0.5:
        settings.append(f"limit email {rng.choice([40, 80, 150, 200, 300])}/day")
    if rng.random() < 0.3:
        settings.append(f"limit call {rng.choice([10, 30, 60])}/day")
    first, text = g.touch("email")
    body = [text] + g.body(0, rng.randint(3, 12), [first]) + [g.touch()[1]]
    return "\n".join([f"sequence {name} {{"] + ["  " + s for s in settings + body] + ["}"]) + "\n"


HEADER = ('import "std/lead"\ntemplate t for lead { subject "a" body "b" }\n'
          "// cadence-ignore-file: no-engagement-branch, consecutive-channel, touch-count, same-day-touches\n")


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
MESSAGE = re.compile(r"have ([0-9.]+) emails due a day when nobody engages .* against a limit of ([0-9.]+) a day: "
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
    for name in names:
        source = folder / f"{name}.cadence"
        source.write_text(HEADER + sequence(name, team))
        plan = folder / f"{name}.json"
        run("build", source, "-o", plan, ok=(0,))
        plans.append(plan)
    worst = json.loads(run("simulate", "--worst-case", *plans, *(["--team", team] if team else []),
                           "--format", "json", ok=(0,)))
    if len(worst["days"]) != HORIZON:
        fail(f"{folder}: {len(worst['days'])} days")
    stats["cases"] += 1
    stats["teams"] += size > 1
    # 1. One model: the reference runtime with nobody engaging gives the same days.
    if size == 1:
        random_run = json.loads(run("simulate", plans[0], *ZERO, "--format", "json", ok=(0,)))
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
    load, limit, horizon, queued, drift = match.groups()
    if int(horizon) != HORIZON or int(queued) != last["queued"] or abs(float(drift) - last["drift_days"]) > 0.006:
        fail(f"{folder}: the lint says {queued} queued, {drift} days late; the worst case {last}")
    if abs(float(limit) - worst["email_limit"]) > 0.05:
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
