#!/usr/bin/env python3
"""Generated test of segment filters against two oracles.

Generates random `where` trees over the stdlib schemas (lead, contact,
opportunity; every operator family, links to related records, any depth of
and/or/not), compiles them with `cadence build`, and for each query:

  1. parses the FetchXML with an XML parser and checks the element,
     attribute and operator rules of the documented FetchXML (the checker
     below), then validates every query with `xmllint --schema` against
     docs/fetchxml-subset.xsd;
  2. draws random records (empty values, missing related records, text with
     LIKE wildcards and mixed case, dates around a fixed "now", owners) and
     checks that the filter evaluated with the language's semantics selects
     exactly the records that the FetchXML selects when interpreted with
     Dataverse's documented operator semantics (conditions on an empty value
     are false except null; ne, not-in and not-like leave empty values out;
     outer-joined link-entities read as empty when there is no related
     record).

Usage: segment_oracle.py CADENCE STDLIB_DIR XSD WORKDIR [CASES] [SEED]
Prints one summary line; exits 1 with the first counterexample.
"""
import datetime as dt
import json
import pathlib
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / "Inputs"))
from cases import scaled  # noqa: E402

CADENCE, STDLIB, XSD, WORK = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], pathlib.Path(sys.argv[4])
CASES = scaled(int(sys.argv[5]) if len(sys.argv) > 5 else 60)
SEED = int(sys.argv[6]) if len(sys.argv) > 6 else 11
rng = random.Random(SEED)
RECORDS = 60

# The moment both oracles evaluate at (the user's local time).
NOW = dt.datetime(2026, 11, 25, 14, 30)
TODAY = NOW.date()
ME, TEAM, BOSS_TEAM, REPORT, OTHER = "me", "team_sales", "team_boss", "my_report", "someone_else"


def fail(message):
    print("counterexample:", message)
    sys.exit(1)


# ---------------------------------------------------------------------------
# The schemas, read from the stdlib itself.

def read_schemas():
    entities = {}
    for path in STDLIB.glob("std/*.cadence"):
        text = re.sub(r"//[^\n]*", "", path.read_text())
        for match in re.finditer(r"\bentity\s+(\w+)\s*\{", text):
            name, depth, i = match.group(1), 1, match.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            body = text[match.end():i - 1]
            fields, links = {}, {}
            for link in re.finditer(r"\blink\s+(\w+)\s*:\s*(\w+)\s+by\s+(\w+)", body):
                links[link.group(1)] = (link.group(2), link.group(3))
            body = re.sub(r"\blink\s+\w+\s*:\s*\w+\s+by\s+\w+", "", body)
            for field in re.finditer(r"(\w+)\s*:\s*(string|number|bool|date|option\s*\{[^}]*\})\s*(\?)?", body):
                kind = field.group(2)
                options = {}
                if kind.startswith("option"):
                    for label, value in re.findall(r"(\w+)\s*=\s*(\d+)", kind):
                        options[label] = int(value)
                    kind = "option"
                fields[field.group(1)] = {"type": kind, "nullable": field.group(3) == "?", "options": options}
            entities[name] = {"fields": fields, "links": links}
    return entities


SCHEMAS = read_schemas()
ROOTS = ["lead", "contact", "opportunity"]
for root in ROOTS:
    if root not in SCHEMAS:
        fail(f"the stdlib has no entity {root}")

# ---------------------------------------------------------------------------
# Windows and periods: Dataverse's definitions, shared by both oracles (the
# compiler maps each one to exactly one operator; what is tested is that
# mapping and everything around it).

UNITS = {"min": "minutes", "h": "hours", "d": "days", "w": "weeks", "months": "months", "years": "years"}


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]
    return dt.date(year, month, min(day.day, last))


def shift(moment, unit, amount):
    if unit == "minutes":
        return moment + dt.timedelta(minutes=amount)
    if unit == "hours":
        return moment + dt.timedelta(hours=amount)
    if unit == "days":
        return moment + dt.timedelta(days=amount)
    if unit == "weeks":
        return moment + dt.timedelta(days=7 * amount)
    months = amount * (12 if unit == "years" else 1)
    return dt.datetime.combine(add_months(moment.date(), months), moment.time())


