#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot smoke test of the QEMU platform, without Haven: all 4 CPUs come up,
# mem=512M keeps Linux's RAM below the hypervisor's region at 0x7f000000,
# and /dev/mem can still read that region.
set -e

online=$(cat /sys/devices/system/cpu/online)
echo "check: CPUs online = $online (want 0-3)"
[ "$online" = 0-3 ]

# Last "System RAM" range in /proc/iomem, e.g. "40000000-5fffffff".
ram=$(grep 'System RAM' /proc/iomem | tail -n 1 | sed 's/ *:.*//; s/^ *//')
ram_end=${ram#*-}
echo "check: System RAM ends at 0x$ram_end (want < 0x7f000000)"
[ -n "$ram_end" ]
[ $((0x$ram_end)) -lt $((0x7f000000)) ]

echo "check: devmem 0x7f000000 32"
val=$(devmem 0x7f000000 32)
echo "  read $val"

echo "boot-smoke: ok"
