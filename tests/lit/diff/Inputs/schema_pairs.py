#!/usr/bin/env python3
"""For every member the plan schema defines for a sequence, a step, a handler
and a template, writes a copy of a plan with that one member changed and
runs `cadence diff` on the pair: each must report at least one change, so a
member added to the schema cannot be forgotten by the diff. Members derived
from others (summary, timing) or positional (location, content_hash) are
left out. Every changed plan is still a valid plan (cadence refuses any
other): an enumeration takes another of its values, a renamed step or
template is renamed wherever it is named. Prints `MEMBER: N changes` per
member, `MISSED MEMBER` on a miss.

A step member no step of the base plan has is looked for in the MORE plans,
in order, and changed there.

Usage: schema_pairs.py CADENCE SCHEMA BASE_PLAN WORK_DIR [MORE_PLAN...]
"""
import copy
import json
import pathlib
import subprocess
import sys

cadence, schema_path, base_path, work = sys.argv[1:5]
more_paths = sys.argv[5:]
work = pathlib.Path(work)
work.mkdir(parents=True, exist_ok=True)
schema = json.load(open(schema_path))
base = json.load(open(base_path))
DERIVED = {"summary", "location", "content_hash", "timing"}


def enum_of(definition, key):
    """The values the schema allows for `key` of `definition`, if an enumeration."""
    found = schema["definitions"][definition].get("properties", {}).get(key, {})
    if "$ref" in found:
        found = schema["definitions"][found["$ref"].rsplit("/", 1)[1]]
    return found.get("enum")


def other(values, value):
    return next(v for v in values if v != value)


def rename_step(sequence, old, new):
    """Renames a step wherever the sequence names it."""
    def walk(value):
        if isinstance(value, dict):
            for key, member in value.items():
                if key in ("step", "call") and member == old:
                    value[key] = new
                else:
                    walk(member)
        elif isinstance(value, list):
            for member in value:
                walk(member)
    for step in sequence["steps"]:
        if step["id"] == old:
            step["id"] = new
        walk(step)
    if sequence["entry"] == old:
        sequence["entry"] = new
    sequence["summary"]["silent_path"] = [new if s == old else s for s in sequence["summary"]["silent_path"]]


def rename_template(sequence, old, new):
    for item in sequence["templates"]:
        if item["name"] == old:
            item["name"] = new
    for step in sequence["steps"]:
        if step.get("template") == old:
            step["template"] = new
        for variant in step.get("variants", []):
            if variant["template"] == old:
                variant["template"] = new


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


def check(label, plan, against=None):
    path = work / (label.replace(".", "_") + ".json")
    path.write_text(json.dumps(plan))
    run = subprocess.run([cadence, "diff", "--format", "json", against or base_path, str(path)], capture_output=True,
                         text=True)
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
        target[key][0]["subject"]["text"] += "_x"
    elif enum_of("sequence", key):
        target[key] = other(enum_of("sequence", key), target[key])
    else:
        target[key] = mutate(target.get(key))
    check(f"sequence.{key}", plan)

for key in properties(schema["definitions"]["step"]):
    if key in DERIVED:
        continue
    index = next((i for i, s in enumerate(steps) if key in s), None)
    if index is None:
        # Another plan has it (a step kind the base plan does not use).
        for more in more_paths:
            other_plan = json.load(open(more))
            found = next((i for i, s in enumerate(other_plan["sequences"][0]["steps"]) if key in s), None)
            if found is not None:
                changed = copy.deepcopy(other_plan)
                changed["sequences"][0]["steps"][found][key] = mutate(changed["sequences"][0]["steps"][found][key])
                check(f"step.{key}", changed, against=more)
                break
        else:
            print(f"MISSED step.{key}: no step of the base plan has it")
        continue
    plan = copy.deepcopy(base)
    target = plan["sequences"][0]
    step = target["steps"][index]
    if key == "id":
        rename_step(target, step["id"], step["id"] + "_x")
    elif key == "call":
        # The call an outcome branch reads is named by its id: rename it.
        rename_step(target, step["call"], step["call"] + "_x")
    elif key == "next":
        step["next"][0]["step"] = ids[-1]
    elif key in ("kind", "channel"):
        # The channel is the kind: a call no outcome branch reads becomes a
        # task (its script a note), or a task becomes a call.
        read = {s.get("call") for s in steps}
        index = next(i for i, s in enumerate(steps) if s["kind"] == "task" or
                     (s["kind"] == "call" and s["id"] not in read))
        step = target["steps"][index]
        was, now, text_from, text_to = ("task", "call", "note", "script") if step["kind"] == "task" else \
            ("call", "task", "script", "note")
        step["kind"] = step["channel"] = now
        if text_from in step:
            step[text_to] = step.pop(text_from)
    elif key == "template":
        index = next(i for i, s in enumerate(steps) if s.get("template"))
        step = target["steps"][index]
        step["template"] = other([t["name"] for t in target["templates"]], step["template"])
    elif key == "variants":
        step["variants"][0]["percent"] -= 10
        step["variants"][1]["percent"] += 10
    elif key == "condition":
        condition = step["condition"]
        while "not" in condition:
            condition = condition["not"]
        if "signal" in condition:
            condition["signal"] = other(["opened", "clicked"], condition["signal"])
        else:
            list_key = "all" if "all" in condition else "any"
            condition[other(["all", "any"], list_key)] = condition.pop(list_key)
    elif key == "outcome":
        outcome = step["outcome"]
        step["outcome"] = {"kind": "qualify"} if outcome is None or outcome["kind"] != "qualify" else None
    elif enum_of("step", key):
        step[key] = other(enum_of("step", key), step[key])
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
        item = items[index]
        if definition == "template" and key == "name":
            rename_template(plan["sequences"][0], item["name"], item["name"] + "_x")
        elif key == "event":
            unused = [e for e in schema["definitions"]["event"]["enum"] if e not in [h["event"] for h in items]]
            if unused:
                item["event"] = unused[0]
            else:
                item["event"], items[index + 1]["event"] = items[index + 1]["event"], item["event"]
        elif key == "action":
            items[index] = {"event": item["event"], "action": "pause", "minutes": 1440} if item["action"] == "exit" \
                else {"event": item["event"], "action": "exit", "reason": "x", "outcome": None}
        elif key == "outcome":
            item["outcome"] = {"kind": "qualify"} if item["outcome"] is None or item["outcome"]["kind"] != "qualify" \
                else None
        else:
            item[key] = mutate(item[key])
        check(f"{definition}.{key}", plan)
