// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 translation for cells (Arm ARM D8.2.6): 39-bit IPA starting at
 * level 1, 4 KiB granule, VMID-tagged. Leaf attributes follow the region:
 * Normal write-back or Device-nGnRE, read-only without "write",
 * execute-never without "exec".
 */
#include <cell.h>
#include <gic.h>
#include <setup.h>
#include <smmu.h>
#include <sysregs.h>

#define S2_MEMATTR_NORMAL (0xfUL << 2) /* Outer/Inner write-back */
#define S2_MEMATTR_DEVICE (0x1UL << 2) /* Device-nGnRE */
#define S2_MEMATTR_MASK (0xfUL << 2)
#define S2_AP_R (1UL << 6)
#define S2_AP_W (1UL << 7)
#define S2_SH_INNER (3UL << 8)
#define S2_XN (1UL << 54)

/* VTCR_EL2: T0SZ=25, SL0=1 (start level 1), WB-WA walks, inner shareable, 4K */
#define VTCR_BASE (25UL | 1UL << 6 | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 31)
#define VTCR_PS_SHIFT 16

static u64 s2_attrs(u64 flags)
{
	u64 a = S2_AP_R;

	a |= (flags & HAVEN_MEM_IO) ? S2_MEMATTR_DEVICE : S2_MEMATTR_NORMAL | S2_SH_INNER;
	if (flags & HAVEN_MEM_WRITE)
		a |= S2_AP_W;
	if (!(flags & HAVEN_MEM_EXEC))
		a |= S2_XN;
	return a;
}

/* Device mappings leave out redistributors' configuration pages (gicr.c). */
int stage2_map(struct cell *c, u64 ipa, u64 pa, u64 size, u64 flags)
{
	if (pt_map(&c->s2, &hv.pt_ops, ipa, pa, size, s2_attrs(flags)))
		return -1;
	return flags & HAVEN_MEM_IO ? gicr_unmap_config_pages(c, ipa, pa, size) : 0;
}

int stage2_map_region(struct cell *c, const struct haven_mem_region *r)
{
	if (r->flags & HAVEN_MEM_SUBPAGE)
		return 0; /* never mapped: its accesses trap (mmio_subpage.c) */
	return stage2_map(c, r->virt_start, r->phys_start, r->size, r->flags);
}

int stage2_unmap(struct cell *c, u64 ipa, u64 size)
{
	return pt_unmap(&c->s2, &hv.pt_ops, ipa, size);
}

/* The physical address of ipa if the cell maps it as RAM (Normal memory). */
int stage2_ram_pa(const struct cell *c, u64 ipa, u64 *pa)
{
	unsigned int level;
	u64 attrs;

	if (pt_walk(&c->s2, ipa, pa, &attrs, &level))
		return -1;
	return (attrs & S2_MEMATTR_MASK) == S2_MEMATTR_NORMAL ? 0 : -1;
}

/*
 * Runs on a root CPU (a hypercall), so VTTBR_EL2 holds the root's VMID:
 * invalidate its stage-1 and stage-2 entries in the Inner Shareable domain.
 */
void stage2_flush_root(void)
{
	dsb(ishst);
	asm volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	smmu_flush_vmid(&root_cell);
}

/* The stage-2 translation control, shared with the SMMU (smmu.c). */
u64 stage2_vtcr(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return VTCR_BASE | (parange > 5 ? 5 : parange) << VTCR_PS_SHIFT;
}

/* Point this CPU's stage-2 at the cell and drop stale translations. */
/* Resume a vCPU of the cell: its VMID's TLB entries are still its own. */
void stage2_cpu_switch(struct cell *c)
{
	write_sysreg(vtcr_el2, stage2_vtcr());
	write_sysreg(vttbr_el2, (u64)c->s2.table | (u64)c->vmid << 48);
	isb();
}

void stage2_cpu_enter(struct cell *c)
{
	stage2_cpu_switch(c);
	asm volatile("tlbi vmalls12e1" ::: "memory");
	dsb(nsh);
	isb();
}
