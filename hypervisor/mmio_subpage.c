// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sub-page device windows (HAVEN_MEM_SUBPAGE, include/haven/config.h): a
 * cell owns some bytes of a device page, not the page. The pages a window
 * lies in are never in the cell's stage 2, so every access there traps.
 * Haven performs it on the device itself, through the mapping built at
 * enable (el2_mmu.c), only if it is a single load or store with a valid
 * syndrome, naturally aligned, inside one window, of a width the window
 * allows, and a write only to a writable window. Anything else is reported
 * and meets the cell's fate, like any access outside its memory.
 */
#include <cell.h>
#include <mmio.h>
#include <mmio_subpage.h>
#include <setup.h>
#include <sysregs.h>
#include <traps.h>

static bool window_in_page(const struct haven_mem_region *w, u64 start, u64 addr)
{
	u64 page = addr & PAGE_MASK;

	return (w->flags & HAVEN_MEM_SUBPAGE) && page >= (start & PAGE_MASK) &&
	       page <= ((start + w->size - 1) & PAGE_MASK);
}

static bool in_window_page(const struct cell *c, u64 ipa)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if (window_in_page(&r[i], r[i].virt_start, ipa))
			return true;
	return false;
}

/* The window that holds [ipa, ipa + size) whole, or 0. */
static const struct haven_mem_region *window_of(const struct cell *c, u64 ipa, u32 size)
{
	const struct haven_mem_region *r = cell_regions(c);
	u32 i;

	for (i = 0; i < c->cfg->num_mem_regions; i++)
		if ((r[i].flags & HAVEN_MEM_SUBPAGE) && ipa >= r[i].virt_start &&
		    ipa + size <= r[i].virt_start + r[i].size)
			return &r[i];
	return 0;
}

/*
 * Why the access may not reach the device, or 0 (and its window in *w).
 * Without ISV the syndrome does not describe one register's load or store
 * (a pair, an exclusive, an atomic, a writeback: D19.2.40); a cache
 * maintenance instruction or a stage-1 table walk is no access to emulate.
 */
static const char *refusal(const struct cell *c, u64 iss, u64 ipa,
			   const struct haven_mem_region **w)
{
	u32 size = 1U << ISS_SAS(iss);

	if (!(iss & ISS_ISV))
		return "no valid syndrome (pair, exclusive, atomic or writeback access)";
	if (iss & (ISS_CM | ISS_S1PTW))
		return iss & ISS_CM ? "cache maintenance" : "stage-1 table walk";
	if ((ISS_DFSC(iss) & ~3UL) != DFSC_TRANSLATION_L0)
		return "not a translation fault";
	if (ipa & (size - 1))
		return "misaligned";
	*w = window_of(c, ipa, size);
	if (!*w)
		return "outside its sub-page windows";
	if (!((*w)->flags & (HAVEN_MEM_WIDTH8 << ISS_SAS(iss))))
		return "access width not allowed in its window";
	if ((iss & ISS_WNR) && !((*w)->flags & HAVEN_MEM_WRITE))
		return "write to a read-only window";
	return 0;
}

bool subpage_trap(struct trap_frame *f, u64 esr, u64 ipa)
{
	struct per_cpu *cpu = this_cpu();
	const struct haven_mem_region *w = 0;
	u64 iss = ESR_ISS(esr), pa;
	u32 size = 1U << ISS_SAS(iss);
	const char *why;

	if (ESR_EC(esr) != EC_DABT_LOW || !in_window_page(cpu->cell, ipa))
		return false;
	why = refusal(cpu->cell, iss, ipa, &w);
	if (why) {
		printk("%s: CPU %u: sub-page %s of IPA 0x%lx (%u bytes) refused: %s (ESR 0x%lx, PC 0x%lx)\n",
		       cpu->cell->name, cpu->index, iss & ISS_WNR ? "write" : "read", ipa,
		       iss & ISS_ISV ? size : 0, why, esr, f->elr);
		stage2_violation(f, esr, ipa);
		return true;
	}
	pa = w->phys_start + (ipa - w->virt_start);
	if (iss & ISS_WNR)
		mmio_write(pa, mmio_get_reg(f, ISS_SRT(iss)), size);
	else
		mmio_finish_read(f, iss, mmio_read(pa, size), size);
	dsb(sy); /* done at the device before the cell's next access */
	skip_instruction(f);
	return true;
}

bool subpage_page_held(const struct cell *c, u64 page)
{
	const struct haven_mem_region *r;
	u32 id, i;

	for (id = 1; id < HAVEN_MAX_CELLS; id++) {
		if (&cells[id] == c || READ_ONCE(cells[id].state) == HAVEN_CELL_NONE)
			continue;
		r = cell_regions(&cells[id]);
		for (i = 0; i < cells[id].cfg->num_mem_regions; i++)
			if (window_in_page(&r[i], r[i].phys_start, page))
				return true;
	}
	return false;
}
