#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "havenctl-host config check" on a valid system configuration and on broken
# copies of it; each case checks the exit status and the message.
#
#   tests/tools/test_havenctl_host.sh
#
# Environment: O (build directory, default build/), HAVENCTL (the binary,
# default $O/tools/havenctl-host), SYSTEM_CELL (default $O/system.cell).
# Exit status: 0 all passed, 1 a case failed, 77 skipped because there is no
# compiled system configuration yet (the cases that need none still run).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$root/build}
havenctl=${HAVENCTL:-$O/tools/havenctl-host}
valid=${SYSTEM_CELL:-$O/system.cell}
failures=0

if [ ! -x "$havenctl" ]; then
	echo "FAIL: $havenctl not built (make tools)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check NAME STATUS TEXT ARGS...: run "config check ARGS", expect STATUS and
# TEXT in the output; an error must be one line starting with "havenctl: ".
check() {
	local name=$1 want=$2 text=$3 out rc
	shift 3
	out=$("$havenctl" config check "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want: $out"
	elif [[ "$out" != *"$text"* ]]; then
		echo "FAIL $name: expected '$text' in: $out"
	elif [ "$rc" -ne 0 ] && { [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] ||
		[[ "$out" != "havenctl: "* ]]; }; then
		echo "FAIL $name: not a single 'havenctl: ' line: $out"
	else
		echo "PASS $name"
		return 0
	fi
	failures=$((failures + 1))
}

# patch FILE OFFSET OCTAL: overwrite one byte.
patch() {
	printf '%b' "\\0$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# Cases that need no valid configuration.
check missing 1 "cannot open: No such file or directory" "$tmp/none.cell"
: >"$tmp/empty.cell"
check empty 1 "file is empty" "$tmp/empty.cell"
printf 'HAVENCFG' >"$tmp/short.cell"
check short 1 "file is shorter than its header (8 bytes, need at least 32)" \
	"$tmp/short.cell"
head -c $((1024 * 1024 + 1)) /dev/zero >"$tmp/big.cell"
check too-large 1 "file is larger than 1 MiB" "$tmp/big.cell"

if [ ! -f "$valid" ]; then
	echo "SKIP: $valid not found (make configs); ran $((4 - failures))/4 file cases"
	[ "$failures" -eq 0 ] && exit 77
	exit 1
fi

size=$(stat -c %s "$valid")
check valid 0 "valid system configuration:" "$valid"

head -c $((size / 2)) "$valid" >"$tmp/truncated.cell"
check truncated 1 "total_size does not match the file size (total_size $size, file has $((size / 2)) bytes)" \
	"$tmp/truncated.cell"

cp "$valid" "$tmp/magic.cell"
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

[ "$failures" -eq 0 ]
