#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Broken copies of build/system.cell for the refusal scenarios.

Each fixture breaks one rule, so a scenario can check that havenctl, the
driver and the hypervisor each refuse it with the right message.
Usage: make-fixtures.py SYSTEM.cell OUTDIR
"""
import os
import struct
import sys

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


def main():
    src, outdir = sys.argv[1:3]
    good = open(src, "rb").read()
    os.makedirs(outdir, exist_ok=True)
    for name, breaker in FIXTURES.items():
        cfg = bytearray(good)
        breaker(cfg)
        with open(os.path.join(outdir, name + ".cell"), "wb") as f:
            f.write(cfg)


if __name__ == "__main__":
    main()
