#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Configurations that Haven must refuse, for the refusal scenarios.

Usage: make-fixtures.py SYSTEM.cell OUTDIR   (run by `make fixtures`)

Broken copies of SYSTEM.cell (build/system.cell), each breaking one rule
that havenctl, the driver and the hypervisor check:

  bad-magic.cell, bad-version.cell (the next format version),
  overlap-hv.cell (root RAM grown over the hypervisor memory),
  misaligned.cell (root region 1), truncated.cell

Systems and cells, compiled by tools/haven-config (imported as a module,
so that the system is always configs/qemu-arm64/system.yaml itself):

  system-open.cell   the system with tests/configs/rogue.yaml declared as
                     cell 2 after rtos, and no final layout (never sealed).
                     The linux cell is left out: rogue has its CPU 2.
  rtos-open.cell     configs/qemu-arm64/rtos.yaml against system-open.cell
  rogue.cell         tests/configs/rogue.yaml against system-open.cell
  system-open-linux.cell
                     the system as it is (rtos cell 1, linux cell 2) with
                     no final layout: build/rtos.cell and build/linux.cell
                     equal its declarations, and it never seals
  system-hostile.cell
                     the hostile-cell suite's system (tests/qemu/hostile.sh):
                     the platform, hypervisor memory and root of the system
                     as they are (the root keeps CPU 0 of its 0-3 when the
                     three cells are created), declaring rtos as cell 1,
                     tests/configs/hostile.yaml as cell 2 (CPU 2, PCI
                     00:02.0, stream 0x10) and tests/configs/
                     hostile_fail.yaml as cell 3 (CPU 1), and no final
                     layout (never sealed). linux is left out: hostile and
                     hostile_fail have its CPUs.
  rtos-hostile.cell  configs/qemu-arm64/rtos.yaml against system-hostile.cell
  hostile.cell       tests/configs/hostile.yaml against system-hostile.cell
  hostile_fail.cell  tests/configs/hostile_fail.yaml against
                     system-hostile.cell
  system-temporal.cell
                     the temporal-isolation tests' system: the platform,
                     hypervisor memory and root of the system as they are
                     (the root keeps CPUs 0-2), declaring tests/configs/
                     rtos-shared.yaml as cell 1 (rtos) and tests/configs/
                     linux-shared.yaml as cell 2 (linux), which share CPU 3
                     under Haven's scheduler (rtos: priority 2, 2000 us
                     every 10000 us; linux: priority 1, 8000 us every
                     10000 us), and no final layout (never sealed, so the
                     cells can be reloaded). Its guarantees are printed,
                     one line per cell and bound, prefixed with its path:
                     "...system-temporal.cell: CPU 3: rtos: priority 2, ..."
  rtos-shared.cell   tests/configs/rtos-shared.yaml against
                     system-temporal.cell
  linux-shared.cell  tests/configs/linux-shared.yaml against
                     system-temporal.cell
  system-direct.cell
                     direct interrupt delivery (tests/qemu/direct-irq.sh and
                     the benchmarks): the platform, hypervisor memory and
                     root as they are, declaring tests/configs/rtos-direct.yaml
                     as cell 1 (rtos, CPU 3, direct_irq), tests/configs/
                     rtos-plain.yaml as cell 2 (plain, CPU 1, an ordinary
                     RTOS cell to compare with) and rogue.yaml with
                     direct_irq as cell 3 (rogue, CPU 2); no final layout
  rtos-direct.cell, plain.cell, rogue-direct.cell
                     those three against system-direct.cell
  system-hostile-direct.cell, rtos-hostile-direct.cell, hostile-direct.cell,
  hostile_fail-direct.cell
                     system-hostile.cell and its cells with direct_irq in
                     the hostile cell (tests/qemu/hostile-direct.sh)
  system-smc.cell    the SMC allow-list test's system (tests/qemu/
                     smc-allow.sh): the platform, hypervisor memory and root
                     as they are, declaring tests/configs/smc-abort.yaml as
                     cell 1 (smc_abort, CPU 2, policy abort, SMC 0xc2000011
                     allowed) and tests/configs/smc-fail.yaml as cell 2
                     (smc_fail, CPU 1, policy fail, SMC 0x83000022
                     allowed); no final layout
  smc-abort.cell, smc-fail.cell
                     those two against system-smc.cell
  system-rootsub.cell
                     the root's sub-page windows (tests/qemu/root-subpage.sh):
                     the system with the root's PL031 RTC page 0x09010000
                     replaced by two windows, its match, load and control
                     registers (0x09010004-0x0901000f, read-write, 32-bit)
                     and its ID registers (0x09010fe0-0x09010fff, read-only,
                     8- or 32-bit), declaring tests/configs/hostile_fail.yaml
                     as cell 1, whose window is the RTC's data register
                     0x09010000; no final layout
  hostile_fail-rootsub.cell
                     hostile_fail.yaml against system-rootsub.cell
  system-bench.cell  the benchmarks' system (scripts/bench.sh): the shipped
                     system, never sealed, with pmu_el2 (Haven's EL2 events
                     countable) in the root and in its two cells, rtos.yaml
                     and linux.yaml with pmu_el2 (linux also owning the
                     PMU's PPI 23)
  rtos-bench.cell, linux-bench.cell
                     those two against system-bench.cell
  rtos-differs.cell  rtos.yaml with cpus [2] instead of [3]: named like a
                     declared cell but not equal to it
  undeclared.cell    rogue.yaml renamed "ghost": declared nowhere

The last two pass the compiler's checks against SYSTEM.cell (their YAML is
kept next to them); only the hypervisor, comparing them with the
declarations, refuses them.

