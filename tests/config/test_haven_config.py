# SPDX-License-Identifier: GPL-2.0-only
"""Tests of tools/haven-config: the binary layout of include/haven/config.h
and one test per YAML rule, each checking exit status, FILE:LINE and the
field named in the message."""

import struct
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "haven-config"
PYTHON = "/usr/bin/python3"
QEMU_SYSTEM = REPO / "configs" / "qemu-arm64" / "system.yaml"
QEMU_RTOS = REPO / "configs" / "qemu-arm64" / "rtos.yaml"
QEMU_LINUX = REPO / "configs" / "qemu-arm64" / "linux.yaml"
ROGUE = REPO / "tests" / "configs" / "rogue.yaml"
HOSTILE = REPO / "tests" / "configs" / "hostile.yaml"
HOSTILE_FAIL = REPO / "tests" / "configs" / "hostile_fail.yaml"
RTOS_SHARED = REPO / "tests" / "configs" / "rtos-shared.yaml"
LINUX_SHARED = REPO / "tests" / "configs" / "linux-shared.yaml"
MAKE_FIXTURES = REPO / "tests" / "make-fixtures.py"

# Offsets in a system file, from include/haven/config.h.
HEADER_SIZE = 32
SYSTEM = HEADER_SIZE  # struct haven_system
PLATFORM = SYSTEM + 16
NUM_CELLS = PLATFORM + 224
ROOT = NUM_CELLS + 8
CELL_SIZE = 280
REGION_SIZE = 32
# Offsets inside struct haven_platform.
PLATFORM_SMMU, PLATFORM_ECAM = 184, 208
# Offsets inside struct haven_cell.
CELL_CPUS, CELL_FLAGS, CELL_NREGIONS, CELL_REGIONS, CELL_VUART_IRQ, \
    CELL_IRQS = 32, 40, 44, 48, 52, 56
CELL_NSTREAMS, CELL_STREAMS, CELL_NPCI, CELL_PCI, CELL_NSMCS, CELL_SMCS, \
    CELL_RESERVED, CELL_SCHED = 184, 188, 220, 224, 240, 244, 260, 264

SYSTEM_YAML = """\
system:
  hypervisor_memory: {phys: 0x7f000000, size: 0x1000000}
  platform:
    cpus: [0x0, 0x1, 0x2, 0x3]
    gic:
      distributor: {phys: 0x08000000, size: 0x10000}
      redistributors: {phys: 0x080a0000, size: 0x80000}
      maintenance_irq: 25
      irqs: 288
    debug_console: {type: pl011, phys: 0x09000000}
  root:
    name: root
    cpus: [0, 1, 2, 3]
    memory:
      - {name: ram, phys: 0x40000000, size: 0x3f000000, flags: [read, write, exec]}
      - {name: uart, phys: 0x09000000, size: 0x1000, flags: [read, write, io]}
    irqs: ["0-287"]
  cells: []
"""

CELL_YAML = """\
cell:
  name: linux
  cpus: [2, 3]
  memory:
    - {name: ram, phys: 0x60000000, virt: 0x40000000, size: 0x10000000, flags: [read, write, exec, loadable]}
    - {name: uart, phys: 0x09000000, size: 0x1000, flags: [read, write, io]}
  irqs: [33, "64-95"]
"""

OTHER_CELL_YAML = """\
cell:
  name: rtos
  cpus: [1]
  memory:
    - {name: ram, phys: 0x70000000, size: 0x100000, flags: [read, write, exec]}
  irqs: [40]
"""


def run(*args):
    return subprocess.run([PYTHON, str(TOOL), *map(str, args)],
                          capture_output=True, text=True, check=False)


def line_of(text, marker):
    """1-based number of the first line of TEXT containing MARKER."""
    for number, line in enumerate(text.splitlines(), 1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in the YAML")


def line_of_text(text, marker):
    """The whole line of TEXT containing MARKER, with its newline."""
    return text.splitlines(keepends=True)[line_of(text, marker) - 1]


def edit(text, old, new):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def write(directory, name, text):
    path = directory / name
    path.write_text(text)
    return path


def compile_text(tmp_path, text, name="system.yaml", *extra):
    src = write(tmp_path, name, text)
    out = tmp_path / "out.cell"
    return src, out, run("compile", src, "-o", out, *extra)


def assert_error(result, path, line, *words):
    assert result.returncode == 1, result.stderr
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    for word in words:
        assert word in message, message


def u(data, fmt, offset):
    return struct.unpack_from("<" + fmt, data, offset)[0]


def region(data, offset, index):
    return struct.unpack_from("<4Q", data, offset + index * REGION_SIZE)


def counted(data, cell, count, first, fmt, size):
    """The used slots of an array of struct haven_cell; the rest must be 0."""
    n = u(data, "I", cell + count)
    values = list(struct.unpack_from(f"<{size}{fmt}", data, cell + first))
    assert n <= size and not any(values[n:]), values
    return values[:n]


def stream_ids(data, cell):
    return counted(data, cell, CELL_NSTREAMS, CELL_STREAMS, "I", 8)


def pci_devices(data, cell):
    return counted(data, cell, CELL_NPCI, CELL_PCI, "H", 8)


def smcs(data, cell):
    return counted(data, cell, CELL_NSMCS, CELL_SMCS, "I", 4)


def sched(data, cell):
    """struct haven_sched: budget_us, period_us, priority, reserved."""
    return struct.unpack_from("<4I", data, cell + CELL_SCHED)


def irq_bits(data, cell):
    words = struct.unpack_from("<16Q", data, cell + CELL_IRQS)
    return {i for i in range(1024) if words[i // 64] >> (i % 64) & 1}


def check_header(data, kind):
    assert data[:8] == b"HAVENCFG"
    assert struct.unpack_from("<HHHHI3I", data, 8) == \
        (3, 183, kind, HEADER_SIZE, len(data), 0, 0, 0)


# --- good configurations -----------------------------------------------------


def test_qemu_system_binary(tmp_path):
    out = tmp_path / "system.cell"
    result = run("compile", QEMU_SYSTEM, "-o", out)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    check_header(data, 1)
    regions = ROOT + 3 * CELL_SIZE  # the root, rtos and linux
    assert len(data) == regions + (10 + 4 + 3) * REGION_SIZE == 1664

    assert struct.unpack_from("<QQ", data, SYSTEM) == (0x7F000000, 0x1000000)
    assert struct.unpack_from("<5QII", data, PLATFORM) == \
        (0x08000000, 0x10000, 0x080A0000, 0x80000, 0x09000000, 1, 4)
    assert struct.unpack_from("<16Q", data, PLATFORM + 48) == \
        (0, 1, 2, 3) + (0,) * 12
    assert struct.unpack_from("<II", data, PLATFORM + 176) == (25, 288)
    # the SMMU and its event queue and global error SPIs; the ECAM
    assert struct.unpack_from("<QQIIQQ", data, PLATFORM + PLATFORM_SMMU) == \
        (0x09050000, 0x20000, 106, 109, 0x3F000000, 0x1000000)
    assert struct.unpack_from("<II", data, NUM_CELLS) == (2, 0b110)

    assert data[ROOT:ROOT + 32] == b"root" + bytes(28)
    assert u(data, "Q", ROOT + CELL_CPUS) == 0b1111
    assert struct.unpack_from("<4I", data, ROOT + CELL_FLAGS) == \
        (0, 10, regions, 0)
    # every INTID but the SMMU's four
    assert irq_bits(data, ROOT) == set(range(288)) - set(range(106, 110))
    assert data[ROOT + CELL_NSTREAMS:ROOT + CELL_SIZE] == bytes(96)
    # no shared CPU: no sched anywhere, and nothing printed
    assert result.stdout == ""
    for cell in range(3):
        assert sched(data, ROOT + cell * CELL_SIZE) == (0, 0, 0, 0)

    rwx, io = 0b111, 0b1011
    assert region(data, regions, 0) == (0x40000000, 0x40000000, 0x3F000000, rwx)
    expected_io = [(0x08080000, 0x20000), (0x080A0000, 0x80000),
                   (0x09000000, 0x1000), (0x09010000, 0x1000),
                   (0x09020000, 0x1000), (0x09030000, 0x1000),
                   (0x0A000000, 0x4000), (0x10000000, 0x2EFF0000),
                   (0x3EFF0000, 0x10000)]
    for i, (phys, size) in enumerate(expected_io, 1):
        assert region(data, regions, i) == (phys, phys, size, io)


def test_qemu_system_maps_neither_gicd_nor_smmu_nor_ecam(tmp_path):
    out = tmp_path / "system.cell"
    assert run("compile", QEMU_SYSTEM, "-o", out).returncode == 0
    data = out.read_bytes()
    for i in range(10):
        phys, _, size, _ = region(data, ROOT + 3 * CELL_SIZE, i)
        for device, device_size in ((0x08000000, 0x10000),
                                    (0x09050000, 0x20000),
                                    (0x3F000000, 0x1000000)):
            assert phys + size <= device or device + device_size <= phys


def test_cell_binary(tmp_path):
    _, out, result = compile_text(tmp_path, CELL_YAML, "linux.yaml")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    check_header(data, 2)
    cell = HEADER_SIZE
    regions = cell + CELL_SIZE
    assert len(data) == regions + 2 * REGION_SIZE
    assert data[cell:cell + 32] == b"linux" + bytes(27)
    assert u(data, "Q", cell + CELL_CPUS) == 0b1100
    assert struct.unpack_from("<4I", data, cell + CELL_FLAGS) == \
        (0, 2, regions, 0)
    assert irq_bits(data, cell) == {33} | set(range(64, 96))
    assert region(data, regions, 0) == \
        (0x60000000, 0x40000000, 0x10000000, 0b10111)
    assert region(data, regions, 1) == (0x09000000, 0x09000000, 0x1000, 0b1011)


def test_system_with_declared_cells(tmp_path):
    write(tmp_path, "linux.yaml", CELL_YAML)
    (tmp_path / "cells").mkdir()
    write(tmp_path, "cells/rtos.yaml", OTHER_CELL_YAML)
    text = edit(SYSTEM_YAML, "cells: []", "cells: [linux.yaml, cells/rtos.yaml]")
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    check_header(data, 1)
    assert struct.unpack_from("<II", data, NUM_CELLS) == (2, 0)
    linux, rtos = ROOT + CELL_SIZE, ROOT + 2 * CELL_SIZE
    regions = ROOT + 3 * CELL_SIZE
    assert len(data) == regions + (2 + 2 + 1) * REGION_SIZE
    # Regions: the root's, then each declared cell's, in order.
    assert u(data, "I", ROOT + CELL_REGIONS) == regions
    assert u(data, "I", linux + CELL_REGIONS) == regions + 2 * REGION_SIZE
    assert u(data, "I", rtos + CELL_REGIONS) == regions + 4 * REGION_SIZE
    assert data[linux:linux + 6] == b"linux\0"
    assert data[rtos:rtos + 5] == b"rtos\0"
    assert u(data, "Q", rtos + CELL_CPUS) == 0b10
    assert irq_bits(data, rtos) == {40}
    assert region(data, regions, 4) == (0x70000000, 0x70000000, 0x100000, 0b111)


def test_cells_key_is_optional(tmp_path):
    _, out, result = compile_text(tmp_path, edit(SYSTEM_YAML, "  cells: []\n", ""))
    assert result.returncode == 0, result.stderr
    assert u(out.read_bytes(), "I", NUM_CELLS) == 0


def test_dump(tmp_path):
    out = tmp_path / "system.cell"
    assert run("compile", QEMU_SYSTEM, "-o", out).returncode == 0
    result = run("dump", out)
    assert result.returncode == 0, result.stderr
    assert "system configuration" in result.stdout
    assert "root cell: root" in result.stdout
    assert "irqs: 0-105,110-287" in result.stdout
    assert "phys 0x03eff0000-0x03effffff" in result.stdout
    assert "  smmu: 0x9050000 size 0x20000, event irq 106, gerror irq 109\n" \
        in result.stdout
    assert "  pci ecam: 0x3f000000 size 0x1000000 (buses 0x00-0x0f)\n" \
        in result.stdout
    _, cell, _ = compile_text(tmp_path, CELL_YAML, "linux.yaml")
    result = run("dump", cell)
    assert result.returncode == 0, result.stderr
    assert "cell: linux" in result.stdout and "cpus: 2-3" in result.stdout


@pytest.mark.parametrize("damage, message", [
    (lambda d: b"NOTHAVEN" + d[8:], "bad magic"),
    (lambda d: d[:8] + b"\x04" + d[9:], "version 4, expected 3"),
    (lambda d: d[:-4], "total_size"),
    (lambda d: d[:20], "shorter than its header"),
])
def test_dump_rejects_damaged_files(tmp_path, damage, message):
    _, out, _ = compile_text(tmp_path, CELL_YAML, "linux.yaml")
    out.write_bytes(damage(out.read_bytes()))
    result = run("dump", out)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{out}: ") and message in result.stderr


@pytest.mark.parametrize("command", [[], ["compile"], ["dump"]])
def test_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: haven-config")
    for word in {(): ["compile", "dump"], ("compile",): ["-o", "--system"],
                 ("dump",): ["FILE.cell"]}[tuple(command)]:
        assert word in result.stdout


# --- errors: no output ---------------------------------------------------------


def test_no_output_on_error(tmp_path):
    text = edit(SYSTEM_YAML, "irqs: 288", "irqs: x")
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "system.yaml"]
    assert not out.exists()


def test_existing_output_kept_on_error(tmp_path):
    out = tmp_path / "out.cell"
    out.write_bytes(b"previous")
    compile_text(tmp_path, edit(SYSTEM_YAML, "irqs: 288", "irqs: x"))
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.cell", "system.yaml"]


# --- errors: one test per rule -----------------------------------------------

# (test id, old text, new text, marker on the reported line, words in message)
SYSTEM_RULES = [
    ("unknown-key", "    name: root\n", "    name: root\n    colour: blue\n",
     "colour", ["root", "unknown key 'colour'",
                "allowed: name, cpus, memory, irqs"]),
    ("unknown-region-key", "size: 0x1000,", "size: 0x1000, cache: on,",
     "name: uart", ["root.memory[1] (uart)", "unknown key 'cache'", "virt"]),
    ("duplicate-key", "    name: root\n", "    name: root\n    name: again\n",
     "name: again", ["root", "duplicate key 'name'"]),
    ("missing-field", "    irqs: [\"0-287\"]\n", "",
     "name: root", ["root", "missing required field 'irqs'"]),
    ("missing-region-field", "{name: uart, phys: 0x09000000, ", "{name: uart, ",
     "name: uart", ["root.memory[1] (uart)", "missing required field 'phys'"]),
    ("string-for-integer", "phys: 0x09000000, size", "phys: \"0x09000000\", size",
     "name: uart", ["root.memory[1] (uart)", "phys must be an integer",
                    "string '0x09000000'"]),
    ("boolean-for-integer", "maintenance_irq: 25", "maintenance_irq: yes",
     "maintenance_irq", ["platform.gic", "maintenance_irq must be an integer",
                         "boolean"]),
    ("negative-integer", "irqs: 288", "irqs: -32",
     "irqs: -32", ["platform.gic", "irqs -32"]),
    ("scalar-for-list", "cpus: [0, 1, 2, 3]", "cpus: 3",
     "cpus: 3", ["root", "cpus must be a list"]),
    ("phys-unaligned", "phys: 0x09000000, size", "phys: 0x09000100, size",
     "name: uart", ["root.memory[1] (uart): phys 0x9000100 is not 4 KiB-aligned"]),
    ("virt-unaligned", "phys: 0x09000000, size",
     "phys: 0x09000000, virt: 0x10, size",
     "name: uart", ["root.memory[1] (uart): virt 0x10 is not 4 KiB-aligned"]),
    ("size-unaligned", "size: 0x1000,", "size: 0x1800,",
     "name: uart", ["root.memory[1] (uart): size 0x1800 is not 4 KiB-aligned"]),
    ("size-zero", "size: 0x1000,", "size: 0,",
     "name: uart", ["root.memory[1] (uart): size is zero"]),
    ("phys-wraps", "phys: 0x09000000, size: 0x1000,",
     "phys: 0xfffffffffffff000, size: 0x1000,",
     "name: uart", ["root.memory[1] (uart): phys 0xfffffffffffff000",
                    "wraps past 2^64"]),
    ("virt-wraps", "phys: 0x09000000, size: 0x1000,",
     "phys: 0x09000000, virt: 0xffffffffffffe000, size: 0x4000,",
     "name: uart", ["root.memory[1] (uart): virt 0xffffffffffffe000",
                    "wraps past 2^64"]),
    ("virt-beyond-ipa", "phys: 0x09000000, size: 0x1000,",
     "phys: 0x09000000, virt: 0x7ffffff000, size: 0x2000,",
     "name: uart", ["root.memory[1] (uart): virt 0x7ffffff000-0x8000000fff",
                    "beyond the 39-bit space Haven maps"]),
    ("phys-beyond-pa", "phys: 0x09000000, size: 0x1000,",
     "phys: 0x1000000000000, virt: 0x09000000, size: 0x1000,",
     "name: uart", ["root.memory[1] (uart): phys 0x1000000000000",
                    "beyond the 48-bit space Haven maps"]),
    ("phys-overlap", "    irqs: [\"0-287\"]",
     "      - {name: alias, phys: 0x40100000, virt: 0x90000000, size: 0x1000,"
     " flags: [read]}\n"
     "    irqs: [\"0-287\"]",
     "name: alias", ["root.memory[2] (alias): phys 0x40100000-0x40100fff overlaps "
                     "root.memory[0] (ram)"]),
    ("virt-overlap", "    irqs: [\"0-287\"]",
     "      - {name: alias, phys: 0x90000000, virt: 0x09000000, size: 0x1000,"
     " flags: [read]}\n"
     "    irqs: [\"0-287\"]",
     "name: alias", ["root.memory[2] (alias): virt 0x9000000-0x9000fff overlaps "
                     "root.memory[1] (uart)"]),
    ("cpu-outside-platform", "cpus: [0, 1, 2, 3]", "cpus: [0, 1, 2,\n           4]",
     "           4]", ["root: cpus: CPU 4 is outside the platform (CPUs 0-3)"]),
    ("root-without-cpu", "cpus: [0, 1, 2, 3]", "cpus: []",
     "cpus: []", ["root: cpus is empty"]),
    ("region-overlaps-hypervisor", "size: 0x3f000000", "size: 0x3f001000",
     "name: ram", ["root.memory[0] (ram): phys 0x40000000-0x7f000fff overlaps the "
                   "hypervisor memory 0x7f000000-0x7fffffff"]),
    ("hypervisor-memory-unaligned", "{phys: 0x7f000000, size: 0x1000000}",
     "{phys: 0x7f000800, size: 0x1000000}",
     "hypervisor_memory",
     ["hypervisor_memory: phys 0x7f000800 is not 4 KiB-aligned"]),
    ("hypervisor-memory-small", "{phys: 0x7f000000, size: 0x1000000}",
     "{phys: 0x7f000000, size: 0xff000}",
     "hypervisor_memory",
     ["hypervisor_memory: size 0xff000 is below the minimum of 1 MiB"]),
    ("irq-outside-platform", "irqs: [\"0-287\"]", "irqs: [\"0-288\"]",
     "0-288", ["root: irqs: IRQ 288 is outside the platform (INTIDs 0-287)"]),
    ("irq-bad-range", "irqs: [\"0-287\"]", "irqs: [\"20-10\"]",
     "20-10", ["root: irqs entry '20-10'"]),
    ("name-empty", "name: root", "name: \"\"",
     "name: \"\"", ["root: name is empty"]),
    ("name-too-long", "name: root", "name: " + "r" * 32,
     "name: rrr", ["root: name", "32 characters, the maximum is 31"]),
    ("duplicate-region-name", "{name: uart,", "{name: ram,",
     "name: ram, phys: 0x09000000",
     ["root.memory[1] (ram): duplicate region name 'ram'"]),
    ("unknown-flag", "flags: [read, write, io]", "flags: [read, write, device]",
     "name: uart", ["root.memory[1] (uart): unknown flag 'device'",
                    "read, write, exec, io, loadable"]),
    ("io-with-exec", "flags: [read, write, io]", "flags: [read, write, io, exec]",
     "name: uart", ["root.memory[1] (uart): flags io and exec are contradictory"]),
    ("flags-without-read", "flags: [read, write, io]", "flags: [write, io]",
     "name: uart", ["root.memory[1] (uart): flags must include read"]),
    ("platform-too-many-cpus", "cpus: [0x0, 0x1, 0x2, 0x3]",
     "cpus: [" + ", ".join(str(i) for i in range(17)) + "]",
     "cpus: [0, 1, 2, 3, 4", ["platform: cpus lists 17 CPUs, expected 1 to 16"]),
    ("platform-duplicate-mpidr", "cpus: [0x0, 0x1, 0x2, 0x3]",
     "cpus: [0x0, 0x1, 0x2, 0x1]",
     "cpus: [0x0", ["platform: cpus[3] 0x1 is also cpus[1]"]),
    ("platform-mpidr-not-affinity", "cpus: [0x0, 0x1, 0x2, 0x3]",
     "cpus: [0x0, 0x1, 0x2, 0x80000003]",
     "cpus: [0x0", ["platform: cpus[3] 0x80000003 has bits outside"]),
    ("gic-irqs-not-multiple-of-32", "irqs: 288", "irqs: 300",
     "irqs: 300", ["platform.gic: irqs 300 must be a multiple of 32"]),
    ("gic-maintenance-not-ppi", "maintenance_irq: 25", "maintenance_irq: 40",
     "maintenance_irq", ["platform.gic: maintenance_irq 40 is not a PPI"]),
    ("gic-distributor-small", "{phys: 0x08000000, size: 0x10000}",
     "{phys: 0x08000000, size: 0x1000}",
     "distributor", ["platform.gic.distributor: size 0x1000 is below"]),
    ("gic-redistributors-small", "{phys: 0x080a0000, size: 0x80000}",
     "{phys: 0x080a0000, size: 0x60000}",
     "redistributors", ["platform.gic.redistributors: size 0x60000", "for 4 CPUs"]),
    ("console-unknown-type", "type: pl011", "type: ns16550",
     "debug_console", ["platform.debug_console: unknown type 'ns16550'", "pl011"]),
    ("console-missing-phys", "{type: pl011, phys: 0x09000000}", "{type: pl011}",
     "debug_console", ["platform.debug_console: missing required field 'phys'"]),
    ("top-level-key", "system:\n", "sistem:\n",
     "sistem:", ["top level: unknown key 'sistem'", "system, cell"]),
    ("yaml-syntax", "    name: root\n", "    name: [root\n",
     "cpus: [0, 1, 2, 3]", ["YAML syntax:", "expected ',' or ']'"]),
]


@pytest.mark.parametrize("old, new, marker, words",
                         [rule[1:] for rule in SYSTEM_RULES],
                         ids=[rule[0] for rule in SYSTEM_RULES])
def test_system_rule(tmp_path, old, new, marker, words):
    text = edit(SYSTEM_YAML, old, new)
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, marker), *words)
    assert not out.exists()


