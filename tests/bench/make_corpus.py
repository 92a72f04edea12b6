#!/usr/bin/env python3
"""Generates a corpus of realistic .cadence files for the throughput benchmark.

Each file is what a revenue-operations team keeps in one place: a custom
entity, templates for leads and contacts with merge fields and fallbacks,
segments with every kind of filter, and many sequences using every construct
of the language (all settings and handlers, every channel and LinkedIn kind,
A/B variants, engagement branches with combined signals, call-outcome
branches, gotos, exits with outcomes and hand-offs, comments). The files
compile without errors; the output is the same for the same arguments.

With --findings, every sequence also has two infos (no out-of-office
pause, a reply branch the reply handler makes redundant), as a real
repository does: the report has findings to render. With --shared N, every
file imports a shared library of N templates (./shared.cadence) and uses one.

Usage: make_corpus.py OUT_DIR [--files N] [--sequences M] [--seed S]
                      [--findings] [--shared N]
"""
import argparse
import pathlib
import random

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("out", type=pathlib.Path)
parser.add_argument("--files", type=int, default=48)
parser.add_argument("--sequences", type=int, default=24, help="sequences per file")
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--findings", action="store_true", help="two infos per sequence")
parser.add_argument("--shared", type=int, default=0, help="templates in a shared library every file imports")
args = parser.parse_args()

INDUSTRIES = ["durable_manufacturing", "business_services", "doctors_offices_and_clinics", "service_retail", "financial", "utility_creation_and_distribution", "consulting"]
SOURCES = ["web", "trade_show", "partner", "seminar", "employee_referral"]
PITCHES = ["month-end close", "supplier lead times", "shift scheduling", "field service routing",
           "contract renewals", "warehouse picking", "claims triage", "onboarding paperwork"]


def header(rng, n):
    out = [f"// Outreach sequences of desk {n}: generated for the throughput benchmark.",
           '// Every sequence has handlers for replies, bounces and opt-outs.', "",
           'import "std/lead"', 'import "std/contact"'] + (['import "./shared.cadence"'] if args.shared else []) + ["",
           f"entity partner_lead_{n} {{",
           "  firstname: string?", "  lastname: string", "  fullname: string", "  companyname: string?",
           "  partnername: string", "  seats: number?", "  renewal: date?", "  active: bool",
           "  tier: option { gold = 1, silver = 2, bronze = 3 }", "}", ""]
    templates = []
    for t in range(6):
        name = f"t{n}_{t}"
        target = "lead" if t < 4 else "contact"
        pitch = rng.choice(PITCHES)
        company = "{{lead.companyname | \"your team\"}}" if target == "lead" else "your team"
        out += [f"template {name} for {target} {{",
                f'  subject "{{{{{target}.firstname | "Hi"}}}}, a note on {pitch}"',
                '  body """',
                f'    Hi {{{{{target}.firstname | "there"}}}},',
                "",
                f"    Teams like {company} tell us {pitch} costs them a day a week.",
                "    We cut that in half for a company of your size. Worth fifteen minutes?",
                "",
                "    {{owner.fullname}}",
                '    {{owner.title | "Account Executive"}}',
                '  """', "}", ""]
        templates.append((name, target))
    out += [f"template p{n} for partner_lead_{n} {{",
            f'  subject "{{{{partner_lead_{n}.partnername}}}} referred you"',
            f'  body "Hi {{{{partner_lead_{n}.firstname | "there"}}}}, your partner suggested we talk.\\n{{{{owner.fullname}}}}"',
            "}", ""]
    segments = []
    for s in range(4):
        name = f"seg{n}_{s}"
        industry, other = rng.sample(INDUSTRIES, 2)
        source = rng.choice(SOURCES)
        where = [
            f"leadqualitycode == hot and industrycode == {industry} and statecode == open and createdon in last 90d",
            f"(leadqualitycode in [hot, warm]) and not (industrycode == {other}) and emailaddress1 is not null"
            f" and account.industrycode == {industry}",
            f"leadsourcecode == {source} and numberofemployees >= {rng.randint(20, 500)} and donotemail == false"
            f" and companyname not contains \"test\" and owner in me_or_my_teams",
            f"statecode == open and (industrycode == {industry} or industrycode == {other}) and companyname != \"Acme\""
            f" and contact.account.numberofemployees > 50",
        ][s]
        out += [f"segment {name} on lead {{", f"  where {where}", "}", ""]
        segments.append(name)
    return out, templates, segments


