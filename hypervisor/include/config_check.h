/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of binary configurations. Pure code: the same file is built
 * into the hypervisor, havenctl and the host unit tests.
 */
#ifndef HAVEN_CONFIG_CHECK_H
#define HAVEN_CONFIG_CHECK_H

#include <haven/config.h>
#include <haven/errors.h>

#define HAVEN_CFG_NO_CELL (-1)
#define HAVEN_CFG_NO_REGION (-1)

/*
 * Where and why a configuration was rejected; the value of some rules:
 *
 * REGION_COMM    region: the comm page; value: its phys_start if not 0,
 *                else its size if not one page, else its flags (a second
 *                comm page, or one in the root, has valid fields). A second
 *                one: its virt_start.
 * REGION_VUART   the same for the emulated UART (HAVEN_MEM_VUART).
 * VUART_IRQ      region -1; value: vuart_irq (not 0 without a VUART region;
 *                with one, not an SPI of the platform the cell owns).
 * CELL_FLAGS     region -1; value: the cell's flags (unknown bits, or a
 *                flag other than HAVEN_CELL_ROOT_FLAGS in the root).
 * FINAL_CELLS    cell -1; value: final_cells.
 * CELL_CONFLICT  cell: the later of two declared cells. region -1: an SPI
 *                both own (the value, >= 32); region n: the cell's region
 *                n overlaps the other's memory, value: its phys_start.
 *                (Declared cells may share CPUs: see the SCHED_* rules.)
 * ROOT_CPUS      cell: the declared cell that takes the root's last CPU;
 *                value: the CPUs taken by cells 1..cell.
 * RESERVED       cell -1: in the header. cell n: the cell's reserved field,
 *                sched.reserved, or an unused slot of stream_ids,
 *                pci_devices or smc_allow (beyond its count) is not 0;
 *                value: what it holds.
 * PLATFORM_SMMU  cell -1; value: smmu_base (the region: with smmu_size 0,
 *                not 0; else not page-aligned, empty, wrapping, beyond the
 *                PA limit, or over the hypervisor memory or the GIC
 *                distributor), or the interrupt that is no SPI of the
 *                platform or that gerror_irq shares with event_irq (with
 *                smmu_size 0: one that is not 0).
 * PLATFORM_PCI   cell -1; value: pci_ecam_base (not 0 with size 0; not
 *                1 MiB-aligned, size not 1-256 MiB in whole MiB, wrapping,
 *                beyond the PA limit, or over the hypervisor memory, the GIC
 *                distributor or the SMMU).
 * REGION_HAVEN_DEVICE  region n overlaps the GIC distributor, the SMMU or
 *                the PCI ECAM; value: its phys_start.
 * IRQ_HAVEN      region -1; value: the SMMU's event or global error
 *                interrupt, which the cell owns.
 * STREAMS        region -1; value: num_stream_ids if above the maximum,
 *                else a stream ID of the cell that is out of range
 *                (HAVEN_STREAM_LIMIT), its twice, declared without an SMMU,
 *                or (once every cell is valid) also an earlier cell's, the
 *                root's included.
 * PCI_DEVICES    region -1; value: num_pci_devices if above the maximum,
 *                else a BDF of the cell that is in the root, on a bus
 *                beyond the ECAM (none: no bus), its twice, or (once every
 *                cell is valid) also an earlier declared cell's.
 * SMCS           region -1; value: num_smcs if above the maximum, else a
 *                function ID that is in the root, PSCI (0x84xxxxxx or
 *                0xc4xxxxxx), an SMCCC architecture call (0x80000000-
 *                0x8000ffff), a Haven hypercall (0xc6xxxxxx) or the cell's
 *                twice.
 *
 * Scheduling (config_check_sched.c). A CPU is shared when two or more
 * declared cells list it (the root's list does not count).
 * SCHED_RANGE    region -1; value: the first field of sched that is wrong:
 *                with period_us 0, budget_us or priority that is not 0;
 *                else period_us above HAVEN_SCHED_MAX_PERIOD_US, budget_us
 *                neither 0 nor HAVEN_SCHED_MIN_BUDGET_US..period_us, or
 *                priority outside 1..HAVEN_SCHED_MAX_PRIORITY.
 * SCHED_UNUSED   region -1; value: period_us. The root with a sched, or
 *                (once every cell is valid) a declared cell with one whose
 *                CPUs no other declared cell lists.
 * SCHED_MISSING  region -1; the first declared cell on a shared CPU without
 *                a sched (period_us 0); value: that CPU (the lowest).
 * SCHED_PRIORITY region -1; the later of two cells sharing a CPU with the
 *                same priority; value: the priority.
 * SCHED_OVERLOAD region -1; the last declared cell on a CPU whose cells'
 *                budget_us / period_us add up to more than 1 (exactly, no
 *                rounding); value: the CPU.
 * REGION_SHARED_GICR  region n of a declared cell overlaps the
 *                redistributor frame (0x20000 bytes at gicr_base + CPU *
 *                0x20000) of a shared CPU, which Haven emulates; value: its
 *                phys_start.
 * DIRECT_IRQ_SHARED  region -1; a declared cell with HAVEN_CELL_DIRECT_IRQ
 *                that lists a shared CPU; value: that CPU (the lowest).
 *                (In the root the flag is a CELL_FLAGS error.)
 * PMU_EL2_SHARED region -1; a declared cell with HAVEN_CELL_PMU_EL2 that
 *                lists a shared CPU; value: that CPU (the lowest).
 * PMU_EL2_FINAL  region -1; the first cell (the root first) with
 *                HAVEN_CELL_PMU_EL2 in a system with a final layout (once
 *                every cell is valid); value: final_cells.
 *
 * Sub-page windows (HAVEN_MEM_SUBPAGE, config_check_subpage.c); region n:
 * SUBPAGE_FLAGS  value: the flags (a window without io or any width, or
 *                with exec, loadable, comm or vuart; widths without
 *                HAVEN_MEM_SUBPAGE). Unknown bits or no read: REGION_FLAGS.
 * SUBPAGE_ALIGN  value: phys_start or size if not a multiple of the
 *                smallest width, else virt_start (not a multiple, or not
 *                at phys_start's offset in the page).
 * SUBPAGE_SIZE   value: size (0, wrapping, or pages spanned above
 *                HAVEN_SUBPAGE_MAX_PAGES).
 * SUBPAGE_HAVEN_DEVICE  a page of the window is in the hypervisor memory,
 *                the GIC distributor or redistributors, the SMMU, the PCI
 *                ECAM or the page of Haven's UART; value: phys_start.
 * SUBPAGE_SHARED cell: the later of two cells (once every cell is valid);
 *                its window overlaps a region of an earlier declared cell,
 *                or its region overlaps an earlier cell's window, the
 *                root's included (the root's mapped regions, unlike its
 *                windows, are handed over); value: its phys_start. Within
 *                a cell a window must not overlap its other regions
 *                (REGION_OVERLAP): regions other than windows are whole
 *                pages, so no page of a window is mapped.
 */