def test_too_many_regions(tmp_path):
    regions = "".join(
        f"      - {{name: r{i}, phys: 0x{0x90000000 + i * 0x1000:x}, "
        f"size: 0x1000, flags: [read]}}\n" for i in range(63))
    irqs = "    irqs: [\"0-287\"]"
    text = edit(SYSTEM_YAML, irqs, regions + irqs)
    src, _, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "name: r62"),
                 "root: memory has 65 regions, the maximum is 64")
    # 64 regions are fine.
    text = edit(text, line_of_text(text, "name: r62"), "")
    _, _, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr


# --- errors: cell files and declared cells ---------------------------------------


def with_cells(tmp_path, *cells):
    """A system.yaml declaring CELLS: (file name, YAML text) pairs."""
    for name, text in cells:
        write(tmp_path, name, text)
    listed = ", ".join(name for name, _ in cells)
    return edit(SYSTEM_YAML, "cells: []", f"cells: [{listed}]")


def compile_cells(tmp_path, *cells):
    """Compile a system.yaml declaring CELLS; the result and output path."""
    _, out, result = compile_text(tmp_path, with_cells(tmp_path, *cells))
    return result, out


def test_error_in_declared_cell_names_its_file(tmp_path):
    cell = edit(CELL_YAML, "size: 0x1000,", "size: 0x1001,")
    result, out = compile_cells(tmp_path, ("linux.yaml", cell))
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "name: uart"),
                 "cell.memory[1] (uart): size 0x1001 is not 4 KiB-aligned")
    assert not out.exists()


def test_missing_cell_file(tmp_path):
    text = edit(SYSTEM_YAML, "cells: []", "cells:\n    - nowhere.yaml")
    src, _, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "nowhere.yaml"),
                 f"cannot read {tmp_path / 'nowhere.yaml'}")


def test_cell_file_must_be_a_cell(tmp_path):
    result, _ = compile_cells(tmp_path, ("linux.yaml", SYSTEM_YAML))
    assert_error(result, tmp_path / "linux.yaml", 1,
                 "top level: unknown key 'system' (allowed: cell)")


def test_declared_cell_cpu_outside_platform(tmp_path):
    cell = edit(CELL_YAML, "cpus: [2, 3]", "cpus: [2, 4]")
    result, _ = compile_cells(tmp_path, ("linux.yaml", cell))
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "cpus:"),
                 "cell: cpus: CPU 4 is outside the platform (CPUs 0-3)")


def test_declared_cell_overlaps_hypervisor(tmp_path):
    cell = edit(CELL_YAML, "phys: 0x60000000", "phys: 0x7f000000")
    result, _ = compile_cells(tmp_path, ("linux.yaml", cell))
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "name: ram"),
                 "cell.memory[0] (ram)", "overlaps the hypervisor memory")


def test_cpu_in_two_declared_cells(tmp_path):
    # allowed with sched only (see the scheduling tests): linux has none
    other = edit(OTHER_CELL_YAML, "cpus: [1]", "cpus:\n    - 3")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "linux.yaml", line_of(CELL_YAML, "cpus:"),
                 "cell: cpus: CPU 3 is shared with cell 'rtos' "
                 f"({tmp_path / 'rtos.yaml'}:{line_of(other, '- 3')}): a "
                 "cell on a shared CPU needs sched: {budget_us, period_us, "
                 "priority}")


def test_irq_in_two_declared_cells(tmp_path):
    other = edit(OTHER_CELL_YAML, "irqs: [40]", "irqs: [\"90-91\"]")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "irqs:"),
                 "cell: irqs: SPI 90 is also in cell 'linux'")


def test_memory_in_two_declared_cells(tmp_path):
    other = edit(OTHER_CELL_YAML, "phys: 0x70000000", "phys: 0x6ff00000, virt: 0")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "name: ram"),
                 "cell.memory[0] (ram): phys 0x6ff00000-0x6fffffff overlaps "
                 "cell 'linux' cell.memory[0] (ram)")


def test_declared_cell_memory_inside_root_is_allowed(tmp_path):
    # linux.yaml's RAM and UART lie inside root regions.
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML))
    assert result.returncode == 0, result.stderr


def test_duplicate_cell_names(tmp_path):
    other = edit(OTHER_CELL_YAML, "name: rtos", "name: linux")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", 2,
                 "cell: duplicate cell name 'linux'",
                 f"{tmp_path / 'linux.yaml'}:2")


def test_declared_cells_cannot_take_every_root_cpu(tmp_path):
    other = edit(OTHER_CELL_YAML, "cpus: [1]", "cpus: [0, 1]")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "cpus:"),
                 "take every root CPU (0-3)", "must keep at least one")


def test_too_many_declared_cells(tmp_path):
    cells = [(f"c{i}.yaml", edit(OTHER_CELL_YAML, "name: rtos", f"name: c{i}"))
             for i in range(8)]
    text = with_cells(tmp_path, *cells)
    text = edit(text, "cells: [c0.yaml, ", "cells: [c0.yaml,\n    ")
    src, _, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "c7.yaml"),
                 "cells lists 8 cells, at most 7")


# --- standalone cell files -----------------------------------------------------


def test_standalone_cell_limits_without_system(tmp_path):
    cell = edit(CELL_YAML, "cpus: [2, 3]", "cpus: [15, 16]")
    src, _, result = compile_text(tmp_path, cell, "linux.yaml")
    assert_error(result, src, line_of(cell, "cpus:"),
                 "cell: cpus: CPU 16 is outside the platform (CPUs 0-15)")
    cell = edit(CELL_YAML, "irqs: [33,", "irqs: [1024,")
    src, _, result = compile_text(tmp_path, cell, "linux.yaml")
    assert_error(result, src, line_of(cell, "irqs:"), "IRQ 1024 is outside")


def test_standalone_cell_checked_against_system(tmp_path):
    cell = edit(CELL_YAML, "cpus: [2, 3]", "cpus: [2, 5]")
    src, out, result = compile_text(tmp_path, cell, "linux.yaml")
    assert result.returncode == 0, result.stderr
    out.unlink()
    _, out, result = compile_text(tmp_path, cell, "linux.yaml",
                                  "--system", QEMU_SYSTEM)
    assert_error(result, src, line_of(cell, "cpus:"),
                 "cell: cpus: CPU 5 is outside the platform (CPUs 0-3)")
    assert not out.exists()


def test_standalone_cell_overlapping_hypervisor_with_system(tmp_path):
    cell = edit(CELL_YAML, "phys: 0x60000000", "phys: 0x78000000")
    src, _, result = compile_text(tmp_path, cell, "linux.yaml",
                                  "--system", QEMU_SYSTEM)
    assert_error(result, src, line_of(cell, "name: ram"), "cell.memory[0] (ram)",
                 "overlaps the hypervisor memory 0x7f000000-0x7fffffff")


# --- the QEMU cells ----------------------------------------------------------

RW, COMM, VUART = 0b11, 0b100011, 0b1000011
FAULT_ABORT = 1


def compile_qemu(tmp_path):
    """build/system.cell, rtos.cell and linux.cell, as make configs builds
    them; the system and rtos.cell."""
    system = tmp_path / "system.cell"
    result = run("compile", QEMU_SYSTEM, "-o", system)
    assert result.returncode == 0, result.stderr
    for src in (QEMU_RTOS, QEMU_LINUX):
        out = tmp_path / (src.stem + ".cell")
        result = run("compile", src, "--system", system, "-o", out)
        assert result.returncode == 0, result.stderr
    return system.read_bytes(), (tmp_path / "rtos.cell").read_bytes()


def test_qemu_rtos_cell(tmp_path):
    system, data = compile_qemu(tmp_path)
    check_header(data, 2)
    cell, regions = HEADER_SIZE, HEADER_SIZE + CELL_SIZE
    assert len(data) == regions + 4 * REGION_SIZE
    assert data[cell:cell + 32] == b"rtos" + bytes(28)
    assert u(data, "Q", cell + CELL_CPUS) == 1 << 3
    assert irq_bits(data, cell) == set(range(16)) | {27}
    ram = region(data, regions, 0)
    assert ram == (0x7E000000, 0x40000000, 0x200000, 0b10111)
    assert ram[0] % 0x200000 == 0 and ram[1] % 0x200000 == 0
    assert region(data, regions, 1) == (0x08100000, 0x08100000, 0x20000, 0b1011)
    # BAR 0 of the edu at 00:01.0
    assert region(data, regions, 2) == \
        (0x10000000, 0x10000000, 0x100000, 0b1011)
    # the comm page, last, right above the RAM's IPAs
    assert region(data, regions, 3) == (0, 0x40200000, 0x1000, COMM)
    # the edu: its function and its requester ID as the stream ID
    assert stream_ids(data, cell) == [0x8]
    assert pci_devices(data, cell) == [0x0008]
    assert smcs(data, cell) == []
    assert u(data, "I", cell + CELL_RESERVED) == 0


