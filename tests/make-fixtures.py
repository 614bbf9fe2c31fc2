#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Configurations that Haven must refuse, for the refusal scenarios.

Usage: make-fixtures.py SYSTEM.cell OUTDIR   (run by `make fixtures`)

Broken copies of SYSTEM.cell (build/system.cell), each breaking one rule
that havenctl, the driver and the hypervisor check:

  bad-magic.cell, bad-version.cell, overlap-hv.cell (root RAM grown over the
  hypervisor memory), misaligned.cell (root region 1), truncated.cell

Cells, compiled by tools/haven-config (imported as a module, so that the
system is always configs/qemu-arm64/system.yaml itself):

  system-open.cell   the system with tests/configs/rogue.yaml declared as
                     cell 2 after rtos, and no final layout (never sealed)
  rtos-open.cell     configs/qemu-arm64/rtos.yaml against system-open.cell
  rogue.cell         tests/configs/rogue.yaml against system-open.cell
  rtos-differs.cell  rtos.yaml with cpus [2] instead of [3]: named like a
                     declared cell but not equal to it
  undeclared.cell    rogue.yaml renamed "ghost": declared nowhere

The last two pass the compiler's checks against SYSTEM.cell (their YAML is
kept next to them); only the hypervisor, comparing them with the
declarations, refuses them.
"""
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
ROGUE_YAML = os.path.join(REPO, "tests", "configs", "rogue.yaml")

HEADER = 32
SYSTEM = HEADER                      # struct haven_system
ROOT = SYSTEM + 16 + 184 + 8         # embedded root struct haven_cell
ROOT_REGIONS_OFF = ROOT + 48          # u32 mem_regions_offset
REGION = 32                          # struct haven_mem_region


def region(cfg, i):
    off, = struct.unpack_from("<I", cfg, ROOT_REGIONS_OFF)
    return off + i * REGION


def bad_magic(cfg):
    cfg[0:8] = b"NOTHAVEN"


def bad_version(cfg):
    struct.pack_into("<H", cfg, 8, 2)


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
    system.cells.append(hc.load_cell(ROGUE_YAML, system.limits))
    system.final_cells = 0
    hc.check_cells(system)
    open_cell = os.path.join(outdir, "system-open.cell")
    write(open_cell, hc.build_system(system))
    write(os.path.join(outdir, "rtos-open.cell"),
          hc.compile_file(RTOS_YAML, open_cell))
    write(os.path.join(outdir, "rogue.cell"),
          hc.compile_file(ROGUE_YAML, open_cell))


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
        mismatching_cells(hc, src, outdir)
    except hc.ConfigError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
