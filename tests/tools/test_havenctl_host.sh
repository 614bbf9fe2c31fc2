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
#   system     "config check" on a valid system configuration and on broken
#              copies of it
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

for c in create load start shutdown destroy list stats; do
	expect "help/cell-$c" 0 "Usage: havenctl cell $c" cell "$c" --help
	expect "help/main-lists-cell-$c" 0 "  cell $c" --help
	expect "help/cell-lists-$c" 0 "  $c" cell --help
done
expect help/info-layout 0 "layout: open (final layout: NAME, ...)" info --help

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
usage stats-option "cell stats: unknown option '--yaml'" cell stats rtos --yaml

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
    return b"HAVENCFG" + struct.pack("<HHHHI3I", 1, 183, kind, 32, size, 0, 0, 0)
cell = b"rtos".ljust(32, b"\0") + struct.pack("<QIIII", 8, 0, 0, 216, 0) + bytes(128)
open(f"{d}/rtos.cell", "wb").write(header(2, 32 + len(cell)) + cell)
open(f"{d}/sys-header.cell", "wb").write(header(1, 300) + bytes(268))
open(f"{d}/large.cell", "wb").write(header(2, 9000) + bytes(8968))
EOF

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
	expect fake/stats-traps 0 "traps  hvc  psci  smc_other  gicd  sgi  irq  maintenance  abort  other  total" \
		cell stats rtos
	expect fake/stats-io-region 0 "     1  0x8100000-0x811ffff    0x8100000-0x811ffff    128 KiB  read,write,io" \
		cell stats rtos
	expect fake/stats-comm-region 0 "     2  -                      0x40200000-0x40200fff    4 KiB  read,write,comm" \
		cell stats rtos
	expect fake/stats-root-no-rtos 0 "RTOS            no statistics published" cell stats root
	json fake/stats-json cell stats rtos --json
	json fake/stats-json-root cell stats 0 --json
	expect fake/stats-json-rtos 0 '"rtos": {"releases": 1000, "completions": 998, "deadline_misses": 2, "worst_response_ns": 12345}' \
		cell stats rtos --json
	expect fake/stats-json-root-rtos 0 '"rtos": {"releases": 0, "completions": 0, "deadline_misses": 0, "worst_response_ns": 0}' \
		cell stats root --json

	expect fake/unknown-name 1 "havenctl: cell load: no cell named 'gateway' (cells: root, rtos)" \
		cell load gateway "$tmp/a.bin"
	expect fake/unknown-id 1 "havenctl: cell stats: no cell with id 5 (cells: root, rtos)" \
		cell stats 5

	: >"$log"
	expect fake/create 0 "cell 'rtos' created (id 1, CPUs 3)" cell create "$tmp/rtos.cell"
	logged fake/create-passed "create size=216"
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
	logged fake/start-default "start id=1 timeout=0 entry=0xffffffffffffffff"
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
patch "$tmp/final.cell" 239 200 # final_cells |= 1 << 31
check final-layout-undeclared 1 "final layout names a cell that is not declared (final_cells 0x8" \
	"$tmp/final.cell"

cell_file=$(dirname "$valid")/rtos.cell
if [ -f "$cell_file" ]; then
	check cell-valid 0 "valid cell configuration: cell 'rtos'" "$cell_file" --system "$valid"
	check cell-against-cell 1 "wrong kind of configuration (system vs cell) (this is a cell configuration, expected a system configuration)" \
		"$cell_file" --system "$cell_file"
fi

expect enable-invalid 1 "magic.cell: not a Haven configuration (bad magic)" enable "$tmp/magic.cell"
expect enable-nodev 1 "$nd" enable "$valid"

[ "$failures" -eq 0 ]
