#!/usr/bin/env python3
"""Checks the seed files in this folder and the health colour each initiative expects.

    python3 seed/check_seed.py            # check; exit 1 on any problem
    python3 seed/check_seed.py -v         # also list every initiative with its computed health
    python3 seed/check_seed.py --table    # also print the markdown count tables used in README.md

The health rules mirror src/Tracker.Domain/Health.cs and ProgressMath.cs, evaluated on the seeding
day (day 0). All dates in the seed are day offsets from that day.
"""
import json
import os
import re
import sys
from collections import Counter
from decimal import Decimal, ROUND_HALF_EVEN

HERE = os.path.dirname(os.path.abspath(__file__))

KINDS = ["Livelihood", "KeyProject", "Renovation", "CivilizedCity", "Rectification"]
CONSTRUCTION = ["Preparation", "Started", "MainStructureDone", "Completed", "InOperation"]
PHASES = {
    "Rectification": ["Identified", "Assigned", "Rectifying", "Rectified", "Verified"],
    "CivilizedCity": ["Preparation", "Started", "Completed"],
    "Livelihood": CONSTRUCTION,
    "KeyProject": CONSTRUCTION,
    "Renovation": CONSTRUCTION,
}
STATUSES = ["Planned", "InProgress", "Completed", "Suspended", "Cancelled"]
INTERVALS = ["Daily", "Weekly", "Monthly"]
LEVELS = ["Province", "City", "County", "Township"]
COLOURS = ["Green", "Amber", "Red", "Grey"]

AMBER_LAG = Decimal("0.10")
RED_LAG = Decimal("0.25")
# Keep clear of the thresholds so that rounding can never flip a colour.
SAFETY = Decimal("0.01")

INITIATIVE_KEYS = [
    "code", "title", "description", "kind", "jurisdiction", "leadDepartment", "coDepartments",
    "leaderInCharge", "responsiblePerson", "budget", "plannedStart", "deadline", "reportingInterval",
    "status", "phase", "targets", "milestones", "reports", "expectedColour",
]
# Optional, in this order after them: the parent item's code, the weight among its siblings, a key project's facts.
OPTIONAL_KEYS = ["parent", "weight", "keyProject"]
KEY_PROJECT_KEYS = ["level", "construction", "industry", "strategicEmerging", "ownerEnterprise", "totalInvestment",
                    "plannedInvestment", "plannedProduction"]
CONTACT_KEYS = ["name", "title", "phone", "email"]
TARGET_KEYS = ["metric", "unit", "baseline", "target", "weight"]
MILESTONE_KEYS = ["name", "planned", "achieved"]
REPORT_KEYS = ["daysAgo", "by", "phase", "narrative", "problems", "nextSteps", "values"]
FAKE_PHONE = re.compile(r"^(0\d{2,3}-0000\d{3}|1380000\d{4})$")

errors = []


def err(where, message):
    errors.append(f"{where}: {message}")


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def dec(x):
    return Decimal(str(x))


def completion(baseline, target, current):
    """ProgressMath.Completion: share of the way from baseline to target, clamped to [0, 1]; unreported = 0."""
    if current is None:
        return Decimal(0)
    baseline, target, current = dec(baseline), dec(target), dec(current)
    if target == baseline:
        return Decimal(1) if current == target else Decimal(0)
    return min(max((current - baseline) / (target - baseline), Decimal(0)), Decimal(1))


def progress(item):
    """ProgressMath.Overall over the latest reported value of each target, rounded to 4 places."""
    current = {}
    for r in sorted(item.get("reports") or [], key=lambda r: -r["daysAgo"]):
        current.update(r["values"])
    weighted = weights = Decimal(0)
    for t in item["targets"]:
        w = dec(t.get("weight") if t.get("weight") is not None else 1)
        weighted += w * completion(t["baseline"], t["target"], current.get(t["metric"]))
        weights += w
    if weights == 0:
        return Decimal(0)
    return (weighted / weights).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


def expected(start, deadline):
    """ProgressMath.Expected on day 0."""
    if 0 <= start:
        return Decimal(0)
    if 0 >= deadline or deadline <= start:
        return Decimal(1)
    return Decimal(0 - start) / Decimal(deadline - start)


