#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks that a `make bench` report is complete: every required key of
results.json is there with a plausible measured value, report.md has every
section and the plots exist. Usage: check.py DIR. Exit 0 if complete."""
import json
import os
import sys

LAT_KEYS = ("min", "avg", "p99", "max")
SECTIONS = ("## Method", "## Headline", "## Timer interrupt latency", "## EL2 instructions",
            "## Root-cell overhead", "Linux cell", "## Traps per second", "## Enable, cell create",
            "## Size", "direct delivery", "QEMU", "icount", "cortex-a55")
PLOTS = ("irq_latency.png", "traps.png", "el2_insns.png")


def problems(d):
    errs = []
    try:
        r = json.load(open(os.path.join(d, "results.json")))
    except (OSError, ValueError) as e:
        return [f"results.json: {e}"]
    lat = {}
    for s in ("bare", "dedicated", "shared"):
        v = r.get(f"irq_latency_{s}_ticks")
        if not isinstance(v, dict) or any(not isinstance(v.get(k), int) for k in LAT_KEYS):
            errs.append(f"irq_latency_{s}_ticks: not {{min, avg, p99, max}}: {v!r}")
            continue
        if not 0 < v["min"] <= v["avg"] <= v["max"] or not v["min"] <= v["p99"] <= v["max"]:
            errs.append(f"irq_latency_{s}_ticks: inconsistent {v}")
        lat[s] = v
    if "irq_latency_direct_ticks" not in r:
        errs.append("no slot irq_latency_direct_ticks")
    elif r["irq_latency_direct_ticks"] is None and not r.get("irq_latency_direct_note", "").startswith(
            "not measured: no fixtures/"):
        # scenario.sh skips it only without the fixtures; otherwise it must be there
        errs.append(f"irq_latency_direct_ticks: not measured: {r.get('irq_latency_direct_note')!r}")
    elif r["irq_latency_direct_ticks"] is not None:
        v = r["irq_latency_direct_ticks"]
        bare = r.get("irq_latency_bare_ticks")
        if not isinstance(v, dict) or any(not isinstance(v.get(k), int) for k in LAT_KEYS + ("p50",)):
            errs.append(f"irq_latency_direct_ticks: not {{min, p50, avg, p99, max}}: {v!r}")
        elif isinstance(bare, dict) and isinstance(bare.get("p50"), int) and not (
                bare["min"] <= v["min"] and v["p50"] <= 2 * bare["p50"]):
            # no EL2 on the path: at bare metal's latency, not an injected one's
            errs.append(f"irq_latency_direct_ticks: p50 {v['p50']} not near bare metal's {bare['p50']}")
    if len(lat) == 3 and not lat["bare"]["min"] < lat["dedicated"]["min"] <= lat["shared"]["min"]:
        errs.append(f"latency minima not bare < dedicated <= shared: {lat}")
    for k in ("el2_insns_per_irq", "hypervisor_sloc", "haven_bin_bytes"):
        if not isinstance(r.get(k), int) or r[k] <= 0:
            errs.append(f"{k}: not a positive measured count: {r.get(k)!r}")
    for k in ("root_overhead_pct", "enable_ms", "cell_start_ms"):
        if not isinstance(r.get(k), (int, float)):
            errs.append(f"{k}: not a number: {r.get(k)!r}")
    for k in ("enable_ms", "cell_start_ms"):
        if isinstance(r.get(k), (int, float)) and r[k] <= 0:
            errs.append(f"{k}: not positive: {r[k]}")
    for k in ("traps_per_s_idle", "traps_per_s_busy"):
        v = r.get(k)
        if not isinstance(v, dict) or len(v.get("per_cpu", [])) != 4 or v.get("seconds", 0) <= 0:
            errs.append(f"{k}: not per-CPU rates: {v!r}")
    errs += linux_cell_problems(r)
    errs += exact_count_problems(r)
    busy = r.get("traps_per_s_busy")
    if not errs and busy["per_cpu"][0]["irq"] <= 0:
        errs.append("a busy root took no interrupt traps on CPU 0")
    try:
        md = open(os.path.join(d, "report.md")).read()
    except OSError as e:
        return errs + [f"report.md: {e}"]
    errs += [f"report.md: no '{s}'" for s in SECTIONS if s not in md]
    for p in PLOTS:
        path = os.path.join(d, p)
        if not os.path.isfile(path) or os.path.getsize(path) < 1000:
            errs.append(f"plot {p} missing or empty")
    return errs


def linux_cell_problems(r):
    """The Linux-cell overhead: measured, and its EL2 share counted (the
    cell's pmu_el2 opt-in works)."""
    errs = []
    if not isinstance(r.get("linux_cell_overhead_pct"), (int, float)):
        errs.append(f"linux_cell_overhead_pct: not a number: {r.get('linux_cell_overhead_pct')!r} "
                    f"({r.get('linux_cell_overhead_note')})")
    share = r.get("linux_cell_el2_share_pct")
    if not isinstance(share, (int, float)) or share <= 0:
        errs.append(f"linux_cell_el2_share_pct: not a positive share: {share!r}")
    pmu = r.get("linux_cell_overhead", {}).get("el2_share_pmu_pct")
    if not isinstance(pmu, (int, float)) or pmu <= 0:
        errs.append(f"linux_cell_overhead.el2_share_pmu_pct: not a positive share: {pmu!r} "
                    "(the cell's perf counts no EL2 events)")
    return errs


def exact_count_problems(r):
    """The plugin's exact EL2 counts (bench/plugin/el2count.c): every entry
    into Haven's memory was at EL2, the root's runs with Haven counted some
    and those without none."""
    errs = []
    if r.get("el2_exact_not_at_el2") != 0:
        errs.append(f"el2_exact_not_at_el2: {r.get('el2_exact_not_at_el2')!r}, not 0: code in Haven's "
                    "memory ran outside EL2, so counting by address is wrong")
    ro = r.get("root_overhead", {})
    share = ro.get("el2_share_pct")
    if not isinstance(share, (int, float)) or share <= 0:
        errs.append(f"root_overhead.el2_share_pct: not a positive share: {share!r}")
    if any(any(run) for run in ro.get("el2_insns_without_haven", [[1]])):
        errs.append(f"root_overhead.el2_insns_without_haven: not all 0: {ro.get('el2_insns_without_haven')}")
    return errs


def main():
    if len(sys.argv) != 2:
        print("usage: check.py DIR", file=sys.stderr)
        return 2
    errs = problems(sys.argv[1])
    for e in errs:
        print(f"bench report incomplete: {e}")
    if not errs:
        print(f"bench report complete: {sys.argv[1]}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