@pytest.mark.parametrize("name, cell_id", [("rtos", 1), ("linux", 2)])
def test_qemu_cell_equals_its_declaration(tmp_path, name, cell_id):
    # all but mem_regions_offset, as hypervisor/cell_control.c compares them
    system, _ = compile_qemu(tmp_path)
    data = (tmp_path / f"{name}.cell").read_bytes()
    declared = ROOT + cell_id * CELL_SIZE
    assert system[declared:declared + 32] == name.encode().ljust(32, b"\0")
    ours, theirs = bytearray(data[HEADER_SIZE:HEADER_SIZE + CELL_SIZE]), \
        bytearray(system[declared:declared + CELL_SIZE])
    offset, count = u(theirs, "I", CELL_REGIONS), u(theirs, "I", CELL_NREGIONS)
    assert system[offset:offset + count * REGION_SIZE] == \
        data[HEADER_SIZE + CELL_SIZE:]
    ours[CELL_REGIONS:CELL_REGIONS + 4] = theirs[CELL_REGIONS:CELL_REGIONS + 4]
    assert ours == theirs


def test_qemu_linux_cell(tmp_path):
    system, _ = compile_qemu(tmp_path)
    data = (tmp_path / "linux.cell").read_bytes()
    check_header(data, 2)
    cell, regions = HEADER_SIZE, HEADER_SIZE + CELL_SIZE
    assert len(data) == regions + 3 * REGION_SIZE
    assert data[cell:cell + 32] == b"linux" + bytes(27)
    assert u(data, "Q", cell + CELL_CPUS) == 0b110
    assert struct.unpack_from("<4I", data, cell + CELL_FLAGS) == \
        (FAULT_ABORT, 3, regions, 280)
    assert irq_bits(data, cell) == set(range(16)) | {27, 280}
    ram = region(data, regions, 0)
    assert ram == (0x70000000, 0x40000000, 0x8000000, 0b10111)
    assert ram[0] % 0x200000 == 0 and ram[1] % 0x200000 == 0
    # the redistributor frames of CPUs 1 and 2, 128 KiB each
    assert region(data, regions, 1) == \
        (0x080A0000 + 0x20000, 0x080A0000 + 0x20000, 0x40000, 0b1011)
    # the console, last: Haven's page at the PL011's usual IPA
    assert region(data, regions, 2) == (0, 0x09000000, 0x1000, VUART)


def test_qemu_layout(tmp_path):
    # root CPU 0, linux CPUs 1-2, rtos CPU 3; both final; the cells' RAM
    # inside the root's, above the root Linux's mem=512M, apart
    system, _ = compile_qemu(tmp_path)
    assert cell_names(system) == ["root", "rtos", "linux"]
    assert final_cells(system) == 0b110
    root, rtos, linux = (ROOT + i * CELL_SIZE for i in range(3))
    assert [u(system, "Q", c + CELL_CPUS) for c in (root, rtos, linux)] == \
        [0b1111, 0b1000, 0b0110]
    regions = ROOT + 3 * CELL_SIZE
    root_ram = region(system, regions, 0)
    rams = [region(system, u(system, "I", c + CELL_REGIONS), 0)
            for c in (rtos, linux)]
    for phys, _, size, _ in rams:
        assert 0x60000000 <= phys and phys + size <= root_ram[0] + root_ram[2]
    (a, _, a_size, _), (b, _, b_size, _) = rams
    assert a + a_size <= b or b + b_size <= a
    # the root owns the console's SPI until it gives it to the cell
    assert 280 in irq_bits(system, root)
    assert u(system, "I", root + CELL_VUART_IRQ) == 0
    assert u(system, "I", root + CELL_FLAGS) == 0


def test_qemu_root_donates_to_rtos(tmp_path):
    # the rtos RAM, CPU and GIC frame are the root's too (handed over at
    # create time), and the root keeps CPUs 0-2
    system, _ = compile_qemu(tmp_path)
    root_ram = region(system, ROOT + 3 * CELL_SIZE, 0)
    assert root_ram[0] <= 0x7E000000 and \
        0x7E200000 <= root_ram[0] + root_ram[2]
    assert u(system, "Q", ROOT + CELL_CPUS) == 0b1111


def test_dump_console_and_fault_policy(tmp_path):
    compile_qemu(tmp_path)
    result = run("dump", tmp_path / "linux.cell")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "fault policy: abort" in out
    assert "console: pl011 at 0x9000000 (region 2), irq 280" in out
    assert "virt 0x009000000 size 0x1000 read,write,vuart (console)" in out
    assert "comm page: none" in out
    result = run("dump", tmp_path / "system.cell")
    assert result.returncode == 0, result.stderr
    assert "cell 2: linux" in result.stdout
    assert "fault policy: fail" in result.stdout  # rtos
    # the root: neither, as it can have neither
    root = result.stdout.split("root cell: root")[1].split("cell 1: rtos")[0]
    assert "fault policy" not in root and "console" not in root


def test_dump_final_layout_and_comm_page(tmp_path):
    system = tmp_path / "system.cell"
    compile_qemu(tmp_path)
    result = run("dump", system)
    assert result.returncode == 0, result.stderr
    assert "cell 1: rtos" in result.stdout
    assert "comm page: 0x40200000 (region 3)" in result.stdout
    assert "read,write,comm" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        "final layout: rtos (cell 1)")
    result = run("dump", tmp_path / "rtos.cell")
    assert result.returncode == 0, result.stderr
    assert "cell: rtos" in result.stdout
    assert "comm page: 0x40200000 (region 3)" in result.stdout
    # no final layout: never sealed; a cell without a comm page
    _, out, result = compile_text(tmp_path, SYSTEM_YAML)
    assert result.returncode == 0, result.stderr
    assert "final layout: none (never sealed)" in run("dump", out).stdout
    _, cell, _ = compile_text(tmp_path, CELL_YAML, "linux.yaml")
    assert "comm page: none" in run("dump", cell).stdout


# --- comm_page ---------------------------------------------------------------

COMM_CELL_YAML = edit(CELL_YAML, "  irqs:", "  comm_page: 0x50000000\n  irqs:")


def test_comm_page_binary(tmp_path):
    _, out, result = compile_text(tmp_path, COMM_CELL_YAML, "linux.yaml")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    regions = HEADER_SIZE + CELL_SIZE
    assert u(data, "I", HEADER_SIZE + CELL_NREGIONS) == 3
    assert region(data, regions, 2) == (0, 0x50000000, 0x1000, COMM)


def test_comm_page_is_the_last_region(tmp_path):
    # written before memory, still placed after every memory region
    text = edit(CELL_YAML, "  cpus:", "  comm_page: 0x50000000\n  cpus:")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    regions = HEADER_SIZE + CELL_SIZE
    assert region(data, regions, 0)[0] == 0x60000000
    assert region(data, regions, 2) == (0, 0x50000000, 0x1000, COMM)


def test_comm_page_phys_is_ignored(tmp_path):
    # a region at phys 0 in the same cell, and another cell's comm page
    text = edit(COMM_CELL_YAML, "  comm_page:",
                "    - {name: boot, phys: 0, virt: 0x60000000, size: 0x1000,"
                " flags: [read]}\n  comm_page:")
    other = edit(OTHER_CELL_YAML, "  irqs:", "  comm_page: 0x0\n  irqs:")
    other = edit(other, "phys: 0x70000000,", "phys: 0x70000000, virt: 0x1000,")
    result, out = compile_cells(tmp_path, ("linux.yaml", text),
                                ("rtos.yaml", other))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value, words", [
    ("0x50000800", ["cell: comm_page 0x50000800 is not 4 KiB-aligned"]),
    ("0x4ffff000", ["cell: comm_page 0x4ffff000-0x4fffffff overlaps "
                    "cell.memory[0] (ram) virt 0x40000000-0x4fffffff"]),
    ("0x09000000", ["cell: comm_page 0x9000000-0x9000fff overlaps "
                    "cell.memory[1] (uart)"]),
    ("0x7ffffff000", None),  # the last page below 2^39 is fine
    ("0x8000000000", ["cell: comm_page 0x8000000000-0x8000000fff lies "
                      "beyond the 39-bit space Haven maps"]),
    ("\"0x50000000\"", ["cell: comm_page must be an integer"]),
    ("[0x50000000]", ["cell: comm_page must be an integer, got a list"]),
])
def test_comm_page_rules(tmp_path, value, words):
    text = edit(COMM_CELL_YAML, "comm_page: 0x50000000", f"comm_page: {value}")
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    if words is None:
        assert result.returncode == 0, result.stderr
        return
    assert_error(result, src, line_of(text, "comm_page:"), *words)
    assert not out.exists()


def test_comm_page_not_in_root(tmp_path):
    text = edit(SYSTEM_YAML, "    irqs: [\"0-287\"]",
                "    comm_page: 0x90000000\n    irqs: [\"0-287\"]")
    src, _, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "comm_page"),
                 "root: comm_page is not allowed in the root cell")


def test_comm_page_counts_as_a_region(tmp_path):
    regions = "".join(
        f"    - {{name: r{i}, phys: 0x{0x90000000 + i * 0x1000:x}, "
        f"size: 0x1000, flags: [read]}}\n" for i in range(62))
    text = edit(COMM_CELL_YAML, "  comm_page:", regions + "  comm_page:")
    src, _, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, "comm_page"),
                 "comm_page is one region more than the maximum of 64")
    text = edit(text, line_of_text(text, "name: r61"), "")
    _, _, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr


def test_comm_page_in_declared_cell(tmp_path):
    text = edit(COMM_CELL_YAML, "comm_page: 0x50000000", "comm_page: 0x40000000")
    result, _ = compile_cells(tmp_path, ("linux.yaml", text))
    assert_error(result, tmp_path / "linux.yaml", line_of(text, "comm_page"),
                 "overlaps cell.memory[0] (ram)")


# --- console ------------------------------------------------------------------

CONSOLE_CELL_YAML = edit(CELL_YAML, "  irqs: [33, \"64-95\"]\n",
                         "  console: {type: pl011, virt: 0x0a000000, irq: 64}\n"
                         "  irqs: [33, \"64-95\"]\n")


def test_console_binary(tmp_path):
    _, out, result = compile_text(tmp_path, CONSOLE_CELL_YAML, "linux.yaml")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    regions = HEADER_SIZE + CELL_SIZE
    assert struct.unpack_from("<4I", data, HEADER_SIZE + CELL_FLAGS) == \
        (0, 3, regions, 64)
    assert region(data, regions, 2) == (0, 0x0A000000, 0x1000, VUART)


def test_console_after_comm_page(tmp_path):
    # written first, placed after the memory and the comm page
    text = edit(CELL_YAML, "  cpus:",
                "  console: {type: pl011, virt: 0x0a000000, irq: 33}\n"
                "  comm_page: 0x50000000\n  cpus:")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    regions = HEADER_SIZE + CELL_SIZE
    assert u(data, "I", HEADER_SIZE + CELL_NREGIONS) == 4
    assert region(data, regions, 2) == (0, 0x50000000, 0x1000, COMM)
    assert region(data, regions, 3) == (0, 0x0A000000, 0x1000, VUART)
    assert u(data, "I", HEADER_SIZE + CELL_VUART_IRQ) == 33


def test_no_console_no_vuart_irq(tmp_path):
    _, out, result = compile_text(tmp_path, CELL_YAML, "linux.yaml")
    assert result.returncode == 0, result.stderr
    assert u(out.read_bytes(), "I", HEADER_SIZE + CELL_VUART_IRQ) == 0


@pytest.mark.parametrize("value, marker, words", [
    ("{type: pl011, virt: 0x0a000000, irq: 96}", "console:",
     ["cell.console: irq 96 is not in the cell's irqs: list it there too"]),
    ("{type: pl011, virt: 0x0a000000, irq: 27}", "console:",
     ["cell.console: irq 27 is not an SPI", "INTID 32 or up"]),
    ("{type: pl011, virt: 0x0a000000, irq: 0}", "console:",
     ["cell.console: irq 0 is not an SPI"]),
    ("{type: pl011, virt: 0x0a000000, irq: 1024}", "console:",
     ["cell.console: irq 1024 is outside the platform (INTIDs 0-1023)"]),
    ("{type: pl011, virt: 0x0a000000, irq: -1}", "console:",
     ["cell.console: irq -1 is outside 0..2^32-1"]),
    ("{type: pl011, virt: 0x0a000000, irq: \"64\"}", "console:",
     ["cell.console: irq must be an integer, got string '64'"]),
    ("{type: ns16550, virt: 0x0a000000, irq: 64}", "console:",
     ["cell.console: unknown type 'ns16550' (allowed: pl011"]),
    ("{type: pl011, virt: 0x0a000800, irq: 64}", "console:",
     ["cell.console: virt 0xa000800 is not 4 KiB-aligned"]),
    ("{type: pl011, virt: 0x8000000000, irq: 64}", "console:",
     ["cell.console: virt 0x8000000000-0x8000000fff lies beyond the 39-bit "
      "space Haven maps"]),
    ("{type: pl011, virt: 0x09000000, irq: 64}", "console:",
     ["cell.console: virt 0x9000000-0x9000fff overlaps cell.memory[1] (uart) "
      "virt 0x9000000-0x9000fff"]),
    ("{type: pl011, virt: 0x4ffff000, irq: 64}", "console:",
     ["cell.console: virt 0x4ffff000-0x4fffffff overlaps cell.memory[0] (ram)"]),
    ("{type: pl011, virt: 0x0a000000}", "console:",
     ["cell.console: missing required field 'irq'"]),
    ("{type: pl011, phys: 0x09000000, virt: 0x0a000000, irq: 64}", "console:",
     ["cell.console: unknown key 'phys' (allowed: type, virt, irq)"]),
    ("[{type: pl011, virt: 0x0a000000, irq: 64}]", "console:",
     ["cell.console: expected a mapping, got a list"]),
])
def test_console_rules(tmp_path, value, marker, words):
    text = edit(CONSOLE_CELL_YAML,
                "{type: pl011, virt: 0x0a000000, irq: 64}", value)
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, marker), *words)
    assert not out.exists()


def test_console_irq_outside_the_system_platform(tmp_path):
    # 288 INTIDs on QEMU virt: the message names the platform's range
    text = edit(CONSOLE_CELL_YAML, "irq: 64}", "irq: 300}")
    src, out, result = compile_text(tmp_path, text, "linux.yaml",
                                    "--system", QEMU_SYSTEM)
    assert_error(result, src, line_of(text, "console:"),
                 "cell.console: irq 300 is outside the platform "
                 "(INTIDs 0-287)")


def test_two_consoles(tmp_path):
    # one console key per cell: YAML has no way to write a second
    text = edit(CONSOLE_CELL_YAML, "  irqs:",
                "  console: {type: pl011, virt: 0x0b000000, irq: 65}\n  irqs:")
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, "virt: 0x0b000000"),
                 "cell: duplicate key 'console'")
    # nor as a memory flag
    text = edit(CELL_YAML, "flags: [read, write, io]",
                "flags: [read, write, vuart]")
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, "name: uart"),
                 "cell.memory[1] (uart): unknown flag 'vuart'")


def test_console_overlaps_comm_page(tmp_path):
    text = edit(CONSOLE_CELL_YAML, "  console:",
                "  comm_page: 0x0a000000\n  console:")
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, "console:"),
                 "cell.console: virt 0xa000000-0xa000fff overlaps "
                 "cell.comm_page virt 0xa000000-0xa000fff")


def test_console_not_in_root(tmp_path):
    text = edit(SYSTEM_YAML, "    irqs: [\"0-287\"]",
                "    console: {type: pl011, virt: 0x90000000, irq: 280}\n"
                "    irqs: [\"0-287\"]")
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "    console:"),
                 "root: console is not allowed in the root cell (it has a "
                 "UART of its own")
    assert not out.exists()


