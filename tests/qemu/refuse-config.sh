# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh --files build/fixtures
# Bad configurations are refused with their reason, first by havenctl's
# own check, and (with --skip-check) by the driver and the hypervisor;
# Linux carries on, nothing stays claimed and a good config still works.
. ./guest.sh

expect_ok insmod haven.ko
F=fixtures

expect_refused "bad magic" havenctl enable $F/bad-magic.cell
expect_refused "version" havenctl enable $F/bad-version.cell
expect_refused "root cell, region 0: memory region overlaps hypervisor memory" \
	havenctl enable $F/overlap-hv.cell
expect_refused "root cell, region 1: memory region is not page-aligned" \
	havenctl enable $F/misaligned.cell
expect_refused "total_size" havenctl enable $F/truncated.cell
haven_untouched

# the driver's checks
expect_refused "enable: config: not a Haven configuration (bad magic)" \
	havenctl enable --skip-check $F/bad-magic.cell
expect_refused "enable: config: format version 4, this Haven reads version 3" \
	havenctl enable --skip-check $F/bad-version.cell
expect_refused "enable: config: file is shorter than its header" \
	havenctl enable --skip-check $F/truncated.cell
haven_untouched

# the hypervisor's own validation at EL2
expect_refused "enable: config: root cell, region 0, memory region overlaps hypervisor memory (value 0x40000000)" \
	havenctl enable --skip-check $F/overlap-hv.cell
haven_untouched
expect_refused "enable: config: root cell, region 1, memory region is not page-aligned (value 0x8080100)" \
	havenctl enable --skip-check $F/misaligned.cell
haven_untouched
linux_healthy

# nothing half-changed: a good config enables and disables cleanly
enable_disable_cycle
echo "refuse-config: all checks passed"
