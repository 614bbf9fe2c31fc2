# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 300 --files tests/lib/guest.sh --files build/fixtures --files build/guest-tests/subpage --files build/guest-tests/ncmap.ko
# serial-expect: root: CPU [0-3]: sub-page read of IPA 0x9010fe0 \(2 bytes\) refused: access width not allowed in its window
# serial-expect: hostile_fail: CPU 1: sub-page read of IPA 0x9010008 \(4 bytes\) refused: outside its sub-page windows
# Sub-page windows of the root (issue 5). In build/fixtures/system-rootsub.cell
# the root has, instead of the PL031 RTC's page 0x09010000, two windows
# there: the match, load and control registers (0x09010004-0x0901000f,
# read-write, 32-bit) and the ID registers (0x09010fe0-0x09010fff,
# read-only, 8- or 32-bit); hostile_fail (cell 1, CPU 1, policy fail) has
# the data register 0x09010000. The root Linux, through /dev/mem
# (tests/guest/subpage.c, one process per access), must get the device's
# values in its windows, and for an access Haven refuses an external abort
# (SIGBUS, BUS_OBJERR, in that process only), one "faults" more in
# "havenctl cell stats root" and Haven's line "root: CPU n: sub-page ...
# refused: REASON". A misaligned access goes through ncmap.ko's Normal
# mapping of the page: on /dev/mem's Device mapping the CPU itself faults
# first. With hostile_fail created the root's windows still work and its
# data register stays out of the root's reach; hostile_fail in turn fails
# when it reads the root's load register.
. ./guest.sh

F=fixtures
RTC=0x09010000
MR=0x09010004 # match register: the root's, read-write
LR=0x09010008 # load register: the root's
IMSC=0x09010010 # interrupt mask: in the page, in nobody's window
ID0=0x09010fe0 # PeriphID0: the root's, read-only
PCELLID3=0x09010ffc
MATCH=0x5a5aa5a5
SIGBUS_EXIT=3 # subpage's status after SIGBUS

# jget KEY: the number after "KEY": in the JSON on stdin (the first)
jget() {
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" | head -n 1
}