def midnight(day):
    return dt.datetime.combine(day, dt.time())


def window(kind, unit, amount, value):
    """last-x-*, next-x-*, olderthan-x-* for a date-time value."""
    if kind == "last":
        start = NOW - dt.timedelta(hours=amount) if unit == "hours" else midnight(shift(NOW, unit, -amount).date())
        return start <= value <= NOW
    if kind == "next":
        end = NOW + dt.timedelta(hours=amount) if unit == "hours" else midnight(shift(NOW, unit, amount).date() +
                                                                                 dt.timedelta(days=1))
        return NOW <= value < end
    limit = shift(NOW, unit, -amount) if unit in ("minutes", "hours") else midnight(shift(NOW, unit, -amount).date())
    return value < limit


def period(name, value):
    day = value.date()
    week_start = TODAY - dt.timedelta(days=TODAY.weekday())
    scope, _, unit = name.partition("-")
    if name in ("today", "yesterday", "tomorrow"):
        return day == TODAY + dt.timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[name])
    offset = {"this": 0, "last": -1, "next": 1}[scope]
    if unit == "week":
        start = week_start + dt.timedelta(days=7 * offset)
        return start <= day < start + dt.timedelta(days=7)
    if unit == "month":
        start = add_months(TODAY.replace(day=1), offset)
        return start <= day < add_months(start, 1)
    return day.year == TODAY.year + offset


OWNER_GROUPS = {
    "my_teams": {TEAM},
    "me_or_my_teams": {ME, TEAM},
    "my_hierarchy": {ME, REPORT},
    "my_hierarchy_and_teams": {ME, REPORT, TEAM},
}
FETCH_OWNER = {"eq-userteams": "my_teams", "eq-useroruserteams": "me_or_my_teams",
               "eq-useroruserhierarchy": "my_hierarchy", "eq-useroruserhierarchyandteams": "my_hierarchy_and_teams"}

# ---------------------------------------------------------------------------
# Random filters. A filter is a tree of tuples:
#   ("and"|"or", [children]) ("not", child) ("cmp", path, field, op, args)

WORDS = ["Acme", "acme", "50%", "a_b", "[x]", "Ab", "x", "ACME Corp", "o'neil", "ab%_["]


def reachable(entity, depth=0):
    """(path, entity) pairs: the entity itself and records one or two links away."""
    out = [((), entity)]
    if depth < 2:
        for link, (target, _) in sorted(SCHEMAS[entity]["links"].items()):
            for path, reached in reachable(target, depth + 1):
                out.append(((link,) + path, reached))
    return out


def random_date():
    return TODAY + dt.timedelta(days=rng.randint(-400, 400))


