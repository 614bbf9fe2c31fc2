#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The RTOS's temporal measurement (inmates/README.md, "Measurement") on bare
# metal under -icount, and the lines a test script parses:
#
#   rtos: temporal periods=N budget_ticks=B recv_min=X recv_avg=Y recv_max=Z
#         min_budget_received_pct=P.PP held_min=H min_budget_held_pct=Q.QQ
#         stall_max=S deadline_misses=M worst_response_ticks=R
#         irq_lat_min=A irq_lat_avg=B irq_lat_max=C          (one line)
#   rtos: irq latency histogram LO-HI ticks: COUNT
#
# Cases:
#   shared    rtos-bare-shared.elf (soak on): no reservation, so periods=0
#             and no budget; sane interrupt latency (min <= avg <= max, the
#             histogram's buckets ordered and holding min and max); no gap
#             (nothing else runs); no miss
#   spin      rtos-bare-spin.elf: the job never completes; the RTOS still
#             stops at the end and reports the dropped releases as misses
#   idle      rtos-bare-idle.elf: no soak (WFI), no miss, periods=0
#   reserved  test-comm-shared.elf: the comm harness writes a reservation of
#             2 ms / 10 ms into the page and, on a second CPU, spins from the
#             end of the budget to the end of each period (under -icount
#             the vCPUs share virtual time, so the RTOS sees gaps): periods
#             are measured, each gets at least its budget and at most the
#             period, the RTOS's and the other CPU's average received time
#             add up to the period (+-1 %), no miss
#
#   tests/tools/test_rtos_temporal.sh
#
# Environment: O (build directory, default build/; the inmates are built in
# $O/inmates), TOOLCHAIN (gcc or clang, read by inmates/Makefile; default
# gcc), QEMU (default qemu-system-aarch64), RTOS_TIMEOUT (seconds per QEMU
# run, default 60). Exit status: 0 passed, 1 failed, 77 skipped (no
# qemu-system-aarch64).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
O=${O:-$root/build}
out=$O/inmates
qemu=${QEMU:-qemu-system-aarch64}
limit=${RTOS_TIMEOUT:-60}
# one counter tick (62.5 MHz) per instruction
icount=shift=4,sleep=off
failed=()

if ! command -v "$qemu" >/dev/null 2>&1; then
	echo "SKIP: $qemu not installed"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok   $*"; }
bad() {
	echo "FAIL $*"
	failed+=("$*")
}

echo "building: make -C inmates O=$out"
if ! make -s -C inmates O="$out" >"$tmp/build.log" 2>&1; then
	bad "build"
	tail -n 20 "$tmp/build.log" | sed 's/^/    /'
	exit 1
fi

# boot NAME ELF SMP MEM: runs QEMU, output in $tmp/NAME.out; sets $rc
boot() {
	local name=$1 elf=$2 smp=$3 mem=$4 start=$SECONDS
	timeout -k 5 "$limit" "$qemu" -machine virt,gic-version=3 \
		-cpu cortex-a55 -smp "$smp" -m "$mem" -display none \
		-monitor none -serial stdio -nic none -kernel "$elf" \
		-icount "$icount" </dev/null >"$tmp/$name.log" 2>"$tmp/$name.err"
	rc=$?
	tr -d '\r' <"$tmp/$name.log" >"$tmp/$name.out"
	sed -i '/icount sleep disabled and no active timers/d' "$tmp/$name.err"
	echo "--- $name: $elf, -smp $smp -m $mem -icount $icount: exit $rc in $((SECONDS - start)) s"
	sed 's/^/    /' "$tmp/$name.out"
	if [ -s "$tmp/$name.err" ]; then
		echo "    (stderr)"
		sed 's/^/    /' "$tmp/$name.err"
	fi
}

check_exit() {
	if [ "$rc" -eq 0 ]; then
		ok "$1: QEMU exited by itself (PSCI SYSTEM_OFF)"
	else
		bad "$1: QEMU exit status $rc (124/137: still running after ${limit}s)"
	fi
	if grep -q '^inmate: ' "$tmp/$1.out"; then
		bad "$1: runtime error: $(grep -m1 '^inmate: ' "$tmp/$1.out")"
	fi
}

# The exact form of the summary line, as the temporal tests parse it.
line_re='^rtos: temporal periods=[0-9]+ budget_ticks=[0-9]+ recv_min=[0-9]+ recv_avg=[0-9]+ recv_max=[0-9]+ min_budget_received_pct=[0-9]+\.[0-9]{2} held_min=[0-9]+ min_budget_held_pct=[0-9]+\.[0-9]{2} stall_max=[0-9]+ deadline_misses=[0-9]+ worst_response_ticks=[0-9]+ irq_lat_min=[0-9]+ irq_lat_avg=[0-9]+ irq_lat_max=[0-9]+$'
hist_re='^rtos: irq latency histogram [0-9]+-[0-9]+ ticks: [0-9]+$'

