#!/usr/bin/env python3
"""For every member the plan schema defines for a sequence, a step, a handler
and a template, writes a copy of a plan with that one member changed and
runs `cadence diff` on the pair: each must report at least one change, so a
member added to the schema cannot be forgotten by the diff. Members derived
from others (summary, timing) or positional (location, content_hash) are
left out. Prints `MEMBER: N changes` per member, `MISSED MEMBER` on a miss.

Usage: schema_pairs.py CADENCE SCHEMA BASE_PLAN WORK_DIR
"""
import copy
import json
import pathlib
import subprocess
import sys

cadence, schema_path, base_path, work = sys.argv[1:5]
work = pathlib.Path(work)
work.mkdir(parents=True, exist_ok=True)
schema = json.load(open(schema_path))
base = json.load(open(base_path))
DERIVED = {"summary", "location", "content_hash", "timing"}


def mutate(value):
    """A different value of the same shape."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "_x"
    if isinstance(value, int):
        return value + 1
    if value is None:
        return "x"
    if isinstance(value, list):
        return value[:-1] if len(value) > 1 else value + value
    if isinstance(value, dict):
        changed = dict(value)
        for key, member in value.items():
            if key not in DERIVED:
                changed[key] = mutate(member)
                return changed
    return value


def check(label, plan):
    path = work / (label.replace(".", "_") + ".json")
    path.write_text(json.dumps(plan))
    run = subprocess.run([cadence, "diff", "--format", "json", base_path, str(path)], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(f"MISSED {label}: diff failed: {run.stderr.strip()}")
        return
    changes = json.loads(run.stdout)["changes"]
    print(f"{label}: {len(changes)} changes" if changes else f"MISSED {label}")


def properties(definition):
    """The members a definition allows, in each of its alternatives."""
    found = list(definition.get("properties", {}))
    for alternative in definition.get("oneOf", []) + definition.get("anyOf", []):
        found += [key for key in alternative.get("properties", {}) if key not in found]
    return found


sequence = base["sequences"][0]
steps = sequence["steps"]
ids = [s["id"] for s in steps]

for key in properties(schema["definitions"]["sequence"]):
    if key in DERIVED or key == "steps":
        continue
    plan = copy.deepcopy(base)
    target = plan["sequences"][0]
    if key == "entry":
        target["entry"] = ids[1]
    elif key in ("name", "id"):
        target[key] = target[key] + "_x"
    elif key == "templates":
        target[key][0] = mutate(target[key][0])
    else:
        target[key] = mutate(target.get(key))
    check(f"sequence.{key}", plan)

for key in properties(schema["definitions"]["step"]):
    if key in DERIVED:
        continue
    index = next((i for i, s in enumerate(steps) if key in s), None)
    if index is None:
        print(f"MISSED step.{key}: no step of the base plan has it")
        continue
    plan = copy.deepcopy(base)
    step = plan["sequences"][0]["steps"][index]
    if key == "id":
        old = step["id"]
        step["id"] = old + "_x"
        for other in plan["sequences"][0]["steps"]:
            for edge in other["next"]:
                if edge["step"] == old:
                    edge["step"] = old + "_x"
        if plan["sequences"][0]["entry"] == old:
            plan["sequences"][0]["entry"] = old + "_x"
    elif key == "next":
        step["next"][0]["step"] = ids[-1]
    else:
        step[key] = mutate(step[key])
    check(f"step.{key}", plan)

for definition, member_name in (("handler", "handlers"), ("template", "templates")):
    for key in properties(schema["definitions"][definition]):
        if key in DERIVED:
            continue
        plan = copy.deepcopy(base)
        items = plan["sequences"][0][member_name]
        index = next((i for i, item in enumerate(items) if key in item), None)
        if index is None:
            print(f"MISSED {definition}.{key}: no {definition} of the base plan has it")
            continue
        items[index][key] = mutate(items[index][key])
        check(f"{definition}.{key}", plan)
