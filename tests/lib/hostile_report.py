#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The hostile-cell suite's report: judges every attack of
tests/qemu/hostile.sh from the records that scenario prints on the serial
line, prints a table and writes a JSON list of
{"attack", "expected", "observed", "reported", "victims_intact", "pass"}.

  hostile_report.py SERIAL.LOG [--json OUT.json]

An attack passes when all three hold:

  observed  what the attacking cell saw (its "HOSTILE: end N observed=TOKEN"
            line, or how the cell ended) is the token it expects;
  reported  Haven wrote a line about it while it ran (between the attack's
            begin and end lines) AND the matching counter moved: the cell's
            faults, denied accesses or DMA faults, or Haven's DMA faults of
            unowned streams. The control run and the accesses Haven
            performs in a sub-page window (kind "allowed") must be reported
            by nothing;
            so must the runs of the CPU state pair (kinds "plant" and
            "state"), which break no rule Haven could report: their
            "reported" is n/a (JSON null), and any violation line or counter
            during them fails them (JSON true);
  victims   the root's canary is intact, Haven's image checksum and the
            RTOS's memory checksum are unchanged (and known), the RTOS is
            running and its heartbeat advanced, the root's shell counter
            advanced and the root's view of its UART interrupt (enable,
            priority, route of SPI 33) is unchanged.

The CPU state pair: "state-plant" leaves recognisable values in the CPU's
registers ("planted": every one held) and "state-check", in the next entry
of the CPU, finds each in its reset state ("reset-state"; "leaked" names
the others). A check passes only if the run its record names as
planted_by observed "planted", so it cannot pass without something to
find. The pair runs in the cell (a restart of the same cell on its CPU),
and once more with the check done by the root Linux (elstate.ko) after the
cell's destroy gave the CPU back: runs "root-plant" and "root".

Exit status 0 if every attack passed, 1 otherwise (or if the log has no
records). Standard library only.
"""

import argparse
import json
import re
import sys

# --- Haven's report lines -------------------------------------------------------
# What Haven writes about a violation, by the kind of attack; {cell} is the
# attacking cell's name (regex-escaped). Adjust here when the formats change.
REPORT_LINES = {
    # hypervisor/traps.c: an access outside the cell, policy abort
    "fault": r"^{cell}: CPU \d+: (read|write|fetch) of unowned IPA 0x[0-9a-f]+ .*external abort injected",
    # hypervisor/mmio_subpage.c: an access in a sub-page window's page that
    # Haven refused (then the fault line above, or the failure)
    "subpage": r"^{cell}: CPU \d+: sub-page (read|write) of IPA 0x[0-9a-f]+ \(\d+ bytes\) refused: ",
    # the same refusal with policy fail (the cell's state then says FAILED)
    "subpage-failed": r"^{cell}: CPU \d+: sub-page (read|write) of IPA 0x[0-9a-f]+ \(\d+ bytes\) refused: ",
    # hypervisor/cell_fail.c: the same with policy fail
    "failed": r"^cell '{cell}' FAILED: ",
    # an access refused without a fault
    "denied": r"^{cell}: CPU \d+: denied: ",
    # SMMU faults: of the cell's stream, of a stream no cell owns
    "dma": r"^smmu: stream 0x[0-9a-f]+ \({cell}\): .*fault",
    "dma-unassigned": r"^smmu: stream 0x[0-9a-f]+ \(no cell\): ",
    # hypervisor/cell_fail.c: the cell's PSCI SYSTEM_OFF and SYSTEM_RESET
    "off": r"^cell '{cell}' powered off",
    "reset": r"^cell '{cell}' asked for a reset",
}
# The counter (a key of the scenario's records) that must move with the line.
REPORT_COUNTERS = {
    "fault": "faults",
    "failed": "faults",
    "subpage": "faults",
    "subpage-failed": "faults",
    "denied": "denied",
    "dma": "dma",
    "dma-unassigned": "dmaun",
    "off": None,
    "reset": None,
}
COUNTER_NAMES = {
    "faults": "the cell's faults",
    "denied": "the cell's denied accesses",
    "dma": "the cell's DMA faults",
    "dmaun": "Haven's DMA faults of unowned streams",
}
# What the control run must not trigger.
VIOLATION_KINDS = ("fault", "failed", "subpage", "denied", "dma", "dma-unassigned")
# Runs that break no rule: the control DMA and the accesses Haven performs
# in a sub-page window.
ALLOWED_KINDS = ("control", "allowed")

# The hostile_fail runs: attack read-root-ram with the policy fail, and a
# read beside its sub-page window (in the page of its RTC window).
FAIL_RUN = "fail"
FAIL_CELL = "hostile_fail"
FAIL_SUBPAGE_RUN = "fail-subpage"
FAIL_SUBPAGE_ATTACK = "subpage-read-outside"

# The CPU state pair: kinds with nothing for Haven to report, and its
# second run, the plant before the destroy and the check in the root.
STATE_KINDS = ("plant", "state")
ROOT_PLANT_RUN = "root-plant"
ROOT_RUN = "root"
ROOT_CELL = "root"
RUN_LABELS = {FAIL_RUN: FAIL_CELL, FAIL_SUBPAGE_RUN: FAIL_CELL,
              ROOT_PLANT_RUN: "before destroy",
              ROOT_RUN: "in the root after destroy"}

PAIR_KEYS = ("canary", "image", "dmaun", "rtos_state", "rtos_hb", "rtos_sum", "root",
             "gic", "state", "starts", "faults", "denied", "dma")


class Attack:
    def __init__(self, index, name, kind, expected):
        self.index = index
        self.name = name
        self.kind = kind
        self.expected = expected


def parse(text):
    """The scenario's records: catalog, records per run, console per run, notes."""
    lines = [l.rstrip("\r") for l in text.split("\n")]
    begins = [i for i, l in enumerate(lines) if l.strip() == "HOSTILE-DATA-BEGIN"]
    if not begins:
        return None
    catalog, recs, logs, notes = {}, {}, {}, []
    for line in lines[begins[-1] + 1:]:
        line = line.strip("\r")
        if line.strip() == "HOSTILE-DATA-END":
            break
        if line.startswith("HOSTILE-ATTACK "):
            f = line.split()
            if len(f) == 5:
                catalog[f[1]] = Attack(int(f[1]), f[2], f[3], f[4])
        elif line.startswith("HOSTILE-REC "):
            f = line.split()
            rec = {}
            for item in f[2:]:
                key, _, value = item.partition("=")
                if key in PAIR_KEYS:
                    before, _, after = value.partition(":")
                    rec[key] = (before, after)
                else:
                    rec[key] = value
            recs[f[1]] = rec
        elif line.startswith("HOSTILE-LOG "):
            run, _, rest = line[len("HOSTILE-LOG "):].partition(" | ")
            logs.setdefault(run.strip(), []).append(rest)
        elif line.startswith("HOSTILE-NOTE "):
            notes.append(line[len("HOSTILE-NOTE "):])
    return catalog, recs, logs, notes


