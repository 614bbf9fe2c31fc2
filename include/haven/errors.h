/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Status codes returned by hypercalls and firmware entry, and the detailed
 * reasons a configuration is rejected. Each code has one message, shared by
 * the driver, havenctl and the hypervisor's own log.
 */
#ifndef HAVEN_ERRORS_H
#define HAVEN_ERRORS_H

#define HAVEN_OK 0
#define HAVEN_E_NOSYS (-1) /* unknown hypercall */
#define HAVEN_E_PERM (-2) /* not allowed for the calling cell */
#define HAVEN_E_INVAL (-3) /* argument out of range */
#define HAVEN_E_BUSY (-4) /* operation in progress or CPU not ready */
#define HAVEN_E_NOMEM (-5) /* hypervisor memory pool exhausted */
#define HAVEN_E_CONFIG (-6) /* configuration rejected, see enum haven_cfg_err */
#define HAVEN_E_HW (-7) /* hardware differs from the configuration */
#define HAVEN_E_SEALED (-8) /* layout sealed */
#define HAVEN_E_UNDECLARED (-9) /* no cell of that name in system.cell */
#define HAVEN_E_MISMATCH (-10) /* x1: offset of the first differing byte */
#define HAVEN_E_RUNNING (-11) /* cell running: shut it down first */
#define HAVEN_E_NOCELL (-12) /* no cell with that id */
#define HAVEN_E_EXISTS (-13) /* cell already created */
#define HAVEN_E_NOT_RUNNING (-14) /* cell is not running */
#define HAVEN_E_NODEV (-15) /* the cell has no such device */

static inline const char *haven_strerror(long code)
{
	switch (code) {
	case HAVEN_OK: return "success";
	case HAVEN_E_NOSYS: return "unknown hypercall";
	case HAVEN_E_PERM: return "not permitted for this cell";
	case HAVEN_E_INVAL: return "invalid argument";
	case HAVEN_E_BUSY: return "busy";
	case HAVEN_E_NOMEM: return "hypervisor memory exhausted";
	case HAVEN_E_CONFIG: return "configuration rejected";
	case HAVEN_E_HW: return "hardware does not match the configuration";
	case HAVEN_E_SEALED: return "layout sealed";
	case HAVEN_E_UNDECLARED: return "cell not declared in system.cell";
	case HAVEN_E_MISMATCH: return "cell differs from its declaration in system.cell";
	case HAVEN_E_RUNNING: return "cell running";
	case HAVEN_E_NOCELL: return "no such cell";
	case HAVEN_E_EXISTS: return "cell already exists";
	case HAVEN_E_NOT_RUNNING: return "cell is not running";
	case HAVEN_E_NODEV: return "cell has no such device";
	default: return "unknown error";
	}
}

/*
 * Why a configuration was rejected. Together with the cell index, the region
 * index and the offending value this names the field and the rule.
 */
