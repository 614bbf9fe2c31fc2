# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh
# Stage-2 is real: with Haven enabled, touching hypervisor memory through
# /dev/mem kills the process with SIGBUS, Linux carries on and Haven logs
# address and syndrome; without Haven the same accesses work.
. ./guest.sh

SIGBUS_STATUS=135 # 128 + SIGBUS (7)
HV_LAST=0x7ffff000

expect_ok insmod haven.ko
devmem $HV_MEM 32 >/dev/null || fail "read of $HV_MEM without Haven"
devmem $HV_LAST 32 >/dev/null || fail "read of $HV_LAST without Haven"
pass "hypervisor memory readable without Haven"

expect_ok havenctl enable system.cell
for access in "$HV_MEM 32" "$HV_LAST 32" "$HV_MEM 32 0x12345678" "0x7f800000 64"; do
	devmem $access >/dev/null 2>&1
	rc=$?
	[ $rc = $SIGBUS_STATUS ] || fail "devmem $access: exit $rc, expected SIGBUS ($SIGBUS_STATUS)"
	pass "devmem $access -> SIGBUS"
done
aborts=$(stat_total abort)
[ "$aborts" = 4 ] || fail "abort counter is $aborts, expected 4"
havenctl console | grep -q "read of unowned IPA 0x7f000000 (ESR 0x9" ||
	fail "console does not report the read of 0x7f000000 with its syndrome"
havenctl console | grep -q "write of unowned IPA 0x7f000000" ||
	fail "console does not report the write"
pass "Haven reported each access with address and syndrome"

# Linux and its own memory are unaffected
linux_healthy
devmem 0x40000000 32 >/dev/null || fail "root RAM not readable through /dev/mem"
pass "root RAM still readable"

expect_ok havenctl disable
# the memory holds the firmware (magic "HAVE"), so the reads above really were blocked
[ "$(devmem $HV_MEM 32)" = 0x45564148 ] || fail "hypervisor memory does not start with the firmware magic"
pass "hypervisor memory readable again, holds the firmware"
echo "stage2-devmem: all checks passed"
