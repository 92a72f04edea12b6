#!/usr/bin/env python3
"""Plays HubSpot for an export document: creates every request's record
(ids from 5001 up, as strings, references resolved), then answers the
reads HubSpot's API gives back, in the shapes of its published
description (Sequences and Email Templates, 2026-09-beta):

- the sequence, GET /automation/sequences/2026-09-beta/serviceaccounts/
  sequences/{id}: a PublicSequenceResponseV2, whose steps and settings carry
  what a read returns and nothing else (no variants, no branch numbers, no
  unenrolment settings, no task creation minute);
- its templates, GET /automation/email-templates/2026-09-beta: the list
  read's `results` of PublicTemplate.

Usage: hubspot_read.py EXPORT.json OUT_DIR
Writes OUT_DIR/<sequence name>.json and OUT_DIR/<sequence name>.templates.json.
"""
import copy
import json
import os
import sys

from json_pointer import put

STAMP = "2026-11-30T09:00:00Z"


def main():
    exported = json.load(open(sys.argv[1]))
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    next_id = [5001]

    def new_id():
        value = str(next_id[0])
        next_id[0] += 1
        return value

    for sequence in exported["sequences"]:
        created = {}
        templates = []
        read = None
        for request in sequence["requests"]:
            body = copy.deepcopy(request["body"])
            for reference in request["references"]:
                put(body, reference["pointer"], created[reference["request"]]["id"])
            record = {"id": new_id()}
            if request["path"].startswith("/automation/email-templates/"):
                record.update({"name": body["name"], "subject": body.get("subject", ""), "body": body["body"],
                               "ownerId": "77", "createdAt": 1764493200000, "updatedAt": 1764493200000})
                templates.append(record)
            else:
                settings = body["settings"]
                steps = []
                for step in body["steps"]:
                    answer = {"id": new_id(), "stepOrder": step["stepOrder"], "actionType": step["actionType"],
                              "delayMillis": step["delayMillis"], "createdAt": STAMP, "updatedAt": STAMP}
                    for pattern in ("emailPattern", "taskPattern"):
                        if pattern in step:
                            answer[pattern] = dict(step[pattern], id=new_id(), createdAt=STAMP, updatedAt=STAMP)
                    steps.append(answer)
                record.update({
                    "name": body["name"], "userId": "77", "createdAt": STAMP, "updatedAt": STAMP,
                    "dependencies": [], "steps": steps,
                    "settings": {key: settings[key] for key in (
                        "eligibleFollowUpDays", "individualTaskRemindersEnabled", "sellingStrategy",
                        "sendWindowStartMinute", "sendWindowEndMinute", "taskReminderMinute")},
                })
                record["settings"].update({"id": new_id(), "createdAt": STAMP, "updatedAt": STAMP})
                read = record
            created[request["id"]] = record
        name = sequence["name"]
        with open(os.path.join(out_dir, name + ".json"), "w") as out:
            json.dump(read, out, indent=2)
            out.write("\n")
        with open(os.path.join(out_dir, name + ".templates.json"), "w") as out:
            json.dump({"results": templates}, out, indent=2)
            out.write("\n")


main()