# parse NAME: the last summary line into the variables named by its keys
# (periods, budget_ticks, ..., irq_lat_max); false if there is none
parse() {
	local line kv
	line=$(grep '^rtos: temporal ' "$tmp/$1.out" | tail -n 1)
	if [ -z "$line" ]; then
		bad "$1: no 'rtos: temporal ...' line"
		return 1
	fi
	if ! grep -Eq "$line_re" <<<"$line"; then
		bad "$1: summary line not in the expected form: '$line'"
		return 1
	fi
	ok "$1: summary line '$line'"
	for kv in ${line#rtos: temporal }; do
		printf -v "${kv%%=*}" '%s' "${kv#*=}"
	done
	pct_x100=${min_budget_received_pct/./}
	pct_x100=$((10#$pct_x100))
}

# check_latency NAME: min <= avg <= max, > 0; histogram buckets in order,
# disjoint, the first holding min and the last max
check_latency() {
	local name=$1 report
	if [ "$irq_lat_min" -gt 0 ] && [ "$irq_lat_min" -le "$irq_lat_avg" ] &&
		[ "$irq_lat_avg" -le "$irq_lat_max" ]; then
		ok "$name: interrupt latency min/avg/max $irq_lat_min/$irq_lat_avg/$irq_lat_max ticks"
	else
		bad "$name: interrupt latency min/avg/max $irq_lat_min/$irq_lat_avg/$irq_lat_max"
	fi
	if grep '^rtos: irq latency histogram' "$tmp/$name.out" | grep -Evq "$hist_re"; then
		bad "$name: histogram line not in the form 'rtos: irq latency histogram LO-HI ticks: N'"
	fi
	report=$(grep -E "$hist_re" "$tmp/$name.out" | awk -v min="$irq_lat_min" -v max="$irq_lat_max" '
		{ split($5, r, "-"); lo = r[1] + 0; hi = r[2] + 0; n = $NF + 0
		  if (lo > hi || n == 0 || (seen && lo <= prev)) bad = 1
		  if (!seen) first_lo = lo
		  seen = 1; prev = hi; last_hi = hi; last_lo = lo; total += n; lines++ }
		END {
			if (!seen) { print "ERR no histogram lines"; exit }
			if (bad) print "ERR buckets not increasing, disjoint and non-empty"
			if (min < first_lo || max > last_hi || max < last_lo)
				print "ERR min " min " or max " max " outside the first/last bucket"
			print "OK " lines " buckets, " total " interrupts"
		}')
	if grep -q '^ERR' <<<"$report"; then
		while read -r line; do bad "$name: histogram: ${line#ERR }"; done < <(grep '^ERR' <<<"$report")
	else
		ok "$name: histogram: ${report#OK }"
	fi
}

# check_gaps NAME: the number of gaps the RTOS saw (none on bare metal)
gaps_of() {
	sed -n 's/^rtos: gaps \([0-9]*\), .*/\1/p' "$tmp/$1.out"
}

# --- soak, no reservation ------------------------------------------------------
boot shared "$out/rtos-bare-shared.elf" 1 128M
if parse shared; then
	if [ "$periods" -eq 0 ] && [ "$budget_ticks" -eq 0 ] && [ "$recv_min$recv_avg$recv_max" = 000 ] &&
		[ "$min_budget_received_pct" = 0.00 ]; then
		ok "shared: no reservation: periods=0, budget and received 0"
	else
		bad "shared: no reservation, but periods=$periods budget_ticks=$budget_ticks recv $recv_min/$recv_avg/$recv_max pct $min_budget_received_pct"
	fi
	[ "$deadline_misses" -eq 0 ] && ok "shared: no deadline miss" || bad "shared: $deadline_misses deadline misses"
	check_latency shared
fi
if grep -q '^rtos: gap threshold [0-9]* ticks ([0-9]* ns), [0-9]* ticks per observation, soak on$' "$tmp/shared.out"; then
	ok "shared: soak on, gap threshold printed"
else
	bad "shared: no 'rtos: gap threshold ... soak on' line"
fi
g=$(gaps_of shared)
[ "${g:-x}" = 0 ] && ok "shared: no gap on bare metal" || bad "shared: gaps '${g:-none printed}' on bare metal"
if [ "$(grep -c '^rtos: temporal ' "$tmp/shared.out")" -ge 4 ]; then
	ok "shared: a summary line every second and at the end"
else
	bad "shared: expected >= 4 summary lines (every second and at the end)"
fi
check_exit shared

# --- a job that never completes ------------------------------------------------
boot spin "$out/rtos-bare-spin.elf" 1 128M
if parse spin; then
	if [ "$deadline_misses" -gt 250 ]; then
		ok "spin: $deadline_misses deadline misses (dropped releases)"
	else
		bad "spin: $deadline_misses deadline misses, expected > 250 in 3 s at 10 ms"
	fi
	check_latency spin
fi
if grep -q '^rtos: t=3s task spin: rel [0-9]* done 0 ' "$tmp/spin.out"; then
	ok "spin: no job completed"
else
	bad "spin: no 't=3s task spin: ... done 0' report"
fi
check_exit spin

# --- mostly idle ----------------------------------------------------------------
boot idle "$out/rtos-bare-idle.elf" 1 128M
if parse idle; then
	[ "$periods" -eq 0 ] && ok "idle: periods=0" || bad "idle: periods=$periods"
	[ "$deadline_misses" -eq 0 ] && ok "idle: no deadline miss" || bad "idle: $deadline_misses deadline misses"
	check_latency idle
fi
grep -q 'soak off$' "$tmp/idle.out" && ok "idle: soak off" || bad "idle: soak not off"
check_exit idle

# --- a reservation emulated by the comm harness ----------------------------------
boot reserved "$out/test-comm-shared.elf" 2 2G
if parse reserved; then
	freq=$(awk '/^rtos: started,/ { print $6; exit }' "$tmp/reserved.out")
	period=$((${freq:-0} / 100))
	if [ "$budget_ticks" -eq $((${freq:-0} / 500)) ]; then
		ok "reserved: budget_ticks=$budget_ticks (2 ms at $freq Hz)"
	else
		bad "reserved: budget_ticks=$budget_ticks, expected 2 ms at ${freq:-?} Hz"
	fi
	# rtos-shared's task set measures from 2 s after its start (tasks_shared.c)
	if [ "$periods" -ge 40 ]; then
		ok "reserved: $periods periods measured"
	else
		bad "reserved: $periods periods measured, expected >= 40 in the 0.5 s of 10 ms periods after the 2 s warm-up"
	fi
	if [ "$recv_min" -ge "$budget_ticks" ] && [ "$pct_x100" -ge 10000 ] &&
		[ "$recv_max" -le "$period" ] && [ "$recv_min" -le "$recv_avg" ] &&
		[ "$recv_avg" -le "$recv_max" ]; then
		ok "reserved: received per period min/avg/max $recv_min/$recv_avg/$recv_max ticks: >= the budget ($min_budget_received_pct %), <= the period"
	else
		bad "reserved: received per period min/avg/max $recv_min/$recv_avg/$recv_max, budget $budget_ticks ($min_budget_received_pct %), period $period"
	fi
	[ "$deadline_misses" -eq 0 ] && ok "reserved: no deadline miss" || bad "reserved: $deadline_misses deadline misses"
	other=$(sed -n 's/^harness: other cell: [0-9]* periods .* received min\/avg\/max [0-9]*\/\([0-9]*\)\/[0-9]* ticks$/\1/p' "$tmp/reserved.out")
	if [ -z "$other" ]; then
		bad "reserved: no 'harness: other cell: ...' line"
	else
		sum=$((recv_avg + other))
		diff=$((sum > period ? sum - period : period - sum))
		if [ $((diff * 100)) -le "$period" ]; then
			ok "reserved: the RTOS's $recv_avg + the other CPU's $other = $sum ticks per period of $period (+-1 %)"
		else
			bad "reserved: the RTOS's $recv_avg + the other CPU's $other = $sum ticks, not the period $period +-1 %"
		fi
	fi
fi
g=$(gaps_of reserved)
[ "${g:-0}" -gt 0 ] && ok "reserved: $g gaps detected" || bad "reserved: no gap detected"
if grep -qx 'rtos: shutdown acknowledged' "$tmp/reserved.out"; then
	ok "reserved: shutdown acknowledged"
else
	bad "reserved: shutdown not acknowledged"
fi
check_exit reserved

if [ ${#failed[@]} -ne 0 ]; then
	echo "${#failed[@]} check(s) failed:"
	printf '    %s\n' "${failed[@]}"
	exit 1
fi
echo "all checks passed"
exit 0