Broken copies of configs/qemu-arm64/linux.yaml, which the compiler would
refuse, built from its parsed cell: the validator (hypervisor/config_check.c,
run by the hypervisor and by havenctl) refuses them before any declaration
is compared.

  linux-unaligned.cell   RAM (region 0) at phys 0x70000800:
                         REGION_ALIGN, region 0, value 0x70000800
  linux-overlap.cell     a second RAM region (region 1, "ram2", phys
                         0x78000000) at IPA 0x44000000, inside the first's
                         0x40000000-0x47ffffff: REGION_OVERLAP, region 1
  linux-overlap-hv.cell  RAM grown to 0x70000000-0x7f0fffff, over the
                         hypervisor memory at 0x7f000000: REGION_HV, region 0
"""
import dataclasses
import importlib.machinery
import importlib.util
import os
import re
import struct
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLATFORM_DIR = os.path.join(REPO, "configs", "qemu-arm64")
SYSTEM_YAML = os.path.join(PLATFORM_DIR, "system.yaml")
RTOS_YAML = os.path.join(PLATFORM_DIR, "rtos.yaml")
LINUX_YAML = os.path.join(PLATFORM_DIR, "linux.yaml")
ROGUE_YAML = os.path.join(REPO, "tests", "configs", "rogue.yaml")
HOSTILE_YAML = os.path.join(REPO, "tests", "configs", "hostile.yaml")
HOSTILE_FAIL_YAML = os.path.join(REPO, "tests", "configs", "hostile_fail.yaml")
RTOS_DIRECT_YAML = os.path.join(REPO, "tests", "configs", "rtos-direct.yaml")
RTOS_PLAIN_YAML = os.path.join(REPO, "tests", "configs", "rtos-plain.yaml")
RTOS_SHARED_YAML = os.path.join(REPO, "tests", "configs", "rtos-shared.yaml")
LINUX_SHARED_YAML = os.path.join(REPO, "tests", "configs", "linux-shared.yaml")
SMC_ABORT_YAML = os.path.join(REPO, "tests", "configs", "smc-abort.yaml")
SMC_FAIL_YAML = os.path.join(REPO, "tests", "configs", "smc-fail.yaml")
# the root's RTC page, and the sub-page windows system-rootsub.cell has there
ROOT_RTC = r"^      - \{name: rtc, phys: 0x09010000, size: 0x1000, flags: \[read, write, io\]\}$"
ROOT_RTC_WINDOWS = (
    "      - {name: rtc-regs, phys: 0x09010004, size: 0xc, "
    "flags: [read, write, io, subpage], widths: [32]}\n"
    "      - {name: rtc-id, phys: 0x09010fe0, size: 0x20, "
    "flags: [read, io, subpage], widths: [8, 32]}")

HEADER = 32
VERSION = 8                          # u16 version in the header
SYSTEM = HEADER                      # struct haven_system
ROOT = SYSTEM + 16 + 224 + 8         # embedded root struct haven_cell
ROOT_REGIONS_OFF = ROOT + 48          # u32 mem_regions_offset
REGION = 32                          # struct haven_mem_region


def region(cfg, i):
    off, = struct.unpack_from("<I", cfg, ROOT_REGIONS_OFF)
    return off + i * REGION


def bad_magic(cfg):
    cfg[0:8] = b"NOTHAVEN"


def bad_version(cfg):
    # the next format version: one this Haven cannot read
    version, = struct.unpack_from("<H", cfg, VERSION)
    struct.pack_into("<H", cfg, VERSION, version + 1)


def overlap_hv(cfg):
    # root region 0 (RAM at 0x40000000) grown over the hypervisor memory
    struct.pack_into("<Q", cfg, region(cfg, 0) + 16, 0x40000000)


def misaligned(cfg):
    phys, = struct.unpack_from("<Q", cfg, region(cfg, 1))
    struct.pack_into("<QQ", cfg, region(cfg, 1), phys + 0x100, phys + 0x100)


def truncated(cfg):
    del cfg[100:]


FIXTURES = {
    "bad-magic": bad_magic,
    "bad-version": bad_version,
    "overlap-hv": overlap_hv,
    "misaligned": misaligned,
    "truncated": truncated,
}


def load_compiler():
    """tools/haven-config as a module."""
    path = os.path.join(REPO, "tools", "haven-config")
    loader = importlib.machinery.SourceFileLoader("haven_config", path)
    spec = importlib.util.spec_from_loader("haven_config", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["haven_config"] = module
    loader.exec_module(module)
    return module


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def derive(src, dest, pattern, replacement):
    """DEST: the YAML of SRC with the one line matching PATTERN replaced."""
    with open(src, encoding="utf-8") as f:
        text = f.read()
    text, n = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if n != 1:
        sys.exit(f"{src}: expected one line matching {pattern!r}, found {n}")
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)
    return dest


def open_system(hc, outdir):
    """system-open.cell and the two cells compiled against it."""
    system = hc.load_system(SYSTEM_YAML)
    # rtos stays cell 1; linux would share CPU 2 with rogue
    system.cells = [c for c in system.cells if c.name != "linux"]
    system.cells.append(hc.load_cell(ROGUE_YAML, system.limits))
    system.final_cells = 0
    hc.check_cells(system)
    open_cell = os.path.join(outdir, "system-open.cell")
    write(open_cell, hc.build_system(system))
    write(os.path.join(outdir, "rtos-open.cell"),
          hc.compile_file(RTOS_YAML, open_cell))
    write(os.path.join(outdir, "rogue.cell"),
          hc.compile_file(ROGUE_YAML, open_cell))


def compile_system(hc, outdir, name, cells, system_yaml=SYSTEM_YAML, root_flags=0):
    """NAME.cell: the system (SYSTEM_YAML) with CELLS {cell file name: YAML}
    declared in this order instead of its own, no final layout, ROOT_FLAGS
    added to the root's; and each cell compiled against it."""
    system = hc.load_system(system_yaml)
    system.root.flags |= root_flags
    system.cells = [hc.load_cell(path, system.limits) for path in cells.values()]
    system.final_cells = 0
    # every rule across cells: CPUs, SPIs, memory, stream IDs, PCI devices,
    # and a CPU left to the root
    hc.check_cells(system)
    path = os.path.join(outdir, name + ".cell")
    write(path, hc.build_system(system))
    for cell, yaml in cells.items():
        write(os.path.join(outdir, cell + ".cell"), hc.compile_file(yaml, path))


