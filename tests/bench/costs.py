#!/usr/bin/env python3
"""Costs that must grow with the input, not faster: for each input that
once cost quadratic time or memory, runs `cadence` on a size N and on 2N and
checks that time and memory grow at most 2.5 times (linear growth doubles).

  depth      check of a tree N folders deep, one file at the bottom
  uri        the language server opening a document whose URI has N segments
  extend     check of N one-field `extend entity` blocks
  handoffs   build and export of N sequences, each handing off to the next
  days       simulate of two sequences handing records to each other, N days

Every run must succeed (exit status 0): an input that fails would measure
the error path. Time is the best of three runs (user + system CPU seconds), and its ratio
t(2N) / t(N) is judged. A time ratio over the limit is measured once more, N
and 2N again, and the lower of the two ratios judged: on a busy machine the
kernel's work for one process (page faults that find memory fragmented by an
earlier, larger one) can inflate a single measurement, while a cost that
really grows too fast grows so in every measurement. Memory is the peak resident size, and what the
second doubling adds is compared with what the first added,
(m(2N) - m(N)) / (m(N) - m(N/2)): linear growth gives 2, quadratic 4, and the
process's fixed size and the allocator's page sizes cancel out. Memory that
grew by less than 4 MiB at a step is not judged (nothing to measure).

Usage: costs.py CADENCE [--only NAME]...   Exit status 1 when a cost grows too fast.
"""
import json
import os
import subprocess
import sys
import tempfile

LIMIT = 2.5
cadence = sys.argv[1]
only = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--only"]
work = tempfile.mkdtemp(prefix="cc")  # short: deep trees must stay under PATH_MAX


def run(args, stdin=None):
    """(CPU seconds, peak KiB) of one run, best of three."""
    best_time, best_rss = None, None
    for _ in range(3):
        process = subprocess.Popen(args, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if stdin:
            process.stdin.write(stdin)
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            # An input that fails measures the error path, not the cost.
            sys.exit(f"`{' '.join(args[:2])} ...` exited {os.waitstatus_to_exitcode(status)}: the input is not "
                     "measuring what it should")
        seconds = usage.ru_utime + usage.ru_stime
        best_time = seconds if best_time is None else min(best_time, seconds)
        best_rss = usage.ru_maxrss if best_rss is None else min(best_rss, usage.ru_maxrss)
    return best_time, best_rss


def deep_tree(depth):
    root = os.path.join(work, f"t{depth}")
    if not os.path.exists(root):
        os.mkdir(root)
        here = os.getcwd()
        os.chdir(root)
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        with open("a.cadence", "w") as f:
            f.write('import "std/lead"\n')
        os.chdir(here)
    return [cadence, "check", root]


def lsp_session(segments):
    uri = "file:///tmp/" + "d/" * segments + "a.cadence"
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "cadence", "version": 1, "text": 'import "std/lead"\n'}}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
         "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    data = b""
    for message in messages:
        body = json.dumps(message).encode()
        data += b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    return [cadence, "lsp"], data


def write(name, text):
    """Writes an input into a folder of its own: a file's project is its
    folder, so inputs side by side would be checked together."""
    folder = os.path.join(work, os.path.splitext(name)[0])
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def extend_blocks(count):
    blocks = "".join(f"extend entity lead {{\n  f{i}: string\n}}\n" for i in range(count))
    return [cadence, "check", write(f"extend{count}.cadence", 'import "std/lead"\n' + blocks)]


def handoff_chain(count):
    parts = ['import "std/lead"\ntemplate t for lead {\n  subject "s"\n  body "b"\n}\n']
    for i in range(count):
        last = f'exit "next" then handoff s{i + 1}' if i + 1 < count else 'exit "done"'
        parts.append(f"sequence s{i} {{\n  target lead\n  on replied exit\n  on bounced exit\n"
                     f"  on unsubscribed exit\n  email e{i} {{ template t }}\n  {last}\n}}\n")
    return write(f"chain{count}.cadence", "".join(parts))


PING_PONG = '''import "std/lead"
template t for lead {
  subject "Checking in"
  body "Hello"
}
sequence ping {
  target lead
  team "loop"
  enroll 40/day
  limit email 1000000/day
  on replied exit
  on bounced exit
  on unsubscribed exit
  email a { template t }
  wait 1d
  exit "again" then handoff pong
}
sequence pong {
  target lead
  team "loop"
  limit email 1000000/day
  on replied exit
  on bounced exit
  on unsubscribed exit
  email b { template t }
  wait 1d
  exit "again" then handoff ping
}
'''


def simulate_days(days):
    plan = os.path.join(work, "pingpong.json")
    if not os.path.exists(plan):
        subprocess.run([cadence, "build", write("pingpong.cadence", PING_PONG), "-o", plan], check=True,
                       stdout=subprocess.DEVNULL)
    return [cadence, "simulate", plan, "--team", "loop", "--days", str(days), "--email-ceiling", "1000000000"]


CASES = {
    "depth": (900, lambda n: (deep_tree(n), None)),
    "uri": (16000, lambda n: lsp_session(n)),
    "extend": (32000, lambda n: (extend_blocks(n), None)),
    "handoffs-build": (2000, lambda n: ([cadence, "build", handoff_chain(n), "-o", os.path.join(work, "p.json")], None)),
    "handoffs-export": (2000, lambda n: ([cadence, "export", "--target", "hubspot", handoff_chain(n), "-o",
                                          os.path.join(work, "e.json")], None)),
    "days": (1600, lambda n: (simulate_days(n), None)),
}

try:
    failed = []
    print(f"{'case':16} {'N':>6} {'time N':>8} {'time 2N':>8} {'ratio':>6}   {'+mem N':>8} {'+mem 2N':>8} {'ratio':>6}")
    for name, (size, make) in CASES.items():
        if only and name not in only:
            continue
        measured = [run(*make(n)) for n in (size // 2, size, 2 * size)]
        (_, half_rss), (small_time, small_rss), (large_time, large_rss) = measured
        time_ratio = large_time / max(small_time, 1e-3)
        again = ""
        if time_ratio > LIMIT:
            (small_again, _), (large_again, _) = [run(*make(n)) for n in (size, 2 * size)]
            if large_again / max(small_again, 1e-3) < time_ratio:
                small_time, large_time = small_again, large_again
                time_ratio = large_time / max(small_time, 1e-3)
            again = " (measured again)"
        first, second = small_rss - half_rss, large_rss - small_rss
        if first < 4096 or second < 4096:
            memory_ratio, memory_text = None, "flat"
        else:
            memory_ratio = second / first
            memory_text = f"{memory_ratio:.2f}"
        print(f"{name:16} {size:>6} {small_time:>7.3f}s {large_time:>7.3f}s {time_ratio:>6.2f}   "
              f"{first // 1024:>6}Mi {second // 1024:>6}Mi {memory_text:>6}{again}")
        if time_ratio > LIMIT or (memory_ratio is not None and memory_ratio > LIMIT):
            failed.append(name)
    if failed:
        print(f"grew faster than {LIMIT}x when the input doubled: {', '.join(failed)}")
        sys.exit(1)
    print(f"every cost grew at most {LIMIT}x when its input doubled")
finally:
    subprocess.run(["rm", "-rf", work], check=False)
