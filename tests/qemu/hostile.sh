# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 1200 --files tests/lib/guest.sh --files build/fixtures --files build/guest-tests/canary --files build/guest-tests/elstate.ko
# host-check: /usr/bin/python3 tests/lib/hostile_report.py {log} --json test-results/hostile.json
# The hostile-cell suite (issue 5). The cell "hostile" (CPU 2, policy abort,
# inmates/tests/hostile.c) attacks the root, the rtos cell and Haven, one
# attack per start of the cell, next to the production RTOS (CPU 3) and a
# busy root; then the same image as "hostile_fail" (CPU 1, policy fail)
# reads root RAM once, and once, in a new cell next to a new hostile, a
# register of the RTC's page beside its sub-page window (the root must not
# reach the page until both are destroyed). The CPU state pair (state-plant, then state-check in
# the next start) runs on CPU 2 in the cell, then once more with the check
# done by the root (tests/guest/elstate.c) once the cell's destroy gave the
# CPU back. Around every attack this script records what Haven
# counted (the cell's faults, denied accesses and DMA faults, DMA faults of
# unowned streams) and the victims: the root's canary at 0x60000000 (root
# RAM outside its Linux), Haven's image checksum, the RTOS's state,
# heartbeat and the checksum of its first 4 KiB, a root shell's counter and
# the root's view of its UART interrupt (SPI 33) in the distributor. Haven's
# console is captured with "havenctl console -f" and cut per attack.
#
# Everything is printed at the end, when no cell runs any more (Haven and
# Linux share the serial line), as
#   HOSTILE-ATTACK N NAME KIND EXPECTED    what the cell lists
#   HOSTILE-REC R key=before:after ...     per run R: an attack's index,
#                                          "fail" and "fail-subpage" for
#                                          the hostile_fail runs,
#                                          "root-plant" and "root" for the
#                                          state pair around the destroy
#   HOSTILE-LOG R | console line           Haven's console during run R
# and tests/lib/hostile_report.py (the host-check above, run by tests/run on
# the serial log) judges each attack and writes test-results/hostile.json.
# This script fails only if the rig itself breaks (Haven cannot be enabled,
# a cell cannot be created, ...), not on an attack's outcome.
#
# Needs the edu devices at 00:01.0-00:03.0 (tools/qemu-run) and
# build/fixtures/system-hostile.cell declaring rtos, hostile, hostile_fail.
# tests/qemu/hostile-direct.sh runs it with HOSTILE_SUFFIX=-direct (the
# fixtures with direct interrupt delivery in the hostile cell) and
# HOSTILE_ONLY, an extended regular expression: only the attacks whose
# names match it run.
. ./guest.sh

F=fixtures
SFX=${HOSTILE_SUFFIX:-}
# the production RTOS: equal to its declaration in system-hostile.cell
RTOS_CELL=rtos.cell
ARGS_ADDR=0x40180000
CANARY=0x60000000
CANARY_SIZE=0x1000
RTOS_SUM_BYTES=4096
UNASSIGNED_EDU=/sys/bus/pci/devices/0000:00:03.0
D=/tmp/hostile # records, console slices
CAPTURE=/tmp/hostile-console.log
FLAG_ONLY=1
FLAG_LIST=2
mkdir -p $D

