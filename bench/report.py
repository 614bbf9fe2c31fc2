#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turns the logs of scripts/bench.sh into bench/results.json, bench/report.md
and PNG plots, and prints the headline table (bench/README.md).

Usage: report.py --out DIR --bare LOG --haven LOG --el2count LOG
                 --linux-cell-cpus LIST --sloc FILE --size FILE
                 --bin haven.bin --shift N --mode quick|full
                 --bare-cmd CMD --haven-cmd CMD
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

# shared/DESIGN.md, "Reference figures" (Cortex-A53 @ 1.2 GHz, ZCU104)
REFERENCES = {
    "irq_latency_ns": {"bare metal": 222, "Bao": 906, "Jailhouse": 1094},
    "irq_latency_ratio": {"Bao": 906 / 222, "Jailhouse": 1094 / 222},
    "el2_insns_per_irq": {"Bao": 188, "Jailhouse": 225, "Xen": 1418},
    "guest_slowdown_pct": {"Bao": 0.14, "Jailhouse": 0.18, "Xen": 0.30},
    "sloc": {"Jailhouse": "9100-9600", "Bao": "10100-10500"},
    "el2_exits_per_s_cpu_bound_guest": 250,
}
TARGET_EL2_PER_IRQ = 150
TARGET_OVERHEAD_PCT = 0.1
KB = {"1G": 1 << 30, "2M": 2 << 20, "4K": 4 << 10}


class BenchError(Exception):
    pass