def random_atom(root, negated):
    path, entity = rng.choice(reachable(root))
    if not path and rng.random() < 0.08:
        if negated:
            return ("cmp", (), "owner", "owner_is", [])
        return ("cmp", (), "owner", rng.choice(["owner_is", "owner_in"]), [rng.choice(sorted(OWNER_GROUPS))])
    name = rng.choice(sorted(SCHEMAS[entity]["fields"]))
    field = SCHEMAS[entity]["fields"][name]
    kind = field["type"]
    roll = rng.random()
    if roll < 0.08:
        return ("cmp", path, name, rng.choice(["is_null", "is_not_null"]), [])
    if kind == "string":
        op = rng.choice(["==", "!=", "contains", "starts_with", "ends_with", "not contains", "not starts_with",
                         "not ends_with", "in", "not in"])
        if op.endswith("in"):
            return ("cmp", path, name, op, rng.sample(WORDS, rng.randint(1, 3)))
        return ("cmp", path, name, op, [rng.choice(WORDS)])
    if kind == "number":
        op = rng.choice(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])
        count = rng.randint(1, 3) if op.endswith("in") else 1
        return ("cmp", path, name, op, [rng.randint(0, 5) * 10 for _ in range(count)])
    if kind == "bool":
        return ("cmp", path, name, rng.choice(["==", "!="]), [rng.choice([True, False])])
    if kind == "option":
        labels = sorted(field["options"])
        op = rng.choice(["==", "!=", "in", "not in"])
        count = rng.randint(1, 3) if op.endswith("in") else 1
        return ("cmp", path, name, op, [rng.choice(labels) for _ in range(count)])
    # dates
    choices = ["==", "!=", "<", "<=", ">", ">="]
    if not negated:
        choices += ["in last", "in next", "older than", "period"]
    op = rng.choice(choices)
    if op in ("in last", "in next"):
        unit = rng.choice(["h", "d", "w", "months", "years"])
        return ("cmp", path, name, op, [rng.randint(1, 40), unit])
    if op == "older than":
        return ("cmp", path, name, op, [rng.randint(1, 40), rng.choice(sorted(UNITS))])
    if op == "period":
        return ("cmp", path, name, op, [rng.choice(["today", "yesterday", "tomorrow", "this week", "last week",
                                                     "next week", "this month", "last month", "next month",
                                                     "this year", "last year", "next year"])])
    return ("cmp", path, name, op, [random_date()])


def random_filter(root, depth, negated=False):
    roll = rng.random()
    if depth <= 0 or roll < 0.35:
        return random_atom(root, negated)
    if roll < 0.5:
        return ("not", random_filter(root, depth - 1, not negated))
    return (rng.choice(["and", "or"]), [random_filter(root, depth - 1, negated) for _ in range(rng.randint(2, 3))])


def literal(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"'
    if isinstance(value, str) and re.fullmatch(r"[a-z_][a-z0-9_]*", value) and value not in WORDS:
        return value  # an option label
    return json.dumps(value)


def source(node):
    kind = node[0]
    if kind in ("and", "or"):
        return "(" + f" {kind} ".join(source(child) for child in node[1]) + ")"
    if kind == "not":
        return f"not ({source(node[1])})"
    _, path, name, op, args = node
    subject = ".".join(path + (name,))
    if op == "is_null":
        return f"{subject} is null"
    if op == "is_not_null":
        return f"{subject} is not null"
    if op == "owner_is":
        return "owner is current_user"
    if op == "owner_in":
        return f"owner in {args[0]}"
    if op in ("in", "not in"):
        return f"{subject} {op} [{', '.join(literal(a) for a in args)}]"
    if op in ("in last", "in next"):
        return f"{subject} {op} {args[0]}{args[1]}" if len(args[1]) == 1 else f"{subject} {op} {args[0]} {args[1]}"
    if op == "older than":
        return f"{subject} older than {args[0]} {args[1]}"
    if op == "period":
        return f"{subject} is {args[0]}" if " " not in args[0] else f"{subject} in {args[0]}"
    return f"{subject} {op} {literal(args[0])}"


# ---------------------------------------------------------------------------
# Random records.

def random_value(field):
    if field["nullable"] and rng.random() < 0.25:
        return None
    kind = field["type"]
    if kind == "string":
        word = rng.choice(WORDS)
        return rng.choice([word, word.upper(), "pre " + word, word + " post", "zz"])
    if kind == "number":
        return rng.randint(0, 5) * 10
    if kind == "bool":
        return rng.choice([True, False])
    if kind == "option":
        return rng.choice(sorted(field["options"].values()))
    day = random_date() if rng.random() < 0.6 else TODAY + dt.timedelta(days=rng.randint(-40, 40))
    return dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59)))


def random_record(entity, depth=0):
    record = {"$entity": entity, "ownerid": rng.choice([ME, TEAM, BOSS_TEAM, REPORT, OTHER])}
    for name, field in SCHEMAS[entity]["fields"].items():
        record[name] = random_value(field)
    for link, (target, column) in SCHEMAS[entity]["links"].items():
        record[column] = random_record(target, depth + 1) if depth < 2 and rng.random() < 0.75 else None
    return record


