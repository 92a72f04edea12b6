"""Writes copies of a plan with one number out of its range each."""
import copy
import json
import sys

plan = json.load(open(sys.argv[1]))
out = sys.argv[2]


def variant(name, change):
    changed = copy.deepcopy(plan)
    change(changed["sequences"][0])
    # Written by hand: huge integers and floats exactly as given.
    with open(f"{out}/{name}.json", "w") as f:
        f.write(json.dumps(changed).replace('"@HUGE@"', "9223372036854775807").replace('"@FLOAT@"', "1e81")
                .replace('"@UNSIGNED@"', "18446744073709551615"))


def step(sequence, kind):
    return next(s for s in sequence["steps"] if s["kind"] == kind)


def handler(sequence, event):
    return next(h for h in sequence["handlers"] if h["event"] == event)


variant("negative-wait", lambda s: step(s, "wait").update(minutes=-1440))
variant("negative-edge", lambda s: step(s, "email")["next"][0].update(min_delay_minutes=-60))
variant("negative-rate", lambda s: s.update(enroll={"count": -5, "per": "day"}))
variant("negative-pause", lambda s: handler(s, "out_of_office").update(minutes=-7200))
variant("huge-timing", lambda s: step(s, "call")["timing"].update(earliest_minutes="@HUGE@"))
variant("float-pause", lambda s: handler(s, "out_of_office").update(minutes="@FLOAT@"))
variant("unsigned", lambda s: step(s, "call")["timing"].update(latest_minutes="@UNSIGNED@"))


def backwards(sequence):
    # A touch said to be due before the touch that leads to it.
    touches = [s for s in sequence["steps"] if s["kind"] in ("email", "call", "task", "linkedin")]
    touches[2]["timing"] = {"earliest_minutes": 0, "latest_minutes": 0}


variant("backwards-timing", backwards)
