# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 1500 --files tests/lib/guest.sh --files build/fixtures --files build/linux-cell -- -icount shift=3,sleep=off
# host-check: /usr/bin/python3 tests/lib/temporal_report.py {log} --json test-results/temporal.json --config build/fixtures/system-temporal.cell
# Temporal isolation (issue 6), under -icount (virtual time advances with
# instructions, 8 ns each, so every number here is reproducible). CPU 3 is
# shared by the RTOS cell "rtos" (priority 2, 2 ms every 10 ms) and the
# Linux cell "linux" (priority 1, 8 ms every 10 ms), fixtures
# system-temporal, rtos-shared and linux-shared. Four scenarios, each on a
# different RTOS image, with the Linux cell running throughout:
#   rtos-vs-hog   the RTOS (a 1 ms task every 20 ms plus a soak loop that
#                 wants the CPU all the time) against a CPU hog in Linux:
#                 the RTOS measures what it gets in each of its periods, its
#                 deadline misses and response times;
#   rtos-spin     an RTOS job that never ends: the Linux hog measures that it
#                 still gets its 8 ms in every 10 ms period and that its
#                 interval timer still fires on time;
#   rtos-idle     an RTOS that is idle but for 50 us every 10 ms: the Linux
#                 hog gets (nearly) the whole CPU;
#   rtos-flip     an RTOS that idles and wakes 50 times a period (5 us every
#                 200 us): the two switches of each wake-up are on its
#                 budget, so the hog still gets its own budget.
# The measurements are printed by the RTOS ("rtos: temporal ...") and the
# hog ("hog: ..."), reach Haven's console and are collected at the end as
# TEMPORAL-LOG lines; tests/lib/temporal_report.py (the host check) judges
# them against the bounds of the config and writes test-results/temporal.json.
# This script fails only if the rig breaks.
. ./guest.sh

F=fixtures
L=linux-cell
# the hog counts its windows after WARMUP s for HOG_SECONDS - WARMUP s
# (1100 windows of 10 ms); rtos-shared.bin the same (tasks_shared.c)
HOG_SECONDS=13
WARMUP=2
# the Linux cell's comm page (tests/configs/linux-shared.yaml)
LINUX_COMM=0x48000000

# run_rtos IMAGE: (re)load and start the RTOS cell with IMAGE
run_rtos() {
	expect_ok havenctl cell load rtos inmates/$1
	expect_ok havenctl cell start rtos
	console_wait_for "rtos: started" 30 "$2"
}

# stop_rtos: a shutdown (Haven stops a cell that does not acknowledge it in 2 s)
stop_rtos() {
	expect_ok havenctl cell shutdown rtos
}

# result SCENARIO WHAT PATTERN: the last console line with PATTERN, for the
# report (with the line after it if Haven's console split a long one)
result() {
	line=$(tr -d '\r' </tmp/console.log | awk -v p="$3" '
		index($0, p) { l = $0; n = NR; next }
		n && NR == n + 1 && !/: / { sub(/^\[[a-z]*\] /, ""); l = l $0 }
		END { print l }')
	echo "TEMPORAL-RESULT $1 $2 $line"
}

# measure N: start the hog in the Linux cell, keep the root quiet while
# it and the RTOS measure (under -icount any work of another QEMU CPU
# takes virtual time from CPU 3), then wait for the hog's N-th result
measure() {
	echo "hog -m $LINUX_COMM 10000 $HOG_SECONDS $WARMUP" | havenctl console --cell linux ||
		fail "console --cell linux failed"
	kill -STOP $CONSOLE_PID
	sleep $((HOG_SECONDS + 2))
	kill -CONT $CONSOLE_PID
	console_wait_for "hog: periods=" 60 "$1"
}

expect_ok insmod haven.ko
expect_ok havenctl enable $F/system-temporal.cell
havenctl console -f >/tmp/console.log 2>&1 &
CONSOLE_PID=$!
havenctl config check $F/system-temporal.cell 2>&1 | sed 's/^/TEMPORAL-CONFIG | /'

# 1: the RTOS against a CPU hog in Linux; Linux boots first, so that
# loading its kernel is over before the RTOS measures
expect_ok havenctl cell create $F/rtos-shared.cell
expect_ok havenctl cell create $F/linux-shared.cell
expect_ok havenctl cell linux $F/linux-shared.cell $L/Image -i $L/initramfs.cpio \
	-c "console=ttyAMA0 rdinit=/init"
console_wait_for "LINUX-CELL: ready" 300
echo 'kill $TICK_PID' | havenctl console --cell linux # its own work would count as a gap
run_rtos rtos-shared.bin 1
measure 1
stop_rtos
console_wait_for "rtos: temporal periods=" 30 1
result rtos-vs-hog rtos "rtos: temporal periods="
result rtos-vs-hog hog "hog: periods="
result rtos-vs-hog counter "rtos: started"

# 2: an RTOS job that never ends, against the same hog
run_rtos rtos-spin.bin 2
measure 2
stop_rtos
result rtos-spin hog "hog: periods="

# 3: an RTOS that is nearly idle
run_rtos rtos-idle.bin 3
measure 3
stop_rtos
sleep 1 # its last lines, through the console poll
result rtos-idle rtos "rtos: temporal periods="
result rtos-idle hog "hog: periods="

# 4: an RTOS that makes Haven switch 100 times a period
run_rtos rtos-flip.bin 4
measure 4
stop_rtos
result rtos-flip hog "hog: periods="

expect_ok havenctl cell shutdown linux --timeout 0
havenctl cell stats rtos | sed 's/^/TEMPORAL-STATS | /'
havenctl cell stats linux | sed 's/^/TEMPORAL-STATS | /'
sleep 0.5
kill $CONSOLE_PID
sed 's/^/TEMPORAL-LOG | /' /tmp/console.log
echo "temporal: rig done"
