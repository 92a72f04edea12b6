#!/usr/bin/env python3
"""Writes the compilation database clang-tidy runs on.

The build force-includes a precompiled header (the standard library's most
used headers, fmt and nlohmann/json) in every file. clang-tidy's checks then
walk all of it in every file, nlohmann/json's templates included, even where
a file never uses them: a file that needs no JSON is checked several times
faster without the header. Files that include nlohmann/json.hpp, directly or
through the project's own headers, keep it, where it saves parsing.

Usage: tidy_database.py BUILD_DIR OUT_DIR
"""
import json
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
PCH_FLAGS = re.compile(r" -Xclang -include-pch -Xclang \S+| -Xclang -include -Xclang \S+| -Winvalid-pch")


def main():
    build, out = sys.argv[1], sys.argv[2]
    entries = json.load(open(os.path.join(build, "compile_commands.json")))
    roots = []
    for entry in entries:
        roots += re.findall(r" -I(\S+)", entry["command"])
    roots = list(dict.fromkeys(roots))
    uses_json = {}

    def needs_json(path, seen):
        if path in uses_json:
            return uses_json[path]
        if path in seen:
            return False
        seen.add(path)
        try:
            text = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            return False
        found = False
        for kind, name in INCLUDE.findall(text):
            if name == "nlohmann/json.hpp":
                found = True
            elif kind == '"':
                for root in [os.path.dirname(path)] + roots:
                    candidate = os.path.normpath(os.path.join(root, name))
                    if os.path.exists(candidate):
                        found = found or needs_json(candidate, seen)
                        break
            if found:
                break
        uses_json[path] = found
        return found

    kept = 0
    for entry in entries:
        if not needs_json(entry["file"], set()):
            entry["command"] = PCH_FLAGS.sub("", entry["command"])
        else:
            kept += 1
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "compile_commands.json"), "w") as handle:
        json.dump(entries, handle, indent=1)
    print(f"clang-tidy: {len(entries)} files, {kept} with the precompiled header (they use nlohmann/json)")


main()
