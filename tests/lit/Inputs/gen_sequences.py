#!/usr/bin/env python3
"""Generates valid .cadence files with random structure and random layout
(blanks, line breaks, comments between tokens), for property tests.

Usage: gen_sequences.py SEED COUNT OUT_DIR
"""
import pathlib
import random
import sys

from cases import scaled

seed, count, out = int(sys.argv[1]), scaled(int(sys.argv[2])), pathlib.Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(seed)


def statements(depth, labels, emails, counter):
    body = []
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        counter[0] += 1
        label = f"s{counter[0]}"
        if choice < 0.3:
            body += ["email", label, "{", "template", "t", "}"]
            emails.append(label)
        elif choice < 0.45:
            body += ["call", label, "{", "script", '"call {{lead.firstname | "you"}}"', "}"]
        elif choice < 0.55:
            body += ["linkedin", "connect", label, "{", "note", '"hi"', "}"]
        elif choice < 0.65:
            body += ["sms", label, "{", "text", '"sms text"', "}"]
        elif choice < 0.8 or depth > 2 or not emails:
            body += ["wait", f"{rng.randint(1, 5)}d"]
        else:
            body += ["branch", "opened", "(", emails[0], ")", "within", "2d", "{"]
            body += ["yes", "{"] + statements(depth + 1, labels, list(emails), counter) + ["}"]
            if rng.random() < 0.5:
                body += ["no", "{"] + statements(depth + 1, labels, list(emails), counter) + ["}"]
            body += ["}"]
    return body


def layout(tokens):
    text = ""
    for token in tokens:
        r = rng.random()
        if r < 0.55:
            sep = " "
        elif r < 0.8:
            sep = "\n" + "  " * rng.randint(0, 3)
        elif r < 0.88:
            sep = "\n\n"
        elif r < 0.94:
            sep = f"  // note {rng.randint(0, 99)}\n"
        else:
            sep = f" /* c{rng.randint(0, 9)} */ "
        text += sep + token
    return text.lstrip() + "\n"


for n in range(count):
    counter = [0]
    emails = []
    head = ['import', '"std/lead"', 'template', 't', 'for', 'lead', '{', 'subject', '"Hi {{lead.firstname | "there"}}"',
            'body', '"b"', '}', 'sequence', f'seq{n}', '{', 'target', 'lead', 'on', 'replied', 'exit', '"replied"']
    body = ["email", "first", "{", "template", "t", "}"]
    emails.append("first")
    body += statements(0, [], emails, counter)
    body += ["task", "last", "{", "note", '"end"', "}"]
    (out / f"gen{n:03d}.cadence").write_text(layout(head + body + ["}"]))
print(f"generated {count} files")
