#!/usr/bin/env python3
"""The Salesloft round trip: reads a cadence as Salesloft's cadence export
returns it (GET /v2/cadence_exports/{id}.json answers with the imported
cadence's settings and step groups, all inside `data.cadence_content`) and compares it with the plan it was
exported from: the order of the steps, the days between them, their
channels, and the reply, bounce and booked-meeting settings.

Usage: salesloft_roundtrip.py PLAN.json EXPORT.json
"""
import json
import sys

TOUCHES = {"email", "sms", "call", "linkedin", "task"}


def plan_steps(sequence):
    """(name, channel, day) of each touch along the plan's single path."""
    steps = {step["id"]: step for step in sequence["steps"]}
    out = []
    current = sequence["entry"]
    while current is not None:
        step = steps[current]
        if step["kind"] in TOUCHES:
            out.append((step["id"], step["channel"], 1 + step["timing"]["earliest_minutes"] // 1440))
        if step["kind"] == "exit" or not step["next"]:
            break
        current = step["next"][0]["step"]
    return out


def read_back(cadence_export):
    """(name, channel, day) of each step, as a reader of Salesloft's export sees it."""
    content = cadence_export["data"]["cadence_content"]
    out = []
    for group in sorted(content["step_groups"], key=lambda g: g["day"]):
        for step in group["steps"]:
            kind = step["type"]
            if kind == "Email":
                channel = "email"
            elif kind == "Phone":
                channel = "call"
            elif step["type_settings"].get("instructions", "").startswith("LinkedIn "):
                channel = "linkedin"
            else:
                channel = "task"
            out.append((step["name"], channel, group["day"]))
    return out, content["settings"]


plan = json.load(open(sys.argv[1]))
export = json.load(open(sys.argv[2]))
failures = 0
for sequence, exported in zip(plan["sequences"], export["sequences"]):
    body = exported["requests"][0]["body"]
    # What GET /v2/cadence_exports/{id}.json would answer for the imported
    # cadence: the import sends settings and sharing_settings beside
    # cadence_content; the export answers them inside it.
    content = dict(body["cadence_content"], settings=body["settings"], sharing_settings=body["sharing_settings"])
    steps, settings = read_back({"data": {"cadence_content": content}})
    expected = plan_steps(sequence)
    if steps != expected:
        failures += 1
        print(f"{sequence['name']}: steps differ\n  plan:      {expected}\n  read back: {steps}")
    gaps = [b[2] - a[2] for a, b in zip(steps, steps[1:])]
    plan_gaps = [b[2] - a[2] for a, b in zip(expected, expected[1:])]
    if gaps != plan_gaps:
        failures += 1
        print(f"{sequence['name']}: waits differ: {plan_gaps} != {gaps}")
    handlers = {h["event"]: h["action"] for h in sequence["handlers"]}
    for event, key in (("replied", "remove_replied"), ("bounced", "remove_bounced"),
                       ("meeting_booked", "remove_people_when_meeting_booked")):
        if settings[key] != (handlers.get(event) == "exit"):
            failures += 1
            print(f"{sequence['name']}: {key} is {settings[key]}, the plan's {event} handler says otherwise")
    print(f"{sequence['name']}: {len(steps)} steps read back, days {[s[2] for s in steps]}, "
          f"channels {[s[1] for s in steps]}")
print("round trip:", "differences found" if failures else "agrees with the plan")
sys.exit(1 if failures else 0)
