#!/usr/bin/env python3
"""Writes base.cadence and one edited copy per kind of change into OUT_DIR."""
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
base = '''import "std/lead"
template t for lead { subject "a" body "b" }
template u for lead { subject "c" body "d" }
sequence s {
  target lead
  on replied exit "replied"
  on bounced exit "bounced"
  email intro { template t }
  wait 2d
  branch opened(intro) within 2d { yes { call c { script "x" } } }
  wait 1d
  task last { note "x" }
}
'''
versions = {
    "same": base,
    "step-removed": base.replace(' yes { call c { script "x" } } ', ' yes { exit } '),
    "step-renamed": base.replace("call c {", "call c2 {"),
    "kind-changed": base.replace('task last { note "x" }', 'call last { script "x" }'),
    "wait-changed": base.replace("wait 2d", "wait 3d"),
    "branch-changed": base.replace("opened(intro) within 2d", "clicked(intro) within 2d"),
    "handler-removed": base.replace('  on bounced exit "bounced"\n', ""),
    "step-added": base.replace('  task last { note "x" }\n', '  task last { note "x" }\n  wait 1d\n  call closing { script "x" }\n'),
    "template-changed": base.replace("email intro { template t }", "email intro { template u }"),
    "target-changed": base.replace("template t for lead", "template t for contact").replace("template u for lead", "template u for contact")
                          .replace("target lead", "target contact").replace('import "std/lead"', 'import "std/contact"'),
}
(out / "base.cadence").write_text(base)
for name, text in versions.items():
    (out / f"{name}.cadence").write_text(text)
print(f"wrote {len(versions)} versions")