def health(item, where):
    """HealthRules.Evaluate on day 0; returns (colour, facts)."""
    status = item["status"]
    if status in ("Suspended", "Cancelled"):
        return "Grey", {}
    active = status in ("Planned", "InProgress")
    p = progress(item)
    e = expected(item["plannedStart"], item["deadline"])
    lag = e - p
    reports = item.get("reports") or []
    since = min(r["daysAgo"] for r in reports) if reports else -item["plannedStart"]
    interval = item["reportingInterval"]
    if interval == "Daily":
        silent = since >= 2
    elif interval == "Weekly":
        silent = since >= 8
    else:
        if 28 <= since <= 31:
            err(where, f"monthly item last reported {since} days ago: silent or not depends on the calendar month")
        silent = since >= 32
    pending = [m["planned"] for m in item.get("milestones") or [] if m.get("achieved") is None]
    facts = {
        "active": active,
        "progress": p, "expected": e, "lag": lag, "since": since,
        "overdue": active and item["deadline"] < 0,
        "milestoneOverdue": active and bool(pending) and min(pending) < 0,
        "silent": active and silent,
        "lagging": active and lag > AMBER_LAG,
        "badlyLagging": active and lag > RED_LAG,
    }
    if active and not facts["overdue"] and (abs(lag - AMBER_LAG) < SAFETY or abs(lag - RED_LAG) < SAFETY):
        err(where, f"lag {lag:.4f} is within {SAFETY} of a threshold; move it further away")
    if facts["overdue"] or facts["badlyLagging"]:
        return "Red", facts
    if facts["milestoneOverdue"] or facts["silent"] or facts["lagging"]:
        return "Amber", facts
    return "Green", facts


def reason(colour, f):
    if colour == "Grey":
        return "suspended/cancelled"
    if not f.get("active", True):
        return "completed"
    if colour == "Red":
        return "overdue" if f["overdue"] else "badly lagging"
    if colour == "Amber":
        bits = [n for n, k in (("lagging", "lagging"), ("silent", "silent"), ("milestone overdue", "milestoneOverdue")) if f[k]]
        return ", ".join(bits)
    return "on track"


def check_contact(where, c):
    if not isinstance(c, dict) or sorted(c) != sorted(CONTACT_KEYS):
        err(where, f"contact must have exactly {CONTACT_KEYS}")
        return
    if not c["name"]:
        err(where, "contact without a name")
    if c["phone"] and not FAKE_PHONE.match(c["phone"]):
        err(where, f"phone {c['phone']} does not look obviously fictitious (0xxx-0000nnn or 1380000nnnn)")
    if c["email"] and not c["email"].endswith("@example.gov.cn"):
        err(where, f"email {c['email']} must be @example.gov.cn")


