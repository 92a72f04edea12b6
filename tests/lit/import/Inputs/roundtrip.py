#!/usr/bin/env python3
"""Round trips through a platform: export a file, let a fake platform
create and read back what was sent (PLATFORM_read.py), import the reads,
check the imported source, export it again, and compare. Then read and
import once more: the second import must give the same source (a fixed
point).

Usage: roundtrip.py PLATFORM CADENCE OUT_DIR FILE...
One line per file: skipped (the platform cannot carry it), or the counts and
whether the requests are the same (Outreach's sequence description, which
names the source's content hash, aside).
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(*args, check=True):
    done = subprocess.run(args, capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(args)}\n{done.stderr}")
    return done


def requests_of(export_path):
    out = []
    for sequence in json.load(open(export_path))["sequences"]:
        for request in sequence["requests"]:
            body = json.loads(json.dumps(request["body"]))
            if "data" in body:
                body["data"].get("attributes", {}).pop("description", None)
            out.append((request["method"], request["path"], body))
    return out


def read_and_import(platform, cadence, export_path, work, tag):
    reads = os.path.join(work, f"read{tag}")
    run(sys.executable, os.path.join(HERE, f"{platform}_read.py"), export_path, reads)
    documents = sorted(os.path.join(reads, name) for name in os.listdir(reads))
    # Each import in a folder of its own: two copies of a sequence in one
    # project would be duplicate definitions.
    os.makedirs(os.path.join(work, f"source{tag}"), exist_ok=True)
    imported = os.path.join(work, f"source{tag}", "imported.cadence")
    run(cadence, "import", "--from", platform, *documents, "-o", imported)
    return imported


def read_loses(platform, export_path):
    """What the platform's read leaves out of this export, if anything."""
    if platform == "hubspot":
        for sequence in json.load(open(export_path))["sequences"]:
            for request in sequence["requests"]:
                if any(step.get("variants") for step in request["body"].get("steps", [])):
                    return "HubSpot's read returns no step variants"
    return None


def main():
    platform, cadence, out_dir, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    title = {"hubspot": "HubSpot"}.get(platform, platform.capitalize())
    failed = False
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0]
        work = os.path.join(out_dir, name)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        first = os.path.join(work, "export1.json")
        exported = run(cadence, "export", "--target", platform, path, "-o", first, check=False)
        if exported.returncode != 0:
            print(f"{name}: skipped, {title} cannot carry it")
            continue
        lost = read_loses(platform, first)
        if lost:
            print(f"{name}: skipped, {lost}")
            continue
        imported = read_and_import(platform, cadence, first, work, "1")
        checked = run(cadence, "check", imported, check=False)
        if checked.returncode != 0:
            print(f"{name}: the imported source does not check\n{checked.stdout}{checked.stderr}")
            failed = True
            continue
        second = os.path.join(work, "export2.json")
        run(cadence, "export", "--target", platform, imported, "-o", second)
        before, after = requests_of(first), requests_of(second)
        again = read_and_import(platform, cadence, second, work, "2")
        fixed = open(imported).read() == open(again).read()
        same = before == after
        sequences = len(json.load(open(first))["sequences"])
        print(f"{name}: {sequences} sequence(s), {len(before)} requests: "
              f"{'same requests' if same else 'requests differ'}; "
              f"{'the import is a fixed point' if fixed else 'the second import differs'}")
        if not same:
            for a, b in zip(before, after):
                if a != b:
                    print(f"  first difference:\n    {json.dumps(a)}\n    {json.dumps(b)}")
                    break
        failed |= not (same and fixed)
    sys.exit(1 if failed else 0)


main()
