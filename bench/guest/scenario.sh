# SPDX-License-Identifier: GPL-2.0-only
# The guest side of `make bench` (scripts/bench.sh runs it with
# tools/qemu-run under -icount; bench/README.md describes the method).
# Prints BENCH-* lines that bench/report.py parses from the serial log.
# Settings come from bench.env (ROUNDS, REPEAT, IDLE_S, BUSY_ROUNDS,
# LREPEAT: the runs in the Linux cell). fixtures/system-bench.cell is the
# shipped system, never sealed, whose root, rtos and linux cells have
# pmu_el2: only they can count Haven's EL2 events.
. ./guest.sh
. ./bench.env

F=fixtures
now() {
	./benchwork now | cut -d' ' -f2
}

# timed NAME CMD...: CMD must succeed; prints BENCH-TIME NAME ticks=T
timed() {
	name=$1
	shift
	t0=$(now)
	out=$("$@" 2>&1) || fail "'$*' failed: $out"
	t1=$(now)
	echo "BENCH-TIME $name ticks=$((t1 - t0))"
}

# traps KIND-OF-LOAD: every trap counter of every CPU, one line
traps() {
	line="BENCH-TRAPS $1 t=$(now)"
	for f in /sys/devices/haven/statistics/*; do
		line="$line $(basename $f)=$(tr ' ' ',' <$f)"
	done
	echo "$line"
}

# wait_done CELL PATTERN SECONDS: Haven's console (read, not followed, so
# that the root stays idle while the cell measures) shows PATTERN
wait_done() {
	i=0
	while [ $i -lt $3 ]; do
		sleep 1
		havenctl console | grep -q -- "$2" && return 0
		i=$((i + 1))
	done
	fail "no '$2' from cell $1 within $3 s"
}

# root_cpus STATE: the root's CPUs 1 and 2 offline (0) or online (1). While
# the bench cell measures interrupt latency on CPU 3, they wait parked in
# Haven: under -icount their timer ticks would count into its latency (the
# bare-metal run has no other CPU)
root_cpus() {
	for c in 1 2; do
		echo "$1" >/sys/devices/system/cpu/cpu$c/online || fail "CPU $c online=$1"
	done
}

# cell_run NAME SYSTEM CELL...: the bench cell's lines as BENCH-CELL NAME
cell_lines() {
	havenctl console | tr -d '\r' | grep '^\[rtos\] bench: ' |
		sed "s/^\[rtos\] /BENCH-CELL $1 /"
}

t0=$(now); t1=$(now)
echo "BENCH-EXEC-OVERHEAD ticks=$((t1 - t0))"

# --- 1: the root workload without Haven ---------------------------------------
expect_ok insmod haven.ko
i=0
while [ $i -lt $REPEAT ]; do
	w=$(./benchwork run 0 $ROUNDS)
	echo "BENCH-WORK off $w"
	i=$((i + 1))
done
# the virtual seconds a run takes, rounded up (for the Linux cell's runs)
run_s=$(echo "$w" | sed 's/.*ticks=\([0-9]*\) freq=\([0-9]*\).*/\1 \2/' |
	{ read -r t f; echo $(((t + f - 1) / f)); })

# --- 2: enable, then the same workload under Haven ----------------------------
timed enable havenctl enable $F/system-bench.cell
echo "BENCH-INFO $(havenctl info --json)"
i=0
while [ $i -lt $REPEAT ]; do
	echo "BENCH-WORK on $(./benchwork run 0 $ROUNDS)"
	i=$((i + 1))
done

# --- 3: traps per second, idle and busy root ----------------------------------
traps idle-start
sleep $IDLE_S
traps idle-end
traps busy-start
for cpu in 0 1 2 3; do
	./benchwork run $cpu $BUSY_ROUNDS >/tmp/busy.$cpu &
done
wait
traps busy-end
cat /tmp/busy.* | sed 's/^/BENCH-BUSY /'

