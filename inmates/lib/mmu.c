// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Stage-1 identity map for EL1, then MMU and caches on: with the MMU off
 * every data access is Device-nGnRnE (uncached, aligned only), which makes
 * an inmate slow and its shared data incoherent with cacheable observers.
 *
 * 4 KiB granule, 39-bit VA (T0SZ 25), one level-1 table of 1 GiB blocks:
 * Device-nGnRnE, execute-never everywhere, except Normal write-back
 * (inner shareable) for [PLAT_NORMAL_BASE, +PLAT_NORMAL_SIZE) and for the
 * 2 MiB around the communication page if it lies outside that window
 * (through one level-2 table).
 *
 * Called with the MMU off; the tables are in .bss, which start.S has
 * invalidated in the data cache and cleared.
 */
#include "inmate.h"

#define PT_ENTRIES 512
#define L1_SHIFT 30
#define L2_SHIFT 21
#define VA_BITS INMATE_VA_BITS

#define PTE_BLOCK 0x1UL
#define PTE_TABLE 0x3UL
#define PTE_ATTR(i) ((hv_u64)(i) << 2)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)

#define MAIR_IDX_DEVICE 0 /* Device-nGnRnE */
#define MAIR_IDX_NORMAL 1 /* Normal, inner/outer write-back RW-allocate */
#define MAIR_VALUE (0x00UL << (8 * MAIR_IDX_DEVICE) | 0xffUL << (8 * MAIR_IDX_NORMAL))

#define PTE_DEVICE                                                             \
	(PTE_BLOCK | PTE_ATTR(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)
#define PTE_NORMAL (PTE_BLOCK | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF)

#define TCR_T0SZ (64 - VA_BITS)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_EPD1 (1UL << 23)
#define TCR_IPS_SHIFT 32

#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)

static hv_u64 l1_table[PT_ENTRIES] __aligned(4096);
static hv_u64 l2_table[PT_ENTRIES] __aligned(4096);

static void map_normal_2m(hv_u64 addr)
{
	hv_u64 gib = addr >> L1_SHIFT;

	if ((l1_table[gib] & 3) != PTE_TABLE) {
		for (hv_u64 i = 0; i < PT_ENTRIES; i++)
			l2_table[i] = (gib << L1_SHIFT | i << L2_SHIFT) |
				      PTE_DEVICE;
		l1_table[gib] = (hv_u64)l2_table | PTE_TABLE;
	}
	l2_table[(addr >> L2_SHIFT) & (PT_ENTRIES - 1)] =
		(addr & ~((1UL << L2_SHIFT) - 1)) | PTE_NORMAL;
}

int mmu_map_normal_2m(hv_u64 addr)
{
	hv_u64 gib = addr >> L1_SHIFT;

	for (hv_u64 i = 0; i < PT_ENTRIES; i++)
		if (i != gib && (l1_table[i] & 3) == PTE_TABLE)
			return -1; /* the level-2 table serves another GiB */
	map_normal_2m(addr);
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb nsh; isb" ::: "memory");
	return 0;
}

void mmu_init(hv_u64 comm_ipa)
{
	hv_u64 normal_end = PLAT_NORMAL_BASE + PLAT_NORMAL_SIZE;
	hv_u64 pa_range = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	for (hv_u64 i = 0; i < PT_ENTRIES; i++) {
		hv_u64 addr = i << L1_SHIFT;
		bool normal = addr >= PLAT_NORMAL_BASE && addr < normal_end;

		l1_table[i] = addr | (normal ? PTE_NORMAL : PTE_DEVICE);
	}
	/* only one GiB may be split: the comm page's, if it needs it */
	if (comm_ipa && comm_ipa >> VA_BITS == 0 &&
	    (comm_ipa < PLAT_NORMAL_BASE || comm_ipa >= normal_end))
		map_normal_2m(comm_ipa);

	if (pa_range > 5)
		pa_range = 5; /* 48 bits; the map itself stays below 2^39 */
	__asm__ volatile("dsb sy" ::: "memory");
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
				      TCR_SH0_INNER | TCR_EPD1 |
				      pa_range << TCR_IPS_SHIFT);
	write_sysreg(ttbr0_el1, (hv_u64)l1_table);
	isb();
	__asm__ volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C);
	isb();
	__asm__ volatile("ic iallu; dsb nsh; isb" ::: "memory");
}
