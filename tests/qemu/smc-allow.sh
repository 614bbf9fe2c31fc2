# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 300 --files tests/lib/guest.sh --files build/fixtures
# serial-expect: smc_abort: CPU 2: denied: SMC 0x83000022, not on its allow-list
# serial-expect: cell 'smc_fail' FAILED: CPU 1, .*\(EC 0x17, .*unknown SMC 0xc2000011
# SMC allow-lists at run time (issue 5). build/fixtures/system-smc.cell
# declares smc_abort (CPU 2, policy abort, smc_allow [0xc2000011]) and
# smc_fail (CPU 1, policy fail, smc_allow [0x83000022]). Each cell makes,
# in one start each, the SMC on its own list and the one on the other's
# (inmates/tests/smcprobe.c: x1-x7 set to known values, x0-x7 printed back).
#
# On this platform the "firmware" is QEMU's PSCI emulation: with
# virtualization=on and no EL3 it takes every SMC from EL2, answers the PSCI
# function IDs and returns NOT_SUPPORTED (-1) in x0 for any other, leaving
# x1-x3 as they were (target/arm/psci.c since QEMU 7.0; QEMU 10 here). So a
# forwarded SMC comes back with x0 = 0xffffffffffffffff and x1-x3 as the
# cell set them, and Haven counts and logs nothing; a refused one returns
# the same NOT_SUPPORTED, but from Haven, which counts it in the cell's
# "denied" and logs "denied: SMC ..., not on its allow-list", or, under
# the policy "fail", stops the cell (FAILED, "unknown SMC") before it can
# print anything. Haven must not forward the SMC of another cell's list.
. ./guest.sh

F=fixtures
ALLOWED_ABORT=0xc2000011 # smc_abort's
ALLOWED_FAIL=0x83000022 # smc_fail's
ARG_ADDR=0x40180000
NOT_SUPPORTED=0xffffffffffffffff
# what smcprobe puts in x1-x3 (x4-x7 likewise), and so what QEMU leaves there
X1=0x5345544e49544e01
X2=0x5345544e49544e02
X3=0x5345544e49544e03

# jget KEY: the number after "KEY": in the JSON on stdin (the first)
jget() {
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" | head -n 1
}

# fnbin FN: FN as a little-endian u64 in /tmp/fn.bin
fnbin() {
	v=$(($1))
	: >/tmp/fn.bin
	for i in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf '%03o' $(((v >> (8 * i)) & 255)))" >>/tmp/fn.bin
	done
}

# probe CELL FN: one start of smcprobe in CELL calling FN; until the cell
# stops; Haven's console meanwhile in /tmp/probe.log, the cell's counters
# before and after in $denied0, $denied1, $smc0, $smc1, its state in $state
probe() {
	fnbin "$2"
	stats=$(havenctl cell stats "$1" --json)
	denied0=$(echo "$stats" | jget denied)
	smc0=$(echo "$stats" | jget smc_other)
	lines=$(havenctl console | wc -l)
	expect_ok havenctl cell load "$1" inmates/smcprobe.bin /tmp/fn.bin@$ARG_ADDR
	expect_ok havenctl cell start "$1"
	n=0
	while :; do
		state=$(cell_state "$1")
		[ "$state" = running ] || [ "$state" = shutting-down ] || break
		n=$((n + 1))
		[ $n -lt 100 ] || fail "$1 still $state 10 s after its start"
		sleep 0.1
	done
	havenctl console | tail -n +$((lines + 1)) | tr -d '\r' >/tmp/probe.log
	stats=$(havenctl cell stats "$1" --json)
	denied1=$(echo "$stats" | jget denied)
	smc1=$(echo "$stats" | jget smc_other)
	echo "--- $1, SMC $2: state $state, denied $denied0 -> $denied1, smc_other $smc0 -> $smc1"
	sed 's/^/    /' /tmp/probe.log
	[ "$smc1" = $((smc0 + 1)) ] ||
		fail "$1: smc_other went from $smc0 to $smc1, expected one SMC trapped"
}

