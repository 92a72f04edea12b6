#!/usr/bin/env python3
"""Plays Salesloft for an export document: imports each cadence and answers
the cadence export as Salesloft does (GET /v2/cadence_exports/{id}.json): the
import's settings, sharing settings and step groups, all inside
`data.cadence_content`.

Usage: salesloft_read.py EXPORT.json OUT_DIR
Writes OUT_DIR/<sequence name>.json for each sequence of the export.
"""
import json
import os
import sys


def main():
    exported = json.load(open(sys.argv[1]))
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for sequence in exported["sequences"]:
        (request,) = sequence["requests"]
        body = request["body"]
        content = {"settings": body["settings"], "sharing_settings": body["sharing_settings"],
                   "step_groups": body["cadence_content"]["step_groups"]}
        with open(os.path.join(out_dir, sequence["name"] + ".json"), "w") as out:
            json.dump({"data": {"cadence_content": content}}, out, indent=2)
            out.write("\n")


main()
