#!/usr/bin/env python3
"""Holds the stdlib's choice fields to Dataverse's stock schema.

Reads every `entity NAME [as TABLE] { ... field: option { name = value, ... } }`
of stdlib/std/*.cadence and compares each choice field with the fixture of
stock values and labels (tests/fixtures/dataverse/stock-choices.json, from
Microsoft's generated entity reference):
  - the table and the column exist in the fixture;
  - the values are exactly the stock values;
  - each name is its stock label in snake_case (lower case, apostrophes
    dropped, every other run of characters that are not letters or digits
    one underscore), the rule docs/language.md states.

Usage: stock_choices.py STDLIB_DIR FIXTURE.json
"""
import json
import pathlib
import re
import sys


def stock_name(label):
    text = label.lower().replace("'", "").replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


stdlib, fixture = pathlib.Path(sys.argv[1]), json.load(open(sys.argv[2]))
entity_pattern = re.compile(r"entity\s+(\w+)(?:\s+as\s+(\w+))?\s*\{(.*?)\n\}", re.S)
option_pattern = re.compile(r"(\w+)\s*:\s*option\s*\{([^}]*)\}", re.S)
failures = checked = 0
for path in sorted((stdlib / "std").glob("*.cadence")):
    text = re.sub(r"//[^\n]*", "", path.read_text())
    for entity, table, body in entity_pattern.findall(text):
        table = table or entity
        stock = fixture["tables"].get(table)
        if stock is None:
            print(f"{path.name}: entity {entity}: table '{table}' is not in the fixture")
            failures += 1
            continue
        for field, options in option_pattern.findall(body):
            checked += 1
            declared = {}
            for item in options.split(","):
                if item.strip():
                    name, value = (part.strip() for part in item.split("="))
                    declared[int(value)] = name
            rows = stock["choices"].get(field)
            if rows is None:
                print(f"{path.name}: {entity}.{field}: '{table}' has no stock choice column '{field}'")
                failures += 1
                continue
            expected = {value: stock_name(label) for value, label in rows}
            for value in sorted(set(declared) | set(expected)):
                if value not in expected:
                    print(f"{path.name}: {entity}.{field}: {declared[value]} = {value} is not a stock value")
                    failures += 1
                elif value not in declared:
                    print(f"{path.name}: {entity}.{field}: stock value {value} ({expected[value]}) is missing")
                    failures += 1
                elif declared[value] != expected[value]:
                    label = dict(rows)[value]
                    print(f"{path.name}: {entity}.{field}: {declared[value]} = {value}, but the stock label "
                          f"\"{label}\" names it {expected[value]}")
                    failures += 1
print(f"{checked} choice fields checked, {failures} differences")
sys.exit(1 if failures else 0)
