#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# havenctl-host on the build host; each case checks the exit status and the
# output, and that an error is one line starting with "havenctl: ".
#
#   usage      every command's bad command lines (exit 2, without touching
#              the device), and the help texts
#   files      "config check" and "cell load" on missing, empty and
#              unreadable files
#   no device  every command that needs /dev/haven, without one
#   fake       the cell commands, info and their JSON against
#              tests/tools/fake_haven.c, an LD_PRELOAD stand-in for haven.ko's
#              ioctls (built here with $CC, default cc)
#   linux      "cell linux": its refusals, the device tree it generates or
#              patches (decompiled with dtc, read with fdtget), what it
#              loads where and how it starts the cell; "console --cell";
#              with cell files and kernel Images written here, and
#              build/linux.cell once it is built
#   system     "config check" on a valid system configuration and on broken
#              copies of it, and on the shared-CPU system of the temporal
#              tests (build/fixtures/system-temporal.cell) and broken copies
#
#   tests/tools/test_havenctl_host.sh
#
# Environment: O (build directory, default build/), HAVENCTL (the binary,
# default $O/tools/havenctl-host), SYSTEM_CELL (default $O/system.cell), CC.
# Exit status: 0 all passed, 1 a case failed, 77 skipped because there is no
# compiled system configuration yet (the cases that need none still run).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$root/build}
havenctl=${HAVENCTL:-$O/tools/havenctl-host}
valid=${SYSTEM_CELL:-$O/system.cell}
CC=${CC:-cc}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
failures=0

if [ ! -x "$havenctl" ]; then
	echo "FAIL: $havenctl not built (make tools)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nodev=$tmp/no-such-device
# Nothing here may reach a real /dev/haven.
export HAVEN_DEVICE=$nodev