def test_console_counts_as_a_region(tmp_path):
    regions = "".join(
        f"    - {{name: r{i}, phys: 0x{0x90000000 + i * 0x1000:x}, "
        f"size: 0x1000, flags: [read]}}\n" for i in range(62))
    text = edit(CONSOLE_CELL_YAML, "  console:", regions + "  console:")
    src, _, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, "console:"),
                 "console is one region more than the maximum of 64")
    text = edit(text, line_of_text(text, "name: r61"), "")
    _, _, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr


def test_console_spi_in_two_declared_cells(tmp_path):
    # the console's SPI is in irqs, so the exclusive-SPI rule covers it
    other = edit(OTHER_CELL_YAML, "irqs: [40]",
                 "console: {type: pl011, virt: 0x09000000, irq: 64}\n"
                 "  irqs: [64]")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CONSOLE_CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "irqs:"),
                 "cell: irqs: SPI 64 is also in cell 'linux'")


def test_consoles_in_two_declared_cells(tmp_path):
    # the same IPA in two cells: Haven's pages, no physical memory shared
    other = edit(OTHER_CELL_YAML, "irqs: [40]",
                 "console: {type: pl011, virt: 0x0a000000, irq: 40}\n"
                 "  irqs: [40]")
    result, out = compile_cells(tmp_path, ("linux.yaml", CONSOLE_CELL_YAML),
                                ("rtos.yaml", other))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert [u(data, "I", ROOT + i * CELL_SIZE + CELL_VUART_IRQ)
            for i in range(3)] == [0, 64, 40]


# --- fault_policy --------------------------------------------------------------


@pytest.mark.parametrize("line, flags", [
    (None, 0), ("fault_policy: fail", 0), ("fault_policy: abort", FAULT_ABORT),
])
def test_fault_policy(tmp_path, line, flags):
    text = CELL_YAML if line is None else \
        edit(CELL_YAML, "  irqs:", f"  {line}\n  irqs:")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr
    assert u(out.read_bytes(), "I", HEADER_SIZE + CELL_FLAGS) == flags


@pytest.mark.parametrize("value, words", [
    ("panic", ["cell: fault_policy: unknown value 'panic' "
               "(allowed: fail, abort)"]),
    ("Abort", ["unknown value 'Abort'"]),
    ("1", ["cell: fault_policy must be a string, got integer '1'"]),
    ("[abort]", ["cell: fault_policy must be a string, got a list"]),
])
def test_fault_policy_errors(tmp_path, value, words):
    text = edit(CELL_YAML, "  irqs:", f"  fault_policy: {value}\n  irqs:")
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, "fault_policy"), *words)
    assert not out.exists()


def test_fault_policy_in_root(tmp_path):
    text = edit(SYSTEM_YAML, "    irqs: [\"0-287\"]",
                "    fault_policy: abort\n    irqs: [\"0-287\"]")
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "fault_policy"),
                 "root: fault_policy abort is not allowed in the root cell",
                 "always gets an external abort")
    # fail is what the root does anyway (its faults are aborts, never a
    # stop): allowed, and no flag
    text = edit(text, "fault_policy: abort", "fault_policy: fail")
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    assert u(out.read_bytes(), "I", ROOT + CELL_FLAGS) == 0


# --- across declared cells ---------------------------------------------------


def test_sgis_and_ppis_may_repeat(tmp_path):
    linux = edit(CELL_YAML, "irqs: [33,", "irqs: [\"0-15\", 27, 33,")
    other = edit(OTHER_CELL_YAML, "irqs: [40]", "irqs: [\"0-31\", 40]")
    result, out = compile_cells(tmp_path, ("linux.yaml", linux),
                                ("rtos.yaml", other))
    assert result.returncode == 0, result.stderr
    assert irq_bits(out.read_bytes(), ROOT + 2 * CELL_SIZE) == \
        set(range(32)) | {40}


def test_first_spi_is_exclusive(tmp_path):
    linux = edit(CELL_YAML, "irqs: [33,", "irqs: [32, 33,")
    other = edit(OTHER_CELL_YAML, "irqs: [40]", "irqs: [\"27-32\"]")
    result, _ = compile_cells(tmp_path, ("linux.yaml", linux),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "irqs:"),
                 "cell: irqs: SPI 32 is also in cell 'linux'")


def test_device_in_two_declared_cells(tmp_path):
    other = edit(OTHER_CELL_YAML, "  irqs:",
                 "    - {name: uart, phys: 0x09000000, size: 0x1000, "
                 "flags: [read, write, io]}\n  irqs:")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "name: uart"),
                 "cell.memory[1] (uart): phys 0x9000000-0x9000fff overlaps "
                 "cell 'linux' cell.memory[1] (uart)")


# --- final_layout ------------------------------------------------------------


def final_cells(data):
    return u(data, "I", NUM_CELLS + 4)


@pytest.mark.parametrize("layout, expected", [
    (None, 0), ("[]", 0), ("[linux]", 0b10), ("[rtos]", 0b100),
    ("[rtos, linux]", 0b110), ("\n    - linux\n    - rtos", 0b110),
])
def test_final_layout(tmp_path, layout, expected):
    text = with_cells(tmp_path, ("linux.yaml", CELL_YAML),
                      ("rtos.yaml", OTHER_CELL_YAML))
    if layout is not None:
        text += f"  final_layout: {layout}\n"
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    assert final_cells(out.read_bytes()) == expected


@pytest.mark.parametrize("layout, marker, words", [
    ("[linux,\n    ghost]", "ghost", ["system: final_layout: no declared cell "
                                       "named 'ghost' (declared: linux, rtos)"]),
    ("[root]", "final_layout", ["system: final_layout: 'root' is the root "
                                "cell"]),
    ("[linux, linux]", "final_layout", ["'linux' is listed twice"]),
    ("linux", "final_layout", ["system: final_layout must be a list"]),
    ("[1]", "final_layout", ["final_layout[0] must be a string"]),
])
def test_final_layout_errors(tmp_path, layout, marker, words):
    text = with_cells(tmp_path, ("linux.yaml", CELL_YAML),
                      ("rtos.yaml", OTHER_CELL_YAML))
    text += f"  final_layout: {layout}\n"
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, marker), *words)
    assert not out.exists()


def test_final_layout_without_cells(tmp_path):
    text = SYSTEM_YAML + "  final_layout: [rtos]\n"
    src, _, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "final_layout"),
                 "no declared cell named 'rtos' (declared: none)")


# --- --system with a compiled system -----------------------------------------


def test_system_option_takes_a_compiled_system(tmp_path):
    system = tmp_path / "system.cell"
    assert run("compile", QEMU_SYSTEM, "-o", system).returncode == 0
    cell = edit(CELL_YAML, "cpus: [2, 3]", "cpus: [2, 5]")
    src, out, result = compile_text(tmp_path, cell, "linux.yaml",
                                    "--system", system)
    assert_error(result, src, line_of(cell, "cpus:"),
                 "cell: cpus: CPU 5 is outside the platform (CPUs 0-3)")
    cell = edit(CELL_YAML, "phys: 0x60000000", "phys: 0x7f000000")
    src, out, result = compile_text(tmp_path, cell, "linux.yaml",
                                    "--system", system)
    assert_error(result, src, line_of(cell, "name: ram"),
                 "overlaps the hypervisor memory 0x7f000000-0x7fffffff")
    # the same output as with the system's YAML
    _, out, result = compile_text(tmp_path, CELL_YAML, "linux.yaml",
                                  "--system", system)
    assert result.returncode == 0, result.stderr
    by_yaml = tmp_path / "by-yaml.cell"
    assert run("compile", tmp_path / "linux.yaml", "--system", QEMU_SYSTEM,
               "-o", by_yaml).returncode == 0
    assert by_yaml.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("damage, message", [
    (lambda system, cell: cell, "a cell configuration, expected a system"),
    (lambda system, cell: system[:-8], "total_size"),
    (lambda system, cell: system[:8], "shorter than its header"),
])
def test_system_option_rejects_bad_compiled_systems(tmp_path, damage, message):
    system, cell = tmp_path / "system.cell", tmp_path / "cell.cell"
    assert run("compile", QEMU_SYSTEM, "-o", system).returncode == 0
    assert run("compile", QEMU_RTOS, "-o", cell).returncode == 0
    bad = tmp_path / "bad.cell"
    bad.write_bytes(damage(system.read_bytes(), cell.read_bytes()))
    _, out, result = compile_text(tmp_path, CELL_YAML, "linux.yaml",
                                  "--system", bad)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}: "), result.stderr
    assert message in result.stderr, result.stderr
    assert not out.exists()


# --- tests/make-fixtures.py --------------------------------------------------


def cell_names(data):
    count = u(data, "I", NUM_CELLS)
    return [data[o:o + 32].split(b"\0")[0].decode()
            for o in (ROOT + i * CELL_SIZE for i in range(count + 1))]


