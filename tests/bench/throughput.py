#!/usr/bin/env python3
"""Throughput, scaling and memory of `cadence check` on a generated corpus,
side by side with nlohmann_json parsing the plans built from the same corpus,
minified (no whitespace), so that both read about the same information.

Usage: throughput.py CADENCE JSON_BASELINE PEAK_RSS [--files N] [--sequences M]
                     [--repeat R] [--work DIR] [--smoke]

Prints one table: source bytes, best wall-clock time of R runs, MB/s of
source and peak resident memory, for `check --jobs 1`, `check --jobs 2` and
the JSON baseline; then the speed-up of two jobs over one and peak memory on
a corpus four times larger. --smoke runs a small corpus once and checks only
that everything works (for ctest; no timing is judged there).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("cadence")
parser.add_argument("json_baseline")
parser.add_argument("peak_rss")
parser.add_argument("--files", type=int, default=48)
parser.add_argument("--sequences", type=int, default=24)
parser.add_argument("--repeat", type=int, default=5)
parser.add_argument("--work", type=pathlib.Path)
parser.add_argument("--smoke", action="store_true")
args = parser.parse_args()
if args.smoke:
    args.files, args.sequences, args.repeat = 4, 3, 1


def run(argv, expect=0):
    """Runs argv; returns (wall seconds, stdout)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    if child.returncode != expect:
        sys.exit(f"throughput: {' '.join(map(str, argv))} exited {child.returncode}\n{err.decode()[-2000:]}")
    return seconds, out.decode()


def run_rss(argv):
    """Peak resident memory (MiB) of one run of argv, measured by the
    peak_rss launcher (from Python, a child would count the interpreter too)."""
    child = subprocess.run([args.peak_rss] + [str(a) for a in argv], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    if child.returncode != 0:
        sys.exit(f"throughput: {' '.join(map(str, argv))} failed")
    return int(child.stderr.strip().splitlines()[-1].split()[-1]) / 1024


def best(argv):
    times = [run(argv)[0] for _ in range(args.repeat)]
    return min(times)


def corpus(directory, files):
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(directory), "--files", str(files),
                    "--sequences", str(args.sequences)], check=True, stdout=subprocess.DEVNULL)
    sources = sorted(directory.glob("*.cadence"))
    return sources, sum(p.stat().st_size for p in sources)


def main():
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="cadence-bench-"))
    src, plans, big = work / "corpus", work / "plans", work / "corpus4x"
    for generated in (src, plans, big):  # only what this script makes
        shutil.rmtree(generated, ignore_errors=True)
    plans.mkdir(parents=True)
    sources, source_bytes = corpus(src, args.files)
    for path in sources:
        plan = plans / (path.stem + ".json")
        run([args.cadence, "build", str(path), "-o", str(plan)])
        plan.write_text(json.dumps(json.loads(plan.read_text()), separators=(",", ":"), ensure_ascii=False))
    plan_files = sorted(str(p) for p in plans.glob("*.json"))
    plan_bytes = sum(os.path.getsize(p) for p in plan_files)

    # Every file of the corpus compiles; the checker must agree.
    _, summary = run([args.cadence, "check", "--jobs", "1", str(src)])
    # The full corpus uses everything it defines; the smoke corpus is too small to.
    if (" 0 errors" if args.smoke else " 0 errors, 0 warnings") not in summary:
        sys.exit(f"throughput: the corpus does not check clean: {summary.strip().splitlines()[-1]}")

    check1 = [args.cadence, "check", "--jobs", "1", str(src)]
    check2 = [args.cadence, "check", "--jobs", "2", str(src)]
    baseline = [args.json_baseline, "--repeat", str(args.repeat)] + plan_files
    t1, t2 = best(check1), best(check2)
    _, out = run(baseline)
    t_json = float(out.split(": ")[-1].split(" s")[0])
    rows = [("cadence check --jobs 1", source_bytes, t1, run_rss(check1)),
            ("cadence check --jobs 2", source_bytes, t2, run_rss(check2)),
            ("nlohmann_json parse of the plans", plan_bytes, t_json, run_rss(baseline))]

    _, big_bytes = corpus(big, args.files * 4)
    big1 = [args.cadence, "check", "--jobs", "1", str(big)]
    big2 = [args.cadence, "check", "--jobs", "2", str(big)]
    rss_big1, rss_big2 = run_rss(big1), run_rss(big2)
    t1_big, t2_big = best(big1), best(big2)

    print(f"corpus: {len(sources)} files, {source_bytes:,} bytes of source; plans {plan_bytes:,} bytes")
    print("| run | input bytes | best of %d (s) | MB/s of input | peak RSS (MiB) |" % args.repeat)
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, size, seconds, rss in rows:
        print(f"| {name} | {size:,} | {seconds:.4f} | {size / seconds / 1e6:.1f} | {rss:.1f} |")
    print(f"cadence check --jobs 1: {source_bytes / t1 / 1e6:.1f} MB/s of source; per byte "
          f"{(source_bytes / t1) / (plan_bytes / t_json):.2f}x the speed of nlohmann_json on the minified plans "
          f"(goal: 1.00x or more); {t_json / t1:.2f}x its speed per file")
    print(f"two jobs over one: {t1 / t2:.2f}x on the corpus, {t1_big / t2_big:.2f}x on the corpus 4x larger "
          f"({t1_big:.4f} s and {t2_big:.4f} s; {big_bytes / t1_big / 1e6:.1f} MB/s on one job)")
    print(f"peak RSS on a corpus 4x larger ({big_bytes:,} bytes): --jobs 1 {rss_big1:.1f} MiB, "
          f"--jobs 2 {rss_big2:.1f} MiB (against {rows[0][3]:.1f} and {rows[1][3]:.1f})")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


main()