bad() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# expect NAME STATUS TEXT ARGS...: run "havenctl ARGS", expect STATUS and
# TEXT in the output; an error must be one line starting with "havenctl: ", and a usage error
# (status 2) must end pointing to the help.
expect() {
	local name=$1 want=$2 text=$3 out rc
	shift 3
	out=$("$havenctl" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name: exit $rc, expected $want: $out"
	elif [[ "$out" != *"$text"* ]]; then
		bad "$name: expected '$text' in: $out"
	elif [ "$rc" -ne 0 ] && { [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] ||
		[[ "$out" != "havenctl: "* ]]; }; then
		bad "$name: not a single 'havenctl: ' line: $out"
	elif [ "$rc" -eq 2 ] && [[ "$out" != *"(try 'havenctl "*"--help')" ]]; then
		bad "$name: a usage error must point to the help: $out"
	else
		echo "PASS $name"
	fi
}

# usage NAME TEXT ARGS...: a usage error (exit 2)
usage() {
	local name=$1 text=$2
	shift 2
	expect "usage/$name" 2 "$text" "$@"
}

# check NAME STATUS TEXT ARGS...: "config check ARGS"
check() {
	local name=$1 want=$2 text=$3
	shift 3
	expect "$name" "$want" "$text" config check "$@"
}

# json NAME ARGS...: "havenctl ARGS" succeeds and prints valid JSON
json() {
	local name=$1 out
	shift
	if ! out=$("$havenctl" "$@" 2>"$tmp/json.err"); then
		bad "$name: exit $?: $(cat "$tmp/json.err")"
	elif ! printf '%s\n' "$out" | "$PY" -m json.tool >"$tmp/json.out" 2>&1; then
		bad "$name: not valid JSON: $(cat "$tmp/json.out"): $out"
	else
		echo "PASS $name"
	fi
}

# --- usage -------------------------------------------------------------------

for c in create load start shutdown destroy list stats checksum linux; do
	expect "help/cell-$c" 0 "Usage: havenctl cell $c" cell "$c" --help
	expect "help/main-lists-cell-$c" 0 "  cell $c" --help
	expect "help/cell-lists-$c" 0 "  $c" cell --help
done
expect help/info-layout 0 "layout: open (final layout: NAME, ...)" info --help
expect help/console-cell 0 "--cell CELL   instead, send stdin" console --help
for o in "-d, --dtb DTB" "-i, --initrd INITRD" "-c, --cmdline CMDLINE" "--dtb-out FILE" "--dry-run"; do
	expect "help/cell-linux-option$o" 0 "  $o " cell linux --help
done

usage cell-missing-subcommand "cell: missing subcommand, e.g. 'cell create'" cell
usage cell-unknown-subcommand "cell: unknown subcommand 'frob'" cell frob
usage create-missing "cell create: missing argument" cell create
usage create-extra "cell create: unexpected argument 'b.cell'" cell create a.cell b.cell
usage load-missing-cell "cell load: missing argument" cell load
usage load-missing-image "cell load: missing argument; usage: havenctl cell load CELL IMAGE[@ADDR]..." \
	cell load rtos
usage load-too-many "cell load: too many images (9): at most 8 in one load" \
	cell load rtos 1 2 3 4 5 6 7 8 9
usage load-bad-addr "cell load: a.bin@zz: bad address 'zz' (hex with 0x, or decimal)" \
	cell load rtos a.bin@zz
usage load-negative-addr "bad address '-4096'" cell load rtos a.bin@-4096
usage load-hex-no-digits "bad address '0x'" cell load rtos a.bin@0x
usage load-double-0x "bad address '0x0x10'" cell load rtos a.bin@0x0x10
usage load-suffix "bad address '4k'" cell load rtos a.bin@4k
usage load-addr-overflow "bad address '0x10000000000000000'" \
	cell load rtos a.bin@0x10000000000000000
usage load-empty-addr "cell load: a.bin@: the address is empty" cell load rtos a.bin@
usage load-addr-beyond-ipa "address 0x8000000000 is outside a cell's address space" \
	cell load rtos a.bin@0x8000000000
usage load-empty-name "cell load: '@0x1000': the image file name is empty" \
	cell load rtos @0x1000
usage load-second-bad "cell load: b.bin@x1: bad address 'x1'" \
	cell load rtos a.bin@0x1000 b.bin@x1
usage load-cell-id-range "cell load: cell id 99 is out of range (0-7)" cell load 99 a.bin
usage load-empty-cell "cell load: the cell name is empty" cell load "" a.bin
usage start-missing "cell start: missing argument" cell start
usage start-extra "cell start: unexpected argument 'x'" cell start rtos x
usage start-entry-bad "cell start: --entry: bad address 'main'" cell start rtos --entry main
usage start-entry-missing "cell start: option --entry needs a value" cell start rtos --entry
usage start-entry-beyond "cell start: --entry: address 0xffffffffffffffff is outside" \
	cell start rtos --entry=0xffffffffffffffff
usage shutdown-missing "cell shutdown: missing argument" cell shutdown
usage shutdown-timeout-word "cell shutdown: bad --timeout 'soon' (milliseconds, 0-4294967295)" \
	cell shutdown rtos --timeout soon
usage shutdown-timeout-negative "bad --timeout '-5'" cell shutdown rtos --timeout -5
usage shutdown-timeout-big "bad --timeout '4294967296'" cell shutdown rtos --timeout 4294967296
usage shutdown-timeout-hex "bad --timeout '0x10'" cell shutdown rtos --timeout 0x10
usage shutdown-timeout-unit "bad --timeout '2s'" cell shutdown rtos --timeout=2s
usage shutdown-timeout-empty "bad --timeout ''" cell shutdown rtos --timeout=
usage shutdown-timeout-missing "option --timeout needs a value" cell shutdown rtos --timeout
usage shutdown-unknown-option "cell shutdown: unknown option '--force'" cell shutdown rtos --force
usage destroy-missing "cell destroy: missing argument" cell destroy
usage destroy-extra "cell destroy: unexpected argument 'b'" cell destroy a b
usage list-extra "cell list: unexpected argument 'rtos'" cell list rtos
usage list-json-value "cell list: option --json takes no value" cell list --json=yes
usage stats-missing "cell stats: missing argument" cell stats
usage checksum-missing "cell checksum: missing argument; usage: havenctl cell checksum CELL BYTES [--json]" \
	cell checksum rtos
usage checksum-extra "cell checksum: unexpected argument '3'" cell checksum rtos 1 3
usage checksum-zero "cell checksum: bad byte count '0' (decimal, or hex with 0x; at least 1)" \
	cell checksum rtos 0
usage checksum-word "cell checksum: bad byte count 'all'" cell checksum rtos all
usage checksum-suffix "cell checksum: bad byte count '4k'" cell checksum rtos 4k
usage checksum-json-value "cell checksum: option --json takes no value" cell checksum rtos 1 --json=1
usage checksum-cell-range "cell checksum: cell id 9 is out of range (0-7)" cell checksum 9 1
usage stats-option "cell stats: unknown option '--yaml'" cell stats rtos --yaml
usage linux-missing "cell linux: missing argument; usage: havenctl cell linux CELLFILE IMAGE [-d DTB]" \
	cell linux linux.cell
usage linux-extra "cell linux: unexpected argument 'c'" cell linux a b c
usage linux-cmdline-long "cell linux: -c: the command line is 2100 bytes, more than the 2047 bytes Linux accepts" \
	cell linux a b -c "$(printf 'x%.0s' $(seq 2100))"
usage linux-dtb-out-empty "cell linux: --dtb-out: the file name is empty" cell linux a b --dtb-out=
usage linux-dtb-no-value "cell linux: option --dtb needs a value" cell linux a b -d
usage linux-unknown "cell linux: unknown option '--kernel'" cell linux a b --kernel x
usage linux-dry-run-value "cell linux: option --dry-run takes no value" cell linux a b --dry-run=1
usage console-cell-follow "console: -f and --cell cannot be combined" console -f --cell rtos
usage console-cell-missing "console: option --cell needs a value" console --cell
usage console-cell-range "console: cell id 99 is out of range (0-7)" console --cell 99
usage console-cell-empty "console: the cell name is empty" console --cell ""

# --- files -------------------------------------------------------------------

check missing 1 "cannot open: No such file or directory" "$tmp/none.cell"
: >"$tmp/empty.cell"
check empty 1 "file is empty" "$tmp/empty.cell"
printf 'HAVENCFG' >"$tmp/short.cell"
check short 1 "file is shorter than its header (8 bytes, need at least 32)" \
	"$tmp/short.cell"
head -c $((1024 * 1024 + 1)) /dev/zero >"$tmp/big.cell"
check too-large 1 "file is larger than 1 MiB" "$tmp/big.cell"

printf 'image one' >"$tmp/a.bin"
head -c 5000 /dev/urandom >"$tmp/b.bin"
: >"$tmp/empty.bin"
expect image-empty 1 "havenctl: $tmp/empty.bin: file is empty" \
	cell load rtos "$tmp/a.bin" "$tmp/empty.bin@0x1000"
expect image-missing 1 "havenctl: $tmp/none.bin: cannot open: No such file or directory" \
	cell load rtos "$tmp/none.bin"
expect image-directory 1 "havenctl: $tmp: cannot read: Is a directory" \
	cell load rtos "$tmp"

# A cell configuration that passes havenctl's own check (magic and kind),
# and a system configuration header.
"$PY" - "$tmp" <<'EOF'
import struct, sys
d = sys.argv[1]
def header(kind, size):
    return b"HAVENCFG" + struct.pack("<HHHHI3I", 3, 183, kind, 32, size, 0, 0, 0)
# struct haven_cell: 280 bytes, no regions (at offset 32 + 280)
cell = b"rtos".ljust(32, b"\0") + struct.pack("<QIIII", 8, 0, 0, 312, 0) + bytes(224)
open(f"{d}/rtos.cell", "wb").write(header(2, 32 + len(cell)) + cell)
open(f"{d}/sys-header.cell", "wb").write(header(1, 300) + bytes(268))
open(f"{d}/large.cell", "wb").write(header(2, 9000) + bytes(8968))
EOF

# --- linux: files ------------------------------------------------------------

# Linux cells as configs/qemu-arm64/linux.yaml declares them (CPUs 1-2; RAM
# phys 0x70000000 at IPA 0x40000000, 128 MiB, loadable; GICR frames io;
# emulated PL011 at 0x09000000, vuart_irq 280), variants, and kernel Images:
# "Image" is a 64 KiB file whose header asks for image_size 0x5a0000.
"$PY" - "$tmp" <<'EOF'
import struct, sys
d = sys.argv[1]
RWX, LOAD, IO, VUART = 7, 16, 8, 64
def header(size):
    return b"HAVENCFG" + struct.pack("<HHHHI3I", 3, 183, 2, 32, size, 0, 0, 0)
def cell(regions, cpus=6, vuart_irq=280):
    irqs = [0] * 16
    irqs[vuart_irq // 64] |= 1 << (vuart_irq % 64)
    body = b"linux".ljust(32, b"\0")
    body += struct.pack("<QIIII16Q", cpus, 1, len(regions), 32 + 280, vuart_irq, *irqs)
    body += bytes(96)  # no stream IDs, PCI devices or SMCs; reserved; no sched
    body += b"".join(struct.pack("<4Q", *r) for r in regions)
    return header(32 + len(body)) + body
ram = (0x70000000, 0x40000000, 0x8000000, RWX | LOAD)
gicr = (0x080c0000, 0x080c0000, 0x40000, 3 | IO)
uart = (0, 0x09000000, 0x1000, 3 | VUART)
cells = {
    "linux": cell([ram, gicr, uart]),
    "linux-io": cell([ram, gicr, uart, (0x09030000, 0x09030000, 0x1000, 3 | IO)]),
    "linux-nouart": cell([ram, gicr], vuart_irq=0),
    "linux-unaligned": cell([(0x70000000, 0x40100000, 0x8000000, RWX | LOAD), gicr, uart]),
    "linux-small": cell([(0x70000000, 0x40000000, 0x600000, RWX | LOAD), gicr, uart]),
    "linux-noload": cell([(0x70000000, 0x40000000, 0x8000000, RWX), gicr, uart]),
    "linux-cpu7": cell([ram, gicr, uart], cpus=0x80),
    "linux-ppi-uart": cell([ram, gicr, uart], vuart_irq=27),
}
for name, data in cells.items():
    open(f"{d}/{name}.cell", "wb").write(data)
def image(image_size, magic=0x644d5241, flags=0, size=65536):
    h = struct.pack("<IIQQQQQQII", 0x91005a4d, 0x14000000, 0, image_size, flags,
                    0, 0, 0, magic, 0)
    return h + bytes((i * 7 + 3) & 0xff for i in range(size - 64))
images = {
    "Image": image(0x5a0000),
    "Image-badmagic": image(0x5a0000, magic=0x12345678),
    "Image-gz": b"\x1f\x8b\x08\x00" + bytes(100),
    "Image-tiny": b"MZ" + bytes(30),
    "Image-huge": image(0x9000000),
    "Image-nosize": image(0),
    "Image-short": image(0x1000),
    "Image-be": image(0x5a0000, flags=1),
}
for name, data in images.items():
    open(f"{d}/{name}", "wb").write(data)
open(f"{d}/initrd", "wb").write(bytes((i * 13) & 0xff for i in range(5000)))
open(f"{d}/initrd-big", "wb").write(bytes(0x200000))
EOF

# A board's device tree to patch: root devices (an RTC, flash, a PL011
# where the emulated one goes), memory, CPUs, PSCI, a GIC with an ITS, the
# timer, /chosen and reserved memory; a device inside the GICR frames (an io
# region of every test cell), and a simple-bus mapped at 0x09030000 (an io
# region of linux-io.cell only) with a device inside that region, one
# outside it, one on a nested bus; a bus without ranges. Aliases name a
# kept and a deleted node.
cat >"$tmp/board.dts" <<'EOF'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "vendor,board";
	model = "a board";
	interrupt-parent = <&gic>;
	aliases { serial0 = "/pl011@9000000"; rtc0 = "/rtc@9010000"; gpio0 = "/soc@9030000/gpio@0"; };
	memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>; };
	memory@100000000 { device_type = "memory"; reg = <1 0 0 0x40000000>; };
	chosen { bootargs = "root=/dev/sda"; };
	firmware { optee { compatible = "linaro,optee-tz"; method = "smc"; }; };
	reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
		secret@7f000000 { reg = <0 0x7f000000 0 0x1000000>; no-map; }; };
	cpus { #address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a55"; reg = <0>; enable-method = "psci"; }; };
	psci { compatible = "arm,psci-1.0"; method = "hvc"; };
	gic: interrupt-controller@8000000 { compatible = "arm,gic-v3"; #address-cells = <2>; #size-cells = <2>; ranges;
		reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>;
		#interrupt-cells = <3>; interrupt-controller;
		its@8080000 { compatible = "arm,gic-v3-its"; msi-controller; reg = <0 0x8080000 0 0x20000>; }; };
	timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
	clk: apb-pclk { compatible = "fixed-clock"; #clock-cells = <0>; clock-frequency = <24000000>; };
	rtc@9010000 { compatible = "arm,pl031", "arm,primecell"; reg = <0 0x9010000 0 0x1000>; interrupts = <0 2 4>; clocks = <&clk>; clock-names = "apb_pclk"; };
	pl011@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>; clocks = <&clk &clk>; clock-names = "uartclk", "apb_pclk"; };
	flash@0 { compatible = "cfi-flash"; reg = <0 0 0 0x4000000>; };
	redist-probe@80c0000 { compatible = "test,in-io"; reg = <0 0x80c0000 0 0x1000>; };
	keys { compatible = "gpio-keys"; };
	soc@9030000 { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x9030000 0x10000>;
		gpio@0 { compatible = "arm,pl061"; reg = <0 0x1000>; interrupts = <0 7 4>; clocks = <&clk>; interrupt-parent = <&gic>; };
		i2c@2000 { compatible = "test,i2c"; reg = <0x2000 0x1000>; #address-cells = <1>; #size-cells = <0>;
			eeprom@50 { reg = <0x50>; }; };
		bus { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
			dev@100 { compatible = "test,nested"; reg = <0x100 0x10>; }; };
	};
	nobus { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>;
		dev@0 { compatible = "test,unmapped"; reg = <0 0x10>; }; };
};
EOF
# 32-bit root cells, with a device that would be kept
cat >"$tmp/board32.dts" <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	redist-probe@80c0000 { compatible = "test,in-io"; reg = <0x80c0000 0x1000>; };
};
EOF
have_dtc=1
for b in board board32; do
	if ! dtc -q -I dts -O dtb -o "$tmp/$b.dtb" "$tmp/$b.dts" >"$tmp/dtc.log" 2>&1; then
		bad "linux: dtc cannot compile $b.dts (device-tree-compiler installed?): $(cat "$tmp/dtc.log")"
		have_dtc=0
	fi
