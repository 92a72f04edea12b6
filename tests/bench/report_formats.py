#!/usr/bin/env python3
"""`cadence check` on a corpus with findings, in every output format, on one
and two jobs; and on a corpus whose files all import one large shared
library. Each run's best wall-clock time of R and its peak resident memory.

Usage: report_formats.py CADENCE PEAK_RSS [--files N] [--sequences M]
                         [--repeat R] [--work DIR] [--smoke] [--compare CADENCE2]

--compare runs the same commands with a second binary (an older build) and
prints its figures beside. --smoke runs small corpora once (for ctest).
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("cadence")
parser.add_argument("peak_rss")
parser.add_argument("--files", type=int, default=400)
parser.add_argument("--sequences", type=int, default=25)
parser.add_argument("--repeat", type=int, default=3)
parser.add_argument("--work", type=pathlib.Path)
parser.add_argument("--smoke", action="store_true")
parser.add_argument("--compare")
args = parser.parse_args()
if args.smoke:
    args.files, args.sequences, args.repeat = 6, 3, 1


def timed(argv):
    start = time.perf_counter()
    child = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if child.returncode not in (0, 1):
        sys.exit(f"report_formats: {' '.join(map(str, argv))} exited {child.returncode}\n{child.stderr.decode()[-2000:]}")
    return seconds


def rss(argv):
    child = subprocess.run([args.peak_rss] + [str(a) for a in argv], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    return int(child.stderr.strip().splitlines()[-1].split()[-1]) / 1024


def measure(binary, argv):
    command = [binary] + argv
    return min(timed(command) for _ in range(args.repeat)), rss(command)


def generate(directory, *extra):
    shutil.rmtree(directory, ignore_errors=True)
    out = subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(directory), *extra],
                         check=True, capture_output=True, text=True).stdout
    return out.strip()


def main():
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="cadence-formats-"))
    findings, shared, single = work / "findings", work / "shared", work / "shared1"
    print("findings corpus:", generate(findings, "--files", str(args.files), "--sequences", str(args.sequences),
                                       "--findings"))
    summary = subprocess.run([args.cadence, "check", str(findings)], capture_output=True, text=True).stdout
    print("  " + summary.strip().splitlines()[-1])
    binaries = [("now", args.cadence)] + ([("before", args.compare)] if args.compare else [])
    print("| format | jobs | " + " | ".join(f"{name}: s | {name}: MiB" for name, _ in binaries) + " |")
    print("| --- | ---: |" + " ---: | ---: |" * len(binaries))
    figures = {}
    for form in ("human", "json", "sarif", "github"):
        for jobs in (1, 2):
            cells = []
            for name, binary in binaries:
                seconds, mib = measure(binary, ["check", "--format", form, "--jobs", str(jobs), str(findings)])
                figures[(name, form, jobs)] = seconds
                cells.append(f"{seconds:.3f} | {mib:.1f}")
            print(f"| {form} | {jobs} | " + " | ".join(cells) + " |")
    for name, _ in binaries:
        human = figures[(name, "human", 1)]
        ratios = ", ".join(f"{form} {figures[(name, form, 1)] / human:.2f}x" for form in ("json", "sarif", "github"))
        scaling = ", ".join(f"{form} {figures[(name, form, 1)] / figures[(name, form, 2)]:.2f}x"
                            for form in ("human", "json", "sarif", "github"))
        print(f"{name}: time against human output on one job: {ratios}; two jobs over one: {scaling}")

    files = max(12, args.files * 3)
    print("shared-import corpus:", generate(shared, "--files", str(files), "--sequences", "2", "--shared",
                                            "300" if args.smoke else "3000"))
    generate(single, "--files", str(files), "--sequences", "2", "--shared", "1")
    for name, binary in binaries:
        cells = []
        for corpus in (shared, single):
            for jobs in (1, 2):
                seconds, mib = measure(binary, ["check", "--jobs", str(jobs), str(corpus)])
                cells.append(f"{corpus.name} -j{jobs}: {seconds:.3f} s, {mib:.1f} MiB")
        print(f"{name}: " + "; ".join(cells))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


main()
