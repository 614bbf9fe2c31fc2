# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh --cmdline "console=ttyAMA0 kvm-arm.mode=nvhe rdinit=/init panic=-1 loglevel=6"
# Without mem= Linux uses the hypervisor memory as RAM: enable refuses.
. ./guest.sh

grep -q "System RAM" /proc/iomem || fail "no System RAM in /proc/iomem"
expect_ok insmod haven.ko
expect_refused "hypervisor memory 0x7f000000-0x7fffffff is System RAM used by Linux" \
	havenctl enable system.cell
[ "$(cat /sys/devices/haven/enabled)" = 0 ] || fail "driver says enabled"
grep -q haven /proc/iomem && fail "memory claimed after refusal"
linux_healthy
echo "refuse-unreserved: all checks passed"
