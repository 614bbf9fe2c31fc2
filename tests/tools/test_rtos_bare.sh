#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The RTOS inmate on bare metal (QEMU virt, EL1, no Haven), under -icount so
# that counter time is deterministic. Three cases:
#
#   default   rtos-bare.elf: banner, >= 3 one-second summaries per task,
#             releases matching the periods (+-1), no deadline miss,
#             "rtos: done, 0 deadline misses", QEMU powered off by PSCI
#   overload  rtos-bare-overload.elf (utilization 1.3): the same structure,
#             but misses are reported, and none for the highest priority
#   comm      test-comm.elf: the Haven variant with Haven's side of the
#             communication page emulated on a second CPU: heartbeat and
#             statistics published, scrub pattern written, shutdown
#             acknowledged, heartbeat stops, the cell calls PSCI SYSTEM_OFF
#
#   tests/tools/test_rtos_bare.sh
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
# 2^4 ns per instruction: the 62.5 MHz counter advances one tick per
# instruction, and a 3 s run takes about a second.
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

# boot NAME ELF SMP MEM: runs QEMU, output in $tmp/NAME.log; sets $rc
boot() {
	local name=$1 elf=$2 smp=$3 mem=$4 start=$SECONDS
	timeout -k 5 "$limit" "$qemu" -machine virt,gic-version=3 \
		-cpu cortex-a55 -smp "$smp" -m "$mem" -display none \
		-monitor none -serial stdio -nic none -kernel "$elf" \
		-icount "$icount" </dev/null >"$tmp/$name.log" 2>"$tmp/$name.err"
	rc=$?
	tr -d '\r' <"$tmp/$name.log" >"$tmp/$name.out"
	# expected: the CPUs are off and no timer is left once PSCI SYSTEM_OFF
	sed -i '/icount sleep disabled and no active timers/d' "$tmp/$name.err"
	echo "--- $name: $elf, -smp $smp -m $mem -icount $icount: exit $rc in $((SECONDS - start)) s"
	sed 's/^/    /' "$tmp/$name.out"
	if [ -s "$tmp/$name.err" ]; then
		echo "    (stderr)"
		sed 's/^/    /' "$tmp/$name.err"
	fi
}

# check_exit NAME: QEMU ended by itself (PSCI SYSTEM_OFF), not the timeout
check_exit() {
	if [ "$rc" -eq 0 ]; then
		ok "$1: QEMU exited by itself (PSCI SYSTEM_OFF)"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		bad "$1: QEMU still running after ${limit}s (no PSCI SYSTEM_OFF)"
	else
		bad "$1: QEMU exit status $rc"
	fi
	if grep -q '^inmate: ' "$tmp/$1.out"; then
		bad "$1: runtime error: $(grep -m1 '^inmate: ' "$tmp/$1.out")"
	fi
}

# check_banner NAME: the start banner; sets ntasks
check_banner() {
	local line
	ntasks=0
	line=$(grep -m1 -E '^rtos: started, [0-9]+ tasks, counter [0-9]+ Hz$' "$tmp/$1.out")
	if [ -z "$line" ]; then
		bad "$1: no banner 'rtos: started, N tasks, counter F Hz'"
		return
	fi
	ok "$1: banner '$line'"
	ntasks=$(echo "$line" | awk '{ print $3 }')
}