struct haven_cfg_result {
	unsigned int code; /* enum haven_cfg_err */
	/* -1: not cell-specific, 0: root, n: declared cell n (a cell file: 1) */
	int cell;
	int region; /* index in the cell's regions, or -1 */
	hv_u64 value; /* the offending value */
};

int haven_check_system(const void *buf, hv_u64 size,
		       struct haven_cfg_result *res);
int haven_check_cell(const void *buf, hv_u64 size, const struct haven_system *sys,
		     struct haven_cfg_result *res);

/* Accessors for a configuration that passed its check. */
const struct haven_system *haven_cfg_system(const void *buf);
const struct haven_cell *haven_cfg_cell(const void *buf, hv_u32 index);
const struct haven_mem_region *haven_cfg_regions(const void *buf,
						 const struct haven_cell *cell);
int haven_cfg_irq_owned(const struct haven_cell *cell, hv_u32 irq);

/*
 * The shared CPUs of a system that passed haven_check_system(): bit n set
 * for each CPU that two or more declared cells list. sys must point into
 * the whole system file (the declared cells follow it).
 */
hv_u64 haven_cfg_shared_cpus(const struct haven_system *sys);

/*
 * Used by config_check.c (config_check_subpage.c): the code of the first
 * rule sub-page window r breaks (HAVEN_CFG_OK: none) and the value to
 * report; and the index of cell b's first region that clashes with a
 * window of cell a or whose window clashes with a region of a (a_root: a
 * is the root, whose mapped regions are handed over), or -1.
 */
int haven_cfg_is_window(const struct haven_mem_region *r);
unsigned int haven_cfg_window_rule(const struct haven_mem_region *r,
				   const struct haven_system *sys, hv_u64 *value);
int haven_cfg_window_clash(const void *buf, const struct haven_cell *a,
			   int a_root, const struct haven_cell *b);

/* Used by config_check.c (config_check_sched.c). */
int haven_cfg_check_sched(const struct haven_cell *c, int cell,
			  struct haven_cfg_result *res);
int haven_cfg_check_sharing(const void *buf, const struct haven_system *sys,
			    struct haven_cfg_result *res);

#endif