# forwarded CELL FN: the firmware's answer came back, Haven reported nothing
forwarded() {
	want="SMCPROBE: fn $2 x0=$NOT_SUPPORTED x1=$X1 x2=$X2 x3=$X3 x4-x7=kept"
	grep -qxF "[$1] $want" /tmp/probe.log ||
		fail "$1: no '$want' (QEMU's NOT_SUPPORTED, x1-x3 as set) after its SMC $2"
	grep -qxF "[$1] SMCPROBE: done" /tmp/probe.log || fail "$1 did not finish after its SMC $2"
	[ "$state" = shut-down ] || fail "$1 is $state after its allowed SMC $2, expected shut-down"
	[ "$denied1" = "$denied0" ] || fail "$1: denied went from $denied0 to $denied1 for its allowed SMC $2"
	if grep -q "denied\|FAILED\|refused" /tmp/probe.log; then
		fail "$1: Haven reported its allowed SMC $2: $(grep "denied\|FAILED\|refused" /tmp/probe.log)"
	fi
	pass "$1: SMC $2 (on its allow-list) forwarded: x0 $NOT_SUPPORTED from QEMU, x1-x3 as set, x4-x7 kept, nothing denied"
}

expect_ok insmod haven.ko
expect_ok havenctl enable $F/system-smc.cell
expect_ok havenctl cell create $F/smc-abort.cell
expect_ok havenctl cell create $F/smc-fail.cell

# --- policy abort: its own SMC goes through, smc_fail's is refused ----------
probe smc_abort $ALLOWED_ABORT
forwarded smc_abort $ALLOWED_ABORT

probe smc_abort $ALLOWED_FAIL
want="SMCPROBE: fn $ALLOWED_FAIL x0=$NOT_SUPPORTED x1=$X1 x2=$X2 x3=$X3 x4-x7=kept"
grep -qxF "[smc_abort] $want" /tmp/probe.log ||
	fail "smc_abort: no '$want' (Haven's NOT_SUPPORTED) after the SMC it may not make"
[ "$state" = shut-down ] || fail "smc_abort is $state after a refused SMC, expected shut-down (policy abort)"
[ "$denied1" = $((denied0 + 1)) ] ||
	fail "smc_abort: denied went from $denied0 to $denied1 for SMC $ALLOWED_FAIL, expected +1"
grep -qF "smc_abort: CPU 2: denied: SMC $ALLOWED_FAIL, not on its allow-list" /tmp/probe.log ||
	fail "smc_abort: no 'denied: SMC $ALLOWED_FAIL' line from Haven"
pass "smc_abort: SMC $ALLOWED_FAIL (smc_fail's) refused: NOT_SUPPORTED, denied +1, reported"

# --- policy fail: its own SMC goes through, smc_abort's stops it -------------
probe smc_fail $ALLOWED_FAIL
forwarded smc_fail $ALLOWED_FAIL

probe smc_fail $ALLOWED_ABORT
[ "$state" = failed ] || fail "smc_fail is $state after SMC $ALLOWED_ABORT, expected failed (policy fail)"
if grep -q "SMCPROBE: fn" /tmp/probe.log; then
	fail "smc_fail returned from the SMC it may not make: $(grep "SMCPROBE: fn" /tmp/probe.log)"
fi
grep -q "cell 'smc_fail' FAILED: CPU 1, .*(EC 0x17, ESR 0x[0-9a-f]*): unknown SMC $ALLOWED_ABORT, PC" /tmp/probe.log ||
	fail "smc_fail: no FAILED report naming the unknown SMC $ALLOWED_ABORT"
pass "smc_fail: SMC $ALLOWED_ABORT (smc_abort's) stopped it (FAILED, reported)"

# --- the cells go; the root carries on ----------------------------------------
expect_ok havenctl cell destroy smc_fail
expect_ok havenctl cell destroy smc_abort
havenctl cell list
expect_ok havenctl disable
echo "smc-allow: passed"