def lines_of(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace").replace("\r", "")
    return text.splitlines()


def kv(text):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(-?\d+)", text)}


def parse_bench(lines, prefix):
    """The measurement inmate's lines (after PREFIX): latency, histogram, EL2."""
    r = {"lat": None, "hist": [], "el2": {}}
    for line in lines:
        if not line.startswith(prefix):
            continue
        rest = line[len(prefix):]
        if rest.startswith("lat "):
            r["lat"] = kv(rest)
        elif rest.startswith("lh "):
            lo, hi, n = (int(x) for x in rest.split()[1:4])
            r["hist"].append((lo, hi, n))
        elif rest.startswith("el2 "):
            r["el2"][rest.split()[1]] = kv(rest)
        elif rest.startswith("start "):
            r["irqs"] = kv(rest)["irqs"]
    if r["lat"] is None or "irq" not in r["el2"]:
        raise BenchError(f"no complete measurement with prefix '{prefix}'")
    return r


def parse_el2count(path):
    """bench/plugin/el2count.c's log: the exact EL2 instructions of every
    vCPU during each benchwork run (between its start and end marks, both
    on the run's vCPU), in the order the runs began, and the entries into
    Haven's memory not at EL2 (0, or the attribution is wrong)."""
    runs, open_runs, not_el2 = [], {}, None
    for line in lines_of(path):
        m = re.match(r"el2count (?:vcpu=(\d+)|exit) el2=([\d,]*) notel2=(\d+)$", line)
        if not m:
            continue
        counts, not_el2 = [int(x) for x in m.group(2).split(",") if x], int(m.group(3))
        if m.group(1) is None:
            continue
        v = int(m.group(1))
        if v in open_runs:
            r = open_runs.pop(v)
            r["el2"] = [b - a for a, b in zip(r.pop("start"), counts)]
        else:
            open_runs[v] = {"vcpu": v, "start": counts}
            runs.append(open_runs[v])
    if open_runs or not_el2 is None:
        raise BenchError(f"{path}: incomplete: a run without its end mark, or QEMU did not exit")
    return {"runs": runs, "not_at_el2": not_el2}


def exact_runs(ex, groups):
    """Splits the plugin's runs EX into GROUPS [(name, count, vcpu or None)],
    the order scenario.sh runs them in; checks each run's vCPU."""
    want = sum(n for _, n, _ in groups)
    if len(ex["runs"]) != want:
        raise BenchError(f"el2count: {len(ex['runs'])} runs marked, the log has {want} "
                         f"({', '.join(f'{n} {name}' for name, n, _ in groups)})")
    out, i = {}, 0
    for name, n, vcpu in groups:
        out[name] = ex["runs"][i:i + n]
        i += n
        bad = [r["vcpu"] for r in out[name] if vcpu is not None and r["vcpu"] != vcpu]
        if bad:
            raise BenchError(f"el2count: {name} runs on vCPU {bad}, expected {vcpu}")
    return out


def cpu_list(text):
    """'1-2' or '1,3' -> [1, 2] or [1, 3]"""
    cpus = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        cpus += range(int(a), int(b or a) + 1)
    return cpus


def lat_stats(b):
    lat = b["lat"]
    return {k: lat[k] for k in ("n", "min", "avg", "p50", "p99", "max")}


def parse_haven(lines):
    h = {"work": {"off": [], "on": []}, "time": {}, "traps": {}, "stats": {}, "busy": []}
    for line in lines:
        m = re.match(r"BENCH-WORK (on|off) work: (.*)", line)
        if m:
            d = kv(m.group(2))
            d["el2"] = [int(x) for x in re.search(r"el2=([-\d,]+)", line).group(1).split(",")]
            h["work"][m.group(1)].append(d)
        elif line.startswith("BENCH-BUSY "):
            h["busy"].append(kv(line))
        elif line.startswith("BENCH-TIME "):
            name, ticks = re.match(r"BENCH-TIME (\w+) ticks=(\d+)", line).groups()
            h["time"][name] = int(ticks)
        elif line.startswith("BENCH-EXEC-OVERHEAD "):
            h["exec_ticks"] = kv(line)["ticks"]
        elif line.startswith("BENCH-TRAPS "):
            parts = line.split()
            snap = {"t": int(parts[2].split("=")[1])}
            for p in parts[3:]:
                k, v = p.split("=")
                snap[k] = [int(x) for x in v.split(",")]
            h["traps"][parts[1]] = snap
        elif line.startswith("BENCH-STATS "):
            _, name, js = line.split(" ", 2)
            h["stats"][name] = json.loads(js)
        elif line.startswith("BENCH-INFO "):
            h["info"] = json.loads(line.split(" ", 1)[1])
        elif line.startswith("BENCH-SKIP direct"):
            h["direct_skipped"] = line.split(" ", 2)[2]
    for scen in ("dedicated", "shared", "direct"):
        try:
            h[scen] = parse_bench(lines, f"BENCH-CELL {scen} bench: ")
        except BenchError:
            if scen != "direct":
                raise
            h[scen] = None
    if not h["work"]["off"] or not h["work"]["on"]:
        raise BenchError("no root workload runs in the log")
    for need in ("idle-start", "idle-end", "busy-start", "busy-end"):
        if need not in h["traps"]:
            raise BenchError(f"no trap snapshot {need}")
    return h


def trap_rates(a, b, freq):
    secs = (b["t"] - a["t"]) / freq
    kinds = [k for k in a if k != "t"]
    ncpu = len(a[kinds[0]])
    per_cpu = []
    for c in range(ncpu):
        per_cpu.append({k: round((b[k][c] - a[k][c]) / secs, 1) for k in kinds})
    for d in per_cpu:
        d["total"] = round(sum(v for k, v in d.items()), 1)
    return {"seconds": round(secs, 3), "per_cpu": per_cpu}


def block_mix(regions, holes=()):
    """Leaves stage 2 needs for REGIONS (minus the physical HOLES) by
    hypervisor/paging.c's rule: the largest block (1 GiB, 2 MiB) whose
    IPA and physical address are aligned to it and that the range covers."""
    mix = {"1G": 0, "2M": 0, "4K": 0}
    for r in regions:
        pieces = [(r["phys"], r["virt"], r["size"])]
        for hp, hs in holes:
            nxt = []
            for p, v, s in pieces:
                if hp >= p + s or hp + hs <= p:
                    nxt.append((p, v, s))
                    continue
                if hp > p:
                    nxt.append((p, v, hp - p))
                end = hp + hs
                if end < p + s:
                    nxt.append((end, v + end - p, p + s - end))
            pieces = nxt
        for p, v, s in pieces:
            while s > 0:
                for name in ("1G", "2M", "4K"):
                    size = KB[name]
                    if p % size == 0 and v % size == 0 and s >= size:
                        break
                mix[name] += 1
                p, v, s = p + size, v + size, s - size
    return mix


def sloc(path):
    total = {"hypervisor": 0, "include/haven": 0}
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) == 4 and f[0].isdigit():
            key = "include/haven" if "/include/haven/" in f[3] else "hypervisor"
            total[key] += int(f[0])
    if not total["hypervisor"]:
        raise BenchError(f"no SLOC in {path}")
    return total


def elf_size(path):
    for line in open(path):
        f = line.split()
        if f and f[0].isdigit():
            return {"text": int(f[0]), "data": int(f[1]), "bss": int(f[2])}
    raise BenchError(f"no size in {path}")


def pct(a, b):
    return round((a / b - 1) * 100, 3)