#define HAVEN_CFG_ERRORS(X)                                                    \
	X(OK, "valid")                                                         \
	X(SHORT, "file is shorter than its header")                            \
	X(MAGIC, "not a Haven configuration (bad magic)")                      \
	X(VERSION, "configuration format version differs from this Haven's")   \
	X(ARCH, "configuration is for another architecture")                   \
	X(KIND, "wrong kind of configuration (system vs cell)")                \
	X(HEADER_SIZE, "header_size does not match this format version")       \
	X(TOTAL_SIZE, "total_size does not match the file size")               \
	X(RESERVED, "reserved field is not zero")                              \
	X(BOUNDS, "offset/count points outside the file")                      \
	X(HV_MEM, "hypervisor memory is not page-aligned or too small")        \
	X(PLATFORM_CPUS, "platform CPU count is zero or above the maximum")    \
	X(PLATFORM_GIC, "GIC distributor/redistributor region is invalid")     \
	X(PLATFORM_UART, "debug UART type is unknown")                         \
	X(PLATFORM_IRQS, "platform interrupt count is invalid")                \
	X(TOO_MANY_CELLS, "more cells than Haven supports")                    \
	X(NAME, "cell name is empty or not NUL-terminated")                    \
	X(CPUS_EMPTY, "cell has no CPU")                                       \
	X(CPU_RANGE, "cell CPU is outside the platform")                       \
	X(TOO_MANY_REGIONS, "cell has too many memory regions")                \
	X(REGION_ALIGN, "memory region is not page-aligned")                   \
	X(REGION_SIZE, "memory region is empty or wraps around")               \
	X(REGION_FLAGS, "memory region has unknown or contradictory flags")    \
	X(REGION_OVERLAP, "memory regions overlap")                            \
	X(REGION_HV, "memory region overlaps hypervisor memory")               \
	X(IRQ_RANGE, "cell interrupt is outside the platform")                 \
	X(REGION_RANGE, "memory region lies beyond the address space Haven maps") \
	X(REGION_COMM, "comm page region must be one page at phys 0, at most one, not in the root") \
	X(FINAL_CELLS, "final layout names a cell that is not declared")          \
	X(CELL_CONFLICT, "declared cells share an SPI or memory")               \
	X(ROOT_CPUS, "declared cells take every CPU of the root")            \
	X(REGION_VUART, "emulated UART region must be one page at phys 0, at most one, not in the root") \
	X(VUART_IRQ, "emulated UART interrupt must be an SPI the cell owns (and 0 without the UART)") \
	X(CELL_FLAGS, "cell flags are unknown or not allowed for the root")    \
	X(PLATFORM_SMMU, "SMMU region or interrupts are invalid")             \
	X(PLATFORM_PCI, "PCI ECAM region is invalid (1 MiB-aligned, 1-256 buses)") \
	X(REGION_HAVEN_DEVICE, "memory region overlaps a device Haven owns or emulates (GIC distributor, SMMU, PCI ECAM)") \
	X(IRQ_HAVEN, "cell owns an interrupt Haven uses itself (SMMU)")       \
	X(STREAMS, "stream IDs: too many, duplicated, out of range or no SMMU") \
	X(PCI_DEVICES, "PCI devices: too many, duplicated, in the root, or no ECAM for their bus") \
	X(SMCS, "SMC allow-list: too many, duplicated, or names PSCI or a Haven hypercall") \
	X(SCHED_RANGE, "scheduling parameters out of range (period 1-1000000 us, budget 0 or 100 us up to the period, priority 1-255; all 0 without a period)") \
	X(SCHED_MISSING, "cell shares a CPU with another cell but has no scheduling parameters") \
	X(SCHED_UNUSED, "cell has scheduling parameters but shares no CPU (the root never has any)") \
	X(SCHED_PRIORITY, "cells sharing a CPU have the same priority")      \
	X(SCHED_OVERLOAD, "budgets of the cells sharing a CPU add up to more than 100%") \
	X(REGION_SHARED_GICR, "memory region maps the redistributor of a shared CPU, which Haven emulates") \
	X(DIRECT_IRQ_SHARED, "cell with direct interrupt delivery has a CPU shared with another cell (direct_irq needs dedicated CPUs)") \
	X(SUBPAGE_FLAGS, "sub-page region must be io, without exec or loadable, with at least one access width (widths only on sub-page regions)") \
	X(SUBPAGE_ALIGN, "sub-page region: phys, virt and size must be multiples of its smallest access width, and phys and virt the same offset in the page") \
	X(SUBPAGE_SIZE, "sub-page region is empty, wraps around or spans more than 4 pages") \
	X(SUBPAGE_HAVEN_DEVICE, "sub-page region lies in a page of the GIC, the SMMU, the PCI ECAM, Haven's UART or the hypervisor memory") \
	X(SUBPAGE_SHARED, "sub-page region overlaps another cell's region, or another cell's sub-page region overlaps it (only the root's mapped pages are handed over)") \
	X(PMU_EL2_SHARED, "cell with pmu_el2 has a CPU shared with another cell (counting Haven's EL2 events needs dedicated CPUs)") \
	X(PMU_EL2_FINAL, "pmu_el2 in a system with a final layout (EL2 event counting is for benchmarking, never in a layout that seals)")

#define HAVEN_CFG_ENUM(name, text) HAVEN_CFG_##name,
enum haven_cfg_err { HAVEN_CFG_ERRORS(HAVEN_CFG_ENUM) HAVEN_CFG_COUNT };
#undef HAVEN_CFG_ENUM

static inline const char *haven_cfg_strerror(unsigned int code)
{
#define HAVEN_CFG_TEXT(name, text) text,
	static const char *const text[] = { HAVEN_CFG_ERRORS(HAVEN_CFG_TEXT) };
#undef HAVEN_CFG_TEXT
	return code < HAVEN_CFG_COUNT ? text[code] : "unknown configuration error";
}

#endif