# ---------------------------------------------------------------------------
# Oracle 1: the language's semantics. Two-valued: a comparison with an empty
# value (or a missing related record) is false, `not` is the complement,
# `!=` is `not ==`; text compares without regard to case; dates by day.

def follow(record, entity, path):
    for link in path:
        target, column = SCHEMAS[entity]["links"][link]
        record = record.get(column) if record is not None else None
        entity = target
    return record, entity


def language(node, record, root):
    kind = node[0]
    if kind == "and":
        return all(language(child, record, root) for child in node[1])
    if kind == "or":
        return any(language(child, record, root) for child in node[1])
    if kind == "not":
        return not language(node[1], record, root)
    _, path, name, op, args = node
    if op == "owner_is":
        return record["ownerid"] == ME
    if op == "owner_in":
        return record["ownerid"] in OWNER_GROUPS[args[0]]
    target, entity = follow(record, root, path)
    value = None if target is None else target[name]
    if op == "is_null":
        return value is None
    if op == "is_not_null":
        return value is not None
    if op in ("!=", "not in") or op.startswith("not "):
        positive = {"!=": "==", "not in": "in"}.get(op, op[4:])
        return not language(("cmp", path, name, positive, args), record, root)
    if value is None:
        return False
    field = SCHEMAS[entity]["fields"][name]

    def norm(v):
        if field["type"] == "option" and isinstance(v, str):
            return field["options"][v]
        if isinstance(v, str):
            return v.lower()
        if isinstance(v, dt.datetime):
            return v.date()
        return v

    if op == "in":
        return norm(value) in [norm(a) for a in args]
    if op in ("==", "<", "<=", ">", ">="):
        left, right = norm(value), norm(args[0])
        return {"==": left == right, "<": left < right, "<=": left <= right, ">": left > right,
                ">=": left >= right}[op]
    if op == "contains":
        return args[0].lower() in value.lower()
    if op == "starts_with":
        return value.lower().startswith(args[0].lower())
    if op == "ends_with":
        return value.lower().endswith(args[0].lower())
    if op in ("in last", "in next"):
        return window(op[3:], UNITS[args[1]], args[0], value)
    if op == "older than":
        return window("older", UNITS[args[1]], args[0], value)
    if op == "period":
        return period(args[0].replace(" ", "-"), value)
    fail(f"no language semantics for {op}")


# ---------------------------------------------------------------------------
# The FetchXML checker: elements, attributes and operators of the documented
# schema, and what each operator needs.

NO_VALUE = {"null", "not-null", "today", "yesterday", "tomorrow", "this-week", "this-month", "this-year",
            "last-week", "last-month", "last-year", "next-week", "next-month", "next-year", "eq-userid",
            "ne-userid", *FETCH_OWNER}
ONE_VALUE = {"eq", "ne", "lt", "le", "gt", "ge", "like", "not-like", "on", "on-or-before", "on-or-after"} | {
    f"{kind}-x-{unit}" for kind in ("last", "next") for unit in ("hours", "days", "weeks", "months", "years")} | {
    f"olderthan-x-{unit}" for unit in ("minutes", "hours", "days", "weeks", "months", "years")}
MANY_VALUES = {"in", "not-in"}