def build_results(args, bare, h):
    freq = h["work"]["off"][0]["freq"]
    ns_per_tick = 1e9 / freq
    insns_per_tick = (1e9 / (1 << args.shift)) / freq
    res = {"method": {
        "qemu": subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                               text=True).stdout.splitlines()[0],
        "icount": f"shift={args.shift},sleep=off",
        "cpu": "cortex-a55",
        "counter_hz": freq,
        "ns_per_tick": ns_per_tick,
        "instructions_per_tick": insns_per_tick,
        "mode": args.mode,
        "bare_command": args.bare_cmd,
        "haven_command": args.haven_cmd,
    }}
    base = lat_stats(bare)
    res["irq_latency_bare_ticks"] = base
    res["irq_latency_dedicated_ticks"] = lat_stats(h["dedicated"])
    res["irq_latency_shared_ticks"] = lat_stats(h["shared"])
    res["irq_latency_direct_ticks"] = lat_stats(h["direct"]) if h["direct"] else None
    if not h["direct"]:
        res["irq_latency_direct_note"] = "not measured: " + h.get("direct_skipped", "no direct-delivery fixture")
    res["irq_latency_ratio_to_bare"] = {
        s: {k: round(res[f"irq_latency_{s}_ticks"][k] / base[k], 2) for k in ("min", "p50", "avg", "p99", "max")}
        for s in ("dedicated", "shared", "direct") if res[f"irq_latency_{s}_ticks"]}
    res["irq_latency_histograms"] = {"bare": bare["hist"], "dedicated": h["dedicated"]["hist"],
                                     "shared": h["shared"]["hist"],
                                     "direct": h["direct"]["hist"] if h["direct"] else None}
    el2 = h["dedicated"]["el2"]
    res["el2_insns_per_irq"] = el2["irq"]["p50"]
    res["el2_insns_detail"] = {"dedicated": el2, "shared": h["shared"]["el2"]}
    res["el2_insns_per_gicd_read"] = el2["gicd_read"]["p50"]
    res["el2_insns_per_gicd_write"] = el2["gicd_write"]["p50"]
    res["el2_insns_per_hypercall"] = el2["hvc"]["p50"]
    off = [w["ticks"] for w in h["work"]["off"]]
    on = [w["ticks"] for w in h["work"]["on"]]
    cell_runs, cell_notes = linux_cell_runs(lines_of(args.haven))
    cell_cpus = cpu_list(args.linux_cell_cpus)
    ex = parse_el2count(args.el2count)
    exact = exact_runs(ex, [("off", len(off), 0), ("on", len(on), 0), ("busy", len(h["busy"]), None),
                            ("dedicated", 1, None), ("cell", len(cell_runs), cell_cpus[0]),
                            ("shared", 1, None), ("direct", 1 if h["direct"] else 0, None)])
    res["el2_insns_per_irq_exact"] = {
        s: round(r["el2"][r["vcpu"]] / h[s]["irqs"], 1)
        for s in ("dedicated", "shared", "direct") for r in exact[s]}
    if any(sum(r["el2"]) for r in exact["off"]):
        raise BenchError(f"el2count: Haven's code ran in the runs without Haven: {exact['off']}")
    res["el2_exact_not_at_el2"] = ex["not_at_el2"]
    el2_share_pmu = [sum(w["el2"]) / (w["ticks"] * insns_per_tick) * 100 for w in h["work"]["on"]]
    el2_share = [sum(r["el2"]) / (w["ticks"] * insns_per_tick) * 100
                 for r, w in zip(exact["on"], h["work"]["on"])]
    res["root_overhead_pct"] = pct(statistics.median(on), statistics.median(off))
    res["root_overhead"] = {
        "workload": "benchwork run 0 ROUNDS: xorshift hash + 16 MiB page-scattered read/write, pinned to CPU 0, CPUs 1-3 idle",
        "ticks_off": off, "ticks_on": on,
        "virtual_time_ratio_pct": res["root_overhead_pct"],
        "spread_off_pct": round((max(off) - min(off)) / statistics.median(off) * 100, 3),
        "el2_share_pct": round(statistics.median(el2_share), 4),
        "el2_share_pmu_pct": round(statistics.median(el2_share_pmu), 4),
        "el2_insns_per_run": [r["el2"] for r in exact["on"]],
        "el2_insns_per_run_pmu": [w["el2"] for w in h["work"]["on"]],
        "el2_insns_without_haven": [r["el2"] for r in exact["off"]],
    }
    res["root_el2_share_pct"] = res["root_overhead"]["el2_share_pct"]
    linux_cell(res, cell_runs, cell_notes, exact["cell"], cell_cpus, off, insns_per_tick)
    t = h["traps"]
    res["traps_per_s_idle"] = trap_rates(t["idle-start"], t["idle-end"], freq)
    res["traps_per_s_busy"] = trap_rates(t["busy-start"], t["busy-end"], freq)
    ms = lambda ticks: round(ticks / freq * 1000, 3)
    res["enable_ms"] = h["info"]["enable_ms"]
    res["enable_cmd_ms"] = ms(h["time"]["enable"])
    res["cell_create_ms"] = ms(h["time"]["cell_create"])
    res["cell_load_ms"] = ms(h["time"]["cell_load"])
    res["cell_start_ms"] = ms(h["time"]["cell_start"])
    res["exec_overhead_ms"] = ms(h["exec_ticks"])
    cell = h["stats"]["dedicated"]
    holes = [(r["phys"], r["size"]) for r in cell["regions"] if "comm" not in r["flags"]]
    res["stage2_blocks"] = {
        "root (rtos cell created)": block_mix(h["stats"]["root"]["regions"], holes),
        "rtos (bench cell)": block_mix([r for r in cell["regions"] if "comm" not in r["flags"]]),
    }
    res["stage2_blocks"]["rtos (bench cell)"]["4K"] += sum(1 for r in cell["regions"] if "comm" in r["flags"])
    s = sloc(args.sloc)
    res["hypervisor_sloc"] = s["hypervisor"]
    res["abi_headers_sloc"] = s["include/haven"]
    res["haven_bin_bytes"] = os.path.getsize(args.bin)
    res["haven_elf_sections"] = elf_size(args.size)
    res["references"] = REFERENCES
    return res