# --- 4: the bench cell on a dedicated CPU (3) ----------------------------------
timed cell_create havenctl cell create $F/rtos-bench.cell
timed cell_load havenctl cell load rtos inmates/bench.bin
root_cpus 0
timed cell_start havenctl cell start rtos
wait_done rtos "bench: done" 60
root_cpus 1
cell_lines dedicated
echo "BENCH-STATS dedicated $(havenctl cell stats rtos --json)"
echo "BENCH-STATS root $(havenctl cell stats root --json)"
expect_ok havenctl cell destroy rtos

# --- 5: the root's workload in the Linux cell (CPUs 1-2) -------------------------
# From the root's device tree, patched by havenctl: it keeps the PMU node
# (no reg), so the cell's perf counts EL2 as the root's does. The runs
# compare with the root's runs without Haven (section 1): the same kernel,
# binary and machine, one CPU busy and three idle (bench/README.md).
expect_ok havenctl cell linux $F/linux-bench.cell linux-cell/Image -i linux-cell/initramfs.cpio \
	-d /sys/firmware/fdt -c "console=ttyAMA0 rdinit=/init quiet"
wait_done linux "LINUX-CELL: ready" 300
# its tick loop would run during the measurement; the markers are put
# together in the cell, so that the echo of this command matches neither
to_cell() {
	echo "$1" | havenctl console --cell linux || fail "console --cell linux failed"
}
to_cell 'kill $TICK_PID'
to_cell "m=BENCH; sleep 2; i=0; while [ \$i -lt $LREPEAT ]; do w=\$(benchwork run 0 $ROUNDS); echo \"\$m-LINUX \$w\"; sleep 1; i=\$((i + 1)); done; echo \"LINUX-CELL: \$m-done\""
# the root sleeps through the runs (under -icount its work would count)
sleep $((5 + LREPEAT * (run_s + 2)))
havenctl console | grep -q "LINUX-CELL: BENCH-done" ||
	echo "BENCH-NOTE linux-cell the root looked before the runs were done"
wait_done linux "LINUX-CELL: BENCH-done" 120
havenctl console | tr -d '\r' | sed -n 's/^\[linux\] BENCH-LINUX /BENCH-WORK cell /p'
expect_ok havenctl cell shutdown linux --timeout 0
expect_ok havenctl cell destroy linux
expect_ok havenctl disable

# --- 6: the bench cell on a CPU it shares (3) with a busy cell -----------------
# system-temporal: rtos (2 ms every 10 ms, priority 2) and linux (8 ms
# every 10 ms, priority 1) share CPU 3; the linux cell runs rtos-spin.bin,
# a job that never ends, so it wants the CPU all the time
expect_ok havenctl enable $F/system-temporal.cell
expect_ok havenctl cell create $F/rtos-shared.cell
expect_ok havenctl cell create $F/linux-shared.cell
expect_ok havenctl cell load linux inmates/rtos-spin.bin
expect_ok havenctl cell start linux
expect_ok havenctl cell load rtos inmates/bench.bin
expect_ok havenctl cell start rtos
wait_done rtos "bench: done" 120
cell_lines shared
echo "BENCH-STATS shared $(havenctl cell stats rtos --json)"
expect_ok havenctl cell shutdown linux --timeout 0
expect_ok havenctl cell destroy linux
expect_ok havenctl cell destroy rtos
expect_ok havenctl disable

# --- 7: direct interrupt delivery, once a fixture for it exists -------------------
if [ -f $F/system-direct.cell ] && [ -f $F/rtos-direct.cell ]; then
	expect_ok havenctl enable $F/system-direct.cell
	expect_ok havenctl cell create $F/rtos-direct.cell
	expect_ok havenctl cell load rtos inmates/bench.bin
	root_cpus 0
	expect_ok havenctl cell start rtos
	wait_done rtos "bench: done" 60
	root_cpus 1
	cell_lines direct
	expect_ok havenctl cell destroy rtos
	expect_ok havenctl disable
else
	echo "BENCH-SKIP direct no fixtures/system-direct.cell + rtos-direct.cell"
fi
echo "BENCH-END"
