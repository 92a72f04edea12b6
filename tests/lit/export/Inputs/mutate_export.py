#!/usr/bin/env python3
"""Writes a copy of an export document with one defect, for the tests that
show a validator refuses it.

Usage: mutate_export.py nested|read-only|enum|relationship IN.json OUT.json
  nested        Salesloft: settings and sharing_settings moved into cadence_content
  read-only     Outreach: the sequence sends createdAt, a read-only attribute
  enum          Outreach: the first step's stepType is "linkedin"
  relationship  Outreach: the first sequence template loses its template
"""
import json
import sys

kind, source, destination = sys.argv[1:4]
document = json.load(open(source))
requests = document["sequences"][0]["requests"]


def first(suffix):
    return next(r for r in requests if r["path"].endswith(suffix))


if kind == "nested":
    body = requests[0]["body"]
    body["cadence_content"]["settings"] = body.pop("settings")
    body["cadence_content"]["sharing_settings"] = body.pop("sharing_settings")
elif kind == "read-only":
    first("/sequences")["body"]["data"]["attributes"]["createdAt"] = "2026-01-05T09:00:00Z"
elif kind == "enum":
    first("/sequenceSteps")["body"]["data"]["attributes"]["stepType"] = "linkedin"
elif kind == "relationship":
    del first("/sequenceTemplates")["body"]["data"]["relationships"]["template"]
else:
    sys.exit(f"unknown mutation: {kind}")
json.dump(document, open(destination, "w"), indent=2)
