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

/*
 * Cell lifecycle, root only. x1 = cell id (1..HAVEN_MAX_CELLS-1) unless
 * noted. Refusals return a negative HAVEN_E_* in x0 and a detail in x1
 * (the CPU for HAVEN_E_BUSY, the byte offset for HAVEN_E_MISMATCH).
 *
 * CREATE: x1 = root IPA of a cell config, x2 = its size, x3 = flags.
 *   The cell's CPUs must already be parked (offline in the root). Its
 *   memory leaves the root's stage-2 and is zeroed. Returns x1 = the id.
 * LOAD: the cell's loadable regions are mapped back into the root (IPA =
 *   phys) until START or DESTROY; the cell must be stopped.
 * START: x2 = entry IPA, or HAVEN_ENTRY_DEFAULT for the start of the first
 *   loadable region; x3 = the first CPU's x0 (a Linux kernel's device tree
 *   IPA), or HAVEN_BOOT_ARG_DEFAULT for the comm page IPA (0 without one).
 *   The cell's first CPU enters at EL1; its other CPUs wait for the cell's
 *   PSCI CPU_ON.
 * SHUTDOWN: x2 = 0 asks the cell through its comm page; x2 =
 *   HAVEN_SHUTDOWN_FORCE stops its CPUs now.
 * DESTROY: the cell must be stopped; its memory is zeroed and returned to
 *   the root, its CPUs stay parked until the root's CPU_ON.
 * INFO: x2 = HAVEN_CELL_INFO_*, x3 = argument; x1 <- value. Cell 0 is the
 *   root. HAVEN_E_NOCELL for an id that is not created.
 * REGION: x2 = region index; x1..x3 <- phys, virt, size (flags: INFO).
 * VUART_INPUT: x2 = byte count 1..8, x3 = the bytes (little-endian): input
 *   for the cell's emulated UART; x1 <- bytes taken (fewer if its receive
 *   FIFO is full). Allowed after sealing. HAVEN_E_NODEV without a UART.
 */
#define HAVEN_HC_CELL_CREATE (HAVEN_HC_BASE + 5)
#define HAVEN_HC_CELL_LOAD (HAVEN_HC_BASE + 6)
#define HAVEN_HC_CELL_START (HAVEN_HC_BASE + 7)
#define HAVEN_HC_CELL_SHUTDOWN (HAVEN_HC_BASE + 8)
#define HAVEN_HC_CELL_DESTROY (HAVEN_HC_BASE + 9)
#define HAVEN_HC_CELL_INFO (HAVEN_HC_BASE + 10)
#define HAVEN_HC_CELL_REGION (HAVEN_HC_BASE + 11)
#define HAVEN_HC_VUART_INPUT (HAVEN_HC_BASE + 12)
#define HAVEN_VUART_INPUT_MAX 8

/* check the config against its declaration only: no CPU checks, no change */
#define HAVEN_CREATE_CHECK_ONLY 1
#define HAVEN_SHUTDOWN_FORCE 1
#define HAVEN_ENTRY_DEFAULT (~HV_U64(0))
#define HAVEN_BOOT_ARG_DEFAULT (~HV_U64(0))
/* the largest cell config CREATE copies in */
#define HAVEN_CELL_CONFIG_MAX 8192

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
	HAVEN_INFO_SEALED, /* 1 once the final layout has started */
	HAVEN_INFO_FINAL_CELLS, /* bitmap of cell ids of the final layout */
	HAVEN_INFO_COUNTER_FREQ, /* Hz of the generic counter */
	/* FNV-1a of Haven's read-only image (code, constants, system config) */
	HAVEN_INFO_IMAGE_SUM,
	HAVEN_INFO_DMA_UNASSIGNED, /* DMA faults of streams no cell owns */
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
	HAVEN_STAT_VUART, /* accesses to an emulated UART */
	HAVEN_STAT_PCI, /* accesses to PCI configuration space */
	HAVEN_STAT_WFX, /* WFI/WFE on a shared CPU (the CPU is given away) */
	HAVEN_STAT_SCHED, /* scheduler timer interrupts on a shared CPU */
	HAVEN_STAT_COUNT
};

enum haven_cell_state {
	HAVEN_CELL_NONE, /* not created */
	HAVEN_CELL_CREATED, /* resources taken, never started */
	HAVEN_CELL_LOADING, /* loadable memory open to the root */
	HAVEN_CELL_RUNNING,
	HAVEN_CELL_SHUTTING_DOWN, /* shutdown requested, not yet acknowledged */
	HAVEN_CELL_SHUT_DOWN,
	HAVEN_CELL_FAILED, /* took a trap Haven does not handle */
	HAVEN_CELL_STATE_COUNT
};

enum haven_cell_info {
	HAVEN_CELL_INFO_STATE,
	HAVEN_CELL_INFO_CPUS, /* bitmap */
	HAVEN_CELL_INFO_FAILED_CPUS, /* bitmap of CPUs that took the fatal trap */
	HAVEN_CELL_INFO_NAME, /* x3 = 0..3: bytes 8*x3.. of the name */
	HAVEN_CELL_INFO_UPTIME, /* counter ticks since the last start */
	HAVEN_CELL_INFO_HEARTBEAT, /* from the comm page */
	HAVEN_CELL_INFO_STAT, /* x3 = HAVEN_STAT_*: traps of the cell's CPUs */
	HAVEN_CELL_INFO_FAULTS, /* unhandled traps (root: injected aborts) */
	HAVEN_CELL_INFO_STARTS,
	HAVEN_CELL_INFO_RTOS, /* x3 = 0..4: haven_comm_rtos_stats fields */
	HAVEN_CELL_INFO_NUM_REGIONS,
	HAVEN_CELL_INFO_REGION_FLAGS, /* x3 = region index */
	HAVEN_CELL_INFO_RESET, /* 1: it stopped with PSCI SYSTEM_RESET, wants a restart */
	/*
	 * Accesses Haven refused without a fault: distributor or PCI
	 * configuration writes to what the cell does not own, SGIs and CPU_ON
	 * to foreign CPUs, refused SMCs and hypercalls.
	 */
	HAVEN_CELL_INFO_DENIED,
	HAVEN_CELL_INFO_DMA_FAULTS, /* SMMU faults of the cell's streams */
	/* x3 = bytes: FNV-1a of the first x3 bytes of its first loadable region */
	HAVEN_CELL_INFO_MEM_SUM,
	HAVEN_CELL_INFO_COUNT
};

#endif /* __ASSEMBLER__ */

#define HAVEN_CELL_STATE_NAMES                                                \
	{ "none", "created", "loading", "running", "shutting-down",           \
	  "shut-down", "failed" }

#define HAVEN_STAT_NAMES                                                      \
	{ "hvc", "psci", "smc_other", "gicd", "sgi", "irq", "maintenance",    \
	  "abort", "other", "uart", "pci", "wfx", "sched" }

#endif