def check_document(xml, root_entity):
    document = ET.fromstring(xml)
    if document.tag != "fetch" or document.attrib or len(document) != 1:
        fail(f"the document must be one <fetch> holding one <entity>:\n{xml}")
    entity = document[0]
    if entity.tag != "entity" or set(entity.attrib) != {"name"} or entity.get("name") != root_entity:
        fail(f"<entity name='{root_entity}'> expected:\n{xml}")
    aliases = {}

    def check_link(link, parent_entity):
        if set(link.attrib) != {"name", "from", "to", "link-type", "alias"}:
            fail(f"link-entity attributes: {link.attrib}")
        if link.get("link-type") != "outer":
            fail("links must be outer joins, or an `or` across them would drop records")
        if link.get("from") != link.get("name") + "id":
            fail(f"link-entity joins on the target's key: {link.attrib}")
        declared = [target for target, column in SCHEMAS[parent_entity]["links"].values()
                    if column == link.get("to")]
        if declared != [link.get("name")]:
            fail(f"link-entity {link.attrib} is no declared relationship of {parent_entity}")
        if link.get("alias") in aliases:
            fail(f"alias {link.get('alias')} used twice")
        aliases[link.get("alias")] = link.get("name")
        for child in link:
            if child.tag != "link-entity":
                fail(f"<{child.tag}> inside <link-entity>")
            check_link(child, link.get("name"))

    def check_filter(node):
        if set(node.attrib) != {"type"} or node.get("type") not in ("and", "or"):
            fail(f"filter attributes: {node.attrib}")
        for child in node:
            if child.tag == "filter":
                check_filter(child)
            elif child.tag == "condition":
                check_condition(child)
            else:
                fail(f"<{child.tag}> inside <filter>")

    def check_condition(node):
        if not set(node.attrib) <= {"entityname", "attribute", "operator", "value"} or "attribute" not in node.attrib:
            fail(f"condition attributes: {node.attrib}")
        op = node.get("operator")
        owner = node.get("entityname") or root_entity
        if "entityname" in node.attrib and node.get("entityname") not in aliases:
            fail(f"entityname {node.get('entityname')} names no link-entity")
        entity_name = aliases.get(node.get("entityname"), root_entity)
        if node.get("attribute") != "ownerid" and node.get("attribute") not in SCHEMAS[entity_name]["fields"]:
            fail(f"{owner} has no attribute {node.get('attribute')}")
        values = [child for child in node]
        if any(child.tag != "value" for child in values):
            fail("a condition holds <value> elements only")
        if op in NO_VALUE:
            if "value" in node.attrib or values:
                fail(f"{op} takes no value")
        elif op in ONE_VALUE:
            if "value" not in node.attrib or values:
                fail(f"{op} takes one value attribute")
        elif op in MANY_VALUES:
            if "value" in node.attrib or not values:
                fail(f"{op} takes <value> elements")
        else:
            fail(f"unknown operator {op}")

    children = list(entity)
    while children and children[0].tag == "link-entity":
        check_link(children.pop(0), root_entity)
    if len(children) > 1 or (children and children[0].tag != "filter"):
        fail(f"<entity> holds link-entities then one filter:\n{xml}")
    if children:
        check_filter(children[0])
    return document


# ---------------------------------------------------------------------------
# Oracle 2: the FetchXML as Dataverse evaluates it.

def like(value, pattern):
    regex = ""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "[":
            end = pattern.index("]", i + 2)
            regex += re.escape(pattern[i + 1:end])
            i = end + 1
            continue
        regex += ".*" if c == "%" else "." if c == "_" else re.escape(c)
        i += 1
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL) is not None


def fetch_value(text, field):
    kind = field["type"] if field else "string"
    if kind == "number" or kind == "option":
        return int(text)
    if kind == "bool":
        return text == "1"
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text