def number(s):
    try:
        return int(s, 0)
    except (TypeError, ValueError):
        return None


def window(log, cell, index):
    """Haven's lines (not the cells' own) from the attack's begin line to its
    end line, or to the end of the run without one; and the end line."""
    begin = re.compile(rf"^\[{re.escape(cell)}\] HOSTILE: begin {index} ")
    end = re.compile(rf"^\[{re.escape(cell)}\] HOSTILE: end {index} observed=(\S+)(.*)$")
    inside, haven, end_match, seen_begin = False, [], None, False
    for line in log:
        if begin.match(line):
            inside = seen_begin = True
            continue
        m = end.match(line)
        if m:
            end_match = m
            inside = False
            continue
        if inside and not line.startswith("["):
            haven.append(line)
    return seen_begin, haven, end_match


def cell_says(log, cell, index, what):
    """The registers named by the cell's "HOSTILE: WHAT NAME=..." lines
    between the attack's begin and end lines."""
    begin = re.compile(rf"^\[{re.escape(cell)}\] HOSTILE: begin {index} ")
    end = re.compile(rf"^\[{re.escape(cell)}\] HOSTILE: end {index} ")
    line_re = re.compile(rf"^\[{re.escape(cell)}\] HOSTILE: {what} (\S+?)=")
    inside, names = False, []
    for line in log:
        if begin.match(line):
            inside = True
        elif end.match(line):
            inside = False
        elif inside:
            m = line_re.match(line)
            if m:
                names.append(m.group(1))
    return names


def observe(attack, cell, rec, log):
    """The observed token and its details."""
    run = rec.get("run", "")
    if run.startswith("skipped:"):
        return f"not-run ({run[len('skipped:'):]})", ""
    began, _, end = window(log, cell, attack.index)
    state = rec.get("state", ("", ""))[1]
    if end:
        token, detail = end.group(1), end.group(2).strip()
    elif not began:
        token, detail = "not-started", ""
    elif state == "failed":
        failed = [l for l in log if l.startswith(f"cell '{cell}' FAILED")]
        token, detail = "cell-failed", failed[0] if failed else ""
    elif attack.kind == "off" and state == "shut-down":
        token, detail = "stopped", ""
    else:
        token, detail = "no-end-line", f"state {state}"
    if run == "timeout":
        detail = (detail + " " if detail else "") + "(the cell did not stop: stopped by Haven)"
    return token, detail


