#!/usr/bin/env python3
"""`cadence export` and `cadence check --target` on straight-line sequences
of N touches (emails with their own templates and fallbacks, calls, LinkedIn
steps, tasks), for N doubling: each run's best wall-clock time of R, its
peak resident memory, and the ratio to the run of half the size (about 2
when the cost is linear in the sequence). Every email's fallback is a
finding, so the summaries hold thousands of lines.

Usage: export_bench.py CADENCE PEAK_RSS [--sizes 2500,5000,10000,20000]
                       [--repeat R] [--smoke]
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("cadence")
parser.add_argument("peak_rss")
parser.add_argument("--sizes", default="2500,5000,10000,20000")
parser.add_argument("--repeat", type=int, default=3)
parser.add_argument("--smoke", action="store_true", help="one small size, once (for ctest)")
args = parser.parse_args()
sizes = [200] if args.smoke else [int(n) for n in args.sizes.split(",")]
repeat = 1 if args.smoke else args.repeat


def sequence_file(path, touches):
    lines = ['import "std/lead"', ""]
    emails = (touches + 3) // 4
    for i in range(emails):
        lines.append(f'template t{i} for lead {{ subject "Note {i} for {{{{lead.companyname | "your team"}}}}" '
                     f'body "Hi {{{{lead.firstname | "there"}}}}, point {i}.\\n\\n{{{{owner.fullname}}}}" }}')
    lines += ["", "sequence long_line {", "  target lead", "  enroll 40/day", "  on replied exit",
              "  on bounced exit", "  on unsubscribed exit", "  on out_of_office pause 5d"]
    for i in range(touches):
        kind = i % 4
        if kind == 0:
            lines.append(f"  email e{i} {{ template t{i // 4} mode auto }}")
        elif kind == 1:
            lines.append(f'  call c{i} {{ script "Ask {{{{lead.firstname | "them"}}}} about point {i // 4}." }}')
        elif kind == 2:
            lines.append(f'  linkedin message l{i} {{ note "Follow-up {i}" }}')
        else:
            lines.append(f'  task k{i} {{ note "Check reply {i}" }}')
        lines.append("  wait 1d")
    lines.append('  exit "done"')
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def measure(command):
    best, rss = None, 0
    for _ in range(repeat):
        start = time.perf_counter()
        run = subprocess.run([args.peak_rss] + command, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        # Every command succeeds on these files: a failure measured would
        # be the time of an error message, not of the work.
        if run.returncode != 0:
            sys.exit(f"failed ({run.returncode}): {' '.join(command)}\n{run.stderr[-2000:]}")
        peak = [line for line in run.stderr.splitlines() if line.startswith("peak_rss_kib")]
        rss = max(rss, int(peak[-1].split()[1])) if peak else rss
        best = elapsed if best is None else min(best, elapsed)
    return best, rss


with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    print(f"{'touches':>8} {'command':<34} {'seconds':>8} {'ratio':>6} {'peak MiB':>9}")
    previous = {}
    for n in sizes:
        # Each size in a folder of its own: one folder is one project, and
        # a project may define a sequence once.
        (work / str(n)).mkdir()
        source = work / str(n) / "line.cadence"
        sequence_file(source, n)
        commands = {f"export --target {t}": ["export", "--target", t, str(source), "-o", str(work / str(n) / f"{t}.json")]
                    for t in ("outreach", "salesloft", "hubspot")}
        commands["check"] = ["check", str(source)]
        commands["check --target (all three)"] = ["check", "--target", "outreach", "--target", "salesloft",
                                                   "--target", "hubspot", str(source)]
        for name, command in commands.items():
            seconds, rss = measure([args.cadence] + command)
            ratio = f"{seconds / previous[name]:.2f}" if name in previous else "-"
            previous[name] = seconds
            print(f"{n:>8} {name:<34} {seconds:>8.3f} {ratio:>6} {rss / 1024:>9.1f}")
