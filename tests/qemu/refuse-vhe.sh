# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh --cmdline "console=ttyAMA0 mem=512M rdinit=/init panic=-1 loglevel=6"
# Without kvm-arm.mode=nvhe Linux 6.12 runs at EL2 with VHE: enable refuses.
. ./guest.sh

expect_ok insmod haven.ko
expect_refused "the kernel runs at EL2 with VHE" havenctl enable system.cell
expect_refused "boot with kvm-arm.mode=nvhe" havenctl enable system.cell
haven_untouched
linux_healthy
echo "refuse-vhe: all checks passed"