def test_fixtures(tmp_path):
    system, _ = compile_qemu(tmp_path)
    out = tmp_path / "fixtures"
    result = subprocess.run([PYTHON, str(MAKE_FIXTURES),
                             str(tmp_path / "system.cell"), str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    opened = (out / "system-open.cell").read_bytes()
    assert cell_names(opened) == ["root", "rtos", "rogue"]
    assert final_cells(opened) == 0
    # the root and rtos exactly as in system.cell
    assert opened[ROOT:ROOT + 32] == system[ROOT:ROOT + 32]
    rogue = (out / "rogue.cell").read_bytes()
    assert rogue[HEADER_SIZE:HEADER_SIZE + 6] == b"rogue\0"
    assert u(rogue, "Q", HEADER_SIZE + CELL_CPUS) == 1 << 2
    assert (out / "rtos-open.cell").read_bytes() == \
        (tmp_path / "rtos.cell").read_bytes()
    differs = (out / "rtos-differs.cell").read_bytes()
    rtos = (tmp_path / "rtos.cell").read_bytes()
    assert differs[HEADER_SIZE:HEADER_SIZE + 5] == b"rtos\0"
    assert [i for i in range(len(rtos)) if rtos[i] != differs[i]] == \
        [HEADER_SIZE + CELL_CPUS]
    ghost = (out / "undeclared.cell").read_bytes()
    assert ghost[HEADER_SIZE:HEADER_SIZE + 6] == b"ghost\0"
    assert "ghost" not in cell_names(system) + cell_names(opened)
    for name in ("bad-magic", "bad-version", "overlap-hv", "misaligned",
                 "truncated"):
        assert (out / f"{name}.cell").exists()
    # the hostile suite's system: rtos, hostile, hostile_fail; never sealed
    hostile = (out / "system-hostile.cell").read_bytes()
    assert cell_names(hostile) == ["root", "rtos", "hostile", "hostile_fail"]
    assert final_cells(hostile) == 0
    # the platform and the root as in system.cell (all but where the
    # root's regions are: after three declared cells instead of two)
    assert hostile[SYSTEM:NUM_CELLS] == system[SYSTEM:NUM_CELLS]
    assert struct.unpack_from("<II", hostile, NUM_CELLS) == (3, 0)
    regions = ROOT + CELL_REGIONS
    assert hostile[ROOT:regions] + hostile[regions + 4:ROOT + CELL_SIZE] == \
        system[ROOT:regions] + system[regions + 4:ROOT + CELL_SIZE]
    assert u(hostile, "I", regions) == ROOT + 4 * CELL_SIZE
    assert (out / "rtos-hostile.cell").read_bytes() == \
        (tmp_path / "rtos.cell").read_bytes()
    cells = {}
    for name, cpu in (("hostile", 2), ("hostile_fail", 1)):
        data = (out / f"{name}.cell").read_bytes()
        assert data[HEADER_SIZE:HEADER_SIZE + len(name) + 1] == \
            name.encode() + b"\0"
        assert u(data, "Q", HEADER_SIZE + CELL_CPUS) == 1 << cpu
        cells[name] = data
    assert stream_ids(cells["hostile"], HEADER_SIZE) == [0x10]
    assert pci_devices(cells["hostile"], HEADER_SIZE) == [0x0010]  # 00:02.0
    assert u(cells["hostile"], "I", HEADER_SIZE + CELL_FLAGS) == FAULT_ABORT
    assert stream_ids(cells["hostile_fail"], HEADER_SIZE) == []
    assert u(cells["hostile_fail"], "I", HEADER_SIZE + CELL_FLAGS) == 0
    # the shipped system, never sealed; nothing else changed
    final = NUM_CELLS + 4
    data = (out / "system-open-linux.cell").read_bytes()
    assert cell_names(data) == ["root", "rtos", "linux"]
    assert final_cells(data) == 0
    assert data[:final] + data[final + 4:] == \
        system[:final] + system[final + 4:]


def test_linux_fixtures(tmp_path):
    """The broken linux cells differ from build/linux.cell only where meant."""
    compile_qemu(tmp_path)
    out = tmp_path / "fixtures"
    result = subprocess.run([PYTHON, str(MAKE_FIXTURES),
                             str(tmp_path / "system.cell"), str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    good = (tmp_path / "linux.cell").read_bytes()
    regions = HEADER_SIZE + CELL_SIZE

    bad = (out / "linux-unaligned.cell").read_bytes()
    assert len(bad) == len(good)
    assert [i for i in range(len(good)) if good[i] != bad[i]] == [regions + 1]
    assert region(bad, regions, 0)[0] == 0x70000800

    bad = (out / "linux-overlap.cell").read_bytes()
    assert u(bad, "I", HEADER_SIZE + CELL_NREGIONS) == 4
    assert region(bad, regions, 0) == region(good, regions, 0)
    assert region(bad, regions, 1) == \
        (0x78000000, 0x44000000, 0x4000000, 0b10111)
    assert bad[regions + 2 * REGION_SIZE:] == good[regions + REGION_SIZE:]

    bad = (out / "linux-overlap-hv.cell").read_bytes()
    assert region(bad, regions, 0) == \
        (0x70000000, 0x40000000, 0xF100000, 0b10111)


# The validator the hypervisor and havenctl run, on the fixtures: the rule
# (enum haven_cfg_err), the cell and the region it reports.
CHECKER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <config_check.h>

#define NAME(name, text) #name,
static const char *const names[] = { HAVEN_CFG_ERRORS(NAME) };

static void *slurp(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;

	if (!f || fseek(f, 0, SEEK_END) || (*size = ftell(f)) < 0)
		exit(2);
	rewind(f);
	buf = malloc((size_t)*size + 1);
	if (!buf || fread(buf, 1, (size_t)*size, f) != (size_t)*size)
		exit(2);
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct haven_cfg_result res = { 0 };
	long sys_size, size;
	void *sys = slurp(argv[1], &sys_size), *cfg;

	if (haven_check_system(sys, (hv_u64)sys_size, &res) == 0 && argc > 2) {
		cfg = slurp(argv[2], &size);
		haven_check_cell(cfg, (hv_u64)size, haven_cfg_system(sys), &res);
	}
	printf("%s %d %d 0x%llx\n", names[res.code], res.cell, res.region,
	       (unsigned long long)res.value);
	return 0;
}
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    """hypervisor/config_check.c built for the host, or skip."""
    d = tmp_path_factory.mktemp("checker")
    (d / "checker.c").write_text(CHECKER)
    try:
        result = subprocess.run(
            ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror",
             f"-I{REPO / 'include'}", f"-I{REPO / 'hypervisor' / 'include'}",
             str(d / "checker.c"), str(REPO / "hypervisor" / "config_check.c"),
             str(REPO / "hypervisor" / "config_check_sched.c"),
             str(REPO / "hypervisor" / "config_check_subpage.c"),
             "-o", str(d / "checker")],
            capture_output=True, text=True, check=False)
    except FileNotFoundError:
        pytest.skip("no C compiler (cc)")
    assert result.returncode == 0, result.stderr
    return d / "checker"


def validate(checker, *files):
    result = subprocess.run([str(checker), *map(str, files)],
                            capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_validator_on_qemu_configs_and_fixtures(tmp_path, checker):
    compile_qemu(tmp_path)
    out = tmp_path / "fixtures"
    subprocess.run([PYTHON, str(MAKE_FIXTURES), str(tmp_path / "system.cell"),
                    str(out)], check=True, capture_output=True)
    system = tmp_path / "system.cell"
    for cell in ("rtos", "linux"):
        assert validate(checker, system, tmp_path / f"{cell}.cell")[0] == "OK"
    for name in ("system-open", "system-open-linux"):
        assert validate(checker, out / f"{name}.cell")[0] == "OK"
    for cell in ("rtos-open", "rogue"):
        assert validate(checker, out / "system-open.cell",
                        out / f"{cell}.cell")[0] == "OK"
    for cell in ("rtos", "linux"):
        assert validate(checker, out / "system-open-linux.cell",
                        tmp_path / f"{cell}.cell")[0] == "OK"
    assert validate(checker, out / "system-hostile.cell")[0] == "OK"
    for cell in ("rtos-hostile", "hostile", "hostile_fail"):
        assert validate(checker, out / "system-hostile.cell",
                        out / f"{cell}.cell")[0] == "OK"
    # the temporal tests' system, CPU 3 shared
    assert validate(checker, out / "system-temporal.cell")[0] == "OK"
    for cell in ("rtos-shared", "linux-shared"):
        assert validate(checker, out / "system-temporal.cell",
                        out / f"{cell}.cell")[0] == "OK"
    # the next format version
    assert validate(checker, out / "bad-version.cell") == \
        ["VERSION", "-1", "-1", "0x4"]
    assert validate(checker, system, out / "linux-unaligned.cell") == \
        ["REGION_ALIGN", "1", "0", "0x70000800"]
    assert validate(checker, system, out / "linux-overlap.cell") == \
        ["REGION_OVERLAP", "1", "1", "0x78000000"]
    assert validate(checker, system, out / "linux-overlap-hv.cell") == \
        ["REGION_HV", "1", "0", "0x70000000"]


# --- SMMU, PCI ECAM, stream IDs, PCI devices, SMCs -------------------------

DEVICE_SYSTEM_YAML = edit(edit(
    SYSTEM_YAML, "    debug_console: {type: pl011, phys: 0x09000000}\n",
    "    debug_console: {type: pl011, phys: 0x09000000}\n"
    "    smmu: {phys: 0x09050000, size: 0x20000, event_irq: 106,"
    " gerror_irq: 109}\n"
    "    pci:\n"
    "      ecam: {phys: 0x3f000000, size: 0x1000000}\n"),
    'irqs: ["0-287"]', 'irqs: ["0-105", "110-287"]')

DEVICE_CELL_YAML = edit(CELL_YAML, "  irqs:", """\
  stream_ids: [0x20, 0]
  pci_devices:
    - {bdf: "00:01.0", stream_id: 0x8}
    - {bdf: "0f:1f.7"}
    - bdf: "00:02.1"
      stream_id: 0xff
  smc_allow: [0x82000001, 0xc2000010]
  irqs:""")


def test_platform_devices_binary(tmp_path):
    _, out, result = compile_text(tmp_path, DEVICE_SYSTEM_YAML)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert struct.unpack_from("<QQIIQQ", data, PLATFORM + PLATFORM_SMMU) == \
        (0x09050000, 0x20000, 106, 109, 0x3F000000, 0x1000000)
    assert u(data, "I", NUM_CELLS) == 0  # the counts follow the platform
    # without them: all zero
    _, out, result = compile_text(tmp_path, SYSTEM_YAML)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[PLATFORM + PLATFORM_SMMU:NUM_CELLS] == bytes(40)


def test_cell_devices_binary(tmp_path):
    _, out, result = compile_text(tmp_path, DEVICE_CELL_YAML, "linux.yaml",
                                  "--system", write(tmp_path, "sys.yaml",
                                                    DEVICE_SYSTEM_YAML))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    cell = HEADER_SIZE
    # stream_ids first, then the pci_devices' stream_id in their order
    assert struct.unpack_from("<I8I", data, cell + CELL_NSTREAMS) == \
        (4, 0x20, 0, 0x8, 0xFF, 0, 0, 0, 0)
    # bus << 8 | device << 3 | function
    assert struct.unpack_from("<I8H", data, cell + CELL_NPCI) == \
        (3, 0x0008, 0x0FFF, 0x0011, 0, 0, 0, 0, 0)
    assert struct.unpack_from("<I4II", data, cell + CELL_NSMCS) == \
        (2, 0x82000001, 0xC2000010, 0, 0, 0)
    # the regions follow the 280-byte cell
    assert u(data, "I", cell + CELL_REGIONS) == HEADER_SIZE + 280
    assert len(data) == HEADER_SIZE + 280 + 2 * REGION_SIZE


def test_cell_devices_in_system(tmp_path):
    text = with_cells(tmp_path, ("linux.yaml", DEVICE_CELL_YAML))
    text = edit(text, "    memory:\n", "    stream_ids: [0x30]\n    memory:\n")
    text = edit(text, SYSTEM_YAML.split("  root:")[0],
                DEVICE_SYSTEM_YAML.split("  root:")[0])
    text = edit(text, 'irqs: ["0-287"]', 'irqs: ["0-105", "110-287"]')
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert stream_ids(data, ROOT) == [0x30]
    assert pci_devices(data, ROOT) == [] and smcs(data, ROOT) == []
    linux = ROOT + CELL_SIZE
    assert stream_ids(data, linux) == [0x20, 0, 0x8, 0xFF]
    assert pci_devices(data, linux) == [0x0008, 0x0FFF, 0x0011]
    assert smcs(data, linux) == [0x82000001, 0xC2000010]
    # the cell compiled on its own equals its declaration
    cell = tmp_path / "linux.cell"
    assert run("compile", tmp_path / "linux.yaml", "--system", out,
               "-o", cell).returncode == 0
    assert cell.read_bytes()[HEADER_SIZE + CELL_NSTREAMS:
                             HEADER_SIZE + CELL_SIZE] == \
        data[linux + CELL_NSTREAMS:linux + CELL_SIZE]


def test_cell_devices_alone(tmp_path):
    # without --system: the format's limits (256 buses, an SMMU assumed)
    cell = edit(DEVICE_CELL_YAML, '"0f:1f.7"', '"ff:1f.7"')
    _, out, result = compile_text(tmp_path, cell, "linux.yaml")
    assert result.returncode == 0, result.stderr
    assert pci_devices(out.read_bytes(), HEADER_SIZE)[1] == 0xFFFF


def test_dump_devices(tmp_path):
    _, out, result = compile_text(tmp_path, DEVICE_CELL_YAML, "linux.yaml")
    assert result.returncode == 0, result.stderr
    dump = run("dump", out)
    assert dump.returncode == 0, dump.stderr
    assert "  stream ids: 0x20, 0x0, 0x8, 0xff\n" in dump.stdout
    assert "  pci devices: 00:01.0, 0f:1f.7, 00:02.1\n" in dump.stdout
    assert "  smc allow: 0x82000001, 0xc2000010\n" in dump.stdout
    assert "reserved" not in dump.stdout
    # a declared cell without any; the root shows only its stream IDs
    _, out, _ = compile_text(tmp_path, with_cells(
        tmp_path, ("rtos.yaml", OTHER_CELL_YAML)))
    dump = run("dump", out).stdout
    root, rtos = dump.split("cell 1: rtos")
    assert "stream ids: none" in root and "pci devices" not in root
    assert "pci devices: none" in rtos and "smc allow: none" in rtos
    assert "smmu: none" in root and "pci ecam: none" in root
    # slots beyond the count are shown
    data = bytearray(out.read_bytes())
    struct.pack_into("<I", data, ROOT + CELL_SIZE + CELL_PCI, 0x0008)
    out.write_bytes(data)
    assert "reserved fields or unused slots not zero: 0x8" in \
        run("dump", out).stdout


# (test id, old text, new text, marker on the reported line, words in message)
PLATFORM_DEVICE_RULES = [
    ("smmu-unknown-key", "gerror_irq: 109}", "gerror_irq: 109, priq: 107}",
     "smmu:", ["platform.smmu: unknown key 'priq'"]),
    ("smmu-missing-irq", ", gerror_irq: 109}", "}",
     "smmu:", ["platform.smmu: missing required field 'gerror_irq'"]),
    ("smmu-size-zero", "size: 0x20000,", "size: 0,",
     "smmu:", ["platform.smmu: size is zero"]),
    ("smmu-unaligned", "phys: 0x09050000,", "phys: 0x09050800,",
     "smmu:", ["platform.smmu: phys 0x9050800 is not 4 KiB-aligned"]),
    ("smmu-size-unaligned", "size: 0x20000,", "size: 0x20800,",
     "smmu:", ["platform.smmu: size 0x20800 is not 4 KiB-aligned"]),
    ("smmu-beyond-pa", "phys: 0x09050000,", "phys: 0xfffffffff0000,",
     "smmu:", ["platform.smmu: phys 0xfffffffff0000-0x1000000000ffff",
               "beyond the 48-bit space"]),
    ("smmu-over-hypervisor", "phys: 0x09050000,", "phys: 0x7fff0000,",
     "smmu:", ["platform.smmu: phys 0x7fff0000-0x8000ffff overlaps the "
               "hypervisor memory 0x7f000000-0x7fffffff"]),
    ("smmu-over-gicd", "phys: 0x09050000,", "phys: 0x07ff0000,",
     "smmu:", ["platform.smmu: phys 0x7ff0000-0x800ffff overlaps the GIC "
               "distributor (platform.gic.distributor) 0x8000000-0x800ffff"]),
    ("smmu-event-ppi", "event_irq: 106", "event_irq: 27",
     "smmu:", ["platform.smmu: event_irq 27 is not an SPI of the platform "
               "(INTIDs 32-287)"]),
    ("smmu-gerror-beyond", "gerror_irq: 109", "gerror_irq: 288",
     "smmu:", ["platform.smmu: gerror_irq 288 is not an SPI of the platform "
               "(INTIDs 32-287)"]),
    ("smmu-irq-string", "gerror_irq: 109", "gerror_irq: \"109\"",
     "smmu:", ["platform.smmu: gerror_irq must be an integer"]),
    ("smmu-same-irqs", "gerror_irq: 109", "gerror_irq: 106",
     "smmu:", ["platform.smmu: gerror_irq 106 is also event_irq"]),
    ("pci-unknown-key", "    pci:\n", "    pci:\n      io: 1\n",
     "io: 1", ["platform.pci: unknown key 'io' (allowed: ecam)"]),
    ("pci-missing-ecam", "    pci:\n      ecam: {phys: 0x3f000000, size: "
     "0x1000000}\n", "    pci: {}\n",
     "pci: {}", ["platform.pci: missing required field 'ecam'"]),
    ("ecam-unaligned", "{phys: 0x3f000000,", "{phys: 0x3f080000,",
     "ecam:", ["platform.pci.ecam: phys 0x3f080000 is not 1 MiB-aligned"]),
    ("ecam-size-zero", "0x3f000000, size: 0x1000000}", "0x3f000000, size: 0}",
     "ecam:", ["platform.pci.ecam: size is zero"]),
    ("ecam-partial-bus", "0x3f000000, size: 0x1000000}",
     "0x3f000000, size: 0x1080000}",
     "ecam:", ["platform.pci.ecam: size 0x1080000 is not a multiple of "
               "1 MiB"]),
    ("ecam-257-buses", "{phys: 0x3f000000, size: 0x1000000}",
     "{phys: 0x100000000, size: 0x10100000}",
     "ecam:", ["platform.pci.ecam: size 0x10100000 is 257 buses, at most "
               "256"]),
    ("ecam-beyond-pa", "{phys: 0x3f000000,", "{phys: 0xffffffff00000,",
     "ecam:", ["platform.pci.ecam: phys 0xffffffff00000-0x10000000efffff",
               "beyond the 48-bit space"]),
    ("ecam-over-smmu", "{phys: 0x3f000000,", "{phys: 0x09000000,",
     "ecam:", ["platform.pci.ecam: phys 0x9000000-0x9ffffff overlaps the "
               "SMMU (platform.smmu) 0x9050000-0x906ffff"]),
    ("ecam-over-hypervisor", "{phys: 0x3f000000,", "{phys: 0x7f000000,",
     "ecam:", ["platform.pci.ecam: phys 0x7f000000-0x7fffffff overlaps the "
               "hypervisor memory"]),
    ("ecam-over-gicd", "{phys: 0x3f000000,", "{phys: 0x08000000,",
     "ecam:", ["platform.pci.ecam: phys 0x8000000-0x8ffffff overlaps the "
               "GIC distributor"]),
    ("root-over-gicd", "    irqs: [\"0-105\"",
     "      - {name: gicd, phys: 0x0800f000, size: 0x1000, flags: [read]}\n"
     "    irqs: [\"0-105\"",
     "name: gicd", ["root.memory[2] (gicd): phys 0x800f000-0x800ffff "
                    "overlaps the GIC distributor 0x8000000-0x800ffff "
                    "(platform.gic.distributor), which Haven emulates: no "
                    "cell may map it"]),
    ("root-over-smmu", "    irqs: [\"0-105\"",
     "      - {name: smmu, phys: 0x09060000, size: 0x20000, flags: [read]}\n"
     "    irqs: [\"0-105\"",
     "name: smmu", ["root.memory[2] (smmu): phys 0x9060000-0x907ffff "
                    "overlaps the SMMU 0x9050000-0x906ffff (platform.smmu), "
                    "which Haven owns"]),
    ("root-over-ecam", "    irqs: [\"0-105\"",
     "      - {name: pcie-ecam, phys: 0x3f000000, size: 0x1000000, "
     "flags: [read, write, io]}\n    irqs: [\"0-105\"",
     "name: pcie-ecam", ["root.memory[2] (pcie-ecam): phys "
                         "0x3f000000-0x3fffffff overlaps the PCI ECAM "
                         "0x3f000000-0x3fffffff (platform.pci.ecam), which "
                         "Haven emulates"]),
    ("root-owns-smmu-event", 'irqs: ["0-105", "110-287"]',
     'irqs: ["0-106", "110-287"]', "0-106",
     ["root: irqs: INTID 106 is the SMMU's event_irq (platform.smmu), which "
      "Haven uses itself: no cell may own it"]),
    ("root-owns-smmu-gerror", 'irqs: ["0-105", "110-287"]',
     'irqs: ["0-105", "109-287"]', "109-287",
     ["root: irqs: INTID 109 is the SMMU's gerror_irq (platform.smmu)"]),
    ("root-pci-devices", "    irqs: [\"0-105\"",
     "    pci_devices: []\n    irqs: [\"0-105\"", "pci_devices",
     ["root: pci_devices is not allowed in the root cell (it reaches every "
      "PCI function that no created cell owns)"]),
    ("root-stream-out-of-range", "    irqs: [\"0-105\"",
     "    stream_ids: [0x100]\n    irqs: [\"0-105\"", "stream_ids",
     ["root: stream_ids: stream ID 0x100 is outside Haven's SMMU stream "
      "table (stream IDs 0x0-0xff)"]),
]


@pytest.mark.parametrize("old, new, marker, words",
                         [rule[1:] for rule in PLATFORM_DEVICE_RULES],
                         ids=[rule[0] for rule in PLATFORM_DEVICE_RULES])
def test_platform_device_rule(tmp_path, old, new, marker, words):
    text = edit(DEVICE_SYSTEM_YAML, old, new)
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, marker), *words)
    assert not out.exists()


def test_platform_device_limits(tmp_path):
    # 256 buses; SPIs 32 and 287; neighbours of Haven's devices
    text = edit(DEVICE_SYSTEM_YAML, "{phys: 0x3f000000, size: 0x1000000}",
                "{phys: 0x100000000, size: 0x10000000}")
    text = edit(text, "event_irq: 106, gerror_irq: 109",
                "event_irq: 287, gerror_irq: 32")
    text = edit(text, 'irqs: ["0-105", "110-287"]', 'irqs: ["0-31", "33-286"]')
    text = edit(text, "    irqs: [\"0-31\"",
                "      - {name: a, phys: 0x08010000, size: 0x1000, "
                "flags: [read]}\n"
                "      - {name: b, phys: 0x09070000, size: 0x1000, "
                "flags: [read]}\n"
                "    irqs: [\"0-31\"")
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    assert struct.unpack_from("<QQIIQQ", out.read_bytes(),
                              PLATFORM + PLATFORM_SMMU) == \
        (0x09050000, 0x20000, 287, 32, 0x100000000, 0x10000000)


# Rules of a cell file compiled against DEVICE_SYSTEM_YAML (or, with
# "plain", SYSTEM_YAML: no SMMU, no PCI):
# (test id, system, old text, new text, marker, words in message)
CELL_DEVICE_RULES = [
    ("stream-out-of-range", "devices", "stream_ids: [0x20, 0]",
     "stream_ids: [0x20, 0x100]", "stream_ids",
     ["cell: stream_ids: stream ID 0x100 is outside Haven's SMMU stream "
      "table (stream IDs 0x0-0xff)"]),
    ("stream-negative", "devices", "stream_ids: [0x20, 0]",
     "stream_ids: [-1]", "stream_ids",
     ["cell: stream_ids entry -1 is outside 0..2^32-1"]),
    ("stream-not-integer", "devices", "stream_ids: [0x20, 0]",
     "stream_ids: [\"0x20\"]", "stream_ids",
     ["cell: stream_ids entry must be an integer, got string '0x20'"]),
    ("stream-twice", "devices", "stream_ids: [0x20, 0]",
     "stream_ids: [0x20, 0x20]", "stream_ids",
     ["cell: stream_ids: stream ID 0x20 is listed twice in the cell"]),
    ("pci-stream-twice", "devices", "stream_id: 0x8}", "stream_id: 0x20}",
     "stream_id: 0x20", ["cell.pci_devices[0] (00:01.0): stream_id 0x20 is "
                         "listed twice in the cell", "linux.yaml:"]),
    ("pci-stream-out-of-range", "devices", "stream_id: 0xff",
     "stream_id: 0x100", "stream_id: 0x100",
     ["cell.pci_devices[2] (00:02.1): stream_id 0x100 is outside Haven's "
      "SMMU stream table"]),
    ("too-many-streams", "devices", "stream_ids: [0x20, 0]",
     "stream_ids: [0x20, 0, 1, 2, 3, 4, 5]", "stream_id: 0xff",
     ["cell.pci_devices[2] (00:02.1): stream_id 0xff is one stream ID more "
      "than the maximum of 8 (stream_ids and the pci_devices' stream_id "
      "together)"]),
    ("stream-without-smmu", "plain", "stream_ids: [0x20, 0]",
     "stream_ids: [0x20]", "stream_ids",
     ["cell: stream_ids: stream ID 0x20 needs an SMMU, and the platform has "
      "none (platform.smmu)"]),
    ("pci-without-ecam", "plain", "  stream_ids: [0x20, 0]\n", "",
     '- {bdf: "00:01.0"', ["cell: pci_devices needs PCI, and the platform "
                           "has no ECAM (platform.pci)"]),
    ("bdf-unquoted", "devices", '{bdf: "00:01.0",', "{bdf: 00:01.0,",
     "bdf: 00:01.0", ["cell.pci_devices[0]: bdf must be a string "
                      "\"BB:DD.F\", got float '00:01.0' (quote it"]),
    ("bdf-syntax", "devices", '"0f:1f.7"', '"0:1f.7"', '"0:1f.7"',
     ["cell.pci_devices[1]: bdf '0:1f.7' is not \"BB:DD.F\""]),
    ("bdf-with-domain", "devices", '"0f:1f.7"', '"0000:0f:1f.7"', "0000:",
     ["cell.pci_devices[1]: bdf '0000:0f:1f.7' is not \"BB:DD.F\""]),
    ("bdf-device", "devices", '"0f:1f.7"', '"0f:20.0"', '"0f:20.0"',
     ["cell.pci_devices[1]: bdf '0f:20.0': device 0x20 is above 0x1f"]),
    ("bdf-function", "devices", '"0f:1f.7"', '"0f:1f.8"', '"0f:1f.8"',
     ["cell.pci_devices[1]: bdf '0f:1f.8': function 8 is above 7"]),
    ("bdf-bus-beyond-ecam", "devices", '"0f:1f.7"', '"10:00.0"', '"10:00.0"',
     ["cell.pci_devices[1] (10:00.0): bus 0x10 is outside the platform's "
      "ECAM (buses 0x00-0x0f, platform.pci.ecam)"]),
    ("pci-twice", "devices", '"00:02.1"', '"00:01.0"', '- bdf: "00:01.0"',
     ["cell.pci_devices[2] (00:01.0): PCI device 00:01.0 is listed twice in "
      "the cell"]),
    ("pci-unknown-key", "devices", '{bdf: "0f:1f.7"}',
     '{bdf: "0f:1f.7", bar: 0}', '"0f:1f.7"',
     ["cell.pci_devices[1]: unknown key 'bar' (allowed: bdf, stream_id)"]),
    ("pci-missing-bdf", "devices", '{bdf: "0f:1f.7"}', "{stream_id: 3}",
     "{stream_id: 3}", ["cell.pci_devices[1]: missing required field 'bdf'"]),
    ("too-many-pci", "devices", "  smc_allow:",
     "    - {bdf: \"00:03.0\"}\n    - {bdf: \"00:04.0\"}\n"
     "    - {bdf: \"00:05.0\"}\n    - {bdf: \"00:06.0\"}\n"
     "    - {bdf: \"00:07.0\"}\n    - {bdf: \"00:08.0\"}\n  smc_allow:",
     "00:08.0", ["cell: pci_devices has 9 entries, the maximum is 8"]),
    ("smc-psci", "devices", "0xc2000010]", "0x84000002]", "smc_allow",
     ["cell: smc_allow: 0x84000002 is a PSCI function (standard secure "
      "service, 0x84000000-0x84ffffff or 0xc4000000-0xc4ffffff), which "
      "Haven emulates: it cannot be forwarded to the firmware"]),
    ("smc-psci64", "devices", "0xc2000010]", "0xc4000003]", "smc_allow",
     ["cell: smc_allow: 0xc4000003 is a PSCI function"]),
    ("smc-standard-service", "devices", "0xc2000010]", "0x84000050]",
     "smc_allow", ["cell: smc_allow: 0x84000050 is a PSCI function"]),
    ("smc-arch", "devices", "0xc2000010]", "0x80000001]", "smc_allow",
     ["cell: smc_allow: 0x80000001 is an SMCCC architecture call "
      "(0x80000000-0x8000ffff), which Haven answers itself"]),
    ("smc-arch-last", "devices", "0xc2000010]", "0x8000ffff]", "smc_allow",
     ["cell: smc_allow: 0x8000ffff is an SMCCC architecture call"]),
    ("smc-haven", "devices", "0xc2000010]", "0xc6000001]", "smc_allow",
     ["cell: smc_allow: 0xc6000001 is in Haven's hypercall range "
      "(0xc6000000-0xc6ffffff)"]),
    ("smc-psci01-qemu", "devices", "0xc2000010]", "0x95c1ba60]", "smc_allow",
     ["cell: smc_allow: 0x95c1ba60 is a PSCI 0.1 function of QEMU and KVM "
      "(0x95c1ba5e-0x95c1ba61: CPU_SUSPEND, CPU_OFF, CPU_ON, MIGRATE), "
      "which would bypass Haven's PSCI: it cannot be forwarded to the "
      "firmware"]),
    ("smc-psci01-qemu-first", "devices", "0xc2000010]", "0x95c1ba5e]",
     "smc_allow", ["cell: smc_allow: 0x95c1ba5e is a PSCI 0.1 function"]),
    ("smc-psci01-qemu-last", "devices", "0xc2000010]", "0x95c1ba61]",
     "smc_allow", ["cell: smc_allow: 0x95c1ba61 is a PSCI 0.1 function"]),
    ("smc-twice", "devices", "0xc2000010]", "0x82000001]", "smc_allow",
     ["cell: smc_allow: 0x82000001 is listed twice"]),
    ("too-many-smcs", "devices", "0xc2000010]", "2, 3, 4, 5]", "smc_allow",
     ["cell: smc_allow has 5 entries, the maximum is 4"]),
    ("smc-above-32-bits", "devices", "0xc2000010]", "0x100000000]",
     "smc_allow", ["cell: smc_allow entry 4294967296 is outside 0..2^32-1"]),
    ("cell-owns-smmu-irq", "devices", 'irqs: [33, "64-95"]',
     'irqs: [33, "64-95", "100-110"]', "irqs:",
     ["cell: irqs: INTID 106 is the SMMU's event_irq (platform.smmu)"]),
    ("cell-over-smmu", "devices",
     "{name: uart, phys: 0x09000000, size: 0x1000,",
     "{name: uart, phys: 0x09000000, size: 0x60000,", "name: uart",
     ["cell.memory[1] (uart): phys 0x9000000-0x905ffff overlaps the SMMU "
      "0x9050000-0x906ffff (platform.smmu), which Haven owns"]),
    ("cell-over-gicd-plain", "plain", "{name: uart, phys: 0x09000000,",
     "{name: uart, phys: 0x08000000,", "name: uart",
     ["cell.memory[1] (uart): phys 0x8000000-0x8000fff overlaps the GIC "
      "distributor"]),
]


@pytest.mark.parametrize("system, old, new, marker, words",
                         [rule[1:] for rule in CELL_DEVICE_RULES],
                         ids=[rule[0] for rule in CELL_DEVICE_RULES])
def test_cell_device_rule(tmp_path, system, old, new, marker, words):
    system_text = DEVICE_SYSTEM_YAML if system == "devices" else SYSTEM_YAML
    sys_yaml = write(tmp_path, "sys.yaml", system_text)
    text = edit(DEVICE_CELL_YAML, old, new)
    src, out, result = compile_text(tmp_path, text, "linux.yaml",
                                    "--system", sys_yaml)
    assert_error(result, src, line_of(text, marker), *words)
    assert not out.exists()
    # the same against the compiled system
    compiled = tmp_path / "sys.cell"
    assert run("compile", sys_yaml, "-o", compiled).returncode == 0
    _, _, again = compile_text(tmp_path, text, "linux.yaml",
                               "--system", compiled)
    assert again.stderr == result.stderr


def device_cells(tmp_path, first, second):
    """A DEVICE_SYSTEM_YAML declaring linux.yaml FIRST and rtos.yaml SECOND."""
    text = with_cells(tmp_path, ("linux.yaml", first), ("rtos.yaml", second))
    text = edit(text, SYSTEM_YAML.split("  root:")[0],
                DEVICE_SYSTEM_YAML.split("  root:")[0])
    return edit(text, 'irqs: ["0-287"]', 'irqs: ["0-105", "110-287"]')


@pytest.mark.parametrize("addition, marker, words", [
    ("  stream_ids: [0x8]\n", "stream_ids",
     ["cell: stream ID 0x8 is also in cell 'linux'", "linux.yaml:"]),
    ("  pci_devices: [{bdf: \"00:03.0\", stream_id: 0xff}]\n", "pci_devices",
     ["cell: stream ID 0xff is also in cell 'linux'"]),
    ("  pci_devices:\n    - {bdf: \"00:01.0\"}\n", "00:01.0",
     ["cell: pci_devices: PCI device 00:01.0 is also in cell 'linux'",
      "linux.yaml:"]),
])
def test_devices_in_two_declared_cells(tmp_path, addition, marker, words):
    other = OTHER_CELL_YAML + addition
    text = device_cells(tmp_path, DEVICE_CELL_YAML, other)
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, marker),
                 *words)
    assert not out.exists()


