#!/usr/bin/env python3
"""Rebuilds the export document from the folders `cadence export -o DIR/`
writes (manifest.json and one file per request body), so that a test can
compare it with the single-file export byte for byte.

Usage: reassemble.py FOLDER...   (one folder per sequence, in plan order)
"""
import json
import pathlib
import sys

document = None
for folder in map(pathlib.Path, sys.argv[1:]):
    manifest = json.loads((folder / "manifest.json").read_text())
    if document is None:
        document = {"format": "cadence-export", "version": manifest["version"]}
        for key in ("target", "api", "generator", "source"):
            document[key] = manifest[key]
        document["sequences"] = []
    requests = []
    for order, request in enumerate(manifest["requests"], start=1):
        if request["order"] != order:
            sys.exit(f"{folder}: request {request['id']} has order {request['order']}, expected {order}")
        requests.append({"id": request["id"], "method": request["method"], "path": request["path"],
                         "body": json.loads((folder / request["body_file"]).read_text()),
                         "references": request["references"]})
    document["sequences"].append({"name": manifest["name"], "content_hash": manifest["content_hash"],
                                  "requests": requests, "fidelity": manifest["fidelity"]})
print(json.dumps(document, indent=2, ensure_ascii=False))