def hostile_system(hc, outdir):
    """system-hostile.cell and the three cells compiled against it (linux,
    left out, would share CPUs 1 and 2 with the hostile cells); the same
    with direct interrupt delivery in the hostile cell."""
    compile_system(hc, outdir, "system-hostile",
                   {"rtos-hostile": RTOS_YAML, "hostile": HOSTILE_YAML,
                    "hostile_fail": HOSTILE_FAIL_YAML})
    direct = derive(HOSTILE_YAML, os.path.join(outdir, "hostile-direct.yaml"),
                    r"^  fault_policy: abort$",
                    "  fault_policy: abort\n  direct_irq: true")
    compile_system(hc, outdir, "system-hostile-direct",
                   {"rtos-hostile-direct": RTOS_YAML, "hostile-direct": direct,
                    "hostile_fail-direct": HOSTILE_FAIL_YAML})


def smc_system(hc, outdir):
    """system-smc.cell and its two cells."""
    compile_system(hc, outdir, "system-smc",
                   {"smc-abort": SMC_ABORT_YAML, "smc-fail": SMC_FAIL_YAML})


def rootsub_system(hc, outdir):
    """system-rootsub.cell (the root with sub-page windows in the RTC's
    page) and hostile_fail, which has the data register there, against
    it."""
    yaml = derive(SYSTEM_YAML, os.path.join(outdir, "system-rootsub.yaml"),
                  ROOT_RTC, ROOT_RTC_WINDOWS)
    # its cells where they are, not beside the copy
    derive(yaml, yaml, r"^  cells: \[rtos.yaml, linux.yaml\]$",
           f"  cells: [{RTOS_YAML}, {LINUX_YAML}]")
    compile_system(hc, outdir, "system-rootsub",
                   {"hostile_fail-rootsub": HOSTILE_FAIL_YAML}, yaml)


