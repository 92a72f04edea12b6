#!/usr/bin/env python3
"""Plays Outreach for an export document: creates every request's record
(ids from 101 up, references resolved), then answers the read of each
sequence as Outreach's API does,
GET /api/v2/sequences/{id}?include=sequenceSteps.sequenceTemplates.template:
one JSON:API document, the sequence in `data` with its read-only attributes,
the steps, their sequenceTemplates and the templates in `included`.

Usage: outreach_read.py EXPORT.json OUT_DIR
Writes OUT_DIR/<sequence name>.json for each sequence of the export.
"""
import copy
import json
import os
import sys

from json_pointer import put


def main():
    exported = json.load(open(sys.argv[1]))
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    next_id = 101
    for sequence in exported["sequences"]:
        created = {}  # request id -> resource
        for request in sequence["requests"]:
            body = copy.deepcopy(request["body"])
            for reference in request["references"]:
                put(body, reference["pointer"], created[reference["request"]]["id"])
            resource = body["data"]
            resource["id"] = next_id
            next_id += 1
            created[request["id"]] = resource
        records = list(created.values())
        head = next(r for r in records if r["type"] == "sequence")
        head["attributes"].update({"enabled": False, "locked": False, "sequenceStepCount":
                                   sum(1 for r in records if r["type"] == "sequenceStep")})
        for record in records:
            if record["type"] == "sequenceTemplate":
                record["attributes"]["enabled"] = True
            if record["type"] == "template":
                record["attributes"]["archived"] = False
        included = [r for r in records if r is not head]
        name = sequence["name"]
        with open(os.path.join(out_dir, name + ".json"), "w") as out:
            json.dump({"data": head, "included": included}, out, indent=2)
            out.write("\n")


main()