def counter_moved(rec, key):
    before, after = rec.get(key, (None, None))
    b, a = number(before), number(after)
    return b is not None and a is not None and a > b, before, after


def reported(kind, cell, rec, log, index):
    """(reported, why not / what) for an attack of this kind."""
    _, haven, _ = window(log, cell, index)
    if kind in ALLOWED_KINDS or kind in STATE_KINDS:
        hits = [l for k in VIOLATION_KINDS for l in haven
                if re.search(REPORT_LINES[k].format(cell=re.escape(cell)), l)]
        moved = [COUNTER_NAMES[c] for c in ("faults", "denied", "dma", "dmaun")
                 if counter_moved(rec, c)[0]]
        what = "; ".join(([f"line '{hits[0]}'"] if hits else []) +
                         [f"{m} moved" for m in moved])
        return bool(hits or moved), what
    pattern = REPORT_LINES.get(kind)
    if pattern is None:
        return False, f"no report rule for kind {kind}"
    regex = re.compile(pattern.format(cell=re.escape(cell)))
    lines = [l for l in haven if regex.search(l)]
    why = []
    if not lines:
        why.append(f"no line matching /{regex.pattern}/ while it ran")
    counter = REPORT_COUNTERS[kind]
    if counter:
        moved, before, after = counter_moved(rec, counter)
        if not moved:
            why.append(f"{COUNTER_NAMES[counter]} {before} -> {after}")
    return not why, "; ".join(why)


UNVERIFIED = "not available"


def victims(rec):
    """(intact, reasons) from the snapshots before and after the run."""
    why = []

    def pair(key):
        return rec.get(key, ("none", "none"))

    if pair("canary")[1] != "intact":
        why.append("the root's canary changed")
    for key, what in (("image", "Haven's image checksum"),
                      ("rtos_sum", "the RTOS's memory checksum")):
        before, after = pair(key)
        if before in ("none", "null", "") or after in ("none", "null", ""):
            why.append(f"{what} {UNVERIFIED} ({before} -> {after})")
        elif before != after:
            why.append(f"{what} changed ({before} -> {after})")
    if pair("rtos_state")[1] != "running":
        why.append(f"the RTOS is {pair('rtos_state')[1]}")
    for key, what in (("rtos_hb", "the RTOS's heartbeat"), ("root", "the root's counter")):
        moved, before, after = counter_moved(rec, key)
        if not moved:
            why.append(f"{what} did not advance ({before} -> {after})")
    if pair("gic")[0] != pair("gic")[1]:
        why.append(f"the root's SPI 33 enable/priority/route changed ({pair('gic')[0]} -> {pair('gic')[1]})")
    return not why, why