def direct_system(hc, outdir):
    """system-direct.cell and its three cells."""
    rogue = derive(ROGUE_YAML, os.path.join(outdir, "rogue-direct.yaml"),
                   r"^  cpus: \[2\]$", "  cpus: [2]\n  direct_irq: true")
    compile_system(hc, outdir, "system-direct",
                   {"rtos-direct": RTOS_DIRECT_YAML, "plain": RTOS_PLAIN_YAML,
                    "rogue-direct": rogue})


def temporal_system(hc, outdir):
    """system-temporal.cell and the two cells sharing CPU 3 against it."""
    system = hc.load_system(SYSTEM_YAML)
    system.cells = [hc.load_cell(path, system.limits)
                    for path in (RTOS_SHARED_YAML, LINUX_SHARED_YAML)]
    system.final_cells = 0
    # every rule across cells, the scheduling of CPU 3 included
    hc.check_cells(system)
    temporal = os.path.join(outdir, "system-temporal.cell")
    write(temporal, hc.build_system(system))
    for line in hc.schedule_report(hc.reservations(system.cells)):
        print(f"{temporal}: {line}")
    for name, path in (("rtos-shared", RTOS_SHARED_YAML),
                       ("linux-shared", LINUX_SHARED_YAML)):
        write(os.path.join(outdir, name + ".cell"),
              hc.compile_file(path, temporal))


def bench_system(hc, outdir):
    """system-bench.cell and its two cells, all counting EL2 events."""
    rtos = derive(RTOS_YAML, os.path.join(outdir, "rtos-bench.yaml"),
                  r"^  cpus: \[3\]$", "  cpus: [3]\n  pmu_el2: true")
    linux = derive(LINUX_YAML, os.path.join(outdir, "linux-bench.yaml"),
                   r"^  cpus: \[1, 2\]$", "  cpus: [1, 2]\n  pmu_el2: true")
    derive(linux, linux, r"^  irqs: \[\"0-15\", 27, 280\]$",
           "  irqs: [\"0-15\", 23, 27, 280]")
    compile_system(hc, outdir, "system-bench",
                   {"rtos-bench": rtos, "linux-bench": linux},
                   root_flags=hc.CELL_PMU_EL2)


def open_linux_system(hc, outdir):
    """The shipped system, never sealed."""
    system = hc.load_system(SYSTEM_YAML)
    system.final_cells = 0
    write(os.path.join(outdir, "system-open-linux.cell"),
          hc.build_system(system))


def broken_linux(cell):
    cell.regions[0].phys = 0x70000800


def overlapping_linux(cell):
    ram = cell.regions[0]
    cell.regions.insert(1, dataclasses.replace(
        ram, name="ram2", phys=0x78000000, virt=0x44000000, size=0x4000000))


def linux_over_hv(cell):
    cell.regions[0].size = 0x0f100000


BROKEN_LINUX = {
    "linux-unaligned": broken_linux,
    "linux-overlap": overlapping_linux,
    "linux-overlap-hv": linux_over_hv,
}


def broken_linux_cells(hc, system_cell, outdir):
    """linux.yaml, parsed against SYSTEM.cell, then broken past the compiler."""
    limits = hc.system_limits(system_cell)
    for name, breaker in BROKEN_LINUX.items():
        cell = hc.load_cell(LINUX_YAML, limits)
        breaker(cell)
        write(os.path.join(outdir, name + ".cell"), hc.build_cell(cell))


def mismatching_cells(hc, system_cell, outdir):
    """Cells that pass the compiler but match no declaration."""
    differs = derive(RTOS_YAML, os.path.join(outdir, "rtos-differs.yaml"),
                     r"^  cpus: \[3\]$", "  cpus: [2]")
    write(os.path.join(outdir, "rtos-differs.cell"),
          hc.compile_file(differs, system_cell))
    ghost = derive(ROGUE_YAML, os.path.join(outdir, "undeclared.yaml"),
                   r"^  name: rogue$", "  name: ghost")
    write(os.path.join(outdir, "undeclared.cell"),
          hc.compile_file(ghost, system_cell))


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} SYSTEM.cell OUTDIR")
    src, outdir = sys.argv[1:3]
    with open(src, "rb") as f:
        good = f.read()
    os.makedirs(outdir, exist_ok=True)
    for name, breaker in FIXTURES.items():
        cfg = bytearray(good)
        breaker(cfg)
        write(os.path.join(outdir, name + ".cell"), cfg)

    sys.dont_write_bytecode = True
    hc = load_compiler()
    try:
        open_system(hc, outdir)
        hostile_system(hc, outdir)
        direct_system(hc, outdir)
        smc_system(hc, outdir)
        rootsub_system(hc, outdir)
        temporal_system(hc, outdir)
        open_linux_system(hc, outdir)
        bench_system(hc, outdir)
        mismatching_cells(hc, src, outdir)
        broken_linux_cells(hc, src, outdir)
    except hc.ConfigError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
