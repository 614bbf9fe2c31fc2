/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Hypercalls: HVC #0 from EL1, SMC Calling Convention (DEN0028) fast SMC64
 * calls in the vendor-specific hypervisor service range (owner 6).
 * x0 = function ID, x1..x3 = arguments; on return x0 = status
 * (HAVEN_OK or a negative HAVEN_E_*), x1 = value.
 */
#ifndef HAVEN_HYPERCALL_H
#define HAVEN_HYPERCALL_H

#include "types.h"

#define HAVEN_HC_BASE 0xc6000000U
#define HAVEN_HC_PROBE (HAVEN_HC_BASE + 0) /* x1 <- HAVEN_PROBE_MAGIC */
#define HAVEN_HC_INFO (HAVEN_HC_BASE + 1) /* x1: HAVEN_INFO_* */
#define HAVEN_HC_CPU_STAT (HAVEN_HC_BASE + 2) /* x1: cpu, x2: HAVEN_STAT_* */
#define HAVEN_HC_DISABLE (HAVEN_HC_BASE + 3) /* root, on every CPU */
/* any cell: x1 = byte count 1..48, x2..x7 = the bytes, little-endian */
#define HAVEN_HC_CONSOLE_WRITE (HAVEN_HC_BASE + 4)
#define HAVEN_CONSOLE_WRITE_MAX 48

#define HAVEN_PROBE_MAGIC HV_U64(0x486176656e) /* "Haven" */

/* Linux hyp-stub (arch/arm64/include/asm/virt.h) */
#define HAVEN_STUB_SOFT_RESTART 1
#define HAVEN_STUB_ERR HV_U64(0xbadca11)

/* Entry reasons passed in x0 when the firmware is entered. */
/*
 * Entry reasons passed in x0 when the firmware is entered, ORed with the
 * CPU's index in the platform configuration (low byte).
 */
#define HAVEN_ENTRY_ENABLE HV_U64(0x4841564e454e0000) /* via the hyp-stub */
#define HAVEN_ENTRY_CPU_ON HV_U64(0x4841564e434f0000) /* via PSCI CPU_ON */
#define HAVEN_ENTRY_CPU_MASK 0xff

#ifndef __ASSEMBLER__
enum haven_info {
	HAVEN_INFO_ABI_VERSION,
	HAVEN_INFO_NUM_CPUS,
	HAVEN_INFO_ONLINE_CPUS, /* bitmap of CPUs running in Haven */
	HAVEN_INFO_MEM_BASE,
	HAVEN_INFO_MEM_SIZE,
	HAVEN_INFO_POOL_PAGES,
	HAVEN_INFO_POOL_USED,
	HAVEN_INFO_CONSOLE_OFFSET, /* of the console page in hv memory */
	HAVEN_INFO_COUNT
};

/* Trap counters, per CPU, by kind. */
enum haven_stat {
	HAVEN_STAT_HVC,
	HAVEN_STAT_PSCI,
	HAVEN_STAT_SMC_OTHER,
	HAVEN_STAT_GICD,
	HAVEN_STAT_SGI,
	HAVEN_STAT_IRQ,
	HAVEN_STAT_MAINTENANCE,
	HAVEN_STAT_ABORT,
	HAVEN_STAT_OTHER,
	HAVEN_STAT_COUNT
};

#endif /* __ASSEMBLER__ */

#define HAVEN_STAT_NAMES                                                      \
	{ "hvc", "psci", "smc_other", "gicd", "sgi", "irq", "maintenance",    \
	  "abort", "other" }

#endif