# wait_state CELL STATE WHEN: CELL reaches STATE within 10 s
wait_state() {
	n=0
	until [ "$(cell_state "$1")" = "$2" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "$1 is $(cell_state "$1") $3, expected $2"
		sleep 0.1
	done
}

root_faults() {
	havenctl cell stats root --json | jget faults
}

# access ARGS...: ./subpage ARGS, its line in $out, its status in $rc and
# Haven's console meanwhile in /tmp/access.log, the root's faults before
# and after in $faults0 and $faults1
access() {
	faults0=$(root_faults)
	lines=$(havenctl console | wc -l)
	out=$(./subpage "$@" 2>&1)
	rc=$?
	havenctl console | tail -n +$((lines + 1)) | tr -d '\r' >/tmp/access.log
	faults1=$(root_faults)
	echo "--- subpage $*: $out (status $rc), root faults $faults0 -> $faults1"
	sed 's/^/    /' /tmp/access.log
}

# allowed WANT ARGS...: the access went through with output WANT, unreported
allowed() {
	want=$1
	shift
	access "$@"
	[ $rc = 0 ] && [ "$out" = "$want" ] || fail "subpage $*: '$out' (status $rc), expected '$want'"
	[ "$faults1" = "$faults0" ] || fail "subpage $*: root faults went from $faults0 to $faults1"
	if grep -q "refused\|unowned" /tmp/access.log; then
		fail "subpage $*: Haven reported an access it performs: $(cat /tmp/access.log)"
	fi
	pass "root: subpage $* -> $out, nothing reported"
}

# refused KIND IPA BYTES REASON ARGS...: SIGBUS from Haven's external
# abort, one fault more, and Haven's line
refused() {
	kind=$1 ipa=$2 bytes=$3 why=$4
	shift 4
	access "$@"
	[ $rc = $SIGBUS_EXIT ] && [ "$out" = "sigbus code 3 (BUS_OBJERR)" ] ||
		fail "subpage $*: '$out' (status $rc), expected SIGBUS with BUS_OBJERR (Haven's external abort)"
	[ "$faults1" = $((faults0 + 1)) ] ||
		fail "subpage $*: root faults went from $faults0 to $faults1, expected +1"
	line="sub-page $kind of IPA $ipa ($bytes bytes) refused: $why"
	grep -q "^root: CPU [0-3]: $line (ESR 0x[0-9a-f]*, PC 0x[0-9a-f]*)$" /tmp/access.log ||
		fail "subpage $*: no 'root: CPU n: $line' from Haven"
	pass "root: subpage $* refused: $why (SIGBUS, faults +1, reported)"
}

expect_ok insmod haven.ko
expect_ok insmod ncmap.ko phys=$RTC
out=$(./subpage r32 $IMSC) && [ "$out" = "value 0x0" ] ||
	fail "without Haven: subpage r32 $IMSC: $out, expected the PL031's 0"
pass "without Haven the root reads the whole RTC page ($IMSC: $out)"
expect_ok havenctl enable $F/system-rootsub.cell

# --- in its windows: what the device says ---------------------------------------
allowed "value 0x31" r32 $ID0 # PeriphID0 of the PL031
allowed "value 0xb1" r8 $PCELLID3 # PrimeCell ID3
allowed "written $MATCH" w32 $MR $MATCH
allowed "value $MATCH" r32 $MR
allowed "written 0x0" w32 $MR 0
allowed "value 0x0" r32 $MR

# --- refused: width, read-only, outside, no syndrome, misaligned ----------------
refused read 0x9010fe0 2 "access width not allowed in its window" r16 $ID0
refused read 0x9010fe0 8 "access width not allowed in its window" r64 $ID0
refused write 0x9010fe0 4 "write to a read-only window" w32 $ID0 0x12345678
refused read 0x9010010 4 "outside its sub-page windows" r32 $IMSC
refused write 0x9010010 4 "outside its sub-page windows" w32 $IMSC 1
refused read 0x9010000 4 "outside its sub-page windows" r32 $RTC
refused read 0x9010004 0 "no valid syndrome (pair, exclusive, atomic or writeback access)" ldp $MR
# through /dev/mem (Device memory) the CPU faults on its own (an alignment
# fault at EL1, BUS_ADRALN): Haven never sees it, hence ncmap.ko
access r32 0x09010006
[ $rc = $SIGBUS_EXIT ] && [ "$out" = "sigbus code 1 (BUS_ADRALN)" ] && [ "$faults1" = "$faults0" ] ||
	fail "subpage r32 0x09010006 (Device): '$out', faults $faults0 -> $faults1, expected the CPU's own alignment fault"
pass "root: a misaligned access through a Device mapping faults in the CPU first (BUS_ADRALN, nothing for Haven)"
refused read 0x9010006 4 "misaligned" --nc r32 0x09010006
allowed "value 0x31" r32 $ID0
linux_healthy

# --- with hostile_fail's window in the page -------------------------------------
expect_ok havenctl cell create $F/hostile_fail-rootsub.cell
allowed "value 0x31" r32 $ID0
allowed "written $MATCH" w32 $MR $MATCH
allowed "value $MATCH" r32 $MR
refused read 0x9010000 4 "outside its sub-page windows" r32 $RTC
# hostile_fail reads the root's load register (hostile.bin's attack
# subpage-read-outside) and fails with Haven's report
printf '\000\000\000\000\000\000\000\000\002\000\000\000\000\000\000\000' >/tmp/list.bin
lines=$(havenctl console | wc -l)
expect_ok havenctl cell load hostile_fail inmates/hostile.bin /tmp/list.bin@0x40180000
expect_ok havenctl cell start hostile_fail
wait_state hostile_fail shut-down "after listing its attacks"
i=$(havenctl console | tail -n +$((lines + 1)) | tr -d '\r' |
	sed -n 's/^\[hostile_fail\] HOSTILE: attack \([0-9]*\) subpage-read-outside .*/\1/p')
[ -n "$i" ] || fail "hostile.bin lists no attack subpage-read-outside"
printf "\\$(printf '%03o' "$i")\\000\\000\\000\\000\\000\\000\\000\\001\\000\\000\\000\\000\\000\\000\\000" >/tmp/args.bin
lines=$(havenctl console | wc -l)
expect_ok havenctl cell load hostile_fail inmates/hostile.bin /tmp/args.bin@0x40180000
expect_ok havenctl cell start hostile_fail
wait_state hostile_fail failed "after reading the root's $LR"
havenctl console | tail -n +$((lines + 1)) | tr -d '\r' >/tmp/cell.log
sed 's/^/    /' /tmp/cell.log
grep -q "^hostile_fail: CPU 1: sub-page read of IPA 0x9010008 (4 bytes) refused: outside its sub-page windows" /tmp/cell.log ||
	fail "no sub-page report of hostile_fail's read of the root's $LR"
grep -q "cell 'hostile_fail' FAILED: CPU 1, " /tmp/cell.log || fail "no FAILED report of hostile_fail"
pass "hostile_fail: its read of the root's window $LR refused, the cell failed"
allowed "value $MATCH" r32 $MR
expect_ok havenctl cell destroy hostile_fail

# --- the page stays out of the root's stage 2 (its windows are never mapped) ----
allowed "value 0x31" r32 $ID0
refused read 0x9010010 4 "outside its sub-page windows" r32 $IMSC
allowed "written 0x0" w32 $MR 0
expect_ok havenctl disable
# and is the root's whole page again without Haven; the refused write
# of 1 to the mask register never reached the device
out=$(./subpage r32 $IMSC) && [ "$out" = "value 0x0" ] ||
	fail "after disable: subpage r32 $IMSC: $out, expected 0 (the refused write of 1 did not reach it)"
pass "after disable the root reads the whole RTC page again ($IMSC: $out)"
expect_ok rmmod ncmap
linux_healthy
echo "root-subpage: passed"