def main(argv):
    verbose = "-v" in argv
    table = "--table" in argv

    jurisdictions = load("jurisdictions.json")
    departments = load("departments.json")
    items = load("initiatives.json")
    programmes = load("programmes.json")
    items = items + programmes["items"]

    # ---- jurisdictions: unique codes, parents listed first, a tree of depth >= 4
    depth = {}
    for j in jurisdictions:
        where = f"jurisdiction {j.get('code')}"
        if sorted(set(j) - {"bulletins", "dispatch"}) != ["code", "level", "name", "parent"]:
            err(where, "fields must be code, name, level, parent (and optionally bulletins, dispatch)")
        if "dispatch" in j:
            dispatch = j["dispatch"]
            if sorted(dispatch) != ["dueDay", "dueTime", "instructions", "kind", "title"]:
                err(where, "dispatch fields must be title, kind, instructions, dueDay, dueTime")
            elif dispatch["dueDay"] not in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday") \
                    or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d:00", dispatch["dueTime"]):
                err(where, "dispatch is due on a weekday name at HH:MM:00")
        if not set(j.get("bulletins", [])) <= {"Daily", "Weekly", "Monthly"}:
            err(where, "bulletins are Daily, Weekly or Monthly")
        if j["code"] in depth:
            err(where, "duplicate code")
        if j["level"] not in LEVELS:
            err(where, f"level {j['level']} not one of {LEVELS}")
        if j["parent"] is None:
            depth[j["code"]] = 1
        elif j["parent"] not in depth:
            err(where, f"parent {j['parent']} missing or listed after its child")
            depth[j["code"]] = 1
        else:
            depth[j["code"]] = depth[j["parent"]] + 1
    if max(depth.values(), default=0) < 4:
        err("jurisdictions", "the tree should be at least 4 levels deep somewhere")

    # ---- departments: globally unique codes, existing jurisdictions
    dept_jur = {}
    for d in departments:
        where = f"department {d.get('code')}"
        if not {"code", "jurisdiction", "name"} <= set(d) <= {"code", "jurisdiction", "name", "head"}:
            err(where, "fields must be code, name, jurisdiction and optionally head")
        if "head" in d and sorted(d["head"]) != ["email", "name"]:
            err(where, "head must have name and email")
        if d["code"] in dept_jur:
            err(where, "duplicate code")
        if d["jurisdiction"] not in depth:
            err(where, f"unknown jurisdiction {d['jurisdiction']}")
        dept_jur[d["code"]] = d["jurisdiction"]

    # ---- initiatives
    per_jurisdiction, overall = set(), Counter()
    rows, used_depts = [], set()
    for i in items:
        where = f"initiative {i.get('code')}"
        if list(i)[:len(INITIATIVE_KEYS)] != INITIATIVE_KEYS or [k for k in OPTIONAL_KEYS if k in i] != list(i)[len(INITIATIVE_KEYS):]:
            missing = [k for k in INITIATIVE_KEYS if k not in i]
            extra = [k for k in i if k not in INITIATIVE_KEYS]
            err(where, f"fields differ from the documented shape (missing {missing}, extra {extra}, or out of order)")
            continue
        key = (i["jurisdiction"], i["code"])
        if key in per_jurisdiction:
            err(where, "code not unique in its jurisdiction")
        per_jurisdiction.add(key)
        overall[i["code"]] += 1
        if i["jurisdiction"] not in depth:
            err(where, f"unknown jurisdiction {i['jurisdiction']}")
        for d in [i["leadDepartment"], *i["coDepartments"]]:
            used_depts.add(d)
            if d not in dept_jur:
                err(where, f"unknown department {d}")
            elif dept_jur[d] != i["jurisdiction"]:
                err(where, f"department {d} belongs to {dept_jur[d]}, not {i['jurisdiction']}")
        if i["leadDepartment"] in i["coDepartments"] or len(set(i["coDepartments"])) != len(i["coDepartments"]):
            err(where, "co-departments repeat each other or the lead department")
        check_contact(where + " leaderInCharge", i["leaderInCharge"])
        check_contact(where + " responsiblePerson", i["responsiblePerson"])
        if not i["title"] or not i["description"]:
            err(where, "title and description are required")
        if i["budget"] is not None and i["budget"] <= 0:
            err(where, "budget must be positive or null")

        kind, status = i["kind"], i["status"]
        if kind not in KINDS:
            err(where, f"kind {kind} unknown")
            continue
        phases = PHASES[kind]
        if status not in STATUSES:
            err(where, f"status {status} unknown")
        if i["reportingInterval"] not in INTERVALS:
            err(where, f"reportingInterval {i['reportingInterval']} unknown")
        if i["phase"] not in phases:
            err(where, f"phase {i['phase']} is not a phase of {kind}")
        if i["deadline"] <= i["plannedStart"]:
            err(where, "deadline must come after plannedStart")

        # targets
        metrics = {}
        if not i["targets"]:
            err(where, "at least one target")
        for t in i["targets"]:
            if sorted(t) != sorted(TARGET_KEYS):
                err(where, f"target fields must be {TARGET_KEYS}")
                continue
            if t["metric"] in metrics:
                err(where, f"metric {t['metric']} repeated")
            if t["baseline"] == t["target"]:
                err(where, f"target {t['metric']}: baseline equals target")
            if t["weight"] is not None and t["weight"] <= 0:
                err(where, f"target {t['metric']}: weight must be positive")
            metrics[t["metric"]] = t

        # milestones
        for m in i["milestones"]:
            if sorted(m) != sorted(MILESTONE_KEYS):
                err(where, f"milestone fields must be {MILESTONE_KEYS}")
            elif m["achieved"] is not None and m["achieved"] > 0:
                err(where, f"milestone {m['name']} achieved in the future")

        # reports: oldest first, within the item's life, valid phases, cumulative values
        reports = i["reports"]
        if status == "Planned" and reports:
            err(where, "a Planned item has no reports")
        if status == "Planned" and i["phase"] != phases[0]:
            err(where, f"a Planned item stays in phase {phases[0]}")
        last_phase, last_values = -1, {}
        for n, r in enumerate(reports):
            rw = f"{where} report {n + 1}"
            if sorted(set(r) - {"investment"}) != sorted(REPORT_KEYS):
                err(rw, f"fields must be {REPORT_KEYS}")
                continue
            if n and r["daysAgo"] >= reports[n - 1]["daysAgo"]:
                err(rw, "reports must be listed oldest first (daysAgo strictly descending)")
            if r["daysAgo"] < 0 or r["daysAgo"] > -i["plannedStart"]:
                err(rw, f"daysAgo {r['daysAgo']} is outside the planned start .. today")
            if r["phase"] not in phases:
                err(rw, f"phase {r['phase']} is not a phase of {kind}")
            else:
                if phases.index(r["phase"]) < last_phase:
                    err(rw, "phase goes backwards")
                last_phase = phases.index(r["phase"])
            if not r["values"]:
                err(rw, "no values")
            for metric, value in r["values"].items():
                t = metrics.get(metric)
                if t is None:
                    err(rw, f"value for unknown metric {metric}")
                    continue
                before = last_values.get(metric)
                down = t["target"] < t["baseline"]
                if before is not None and ((value < before) if not down else (value > before)):
                    err(rw, f"{metric} moves away from its target ({before} -> {value}); values are cumulative")
                last_values[metric] = value
        if i["phase"] in phases and last_phase > phases.index(i["phase"]):
            err(where, "the item's phase is behind its last report's phase")

        # the tree and a key project's facts
        if i.get("parent") is not None:
            parent = next((p for p in items if p["code"] == i["parent"]), None)
            if parent is None or items.index(parent) > items.index(i):
                err(where, f"parent {i['parent']} missing or listed after its child")
            elif not depth_of(i["jurisdiction"], parent["jurisdiction"], jurisdictions):
                err(where, f"parent {i['parent']} is not in its jurisdiction or above it")
        if i.get("weight") is not None and i["weight"] <= 0:
            err(where, "weight must be positive")
        facts = i.get("keyProject")
        if facts is not None:
            if kind != "KeyProject" or sorted(facts) != sorted(KEY_PROJECT_KEYS):
                err(where, f"keyProject only on a KeyProject item, with exactly {KEY_PROJECT_KEYS}")
            elif facts["plannedInvestment"] < 0 or facts["totalInvestment"] < facts["plannedInvestment"]:
                err(where, "planned investment must lie between 0 and the total")
        if any("investment" in r for r in reports) and facts is None:
            err(where, "reports carry investment but the item has no keyProject facts")

        # health
        if i["expectedColour"] not in COLOURS:
            err(where, f"expectedColour {i['expectedColour']} not one of {COLOURS}")
        colour, facts = health(i, where)
        if colour != i["expectedColour"]:
            err(where, f"expectedColour {i['expectedColour']} but the rules give {colour} ({reason(colour, facts)})")
        rows.append((i, colour, facts))

    check_programmes(programmes["programmes"], items, jurisdictions)

    for code, n in overall.items():
        if n > 1:
            err(f"initiative {code}", "code used in several jurisdictions; the tests key on code, keep it unique overall")
    inactive = sum(1 for i in items if i.get("status") in ("Suspended", "Cancelled"))
    if inactive > 2:
        err("initiatives", f"{inactive} suspended/cancelled items; keep it to one or two")
    unused = sorted(set(dept_jur) - used_depts)

    if verbose:
        print(f"{'code':<12} {'kind':<14} {'status':<11} {'int':<7} {'start':>6} {'dl':>5} {'since':>5} "
              f"{'exp':>6} {'prog':>6} {'lag':>7}  colour  why")
        for i, colour, f in rows:
            if f:
                print(f"{i['code']:<12} {i['kind']:<14} {i['status']:<11} {i['reportingInterval']:<7} "
                      f"{i['plannedStart']:>6} {i['deadline']:>5} {f['since']:>5} {f['expected']:>6.3f} "
                      f"{f['progress']:>6.3f} {f['lag']:>7.3f}  {colour:<7} {reason(colour, f)}")
            else:
                print(f"{i['code']:<12} {i['kind']:<14} {i['status']:<11} {'':<7} {'':>6} {'':>5} {'':>5} "
                      f"{'':>6} {'':>6} {'':>7}  {colour:<7} {reason(colour, f)}")
        if unused:
            print("departments without initiatives:", ", ".join(unused))

    if table:
        print(markdown(rows))

    n = len(rows)
    by_colour = Counter(c for _, c, _ in rows)
    summary = ", ".join(f"{c} {by_colour[c]}" for c in COLOURS)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"FAILED: {len(errors)} problem(s) in {n} initiatives", file=sys.stderr)
        return 1
    print(f"OK: {len(jurisdictions)} jurisdictions, {len(departments)} departments, {n} initiatives "
          f"({sum(len(i['reports']) for i, _, _ in rows)} reports); {summary}")
    return 0


