#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Judge the temporal-isolation scenarios of tests/qemu/temporal.sh.

Reads the serial log of the run (TEMPORAL-RESULT lines: the measurement
lines of the RTOS cell and of the Linux cell's hog, per scenario) and the
system config the run used (for each cell's budget, period and priority on
the shared CPU, as the config compiler prints them), checks each scenario
against its bound, prints a table and writes a JSON list with one object per
scenario: scenario, cell, periods, min_budget_received_pct, deadline_misses,
worst_response_ticks, bound_ticks, pass, and what was measured.

"Received" (min_budget_received_pct) is what the measuring program itself
executed in a period. "Held" (min_budget_held_pct) adds the parts of its
gaps in which Haven's ledger (comm.h, held_ticks/held_since) says the
cell's vCPU held the CPU: its own kernel, Haven's work for it, or stalls
(under -icount one instruction stream drives the clock of every QEMU CPU,
so the root's work on another CPU takes virtual time from CPU 3 that no
hardware would). The held minimum is what the budget guarantees and is
asserted; the received minimum is reported (see README, "Temporal
isolation").

Usage: temporal_report.py SERIAL_LOG --json OUT --config SYSTEM.cell
Exit status 0 if every scenario passes, 1 otherwise.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the RTOS task of rtos-shared.bin (inmates/rtos/tasks_shared.c): its
# execution time is the C of the periodic-resource bound
RTOS_TASK_EXEC_US = 1000
MIN_PERIODS = 1000
# the RTOS, the highest priority, holds the CPU for its whole budget in
# every period (the budget is what Haven charges: its switch-in and Haven's
# work for its traps included)
RTOS_MIN_HELD_PCT = 99.9
# and on average executes 97% of it itself: the switch into it costs ~2%
RTOS_AVG_BUDGET_PCT = 97.0
# the Linux cell, the lowest priority on a fully booked CPU (20% + 80%),
# holds its budget in each of its periods less what the RTOS holds beyond
# its own: at most one switch per period (a switch, once begun, runs to its
# end; ~2,500 ticks at shift=3). Measured 99.91-99.97% with the RTOS
# spinning, 99.49-99.71% with it flipping; a cell that makes Haven switch for
# free (rtos-flip under the old charging: 65%) fails
HOG_MIN_HELD_PCT = 99.0
# and the hog, a user process whose cell's kernel (its tick, the hog's
# timer signal) also runs in the budget, 97%
HOG_AVG_BUDGET_PCT = 97.0
# with the RTOS nearly idle the Linux cell gets "nearly the whole CPU"
IDLE_SHARE_PCT = 90.0

BOUND_LINE = re.compile(r"CPU (\d+): (\S+): priority (\d+), budget (\d+) us / "
                        r"period (\d+) us: share [\d.]+%, delay bound (\d+) us")


def fields(line):
    """key=value pairs of a measurement line, values as int or float."""
    out = {}
    for key, value in re.findall(r"(\w+)=([\d.]+)", line):
        out[key] = float(value) if "." in value else int(value)
    return out


def parse_log(path):
    results, counter_hz = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = re.match(r"TEMPORAL-RESULT (\S+) (\S+) (.*)", line)
            if not m:
                continue
            scenario, what, rest = m.groups()
            if what == "counter":
                c = re.search(r"counter (\d+) Hz", rest)
                counter_hz = int(c.group(1)) if c else None
            else:
                results.setdefault(scenario, {})[what] = fields(rest) if rest else {}
    return results, counter_hz


def reservations(config):
    """{cell: (priority, budget_us, period_us, delay_bound_us)} printed by
    the config compiler for the system."""
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools/haven-config"),
                          "dump", config], capture_output=True, text=True)
    found = {}
    for m in BOUND_LINE.finditer(out.stdout + out.stderr):
        _, cell, prio, budget, period, delay = m.groups()
        found[cell] = tuple(int(x) for x in (prio, budget, period, delay))
    return found


def response_bound_us(c, budget, period):
    """Periodic resource model: a job needing C under budget B per period P
    completes within C + (ceil(C / B) + 1) * (P - B)."""
    return c + (math.ceil(c / budget) + 1) * (period - budget)