def sequence(rng, n, k, templates, segments, all_names):
    name = f"desk{n}_seq{k}"
    target = ["lead", "lead", "contact", "lead", f"partner_lead_{n}"][k % 5]
    mine = [t for t, tt in templates if tt == target] or [f"p{n}"]
    lines = [f"// {rng.choice(PITCHES).capitalize()}: {rng.choice(['cold', 'warm', 'inbound', 'event'])} leads.",
             f"sequence {name} {{",
             f'  title "Desk {n}: {rng.choice(PITCHES)} ({k})"',
             f"  target {target}"]
    if target == "lead":
        lines.append(f"  segment {segments[k % len(segments)]} on_leave {rng.choice(['pause', 'exit'])}")
    lines += [f'  team "desk-{n}-{k % 3}"',
              f"  limit email {rng.choice([150, 180, 200])}/day",
              f"  limit call {rng.choice([150, 200])}/day",
              f"  enroll {rng.randint(1, 4)}/day",
              f"  calendar {rng.choice(['business', 'all_days'])}",
              "",
              '  on replied exit "replied"',
              '  on bounced exit "bounced"',
              '  on unsubscribed exit "opted-out"',
              *([] if args.findings else [f"  on out_of_office pause {rng.choice([7, 10, 14])}d"]),
              '  on meeting_booked exit "meeting" then create_opportunity',
              ""]
    counter = [0]

    def label(prefix):
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    # Channels rotate, so no channel is used three times in a row.
    rotation = ["email", "call", "linkedin", "sms", "task"]
    turn = [rng.randrange(len(rotation))]

    def touch(indent, emails):
        pad = "  " * indent
        turn[0] += 1
        channel = rotation[turn[0] % len(rotation)]
        if channel == "email":
            step = label("email")
            if rng.random() < 0.25 and len(mine) > 1:
                a, b = rng.sample(mine, 2)
                share = rng.choice([50, 60, 70])
                lines.append(f"{pad}email {step} {{ variant a {share}% template {a}  variant b {100 - share}% template {b} }}")
            else:
                mode = rng.choice(["", " mode manual", " mode auto"])
                lines.append(f"{pad}email {step} {{ template {rng.choice(mine)}{mode} }}")
            emails.append(step)
        elif channel == "call":
            lines.append(f'{pad}call {label("call")} {{ script "Ask about {rng.choice(PITCHES)}; {{{{{target}.firstname | "they"}}}} opened the last note." }}')
        elif channel == "linkedin":
            how = rng.choice(["message", "inmail", "research", "introduction"])
            lines.append(f'{pad}linkedin {how} {label("li")} {{ note "Following up on {rng.choice(PITCHES)}." }}')
        elif channel == "sms":
            lines.append(f'{pad}sms {label("sms")} {{ text "Hi {{{{{target}.firstname | "there"}}}}, quick one about {rng.choice(PITCHES)}." }}')
        else:
            lines.append(f'{pad}task {label("task")} {{ note "Check the account plan before the next touch." }}')

    emails = []
    first = label("email")
    opener = "shared_0" if args.shared and target == "lead" else mine[0]
    lines.append(f"  email {first} {{ template {opener} }}")
    emails.append(first)
    lines.append(f"  wait {rng.randint(1, 3)}d")
    connect = label("connect")
    lines.append(f'  linkedin connect {connect} {{ note "Enjoyed your post on {rng.choice(PITCHES)}." }}')
    lines.append(f"  wait {rng.choice(['4h', '1d', '2d'])}")
    phone = label("call")
    lines.append(f'  call {phone} {{ script "Open with the {rng.choice(PITCHES)} numbers." }}')
    goto_target = label("review")
    for round_ in range(3):
        lines.append(f"  // round {round_ + 1}")
        lines.append(f"  wait {rng.randint(1, 4)}d")
        shape = round_
        if shape == 0:
            lines.append(f"  branch outcome({phone}) {{")
            lines.append("    connected {")
            touch(3, [])
            lines.append('      exit "talked" then qualify')
            lines.append("    }")
            lines.append(f"    voicemail {{ sms {label('sms')} {{ text \"Left you a voicemail about {rng.choice(PITCHES)}.\" }} }}")
            lines.append('    wrong_number { exit "wrong number" then disqualify }')
            lines.append("    callback_later {")
            touch(3, [])
            lines.append("    }")
            lines.append("    else {")
            touch(3, [])
            lines.append("    }")
            lines.append("  }")
        elif shape == 1:
            e = rng.choice(emails)
            cond = rng.choice([f"opened({e}) or clicked({e})", f"clicked({e}) and not bounced({e})",
                               f"accepted({connect})", f"(opened({e}) and not clicked({e})) or meeting_booked"])
            lines.append(f"  branch {cond} within {rng.randint(1, 3)}d {{")
            lines.append("    yes {")
            touch(3, list(emails))
            if rng.random() < 0.3:
                lines.append("      wait 1d")
                lines.append(f"      goto {goto_target}")
            lines.append("    }")
            lines.append("    no {")
            touch(3, list(emails))
            lines.append(f"      wait {rng.randint(1, 2)}d")
            touch(3, list(emails))
            lines.append("    }")
            lines.append("  }")
        else:
            touch(1, emails)
            lines.append(f"  wait {rng.randint(1, 3)}d")
            touch(1, emails)
    lines.append(f"  wait {rng.randint(1, 3)}d")
    lines.append(f'  task {goto_target} {{ note "Review the engagement so far and pick the closing angle." }}')
    lines.append(f"  wait {rng.randint(2, 5)}d")
    if args.findings:
        # Redundant: the reply handler exits first (an info).
        lines.append("  branch replied within 1d {")
        lines.append('    yes { exit "replied late" }')
        lines.append(f"    no {{ task {label('task')} {{ note \"No reply yet.\" }} }}")
        lines.append("  }")
    lines.append(f"  branch clicked({first}) within 2d {{")
    lines.append('    yes { exit "clicked" then create_opportunity }')
    lines.append(f"    no {{ task {label('task')} {{ note \"Last touch: ask for a referral.\" }} }}")
    lines.append("  }")
    # Hand off to another desk's team: a handoff inside a team adds to its
    # load, and the corpus is meant to check clean.
    others = [other for j, other in enumerate(all_names) if j % 3 != k % 3]
    if others and rng.random() < 0.4:
        lines.append(f'  exit "nurture" then handoff {rng.choice(others)}')
    else:
        lines.append('  exit "completed"')
    lines.append("}")
    lines.append("")
    return name, lines


def main():
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    total = 0
    for n in range(args.files):
        lines, templates, segments = header(rng, n)
        names = []
        for k in range(args.sequences):
            name, body = sequence(rng, n, k, templates, segments, names)
            lines += body
            names.append(name)
        text = "\n".join(lines)
        (args.out / f"desk{n:03d}.cadence").write_text(text)
        total += len(text.encode())
    (args.out / "cadence.toml").write_text("# Project root of the benchmark corpus.\n")
    if args.shared:
        shared = ['// Templates the whole team shares.', 'import "std/lead"', ""]
        for t in range(args.shared):
            shared += [f"template shared_{t} for lead {{",
                       f'  subject "{{{{lead.firstname | "Hi"}}}}: {rng.choice(PITCHES)} ({t})"',
                       f'  body "Hi {{{{lead.firstname | "there"}}}}, one idea on {rng.choice(PITCHES)}.\\n{{{{owner.fullname}}}}"',
                       "}", ""]
        text = "\n".join(shared)
        (args.out / "shared.cadence").write_text(text)
        total += len(text.encode())
    print(f"{args.files} files, {total} bytes in {args.out}")


main()
