# SPDX-License-Identifier: GPL-2.0-only
# Assertions for QEMU scenarios (sourced inside the guest by busybox sh).

HV_MEM=0x7f000000

fail() {
	echo "FAIL: $*"
	exit 1
}

pass() {
	echo "ok: $*"
}

# expect_ok CMD...: CMD succeeds
expect_ok() {
	out=$("$@" 2>&1) || fail "'$*' failed: $out"
	pass "$*"
}

# expect_refused TEXT CMD...: CMD fails and its output contains TEXT
expect_refused() {
	want=$1
	shift
	if out=$("$@" 2>&1); then
		fail "'$*' succeeded, expected a refusal: $out"
	fi
	case $out in
	*"$want"*) pass "'$*' refused: $out" ;;
	*) fail "'$*': expected '$want' in: $out" ;;
	esac
}

# the same checksum of a 4 MiB file computed on each CPU in parallel, ROUNDS
# times: parallel_checksum [CPUS [ROUNDS]] (default: "0 1 2 3", 3)
parallel_checksum() {
	cpus=${1:-0 1 2 3}
	rounds=${2:-3}
	[ -f /tmp/data ] || dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
	want=$(sha256sum </tmp/data)
	pids=
	for cpu in $cpus; do
		taskset -c $cpu sh -c "i=0; while [ \$i -lt $rounds ]; do sha256sum </tmp/data; i=\$((i + 1)); done" \
			>/tmp/sum.$cpu &
		pids="$pids $!"
	done
	# only these: the caller may have other background jobs
	wait $pids
	for cpu in $cpus; do
		for got in $(cut -d' ' -f1 </tmp/sum.$cpu); do
			[ "$got" = "${want%% *}" ] || fail "checksum on CPU $cpu: $got != $want"
		done
	done
	pass "parallel checksum on CPUs $cpus, $rounds rounds"
}

# Linux runs normally: all CPUs online, work gets done on each of them
linux_healthy() {
	[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] ||
		fail "CPUs online: $(cat /sys/devices/system/cpu/online)"
	parallel_checksum
}

# Haven left no trace: not enabled, memory not claimed, still readable
haven_untouched() {
	[ "$(cat /sys/devices/haven/enabled)" = 0 ] || fail "driver says enabled"
	if grep -q haven /proc/iomem; then
		fail "hypervisor memory still claimed: $(grep haven /proc/iomem)"
	fi
	devmem $HV_MEM 32 >/dev/null || fail "hypervisor memory not readable"
	pass "Haven left nothing behind"
}

# per-CPU count of one trap kind, CPU n is field n+1: stat_of KIND CPU
stat_of() {
	cut -d' ' -f$(($2 + 1)) </sys/devices/haven/statistics/$1
}

# count of one trap kind over all CPUs: stat_total KIND
stat_total() {
	awk '{ for (i = 1; i <= NF; i++) s += $i; print s }' /sys/devices/haven/statistics/$1
}

# a good config still enables, Linux works under Haven, and disables cleanly
enable_disable_cycle() {
	expect_ok havenctl enable system.cell
	linux_healthy
	expect_ok havenctl disable
	haven_untouched
}

# the state of a cell as "havenctl cell list" shows it (empty: no such cell)
cell_state() {
	havenctl cell list | awk -v n="$1" '$2 == n { print $3 }'
}

# console_wait_for PATTERN [SECONDS [COUNT]]: /tmp/console.log (a
# "havenctl console -f" of the scenario) shows PATTERN COUNT times
console_wait_for() {
	pat=$1 secs=${2:-120} want=${3:-1} i=0
	while [ $i -lt $((secs * 5)) ]; do
		[ "$(grep -c -- "$pat" /tmp/console.log)" -ge "$want" ] && return 0
		sleep 0.2
		i=$((i + 1))
	done
	fail "console: no '$pat' (x$want) within ${secs}s; last lines: $(tail -n 5 /tmp/console.log)"
}