# jget KEY: the value of "KEY" in the JSON object on stdin: a number,
# null, or a string's contents
jget() {
	sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

orempty() {
	if [ -n "$1" ]; then echo "$1"; else echo none; fi
}

# args FIRST FLAGS: the hostile inmate's argument, two little-endian u64
args() {
	printf "$(printf '\\%03o' $(($1 & 255)))$(printf '\\%03o' $(($1 >> 8)))\\000\\000\\000\\000\\000\\000"
	printf "$(printf '\\%03o' "$2")\\000\\000\\000\\000\\000\\000\\000"
}

# snapshot CELL: key=value lines of what the attacks must not change, and
# of CELL's counters
snapshot() {
	info=$(havenctl info --json 2>/dev/null)
	rtos=$(havenctl cell stats rtos --json 2>/dev/null)
	me=$(havenctl cell stats "$1" --json 2>/dev/null)
	if out=$(./canary check $CANARY $CANARY_SIZE 2>&1); then
		echo canary=intact
	else
		echo canary=changed
		echo "$out" >>$D/canary-notes
	fi
	echo "image=$(orempty "$(echo "$info" | jget image_sum)")"
	echo "dmaun=$(orempty "$(echo "$info" | jget dma_unassigned)")"
	echo "rtos_state=$(orempty "$(echo "$rtos" | jget state)")"
	echo "rtos_hb=$(orempty "$(echo "$rtos" | jget heartbeat)")"
	echo "rtos_sum=$(orempty "$(havenctl cell checksum rtos $RTOS_SUM_BYTES --json 2>/dev/null | jget fnv1a)")"
	echo "root=$(orempty "$(cat /tmp/root-counter 2>/dev/null)")"
	echo "gic=$(devmem 0x08000104 32)/$(devmem 0x08000420 32)/$(devmem 0x08006108 64)"
	echo "state=$(orempty "$(echo "$me" | jget state)")"
	echo "starts=$(orempty "$(echo "$me" | jget starts)")"
	echo "faults=$(orempty "$(echo "$me" | jget faults)")"
	echo "denied=$(orempty "$(echo "$me" | jget denied)")"
	echo "dma=$(orempty "$(echo "$me" | jget dma_faults)")"
}

capture_size() {
	stat -c %s $CAPTURE
}

# wait_for CELL SECONDS CONDITION...: until CONDITION holds, polling
wait_for() {
	cell=$1
	n=$(($2 * 20))
	shift 2
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.05
	done
}

stopped() {
	s=$(cell_state "$cell")
	[ -n "$s" ] && [ "$s" != running ] && [ "$s" != shutting-down ]
}

# after a SYSTEM_RESET the driver starts the cell again: stopped, restarted
# and stopped again
reset_done() {
	stopped && [ "$(havenctl cell stats "$cell" --json | jget starts)" -ge $((starts0 + 2)) ]
}

# run_cell CELL NAME FIRST FLAGS [reset]: one start of the hostile image;
# Haven's console meanwhile in $D/log.NAME, the run's outcome in $D/run.NAME
run_cell() {
	cell=$1 name=$2
	args "$3" "$4" >/tmp/args.bin
	starts0=$(havenctl cell stats "$cell" --json | jget starts)
	from=$(capture_size)
	havenctl cell load "$cell" inmates/hostile.bin /tmp/args.bin@$ARGS_ADDR >/dev/null ||
		fail "load of $cell for $name"
	havenctl cell start "$cell" >/dev/null || fail "start of $cell for $name"
	if [ "$5" = reset ]; then
		cond=reset_done
	else
		cond=stopped
	fi
	if wait_for "$cell" 20 $cond; then
		echo ok >$D/run.$name
	else
		echo timeout >$D/run.$name
		havenctl cell shutdown "$cell" --timeout 200 >/dev/null
	fi
	sleep 0.3 # console -f polls every 100 ms
	to=$(capture_size)
	tail -c +$((from + 1)) $CAPTURE | head -c $((to - from)) >$D/log.$name
}

# attack CELL NAME INDEX [reset]: run attack INDEX alone, with the victims
# and counters before and after, as record NAME
attack() {
	snapshot "$1" >$D/before
	run_cell "$1" "$2" "$3" $FLAG_ONLY $4
	snapshot "$1" >$D/after
	awk -F= 'NR == FNR { b[$1] = $2; next } { printf " %s=%s:%s", $1, b[$1], $2 }' \
		$D/before $D/after >$D/rec.$2
	echo " cell=$1 attack=$3 run=$(cat $D/run.$2)" >>$D/rec.$2
}

# root_check NAME INDEX PLANTED_BY: the hostile cell (which run
# PLANTED_BY left its state on CPU 2) destroyed, then attack INDEX
# (state-check) done by elstate.ko in the root on CPU 2, as record NAME:
# its lines, as the cell's would be, around Haven's console meanwhile
root_check() {
	snapshot root >$D/before
	from=$(capture_size)
	expect_ok havenctl cell destroy hostile
	n=0
	until [ "$(cat /sys/devices/system/cpu/cpu2/online)" = 1 ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "CPU 2 is not back online after the destroy"
		sleep 0.05
	done
	if insmod elstate.ko cpu=2; then
		rmmod elstate
		echo ok >$D/run.$1
	else
		echo failed >$D/run.$1
	fi
	sleep 0.3 # console -f polls every 100 ms
	to=$(capture_size)
	snapshot root >$D/after
	{
		echo "[root] HOSTILE: begin $2 state-check"
		tail -c +$((from + 1)) $CAPTURE | head -c $((to - from))
		dmesg | sed -n -e 's/^.*elstate: HOSTILE: leak /[root] HOSTILE: leak /p' \
			-e 's/^.*elstate: HOSTILE: checked /[root] HOSTILE: checked /p'
		dmesg | sed -n "s/^.*elstate: HOSTILE: observed=/[root] HOSTILE: end $2 observed=/p"
	} >$D/log.$1
	awk -F= 'NR == FNR { b[$1] = $2; next } { printf " %s=%s:%s", $1, b[$1], $2 }' \
		$D/before $D/after >$D/rec.$1
	echo " cell=root attack=$2 run=$(cat $D/run.$1) planted_by=$3" >>$D/rec.$1
}

# skip CELL INDEX REASON
skip() {
	echo " cell=$1 attack=$2 run=skipped:$3" >$D/rec.$2
	: >$D/log.$2
}

# --- the rig -------------------------------------------------------------------
expect_ok insmod haven.ko
expect_ok havenctl enable $F/system-hostile$SFX.cell
havenctl info

# the edu no cell owns: memory decode and bus mastering, from the root
for dev in /sys/bus/pci/devices/0000:00:0[123].0; do
	[ -e "$dev" ] || fail "no $dev: run with the edu devices (-device edu,addr=N,dma_mask=0xffffffffff)"
	echo "$dev: vendor $(cat $dev/vendor) device $(cat $dev/device) BAR0 $(head -n 1 $dev/resource)"
done
printf '\006' | dd of=$UNASSIGNED_EDU/config bs=1 seek=4 count=1 conv=notrunc 2>/dev/null ||
	fail "cannot enable 00:03.0 through $UNASSIGNED_EDU/config"
cmd=$(od -An -tx1 -j4 -N1 $UNASSIGNED_EDU/config | tr -d ' ')
[ "$cmd" = 06 ] || fail "00:03.0 command register is 0x$cmd after enabling memory and bus mastering"
pass "00:03.0: memory decode and bus mastering on"

expect_ok havenctl cell create $RTOS_CELL
expect_ok havenctl cell load rtos inmates/rtos.bin
expect_ok havenctl cell start rtos
n=0
until [ "$(havenctl cell stats rtos --json | jget heartbeat)" -gt 0 ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "the RTOS does not beat"
	sleep 0.1
done
expect_ok ./canary write $CANARY $CANARY_SIZE
expect_ok ./canary check $CANARY $CANARY_SIZE

# the root at work: a shell counting, 50 times a second
(n=0; while :; do n=$((n + 1)); echo $n >/tmp/root-counter.new; mv /tmp/root-counter.new /tmp/root-counter; sleep 0.02; done) &
counter=$!
havenctl console -f >$CAPTURE &
follower=$!
sleep 0.3

# --- the hostile cell: its attacks, one per start ------------------------------
expect_ok havenctl cell create $F/hostile$SFX.cell
run_cell hostile list 0 $FLAG_LIST
sed -n 's/^\[hostile\] HOSTILE: attack //p' $D/log.list | tr -d '\r' >$D/catalog
if [ -n "${HOSTILE_ONLY:-}" ]; then
	grep -E "^[0-9]+ ($HOSTILE_ONLY) " $D/catalog >$D/catalog.only
	mv $D/catalog.only $D/catalog
fi
count=$(wc -l <$D/catalog)
[ "$count" -gt 0 ] || fail "the hostile cell listed no attacks: $(cat $D/log.list)"
pass "$count attacks"

# DMA through an SMMU that Haven does not drive would reach physical memory:
# without Haven's DMA fault counters, the DMA attacks are not run
dma_ok=yes
[ "$(havenctl info --json | jget dma_unassigned)" = null ] && dma_ok=no

while read -r i name kind expected; do
	case $kind in
	off) continue ;; # after the others: they end the cell
	reset) continue ;;
	plant | state) continue ;; # a pair, below
	dma | dma-unassigned | control)
		if [ $dma_ok = no ]; then
			skip hostile "$i" haven-counts-no-dma-faults
			continue
		fi ;;
	esac
	attack hostile "$i" "$i" </dev/null