def test_stream_of_root_and_cell(tmp_path):
    text = device_cells(tmp_path, DEVICE_CELL_YAML, OTHER_CELL_YAML)
    text = edit(text, "    memory:\n", "    stream_ids: [0x8]\n    memory:\n")
    _, _, result = compile_text(tmp_path, text)
    assert_error(result, tmp_path / "linux.yaml",
                 line_of(DEVICE_CELL_YAML, "stream_id: 0x8"),
                 "cell: stream ID 0x8 is also in cell 'root'",
                 f"{tmp_path / 'system.yaml'}:{line_of(text, '[0x8]')}")


def test_devices_and_smcs_may_repeat_elsewhere(tmp_path):
    # the same SMC in two cells; other functions of the same device
    other = OTHER_CELL_YAML + "  smc_allow: [0x82000001]\n" + \
        "  pci_devices:\n    - {bdf: \"00:01.1\", stream_id: 0x9}\n"
    text = device_cells(tmp_path, DEVICE_CELL_YAML, other)
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    rtos = ROOT + 2 * CELL_SIZE
    assert pci_devices(out.read_bytes(), rtos) == [0x0009]
    assert smcs(out.read_bytes(), rtos) == [0x82000001]


def test_qemu_root_leaves_smmu_irqs_and_ecam(tmp_path):
    system, _ = compile_qemu(tmp_path)
    assert not irq_bits(system, ROOT) & {106, 107, 108, 109}
    # the edu's BAR is the root's until the rtos cell is created
    bar = region(system, u(system, "I", ROOT + CELL_SIZE + CELL_REGIONS), 2)
    pcie_mmio = region(system, ROOT + 3 * CELL_SIZE, 8)
    assert pcie_mmio[0] <= bar[0] and \
        bar[0] + bar[2] <= pcie_mmio[0] + pcie_mmio[2]
    assert pci_devices(system, ROOT) == [] and stream_ids(system, ROOT) == []


# --- sched: CPUs that declared cells share -------------------------------------

# rtos and linux share CPU 3 (the root's CPUs do not count); rtos has
# priority 2 and 20% of it, linux priority 1 and 80%
SHARED_RTOS = """\
cell:
  name: rtos
  cpus: [3]
  memory:
    - {name: ram, phys: 0x70000000, size: 0x100000, flags: [read, write, exec]}
  irqs: [40]
  sched: {budget_us: 2000, period_us: 10000, priority: 2}
"""

SHARED_LINUX = """\
cell:
  name: linux
  cpus: [2, 3]
  memory:
    - {name: ram, phys: 0x60000000, virt: 0x40000000, size: 0x10000000, flags: [read, write, exec, loadable]}
  irqs: [33]
  sched:
    budget_us: 8000
    period_us: 10000
    priority: 1
"""

SHARED_REPORT = """\
CPU 3: shared by rtos, linux
CPU 3: rtos: priority 2, budget 2000 us / period 10000 us: share 20.0%, delay bound 16000 us
CPU 3: rtos: response of a job needing C us <= C + (ceil(C/2000)+1)*8000 us
CPU 3: linux: priority 1, budget 8000 us / period 10000 us: share 80.0%, delay bound 4000 us
CPU 3: linux: response of a job needing C us <= C + (ceil(C/8000)+1)*2000 us
"""


def shared_system(tmp_path, rtos=SHARED_RTOS, linux=SHARED_LINUX):
    """Compile a SYSTEM_YAML declaring RTOS then LINUX; result, output."""
    return compile_cells(tmp_path, ("rtos.yaml", rtos), ("linux.yaml", linux))


def test_sched_binary_and_report(tmp_path):
    result, out = shared_system(tmp_path)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    rtos, linux = ROOT + CELL_SIZE, ROOT + 2 * CELL_SIZE
    assert sched(data, ROOT) == (0, 0, 0, 0)
    assert sched(data, rtos) == (2000, 10000, 2, 0)
    assert sched(data, linux) == (8000, 10000, 1, 0)
    # the guarantees of the shared CPU, on stdout; nothing on stderr
    assert result.stdout == SHARED_REPORT
    assert result.stderr == ""


def test_sched_cell_alone_equals_declaration(tmp_path):
    _, system, result = compile_text(
        tmp_path, with_cells(tmp_path, ("rtos.yaml", SHARED_RTOS),
                             ("linux.yaml", SHARED_LINUX)))
    assert result.returncode == 0, result.stderr
    data = system.read_bytes()
    for name, cell in (("rtos", ROOT + CELL_SIZE),
                       ("linux", ROOT + 2 * CELL_SIZE)):
        # alone (the format's limits) and against the compiled system: the
        # sched is packed as written, and a cell file prints nothing
        for extra in ((), ("--system", system)):
            out = tmp_path / f"{name}.cell"
            result = run("compile", tmp_path / f"{name}.yaml", "-o", out,
                         *extra)
            assert result.returncode == 0, result.stderr
            assert result.stdout == ""
            alone = out.read_bytes()
            assert sched(alone, HEADER_SIZE) == sched(data, cell)
            assert alone[HEADER_SIZE + CELL_NSTREAMS:
                         HEADER_SIZE + CELL_SIZE] == \
                data[cell + CELL_NSTREAMS:cell + CELL_SIZE]


