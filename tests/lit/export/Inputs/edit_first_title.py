"""Changes the title of a plan's first sequence (a new export for it)."""
import json
import sys

plan = json.load(open(sys.argv[1]))
plan["sequences"][0]["title"] = "Edited title"
json.dump(plan, open(sys.argv[2], "w"))
