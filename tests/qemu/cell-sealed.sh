# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh
# serial-expect: ^layout sealed
# The shipped system.cell: once its final layout (the RTOS cell) starts,
# Haven seals it. Every changing operation is then refused with "layout
# sealed" and changes nothing; list, stats and console keep working.
. ./guest.sh

snapshot() {
	echo "$(cat /sys/devices/system/cpu/online) $(havenctl cell list)" \
		"$(havenctl info --json | sed -n 's/.*"pool_used": *\([0-9]*\).*/\1/p')"
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
havenctl info | grep -q "layout: sealed" || fail "info does not show the seal: $(havenctl info | grep layout)"
pass "$(havenctl info | grep layout)"

before=$(snapshot)
hb1=$(heartbeat)
expect_refused "layout sealed" havenctl cell create rtos.cell
expect_refused "layout sealed" havenctl cell load rtos inmates/rtos.bin
expect_refused "layout sealed" havenctl cell shutdown rtos
expect_refused "layout sealed" havenctl cell destroy rtos
expect_refused "layout sealed" havenctl disable
expect_refused "can't unload module" rmmod haven
after=$(snapshot)
[ "$before" = "$after" ] || fail "a refused operation changed something: '$before' -> '$after'"
pass "refusals changed nothing"

# still working: list, stats, console; the RTOS runs on
expect_ok havenctl cell list
expect_ok havenctl cell stats rtos
havenctl console | grep -q "^\[rtos\] rtos:" || fail "no RTOS output on the console"
sleep 1
hb2=$(heartbeat)
[ "$hb2" -gt "$hb1" ] || fail "RTOS heartbeat $hb1 -> $hb2 after the refusals"
pass "RTOS runs on (heartbeat $hb1 -> $hb2); list, stats and console work"
[ "$(cat /sys/devices/system/cpu/online)" = 0-2 ] || fail "CPUs online: $(cat /sys/devices/system/cpu/online)"
echo "cell-sealed: all checks passed"
