// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2 stage-1 tables: hypervisor memory identity-mapped (code read-only
 * and executable, the rest read-write and execute-never), plus the devices
 * EL2 touches: GIC distributor and redistributors, debug UART, SMMU, PCI
 * configuration space, the pages of every cell's sub-page windows
 * (mmio_subpage.c performs the cells' accesses there); and the RAM
 * of every cell, read-write and execute-never, to scrub cell memory and
 * to read what the root passes by address (cell_memory.c).
 * 39-bit VA, 4 KiB granule, walks start at level 1 (Arm ARM D8.2).
 */
#include <config_check.h>
#include <el2_mmu.h>
#include <paging.h>
#include <setup.h>
#include <sysregs.h>

#define MAIR_NORMAL_IDX 0
#define MAIR_DEVICE_IDX 1
#define MAIR_VALUE (0xffUL | 0x04UL << 8) /* WB RW-alloc; Device-nGnRE */

#define S1_ATTRIDX(i) ((u64)(i) << 2)
#define S1_AP_RO (1UL << 7)
#define S1_AP_EL2 (1UL << 6) /* AP[1]: RES1 in the EL2 regime */
#define S1_SH_INNER (3UL << 8)
#define S1_XN (1UL << 54)

#define EL2_NORMAL_RW (S1_ATTRIDX(MAIR_NORMAL_IDX) | S1_AP_EL2 | S1_SH_INNER | S1_XN)
#define EL2_NORMAL_RX (S1_ATTRIDX(MAIR_NORMAL_IDX) | S1_AP_EL2 | S1_AP_RO | S1_SH_INNER)
#define EL2_DEVICE (S1_ATTRIDX(MAIR_DEVICE_IDX) | S1_AP_EL2 | S1_XN)

/* TCR_EL2: T0SZ=25, IRGN0/ORGN0 WB-WA, SH0 inner, TG0 4K, RES1 bits 23, 31 */
#define TCR_T0SZ 25UL
#define TCR_BASE (TCR_T0SZ | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 1UL << 31)
#define TCR_PS_SHIFT 16

/* SCTLR_EL2: M, C, SA, I on top of the RES1 bits (D19.2.118) */
#define SCTLR_EL2_RES1 0x30c50830UL
#define SCTLR_EL2_VALUE (SCTLR_EL2_RES1 | BIT(0) | BIT(2) | BIT(3) | BIT(12))

u64 el2_mmu_regs[4];
extern const char __text_end[];

static int map(u64 base, u64 size, u64 attrs)
{
	return pt_map(&hv.el2_pt, &hv.pt_ops, base & PAGE_MASK,
		      base & PAGE_MASK, ALIGN_UP(size + (base & ~PAGE_MASK), PAGE_SIZE),
		      attrs);
}

/*
 * Regions of the root and of every declared cell (built at enable): RAM
 * (ram true) or sub-page windows. Windows go first: should a page hold
 * both, RAM's Normal mapping wins, on which Haven's unaligned copies work.
 */
static int map_cell_regions(bool ram, u64 attrs)
{
	u32 id, i;

	for (id = 0; id <= hv.sys->num_cells; id++) {
		const struct haven_cell *c = haven_cfg_cell(hv.config, id);
		const struct haven_mem_region *r = haven_cfg_regions(hv.config, c);

		for (i = 0; i < c->num_mem_regions; i++)
			if ((ram ? !(r[i].flags & (HAVEN_MEM_IO | HAVEN_MEM_EMULATED)) :
				   (r[i].flags & HAVEN_MEM_SUBPAGE) != 0) &&
			    map(r[i].phys_start, r[i].size, attrs))
				return -1;
	}
	return 0;
}

int el2_mmu_build(void)
{
	const struct haven_platform *p = &hv.sys->platform;
	u64 code = (u64)__text_end - hv.base;
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	hv.el2_pt.table = (u64 *)mem_pool_alloc(&hv.pool);
	hv.el2_pt.start_level = 1;
	if (!hv.el2_pt.table ||
	    map(hv.base, code, EL2_NORMAL_RX) ||
	    map(hv.base + code, hv.size - code, EL2_NORMAL_RW) ||
	    map(p->gicd_base, p->gicd_size, EL2_DEVICE) ||
	    map(p->gicr_base, p->gicr_size, EL2_DEVICE) ||
	    (p->uart_type != HAVEN_UART_NONE && map(p->uart_base, PAGE_SIZE, EL2_DEVICE)) ||
	    (p->smmu_size && map(p->smmu_base, p->smmu_size, EL2_DEVICE)) ||
	    (p->pci_ecam_size && map(p->pci_ecam_base, p->pci_ecam_size, EL2_DEVICE)) ||
	    map_cell_regions(false, EL2_DEVICE) || map_cell_regions(true, EL2_NORMAL_RW))
		return -1;

	el2_mmu_regs[0] = (u64)hv.el2_pt.table;
	el2_mmu_regs[1] = TCR_BASE | (parange > 5 ? 5 : parange) << TCR_PS_SHIFT;
	el2_mmu_regs[2] = MAIR_VALUE;
	el2_mmu_regs[3] = SCTLR_EL2_VALUE;
	return 0;
}
