# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh -- -machine virtualization=off
# A machine without EL2 (the kernel cannot have booted there): enable
# refuses before issuing any HVC, and Linux carries on.
. ./guest.sh

expect_ok insmod haven.ko
expect_refused "this CPU implements no EL2" havenctl enable system.cell
haven_untouched
linux_healthy
echo "refuse-no-el2: all checks passed"