def dataverse(document, record):
    entity = document[0]
    root = entity.get("name")
    joined = {}

    def join(link, parent, parent_entity):
        target = None if parent is None else parent.get(link.get("to"))
        if target is not None and target["$entity"] != link.get("name"):
            target = None
        joined[link.get("alias")] = (target, link.get("name"))
        for child in link:
            join(child, target, link.get("name"))

    for child in entity:
        if child.tag == "link-entity":
            join(child, record, root)

    def condition(node):
        op = node.get("operator")
        alias = node.get("entityname")
        target, entity_name = joined[alias] if alias else (record, root)
        name = node.get("attribute")
        if name == "ownerid":
            owner = record["ownerid"]
            if op == "eq-userid":
                return owner == ME
            if op == "ne-userid":
                return owner != ME
            return owner in OWNER_GROUPS[FETCH_OWNER[op]]
        value = None if target is None else target.get(name)
        if op == "null":
            return value is None
        if op == "not-null":
            return value is not None
        if value is None:
            return False  # every other operator is false on an empty value
        field = SCHEMAS[entity_name]["fields"][name]
        if isinstance(value, dt.datetime):
            if op in ("on", "on-or-before", "on-or-after"):
                day = fetch_value(node.get("value"), field)
                return {"on": value.date() == day, "on-or-before": value.date() <= day,
                        "on-or-after": value.date() >= day}[op]
            match = re.fullmatch(r"(last|next|olderthan)-x-(\w+)", op)
            if match:
                kind = {"olderthan": "older"}.get(match.group(1), match.group(1))
                return window(kind, match.group(2), int(node.get("value")), value)
            if op in NO_VALUE:
                return period(op, value)
            fail(f"{op} on a date-time: midnight only")
        if op in ("like", "not-like"):
            return like(value, node.get("value")) == (op == "like")
        if op in ("in", "not-in"):
            values = [fetch_value(v.text or "", field) for v in node]
            found = any((value.lower() == v.lower()) if isinstance(value, str) else value == v for v in values)
            return found == (op == "in")
        right = fetch_value(node.get("value"), field)
        left = value
        if isinstance(left, str):
            left, right = left.lower(), right.lower()
        return {"eq": left == right, "ne": left != right, "lt": left < right, "le": left <= right,
                "gt": left > right, "ge": left >= right}[op]

    def evaluate(node):
        if node.tag == "condition":
            return condition(node)
        results = [evaluate(child) for child in node]
        return all(results) if node.get("type") == "and" else any(results)

    filters = [child for child in entity if child.tag == "filter"]
    return all(evaluate(f) for f in filters)


# ---------------------------------------------------------------------------

def main():
    WORK.mkdir(parents=True, exist_ok=True)
    queries = conditions = records_checked = selected = 0
    for case in range(CASES):
        root = ROOTS[case % len(ROOTS)]
        filters = [random_filter(root, rng.randint(1, 4)) for _ in range(5)]
        text = [f'import "std/{root}"', ""]
        for k, tree in enumerate(filters):
            text.append(f"segment s{k} on {root} {{ where {source(tree)} }}")
            text.append(f"template t{k} for {root} {{ subject \"hi\" body \"hello\" }}")
            # Names unique in the folder: its files are one project.
            text.append(f"sequence c{case}_q{k} {{ target {root} segment s{k}\n  email e{k} {{ template t{k} }} }}")
        path = WORK / f"case{case}.cadence"
        path.write_text("\n".join(text) + "\n")
        plan_path = WORK / f"case{case}.json"
        done = subprocess.run([CADENCE, "build", str(path), "-o", str(plan_path)], capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"{path} did not build:\n{done.stderr[:3000]}")
        plan = json.loads(plan_path.read_text())
        for k, sequence in enumerate(plan["sequences"]):
            xml = sequence["segment"]["fetchxml"]
            xml_path = WORK / f"case{case}-{k}.xml"
            xml_path.write_text(xml)
            document = check_document(xml, root)
            queries += 1
            conditions += sum(1 for _ in document.iter("condition"))
            population = [random_record(root) for _ in range(RECORDS)]
            for record in population:
                expected = language(filters[k], record, root)
                actual = dataverse(document, record)
                records_checked += 1
                selected += expected
                if expected != actual:
                    shown = {key: value for key, value in record.items() if not isinstance(value, dict)}
                    fail(f"{path} segment s{k}: `{source(filters[k])}`\nthe language says {expected}, the "
                         f"FetchXML says {actual}\nrecord: {shown}\n{xml}")
    xml_files = sorted(str(p) for p in WORK.glob("case*-*.xml"))
    for start in range(0, len(xml_files), 200):
        done = subprocess.run(["xmllint", "--noout", "--schema", XSD, *xml_files[start:start + 200]],
                              capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"xmllint --schema: {done.stderr[:3000]}")
    print(f"segment oracle: {queries} queries, {conditions} conditions, {records_checked} records, "
          f"{selected} selected, all agree (seed {SEED})")


main()