def linux_cell_runs(lines):
    """The runs of the root's workload in the Linux cell ("BENCH-WORK cell")
    and the notes about them."""
    runs = []
    for line in lines:
        m = re.match(r"BENCH-WORK cell work: (.*)", line)
        if m:
            d = kv(m.group(1))
            d["el2"] = [int(x) for x in re.search(r"el2=([-\d,]+)", line).group(1).split(",")]
            runs.append(d)
    return runs, [l.split(" ", 2)[2] for l in lines if l.startswith("BENCH-NOTE linux-cell ")]


def linux_cell(res, runs, notes, exact, cpus, off, insns_per_tick):
    """The root's workload in the Linux cell (RUNS, NOTES; EXACT: the plugin's
    counts of the same runs; the cell on CPUS) against the root's runs
    without Haven (OFF, their ticks): the linux_cell_* keys of RES."""
    if not runs:
        res["linux_cell_overhead_pct"] = res["linux_cell_el2_share_pct"] = None
        res["linux_cell_overhead_note"] = "not measured: no runs in the Linux cell in the log"
        return
    elapsed = [w["ticks"] * insns_per_tick for w in runs]
    ticks = [w["ticks"] for w in runs]
    cell_el2 = [[r["el2"][c] for c in cpus] for r in exact]
    share = [sum(c) / e * 100 for c, e in zip(cell_el2, elapsed)]
    share_all = [sum(r["el2"]) / e * 100 for r, e in zip(exact, elapsed)]
    share_pmu = [sum(w["el2"]) / e * 100 for w, e in zip(runs, elapsed) if min(w["el2"]) >= 0]
    res["linux_cell_overhead_pct"] = pct(statistics.median(ticks), statistics.median(off))
    res["linux_cell_el2_share_pct"] = round(statistics.median(share), 4)
    res["linux_cell_overhead"] = {
        "workload": "benchwork run 0 ROUNDS in the Linux cell (linux-bench.cell: CPUs "
                    f"{','.join(map(str, cpus))}, 128 MiB), pinned to its first CPU; its other CPU and "
                    "the root's CPUs idle",
        "baseline": "the root's runs without Haven (root_overhead.ticks_off): same kernel, binary, "
                    "machine and -icount, one CPU busy and three idle",
        "ticks_baseline": off, "ticks_cell": ticks,
        "virtual_time_ratio_pct": res["linux_cell_overhead_pct"],
        "el2_share_pct": res["linux_cell_el2_share_pct"],
        "el2_share_all_cpus_pct": round(statistics.median(share_all), 4),
        "el2_share_pmu_pct": round(statistics.median(share_pmu), 4) if share_pmu else None,
        "el2_insns_per_run": cell_el2,
        "el2_insns_per_run_all_cpus": [r["el2"] for r in exact],
        "el2_insns_per_run_pmu": [w["el2"] for w in runs],
        "notes": notes,
    }
    res["linux_cell_overhead_note"] = "; ".join(notes) if notes else None


def save_plot(plt, fig, ax, out, name, ylabel, title=None):
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)