done
command -v fdtget >/dev/null || { bad "linux: no fdtget (device-tree-compiler)"; have_dtc=0; }
[ $have_dtc = 1 ] && head -c 100 "$tmp/board.dtb" >"$tmp/truncated.dtb"

L=$tmp/linux.cell
K=$tmp/Image
expect linux/bad-magic 1 "havenctl: $tmp/Image-badmagic: not an arm64 kernel Image (no ARM\x64 magic at offset 56)" \
	cell linux "$L" "$tmp/Image-badmagic"
expect linux/gzip 1 "Image-gz: not an arm64 kernel Image (no ARM\x64 magic at offset 56): it is gzip-compressed, decompress it first" \
	cell linux "$L" "$tmp/Image-gz"
expect linux/tiny 1 "Image-tiny: not an arm64 kernel Image (32 bytes, shorter than the 64-byte Image header)" \
	cell linux "$L" "$tmp/Image-tiny"
expect linux/big-endian 1 "Image-be: the kernel is big-endian (Image flags bit 0)" \
	cell linux "$L" "$tmp/Image-be"
expect linux/image-size-short 1 "Image-short: the file is 65536 bytes, more than the image_size 4096 in its header" \
	cell linux "$L" "$tmp/Image-short"
expect linux/kernel-too-big 1 "Image-huge: kernel needs 150994944 bytes (image_size) at 0x40000000: region 0 of cell 'linux' 0x40000000-0x47ffffff has 134217728 bytes there" \
	cell linux "$L" "$tmp/Image-huge"
expect linux/region-too-small 1 "havenctl: cell linux: cell memory too small for kernel + initrd + device tree: needs 8388608 bytes (8.0 MiB, the device tree at 0x40800000), region 0 of cell 'linux' 0x40000000-0x405fffff has 6291456 (6.0 MiB)" \
	cell linux "$tmp/linux-small.cell" "$K" -i "$tmp/initrd-big"
expect linux/unaligned 1 "linux-unaligned.cell: cell 'linux' region 0 starts at 0x40100000, which is not 2 MiB aligned" \
	cell linux "$tmp/linux-unaligned.cell" "$K"
expect linux/no-loadable 1 "linux-noload.cell: cell 'linux' has no loadable RAM region" \
	cell linux "$tmp/linux-noload.cell" "$K"
expect linux/dtb-malformed 1 "havenctl: $tmp/initrd: DTB malformed: FDT_ERR_BADMAGIC" \
	cell linux "$L" "$K" -d "$tmp/initrd"
[ $have_dtc = 1 ] && expect linux/dtb-truncated 1 "truncated.dtb: DTB malformed: FDT_ERR_TRUNCATED" \
	cell linux "$L" "$K" -d "$tmp/truncated.dtb"
expect linux/system-file 1 "sys-header.cell: this is a system configuration, expected a cell configuration" \
	cell linux "$tmp/sys-header.cell" "$K"
expect linux/kernel-missing 1 "$tmp/none: cannot open: No such file or directory" \
	cell linux "$L" "$tmp/none"
expect linux/initrd-empty 1 "$tmp/empty.bin: file is empty" cell linux "$L" "$K" -i "$tmp/empty.bin"

# --- no device ---------------------------------------------------------------

nd="$nodev not found: is haven.ko loaded? (insmod haven.ko)"
expect nodev/info 1 "$nd" info
expect nodev/info-json 1 "$nd" info --json
expect nodev/disable 1 "$nd" disable
expect nodev/console 1 "$nd" console
expect nodev/cell-create 1 "$nd" cell create "$tmp/rtos.cell"
expect nodev/cell-load 1 "$nd" cell load rtos "$tmp/a.bin" "$tmp/b.bin@0x80000"
expect nodev/cell-start 1 "$nd" cell start rtos --entry 0x1000
expect nodev/cell-shutdown 1 "$nd" cell shutdown 1 --timeout 10
expect nodev/cell-destroy 1 "$nd" cell destroy rtos
expect nodev/cell-list 1 "$nd" cell list
expect nodev/cell-list-json 1 "$nd" cell list --json
expect nodev/cell-stats 1 "$nd" cell stats rtos
expect nodev/cell-checksum 1 "$nd" cell checksum rtos 4096
expect nodev/cell-linux 1 "$nd" cell linux "$tmp/linux.cell" "$tmp/Image"
expect nodev/console-cell 1 "$nd" console --cell rtos </dev/null
expect cell-create-system-file 1 "sys-header.cell: this is a system configuration, expected a cell configuration" \
	cell create "$tmp/sys-header.cell"
expect cell-create-bad-magic 1 "a.bin: not a Haven configuration (bad magic)" \
	cell create "$tmp/a.bin"
expect cell-create-too-large 1 "large.cell: file is 9000 bytes, more than the 8192 bytes" \
	cell create "$tmp/large.cell"
expect cell-create-skip-check 1 "$nd" cell create --skip-check "$tmp/a.bin"

# --- fake device ---------------------------------------------------------------

fake=$tmp/fake_haven.so
log=$tmp/fake.log
if ! "$CC" -std=c11 -Wall -Wextra -Werror -shared -fPIC -I"$root/include" \
	-o "$fake" "$root/tests/tools/fake_haven.c" -ldl >"$tmp/cc.log" 2>&1; then
	bad "fake: cannot build tests/tools/fake_haven.c: $(cat "$tmp/cc.log")"