def judge(results, hz, res):
    rows = []
    ticks = (lambda us: us * hz // 1000000) if hz else (lambda us: None)

    def row(scenario, cell, periods, pct, misses, worst, bound, ok, measured, avg_pct=None,
            held_pct=None):
        rows.append({"scenario": scenario, "cell": cell, "periods": periods,
                     "min_budget_received_pct": pct, "avg_budget_received_pct": avg_pct,
                     "min_budget_held_pct": held_pct,
                     "deadline_misses": misses,
                     "worst_response_ticks": worst, "bound_ticks": bound,
                     "pass": bool(ok), "measured": measured})

    # 1: the RTOS gets its budget in every period, meets its deadlines and
    # its worst response is within the analytic bound
    r = results.get("rtos-vs-hog", {}).get("rtos", {})
    prio, b, p, _ = res.get("rtos", (0, 0, 0, 0))
    bound = ticks(response_bound_us(RTOS_TASK_EXEC_US, b, p)) if b else None
    ok = (r and bound is not None and r.get("periods", 0) >= MIN_PERIODS and
          r.get("min_budget_held_pct", 0) >= RTOS_MIN_HELD_PCT and
          r.get("recv_avg", 0) * 100 >= RTOS_AVG_BUDGET_PCT * r.get("budget_ticks", 1 << 62) and
          r.get("deadline_misses", 1) == 0 and r.get("worst_response_ticks", 1 << 62) <= bound)
    row("rtos-vs-hog", "rtos", r.get("periods"), r.get("min_budget_received_pct"),
        r.get("deadline_misses"), r.get("worst_response_ticks"), bound, ok,
        "RTOS (soak + 1 ms task every 20 ms) vs a CPU hog in the Linux cell: "
        f"CPU time per RTOS period, task response times; longest stall "
        f"{r.get('stall_max')} ticks",
        round(r["recv_avg"] * 100.0 / r["budget_ticks"], 2) if r.get("budget_ticks") else None,
        r.get("min_budget_held_pct"))

    _, lb, lp, ldelay = res.get("linux", (0, 0, 0, 0))
    linux_bound = ticks(ldelay) if ldelay else None

    def of_budget(h, key):
        """The hog's KEY as a % of the Linux budget."""
        return (round(h[key] * 100.0 / ticks(lb), 2)
                if h.get(key) is not None and lb and hz else None)

    def hog_holds(h):
        """The Linux cell held at least HOG_MIN_HELD_PCT of its budget in
        each of at least MIN_PERIODS of its periods and the hog's timer fired
        within the Linux cell's delay bound: (held %, lateness, pass)."""
        held = of_budget(h, "held_min")
        late = ticks(h["timer_late_max_us"]) if "timer_late_max_us" in h else None
        ok = (bool(h) and h.get("periods", 0) >= MIN_PERIODS and
              held is not None and held >= HOG_MIN_HELD_PCT and
              h.get("timer_expiries", 0) > 0 and late is not None and
              linux_bound is not None and late <= linux_bound)
        return held, late, ok

    # 2: the spinning RTOS is held to its budget: the Linux hog gets its own
    # budget in every period and its timer still fires within the delay bound
    h = results.get("rtos-spin", {}).get("hog", {})
    pct = of_budget(h, "recv_min")
    avg = of_budget(h, "recv_avg")
    held, late, ok = hog_holds(h)
    ok = ok and avg is not None and pct is not None and avg >= HOG_AVG_BUDGET_PCT
    row("rtos-spin", "linux", h.get("periods"), pct, 0 if ok else None, late, linux_bound, ok,
        "an RTOS job that never completes vs the Linux hog: the hog's CPU time "
        "per Linux period against the Linux budget (and what the Linux cell "
        f"held: {held}%, needs {HOG_MIN_HELD_PCT}%), interval-timer lateness",
        avg, held)

    # 3: with the RTOS idle, the Linux hog gets nearly the whole CPU
    h = results.get("rtos-idle", {}).get("hog", {})
    r = results.get("rtos-idle", {}).get("rtos", {})
    share = h.get("min_held_pct")
    ok = (h and share is not None and share >= IDLE_SHARE_PCT and
          h.get("timer_expiries", 0) > 0 and
          h.get("periods", 0) >= MIN_PERIODS and r.get("deadline_misses", 1) == 0)
    row("rtos-idle", "linux", h.get("periods"), of_budget(h, "recv_min"),
        r.get("deadline_misses"), r.get("worst_response_ticks"), None, ok,
        f"an idle RTOS (50 us every 10 ms) vs the Linux hog: the Linux cell's share "
        f"of the CPU (min {share}% of every 10 ms, needs {IDLE_SHARE_PCT}%)",
        of_budget(h, "recv_avg"), of_budget(h, "held_min"))

    # 4: an RTOS that idles and wakes all the time pays for the switches:
    # the hog's cell still holds its budget in every period, and its timer
    # fires within its delay bound
    h = results.get("rtos-flip", {}).get("hog", {})
    held, late, ok = hog_holds(h)
    row("rtos-flip", "linux", h.get("periods"), of_budget(h, "recv_min"), 0 if ok else None,
        late, linux_bound, ok,
        "an RTOS that idles and wakes 50 times a period (5 us every 200 us) vs "
        f"the Linux hog: the switches are the RTOS's, the Linux cell holds "
        f"{held}% of its budget in every period (needs {HOG_MIN_HELD_PCT}%)",
        of_budget(h, "recv_avg"), held)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--json", required=True)
    ap.add_argument("--config", required=True)
    args = ap.parse_args()
    results, hz = parse_log(args.log)
    res = reservations(args.config)
    rows = judge(results, hz, res)
    print(f"counter {hz} Hz; reservations {res}")
    print(f"{'scenario':<12} {'cell':<6} {'periods':>7} {'min recv %':>10} {'min held %':>10} "
          f"{'avg recv %':>10} {'misses':>6} {'worst':>10} {'bound':>10}  result")
    for r in rows:
        print(f"{r['scenario']:<12} {r['cell']:<6} {str(r['periods']):>7} "
              f"{str(r['min_budget_received_pct']):>10} {str(r['min_budget_held_pct']):>10} "
              f"{str(r['avg_budget_received_pct']):>10} "
              f"{str(r['deadline_misses']):>6} "
              f"{str(r['worst_response_ticks']):>10} {str(r['bound_ticks']):>10}  "
              f"{'pass' if r['pass'] else 'FAIL'}")
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(rows, f, indent=2)
        f.write("\n")
    passed = sum(r["pass"] for r in rows)
    print(f"temporal: {passed} of {len(rows)} scenarios pass")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