def test_sched_best_effort(tmp_path):
    rtos = edit(SHARED_RTOS, "budget_us: 2000", "budget_us: 0")
    result, out = shared_system(tmp_path, rtos=rtos)
    assert result.returncode == 0, result.stderr
    assert sched(out.read_bytes(), ROOT + CELL_SIZE) == (0, 10000, 2, 0)
    assert "CPU 3: rtos: priority 2, budget 0 us / period 10000 us: slack " \
        "only, no guarantee\n" in result.stdout
    assert "rtos: response" not in result.stdout
    # it takes nothing from linux's guarantee: linux may have all of it
    linux = edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 10000")
    result, _ = shared_system(tmp_path, rtos=rtos, linux=linux)
    assert result.returncode == 0, result.stderr
    assert "CPU 3: linux: priority 1, budget 10000 us / period 10000 us: " \
        "share 100.0%, delay bound 0 us\n" in result.stdout


def test_sched_dump(tmp_path):
    _, out = shared_system(tmp_path)
    dump = run("dump", out)
    assert dump.returncode == 0, dump.stderr
    assert "  sched: priority 2, budget 2000 us / period 10000 us\n" in \
        dump.stdout
    root = dump.stdout.split("root cell: root")[1].split("cell 1: rtos")[0]
    assert "sched" not in root
    assert "shared CPUs:\n" + "".join(
        f"  {line}\n" for line in SHARED_REPORT.splitlines()) in dump.stdout
    assert dump.stdout.splitlines()[-1].startswith("final layout:")
    # a cell without one, and a system without shared CPUs
    _, out, _ = compile_text(tmp_path, with_cells(
        tmp_path, ("other.yaml", OTHER_CELL_YAML)))
    dump = run("dump", out).stdout
    assert "  sched: none (no shared CPU)\n" in dump
    assert "shared CPUs: none\n" in dump
    # best effort; a reserved field that is not 0
    _, cell, _ = compile_text(tmp_path, edit(SHARED_RTOS, "budget_us: 2000",
                                             "budget_us: 0"), "rtos.yaml")
    assert "sched: priority 2, best effort, budget 0 us / period 10000 us" \
        in run("dump", cell).stdout
    data = bytearray(cell.read_bytes())
    struct.pack_into("<I", data, HEADER_SIZE + CELL_SCHED + 12, 7)
    cell.write_bytes(data)
    assert "reserved fields or unused slots not zero: 0x7" in \
        run("dump", cell).stdout


# Rules of a cell's sched on its own, compiled alone: (test id, old text of
# SHARED_LINUX, new text, marker, words)
SCHED_CELL_RULES = [
    ("period-zero", "period_us: 10000", "period_us: 0", "period_us",
     ["cell.sched: period_us 0 is outside 1-1000000 us "
      "(HAVEN_SCHED_MAX_PERIOD_US; a best-effort cell has budget_us 0 and a "
      "period too)"]),
    ("period-too-long", "period_us: 10000", "period_us: 1000001", "period_us",
     ["cell.sched: period_us 1000001 is outside 1-1000000 us"]),
    ("budget-below-minimum", "budget_us: 8000", "budget_us: 99", "budget_us",
     ["cell.sched: budget_us 99 is below the minimum of 100 us "
      "(HAVEN_SCHED_MIN_BUDGET_US; 0 makes the cell best effort)"]),
    ("budget-above-period", "budget_us: 8000", "budget_us: 10001",
     "budget_us", ["cell.sched: budget_us 10001 is more than period_us "
                   "10000: a cell gets at most its whole period"]),
    ("priority-zero", "priority: 1", "priority: 0", "priority",
     ["cell.sched: priority 0 is outside 1-255 (the higher runs first)"]),
    ("priority-too-high", "priority: 1", "priority: 256", "priority",
     ["cell.sched: priority 256 is outside 1-255"]),
    ("budget-negative", "budget_us: 8000", "budget_us: -1", "budget_us",
     ["cell.sched: budget_us -1 is outside 0..2^32-1"]),
    ("budget-string", "budget_us: 8000", "budget_us: \"8000\"", "budget_us",
     ["cell.sched: budget_us must be an integer, got string '8000'"]),
    # a message about a mapping points at its first line
    ("missing-priority", "    priority: 1\n", "", "budget_us",
     ["cell.sched: missing required field 'priority'"]),
    ("unknown-key", "    priority: 1\n",
     "    priority: 1\n    deadline_us: 5000\n", "deadline_us",
     ["cell.sched: unknown key 'deadline_us' (allowed: budget_us, "
      "period_us, priority)"]),
    ("not-a-mapping", "  sched:\n    budget_us: 8000\n    period_us: 10000\n"
     "    priority: 1\n", "  sched: [8000, 10000, 1]\n", "sched:",
     ["cell.sched: expected a mapping, got a list"]),
]


@pytest.mark.parametrize("old, new, marker, words",
                         [rule[1:] for rule in SCHED_CELL_RULES],
                         ids=[rule[0] for rule in SCHED_CELL_RULES])
def test_sched_cell_rule(tmp_path, old, new, marker, words):
    text = edit(SHARED_LINUX, old, new)
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, marker), *words)
    assert not out.exists()
    # the same in a system
    result, out = shared_system(tmp_path, linux=text)
    assert_error(result, tmp_path / "linux.yaml", line_of(text, marker),
                 *words)


def test_sched_limits(tmp_path):
    text = edit(edit(edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 100"),
                     "period_us: 10000", "period_us: 1000000"),
                "priority: 1", "priority: 255")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr
    assert sched(out.read_bytes(), HEADER_SIZE) == (100, 1000000, 255, 0)
    text = edit(edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 1"),
                "period_us: 10000", "period_us: 1")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 1  # 1 us is below the minimum budget
    text = edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 10000")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr


def test_sched_not_in_root(tmp_path):
    text = edit(SYSTEM_YAML, "    irqs: [\"0-287\"]",
                "    sched: {budget_us: 1000, period_us: 10000, priority: 3}\n"
                "    irqs: [\"0-287\"]")
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "sched:"),
                 "root: sched is not allowed in the root cell (it is never "
                 "scheduled: a CPU is shared only by declared cells, which "
                 "the root hands its CPUs to)")
    assert not out.exists()


def test_sched_needed_on_shared_cpu(tmp_path):
    rtos = SHARED_RTOS.replace(
        "  sched: {budget_us: 2000, period_us: 10000, priority: 2}\n", "")
    result, out = shared_system(tmp_path, rtos=rtos)
    assert_error(result, tmp_path / "rtos.yaml", line_of(rtos, "cpus:"),
                 "cell: cpus: CPU 3 is shared with cell 'linux' "
                 f"({tmp_path / 'linux.yaml'}:{line_of(SHARED_LINUX, 'cpus:')})"
                 ": a cell on a shared CPU needs sched: {budget_us, "
                 "period_us, priority}")
    assert not out.exists()


def test_sched_without_shared_cpu(tmp_path):
    # linux keeps CPU 2 only: rtos's CPU 3 is its own, and so is CPU 2
    linux = edit(SHARED_LINUX, "cpus: [2, 3]", "cpus: [2]")
    result, _ = shared_system(tmp_path, linux=linux)
    assert_error(result, tmp_path / "rtos.yaml", line_of(SHARED_RTOS, "sched"),
                 "cell.sched: no other declared cell lists any of the cell's "
                 "CPUs (3), so sched would have no effect: leave it out")
    # sharing a CPU with the root is no sharing: a cell declared alone
    result, _ = compile_cells(tmp_path, ("linux.yaml", SHARED_LINUX))
    assert_error(result, tmp_path / "linux.yaml",
                 line_of(SHARED_LINUX, "sched:"),
                 "cell.sched: no other declared cell lists any of the cell's "
                 "CPUs (2-3)")


def test_sched_priorities_differ(tmp_path):
    linux = edit(SHARED_LINUX, "priority: 1", "priority: 2")
    result, _ = shared_system(tmp_path, linux=linux)
    assert_error(result, tmp_path / "linux.yaml", line_of(linux, "priority"),
                 "cell.sched: priority 2 is also the priority of cell 'rtos' "
                 f"({tmp_path / 'rtos.yaml'}:{line_of(SHARED_RTOS, 'sched')})"
                 ", which shares CPU 3: the cells on a CPU need distinct "
                 "priorities")


def test_sched_same_priority_on_other_cpus(tmp_path):
    # a third cell with rtos's priority, sharing CPU 2 with linux only
    third = edit(edit(edit(SHARED_RTOS, "name: rtos", "name: third"),
                      "cpus: [3]", "cpus: [2]"), "0x70000000", "0x71000000")
    third = edit(third, "irqs: [40]", "irqs: [41]")
    linux = edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 7000")
    result, out = compile_cells(tmp_path, ("rtos.yaml", SHARED_RTOS),
                                ("linux.yaml", linux), ("third.yaml", third))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "CPU 2: shared by linux, third"
    assert "CPU 3: shared by rtos, linux\n" in result.stdout


def test_sched_budgets_over_the_cpu(tmp_path):
    linux = edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 9000")
    result, out = shared_system(tmp_path, linux=linux)
    assert_error(result, tmp_path / "linux.yaml", line_of(linux, "budget_us"),
                 "cell.sched: CPU 3: budgets add up to 110.0% (rtos 20.0% + "
                 "linux 90.0%), more than the CPU")
    assert not out.exists() and result.stdout == ""


def test_sched_budgets_exact(tmp_path):
    # 34% + 56% + 10% is the whole CPU, though not in floating point
    assert 3400 / 10000 + 5600 / 10000 + 1000 / 10000 > 1
    cells = []
    for i, (budget, name) in enumerate(((3400, "a"), (5600, "b"),
                                        (1000, "c"))):
        cells.append((f"{name}.yaml", edit(edit(edit(edit(
            SHARED_RTOS, "name: rtos", f"name: {name}"),
            "0x70000000", f"0x7{i}000000"), "irqs: [40]", f"irqs: [{40 + i}]"),
            "budget_us: 2000, period_us: 10000, priority: 2",
            f"budget_us: {budget}, period_us: 10000, priority: {3 - i}")))
    result, _ = compile_cells(tmp_path, *cells)
    assert result.returncode == 0, result.stderr
    # primes near 2^20: 1 + 1/(P1 P2 P3), which is 1.0 in floating point
    periods, budgets = (999983, 999979, 999959), (510408, 237495, 252073)
    assert sum(b / p for b, p in zip(budgets, periods)) == 1.0
    cells = [(name, edit(text, f"budget_us: {b0}, period_us: 10000",
                         f"budget_us: {b}, period_us: {p}"))
             for (name, text), b0, b, p in zip(cells, (3400, 5600, 1000),
                                               budgets, periods)]
    result, _ = compile_cells(tmp_path, *cells)
    assert_error(result, tmp_path / "c.yaml", line_of(cells[2][1], "sched"),
                 "cell.sched: CPU 3: budgets add up to "
                 "100.0000000000000001% (a 51.0% + b 23.7% + c 25.2%), more "
                 "than the CPU")


@pytest.mark.parametrize("rtos_sched, linux_budget, words", [
    # rtos's period does not divide linux's: it can take 3 of its budgets
    ("{budget_us: 3000, period_us: 7000, priority: 2}", 5000,
     ["cell.sched: CPU 3: no guarantee for cell 'linux' (priority 1, budget "
      "5000 us / period 10000 us): in one of its periods the higher-priority "
      "cells can take 9000 us ('rtos' 9000 us (priority 2, 3000 us every "
      "7000 us)), which leaves 1000 us, less than its budget"]),
    ("{budget_us: 1000, period_us: 3000, priority: 2}", 5001,
     ["no guarantee for cell 'linux'", "can take 5000 us", "leaves 5000 us"]),
    ("{budget_us: 1000, period_us: 3000, priority: 2}", 5000, None),
    # periods that divide it: all of the rest
    ("{budget_us: 1000, period_us: 5000, priority: 2}", 8000, None),
    ("{budget_us: 1000, period_us: 5000, priority: 2}", 8001,
     ["budgets add up to 100.01% (rtos 20.0% + linux 80.0%)"]),
    # a longer period of the higher-priority cell: one or two of its budgets
    ("{budget_us: 3000, period_us: 20000, priority: 2}", 4000, None),
    ("{budget_us: 3000, period_us: 20000, priority: 2}", 4001,
     ["no guarantee for cell 'linux'", "can take 6000 us ('rtos' 6000 us "
      "(priority 2, 3000 us every 20000 us)), which leaves 4000 us"]),
    # a best-effort cell of higher priority takes nothing
    ("{budget_us: 0, period_us: 7000, priority: 2}", 10000, None),
])
def test_sched_guarantee(tmp_path, rtos_sched, linux_budget, words):
    rtos = edit(SHARED_RTOS,
                "{budget_us: 2000, period_us: 10000, priority: 2}", rtos_sched)
    linux = edit(SHARED_LINUX, "budget_us: 8000",
                 f"budget_us: {linux_budget}")
    result, out = shared_system(tmp_path, rtos=rtos, linux=linux)
    if words is None:
        assert result.returncode == 0, result.stderr
        return
    marker = "sched:" if "no guarantee" in words[0] else "budget_us"
    assert_error(result, tmp_path / "linux.yaml", line_of(linux, marker),
                 *words)


def test_sched_guarantee_by_priority(tmp_path):
    # linux first: rtos's 3000 us every 7000 us get no guarantee, since
    # linux can take 10000 us of one of its periods (two of its budgets)
    rtos = edit(SHARED_RTOS, "{budget_us: 2000, period_us: 10000, priority: 2}",
                "{budget_us: 3000, period_us: 7000, priority: 1}")
    linux = edit(edit(SHARED_LINUX, "budget_us: 8000", "budget_us: 5000"),
                 "priority: 1", "priority: 2")
    result, _ = shared_system(tmp_path, rtos=rtos, linux=linux)
    assert_error(result, tmp_path / "rtos.yaml", line_of(rtos, "sched:"),
                 "cell.sched: CPU 3: no guarantee for cell 'rtos' (priority 1, "
                 "budget 3000 us / period 7000 us): in one of its periods the "
                 "higher-priority cells can take 10000 us ('linux' 10000 us "
                 "(priority 2, 5000 us every 10000 us)), which leaves 0 us, "
                 "less than its budget")
    # the highest priority is never delayed: rtos at 200 before linux's
    # 8000 us, printed first
    rtos = edit(SHARED_RTOS, "priority: 2}", "priority: 200}")
    result, _ = shared_system(tmp_path, rtos=rtos)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith(
        "CPU 3: rtos: priority 200,")


def test_sched_shared_redistributor(tmp_path):
    # linux maps the frames of CPUs 2 and 3; CPU 3 is shared
    linux = edit(SHARED_LINUX, "  irqs:",
                 "    - {name: gic-redist, phys: 0x080e0000, size: 0x40000, "
                 "flags: [read, write, io]}\n  irqs:")
    result, _ = shared_system(tmp_path, linux=linux)
    assert_error(result, tmp_path / "linux.yaml", line_of(linux, "gic-redist"),
                 "cell.memory[1] (gic-redist): phys 0x80e0000-0x811ffff "
                 "overlaps the redistributor frame 0x8100000-0x811ffff of CPU "
                 "3 (platform.gic.redistributors), which cells 'rtos' and "
                 "'linux' share: Haven emulates the redistributor of a shared "
                 "CPU, no cell may map it")
    # CPU 2's frame alone: its own CPU, not shared
    linux = edit(linux, "size: 0x40000", "size: 0x20000")
    result, _ = shared_system(tmp_path, linux=linux)
    assert result.returncode == 0, result.stderr
    # nor by another declared cell
    rtos = edit(SHARED_RTOS, "  irqs:",
                "    - {name: probe, phys: 0x0811f000, size: 0x1000, "
                "flags: [read]}\n  irqs:")
    result, _ = shared_system(tmp_path, rtos=rtos)
    assert_error(result, tmp_path / "rtos.yaml", line_of(rtos, "probe"),
                 "cell.memory[1] (probe): phys 0x811f000-0x811ffff overlaps "
                 "the redistributor frame 0x8100000-0x811ffff of CPU 3")