else
	: >"$tmp/fakedev"
	export HAVEN_DEVICE=$tmp/fakedev LD_PRELOAD=$fake FAKE_HAVEN_LOG=$log

	# logged NAME TEXT: the fake driver was passed TEXT
	logged() {
		if grep -qF -- "$2" "$log"; then
			echo "PASS $1"
		else
			bad "$1: '$2' not in the driver log: $(cat "$log")"
		fi
	}

	expect fake/info-layout-final 0 "layout: open (final layout: rtos, cell ids 2)" info
	FAKE_HAVEN=sealed expect fake/info-layout-sealed 0 "layout: sealed" info
	FAKE_HAVEN=nofinal expect fake/info-layout-none 0 "layout: open (no final layout)" info
	json fake/info-json info --json
	expect fake/info-json-layout 0 '"sealed": false, "final_cells": [{"id": 1, "name": "rtos"}, {"id": 2, "name": null}]' \
		info --json
	FAKE_HAVEN=sealed expect fake/info-json-sealed 0 '"sealed": true' info --json
	FAKE_HAVEN=disabled expect fake/info-disabled 1 "havenctl: Haven is not enabled" info
	expect fake/info-smmu 0 "SMMU               0x9050000-0x906ffff (event queue irq 106, global error irq 109)" info
	expect fake/info-ecam 0 "PCI ECAM           0x3f000000-0x3fffffff (buses 0x00-0x0f)" info
	FAKE_HAVEN=nodevices expect fake/info-no-smmu 0 "SMMU               none" info
	FAKE_HAVEN=nodevices expect fake/info-no-ecam 0 "PCI ECAM           none" info
	expect fake/info-json-devices 0 '"hv_mem_size": 16777216, "smmu": {"base": 151322624, "size": 131072, "event_irq": 106, "gerror_irq": 109}, "pci_ecam": {"base": 1056964608, "size": 16777216}, "pool_pages"' \
		info --json
	FAKE_HAVEN=nodevices expect fake/info-json-no-devices 0 '"smmu": null, "pci_ecam": null' info --json
	FAKE_HAVEN=nodevices json fake/info-json-no-devices-valid info --json

	expect fake/list-header 0 "id  name  state    cpus  failed cpus" cell list
	expect fake/list-root 0 " 0  root  running  0-2   -" cell list
	expect fake/list-rtos 0 " 1  rtos  running  3     -" cell list
	json fake/list-json cell list --json
	expect fake/list-json-keys 0 '{"id": 1, "name": "rtos", "state": "running", "cpus": [3], "failed_cpus": []}' \
		cell list --json

	expect fake/stats-name 0 "cell 1 'rtos'" cell stats rtos
	expect fake/stats-id 0 "cell 1 'rtos'" cell stats 1
	expect fake/stats-state 0 "state           running" cell stats rtos
	expect fake/stats-uptime 0 "uptime          12.346 s" cell stats rtos
	expect fake/stats-rtos 0 "RTOS            1000 releases, 998 completions, 2 deadline misses, worst response 12.345 us" \
		cell stats rtos
	expect fake/stats-traps 0 "traps  hvc  psci  smc_other  gicd  sgi  irq  maintenance  abort  other  uart  pci  wfx  sched  total" \
		cell stats rtos
	expect fake/stats-io-region 0 "     1  0x8100000-0x811ffff    0x8100000-0x811ffff    128 KiB  read,write,io" \
		cell stats rtos
	expect fake/stats-comm-region 0 "     2  -                      0x40200000-0x40200fff    4 KiB  read,write,comm" \
		cell stats rtos
	FAKE_HAVEN=linux-stopped expect fake/stats-vuart-region 0 "     2  -                      0x9000000-0x9000fff      4 KiB  read,write,vuart" \
		cell stats linux
	FAKE_HAVEN=linux-stopped expect fake/stats-json-vuart 0 '"flags": ["read", "write", "vuart"]' \
		cell stats linux --json
	expect fake/stats-root-no-rtos 0 "RTOS            no statistics published" cell stats root
	json fake/stats-json cell stats rtos --json
	json fake/stats-json-root cell stats 0 --json
	expect fake/stats-json-rtos 0 '"rtos": {"releases": 1000, "completions": 998, "deadline_misses": 2, "worst_response_ns": 12345}' \
		cell stats rtos --json
	expect fake/stats-json-root-rtos 0 '"rtos": {"releases": 0, "completions": 0, "deadline_misses": 0, "worst_response_ns": 0}' \
		cell stats root --json

	# counters of refused accesses, and a Haven without them
	expect fake/stats-denied 0 "denied          13" cell stats rtos
	expect fake/stats-dma-faults 0 "dma faults      12" cell stats rtos
	expect fake/stats-json-counters 0 '"faults": 0, "denied": 13, "dma_faults": 12, "rtos"' \
		cell stats rtos --json
	FAKE_HAVEN=nocount expect fake/stats-denied-unknown 0 "denied          - (not counted by this Haven)" \
		cell stats rtos
	FAKE_HAVEN=nocount expect fake/stats-dma-unknown 0 "dma faults      - (not counted by this Haven)" \
		cell stats rtos
	FAKE_HAVEN=nocount expect fake/stats-json-null 0 '"denied": null, "dma_faults": null' \
		cell stats rtos --json
	FAKE_HAVEN=nocount json fake/stats-json-null-valid cell stats rtos --json
	expect fake/info-image-sum 0 "image checksum     0x0123456789abcdef (FNV-1a of code, constants, system config)" info
	expect fake/info-dma-unassigned 0 "DMA faults         5 of streams no cell owns" info
	expect fake/info-json-sums 0 '"image_sum": "0x0123456789abcdef", "dma_unassigned": 5, "cpus"' \
		info --json
	FAKE_HAVEN=nocount expect fake/info-image-sum-unknown 0 "image checksum     - (not computed by this Haven)" info
	FAKE_HAVEN=nocount expect fake/info-json-null 0 '"image_sum": null, "dma_unassigned": null' info --json
	FAKE_HAVEN=nocount json fake/info-json-null-valid info --json

	# checksums of a cell's memory: FNV-1a 64, as the fake computes it
	fnv=$("$PY" -c 'import sys
h = 0xcbf29ce484222325
for i in range(int(sys.argv[1])):
    h = ((h ^ (i % 251)) * 0x100000001b3) & (2**64 - 1)
print(f"0x{h:016x}")' 4096)
	: >"$log"
	expect fake/checksum 0 "cell 'rtos': FNV-1a $fnv of the first 4096 bytes at IPA 0x40000000 (its first loadable region)" \
		cell checksum rtos 4096
	logged fake/checksum-passed "checksum id=1 bytes=4096"
	expect fake/checksum-hex 0 "of the first 4096 bytes" cell checksum 1 0x1000
	expect fake/checksum-one 0 "of the first 1 byte at" cell checksum rtos 1
	json fake/checksum-json-valid cell checksum rtos 4096 --json
	expect fake/checksum-json 0 "{\"id\": 1, \"name\": \"rtos\", \"bytes\": 4096, \"region_virt\": 1073741824, \"fnv1a\": \"$fnv\"}" \
		cell checksum rtos 4096 --json
	expect fake/checksum-too-big 1 \
		"havenctl: cell checksum: cell 'rtos': 4194304 bytes is more than its first loadable region (2097152 bytes at IPA 0x40000000)" \
		cell checksum rtos 0x400000
	expect fake/checksum-root 1 "havenctl: cell checksum: cell 'root' has no loadable region" \
		cell checksum root 16
	expect fake/checksum-unknown 1 "havenctl: cell checksum: no cell named 'gateway' (cells: root, rtos)" \
		cell checksum gateway 16
	FAKE_HAVEN=nocount expect fake/checksum-unsupported 1 \
		"havenctl: cell checksum: cell 'rtos': this Haven computes no memory checksums (HAVEN_CELL_INFO_MEM_SUM refused)" \
		cell checksum rtos 16
	FAKE_HAVEN=disabled expect fake/checksum-disabled 1 "havenctl: cell checksum: Haven is not enabled" \
		cell checksum rtos 16

	expect fake/unknown-name 1 "havenctl: cell load: no cell named 'gateway' (cells: root, rtos)" \
		cell load gateway "$tmp/a.bin"
	expect fake/unknown-id 1 "havenctl: cell stats: no cell with id 5 (cells: root, rtos)" \
		cell stats 5

	: >"$log"
	expect fake/create 0 "cell 'rtos' created (id 1, CPUs 3)" cell create "$tmp/rtos.cell"
	logged fake/create-passed "create size=312"
	expect fake/load 0 "loaded $tmp/a.bin into cell 'rtos' (9 bytes at the start of its first loadable region)" \
		cell load rtos "$tmp/a.bin" "$tmp/b.bin@0x80000"
	logged fake/load-passed "load id=1 images=2"
	logged fake/load-default-addr "size=9 addr=0xffffffffffffffff sum=$(od -An -v -tu1 "$tmp/a.bin" |
		tr -s ' ' '\n' | awk '{s += $1} END {print s}')"
	logged fake/load-addr "size=5000 addr=0x80000 sum=$(od -An -v -tu1 "$tmp/b.bin" |
		tr -s ' ' '\n' | awk '{s += $1} END {print s}')"
	expect fake/load-decimal 0 "(9 bytes at 0x1000)" cell load 1 "$tmp/a.bin@4096"
	expect fake/load-eight 0 "loaded $tmp/a.bin" cell load rtos "$tmp/a.bin" "$tmp/a.bin" \
		"$tmp/a.bin" "$tmp/a.bin" "$tmp/a.bin" "$tmp/a.bin" "$tmp/a.bin" "$tmp/a.bin"
	logged fake/load-eight-passed "load id=1 images=8"
	expect fake/start 0 "cell 'rtos' started (entry: the start of its first loadable region)" \
		cell start rtos
	logged fake/start-default "start id=1 timeout=0 entry=0xffffffffffffffff boot_arg=0xffffffffffffffff"
	expect fake/start-entry 0 "cell 'rtos' started (entry 0x80000)" cell start 1 --entry 0x80000
	logged fake/start-entry-passed "start id=1 timeout=0 entry=0x80000"
	expect fake/shutdown 0 "cell 'rtos' shut down: acknowledged after 12 ms" cell shutdown rtos
	logged fake/shutdown-default-timeout "shutdown id=1 timeout=2000"
	FAKE_HAVEN=noack expect fake/shutdown-forced 0 \
		"cell 'rtos' stopped by Haven: no acknowledgement within 500 ms (stopped after 501 ms)" \
		cell shutdown rtos --timeout 500
	logged fake/shutdown-timeout "shutdown id=1 timeout=500"
	expect fake/destroy 0 "cell 'rtos' destroyed (id 1)" cell destroy rtos
	logged fake/destroy-passed "destroy id=1"

	FAKE_HAVEN=refuse expect fake/refused-reason 1 \
		"havenctl: cell destroy: cell 'rtos' is running: shut it down first" cell destroy rtos
	FAKE_HAVEN=refuse expect fake/refused-create 1 \
		"havenctl: cell create: cell 'rtos' is running: shut it down first" \
		cell create "$tmp/rtos.cell"
	FAKE_HAVEN=silent expect fake/refused-errno 1 "havenctl: cell start: Operation not permitted" \
		cell start rtos
	FAKE_HAVEN=disabled expect fake/disabled-list 1 "havenctl: cell list: Haven is not enabled" \
		cell list
	FAKE_HAVEN=disabled expect fake/disabled-stats 1 "havenctl: cell stats: Haven is not enabled" \
		cell stats rtos
	FAKE_HAVEN=disabled expect fake/disabled-load 1 "havenctl: cell load: Haven is not enabled" \
		cell load rtos "$tmp/a.bin"
	FAKE_HAVEN=old expect fake/old-driver 1 "havenctl: cell list: haven.ko does not know this request" \
		cell list

	# --- linux: against the fake device ---------------------------------------

	# fdt_is NAME VALUE FDTGET-ARGS...: fdtget prints VALUE
	fdt_is() {
		local name=$1 want=$2 got
		shift 2
		got=$(fdtget "$@" 2>&1)
		if [ "$got" = "$want" ]; then
			echo "PASS $name"
		else
			bad "$name: fdtget $* printed '$got', expected '$want'"
		fi
	}
	# dts_has NAME DTB yes|no TEXT: the decompiled tree has TEXT, or not
	dts_has() {
		local name=$1 dtb=$2 want=$3 text=$4 dts
		dts=$(dtc -q -I dtb -O dts "$dtb" 2>&1)
		if { [[ "$dts" == *"$text"* ]] && [ "$want" = yes ]; } ||
			{ [[ "$dts" != *"$text"* ]] && [ "$want" = no ]; }; then
			echo "PASS $name"
		else
			bad "$name: '$text' expected $want in: $dts"
		fi
	}
	# not_logged NAME TEXT: the fake driver was not passed TEXT
	not_logged() {
		if grep -qF -- "$2" "$log"; then
			bad "$1: '$2' in the driver log: $(cat "$log")"
		else
			echo "PASS $1"
		fi
	}
	sum() {
		od -An -v -tu1 "$1" | tr -s ' ' '\n' | awk '{s += $1} END {print s}'
	}

	if [ $have_dtc = 1 ]; then
		G=$tmp/gen.dtb
		: >"$log"
		expect linux/dry-run 0 "dry run: cell 'linux' was not created, loaded or started" \
			cell linux "$L" "$K" -i "$tmp/initrd" -c "console=ttyAMA0 earlycon" --dtb-out "$G" --dry-run
		not_logged linux/dry-run-no-create "create"
		not_logged linux/dry-run-no-load "load"
		not_logged linux/dry-run-no-start "start"
		if dtc -I dtb -O dts -o "$tmp/gen.dts" "$G" >"$tmp/dtc.log" 2>&1 && [ ! -s "$tmp/dtc.log" ]; then
			echo "PASS linux/dtb-decompiles-cleanly"
		else
			bad "linux/dtb-decompiles-cleanly: $(cat "$tmp/dtc.log")"
		fi
		fdt_is linux/dtb-root-cells 2 "$G" / "#address-cells"
		fdt_is linux/dtb-root-size-cells 2 "$G" / "#size-cells"
		fdt_is linux/dtb-compatible "linux,dummy-virt" "$G" / compatible
		fdt_is linux/dtb-model "Haven cell linux" "$G" / model
		fdt_is linux/dtb-memory "0 40000000 0 8000000" -t x "$G" /memory@40000000 reg
		fdt_is linux/dtb-memory-type memory "$G" /memory@40000000 device_type
		fdt_is linux/dtb-root-nodes "$(printf '%s\n' memory@40000000 cpus psci intc@8000000 timer apb-pclk pl011@9000000 chosen)" \
			-l "$G" /
		fdt_is linux/dtb-cpus "$(printf 'cpu@1\ncpu@2')" -l "$G" /cpus
		# the platform's SMMU and ECAM are Haven's: never in a cell's tree
		dts_has linux/dtb-no-smmu "$G" no iommu
		dts_has linux/dtb-no-smmu-addr "$G" no 9050000
		dts_has linux/dtb-no-pci "$G" no pci
		fdt_is linux/dtb-cpus-cells 1 "$G" /cpus "#address-cells"
		fdt_is linux/dtb-cpu1-reg 1 "$G" /cpus/cpu@1 reg
		fdt_is linux/dtb-cpu2-reg 2 "$G" /cpus/cpu@2 reg
		fdt_is linux/dtb-cpu-psci psci "$G" /cpus/cpu@2 enable-method
		fdt_is linux/dtb-cpu-compatible "arm,armv8" "$G" /cpus/cpu@1 compatible
		fdt_is linux/dtb-psci "arm,psci-1.0 arm,psci-0.2" "$G" /psci compatible
		fdt_is linux/dtb-psci-smc smc "$G" /psci method
		fdt_is linux/dtb-gic "0 8000000 0 10000 0 80a0000 0 80000" \
			-t x "$G" /intc@8000000 reg
		fdt_is linux/dtb-gic-compatible "arm,gic-v3" "$G" /intc@8000000 compatible
		fdt_is linux/dtb-gic-redist-regions 1 "$G" /intc@8000000 "#redistributor-regions"
		fdt_is linux/dtb-gic-no-its "" -l "$G" /intc@8000000
		fdt_is linux/dtb-interrupt-parent "$(fdtget "$G" /intc@8000000 phandle)" \
			"$G" / interrupt-parent
		fdt_is linux/dtb-timer "1 13 8 1 14 8 1 11 8 1 10 8" "$G" /timer interrupts
		fdt_is linux/dtb-clock 24000000 "$G" /apb-pclk clock-frequency
		fdt_is linux/dtb-pl011-reg "0 9000000 0 1000" -t x "$G" /pl011@9000000 reg
		fdt_is linux/dtb-pl011-irq "0 248 4" "$G" /pl011@9000000 interrupts
		fdt_is linux/dtb-pl011-clocks "$(fdtget "$G" /apb-pclk phandle) $(fdtget "$G" /apb-pclk phandle)" \
			"$G" /pl011@9000000 clocks
		fdt_is linux/dtb-pl011-clock-names "uartclk apb_pclk" \
			"$G" /pl011@9000000 clock-names
		fdt_is linux/dtb-bootargs "console=ttyAMA0 earlycon" "$G" /chosen bootargs
		fdt_is linux/dtb-stdout /pl011@9000000 "$G" /chosen stdout-path
		fdt_is linux/dtb-initrd-start "0 405a0000" -t x "$G" /chosen linux,initrd-start
		fdt_is linux/dtb-initrd-end "0 405a1388" -t x "$G" /chosen linux,initrd-end
		expect linux/layout-kernel 0 "kernel       0x40000000-0x4059ffff  $K, image_size 5760 KiB (file 64 KiB)" \
			cell linux "$L" "$K" -i "$tmp/initrd" --dry-run
		expect linux/layout-initrd 0 "initrd       0x405a0000-0x405a1387  $tmp/initrd, 5000 bytes" \
			cell linux "$L" "$K" -i "$tmp/initrd" --dry-run
		expect linux/layout-dtb 0 "device tree  0x40600000-" cell linux "$L" "$K" -i "$tmp/initrd" --dry-run
		expect linux/layout-cpus 0 "CPUs         1-2" cell linux "$L" "$K" --dry-run
		expect linux/image-size-zero 0 "64 KiB (image_size is 0 in its header: the file's size)" \
			cell linux "$L" "$tmp/Image-nosize" --dry-run
		expect linux/dtb-out-said 0 "device tree written to $tmp/x.dtb" \
			cell linux "$L" "$K" --dry-run --dtb-out "$tmp/x.dtb"

		# defaults, and a cell without an emulated UART
		"$havenctl" cell linux "$tmp/linux-nouart.cell" "$K" --dry-run --dtb-out "$tmp/nouart.dtb" >/dev/null 2>&1
		fdt_is linux/dtb-default-bootargs "console=ttyAMA0" \
			"$tmp/nouart.dtb" /chosen bootargs
		dts_has linux/dtb-no-uart "$tmp/nouart.dtb" no pl011
		dts_has linux/dtb-no-stdout "$tmp/nouart.dtb" no stdout-path
		dts_has linux/dtb-no-initrd "$tmp/nouart.dtb" no linux,initrd
		# an MPIDR with Aff3 needs two cells
		FAKE_HAVEN=aff3 "$havenctl" cell linux "$L" "$K" --dry-run --dtb-out "$tmp/aff3.dtb" >/dev/null 2>&1
		fdt_is linux/dtb-aff3-cells 2 "$tmp/aff3.dtb" /cpus "#address-cells"
		fdt_is linux/dtb-aff3-reg "1 2" "$tmp/aff3.dtb" /cpus/cpu@100000002 reg
		fdt_is linux/dtb-aff3-cpu1 "0 1" "$tmp/aff3.dtb" /cpus/cpu@1 reg

		# -d: a board's tree, patched for linux-io.cell
		P=$tmp/patched.dtb
		expect linux/patch 0 "device tree  0x40600000-" \
			cell linux "$tmp/linux-io.cell" "$K" -d "$tmp/board.dtb" --dtb-out "$P" --dry-run
		expect linux/patch-said 0 "$tmp/board.dtb (patched)" \
			cell linux "$tmp/linux-io.cell" "$K" -d "$tmp/board.dtb" --dry-run
		for gone in rtc@9010000 flash@0 memory@100000000 reserved-memory secret@ its@ cortex-a55 \
			interrupt-controller@8000000 i2c@2000 eeprom@50 'dev@0 ' test,unmapped root=/dev/sda \
			'method = "hvc"' 'interrupts = <0x00 0x01 0x04>' rtc0 optee; do
			dts_has "linux/patch-deletes-$gone" "$P" no "$gone"
		done
		for kept in redist-probe@80c0000 soc@9030000 gpio@0 dev@100 keys serial0 gpio0; do
			dts_has "linux/patch-keeps-$kept" "$P" yes "$kept"
		done
		fdt_is linux/patch-memory "0 40000000 0 8000000" -t x "$P" /memory@40000000 reg
		fdt_is linux/patch-cpus "$(printf 'cpu@1\ncpu@2')" -l "$P" /cpus
		fdt_is linux/patch-bootargs "console=ttyAMA0" "$P" /chosen bootargs
		fdt_is linux/patch-pl011-irq "0 248 4" "$P" /pl011@9000000 interrupts
		fdt_is linux/patch-compatible "linux,dummy-virt" "$P" / compatible
		fdt_is linux/patch-gic-phandle "$(fdtget "$P" /intc@8000000 phandle)" \
			"$P" /soc@9030000/gpio@0 interrupt-parent
		fdt_is linux/patch-clock-phandle "$(fdtget "$P" /apb-pclk phandle)" \
			"$P" /soc@9030000/gpio@0 clocks
		fdt_is linux/patch-root-parent "$(fdtget "$P" /intc@8000000 phandle)" \
			"$P" / interrupt-parent
		# the bus at 0x09030000 is no io region of linux.cell: all of it goes
		"$havenctl" cell linux "$L" "$K" -d "$tmp/board.dtb" --dry-run --dtb-out "$tmp/p2.dtb" >/dev/null 2>&1
		dts_has linux/patch-bus-outside-io "$tmp/p2.dtb" no gpio@0
		dts_has linux/patch-in-gicr-io "$tmp/p2.dtb" yes redist-probe@80c0000
		expect linux/patch-root-cells 1 "board32.dtb: its root has #address-cells 1 and #size-cells 1, and node 'redist-probe@80c0000' keeps addresses in them" \
			cell linux "$L" "$K" -d "$tmp/board32.dtb" --dry-run
	fi

	expect linux/cpu-outside 1 "linux-cpu7.cell: cell 'linux' has CPU 7, but the platform has 4 CPUs" \
		cell linux "$tmp/linux-cpu7.cell" "$K" --dry-run
	# the validator runs before anything is done, a dry run included
	expect linux/validator-dry-run 1 \
		"linux-ppi-uart.cell: cell 'linux': emulated UART interrupt must be an SPI the cell owns" \
		cell linux "$tmp/linux-ppi-uart.cell" "$K" --dry-run
	FAKE_HAVEN=disabled expect linux/disabled 1 "havenctl: cell linux: Haven is not enabled" \
		cell linux "$L" "$K" --dry-run

	# create, load, start
	: >"$log"
	expect linux/boot-created 0 "cell 'linux' created (id 2, CPUs 1-2)" \
		cell linux "$L" "$K" -i "$tmp/initrd" --dtb-out "$tmp/boot.dtb"
	expect linux/boot-started 0 "cell 'linux' started (entry 0x40000000, device tree at 0x40600000)" \
		cell linux "$L" "$K" -i "$tmp/initrd"
	logged linux/boot-create "create size=408 name=linux"
	logged linux/boot-load "load id=2 images=3"
	logged linux/boot-load-kernel "size=65536 addr=0x40000000 sum=$(sum "$K")"
	logged linux/boot-load-initrd "size=5000 addr=0x405a0000 sum=$(sum "$tmp/initrd")"
	logged linux/boot-load-dtb "size=$(stat -c %s "$tmp/boot.dtb") addr=0x40600000 sum=$(sum "$tmp/boot.dtb")"
	logged linux/boot-start "start id=2 timeout=0 entry=0x40000000 boot_arg=0x40600000"
	: >"$log"
	FAKE_HAVEN=linux-stopped expect linux/reload 0 "cell 'linux' exists (id 2, shut-down): loading it again" \
		cell linux "$L" "$K"
	not_logged linux/reload-no-create "create"
	logged linux/reload-two-images "load id=2 images=2"
	logged linux/reload-start "start id=2 timeout=0 entry=0x40000000 boot_arg=0x40600000"
	: >"$log"
	FAKE_HAVEN=linux-running expect linux/running 1 \
		"havenctl: cell linux: cell 'linux' is running: shut it down first (havenctl cell shutdown linux)" \
		cell linux "$L" "$K"
	not_logged linux/running-no-load "load"
	: >"$log"
	FAKE_HAVEN=sealed expect linux/sealed 1 \
		"havenctl: cell linux: layout sealed: no cell can be created, loaded or started until reboot" \
		cell linux "$L" "$K"
	not_logged linux/sealed-no-create "create"
	FAKE_HAVEN=linux-other expect linux/differs 1 \
		"cell linux: cell 'linux' exists with other CPUs or memory regions than $L declares: destroy it first" \
		cell linux "$L" "$K"
	FAKE_HAVEN=refuse expect linux/create-refused 1 \
		"havenctl: cell linux: cell 'rtos' is running: shut it down first" cell linux "$L" "$K"

	# console --cell: every other request of the fake takes up to 16 bytes
	printf 'echo "LINUX-CELL: echo $((6 * 7))"\nuname -a\n' >"$tmp/input"
	: >"$log"
	: >"$tmp/uart"
	FAKE_HAVEN_UART=$tmp/uart expect console/cell-input 0 "" console --cell rtos <"$tmp/input"
	if cmp -s "$tmp/input" "$tmp/uart"; then
		echo "PASS console/cell-input-arrived"
	else
		bad "console/cell-input-arrived: the UART got '$(cat "$tmp/uart")'"
	fi
	logged console/cell-input-retried "console-write id=1 len=44 written=0"
	logged console/cell-input-rest "console-write id=1 len=28 written=16"
	expect console/cell-by-id 0 "" console --cell 1 </dev/null
	expect console/cell-unknown 1 "havenctl: console: no cell named 'gateway' (cells: root, rtos)" \
		console --cell gateway <"$tmp/input"
	FAKE_HAVEN=fifo-full expect console/cell-fifo-full 1 \
		"havenctl: console: cell 'rtos' took no input for 2000 ms: its UART's receive FIFO stays full" \
		console --cell rtos <"$tmp/input"
	FAKE_HAVEN=refuse expect console/cell-refused 1 "havenctl: console: cell 'rtos' is running" \
		console --cell rtos <"$tmp/input"

	# the cell file compiled from configs/qemu-arm64/linux.yaml
	if [ $have_dtc = 1 ] && [ -f "$O/linux.cell" ]; then
		R=$tmp/real.dtb
		expect linux/build-cell 0 "dry run: cell 'linux'" \
			cell linux "$O/linux.cell" "$K" -i "$tmp/initrd" --dry-run --dtb-out "$R"
		fdt_is linux/build-cell-memory "0 40000000 0 8000000" -t x "$R" /memory@40000000 reg
		fdt_is linux/build-cell-cpus "$(printf 'cpu@1\ncpu@2')" -l "$R" /cpus
		fdt_is linux/build-cell-pl011-irq "0 248 4" "$R" /pl011@9000000 interrupts
	fi

	unset LD_PRELOAD FAKE_HAVEN_LOG
	export HAVEN_DEVICE=$nodev