def depth_of(child, ancestor, jurisdictions):
    """True when `ancestor` is `child` or above it in the jurisdiction tree."""
    parents = {j["code"]: j["parent"] for j in jurisdictions}
    while child is not None:
        if child == ancestor:
            return True
        child = parents[child]
    return False


def check_programmes(programmes, items, jurisdictions):
    """Members exist in the programme's jurisdiction or below; the reports' own totals hold."""
    by_code = {i["code"]: i for i in items}
    members = {}
    for p in programmes:
        where = f"programme {p['code']}"
        if sorted(p) != ["code", "description", "jurisdiction", "members", "name", "owner"]:
            err(where, "fields must be code, jurisdiction, name, description, owner, members")
            continue
        missing = [m for m in p["members"] if m not in by_code]
        if missing or len(set(p["members"])) != len(p["members"]):
            err(where, f"unknown or repeated members {missing}")
            continue
        for m in p["members"]:
            if not depth_of(by_code[m]["jurisdiction"], p["jurisdiction"], jurisdictions):
                err(where, f"member {m} lies outside {p['jurisdiction']}")
        members[p["code"]] = [by_code[m] for m in p["members"]]

    def started(i):
        return i["status"] == "Completed" or i["phase"] not in ("Preparation", "Identified")

    ts = members.get("TSGX-ZD", [])
    yi = Decimal(100_000_000)
    total = sum(dec(i["keyProject"]["totalInvestment"]) for i in ts) / yi
    done = sum(dec(r["investment"]) for i in ts for r in i["reports"] if "investment" in r) / yi
    if len(ts) != 80 or total <= 300 or sum(i["keyProject"]["strategicEmerging"] for i in ts) != 72 \
            or not all(started(i) for i in ts) or Counter(i["expectedColour"] for i in ts)["Red"] < 3 or done != 58:
        err("programme TSGX-ZD", "唐山高新区: 80 projects, over 300亿, 72 strategic emerging, all started, some red, 58亿 done")
    pd = members.get("PDGX-ZD", [])
    kinds = Counter(i["keyProject"]["construction"] for i in pd)
    if len(pd) != 28 or kinds != Counter(NewStart=11, CompletingProduction=11, Continued=6) \
            or not all(started(i) for i in pd if i["keyProject"]["construction"] == "NewStart") \
            or not all(i["phase"] == "InOperation" for i in pd if i["keyProject"]["construction"] == "CompletingProduction"):
        err("programme PDGX-ZD", "平顶山高新区: 28 projects, the 11 new starts started, 11 completed and producing, 6 continuing")
    if [len(members.get(c, [])) for c in ("LFKF-WM", "LFKF-MS")] != [6, 11]:
        err("programmes LFKF-WM/LFKF-MS", "廊坊开发区: 6 civilized-city tasks and 11 livelihood projects")
    kindergartens = [i for i in items if i.get("parent") == "LFKF-MS-01"]
    places = [int(re.search(r"（(\d+)个学位）", i["title"]).group(1)) for i in kindergartens]
    if len(kindergartens) != 5 or sum(places) != 1170 or 360 not in places:
        err("LFKF-MS-01", "5 kindergartens giving 1,170 places, one of them 360")


