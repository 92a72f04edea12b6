#!/usr/bin/env python3
"""Replays an export document the way a client would, against a fake
platform that answers each request with a new id: every reference must name
an earlier request and a place in the body that holds a placeholder, and no
placeholder may be left once the references are applied.

Usage: replay.py EXPORT.json
Prints one line per request (method, path, the ids it received) and a total.
"""
import copy
import json
import sys


def pointer_parts(pointer):
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def get(document, pointer):
    for part in pointer_parts(pointer):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def put(document, pointer, value):
    parts = pointer_parts(pointer)
    for part in parts[:-1]:
        document = document[int(part)] if isinstance(document, list) else document[part]
    last = parts[-1]
    if isinstance(document, list):
        document[int(last)] = value
    else:
        if last not in document:
            raise SystemExit(f"error: pointer {pointer} names no member")
        document[last] = value


def response(response_pointer, value):
    """The fake platform's answer: the new id at the place the reference reads."""
    out = {}
    node = out
    parts = pointer_parts(response_pointer)
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return out


def placeholders(body, path=""):
    """Relationship ids of 0 (JSON:API) and template ids of "0" left in a body."""
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            here = f"{path}/{key}"
            if key == "id" and value == 0 and "type" in body:
                found.append(here)
            elif key == "templateId" and value == "0":
                found.append(here)
            else:
                found.extend(placeholders(value, here))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found.extend(placeholders(value, f"{path}/{index}"))
    return found


document = json.load(open(sys.argv[1]))
target = document["target"]
total_requests = total_references = 0
for sequence in document["sequences"]:
    created = {}
    next_id = 1000
    for request in sequence["requests"]:
        body = copy.deepcopy(request["body"])
        for reference in request["references"]:
            if reference["request"] not in created:
                raise SystemExit(f"error: {request['id']} refers to {reference['request']}, not created before it")
            old = get(body, reference["pointer"])
            if old not in (0, "0"):
                raise SystemExit(f"error: {request['id']} {reference['pointer']} holds {old!r}, not a placeholder")
            answer = created[reference["request"]]
            put(body, reference["pointer"], get(answer, reference["response_pointer"]))
            total_references += 1
        left = placeholders(body)
        if left:
            raise SystemExit(f"error: {request['id']} keeps placeholders at {', '.join(left)}")
        next_id += 1
        # Outreach answers JSON:API documents with integer ids; HubSpot with strings.
        value = next_id if target == "outreach" else str(next_id)
        pointers = {r["response_pointer"] for s in document["sequences"] for q in s["requests"]
                    for r in q["references"] if r["request"] == request["id"]}
        answer = {}
        for pointer in pointers or {"/id"}:
            answer.update(response(pointer, value))
        created[request["id"]] = answer
        total_requests += 1
        print(f"{sequence['name']}: {request['method']} {request['path']} ({request['id']}) -> {value}")
print(f"replayed {total_requests} requests, {total_references} references resolved")