def plots(res, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, color in (("bare", "tab:green"), ("dedicated", "tab:blue"), ("shared", "tab:red"),
                        ("direct", "tab:purple")):
        hist = res["irq_latency_histograms"].get(name)
        if not hist:
            continue
        total = sum(n for _, _, n in hist)
        for i, (lo, hi, n) in enumerate(hist):
            ax.bar(lo, n / total * 100, width=hi - lo + 1, align="edge", color=color, alpha=0.7,
                   label=name if i == 0 else None)
    ax.set_xscale("log")
    ax.set_xlabel(f"timer IRQ latency, counter ticks ({res['method']['ns_per_tick']:.0f} ns virtual)")
    save_plot(plt, fig, ax, out, "irq_latency.png", "% of interrupts",
              "Timer interrupt latency: bare metal vs Haven cell (QEMU -icount)")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    kinds = [k for k in res["traps_per_s_busy"]["per_cpu"][0] if k != "total"]
    kinds = [k for k in kinds if any(c[k] for load in ("traps_per_s_idle", "traps_per_s_busy")
                                     for c in res[load]["per_cpu"])]
    width = 0.4
    for j, load in enumerate(("traps_per_s_idle", "traps_per_s_busy")):
        vals = [sum(c[k] for c in res[load]["per_cpu"]) / len(res[load]["per_cpu"]) for k in kinds]
        ax.bar([i + j * width for i in range(len(kinds))], vals, width=width,
               label=load.replace("traps_per_s_", ""))
    ax.set_xticks([i + width / 2 for i in range(len(kinds))], kinds)
    save_plot(plt, fig, ax, out, "traps.png", "traps per second per CPU (mean over CPUs)",
              "Root cell traps by kind")

    fig, ax = plt.subplots(figsize=(6, 4))
    names = ["Haven", "Bao", "Jailhouse"]
    vals = [res["el2_insns_per_irq"], 188, 225]
    ax.bar(names, vals, color=["tab:blue", "tab:gray", "tab:gray"])
    ax.axhline(TARGET_EL2_PER_IRQ, color="tab:red", linestyle="--", label="target 150")
    save_plot(plt, fig, ax, out, "el2_insns.png", "EL2 instructions per injected timer IRQ")


def lat_row(name, d, base, nspt):
    if not d:
        return f"| {name} | not measured | | | | | |"
    cells = [f"{d[k]} ({d[k] / base[k]:.2f}x)" for k in ("min", "p50", "avg", "p99", "max")]
    return f"| {name} | " + " | ".join(cells) + f" | {d['avg'] * nspt:.0f} ns |"


def report_md(res):
    m = res["method"]
    nspt = m["ns_per_tick"]
    base = res["irq_latency_bare_ticks"]
    ro = res["root_overhead"]
    el2d = res["el2_insns_detail"]
    L = []
    w = L.append
    w("# Haven benchmark report")
    w("")
    w(f"Generated by `make bench` ({m['mode']} mode). Every number is a measurement of this run, "
      "shown next to its baseline from the same run and the published references "
      "(shared/DESIGN.md, \"Reference figures\": Cortex-A53 @ 1.2 GHz).")
    w("")
    w("## Method")
    w("")
    w(f"- QEMU: {m['qemu']}, `-machine virt,gic-version=3` (+ `virtualization=on,iommu=smmuv3,its=on` under Haven), "
      f"`-cpu {m['cpu']}`, `-icount {m['icount']}`: virtual time advances with instructions "
      f"({m['instructions_per_tick']:g} instruction(s) per counter tick, counter {m['counter_hz']} Hz, "
      f"{nspt:g} ns per tick). Results are reproducible, and absolute times are virtual: "
      "compare ratios and instruction counts with the references, not nanoseconds.")
    w(f"- Bare metal: `{m['bare_command']}`")
    w(f"- Haven: `{m['haven_command']}` (the root Linux inserts haven.ko, enables Haven, and runs "
      "bench/guest/scenario.sh).")
    w("- Latency: the measurement inmate (inmates/bench/bench.c) arms the EL1 virtual timer 2000-3023 "
      "ticks ahead (pseudo-random) 4000 times and waits in WFI; latency = first counter read of the IRQ "
      "entry - the compare value that fired. The same image runs bare (QEMU -kernel at EL1) and in a Haven "
      "cell on CPU 3: dedicated (system with rtos.cell) and shared (system-temporal: CPU 3 shared with a "
      "cell running rtos-spin.bin, a job that never ends; the bench cell has 2 ms of every 10 ms at the "
      "higher priority).")
    w("- EL2 instructions: the inmate programs PMU counter 0 with INST_RETIRED, EL1/EL0 excluded and EL2 "
      "included (PMEVTYPER0.P/U/NSH). Haven prohibits counting at EL2 (MDCR_EL2.HPMD) except for cells "
      "with `pmu_el2`: the bench system (fixtures/system-bench.cell, never sealed) gives it to the root "
      "and to its rtos and linux cells; it is refused on a shared CPU. Per injected IRQ: counter difference between two consecutive timer IRQ entries "
      "(nothing else enters EL2 on a dedicated CPU in between). Per GICD access / hypercall: difference "
      "around one trapped access (GICD_ISENABLER0 read, GICD_IPRIORITYR byte write of its own PPI 27, "
      "HAVEN_HC_PROBE). Caveat: under single-threaded -icount QEMU's instruction count is one global clock, "
      "so a counter also advances while QEMU runs another vCPU. The root is kept idle while the cell "
      "measures (it sleeps; no console follower), and the median (p50) is the figure; min/avg/max are "
      "shown so contamination is visible.")
    w("- Root overhead: `benchwork run 0 ROUNDS` (a CPU-bound hash and a page-scattered walk over 16 MiB) "
      "pinned to CPU 0, CPUs 1-3 idle, repeated; counter ticks (virtual time) with Haven not enabled vs "
      "enabled (median of the runs), and the EL2 share: Haven's instructions on all CPUs during the run "
      "/ instructions elapsed. Haven's instructions are counted exactly by a QEMU plugin "
      "(bench/plugin/el2count.c: per vCPU, every instruction executed in Haven's memory, each entry "
      f"checked to be at EL2; {res['el2_exact_not_at_el2']} were not), between marks benchwork sets at the "
      "start and end of each run. The EL2-only perf counters (`exclude_hv=0`, `exclude_kernel/user=1`) are "
      "shown beside them: they are upper bounds, because QEMU's PMU counts INST_RETIRED as the global "
      "instruction count, so a CPU's counter also advances while QEMU runs another vCPU instead of it at "
      "EL2 (and reading another CPU's counter costs that CPU an IPI). Under TCG, stage-2 walks and TLB "
      "misses cost no virtual time, so the ratio counts only the instructions Haven adds.")
    w("- Traps: /sys/devices/haven/statistics (per CPU, by kind) before and after an idle root "
      "(`sleep`) and a busy root (benchwork on all 4 CPUs), per second of virtual time.")
    w("- Times: the driver's own enable time (ktime, `havenctl info --json` enable_ms) and the "
      "virtual time around each havenctl command (includes starting the havenctl process; starting one "
      f"process costs about {res['exec_overhead_ms']} ms here).")
    w("- Size: `sloccount` of hypervisor/ (all of EL2) and of include/haven/ (the ABI headers EL2 "
      "includes, counted apart); `aarch64-linux-gnu-size` of haven.elf; the size of haven.bin.")
    w("")
    w("## Headline")
    w("")
    w(headline(res))
    w("")
    w("## Timer interrupt latency (counter ticks; ratio to bare metal)")
    w("")
    w("| where | min | p50 | avg | p99 | max | avg, virtual |")
    w("|---|---|---|---|---|---|---|")
    w(f"| bare metal (baseline) | {base['min']} | {base['p50']} | {base['avg']} | {base['p99']} | {base['max']} | {base['avg'] * nspt:.0f} ns |")
    w(lat_row("Haven, dedicated core", res["irq_latency_dedicated_ticks"], base, nspt))
    w(lat_row("Haven, shared core", res["irq_latency_shared_ticks"], base, nspt))
    w(lat_row("Haven, dedicated core, direct delivery", res["irq_latency_direct_ticks"], base, nspt))
    w("")
    if res.get("irq_latency_direct_note"):
        w(f"Direct delivery: {res['irq_latency_direct_note']}.")
        w("")
    w("References (mean, A53): bare metal 222 ns; Bao 906 ns (4.08x); Jailhouse 1094 ns (4.93x); "
      "with direct delivery 222-223 ns (1.0x).")
    w("")
    w("![latency histogram](irq_latency.png)")
    w("")
    w("## EL2 instructions (PMU, EL2 only)")
    w("")
    w("| path | p50 | min | avg | max | reference |")
    w("|---|---|---|---|---|---|")
    refs = {"irq": "Bao 188, Jailhouse 225, Xen 1418; target < 150",
            "gicd_read": "-", "gicd_write": "Bao ~1.25 us, Jailhouse ~1.94 us round trip (A53)",
            "hvc": "-"}
    names = {"irq": "injected timer IRQ (dedicated core)", "gicd_read": "trapped GICD read",
             "gicd_write": "trapped GICD write", "hvc": "hypercall (HAVEN_HC_PROBE)"}
    for k in ("irq", "gicd_read", "gicd_write", "hvc"):
        d = el2d["dedicated"][k]
        w(f"| {names[k]} | {d['p50']} | {d['min']} | {d['avg']} | {d['max']} | {refs[k]} |")
    w("| timer IRQ on the shared core | not counted | | | | pmu_el2 is refused on a shared CPU |")
    w(f"| bare metal, any path (baseline) | 0 | | | | no EL2 |")
    w("")
    ex = res["el2_insns_per_irq_exact"]
    w("Exact cross-check (QEMU plugin, bench/plugin/el2count.c): all of Haven's instructions on the "
      "bench cell's CPU while it took its timer interrupts, divided by their number. Dedicated core: "
      f"{ex.get('dedicated')} per IRQ (the PMU's p50 above: {el2d['dedicated']['irq']['p50']}). Direct "
      f"delivery: {ex.get('direct', 'not measured')} per IRQ (the interrupts do not enter EL2). Shared "
      f"core: {ex.get('shared')} per IRQ of the bench cell, which includes Haven's work for the other "
      "cell on that CPU (its timer interrupts and the switches between the two).")
    w("")
    w("![EL2 instructions](el2_insns.png)")
    w("")
    w("## Root-cell overhead")
    w("")
    w("| | without Haven (baseline) | with Haven | reference |")
    w("|---|---|---|---|")
    w(f"| workload, counter ticks (median of {len(ro['ticks_on'])}) | {int(statistics.median(ro['ticks_off']))} | "
      f"{int(statistics.median(ro['ticks_on']))} | |")
    w(f"| virtual-time overhead | 0 | {ro['virtual_time_ratio_pct']}% | Bao 0.14%, Jailhouse 0.18%; target < 0.1% |")
    w(f"| EL2 share of all instructions (exact) | 0 | {ro['el2_share_pct']}% | target < 0.1% |")
    w(f"| EL2 share, PMU (upper bound) | 0 | {ro['el2_share_pmu_pct']}% | |")
    w("")
    w(f"Runs without Haven: {ro['ticks_off']} (spread {ro['spread_off_pct']}%); with Haven: {ro['ticks_on']}. "
      "The run-to-run spread of the virtual time (the root's own timer and scheduler activity) is larger "
      "than the overhead; the EL2 share, counted directly, is the precise figure. Haven's instructions "
      f"per run and CPU, exact: {ro['el2_insns_per_run']}; PMU: {ro['el2_insns_per_run_pmu']}; "
      f"without Haven (exact): {ro['el2_insns_without_haven']}.")
    w("")
    w(linux_cell_md(res))
    w("Stage-2 block mix (computed from the regions Haven reports, with hypervisor/paging.c's rule: "
      "the largest block whose IPA and physical address are aligned and covered; not read back "
      "from the tables):")
    w("")
    w("| address space | 1 GiB | 2 MiB | 4 KiB |")
    w("|---|---|---|---|")
    for name, mix in res["stage2_blocks"].items():
        w(f"| {name} | {mix['1G']} | {mix['2M']} | {mix['4K']} |")
    w("")
    w("## Traps per second per CPU (virtual time)")
    w("")
    for load in ("traps_per_s_idle", "traps_per_s_busy"):
        r = res[load]
        kinds = [k for k in r["per_cpu"][0] if k != "total"]
        w(f"{load.replace('traps_per_s_', '').capitalize()} root ({r['seconds']} s):")
        w("")
        w("| CPU | " + " | ".join(kinds) + " | total |")
        w("|---|" + "---|" * (len(kinds) + 1))
        for c, d in enumerate(r["per_cpu"]):
            w(f"| {c} | " + " | ".join(str(d[k]) for k in kinds) + f" | {d['total']} |")
        w("")
    w("Reference: a CPU-bound Linux guest exits ~250 times a second (its HZ tick). Without Haven there "
      "are no traps at all (baseline 0).")
    w("")
    w("![traps](traps.png)")
    w("")
    w("## Enable, cell create and start (virtual time)")
    w("")
    w("| step | ms |")
    w("|---|---|")
    w(f"| enable (driver: load firmware, enter EL2 on every CPU) | {res['enable_ms']} |")
    w(f"| `havenctl enable` end to end | {res['enable_cmd_ms']} |")
    w(f"| `havenctl cell create rtos-bench.cell` | {res['cell_create_ms']} |")
    w(f"| `havenctl cell load rtos bench.bin` | {res['cell_load_ms']} |")
    w(f"| `havenctl cell start rtos` | {res['cell_start_ms']} |")
    w(f"| baseline: starting one process | {res['exec_overhead_ms']} |")
    w("")
    w("## Size")
    w("")
    e = res["haven_elf_sections"]
    w("| | Haven | reference |")
    w("|---|---|---|")
    w(f"| SLOC of hypervisor/ (sloccount, C + asm) | {res['hypervisor_sloc']} | Jailhouse ~9.1-9.6 K, Bao ~10.1-10.5 K |")
    w(f"| SLOC of include/haven/ (ABI headers, also built into EL2) | {res['abi_headers_sloc']} | |")
    w(f"| haven.bin | {res['haven_bin_bytes']} bytes | |")
    w(f"| haven.elf text / data / bss | {e['text']} / {e['data']} / {e['bss']} bytes | |")
    w("")
    return "\n".join(L) + "\n"


def linux_cell_md(res):
    """The Linux-cell part of the root-cell overhead section."""
    lc = res.get("linux_cell_overhead")
    if not lc:
        return f"Linux cell: {res['linux_cell_overhead_note']}.\n"
    out = ["Linux cell: the same workload in the Linux cell (CPUs 1-2, 128 MiB, the same kernel), pinned "
           "to its first CPU, against the root's runs without Haven above (the same kernel, binary, machine "
           "and -icount, one CPU busy and three idle in both; bench/README.md says why this baseline). EL2 "
           "share: Haven's instructions on the cell's CPUs (exact, QEMU plugin; PMU beside it) / "
           "instructions elapsed.", "",
           "| | baseline: root, Haven off | Linux cell | reference |", "|---|---|---|---|",
           f"| workload, counter ticks (median of {len(lc['ticks_cell'])}) | "
           f"{int(statistics.median(lc['ticks_baseline']))} | {int(statistics.median(lc['ticks_cell']))} | |",
           f"| virtual-time overhead | 0 | {lc['virtual_time_ratio_pct']}% | "
           "Bao 0.14%, Jailhouse 0.18%, Xen 0.30% (MiBench, alone); target < 0.1% |",
           f"| EL2 share of all instructions, the cell's CPUs (exact) | 0 | {lc['el2_share_pct']}% | "
           "target < 0.1% |",
           f"| EL2 share, all 4 CPUs (exact) | 0 | {lc['el2_share_all_cpus_pct']}% | |",
           f"| EL2 share, the cell's perf counters (upper bound) | 0 | {lc['el2_share_pmu_pct']}% | |", "",
           f"Runs in the cell: {lc['ticks_cell']}; Haven's instructions per run on the cell's CPUs, exact: "
           f"{lc['el2_insns_per_run']}; the cell's perf counters: {lc['el2_insns_per_run_pmu']}."]
    if lc["notes"]:
        out.append(f"Notes: {'; '.join(lc['notes'])}.")
    return "\n".join(out) + "\n"


def headline(res):
    base = res["irq_latency_bare_ticks"]
    ded = res["irq_latency_dedicated_ticks"]
    sh = res["irq_latency_shared_ticks"]
    di = res["irq_latency_direct_ticks"]
    direct = f"{di['p50']} / {di['avg']}" if di else "not measured"
    rows = [
        ("IRQ latency p50 / avg (ticks): dedicated, shared, direct delivery",
         f"{ded['p50']} / {ded['avg']}, {sh['p50']} / {sh['avg']}, {direct}",
         f"bare {base['p50']} / {base['avg']}: dedicated {ded['avg'] / base['avg']:.2f}x"
         + (f", direct p50 {di['p50'] / base['p50']:.2f}x" if di else ""),
         "Bao 4.08x, Jailhouse 4.93x bare (mean); direct 1.0x"),
        ("EL2 instructions per injected IRQ: PMU p50 (exact mean; direct delivery)",
         f"{res['el2_insns_per_irq']} ({res['el2_insns_per_irq_exact'].get('dedicated')}; "
         f"{res['el2_insns_per_irq_exact'].get('direct', '-')})", "bare 0",
         f"Bao 188, Jailhouse 225; target < {TARGET_EL2_PER_IRQ}"),
        ("EL2 instructions per GICD read / write / hypercall",
         f"{res['el2_insns_per_gicd_read']} / {res['el2_insns_per_gicd_write']} / "
         f"{res['el2_insns_per_hypercall']}", "bare 0", "-"),
        ("Root overhead (virtual time / EL2 share)",
         f"{res['root_overhead_pct']}% / {res['root_el2_share_pct']}%", "Haven off", "Bao 0.14%, Jailhouse 0.18%"),
        ("Linux-cell overhead (virtual time / EL2 share)",
         f"{res['linux_cell_overhead_pct']}% / {res['linux_cell_el2_share_pct']}%", "root, Haven off",
         "Bao 0.14%, Jailhouse 0.18%"),
        ("Traps/s per CPU, idle / busy root (CPU 0)",
         f"{res['traps_per_s_idle']['per_cpu'][0]['total']} / {res['traps_per_s_busy']['per_cpu'][0]['total']}",
         "Haven off: 0", "~250/s CPU-bound guest"),
        ("Enable / cell create / cell start (ms, virtual)",
         f"{res['enable_ms']} / {res['cell_create_ms']} / {res['cell_start_ms']}", "-", "-"),
        ("SLOC hypervisor/ ; haven.bin bytes", f"{res['hypervisor_sloc']} ; {res['haven_bin_bytes']}", "-",
         "Jailhouse ~9.1-9.6 K, Bao ~10.1-10.5 K"),
    ]
    out = ["| measurement | Haven | baseline (same run) | reference |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    for a in ("out", "bare", "haven", "el2count", "linux-cell-cpus", "sloc", "size", "bin", "mode", "bare-cmd", "haven-cmd"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--shift", type=int, required=True)
    args = ap.parse_args()
    try:
        bare = parse_bench(lines_of(args.bare), "bench: ")
        h = parse_haven(lines_of(args.haven))
        res = build_results(args, bare, h)
    except (BenchError, KeyError, ValueError, OSError) as e:
        print(f"bench: report: {e!r}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    plots(res, args.out)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(report_md(res))
    print(headline(res))
    print(f"bench: {args.out}/report.md, {args.out}/results.json, {args.out}/*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