# check_summaries NAME TASKS: every summary line is consistent with the task
# table printed at start: releases = seconds * 1e6 / period (+-1), done <=
# rel, done >= rel - 1 when no miss; >= 3 summaries per task. Prints per
# task: "name priority last-misses worst-response".
check_summaries() {
	local name=$1 ntasks=$2 report
	report=$(awk -v ntasks="$ntasks" '
		/^rtos: task [^ ]+: period [0-9]+ us, deadline [0-9]+ us, exec [0-9]+ us, priority [0-9]+$/ {
			t = $3; sub(/:$/, "", t)
			period[t] = $5; prio[t] = $NF; order[++n] = t
		}
		/^rtos: t=[0-9]+s task / {
			s = $2; sub(/^t=/, "", s); sub(/s$/, "", s)
			t = $4; sub(/:$/, "", t)
			rel = $6; done = $8; miss = $10
			split($13, r, "/")
			if (!(t in period)) { print "ERR unknown task " t; next }
			want = int(s * 1000000 / period[t])
			if (rel < want - 1 || rel > want + 1)
				print "ERR t=" s "s task " t ": " rel " releases, expected " want " +-1 (period " period[t] " us)"
			if (done > rel || (miss == 0 && done < rel - 1))
				print "ERR t=" s "s task " t ": " done " completions for " rel " releases and " miss " misses"
			lines[t]++; lastmiss[t] = miss; worst[t] = r[3]
		}
		END {
			if (n != ntasks) print "ERR " n " task lines, banner says " ntasks
			for (i = 1; i <= n; i++) {
				t = order[i]
				if (lines[t] < 3)
					print "ERR task " t ": " lines[t] + 0 " summary lines, expected >= 3"
				print "TASK " t " " prio[t] " " lastmiss[t] + 0 " " worst[t] + 0 " " lines[t] + 0
			}
		}' "$tmp/$name.out")
	if grep -q '^ERR' <<<"$report"; then
		while read -r line; do
			bad "$name: ${line#ERR }"
		done < <(grep '^ERR' <<<"$report")
	else
		ok "$name: >= 3 summaries per task, releases match the periods (+-1), completions match releases"
	fi
	grep '^TASK' <<<"$report" | cut -d' ' -f2- >"$tmp/$name.tasks"
}

freq_of() {
	awk '/^rtos: started,/ { print $6; exit }' "$tmp/$1.out"
}

# --- default task set -----------------------------------------------------------
boot default "$out/rtos-bare.elf" 1 128M
check_banner default
check_summaries default "$ntasks"
freq=$(freq_of default)
while read -r task prio misses worst lines; do
	if [ "$misses" -ne 0 ]; then
		bad "default: task $task: $misses deadline misses"
	else
		ok "default: task $task (priority $prio): 0 misses in $lines summaries, worst response $worst ticks ($((worst * 1000000 / ${freq:-1})) us)"
	fi
done <"$tmp/default.tasks"
if grep -qx 'rtos: done, 0 deadline misses' "$tmp/default.out"; then
	ok "default: 'rtos: done, 0 deadline misses'"
else
	bad "default: no 'rtos: done, 0 deadline misses'"
fi
if grep -q '^rtos: scrub pattern' "$tmp/default.out"; then
	bad "default: the bare-metal variant wrote the scrub pattern"
fi
check_exit default

# --- overloaded task set: misses must be reported -------------------------------
boot overload "$out/rtos-bare-overload.elf" 1 128M
check_banner overload
check_summaries overload "$ntasks"
total=$(sed -n 's/^rtos: done, \([0-9]*\) deadline misses$/\1/p' "$tmp/overload.out")
if [ -n "$total" ] && [ "$total" -gt 0 ]; then
	ok "overload: 'rtos: done, $total deadline misses' (utilization > 1 is detected)"
else
	bad "overload: expected 'rtos: done, N deadline misses' with N > 0, got '${total:-nothing}'"
fi
top=$(sort -k2,2n "$tmp/overload.tasks" | tail -n 1)
if [ -n "$top" ]; then
	read -r task prio misses _ <<<"$top"
	if [ "$misses" -eq 0 ]; then
		ok "overload: the highest-priority task $task still misses nothing"
	else
		bad "overload: the highest-priority task $task missed $misses deadlines"
	fi
fi
check_exit overload

# --- Haven variant, comm page handshake with an emulated Haven ------------------
boot comm "$out/test-comm.elf" 2 2G
check_banner comm
if grep -q '^rtos: utilization .*, comm page present$' "$tmp/comm.out"; then
	ok "comm: the runtime accepted the comm page"
else
	bad "comm: the runtime did not report 'comm page present'"
fi
hb=$(sed -n 's/^harness: heartbeat \([0-9]*\), \([0-9]*\) 10 ms later; releases \([0-9]*\) completions \([0-9]*\) misses \([0-9]*\) worst \([0-9]*\) ticks, \([0-9]*\) tasks$/\1 \2 \3 \4 \5 \6 \7/p' "$tmp/comm.out")
if [ -z "$hb" ]; then
	bad "comm: no heartbeat/statistics line from the harness"
else
	read -r hb0 hb1 rel done miss worst ntasks <<<"$hb"
	if [ "$hb1" -gt "$hb0" ] && [ "$hb0" -gt 0 ]; then
		ok "comm: heartbeat advancing ($hb0 -> $hb1 in 10 ms)"
	else
		bad "comm: heartbeat not advancing ($hb0 -> $hb1)"
	fi
	if [ "$rel" -gt 0 ] && [ "$done" -eq "$rel" ] && [ "$miss" -eq 0 ] &&
		[ "$worst" -gt 0 ] && [ "$ntasks" -eq 3 ]; then
		ok "comm: statistics published (releases $rel, completions $done, misses 0, worst $worst ticks, 3 tasks)"
	else
		bad "comm: statistics: releases $rel completions $done misses $miss worst $worst tasks $ntasks"
	fi
fi
if grep -qx 'rtos: shutdown acknowledged' "$tmp/comm.out" &&
	grep -q '^harness: shutdown acknowledged after [0-9]* ticks$' "$tmp/comm.out"; then
	ok "comm: shutdown requested, printed and acknowledged in cell_ack"
else
	bad "comm: shutdown not acknowledged"
fi
if grep -qx 'harness: heartbeat after the acknowledgement: stopped' "$tmp/comm.out"; then
	ok "comm: the cell is parked after its acknowledgement"
else
	bad "comm: the cell kept running after its acknowledgement"
fi
if grep -qx 'harness: the cell called PSCI SYSTEM_OFF' "$tmp/comm.out"; then
	ok "comm: the cell stopped itself with PSCI SYSTEM_OFF"
else
	bad "comm: the cell did not call PSCI SYSTEM_OFF after its acknowledgement"
fi
if grep -qx 'rtos: scrub pattern 0x4e56485343525542 written at 0x40100000-0x401fffff' "$tmp/comm.out" &&
	grep -qx 'harness: scrub pattern 0x4e56485343525542 in 131072 of 131072 words at 0x40100000-0x401fffff' "$tmp/comm.out"; then
	ok "comm: scrub pattern written over 0x40100000-0x401fffff"
else
	bad "comm: scrub pattern not printed or not in memory"
fi
if grep -q '^rtos: done' "$tmp/comm.out"; then
	bad "comm: the Haven variant ended by itself"
fi
check_exit comm

if [ ${#failed[@]} -ne 0 ]; then
	echo "${#failed[@]} check(s) failed:"
	printf '    %s\n' "${failed[@]}"
	exit 1
fi
echo "all checks passed"
exit 0
