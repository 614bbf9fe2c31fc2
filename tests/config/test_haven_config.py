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
ROGUE = REPO / "tests" / "configs" / "rogue.yaml"
MAKE_FIXTURES = REPO / "tests" / "make-fixtures.py"

# Offsets in a system file, from include/haven/config.h.
HEADER_SIZE = 32
SYSTEM = HEADER_SIZE  # struct haven_system
PLATFORM = SYSTEM + 16
NUM_CELLS = PLATFORM + 184
ROOT = NUM_CELLS + 8
CELL_SIZE = 184
REGION_SIZE = 32
# Offsets inside struct haven_cell.
CELL_CPUS, CELL_FLAGS, CELL_NREGIONS, CELL_REGIONS, CELL_RESERVED, CELL_IRQS = \
    32, 40, 44, 48, 52, 56

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


def irq_bits(data, cell):
    words = struct.unpack_from("<16Q", data, cell + CELL_IRQS)
    return {i for i in range(1024) if words[i // 64] >> (i % 64) & 1}


def check_header(data, kind):
    assert data[:8] == b"HAVENCFG"
    assert struct.unpack_from("<HHHHI3I", data, 8) == \
        (1, 183, kind, HEADER_SIZE, len(data), 0, 0, 0)


# --- good configurations -----------------------------------------------------


def test_qemu_system_binary(tmp_path):
    out = tmp_path / "system.cell"
    result = run("compile", QEMU_SYSTEM, "-o", out)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    check_header(data, 1)
    regions = ROOT + 2 * CELL_SIZE  # the root and rtos
    assert len(data) == regions + (11 + 3) * REGION_SIZE == 1056

    assert struct.unpack_from("<QQ", data, SYSTEM) == (0x7F000000, 0x1000000)
    assert struct.unpack_from("<5QII", data, PLATFORM) == \
        (0x08000000, 0x10000, 0x080A0000, 0x80000, 0x09000000, 1, 4)
    assert struct.unpack_from("<16Q", data, PLATFORM + 48) == \
        (0, 1, 2, 3) + (0,) * 12
    assert struct.unpack_from("<II", data, PLATFORM + 176) == (25, 288)
    assert struct.unpack_from("<II", data, NUM_CELLS) == (1, 0b10)

    assert data[ROOT:ROOT + 32] == b"root" + bytes(28)
    assert u(data, "Q", ROOT + CELL_CPUS) == 0b1111
    assert struct.unpack_from("<4I", data, ROOT + CELL_FLAGS) == \
        (0, 11, regions, 0)
    assert irq_bits(data, ROOT) == set(range(288))

    rwx, io = 0b111, 0b1011
    assert region(data, regions, 0) == (0x40000000, 0x40000000, 0x3F000000, rwx)
    expected_io = [(0x08080000, 0x20000), (0x080A0000, 0x80000),
                   (0x09000000, 0x1000), (0x09010000, 0x1000),
                   (0x09020000, 0x1000), (0x09030000, 0x1000),
                   (0x0A000000, 0x4000), (0x10000000, 0x2EFF0000),
                   (0x3EFF0000, 0x10000), (0x3F000000, 0x1000000)]
    for i, (phys, size) in enumerate(expected_io, 1):
        assert region(data, regions, i) == (phys, phys, size, io)


def test_qemu_system_maps_neither_gicd_nor_smmu(tmp_path):
    out = tmp_path / "system.cell"
    assert run("compile", QEMU_SYSTEM, "-o", out).returncode == 0
    data = out.read_bytes()
    for i in range(11):
        phys, _, size, _ = region(data, ROOT + 2 * CELL_SIZE, i)
        for device in (0x08000000, 0x09050000):
            assert not phys <= device < phys + size


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
    assert "irqs: 0-287" in result.stdout
    assert "phys 0x03f000000-0x03fffffff" in result.stdout
    _, cell, _ = compile_text(tmp_path, CELL_YAML, "linux.yaml")
    result = run("dump", cell)
    assert result.returncode == 0, result.stderr
    assert "cell: linux" in result.stdout and "cpus: 2-3" in result.stdout


@pytest.mark.parametrize("damage, message", [
    (lambda d: b"NOTHAVEN" + d[8:], "bad magic"),
    (lambda d: d[:8] + b"\x02" + d[9:], "version 2"),
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
    other = edit(OTHER_CELL_YAML, "cpus: [1]", "cpus:\n    - 3")
    result, _ = compile_cells(tmp_path, ("linux.yaml", CELL_YAML),
                              ("rtos.yaml", other))
    assert_error(result, tmp_path / "rtos.yaml", line_of(other, "- 3"),
                 "cell: cpus: CPU 3 is also in cell 'linux'",
                 f"{tmp_path / 'linux.yaml'}:{line_of(CELL_YAML, 'cpus:')}")


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

RW, COMM = 0b11, 0b100011


def compile_qemu(tmp_path):
    """build/system.cell and build/rtos.cell, as make configs builds them."""
    system, rtos = tmp_path / "system.cell", tmp_path / "rtos.cell"
    result = run("compile", QEMU_SYSTEM, "-o", system)
    assert result.returncode == 0, result.stderr
    result = run("compile", QEMU_RTOS, "--system", system, "-o", rtos)
    assert result.returncode == 0, result.stderr
    return system.read_bytes(), rtos.read_bytes()


def test_qemu_rtos_cell(tmp_path):
    system, data = compile_qemu(tmp_path)
    check_header(data, 2)
    cell, regions = HEADER_SIZE, HEADER_SIZE + CELL_SIZE
    assert len(data) == regions + 3 * REGION_SIZE
    assert data[cell:cell + 32] == b"rtos" + bytes(28)
    assert u(data, "Q", cell + CELL_CPUS) == 1 << 3
    assert irq_bits(data, cell) == set(range(16)) | {27}
    ram = region(data, regions, 0)
    assert ram == (0x7E000000, 0x40000000, 0x200000, 0b10111)
    assert ram[0] % 0x200000 == 0 and ram[1] % 0x200000 == 0
    assert region(data, regions, 1) == (0x08100000, 0x08100000, 0x20000, 0b1011)
    # the comm page, last, right above the RAM's IPAs
    assert region(data, regions, 2) == (0, 0x40200000, 0x1000, COMM)


def test_qemu_rtos_equals_its_declaration(tmp_path):
    system, data = compile_qemu(tmp_path)
    declared = ROOT + CELL_SIZE
    assert system[declared:declared + 32] == b"rtos" + bytes(28)
    ours, theirs = bytearray(data[HEADER_SIZE:HEADER_SIZE + CELL_SIZE]), \
        bytearray(system[declared:declared + CELL_SIZE])
    offset, count = u(theirs, "I", CELL_REGIONS), u(theirs, "I", CELL_NREGIONS)
    assert system[offset:offset + count * REGION_SIZE] == \
        data[HEADER_SIZE + CELL_SIZE:]
    ours[CELL_REGIONS:CELL_REGIONS + 4] = theirs[CELL_REGIONS:CELL_REGIONS + 4]
    assert ours == theirs


def test_qemu_root_donates_to_rtos(tmp_path):
    # the rtos RAM, CPU and GIC frame are the root's too (handed over at
    # create time), and the root keeps CPUs 0-2
    system, _ = compile_qemu(tmp_path)
    root_ram = region(system, ROOT + 2 * CELL_SIZE, 0)
    assert root_ram[0] <= 0x7E000000 and \
        0x7E200000 <= root_ram[0] + root_ram[2]
    assert u(system, "Q", ROOT + CELL_CPUS) == 0b1111


def test_dump_final_layout_and_comm_page(tmp_path):
    system = tmp_path / "system.cell"
    compile_qemu(tmp_path)
    result = run("dump", system)
    assert result.returncode == 0, result.stderr
    assert "cell 1: rtos" in result.stdout
    assert "comm page: 0x40200000 (region 2)" in result.stdout
    assert "read,write,comm" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        "final layout: rtos (cell 1)")
    result = run("dump", tmp_path / "rtos.cell")
    assert result.returncode == 0, result.stderr
    assert "cell: rtos" in result.stdout
    assert "comm page: 0x40200000 (region 2)" in result.stdout
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