fi

# --- system configuration ----------------------------------------------------

if [ ! -f "$valid" ]; then
	echo "SKIP: $valid not found (make configs); the system configuration cases did not run"
	[ "$failures" -eq 0 ] && exit 77
	exit 1
fi

size=$(stat -c %s "$valid")
check valid 0 "valid system configuration:" "$valid"

head -c $((size / 2)) "$valid" >"$tmp/truncated.cell"
check truncated 1 "total_size does not match the file size (total_size $size, file has $((size / 2)) bytes)" \
	"$tmp/truncated.cell"

cp "$valid" "$tmp/magic.cell"
patch() {
	printf '%b' "\\0$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
patch "$tmp/magic.cell" 0 130 # 'X'
check bad-magic 1 "not a Haven configuration (bad magic) (starts with \"XAVENCFG\"" \
	"$tmp/magic.cell"

cp "$valid" "$tmp/version.cell"
patch "$tmp/version.cell" 8 377 # version 255
check wrong-version 1 "configuration format version differs from this Haven's (version 255" \
	"$tmp/version.cell"

cp "$valid" "$tmp/kind.cell"
patch "$tmp/kind.cell" 12 002 # kind: cell
check cell-needs-system 2 "is a cell configuration, checking it needs --system SYSTEM.cell" \
	"$tmp/kind.cell"

cp "$valid" "$tmp/final.cell"
patch "$tmp/final.cell" 279 200 # final_cells |= 1 << 31
check final-layout-undeclared 1 "final layout names a cell that is not declared (final_cells 0x8" \
	"$tmp/final.cell"

# Copies of the QEMU system breaking the rules of the SMMU, the PCI ECAM,
# stream IDs, PCI devices, SMCs and sub-page windows (offsets: include/haven/config.h; the
# root at 280, cell 1 rtos at 560, cell 2 linux at 840)
"$PY" - "$valid" "$tmp" <<'EOF'
import struct, sys
good, d = open(sys.argv[1], "rb").read(), sys.argv[2]
PLATFORM, ROOT, RTOS, LINUX = 48, 280, 560, 840
def broken(name, *edits):
    data = bytearray(good)
    for offset, fmt, value in edits:
        struct.pack_into("<" + fmt, data, offset, value)
    open(f"{d}/{name}.cell", "wb").write(data)
regions, = struct.unpack_from("<I", good, ROOT + 48)
irqs = ROOT + 56 + 8 * (106 // 64)
broken("smmu-irq", (PLATFORM + 200, "I", 20))
broken("ecam-misaligned", (PLATFORM + 208, "Q", 0x3F080000))
broken("root-over-gicd", (regions + 32, "Q", 0x08000000),
       (regions + 40, "Q", 0x08000000))
broken("root-smmu-irq", (irqs, "Q", struct.unpack_from("<Q", good, irqs)[0] |
                         1 << (106 % 64)))
broken("stream-conflict", (LINUX + 184, "I", 1), (LINUX + 188, "I", 8))
broken("pci-in-root", (ROOT + 220, "I", 1), (ROOT + 224, "H", 0x0010))
broken("pci-bus", (RTOS + 224, "H", 0x1008))
broken("smc-psci", (RTOS + 240, "I", 1), (RTOS + 244, "I", 0x84000002))
broken("smc-psci01", (RTOS + 240, "I", 1), (RTOS + 244, "I", 0x95C1BA60))
broken("unused-slot", (RTOS + 188 + 12, "I", 5))
# root region 1 (the ITS) a sub-page window without widths; region 3 (the
# UART) one in Haven's UART
broken("window-flags", (regions + 32 + 24, "Q", 0x89))
broken("window-uart", (regions + 96 + 16, "Q", 0x10), (regions + 96 + 24, "Q", 0x489))
EOF
check smmu-irq 1 "SMMU region or interrupts are invalid (smmu_base 0x9050000 size 0x20000, event_irq 20, gerror_irq 109, 288 INTIDs: event_irq is not an SPI of the platform)" \
	"$tmp/smmu-irq.cell"
check ecam-misaligned 1 "PCI ECAM region is invalid (1 MiB-aligned, 1-256 buses) (pci_ecam_base 0x3f080000 size 0x1000000: the base is not 1 MiB-aligned)" \
	"$tmp/ecam-misaligned.cell"
check region-over-gicd 1 "root cell, region 1: memory region overlaps a device Haven owns or emulates (GIC distributor, SMMU, PCI ECAM) (phys 0x8000000-0x801ffff overlaps the GIC distributor at 0x8000000-0x800ffff, which Haven emulates)" \
	"$tmp/root-over-gicd.cell"
check root-smmu-irq 1 "root cell: cell owns an interrupt Haven uses itself (SMMU) (INTID 106 is the SMMU's event queue interrupt, which Haven uses itself)" \
	"$tmp/root-smmu-irq.cell"
check stream-conflict 1 "cell 2 'linux': stream IDs: too many, duplicated, out of range or no SMMU (stream ID 0x8 is also in cell 1 'rtos')" \
	"$tmp/stream-conflict.cell"
check pci-in-root 1 "root cell: PCI devices: too many, duplicated, in the root, or no ECAM for their bus (PCI device 00:02.0: the root cell has none, it reaches every function no created cell owns)" \
	"$tmp/pci-in-root.cell"
check pci-bus 1 "cell 1 'rtos': PCI devices: too many, duplicated, in the root, or no ECAM for their bus (PCI device 10:01.0: bus 0x10 is beyond the ECAM's buses 0x00-0x0f)" \
	"$tmp/pci-bus.cell"
check smc-psci 1 "cell 1 'rtos': SMC allow-list: too many, duplicated, or names PSCI or a Haven hypercall (function ID 0x84000002: a PSCI function (0x84xxxxxx or 0xc4xxxxxx), which Haven emulates)" \
	"$tmp/smc-psci.cell"
check smc-psci01 1 "cell 1 'rtos': SMC allow-list: too many, duplicated, or names PSCI or a Haven hypercall (function ID 0x95c1ba60: a PSCI 0.1 function of QEMU and KVM (0x95c1ba5e-0x95c1ba61), which would bypass Haven's PSCI)" \
	"$tmp/smc-psci01.cell"
check unused-slot 1 "cell 1 'rtos': reserved field is not zero (stream_ids[3] 0x5 beyond num_stream_ids 1: unused slots must be 0)" \
	"$tmp/unused-slot.cell"
check window-flags 1 "root cell, region 1: sub-page region must be io, without exec or loadable, with at least one access width (widths only on sub-page regions) (phys 0x8080000 size 0x20000 flags 0x89)" \
	"$tmp/window-flags.cell"
check window-uart 1 "root cell, region 3: sub-page region lies in a page of the GIC, the SMMU, the PCI ECAM, Haven's UART or the hypervisor memory (phys 0x9000000 virt 0x9000000 size 0x10)" \
	"$tmp/window-uart.cell"
check valid-devices 0 ", SMMU at 0x9050000, PCI ECAM at 0x3f000000 with 16 buses" "$valid"

cell_file=$(dirname "$valid")/rtos.cell
if [ -f "$cell_file" ]; then
	check cell-valid 0 "valid cell configuration: cell 'rtos'" "$cell_file" --system "$valid"
	check cell-valid-devices 0 "interrupts, stream IDs 0x8, PCI devices 00:01.0, allowed SMCs none (checked against" \
		"$cell_file" --system "$valid"
	check cell-against-cell 1 "wrong kind of configuration (system vs cell) (this is a cell configuration, expected a system configuration)" \
		"$cell_file" --system "$cell_file"
fi

# CPUs shared by declared cells: the temporal tests' system (make fixtures)
# and copies of it, and of the QEMU system, breaking the scheduling rules
# (struct haven_sched at offset 264 of a cell)
temporal=$(dirname "$valid")/fixtures/system-temporal.cell
if [ -f "$temporal" ]; then
	check temporal-valid 0 "valid system configuration: 4 CPUs, root cell 'root' with 10 regions, 2 declared cells" \
		"$temporal"
	check temporal-shared-by 0 "
CPU 3: shared by rtos, linux
CPU 3: rtos: priority 2, budget 2000 us / period 10000 us: share 20.0%, delay bound 16000 us
CPU 3: rtos: response of a job needing C us <= C + (ceil(C/2000)+1)*8000 us
CPU 3: linux: priority 1, budget 8000 us / period 10000 us: share 80.0%, delay bound 4000 us
CPU 3: linux: response of a job needing C us <= C + (ceil(C/8000)+1)*2000 us" "$temporal"
	check temporal-cell 0 "allowed SMCs none, sched priority 2, budget 2000 us / period 10000 us (checked against" \
		"$(dirname "$temporal")/rtos-shared.cell" --system "$temporal"
	"$PY" - "$valid" "$temporal" "$tmp" <<'EOF'
import struct, sys
valid, temporal, d = (open(sys.argv[1], "rb").read(),
                      open(sys.argv[2], "rb").read(), sys.argv[3])
ROOT, RTOS, LINUX, SCHED = 280, 560, 840, 264
def broken(name, good, *edits):
    data = bytearray(good)
    for offset, fmt, value in edits:
        struct.pack_into("<" + fmt, data, offset, value)
    open(f"{d}/{name}.cell", "wb").write(data)
rtos_regions, = struct.unpack_from("<I", temporal, RTOS + 48)
broken("sched-priority", temporal, (LINUX + SCHED + 8, "I", 2))
broken("sched-overload", temporal, (LINUX + SCHED, "I", 9000))
broken("sched-missing", temporal, (RTOS + SCHED, "Q", 0), (RTOS + SCHED + 8, "I", 0))
broken("sched-range", temporal, (LINUX + SCHED, "I", 50))
broken("sched-reserved", temporal, (LINUX + SCHED + 12, "I", 9))
broken("sched-root", temporal, (ROOT + SCHED + 4, "I", 10000),
       (ROOT + SCHED + 8, "I", 1))
broken("sched-unused", valid, (RTOS + SCHED, "I", 2000),
       (RTOS + SCHED + 4, "I", 10000), (RTOS + SCHED + 8, "I", 2))
# rtos's region 1 (the edu's BAR) moved onto CPU 3's redistributor frame
broken("shared-gicr", temporal, (rtos_regions + 32, "Q", 0x08100000),
       (rtos_regions + 48, "Q", 0x20000))
EOF
	check sched-priority 1 "cell 2 'linux': cells sharing a CPU have the same priority (priority 2 on CPU 3, also the priority of cell 1 'rtos': the cells on a CPU need distinct priorities)" \
		"$tmp/sched-priority.cell"
	check sched-overload 1 "cell 2 'linux': budgets of the cells sharing a CPU add up to more than 100% (CPU 3: budgets add up to more than 100%: rtos 20.0% + linux 90.0%)" \
		"$tmp/sched-overload.cell"
	check sched-missing 1 "cell 1 'rtos': cell shares a CPU with another cell but has no scheduling parameters (CPU 3 is also in cell 2 'linux': every cell on a shared CPU needs budget_us, period_us and priority)" \
		"$tmp/sched-missing.cell"
	check sched-range 1 "cell 2 'linux': scheduling parameters out of range (period 1-1000000 us, budget 0 or 100 us up to the period, priority 1-255; all 0 without a period) (budget_us 50, period_us 10000, priority 1: budget_us is below the minimum of 100 us (0 makes the cell best effort))" \
		"$tmp/sched-range.cell"
	check sched-reserved 1 "cell 2 'linux': reserved field is not zero (sched.reserved 0x9: must be 0)" \
		"$tmp/sched-reserved.cell"
	check sched-root 1 "root cell: cell has scheduling parameters but shares no CPU (the root never has any) (period_us 10000: the root cell is never scheduled, its sched must be all 0)" \
		"$tmp/sched-root.cell"
	check sched-unused 1 "cell 1 'rtos': cell has scheduling parameters but shares no CPU (the root never has any) (period_us 10000, but no other declared cell lists any of its CPUs 3)" \
		"$tmp/sched-unused.cell"
	check shared-gicr 1 "cell 1 'rtos', region 1: memory region maps the redistributor of a shared CPU, which Haven emulates (phys 0x8100000-0x811ffff overlaps the redistributor frame 0x8100000-0x811ffff of CPU 3, which cells 'rtos' and 'linux' share: no cell may map it)" \
		"$tmp/shared-gicr.cell"
else
	echo "SKIP: $temporal not found (make fixtures); the shared-CPU cases did not run"
fi

expect enable-invalid 1 "magic.cell: not a Haven configuration (bad magic)" enable "$tmp/magic.cell"
expect enable-nodev 1 "$nd" enable "$valid"

[ "$failures" -eq 0 ]