def test_qemu_temporal_fixtures(tmp_path):
    system, _ = compile_qemu(tmp_path)
    out = tmp_path / "fixtures"
    result = subprocess.run([PYTHON, str(MAKE_FIXTURES),
                             str(tmp_path / "system.cell"), str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    temporal = (out / "system-temporal.cell").read_bytes()
    # the bounds, printed with the file's name
    assert "".join(f"{out / 'system-temporal.cell'}: {line}\n"
                   for line in SHARED_REPORT.splitlines()) in result.stdout
    assert cell_names(temporal) == ["root", "rtos", "linux"]
    assert final_cells(temporal) == 0
    # the platform and the root as in system.cell (the root's regions, after
    # two declared cells, at the same offset too)
    assert temporal[SYSTEM:NUM_CELLS] == system[SYSTEM:NUM_CELLS]
    assert temporal[ROOT:ROOT + CELL_SIZE] == system[ROOT:ROOT + CELL_SIZE]
    rtos, linux = ROOT + CELL_SIZE, ROOT + 2 * CELL_SIZE
    assert [u(temporal, "Q", c + CELL_CPUS) for c in (rtos, linux)] == \
        [1 << 3, 1 << 3]
    assert sched(temporal, rtos) == (2000, 10000, 2, 0)
    assert sched(temporal, linux) == (8000, 10000, 1, 0)
    # no redistributor frames; RAM apart; rtos keeps its edu and comm page
    frames = (0x080A0000, 0x80000)
    rams = []
    for cell in (rtos, linux):
        offset, count = u(temporal, "I", cell + CELL_REGIONS), \
            u(temporal, "I", cell + CELL_NREGIONS)
        regions = [region(temporal, offset, i) for i in range(count)]
        assert not any(r[0] and r[0] < sum(frames) and frames[0] < r[0] + r[2]
                       for r in regions)
        rams.append(regions[0])
    assert rams == [(0x7E000000, 0x40000000, 0x200000, 0b10111),
                    (0x70000000, 0x40000000, 0x8000000, 0b10111)]
    assert pci_devices(temporal, rtos) == [0x0008]
    assert stream_ids(temporal, rtos) == [0x8]
    assert u(temporal, "I", linux + CELL_VUART_IRQ) == 280
    assert u(temporal, "I", linux + CELL_FLAGS) == FAULT_ABORT
    # each cell file equals its declaration (all but mem_regions_offset)
    for name, cell in (("rtos-shared", rtos), ("linux-shared", linux)):
        data = (out / f"{name}.cell").read_bytes()
        ours = bytearray(data[HEADER_SIZE:HEADER_SIZE + CELL_SIZE])
        theirs = temporal[cell:cell + CELL_SIZE]
        ours[CELL_REGIONS:CELL_REGIONS + 4] = \
            theirs[CELL_REGIONS:CELL_REGIONS + 4]
        assert bytes(ours) == theirs
        offset, count = u(theirs, "I", CELL_REGIONS), \
            u(theirs, "I", CELL_NREGIONS)
        assert data[HEADER_SIZE + CELL_SIZE:] == \
            temporal[offset:offset + count * REGION_SIZE]
    # compiled from the YAML files as a system of its own, the same lines
    text = QEMU_SYSTEM.read_text()
    text = edit(text, "cells: [rtos.yaml, linux.yaml]",
                f"cells: [{RTOS_SHARED}, {LINUX_SHARED}]")
    text = edit(text, "final_layout: [rtos, linux]", "final_layout: []")
    src = write(tmp_path, "temporal.yaml", text)
    result = run("compile", src, "-o", tmp_path / "temporal.cell")
    assert result.returncode == 0, result.stderr
    assert result.stdout == SHARED_REPORT
    assert (tmp_path / "temporal.cell").read_bytes() == temporal


# --- direct interrupt delivery -------------------------------------------------

DIRECT_IRQ = 2


def check_flag_and_dump(tmp_path, key, bit, line):
    """KEY: true sets BIT and `dump` prints LINE; false, the default, neither."""
    text = edit(CELL_YAML, "  irqs:", f"  {key}: true\n  irqs:")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr
    assert u(out.read_bytes(), "I", HEADER_SIZE + CELL_FLAGS) == bit
    assert line in run("dump", out).stdout
    text = edit(CELL_YAML, "  irqs:", f"  {key}: false\n  irqs:")
    _, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert result.returncode == 0, result.stderr
    assert u(out.read_bytes(), "I", HEADER_SIZE + CELL_FLAGS) == 0
    assert line.split(":")[0] not in run("dump", out).stdout


def test_direct_irq_flag_and_dump(tmp_path):
    check_flag_and_dump(tmp_path, "direct_irq", DIRECT_IRQ,
                        "  interrupt delivery: direct (not through Haven)")


@pytest.mark.parametrize("key, value", [("direct_irq", "yes please"), ("pmu_el2", "1")])
def test_flag_not_a_boolean(tmp_path, key, value):
    text = edit(CELL_YAML, "  irqs:", f"  {key}: {value}\n  irqs:")
    src, out, result = compile_text(tmp_path, text, "linux.yaml")
    assert_error(result, src, line_of(text, key), f"cell: {key} must be true or false")
    assert not out.exists()


def test_direct_irq_not_in_root(tmp_path):
    text = edit(SYSTEM_YAML, "    irqs: [\"0-287\"]",
                "    direct_irq: true\n    irqs: [\"0-287\"]")
    src, out, result = compile_text(tmp_path, text)
    assert_error(result, src, line_of(text, "direct_irq"),
                 "root: direct_irq is not allowed in the root cell")
    assert not out.exists()


SHARED_FLAG_CASES = [
    ("direct_irq", "rtos", ": direct interrupt delivery needs CPUs the cell owns outright"),
    ("pmu_el2", "linux", ": the cell would count the work Haven does for that cell"),
]


@pytest.mark.parametrize("key, cell, why", SHARED_FLAG_CASES)
def test_flag_not_on_shared_cpu(tmp_path, key, cell, why):
    texts = {"rtos": SHARED_RTOS, "linux": SHARED_LINUX}
    other = "linux" if cell == "rtos" else "rtos"
    line = "  cpus: [3]\n" if cell == "rtos" else "  cpus: [2, 3]\n"
    texts[cell] = texts[cell].replace(line, f"{line}  {key}: true\n")
    result, out = shared_system(tmp_path, **texts)
    assert_error(result, tmp_path / f"{cell}.yaml", line_of(texts[cell], key),
                 f"cell: {key}: CPU 3 is shared with cell '{other}' "
                 f"({tmp_path / f'{other}.yaml'}:{line_of(texts[other], 'cpus:')})" + why)
    assert not out.exists()


# --- EL2 event counting (pmu_el2) ---------------------------------------------

PMU_EL2 = 4


def test_pmu_el2_flag_and_dump(tmp_path):
    check_flag_and_dump(tmp_path, "pmu_el2", PMU_EL2,
                        "  PMU: counts Haven's EL2 events (pmu_el2, for benchmarking)")


def test_pmu_el2_in_root_and_cells(tmp_path):
    cell = edit(CELL_YAML, "  irqs:", "  pmu_el2: true\n  irqs:")
    text = edit(with_cells(tmp_path, ("linux.yaml", cell)),
                "    irqs: [\"0-287\"]", "    pmu_el2: true\n    irqs: [\"0-287\"]")
    _, out, result = compile_text(tmp_path, text)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert u(data, "I", ROOT + CELL_FLAGS) == PMU_EL2
    assert u(data, "I", ROOT + CELL_SIZE + CELL_FLAGS) == PMU_EL2


@pytest.mark.parametrize("where", ["root", "cell"])
def test_pmu_el2_not_with_final_layout(tmp_path, where):
    cell = CELL_YAML
    if where == "cell":
        cell = edit(CELL_YAML, "  irqs:", "  pmu_el2: true\n  irqs:")
    text = with_cells(tmp_path, ("linux.yaml", cell)) + "  final_layout: [linux]\n"
    if where == "root":
        text = edit(text, "    irqs: [\"0-287\"]",
                    "    pmu_el2: true\n    irqs: [\"0-287\"]")
    src, out, result = compile_text(tmp_path, text)
    path, yaml = (src, text) if where == "root" else (tmp_path / "linux.yaml", cell)
    assert_error(result, path, line_of(yaml, "pmu_el2"),
                 f"{where}: pmu_el2 is not allowed in a system with a final_layout")
    assert not out.exists()


# --- sub-page windows ------------------------------------------------------------

RTC_ROOT = "      - {name: rtc, phys: 0x09010000, size: 0x1000, flags: [read, write, io]}\n"
WINDOW = ("    - {name: rtc-match, phys: 0x09010004, size: 0x4, "
          "flags: [read, write, io, subpage], widths: [32]}\n")


def window_system(tmp_path, window=WINDOW, other_window=None, root=RTC_ROOT):
    """linux with WINDOW (a memory line), rtos with OTHER_WINDOW, the root
    with ROOT (memory lines)."""
    cell = edit(CELL_YAML, "  irqs: [33", window + "  irqs: [33")
    other = OTHER_CELL_YAML
    if other_window:
        other = edit(other, "  irqs: [40]", other_window + "  irqs: [40]")
    cells = (("linux.yaml", cell), ("rtos.yaml", other))
    system = edit(with_cells(tmp_path, *cells), "    irqs: [\"0-287\"]",
                  root + "    irqs: [\"0-287\"]")
    _, out, result = compile_text(tmp_path, system)
    return result, out, cell, other


def test_window_binary(tmp_path):
    other = ("    - {name: rtc-id, phys: 0x09010fe0, virt: 0x100fe0, size: 0x20, "
             "flags: [read, io, subpage], widths: [8, 32]}\n")
    result, out, cell, _ = window_system(tmp_path, other_window=other)
    assert result.returncode == 0, result.stderr
    _, out, result = compile_text(tmp_path, cell, "linux.yaml")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    # read, write, io, subpage (bit 7), width32 (bit 10)
    assert region(data, HEADER_SIZE + CELL_SIZE, 2) == \
        (0x09010004, 0x09010004, 4, 0b10010001011)
    dump = run("dump", out)
    assert "read,write,io,subpage,width32" in dump.stdout
    _, out, result = compile_text(tmp_path, edit(OTHER_CELL_YAML, "  irqs: [40]",
                                                 other + "  irqs: [40]"), "rtos.yaml")
    assert "read,io,subpage,width8,width32" in run("dump", out).stdout


def test_root_window_beside_a_cells(tmp_path):
    root = ("      - {name: rtc-data, phys: 0x09010000, size: 0x4, "
            "flags: [read, io, subpage], widths: [32]}\n")
    result, _, _, _ = window_system(tmp_path, root=root)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("window, words", [
    ("flags: [read, io], widths: [32]", "widths is only for a sub-page window"),
    ("flags: [read, io, subpage]", "a sub-page window needs widths"),
    ("flags: [read, subpage], widths: [32]", "flags need io with subpage"),
    ("flags: [read, io, subpage, loadable], widths: [32]",
     "flag loadable is not allowed with subpage"),
    ("flags: [read, io, subpage], widths: [24]", "width 24 is not an access size"),
    ("flags: [read, io, subpage], widths: [32, 32]", "width 32 is listed twice"),
    ("flags: [read, io, subpage], widths: []", "widths is empty"),
])
def test_window_flag_rules(tmp_path, window, words):
    line = WINDOW.replace("flags: [read, write, io, subpage], widths: [32]", window)
    result, _, cell, _ = window_system(tmp_path, line)
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "rtc-match"),
                 "cell.memory[2] (rtc-match)", words)


@pytest.mark.parametrize("old, new, words", [
    ("phys: 0x09010004", "phys: 0x09010006",
     "phys 0x9010006 is not a multiple of 4 bytes, the smallest access width"),
    ("size: 0x4", "size: 0x6", "size 0x6 is not a multiple of 4 bytes"),
    ("size: 0x4,", "size: 0x4, virt: 0x50000000,",
     "virt 0x50000000 is not at the same offset in its page as phys 0x9010004"),
    ("size: 0x4", "size: 0x4000", "spans more than 4 pages"),
    ("phys: 0x09010004", "phys: 0x09000ff0",
     "overlaps Haven's UART 0x9000000-0x9000fff (platform.debug_console)"),
    ("phys: 0x09010004", "phys: 0x080a1000",
     "overlaps the GIC redistributors 0x80a0000-0x811ffff"),
    ("phys: 0x09010004", "phys: 0x08000100", "overlaps the GIC distributor"),
])
def test_window_placement_rules(tmp_path, old, new, words):
    result, _, cell, _ = window_system(tmp_path, WINDOW.replace(old, new))
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "rtc-match"),
                 "cell.memory[2] (rtc-match)", words)


def test_misaligned_device_region_hints_subpage(tmp_path):
    line = WINDOW.replace("flags: [read, write, io, subpage], widths: [32]",
                          "flags: [read, write, io]")
    result, _, cell, _ = window_system(tmp_path, line)
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "rtc-match"),
                 "phys 0x9010004 is not 4 KiB-aligned (a device window "
                 "smaller than a page needs the flag subpage)")


def test_window_overlaps_region_of_its_cell(tmp_path):
    line = WINDOW + ("    - {name: rtc, phys: 0x09010000, virt: 0x50000000, "
                     "size: 0x1000, flags: [read, io]}\n")
    result, _, cell, _ = window_system(tmp_path, line)
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "name: rtc,"),
                 "cell.memory[3] (rtc): phys 0x9010000-0x9010fff overlaps "
                 "cell.memory[2] (rtc-match)")


@pytest.mark.parametrize("other, words", [
    # two cells' windows share bytes
    ("    - {name: rtc-mr, phys: 0x09010000, virt: 0x100000, size: 0x8, "
     "flags: [read, io, subpage], widths: [32]}\n",
     "cell.memory[1] (rtc-mr): phys 0x9010000-0x9010007 overlaps cell "
     "'linux' cell.memory[2] (rtc-match) 0x9010004-0x9010007"),
    # a later cell maps the page of an earlier cell's window
    ("    - {name: rtc, phys: 0x09010000, virt: 0x100000, size: 0x1000, "
     "flags: [read, io]}\n",
     "cell.memory[1] (rtc): phys 0x9010000-0x9010fff overlaps cell 'linux' "
     "cell.memory[2] (rtc-match)"),
])
def test_window_shared_between_cells(tmp_path, other, words):
    result, _, _, other_text = window_system(tmp_path, other_window=other)
    assert_error(result, tmp_path / "rtos.yaml", line_of(other_text, "rtc"),
                 words, "a sub-page window belongs to one cell")


def test_two_cells_own_windows_of_one_page(tmp_path):
    other = ("    - {name: rtc-data, phys: 0x09010000, virt: 0x100000, size: 0x4, "
             "flags: [read, io, subpage], widths: [32]}\n")
    result, _, _, _ = window_system(tmp_path, other_window=other)
    assert result.returncode == 0, result.stderr


def test_root_window_is_never_handed_over(tmp_path):
    root = ("      - {name: rtc-match, phys: 0x09010004, size: 0x4, "
            "flags: [read, io, subpage], widths: [32]}\n")
    result, _, cell, _ = window_system(tmp_path, root=root)
    assert_error(result, tmp_path / "linux.yaml", line_of(cell, "rtc-match"),
                 "overlaps cell 'root' root.memory[2] (rtc-match)")
