# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 900 --files tests/lib/guest.sh --files tests/qemu/hostile.sh --files build/fixtures --files build/guest-tests/canary --files build/guest-tests/elstate.ko
# host-check: /usr/bin/python3 tests/lib/hostile_report.py {log} --json test-results/hostile-direct.json
# serial-expect: cell 'hostile' created: .*direct interrupt delivery
# The hostile-cell suite (tests/qemu/hostile.sh) with direct interrupt
# delivery in the attacking cell (fixtures/system-hostile-direct.cell),
# on the attacks that direct delivery could open: the distributor's
# registers of a foreign SPI and routes to foreign CPUs, SGIs and CPU_ON to
# foreign CPUs, the root's redistributor frame; the CPU state pair (the
# physical CPU interface's group enable is now the cell's); SYSTEM_OFF and
# SYSTEM_RESET (Haven must get the CPU back); the PMU count of Haven's
# EL2 work (MDCR_EL2 is set on this cell's entry path too); and
# read-root-ram, for the hostile_fail run. The memory, SMC/HVC, PCI and DMA attacks do not depend
# on how interrupts are delivered and run in qemu/hostile only.
HOSTILE_SUFFIX=-direct
HOSTILE_ONLY='gicd-[a-z0-9-]*|sgi-[a-z0-9-]*|psci-[a-z0-9-]*|write-root-gicr-[a-z]*|state-plant|state-check|read-root-ram|pmu-count-el2'
. ./hostile.sh
