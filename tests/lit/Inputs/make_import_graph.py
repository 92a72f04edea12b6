#!/usr/bin/env python3
"""Writes .cadence files whose imports form a given graph, for tests of
loading and checking at scale.

  make_import_graph.py DIR chain N   d{i} imports d{i+1}, plus an entity each
  make_import_graph.py DIR dense N   f{i} imports every f{j} with j > i
  make_import_graph.py DIR cycle N   c{i} imports c{(i+1) % N}

With --broken, the last file has a syntax error (every importer then
reports an import error).
"""
import os
import sys

args = [a for a in sys.argv[1:] if a != "--broken"]
broken = "--broken" in sys.argv
directory, shape, count = args[0], args[1], int(args[2])
os.makedirs(directory, exist_ok=True)
for i in range(count):
    if shape == "chain":
        name = f"d{i}"
        imports = [f"d{i + 1}"] if i + 1 < count else []
    elif shape == "dense":
        name = f"f{i:02d}"
        imports = [f"f{j:02d}" for j in range(i + 1, count)]
    elif shape == "cycle":
        name = f"c{i}"
        imports = [f"c{(i + 1) % count}"]
    else:
        sys.exit(f"unknown shape {shape}")
    with open(os.path.join(directory, name + ".cadence"), "w") as out:
        for target in imports:
            out.write(f'import "./{target}.cadence"\n')
        out.write(f"entity e_{name} {{\n  code: string\n}}\n")
        if broken and i == count - 1:
            out.write("sequence broken {\n  wait\n}\n")