done <$D/catalog
pass "every attack that leaves the cell running ran"

# the CPU's state: planted, then checked by the next start on CPU 2
plant=$(awk '$3 == "plant" { print $1 }' $D/catalog)
check=$(awk '$3 == "state" { print $1 }' $D/catalog)
attack hostile "$plant" "$plant"
attack hostile "$check" "$check"
echo " planted_by=$plant" >>$D/rec.$check

i=$(awk '$3 == "off" { print $1 }' $D/catalog)
attack hostile "$i" "$i"
[ "$(cell_state hostile)" = shut-down ] || echo "note: hostile is $(cell_state hostile) after SYSTEM_OFF"
i=$(awk '$3 == "reset" { print $1 }' $D/catalog)
attack hostile "$i" "$i" reset
havenctl cell list
# planted once more, then checked by the root once CPU 2 is back there
attack hostile root-plant "$plant"
root_check root "$check" root-plant

# --- the same image with the policy "fail": one read of root RAM --------------
i=$(awk '$2 == "read-root-ram" { print $1 }' $D/catalog)
expect_ok havenctl cell create $F/hostile_fail$SFX.cell
attack hostile_fail fail "$i"
havenctl cell list
expect_ok havenctl cell destroy hostile_fail
# ... and a read beside its sub-page window, in the RTC's page, while
# hostile has windows there too: the root gets the page back only with the
# last window (the direct-delivery subset has no sub-page attacks)
if [ -z "$SFX" ]; then
	i=$(awk '$2 == "subpage-read-outside" { print $1 }' $D/catalog)
	[ -n "$i" ] || fail "no subpage-read-outside attack in the catalog"
	expect_ok havenctl cell create $F/hostile.cell
	expect_ok havenctl cell create $F/hostile_fail.cell
	attack hostile_fail fail-subpage "$i"
	expect_ok havenctl cell destroy hostile_fail
	if devmem 0x09010000 32 >/dev/null 2>&1; then
		fail "the root reads the RTC's page while hostile has windows in it"
	fi
	pass "the RTC's page stays away from the root while hostile has windows in it"
	expect_ok havenctl cell destroy hostile
	rtc=$(devmem 0x09010000 32) ||
		fail "the root cannot read the RTC's page once no cell has a window in it"
	pass "the RTC's page is the root's again (data register $rtc)"
fi

# --- the victims at the end -----------------------------------------------------
snapshot rtos >$D/final
cat $D/final
havenctl cell stats rtos
kill $counter $follower
wait $counter $follower 2>/dev/null
expect_ok havenctl cell shutdown rtos
expect_ok havenctl cell destroy rtos
expect_ok havenctl disable
sleep 0.5

# --- the records, while nothing else writes to the serial line ----------------
echo "HOSTILE-DATA-BEGIN"
while read -r i name kind expected; do
	echo "HOSTILE-ATTACK $i $name $kind $expected"
done <$D/catalog
for f in $D/rec.*; do
	i=${f##*.}
	echo "HOSTILE-REC $i$(tr -d '\n' <$f)"
done
for f in $D/log.*; do
	i=${f##*.}
	[ "$i" = list ] && continue
	tr -d '\r' <$f | sed "s/^/HOSTILE-LOG $i | /"
done
[ -f $D/canary-notes ] && sed 's/^/HOSTILE-NOTE canary: /' $D/canary-notes
echo "HOSTILE-DATA-END"
echo "hostile: the suite ran"