def judge(catalog, recs, logs):
    results = []
    runs = [(str(a.index), a, a.kind, a.expected, "hostile") for a in
            sorted(catalog.values(), key=lambda a: a.index)]
    fail_attack = None
    if FAIL_RUN in recs:
        fail_attack = catalog.get(recs[FAIL_RUN].get("attack", ""))
    if fail_attack is None:
        fail_attack = next((a for a in catalog.values() if a.name == "read-root-ram"), None)
    if fail_attack:
        runs.append((FAIL_RUN, fail_attack, "failed", "cell-failed", FAIL_CELL))
    fail_subpage = next((a for a in catalog.values() if a.name == FAIL_SUBPAGE_ATTACK), None)
    if fail_subpage:
        runs.append((FAIL_SUBPAGE_RUN, fail_subpage, "subpage-failed", "cell-failed",
                     FAIL_CELL))
    plant = next((a for a in catalog.values() if a.kind == "plant"), None)
    check = next((a for a in catalog.values() if a.kind == "state"), None)
    if plant and check:
        runs.append((ROOT_PLANT_RUN, plant, "plant", plant.expected, "hostile"))
        runs.append((ROOT_RUN, check, "state", check.expected, ROOT_CELL))
    tokens = {}
    for run, attack, kind, expected, cell in runs:
        rec = recs.get(run)
        name = f"{attack.name} ({RUN_LABELS[run]})" if run in RUN_LABELS else attack.name
        r = {"attack": name, "expected": expected, "observed": "not-run (no record)",
             "reported": False, "victims_intact": False, "pass": False}
        why = []
        if rec is None:
            why.append("the scenario did not run it")
            results.append((run, r, why))
            continue
        cell = rec.get("cell", cell)
        log = logs.get(run, [])
        token, detail = observe(attack, cell, rec, log)
        tokens[run] = token
        r["observed"] = f"{token} {detail}".strip()
        if token.startswith("not-run"):
            why.append(f"not run: {rec.get('run', '')[len('skipped:'):]}")
            results.append((run, r, why))
            continue
        if token != expected:
            why.append(f"observed {token}, expected {expected}")
            said = {"leaked": "leak", "not-held": "not held"}.get(token)
            if said and kind in STATE_KINDS:
                names = cell_says(log, cell, attack.index, said)
                why.append(f"{said}: {', '.join(names) if names else '(no lines)'}")
        rep, rep_why = reported(kind, cell, rec, log, attack.index)
        r["reported"] = rep
        if kind in ALLOWED_KINDS:
            if rep:
                why.append(f"the allowed {'DMA' if kind == 'control' else 'access'} "
                           f"was reported: {rep_why}")
        elif kind in STATE_KINDS:
            r["reported"] = True if rep else None  # nothing to report: n/a
            if rep:
                why.append(f"Haven reported a violation: {rep_why}")
        elif not rep:
            why.append(f"not reported: {rep_why}")
        intact, v_why = victims(rec)
        r["victims_intact"] = intact
        if v_why:
            why.append("victims: " + ", ".join(v_why))
        nothing_to_report = kind in ALLOWED_KINDS or kind in STATE_KINDS
        r["pass"] = token == expected and rep != nothing_to_report and intact
        results.append((run, r, why))
    # a check proves something only after a plant that held
    for run, r, why in results:
        rec = recs.get(run)
        attack = catalog.get(rec.get("attack", "")) if rec else None
        if not rec or not attack or attack.kind != "state" or r["observed"].startswith("not-run"):
            continue
        planted_by = rec.get("planted_by")
        if not planted_by:
            why.append("no state-plant run before it (planted_by)")
        elif tokens.get(planted_by) != "planted":
            why.append(f"its plant, run {planted_by}, observed "
                       f"{tokens.get(planted_by, 'nothing (no record)')}, not planted")
        else:
            continue
        r["pass"] = False
    return results


def yes(b):
    return "n/a" if b is None else "yes" if b else "no"


def victims_word(r, why):
    """intact, harmed (a check failed) or unverified (one could not be made)."""
    if r["victims_intact"]:
        return "intact"
    checks = [w for w in why if w.startswith("victims: ")]
    if not checks:
        return "-"  # not run
    failed = [c for c in checks[0][len("victims: "):].split(", ") if UNVERIFIED not in c]
    return "HARMED" if failed else "unverified"


def print_table(results, out):
    rows = [("#", "attack", "expected", "observed", "reported", "victims", "result")]
    for run, r, why in results:
        observed = r["observed"].split(" ")[0]
        rows.append((run, r["attack"], r["expected"], observed, yes(r["reported"]),
                     victims_word(r, why), "PASS" if r["pass"] else "FAIL"))
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip(), file=out)
    failed = [(run, r, why) for run, r, why in results if not r["pass"]]
    if failed:
        print("\nwhy:", file=out)
        for run, r, why in failed:
            print(f"  {run} {r['attack']}: " + "; ".join(why), file=out)
    passed = sum(r["pass"] for _, r, _ in results)
    print(f"\nhostile: {passed} of {len(results)} attacks passed", file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("log", help="the serial log of tests/qemu/hostile.sh")
    ap.add_argument("--json", metavar="OUT", help="write the results to OUT")
    args = ap.parse_args()
    try:
        with open(args.log, errors="replace") as f:
            text = f.read()
    except OSError as e:
        print(f"hostile_report: {args.log}: {e.strerror}", file=sys.stderr)
        return 1
    parsed = parse(text)
    results = []
    if parsed is None:
        print(f"hostile_report: {args.log} has no HOSTILE-DATA-BEGIN: the scenario did not "
              "get to print its records", file=sys.stderr)
    else:
        catalog, recs, logs, notes = parsed
        if not catalog:
            print("hostile_report: the records list no attacks", file=sys.stderr)
        results = judge(catalog, recs, logs)
        print_table(results, sys.stdout)
        for note in notes:
            print(f"note: {note}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([r for _, r, _ in results], f, indent=2)
            f.write("\n")
    return 0 if results and all(r["pass"] for _, r, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