def markdown(rows):
    lines = ["| kind | Green | Amber | Red | Grey | total |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for kind in KINDS:
        c = Counter(colour for i, colour, _ in rows if i["kind"] == kind)
        lines.append(f"| {kind} | " + " | ".join(str(c[x]) for x in COLOURS) + f" | {sum(c.values())} |")
    c = Counter(colour for _, colour, _ in rows)
    lines.append("| **total** | " + " | ".join(f"**{c[x]}**" for x in COLOURS) + f" | **{len(rows)}** |")
    lines.append("")
    why = Counter()
    for i, colour, f in rows:
        if i["status"] == "Completed":
            why["Green — completed"] += 1
        elif i["status"] == "Planned" and colour == "Green":
            why["Green — planned, not yet started"] += 1
        elif colour == "Green":
            why["Green — on track"] += 1
        elif colour == "Amber":
            why["Amber — lagging" if f["lagging"] else "Amber — silent or milestone overdue"] += 1
        elif colour == "Red":
            why["Red — overdue" if f["overdue"] else "Red — badly lagging"] += 1
        else:
            why[f"Grey — {i['status'].lower()}"] += 1
    lines += ["| colour — reason | items |", "| --- | ---: |"]
    lines += [f"| {k} | {why[k]} |" for k in sorted(why, key=lambda k: (COLOURS.index(k.split(' ')[0]), k))]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
