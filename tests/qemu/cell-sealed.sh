# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 400 --files tests/lib/guest.sh --files build/linux-cell
# serial-expect: ^layout sealed
# serial-expect: \[linux\] LINUX-CELL: ready
# The shipped system.cell, the demo layout: root Linux on CPU 0, the Linux
# cell on CPUs 1-2, the RTOS on CPU 3. Once its final layout (both cells)
# has started, Haven seals it. Every changing operation is then refused
# with "layout sealed" and changes nothing; list, stats and console keep
# working and all three keep running.
. ./guest.sh

snapshot() {
	echo "$(cat /sys/devices/system/cpu/online) $(havenctl cell list)" \
		"$(havenctl info --json | sed -n 's/.*"pool_used": *\([0-9]*\).*/\1/p')"
}

# console_shows PATTERN SECONDS: Haven's console shows PATTERN in time
console_shows() {
	i=0
	until havenctl console | grep -q "$1"; do
		[ $i -lt $(($2 * 5)) ] || fail "console: no '$1' within $2 s: $(havenctl console | tail -n 3)"
		sleep 0.2
		i=$((i + 1))
	done
}

heartbeat() {
	havenctl cell stats rtos --json | sed -n 's/.*"heartbeat": *\([0-9]*\).*/\1/p'
}

expect_ok insmod haven.ko
expect_ok havenctl enable system.cell
havenctl info | grep -q "layout: open" || fail "info does not show an open layout: $(havenctl info | grep layout)"
expect_ok havenctl cell create rtos.cell
expect_ok havenctl cell load rtos inmates/rtos.bin
expect_ok havenctl cell start rtos
havenctl info | grep -q "layout: open" || fail "sealed before the Linux cell started: $(havenctl info | grep layout)"
expect_ok havenctl cell linux linux.cell linux-cell/Image -i linux-cell/initramfs.cpio -c "console=ttyAMA0 rdinit=/init"
havenctl info | grep -q "layout: sealed" || fail "info does not show the seal: $(havenctl info | grep layout)"
pass "$(havenctl info | grep layout)"
console_shows "LINUX-CELL: ready" 180
pass "the Linux cell runs its init under the sealed layout"

before=$(snapshot)
hb1=$(heartbeat)
expect_refused "layout sealed" havenctl cell create rtos.cell
expect_refused "layout sealed" havenctl cell load rtos inmates/rtos.bin
expect_refused "layout sealed" havenctl cell shutdown rtos
expect_refused "layout sealed" havenctl cell destroy rtos
expect_refused "layout sealed" havenctl cell shutdown linux
expect_refused "layout sealed" havenctl cell linux linux.cell linux-cell/Image
expect_refused "layout sealed" havenctl disable
expect_refused "can't unload module" rmmod haven
after=$(snapshot)
[ "$before" = "$after" ] || fail "a refused operation changed something: '$before' -> '$after'"
pass "refusals changed nothing"

# nothing can restart any more: the driver freed its copies of the images
# and its once-a-second restart poll (2 hypercalls from CPU 0) ended
dmesg | grep -q "layout sealed; .* KiB of images kept for restarts are freed" ||
	fail "the driver did not free the images kept for restarts: $(dmesg | grep 'layout sealed')"
hvc0() {
	cut -d' ' -f1 /sys/devices/haven/statistics/hvc
}
h1=$(hvc0)
sleep 5
h2=$(hvc0)
# the first read's own hypercalls (one per CPU, 4) count; the poll's would add 10
[ $((h2 - h1)) -le 6 ] || fail "CPU 0 made $((h2 - h1)) hypercalls in 5 idle seconds: the restart poll runs on"
pass "$(dmesg | grep -o 'the [0-9]* KiB of images kept for restarts are freed'); CPU 0: $((h2 - h1)) hypercalls in 5 idle seconds"

# still working: list, stats, console; the RTOS runs on
expect_ok havenctl cell list
expect_ok havenctl cell stats rtos
havenctl console | grep -q "^\[rtos\] rtos:" || fail "no RTOS output on the console"
sleep 1
hb2=$(heartbeat)
[ "$hb2" -gt "$hb1" ] || fail "RTOS heartbeat $hb1 -> $hb2 after the refusals"
pass "RTOS runs on (heartbeat $hb1 -> $hb2); list, stats and console work"
# input still reaches the Linux cell, which answers
echo 'echo "LINUX-CELL: sealed-echo $((40 + 2))"' | havenctl console --cell linux
console_shows "LINUX-CELL: sealed-echo 42" 30
pass "the Linux cell answers on its console"
havenctl cell list
[ "$(cat /sys/devices/system/cpu/online)" = 0 ] || fail "CPUs online: $(cat /sys/devices/system/cpu/online)"
echo "cell-sealed: all checks passed"
