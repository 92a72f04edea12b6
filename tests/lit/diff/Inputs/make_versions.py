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
# A richer sequence for the changes that are not about the flow: audience,
# copy, scripts, notes, sending mode, team, title and volume.
rich = '''import "std/lead"
template t for lead { subject "Quick question" body "Hi {{lead.firstname | \"there\"}}, worth a call?" }
segment hot on lead { where leadqualitycode == hot }
segment warm on lead { where leadqualitycode == warm }
sequence r {
  title "Hot leads"
  target lead
  team "sdr-east"
  enroll 40/day
  limit email 200/day
  segment hot on_leave exit
  on replied exit "replied" then qualify
  on bounced exit "bounced"
  email intro { template t mode manual }
  wait 2d
  call ring { script "Ask about the pilot" }
  wait 1d
  linkedin connect hello { note "Following up on my note" }
  wait 1d
  task last { note "Check the account" }
}
'''
versions.update({
    "rich": rich,
    "segment-changed": rich.replace("segment hot on_leave", "segment warm on_leave"),
    "filter-changed": rich.replace("where leadqualitycode == hot }", "where leadqualitycode == hot and createdon in last 30d }"),
    "on-leave-changed": rich.replace("on_leave exit", "on_leave pause"),
    "script-changed": rich.replace("Ask about the pilot", "Ask about the budget"),
    "linkedin-note-changed": rich.replace("Following up on my note", "Saw your post"),
    "body-changed": rich.replace("worth a call?", "worth a chat?"),
    "mode-changed": rich.replace("mode manual", "mode auto"),
    "team-changed": rich.replace('team "sdr-east"', 'team "sdr-west"'),
    "title-changed": rich.replace('title "Hot leads"', 'title "Hot leads (v2)"'),
    "enroll-changed": rich.replace("enroll 40/day", "enroll 60/day"),
    "handler-outcome-changed": rich.replace('on replied exit "replied" then qualify', 'on replied exit "replied"'),
})
(out / "base.cadence").write_text(base)
for name, text in versions.items():
    (out / f"{name}.cadence").write_text(text)
print(f"wrote {len(versions)} versions")
