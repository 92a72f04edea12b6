"""Random sequences for the load-model property tests: touches on every
channel, waits in d/h/m/w, engagement and call-outcome branches on steps
that every path runs, both calendars, daily and weekly rates, email and call
limits. Deterministic for a given random.Random."""


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.n = 0

    def label(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def wait(self):
        unit = self.rng.choice(["d", "d", "d", "h", "m", "w"])
        amount = {"d": self.rng.randint(1, 4), "h": self.rng.choice([2, 20, 30, 50]), "m": 90, "w": 1}[unit]
        return f"wait {amount}{unit}"

    def touch(self, kind=None):
        kind = kind or self.rng.choice(["email", "email", "email", "call", "sms", "connect", "message", "task"])
        if kind == "email":
            name = self.label("e")
            return name, f"email {name} {{ template t }}"
        if kind == "call":
            name = self.label("c")
            return name, f'call {name} {{ script "x" }}'
        if kind == "sms":
            return None, f'sms {self.label("s")} {{ text "x" }}'
        if kind == "connect":
            name = self.label("l")
            return None, f'linkedin connect {name} {{ note "x" }}'
        if kind == "message":
            return None, f'linkedin message {self.label("m")} {{ note "x" }}'
        return None, f'task {self.label("t")} {{ note "x" }}'

    def body(self, depth, length, emails):
        """Statements; `emails` are those run on every path here (a branch
        may only read those), and grows with this block's own."""
        lines = []
        for _ in range(length):
            roll = self.rng.random()
            if roll < 0.12 and depth < 2 and emails:
                signal = self.rng.choice(["opened", "clicked", "replied"])
                within = f" within {self.rng.randint(1, 3)}d" if self.rng.random() < 0.7 else ""
                lines.append(f"branch {signal}({self.rng.choice(emails)}){within} {{")
                lines.append("  yes {")
                lines += ["    " + s for s in self.body(depth + 1, self.rng.randint(1, 3), list(emails))]
                lines.append("  }")
                lines.append("  no {")
                lines += ["    " + s for s in self.body(depth + 1, self.rng.randint(1, 3), list(emails))]
                lines.append("  }")
                lines.append("}")
            elif roll < 0.2 and depth < 2:
                call, text = self.touch("call")
                lines.append(text)
                arms = self.rng.sample(["connected", "voicemail", "no_answer", "busy"], 2)
                lines.append(f"branch outcome({call}) {{")
                for arm in arms:
                    lines.append(f"  {arm} {{")
                    lines += ["    " + s for s in self.body(depth + 1, self.rng.randint(1, 2), list(emails))]
                    lines.append("  }")
                lines.append("}")
            elif roll < 0.55:
                lines.append(self.wait())
            else:
                name, text = self.touch()
                if text.startswith("email"):
                    emails.append(name)
                lines.append(text)
        return lines


def sequence(name, team):
    g = Gen()
    settings = ["target lead"]
    if team:
        settings.append(f'team "{team}"')
    settings.append(f"calendar {self.rng.choice(['business', 'business', 'all_days'])}")
    if self.rng.random() < 0.25:
        settings.append(f"enroll {self.rng.randint(50, 700)}/week")
    else:
        settings.append(f"enroll {self.rng.randint(5, 110)}/day")
    if self.rng.random() < 0.5:
        settings.append(f"limit email {self.rng.choice([40, 80, 150, 200, 300])}/day")
    if self.rng.random() < 0.3:
        settings.append(f"limit call {self.rng.choice([10, 30, 60])}/day")
    first, text = g.touch("email")
    body = [text] + g.body(0, self.rng.randint(3, 12), [first]) + [g.touch()[1]]
    return "\n".join([f"sequence {name} {{"] + ["  " + s for s in settings + body] + ["}"]) + "\n"




def sequence(rng, name, team, enroll=None, email_limit=True, handlers=False, handoff=None, no_enroll=False,
             calendar=None):
    """A sequence in source form; `enroll` overrides the random rate,
    `no_enroll` leaves it out, `handoff` names a sequence the end hands off to."""
    g = Gen(rng)
    settings = ["target lead"]
    if team:
        settings.append(f'team "{team}"')
    choice = rng.choice(['business', 'business', 'all_days'])
    settings.append(f"calendar {calendar or choice}")
    if no_enroll:
        pass
    elif enroll is not None:
        settings.append(f"enroll {enroll}/day")
    elif rng.random() < 0.25:
        settings.append(f"enroll {rng.randint(50, 700)}/week")
    else:
        settings.append(f"enroll {rng.randint(5, 110)}/day")
    if email_limit and rng.random() < 0.5:
        settings.append(f"limit email {rng.choice([40, 80, 150, 200, 300])}/day")
    if email_limit and rng.random() < 0.3:
        settings.append(f"limit call {rng.choice([10, 30, 60])}/day")
    if handlers:
        for event, action in (("replied", 'exit "replied"'), ("bounced", 'exit "bounced"'),
                              ("unsubscribed", 'exit "opted-out"'), ("out_of_office", "pause 3d")):
            if rng.random() < 0.7:
                settings.append(f"on {event} {action}")
    first, text = g.touch("email")
    body = [text] + g.body(0, rng.randint(3, 12), [first]) + [g.touch()[1]]
    if handoff:
        if rng.random() < 0.5:
            body.append(g.wait())
        body.append(f'exit "passed on" then handoff {handoff}')
    return "\n".join([f"sequence {name} {{"] + ["  " + s for s in settings + body] + ["}"]) + "\n"


HEADER = ('import "std/lead"\ntemplate t for lead { subject "a" body "b" }\n'
          "// cadence-ignore-file: no-engagement-branch, consecutive-channel, touch-count, same-day-touches\n")


